#!/usr/bin/env python3
"""The project's commands, each setting itself up on a machine with only python3.

    python3 run.py demo    regenerate the Aimbase bindings, start the sandbox, run examples/quickstart.py
    python3 run.py test    run the whole test suite (what CI runs)
    python3 run.py bench   run every script in benchmarks/ (or those named: `bench stream query`)

Each creates .venv on first use and reinstalls into it when a pyproject.toml changes (the root's, the runtime's
in codegen/runtime/, or one of a generated project in generated/: a new spec needs no other edit).
Extra arguments after `test` go to pytest; `bench` installs the peers it compares with (pydantic, msgspec)
and odata2ts (with npm, when there is one) before measuring.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import tomllib
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed-from"
GENERATED = VENV / ".generated-projects"  # distribution names of the generated projects installed last
# Wheels of every distribution in .venv, so tests/test_install.py can fill fresh venvs without the network.
WHEELHOUSE = VENV / "wheelhouse"
PIP = (PYTHON, "-m", "pip", "--disable-pip-version-check")


def projects() -> list[Path]:
    """What .venv installs: the runtime, the generator (the repository root) and every generated project."""
    return [
        ROOT / "codegen" / "runtime",
        ROOT,
        *sorted(p.parent for p in (ROOT / "generated").glob("*/pyproject.toml")),
    ]


def ensure_venv() -> None:
    state = hashlib.sha256()
    for project in projects():
        state.update(project.relative_to(ROOT).as_posix().encode() + b"\0" + (project / "pyproject.toml").read_bytes())
    wanted = state.hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        print("run.py: creating .venv", flush=True)
        venv.create(VENV, with_pip=True)
    print("run.py: installing the runtime, the generator, the generated packages and the test tools", flush=True)
    runtime, generator, *generated = projects()
    # Editable installs that mypy can follow from any folder: mypy reads path entries in .pth files, not import
    # hooks. The generator (compat mode) and each generated project (its `package-dir`) become path entries,
    # which cover `codegen.runtime` too; the runtime keeps setuptools' hook, since a path entry for its own
    # folder would make `errors`, `model`, ... top-level modules.
    run(*PIP, "install", "--quiet", "-e", runtime)
    run(*PIP, "install", "--quiet", "--config-settings", "editable_mode=compat", "-e", f"{generator}[test]")
    if generated:
        run(*PIP, "install", "--quiet", "--no-deps", *(arg for p in generated for arg in ("-e", p)))
    forget_removed_projects(generated)
    collect_wheels()
    STAMP.write_text(wanted)


def forget_removed_projects(generated: list[Path]) -> None:
    """Uninstall generated projects installed by an earlier run whose folder is gone (a removed spec)."""
    names = sorted(tomllib.loads((p / "pyproject.toml").read_text())["project"]["name"] for p in generated)
    before = GENERATED.read_text().split() if GENERATED.exists() else []
    gone = sorted(set(before) - set(names))
    if gone:
        run(*PIP, "uninstall", "--quiet", "--yes", *gone)
    GENERATED.write_text("\n".join(names) + "\n")


def collect_wheels() -> None:
    """Wheels of every distribution .venv holds (skipped when that set is what the wheelhouse was made from)."""
    frozen = subprocess.run([*map(str, PIP), "freeze", "--all", "--exclude-editable"], capture_output=True, text=True)
    pins = sorted(line for line in frozen.stdout.splitlines() if "==" in line)
    made_from = WHEELHOUSE / ".made-from"
    if made_from.exists() and made_from.read_text().splitlines() == pins:
        return
    print("run.py: collecting wheels of .venv's distributions for the offline install tests", flush=True)
    # `pip wheel`, not `pip download`: a distribution published only as an sdist is built once, here, online.
    run(*PIP, "wheel", "--quiet", "--no-deps", "--wheel-dir", WHEELHOUSE, *pins)
    made_from.write_text("\n".join(pins) + "\n")


def run(*command: object) -> None:
    completed = subprocess.run([str(part) for part in command], cwd=ROOT)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def demo() -> None:
    run(PYTHON, "-m", "codegen", "generate", "specs/aimbase/codegen.toml")
    run(PYTHON, "examples/aimbase_models.py")
    sandbox = subprocess.Popen(
        [str(PYTHON), "-m", "codegen", "sandbox", "specs/aimbase/codegen.toml", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        url = sandbox_url(sandbox)
        print(f"run.py: sandbox serving {url} (login demo/demo)", flush=True)
        env = {**os.environ, "AIMBASE_URL": url, "AIMBASE_USER": "demo", "AIMBASE_PASSWORD": "demo"}
        completed = subprocess.run([str(PYTHON), "examples/quickstart.py"], cwd=ROOT, env=env)
    finally:
        stop(sandbox)
    if completed.returncode != 0:
        sys.exit(completed.returncode)


def sandbox_url(sandbox: subprocess.Popen[str]) -> str:
    """The base URL the sandbox prints once its port is bound."""
    assert sandbox.stdout is not None
    for line in sandbox.stdout:
        match = re.search(r" at (http://[^/\s]+)", line)
        if match:
            return match.group(1)
    stop(sandbox)
    sys.exit(f"run.py: the sandbox stopped before serving (exit code {sandbox.returncode})")


def stop(process: subprocess.Popen[str]) -> None:
    """Stop the sandbox gracefully (SIGINT, as Ctrl-C would), and for good if it does not listen."""
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()


def test(pytest_args: list[str]) -> None:
    run(PYTHON, "-m", "pytest", *pytest_args)


def bench(names: list[str]) -> None:
    """Install the peers the benchmarks measure against (the root's `bench` extra), then run the scripts."""
    scripts = sorted((ROOT / "benchmarks").glob("bench_*.py"))
    chosen = [s for s in scripts if not names or s.stem.removeprefix("bench_") in names]
    unknown = sorted(set(names) - {s.stem.removeprefix("bench_") for s in scripts})
    if unknown:
        sys.exit(f"run.py: no benchmark named {', '.join(unknown)} (have: {', '.join(s.stem[6:] for s in scripts)})")
    extra = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["optional-dependencies"]["bench"]
    run(*PIP, "install", "--quiet", *extra)
    for script in chosen:
        print(f"run.py: {script.relative_to(ROOT)}", flush=True)
        run(PYTHON, script)


def main() -> None:
    command, *rest = sys.argv[1:] or ["--help"]
    if command not in ("demo", "test", "bench"):
        print(__doc__.strip())
        sys.exit(0 if command in ("-h", "--help") else 2)
    ensure_venv()
    if command == "demo":
        demo()
    elif command == "test":
        test(rest)
    else:
        bench(rest)


if __name__ == "__main__":
    main()
