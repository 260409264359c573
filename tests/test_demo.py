"""The README's main command runs to completion against the sandbox and leaves no process behind."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def _sandboxes() -> list[str]:
    found = subprocess.run(["pgrep", "-f", "codegen sandbox specs/aimbase"], capture_output=True, text=True)
    return found.stdout.split()


def test_main_command_regenerates_serves_queries_patches_and_stops() -> None:
    before = _sandboxes()
    result = subprocess.run([sys.executable, "run.py", "demo"], cwd=ROOT, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    out = result.stdout
    # Regenerated, or found unchanged by the manifest's fast path when nothing changed since the last run.
    assert "codegen: wrote generated/aimbase" in out or "codegen: generated/aimbase is unchanged" in out
    assert "written back to the wire unchanged: True" in out
    assert "run.py: sandbox serving http://127.0.0.1:" in out
    assert "Product($expand=Brand,ProductCategory)" in out
    assert "   read back: " in out and out.rstrip().endswith("Done.")
    assert _sandboxes() == before
    # regenerating left the committed package as it was
    check = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "specs/aimbase/codegen.toml", "--check"], cwd=ROOT
    )
    assert check.returncode == 0
