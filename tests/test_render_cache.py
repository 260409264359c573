"""The compiled-template cache is an optimisation only: when it cannot be had or written, generation still runs."""

from __future__ import annotations

from pathlib import Path

import jinja2
import pytest

from codegen import generate
from codegen.output import compare_package
from codegen.spec import load_spec

ROOT = Path(__file__).resolve().parent.parent
SPEC = ROOT / "specs" / "aimbase" / "codegen.toml"


def _renders_the_golden() -> None:
    spec = load_spec(SPEC)
    assert compare_package(generate.generate(spec).files, spec.target_dir) == []


def test_no_usable_cache_directory_compiles_templates_each_run(monkeypatch: pytest.MonkeyPatch) -> None:
    def refused(self: jinja2.FileSystemBytecodeCache) -> str:
        raise RuntimeError("The cache directory is owned by another user")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", refused)
    _renders_the_golden()


def test_a_cache_that_cannot_be_written_costs_only_time(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(jinja2.FileSystemBytecodeCache, "_get_default_cache_dir", lambda self: str(tmp_path))
    monkeypatch.setattr(jinja2.bccache.tempfile, "NamedTemporaryFile", full_disk)
    _renders_the_golden()
    assert list(tmp_path.iterdir()) == []
