"""Regeneration that leaves unchanged files alone, and the no-change fast path the manifest's cache entry allows.

The fast path (`generate.up_to_date`) may answer "unchanged" only when every input and every file is as the
manifest records; each way of breaking that must send the run back to the full comparison.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import attrs
import pytest

from codegen import fingerprint as fingerprint_module
from codegen import generate
from codegen.errors import OutputError
from codegen.fingerprint import fingerprint, settings, tree_digest
from codegen.output import MANIFEST, compare_package
from codegen.spec import Spec, spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
TRIPPIN = REPO / "tests" / "fixtures" / "csdl" / "trippin-sampleservice.xml"


@pytest.fixture
def spec(tmp_path: Path) -> Spec:
    metadata = tmp_path / "metadata.xml"
    shutil.copyfile(TRIPPIN, metadata)
    generated = spec_from_arguments(metadata, "trippin", tmp_path / "out")
    generate.write(generated)
    return generated


def snapshot(root: Path) -> dict[str, tuple[int, int]]:
    """Relative path -> (inode, mtime in ns) of every file: what a rewrite would change."""
    return {
        p.relative_to(root).as_posix(): (p.stat().st_ino, p.stat().st_mtime_ns) for p in root.rglob("*") if p.is_file()
    }


def manifest(spec: Spec) -> dict[str, object]:
    data: dict[str, object] = json.loads((spec.target_dir / MANIFEST).read_bytes())
    return data


def write_manifest(spec: Spec, data: object) -> None:
    (spec.target_dir / MANIFEST).write_text(json.dumps(data, indent=2, sort_keys=True) + "\n", encoding="utf-8")


# -- incremental writing ------------------------------------------------------------------------


def test_an_unchanged_output_is_found_without_parsing_and_left_untouched(spec: Spec) -> None:
    before, directory = snapshot(spec.target_dir), spec.target_dir.stat().st_ino
    assert generate.up_to_date(spec) == generate.Unchanged(warnings=2)  # TripPin: a BOM, an unknown term
    generate.write(spec)  # the full run finds the same bytes
    assert snapshot(spec.target_dir) == before
    assert spec.target_dir.stat().st_ino == directory  # not even swapped


def test_a_change_rewrites_only_the_files_it_changes(spec: Spec) -> None:
    before = snapshot(spec.target_dir)
    spec = attrs.evolve(spec, renames={"Microsoft.OData.SampleService.Models.TripPin.Photo": "Picture"})
    generate.write(spec)
    after = snapshot(spec.target_dir)
    assert "trippin/models/photo.py" in before and "trippin/models/photo.py" not in after
    assert "trippin/models/picture.py" in after
    assert after["trippin/models/airline.py"] == before["trippin/models/airline.py"]  # kept, not rewritten
    assert after["trippin/__init__.py"] != before["trippin/__init__.py"]
    assert compare_package(generate.generate(spec).files, spec.target_dir) == []
    assert sorted(p.name for p in spec.target_dir.parent.iterdir()) == ["trippin"]  # no staging left behind


def test_without_hard_links_unchanged_files_are_copied(spec: Spec, monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*args: object, **kwargs: object) -> None:
        raise OSError(1, "Operation not permitted")

    monkeypatch.setattr(os, "link", refuse)
    generate.write(attrs.evolve(spec, service_path="/v2/"))
    assert compare_package(generate.generate(attrs.evolve(spec, service_path="/v2/")).files, spec.target_dir) == []


def test_a_failed_write_leaves_the_old_package_whole(spec: Spec, monkeypatch: pytest.MonkeyPatch) -> None:
    before = {p: p.read_bytes() for p in spec.target_dir.rglob("*") if p.is_file()}
    written = 0

    def fail_later(self: Path, data: bytes) -> int:
        nonlocal written
        written += 1
        if written > 1:
            raise OSError(28, "No space left on device")
        return len(data)

    monkeypatch.setattr(Path, "write_bytes", fail_later)
    with pytest.raises(OutputError, match="No space left"):
        generate.write(attrs.evolve(spec, service_path="/v2/"))
    monkeypatch.undo()
    assert {p: p.read_bytes() for p in spec.target_dir.rglob("*") if p.is_file()} == before
    assert sorted(p.name for p in spec.target_dir.parent.iterdir()) == ["trippin"]


# -- what sends the fast path back to the full run ------------------------------------------------


def test_an_edited_deleted_or_extra_file_is_not_up_to_date(spec: Spec) -> None:
    module = spec.target_dir / "trippin" / "models" / "city.py"
    original = module.read_bytes()
    module.write_bytes(original + b"# edited\n")
    assert generate.up_to_date(spec) is None
    module.unlink()
    assert generate.up_to_date(spec) is None
    module.write_bytes(original)
    assert generate.up_to_date(spec) is not None
    (spec.target_dir / "trippin" / "extra.py").write_text("x = 1\n", encoding="utf-8")
    assert generate.up_to_date(spec) is None


def test_a_file_swapped_for_a_link_to_the_same_bytes_is_not_up_to_date(spec: Spec, tmp_path: Path) -> None:
    module = spec.target_dir / "trippin" / "models" / "city.py"
    outside = tmp_path / "city.py"
    outside.write_bytes(module.read_bytes())
    module.unlink()
    module.symlink_to(outside)
    assert generate.up_to_date(spec) is None


def test_changed_metadata_spec_or_generator_is_not_up_to_date(spec: Spec, monkeypatch: pytest.MonkeyPatch) -> None:
    assert generate.up_to_date(attrs.evolve(spec, service_path="/other/")) is None
    assert generate.up_to_date(attrs.evolve(spec, service_name="Other")) is None
    monkeypatch.setattr(fingerprint_module, "generator_digest", lambda: "another generator")
    assert generate.up_to_date(spec) is None
    monkeypatch.undo()
    spec.metadata.write_bytes(spec.metadata.read_bytes() + b"\n")  # a byte the parser ignores still counts
    assert generate.up_to_date(spec) is None


def test_a_stale_cache_entry_is_no_difference_but_is_rewritten(spec: Spec) -> None:
    """The fingerprint is a hint, not content: --check passes, and the next write refreshes it alone."""
    data = manifest(spec)
    data["cache"] = {"fingerprint": "0" * 64, "warnings": 0}
    write_manifest(spec, data)
    before = snapshot(spec.target_dir)
    assert generate.up_to_date(spec) is None
    assert compare_package(generate.generate(spec).files, spec.target_dir) == []
    generate.write(spec)
    after = snapshot(spec.target_dir)
    assert {path for path in before if after[path] != before[path]} == {MANIFEST}
    assert generate.up_to_date(spec) is not None


def test_any_other_manifest_edit_is_a_difference(spec: Spec) -> None:
    data = manifest(spec)
    data["version"] = "0.0.1"
    write_manifest(spec, data)
    assert generate.up_to_date(spec) is None
    assert [d.path for d in compare_package(generate.generate(spec).files, spec.target_dir)] == [MANIFEST]


def test_a_manifest_in_another_layout_is_not_trusted(spec: Spec) -> None:
    path = spec.target_dir / MANIFEST
    path.write_text(json.dumps(manifest(spec)), encoding="utf-8")  # the same data on one line
    assert generate.up_to_date(spec) is None
    assert [d.path for d in compare_package(generate.generate(spec).files, spec.target_dir)] == [MANIFEST]


@pytest.mark.parametrize(
    "content",
    [
        b"{not json",
        b"[" * 100_000 + b"]" * 100_000,  # nested past the parser's recursion limit
        b'{"generator": "odata-codegen", "files": {}, "cache": {"fingerprint": "x"' + b" " * (5 * 2**20) + b"}}",
        b"\xff\xfe",
        b"null",
    ],
    ids=["malformed", "deep", "huge", "not-utf8", "not-an-object"],
)
def test_a_corrupt_manifest_is_ignored(spec: Spec, content: bytes) -> None:
    (spec.target_dir / MANIFEST).write_bytes(content)
    assert generate.up_to_date(spec) is None
    assert MANIFEST in {d.path for d in compare_package(generate.generate(spec).files, spec.target_dir)}


@pytest.mark.parametrize(
    "cache",
    [{"warnings": 0}, "x", {"fingerprint": None, "warnings": 0}, "negative", "boolean", "string"],
)
def test_a_hostile_cache_entry_is_ignored(spec: Spec, cache: object) -> None:
    data = manifest(spec)
    recorded = data["cache"]
    assert isinstance(recorded, dict)
    if cache in ("negative", "boolean", "string"):
        cache = {**recorded, "warnings": {"negative": -1, "boolean": True, "string": "0"}[str(cache)]}
    data["cache"] = cache
    write_manifest(spec, data)
    assert generate.up_to_date(spec) is None


def test_manifest_paths_are_never_followed(spec: Spec, tmp_path: Path) -> None:
    """Listed names that escape the output, even with the right hashes, only make the listing differ."""
    secret = tmp_path / "secret.txt"
    secret.write_text("secret\n", encoding="utf-8")
    data = manifest(spec)
    files = data["files"]
    assert isinstance(files, dict)
    files["../../secret.txt"] = files[str(secret)] = "0" * 64
    write_manifest(spec, data)
    assert generate.up_to_date(spec) is None
    generate.write(spec)  # the full run replaces the manifest and touches nothing outside
    assert secret.read_text(encoding="utf-8") == "secret\n"
    assert generate.up_to_date(spec) is not None


def test_an_input_that_cannot_be_read_leaves_the_full_run_to_say_so(spec: Spec) -> None:
    spec.metadata.unlink()
    assert generate.up_to_date(spec) is None


def test_strict_with_recorded_warnings_runs_in_full(spec: Spec) -> None:
    data = manifest(spec)
    data["cache"] = {**data["cache"], "warnings": 3}  # type: ignore[dict-item]
    write_manifest(spec, data)
    assert generate.up_to_date(spec) == generate.Unchanged(warnings=3)
    assert generate.up_to_date(spec, strict=True) is None


# -- the fingerprint itself ---------------------------------------------------------------------


def test_every_spec_field_but_the_output_location_is_in_the_fingerprint(spec: Spec) -> None:
    assert set(settings(spec)) == {field.name for field in attrs.fields(Spec)} - {"output_dir"}
    elsewhere = attrs.evolve(spec, output_dir=spec.output_dir.parent / "elsewhere")
    assert fingerprint(elsewhere) == fingerprint(spec)  # no machine path in it
    for changed in (
        attrs.evolve(spec, package="other"),
        attrs.evolve(spec, project=False),
        attrs.evolve(spec, renames={"Microsoft.OData.SampleService.Models.TripPin.City": "Town"}),
        attrs.evolve(spec, source=spec.metadata),
    ):
        assert fingerprint(changed) != fingerprint(spec)


def test_referenced_documents_are_in_the_fingerprint(spec: Spec, tmp_path: Path) -> None:
    reference = tmp_path / "reference.xml"
    reference.write_text("<a/>", encoding="utf-8")
    referencing = attrs.evolve(spec, references={"http://example.com/ref.xml": reference})
    first = fingerprint(referencing)
    reference.write_text("<b/>", encoding="utf-8")
    assert fingerprint(referencing) != first != fingerprint(spec)


def test_the_generator_digest_follows_every_file_of_code_and_templates(tmp_path: Path) -> None:
    code, templates = tmp_path / "codegen", tmp_path / "templates"
    (code / "__pycache__").mkdir(parents=True)
    templates.mkdir()
    (code / "render.py").write_text("x = 1\n", encoding="utf-8")
    (templates / "model.py.jinja").write_text("{{ x }}\n", encoding="utf-8")
    first = tree_digest([code, templates], "python 3.11")
    (code / "__pycache__" / "render.cpython-311.pyc").write_bytes(b"\0")  # bytecode is not source
    assert tree_digest([code, templates], "python 3.11") == first
    (templates / "model.py.jinja").write_text("{{ y }}\n", encoding="utf-8")
    assert tree_digest([code, templates], "python 3.11") != first
    assert tree_digest([code, templates], "python 3.12") != tree_digest([code, templates], "python 3.11")


# -- the command line ----------------------------------------------------------------------------


def test_the_cli_says_unchanged_and_full_runs_in_full(spec: Spec) -> None:
    def run(*flags: str) -> subprocess.CompletedProcess[str]:
        command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(spec.metadata), "--package"]
        command += ["trippin", "--out", str(spec.output_dir), *flags]
        return subprocess.run(command, capture_output=True, text=True, cwd=REPO, timeout=120)

    again = run()
    assert again.returncode == 0 and " is unchanged: no input or file changed (" in again.stdout, again
    assert again.stderr.splitlines() == [
        "codegen: note: the metadata's warnings are not repeated; --full prints them",
        "codegen: 2 warnings",
    ]
    full = run("--full")
    assert full.returncode == 0 and "codegen: wrote " in full.stdout, full
    assert sum(line.startswith("codegen: warning: ") for line in full.stderr.splitlines()) == 2
    checked = run("--check")
    assert checked.returncode == 0 and checked.stdout.endswith(" is up to date\n"), checked


def test_a_leftover_staging_directory_sends_the_run_in_full_to_clean_it(spec: Spec) -> None:
    leftover = spec.output_dir / ".trippin-a1b2c3d4e5f6"
    (leftover / "trippin").mkdir(parents=True)
    (leftover / "trippin" / "__init__.py").write_text("partial", encoding="utf-8")
    assert generate.up_to_date(spec) is None
    generate.write(spec)
    assert not leftover.exists()
    assert generate.up_to_date(spec) is not None
