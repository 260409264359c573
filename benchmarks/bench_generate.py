"""Time `python -m codegen generate` as a user runs it, each run a fresh process, with odata2ts as the peer.

    python benchmarks/bench_generate.py                  # Aimbase, TripPin, Microsoft Graph; odata2ts too
    python benchmarks/bench_generate.py --only graph --repeat 3 --no-odata2ts

Per document, in a temporary directory: a cold generation into an empty directory; regeneration with nothing
changed (the manifest's fast path); `--check` with nothing changed (the same); and `--check --full`, the full
parse-render-compare every check cost before the fast path. Wall time is measured around the process, CPU time
(user + system, the process and the workers it waited for) from the rusage of children. The row shows the
median of `--repeat` runs.

The peer is odata2ts (@odata2ts/odata2ts, TypeScript), installed with npm into a temporary directory and run
on the same document (`-m all -e ts`: models, query objects and services as TypeScript sources, no prettier);
without npm, or when the install fails, it is skipped with a message. Not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = ROOT / "tests" / "fixtures"
# The peer's packages: odata2ts, the peers it declares, and a TypeScript its tsconfig loader still reads
# (it fails on TypeScript 7).
ODATA2TS_PACKAGES = (
    "@odata2ts/odata2ts",
    "@odata2ts/odata-query-objects@^0.21.0",
    "@odata2ts/odata-service@^0.18.1",
    "typescript@~5.4",
)
TSCONFIG = '{"compilerOptions": {"target": "ES2020", "module": "commonjs", "moduleResolution": "node"}}\n'


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
class Timing:
    wall: float
    cpu: float  # user + system of the process and its waited-for children
    ok: bool


def timed(command: Sequence[str], cwd: Path) -> Timing:
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    done = subprocess.run(command, cwd=cwd, capture_output=True, text=True)
    wall = time.perf_counter() - started
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    if done.returncode != 0:
        output = (done.stderr + done.stdout).splitlines()
        reason = next((line for line in output if "Error" in line), output[-1] if output else "no output")
        print(f"  exit {done.returncode}: {shlex.join(command[:2])} ... {Path(command[-1]).name}: {reason[:300]}")
    return Timing(wall, cpu, done.returncode == 0)


def median(timings: list[Timing]) -> Timing:
    return Timing(
        statistics.median(t.wall for t in timings),
        statistics.median(t.cpu for t in timings),
        all(t.ok for t in timings),
    )


def codegen(document: Document, out: Path, *flags: str) -> list[str]:
    metadata = ["--metadata", str(document.metadata), "--package", document.package, "--out", str(out)]
    return [sys.executable, "-m", "codegen", "generate", *metadata, *flags]


def measure_codegen(document: Document, repeat: int, tmp: Path) -> dict[str, Timing]:
    cold = []
    for run in range(repeat):
        out = tmp / f"{document.package}-{run}"
        cold.append(timed(codegen(document, out), ROOT))
    out = tmp / f"{document.package}-0"
    return {
        "cold": median(cold),
        "no change": median([timed(codegen(document, out), ROOT) for _ in range(repeat)]),
        "--check": median([timed(codegen(document, out, "--check"), ROOT) for _ in range(repeat)]),
        "--check --full": timed(codegen(document, out, "--check", "--full"), ROOT),
    }


def install_odata2ts(tmp: Path) -> Path | None:
    """The odata2ts command, installed into tmp; None (with the reason printed) when it cannot be."""
    npm = shutil.which("npm")
    if npm is None:
        print("odata2ts: skipped, npm is not installed")
        return None
    home = tmp / "odata2ts"
    home.mkdir()
    (home / "package.json").write_text("{}\n", encoding="utf-8")
    (home / "tsconfig.json").write_text(TSCONFIG, encoding="utf-8")  # odata2ts reads one even for TS output
    command = [npm, "install", "--no-audit", "--no-fund", "--silent", *ODATA2TS_PACKAGES]
    try:
        done = subprocess.run(command, cwd=home, capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        print("odata2ts: skipped, npm install took more than 600 s")
        return None
    binary = home / "node_modules" / ".bin" / "odata2ts"
    if done.returncode != 0 or not binary.exists():
        print(f"odata2ts: skipped, npm install failed: {done.stderr.strip()[-300:]}")
        return None
    installed = json.loads((home / "node_modules/@odata2ts/odata2ts/package.json").read_text(encoding="utf-8"))
    node = subprocess.run(["node", "--version"], capture_output=True, text=True).stdout.strip()
    print(f"odata2ts {installed.get('version')} (@odata2ts/odata2ts, node {node})")
    return binary


def measure_odata2ts(binary: Path, document: Document, repeat: int, tmp: Path) -> Timing:
    runs = []
    for run in range(repeat):
        out = tmp / f"odata2ts-{document.package}-{run}"
        runs.append(
            timed(
                [str(binary), "-s", str(document.metadata), "-o", str(out), "-m", "all", "-e", "ts"], binary.parents[2]
            )
        )
    return median(runs)


def shown(timing: Timing | None) -> str:
    if timing is None:
        return f"{'-':>8} {'-':>8}"
    if not timing.ok:
        return f"{'crashed':>8} {'':>8}"
    return f"{timing.wall:>8.2f} {timing.cpu:>8.2f}"


def ratio(ours: Timing, theirs: Timing | None) -> str:
    """odata2ts's time over ours, wall and CPU: how many times faster codegen is."""
    if theirs is None or not theirs.ok or not ours.ok or ours.wall == 0 or ours.cpu == 0:
        return "-"
    return f"{theirs.wall / ours.wall:.1f}x / {theirs.cpu / ours.cpu:.1f}x"


def print_machine() -> None:
    cpus = os.cpu_count() or 1
    system = f"{platform.system()} {platform.release()} {platform.machine()}"  # no subprocess, unlike platform()
    print(f"python {platform.python_version()} ({platform.python_implementation()}) on {system}; cpu count {cpus}")
    print(f"load average at start: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time codegen generate, regenerate and --check, and odata2ts.")
    parser.add_argument("--repeat", type=int, help="runs per figure (default: 3, and 1 for Graph)")
    parser.add_argument("--only", choices=[d.name.lower() for d in DOCUMENTS], type=str.lower, help="one document")
    parser.add_argument("--no-odata2ts", action="store_true", help="do not install and run the peer")
    args = parser.parse_args(argv)
    if args.repeat is not None and args.repeat < 1:
        parser.error("--repeat must be at least 1")
    print("$", shlex.join(sys.orig_argv))
    print_machine()
    documents = [d for d in DOCUMENTS if args.only in (None, d.name.lower())]
    with tempfile.TemporaryDirectory(prefix="bench-generate-") as name:
        tmp = Path(name)
        binary = None if args.no_odata2ts else install_odata2ts(tmp)
        print()
        header = f"{'document':<9} {'run':<15} {'wall s':>8} {'cpu s':>8}   {'odata2ts':^17}   {'odata2ts/codegen wall / cpu':>28}"
        print(header)
        for document in documents:
            repeat = args.repeat or document.default_repeat
            ours = measure_codegen(document, repeat, tmp)
            theirs = measure_odata2ts(binary, document, repeat, tmp) if binary else None
            for label, timing in ours.items():
                peer = theirs if label in ("cold", "no change") else None
                print(f"{document.name:<9} {label:<15} {shown(timing)}   {shown(peer)}   {ratio(timing, peer):>28}")
            print(f"{'':<9} --check --full / --check: {ratio(ours['--check'], ours['--check --full'])} (wall / cpu)")
    print()
    print("median of the runs; odata2ts regenerates in full every time, so both codegen rows compare with its one run")
    print("--check --full: parse, render and compare, as every --check did before the manifest's fast path")
    print(f"load average at end: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
