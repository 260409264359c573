#!/usr/bin/env python3
"""The project's two commands, each setting itself up on a machine with only python3.

    python3 run.py demo    regenerate the Aimbase bindings and show them working
    python3 run.py test    run the whole test suite (what CI runs)

Both create .venv on first use and reinstall into it when pyproject.toml changes.
Extra arguments after `test` go to pytest.
"""

from __future__ import annotations

import hashlib
import os
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
