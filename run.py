#!/usr/bin/env python3
"""The project's two commands, each setting itself up on a machine with only python3.

    python3 run.py demo    regenerate the Aimbase bindings, start the sandbox, run examples/quickstart.py
    python3 run.py test    run the whole test suite (what CI runs)

Both create .venv on first use and reinstall into it when pyproject.toml changes.
Extra arguments after `test` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
import re
import signal
import subprocess
import sys
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
PYTHON = VENV / ("Scripts/python.exe" if os.name == "nt" else "bin/python")
STAMP = VENV / ".installed-from"


def ensure_venv() -> None:
    wanted = hashlib.sha256((ROOT / "pyproject.toml").read_bytes()).hexdigest()
    if PYTHON.exists() and STAMP.exists() and STAMP.read_text().strip() == wanted:
        return
    if not PYTHON.exists():
        print("run.py: creating .venv", flush=True)
        venv.create(VENV, with_pip=True)
    print("run.py: installing the project and its test tools into .venv", flush=True)
    run(PYTHON, "-m", "pip", "install", "--quiet", "--disable-pip-version-check", "-e", f"{ROOT}[test]")
    STAMP.write_text(wanted)


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


def main() -> None:
    command, *rest = sys.argv[1:] or ["--help"]
    if command not in ("demo", "test"):
        print(__doc__.strip())
        sys.exit(0 if command in ("-h", "--help") else 2)
    ensure_venv()
    demo() if command == "demo" else test(rest)


if __name__ == "__main__":
    main()
