"""Time code generation stage by stage: parse, plan, render (jinja2 + black), write.

    python benchmarks/bench_generate.py                  # Aimbase, TripPin, Microsoft Graph
    python benchmarks/bench_generate.py --only graph --repeat 3

Each document is generated `--repeat` times into a fresh temporary directory; the row shown is the run with
the median total time (the lower middle run when the count is even), so its stage columns add up.
Not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import shlex
import sys
import tempfile
import time
from collections.abc import Sequence
from importlib.metadata import version
from pathlib import Path

import attrs

from codegen.csdl import parse_metadata
from codegen.output import write_package
from codegen.plan import build_plan
from codegen.render import render_package
from codegen.spec import spec_from_arguments

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"


@attrs.frozen
class Document:
    name: str
    package: str
    metadata: Path
    default_repeat: int


DOCUMENTS = (
    Document("Aimbase", "aimbase", ROOT / "specs/aimbase/metadata.xml", 3),
    Document("TripPin", "trippin", FIXTURES / "csdl/trippin-sampleservice.xml", 3),
    Document("Graph", "graph", FIXTURES / "csdl/msgraph-v1.0-cleanMetadata.xml", 1),
)


@attrs.frozen
class Run:
    types: int  # classes + enums
    files: int
    parse: float
    plan: float
    render: float
    write: float

    @property
    def total(self) -> float:
        return self.parse + self.plan + self.render + self.write


def generate_once(document: Document) -> Run:
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as tmp:
        spec = spec_from_arguments(document.metadata, document.package, Path(tmp), project=False)
        t0 = time.perf_counter()
        model = parse_metadata(spec.metadata)
        t1 = time.perf_counter()
        plan = build_plan(model, spec)
        t2 = time.perf_counter()
        files = render_package(plan)
        t3 = time.perf_counter()
        write_package(files, spec.package_dir)
        t4 = time.perf_counter()
    return Run(len(plan.classes) + len(plan.enums), len(files), t1 - t0, t2 - t1, t3 - t2, t4 - t3)


def median_run(runs: list[Run]) -> Run:
    ordered = sorted(runs, key=lambda run: run.total)
    return ordered[(len(ordered) - 1) // 2]


def peak_rss_mib(who: int) -> float:
    """Peak resident set size; for RUSAGE_CHILDREN, that of the largest waited-for child (black workers)."""
    peak = resource.getrusage(who).ru_maxrss
    return peak / 2**20 if sys.platform == "darwin" else peak / 2**10  # bytes on macOS, KiB elsewhere


def print_machine() -> None:
    cpus = os.cpu_count() or 1
    usable = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else cpus
    system = f"{platform.system()} {platform.release()} {platform.machine()}"  # no subprocess, unlike platform()
    print(f"python {platform.python_version()} ({platform.python_implementation()}) on {system}")
    print(f"cpu count {cpus} (usable {usable}); black {version('black')}")


def print_table(rows: list[tuple[Document, list[Run]]]) -> None:
    header = f"{'document':<9} {'types':>6} {'files':>6} {'parse s':>8} {'plan s':>8} {'render s':>9}"
    print(f"{header} {'write s':>8} {'total s':>8}  runs   (min total s)")
    for document, runs in rows:
        r = median_run(runs)
        stages = f"{r.parse:>8.3f} {r.plan:>8.3f} {r.render:>9.3f} {r.write:>8.3f} {r.total:>8.3f}"
        spread = f"{len(runs):>4}   ({min(run.total for run in runs):.3f})"
        print(f"{document.name:<9} {r.types:>6} {r.files:>6} {stages}  {spread}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time codegen's parse, plan, render and write stages.")
    parser.add_argument("--repeat", type=int, help="runs per document (default: 3, and 1 for Graph)")
    parser.add_argument("--only", choices=[d.name.lower() for d in DOCUMENTS], type=str.lower, help="one document")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    print("$", shlex.join(sys.orig_argv))
    print_machine()
    print()
    rows = []
    started = time.perf_counter()
    for document in DOCUMENTS:
        if args.only in (None, document.name.lower()):
            repeat = args.repeat or document.default_repeat
            rows.append((document, [generate_once(document) for _ in range(repeat)]))
    wall = time.perf_counter() - started
    print_table(rows)
    print("row = the run with the median total (lower middle if even); types = classes + enums")
    print("render = jinja2, plus black on the few modules templates cannot lay out (in worker processes past 40)")
    print()
    print(f"wall time, all runs: {wall:.2f} s")
    workers = peak_rss_mib(resource.RUSAGE_CHILDREN)
    shown = f"{workers:.0f} MiB" if workers else "none started"
    print(f"peak RSS: this process {peak_rss_mib(resource.RUSAGE_SELF):.0f} MiB; largest black worker process {shown}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
