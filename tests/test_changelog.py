"""CHANGES.md and the stored API surface: one entry per regeneration that changed the API, nothing otherwise."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate
from codegen.changelog import CHANGES_FILE, SURFACE_FILE
from codegen.errors import OutputError
from codegen.spec import Spec, load_spec

REPO = Path(__file__).resolve().parents[1]
RENAME = (b'<Property Name="Medium" Type="Edm.String"', b'<Property Name="Channel" Type="Edm.String"')


@pytest.fixture
def spec(tmp_path: Path) -> Spec:
    """specs/aimbase copied into tmp_path, generated once there (its output starts the record)."""
    shutil.copytree(REPO / "specs" / "aimbase", tmp_path / "specs" / "aimbase")
    loaded = load_spec(tmp_path / "specs" / "aimbase" / "codegen.toml")
    generate.write(loaded)
    return loaded


def edit(spec: Spec, old: bytes, new: bytes) -> None:
    text = spec.metadata.read_bytes()
    assert text.count(old) == 1
    spec.metadata.write_bytes(text.replace(old, new))


def changes_md(spec: Spec) -> str:
    return (spec.target_dir / CHANGES_FILE).read_text(encoding="utf-8")


def test_the_first_generation_starts_the_record_and_the_same_api_adds_nothing(spec: Spec) -> None:
    first = changes_md(spec)
    assert first.count("\n## codegen ") == 1 and "First entry: no earlier API is recorded." in first
    surface = (spec.target_dir / SURFACE_FILE).read_bytes()
    again = generate.write(spec)
    assert again.changes == ()
    assert changes_md(spec) == first and (spec.target_dir / SURFACE_FILE).read_bytes() == surface
    assert generate.check(spec) == []


def test_a_schema_change_adds_an_entry_on_top_and_keeps_the_older_ones(spec: Spec) -> None:
    first = changes_md(spec)
    edit(spec, *RENAME)
    result = generate.write(spec)
    assert result.changes is not None
    assert [(c.kind, c.path) for c in result.changes] == [
        ("property-removed", "AimbaseOData.Lead/Medium"),
        ("property-added", "AimbaseOData.Lead/Channel"),
    ]
    text = changes_md(spec)
    header, entries = text.split("\n## codegen ", 1)
    assert text.startswith(header) and first.startswith(header)
    assert entries.index("2 changes: 1 breaking, 1 compatible") < entries.index("First entry")
    assert "| `AimbaseOData.Lead/Medium` | `property-removed` | `Lead.medium`" in text
    assert text.endswith(first[len(header) :])  # the older entries, byte for byte
    edit(spec, RENAME[1], RENAME[0])  # and back: a third entry, the record only grows
    generate.write(spec)
    assert changes_md(spec).count("\n## codegen ") == 3


def test_the_record_is_the_same_bytes_for_the_same_inputs(spec: Spec, tmp_path: Path) -> None:
    edit(spec, *RENAME)
    generate.write(spec)
    other = tmp_path / "other"
    shutil.copytree(spec.target_dir.parent.parent, other, ignore=shutil.ignore_patterns("__pycache__"))
    twin = load_spec(other / "specs" / "aimbase" / "codegen.toml")
    assert changes_md(twin) == changes_md(spec)
    assert str(tmp_path) not in changes_md(spec)  # no machine path (and no date: the heading is version and hash)


def test_check_of_a_stale_package_prints_the_api_diff(spec: Spec) -> None:
    edit(spec, *RENAME)
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", str(spec.source), "--check"],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "the API changed since" in result.stderr
    assert "AimbaseOData.Lead/Medium: property-removed (Lead.medium, LeadItem.patch(medium=)" in result.stderr
    assert "codegen: 2 changes: 1 breaking, 1 compatible" in result.stderr


@pytest.mark.parametrize(
    "planted",
    [b"{not json", b'{"format": "odata-codegen-surface", "version": 99}', b"\xff\xfe", b"[]" * 100],
    ids=["not-json", "other-version", "not-utf8", "not-an-object"],
)
def test_a_surface_file_that_does_not_read_back_is_not_trusted(spec: Spec, planted: bytes) -> None:
    (spec.target_dir / SURFACE_FILE).write_bytes(planted)
    result = generate.write(spec)
    assert result.changes is None  # nothing to compare with: no invented diff
    top = changes_md(spec).split("\n## codegen ")[1]
    assert "the earlier API is unknown" in top
    assert generate.check(spec) == []  # and the next run trusts what this one wrote


def test_an_edited_header_keeps_the_whole_file(spec: Spec) -> None:
    path = spec.target_dir / CHANGES_FILE
    edited = "# Our API log\n\nKept by hand.\n" + path.read_text(encoding="utf-8")
    path.write_text(edited, encoding="utf-8")
    edit(spec, *RENAME)
    generate.write(spec)
    assert changes_md(spec).endswith("\n" + edited)


def test_a_changes_file_that_cannot_be_carried_over_stops_the_run(spec: Spec) -> None:
    path = spec.target_dir / CHANGES_FILE
    path.write_bytes(b"# API changes\n\xff\xfe")
    before = {p: p.read_bytes() for p in spec.target_dir.rglob("*") if p.is_file()}
    edit(spec, *RENAME)
    with pytest.raises(OutputError, match="not a UTF-8 regular file") as raised:
        generate.write(spec)
    assert raised.value.path == str(path)
    assert {p: p.read_bytes() for p in spec.target_dir.rglob("*") if p.is_file()} == before  # nothing written
