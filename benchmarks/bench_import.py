"""Time importing generated packages, and the first use of one class, each in a fresh interpreter.

    python benchmarks/bench_import.py            # 5 measured runs per case
    python benchmarks/bench_import.py --runs 9

Microsoft Graph and Aimbase are generated once into a temporary directory with `python -m codegen generate`;
each case then runs in a new subprocess, so nothing is cached in-process. Two figures per case: the statements
alone, timed with perf_counter inside the subprocess (start-up excluded), and the wall time of the whole
subprocess. Input data is loaded before the timer starts.

Every case is measured twice over: with a bytecode cache (PYTHONPYCACHEPREFIX in the temporary directory, so
nothing is written elsewhere; the first run fills it and is shown apart), as an installed package would run;
and with PYTHONDONTWRITEBYTECODE=1 and no prefix, where modules without a .pyc on disk (the generated package,
and codegen in a checkout that never wrote one) are compiled from source on every run.
Not a test: it prints figures and exits 0.
"""

from __future__ import annotations

import argparse
import os
import shlex
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

import attrs

ROOT = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parents[1] / "tests" / "fixtures"
GRAPH_METADATA = FIXTURES / "csdl/msgraph-v1.0-cleanMetadata.xml"
AIMBASE_METADATA = ROOT / "specs/aimbase/metadata.xml"
LEAD_JSON = ROOT / "specs/aimbase/examples/lead-82540-expand-all.json"
# Targets for import + first use of one class, (with a bytecode cache, without): issue 11 for Graph, issue 2's
# 0.3 s for the small Aimbase.
TARGETS = {"graph": (0.05, 0.15), "aimbase": (0.3, 0.3)}

GRAPH_USER = '{"id": "1", "displayName": "Ada", "@odata.type": "#microsoft.graph.user"}'
LOAD_LEAD = f"import decimal, json, pathlib\nwire = json.loads(pathlib.Path({str(LEAD_JSON)!r}).read_text(), parse_float=decimal.Decimal)"

# Runs in the subprocess: only the statements between the two perf_counter calls are timed.
PROBE = """\
import sys, time
{setup}
_before = len(sys.modules)
_started = time.perf_counter()
{statements}
_elapsed = time.perf_counter() - _started
_modules = len(sys.modules) - _before
{check}
print(_elapsed, _modules, getattr(sys.modules.get({package!r}), "__file__", "-"))
"""


@attrs.frozen
class Case:
    label: str
    package: str | None  # None: the empty baseline
    statements: str
    setup: str = ""
    check: str = ""
    first_use: bool = False  # the case the TARGETS are about


CASES = (
    Case("interpreter start-up only (baseline)", None, "pass"),
    Case("import graph", "graph", "import graph"),
    Case("import graph; graph.User", "graph", "import graph\ngraph.User"),
    Case(
        "graph: from graph import User + structure",
        "graph",
        f"from codegen.runtime import structure\nfrom graph import User\nu = structure({GRAPH_USER}, User)",
        check='assert type(u) is User and u.display_name == "Ada", u',
        first_use=True,
    ),
    Case(
        "graph: import graph.client + Client + client.users",
        "graph",
        'import graph.client\nusers = graph.client.Client("http://127.0.0.1:9").users',
        check='assert type(users).__name__ == "UsersEntitySet", users',
    ),
    Case("import aimbase", "aimbase", "import aimbase"),
    Case("import aimbase; aimbase.Lead", "aimbase", "import aimbase\naimbase.Lead"),
    Case(
        "aimbase: import + structure lead-82540",
        "aimbase",
        "from codegen.runtime import structure\nimport aimbase\nlead = structure(wire, aimbase.Lead)",
        setup=LOAD_LEAD,
        check="assert type(lead) is aimbase.Lead and lead.id == 82540, lead",
        first_use=True,
    ),
)


@attrs.frozen
class Sample:
    inside: float  # the statements, timed in the subprocess
    wall: float  # the whole subprocess, timed here
    modules: int  # len(sys.modules) delta


def generate(metadata: Path, package: str, out: Path) -> None:
    command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(metadata), "--package", package]
    # The package alone: the benchmark imports it from `out`, as a path entry.
    done = subprocess.run(
        [*command, "--out", str(out), "--package-only"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    print(done.stdout.strip())


def environment(packages: Path, cached: bool) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(filter(None, [str(packages), env.get("PYTHONPATH")]))
    env.pop("PYTHONPYCACHEPREFIX", None)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if cached:
        env["PYTHONPYCACHEPREFIX"] = str(packages / ".pycache")
    else:
        env["PYTHONDONTWRITEBYTECODE"] = "1"
    return env


def measure(case: Case, packages: Path, env: dict[str, str]) -> Sample:
    probe = PROBE.format(setup=case.setup, statements=case.statements, check=case.check, package=case.package)
    started = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", probe], cwd=packages, env=env, capture_output=True, text=True)
    wall = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"{case.label}: the subprocess failed:\n{done.stderr}")
    inside, modules, origin = done.stdout.split()
    if case.package is not None and not Path(origin).is_relative_to(packages):
        raise SystemExit(f"{case.label}: imported {case.package} from {origin}, not from {packages}")
    return Sample(float(inside), wall, int(modules))


def row(case: Case, first: Sample, samples: list[Sample]) -> str:
    inside = [s.inside for s in samples]
    wall = [s.wall for s in samples]
    figures = (
        f"{min(inside):>7.3f} {statistics.median(inside):>7.3f}   {min(wall):>7.3f} {statistics.median(wall):>7.3f}"
    )
    modules = max(s.modules for s in samples)
    return f"{case.label:<40} {figures}   {modules:>7}   {first.inside:>6.3f} {first.wall:>6.3f}"


def run_cases(title: str, packages: Path, env: dict[str, str], runs: int, cached: bool) -> list[str]:
    """Print one table; return the verdicts on the target."""
    print(title)
    print(f"{'':<40} {'in-process s':^15}   {'subprocess wall s':^17}   {'modules':>7}   {'first run s':^13}")
    print(f"{'case':<40} {'min':>7} {'median':>7}   {'min':>7} {'median':>7}   {'(delta)':>7}   {'in':>6} {'wall':>6}")
    verdicts = []
    for case in CASES:
        first = measure(case, packages, env)
        samples = [measure(case, packages, env) for _ in range(runs)]
        print(row(case, first, samples))
        if case.first_use and case.package is not None:
            median = statistics.median(s.inside for s in samples)
            target = TARGETS[case.package][0 if cached else 1]
            verdict = "met" if median <= target else "NOT met"
            verdicts.append(f"{title.split(':')[0]}, {case.label}: median {median:.3f} s, target {target} s, {verdict}")
    print()
    return verdicts


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Time importing generated packages in fresh interpreters.")
    parser.add_argument("--runs", type=int, default=5, help="measured runs per case, after the first (default 5)")
    args = parser.parse_args(argv)
    if args.runs < 1:
        parser.error("--runs must be at least 1")
    print("$", shlex.join(sys.orig_argv))
    print(f"python {sys.version.split()[0]}, cpu count {os.cpu_count()}, load average {os.getloadavg()[0]:.2f}")
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp:
        packages = Path(tmp)
        generate(GRAPH_METADATA, "graph", packages)
        generate(AIMBASE_METADATA, "aimbase", packages)
        print()
        with_cache = "cached .pyc: PYTHONPYCACHEPREFIX=<tmp>/.pycache, filled by each case's first run"
        verdicts = run_cases(with_cache, packages, environment(packages, cached=True), args.runs, cached=True)
        source = "no .pyc written: PYTHONDONTWRITEBYTECODE=1, generated modules compiled from source every run"
        verdicts += run_cases(source, packages, environment(packages, cached=False), args.runs, cached=False)
    print(f"min/median over {args.runs} runs; first run = the one before them, not counted")
    print("in-process = the statements only; modules = len(sys.modules) delta across them")
    print("targets: import + first use of one class, in-process (issues 2 and 11); msgraph-sdk-python is not")
    print("measured here (issue 11 quotes 3.4 s for it)")
    for verdict in verdicts:
        print(f"  {verdict}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
