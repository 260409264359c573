"""README "Add another Aimbase API in three steps", run as written from a temporary directory.

The commands and the script are read from the README itself, so the README cannot drift from what works. Two
substitutions keep the test offline and on a free port: pip installs into a throwaway venv (seeing this venv's
packages, with `--no-deps --no-build-isolation`) instead of this one, and the sandbox binds port 0.
"""

from __future__ import annotations

import re
import shlex
import signal
import subprocess
import sys
import sysconfig
import venv
from pathlib import Path

import pytest

from init_support import DEALERS_CSDL

README = Path(__file__).resolve().parents[1] / "README.md"
TITLE = "## Add another Aimbase API in three steps"


def _section() -> str:
    text = README.read_text(encoding="utf-8")
    start = text.index(TITLE)
    end = text.index("\n## ", start + len(TITLE))
    return text[start:end]


def _blocks(language: str) -> list[str]:
    return re.findall(rf"(?ms)^```{language}\n(.*?)^```$", _section())


def _throwaway_venv(folder: Path) -> Path:
    """A venv without pip whose site-packages adds this venv's (a venv's --system-site-packages would add the
    base interpreter's instead, which has no codegen)."""
    venv.create(folder, with_pip=False)
    python = folder / ("Scripts/python.exe" if sys.platform == "win32" else "bin/python")
    purelib = subprocess.run(
        [python, "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"], capture_output=True, text=True
    ).stdout.strip()
    ours = sysconfig.get_path("purelib")
    # addsitedir, not a bare path line: it runs this venv's own .pth files (the editable installs).
    (Path(purelib) / "parent-venv.pth").write_text(f"import site; site.addsitedir({ours!r})\n", encoding="utf-8")
    return python


def _run(command: list[str], cwd: Path) -> subprocess.CompletedProcess[str]:
    result = subprocess.run(command, cwd=cwd, capture_output=True, text=True, timeout=300)
    assert result.returncode == 0, f"{shlex.join(command)}\n{result.stdout}\n{result.stderr}"
    return result


def test_the_readme_steps_give_a_working_client(tmp_path: Path) -> None:
    [commands] = _blocks("sh")
    [script] = _blocks("python")
    init, install, sandbox = (shlex.split(line) for line in commands.splitlines())
    assert init[:3] == ["python", "-m", "codegen"] and init[3] == "init"
    assert install[:4] == ["python", "-m", "pip", "install"] and sandbox[3] == "sandbox"
    name = init[4]
    (tmp_path / init[init.index("--metadata") + 1]).write_text(DEALERS_CSDL, encoding="utf-8")
    python = _throwaway_venv(tmp_path / "venv")

    # 1. init, as written.
    printed = _run([str(python), *init[1:]], tmp_path).stdout
    assert f"pip install -e generated/{name}" in printed  # the next steps it prints are the README's
    # 2. pip install, as written, into the throwaway venv and offline.
    pip = [sys.executable, "-m", "pip", "--disable-pip-version-check", "--python", str(python)]
    _run([*pip, *install[3:], "--no-deps", "--no-build-isolation", "--no-index"], tmp_path)
    # 3. the sandbox, as written but on a free port, and the script against it.
    port = sandbox.index("--port") + 1
    server = subprocess.Popen(
        [str(python), *sandbox[1:port], "0", *sandbox[port + 1 :]], cwd=tmp_path, stdout=subprocess.PIPE, text=True
    )
    try:
        url = _sandbox_url(server)
        assert "http://127.0.0.1:8000" in script
        (tmp_path / "use.py").write_text(script.replace("http://127.0.0.1:8000", url), encoding="utf-8")
        # From tmp_path, where no `dealers` folder is: the import can only come from the installed project.
        output = _run([str(python), "use.py"], tmp_path).stdout.splitlines()
    finally:
        _stop(server)
    assert len(output) == 3 and all(re.fullmatch(r"\d+ .+", line) for line in output), output
    located = _run([str(python), "-c", f"import {name}; print({name}.__file__)"], tmp_path / "venv").stdout
    assert Path(located.strip()).is_relative_to(tmp_path / "generated" / name)  # the editable install


def _sandbox_url(server: subprocess.Popen[str]) -> str:
    assert server.stdout is not None
    for line in server.stdout:
        match = re.search(r" at (http://127\.0\.0\.1:\d+)", line)
        if match:
            return match.group(1)
    pytest.fail(f"the sandbox stopped before serving (exit code {server.wait()})")


def _stop(server: subprocess.Popen[str]) -> None:
    if server.poll() is None:
        server.send_signal(signal.SIGINT)
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
