"""Surfaces as JSON: a faithful, deterministic roundtrip, and hostile stored surfaces refused with one clear error."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pytest

from codegen.diff import Surface, SurfaceFormatError, compare, load_surface, render, surface_from_json, surface_to_json
from codegen.diff import codec
from codegen.errors import CodegenError
from test_diff_kinds import BASE_TEXT

ROOT = Path(__file__).resolve().parent.parent
SOURCES = [
    ROOT / "specs" / "aimbase" / "codegen.toml",
    ROOT / "specs" / "trippin" / "codegen.toml",
]


@pytest.fixture(scope="module")
def trippin() -> Surface:
    return load_surface(SOURCES[1])


@pytest.mark.parametrize("source", SOURCES, ids=lambda p: p.parent.name)
def test_roundtrip(source: Path) -> None:
    surface = load_surface(source)
    text = surface_to_json(surface)
    assert surface_from_json(text) == surface
    assert surface_from_json(text.encode("utf-8")) == surface
    assert surface_to_json(surface_from_json(text)) == text  # byte-identical: safe to commit and compare
    # The layout of the standard library's encoder, which msgspec writes faster: diffs of committed files stay alike.
    envelope = {"format": codec.SURFACE_FORMAT, "version": codec.SURFACE_VERSION, "surface": attrs.asdict(surface)}
    assert text == json.dumps(envelope, sort_keys=True, indent=1, ensure_ascii=False) + "\n"


def test_roundtrip_of_every_kind_of_element(tmp_path: Path) -> None:
    """The crafted document has one of everything: sets, a singleton, imports, enums, overloads, type definitions."""
    path = tmp_path / "base.xml"
    path.write_text(BASE_TEXT, encoding="utf-8")
    surface = load_surface(path)
    assert all([surface.singletons, surface.imports, surface.enums, surface.type_definitions, surface.operations])
    assert surface_from_json(surface_to_json(surface)) == surface


def test_stored_surface_diffs_like_the_document(trippin: Surface) -> None:
    """A later run can diff against a stored surface instead of the old document."""
    stored = surface_from_json(surface_to_json(trippin))
    changed = attrs.evolve(trippin, entity_sets=trippin.entity_sets[1:])
    assert compare(stored, changed) == compare(trippin, changed)
    assert [c.kind for c in compare(stored, changed)] == ["entity-set-removed"]


def envelope(trippin: Surface) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(surface_to_json(trippin))
    return data


def mutated(trippin: Surface, change: Any) -> str:
    data = envelope(trippin)
    change(data)
    return json.dumps(data)


def set_in(path: list[Any], value: Any) -> Any:
    def change(data: Any) -> None:
        for step in path[:-1]:
            data = data[step]
        data[path[-1]] = value

    return change


def delete(path: list[Any]) -> Any:
    def change(data: Any) -> None:
        for step in path[:-1]:
            data = data[step]
        del data[path[-1]]

    return change


HOSTILE = [
    ("wrong format", set_in(["format"], "odata-codegen-diff"), 'not a surface file: "format"'),
    ("future version", set_in(["version"], 2), '"version" is not 1'),
    ("bool version", set_in(["version"], True), '"version" is not 1'),
    ("extra envelope key", set_in(["extra"], 1), "unexpected keys ['extra']"),
    ("surface not object", set_in(["surface"], []), "surface: expected an object"),
    ("missing field", delete(["surface", "client"]), "surface: missing keys ['client']"),
    (
        "extra field",
        set_in(["surface", "types", 0, "color"], "red"),
        "surface.types[0]: missing keys [], unexpected keys ['color']",
    ),
    (
        "bool for int",
        set_in(["surface", "enums", 0, "members", 0, "value"], False),
        "surface.enums[0].members[0].value: expected int",
    ),
    ("int for bool", set_in(["surface", "types", 0, "abstract"], 0), "surface.types[0].abstract: expected bool"),
    ("string for list", set_in(["surface", "types", 0, "key"], "Id"), "surface.types[0].key: expected an array"),
    ("number in names", set_in(["surface", "types", 0, "key"], [1]), "surface.types[0].key[0]: expected str"),
    (
        "short pair",
        set_in(["surface", "types", 0, "item_patch"], [["a"]]),
        "surface.types[0].item_patch[0]: expected 2 items",
    ),
    ("null for str", set_in(["surface", "client"], None), "surface.client: expected str"),
    (
        "float for optional int",
        set_in(["surface", "types", 0, "properties", 0, "max_length"], 1.5),
        "max_length: expected int",
    ),
    (
        "type twice",
        lambda data: data["surface"]["types"].append(data["surface"]["types"][0]),
        "types: not sorted by name, or a name twice",
    ),
    (
        "members unsorted",
        lambda data: data["surface"]["enums"][0]["members"].reverse(),
        "members: not sorted by name, or a name twice",
    ),
]


@pytest.mark.parametrize("change, message", [h[1:] for h in HOSTILE], ids=[h[0] for h in HOSTILE])
def test_hostile_fields(trippin: Surface, change: Any, message: str) -> None:
    with pytest.raises(SurfaceFormatError) as raised:
        surface_from_json(mutated(trippin, change), source="stored.json")
    assert str(raised.value).startswith("stored.json: ") and message in str(raised.value)
    assert isinstance(raised.value, CodegenError) and raised.value.exit_code == 2


@pytest.mark.parametrize(
    "text, message",
    [
        ("", "not JSON"),
        ("{\n  nope", "stored.json:2: not JSON"),
        ("[]", "not a surface file"),
        ('{"format": "odata-codegen-surface", "format": "x"}', "not JSON: duplicate key"),
        (b"\xff\xfe{", "not JSON"),
        ("[" * 100_000 + "]" * 100_000, "not JSON"),  # json's own recursion limit
        ('{"a":' * 20 + "1" + "}" * 20, "nested deeper than 16 levels"),
    ],
    ids=["empty", "broken", "array", "duplicate key", "not utf-8", "deep arrays", "deep objects"],
)
def test_hostile_text(text: str | bytes, message: str) -> None:
    with pytest.raises(SurfaceFormatError, match="^" + "stored.json"):
        surface_from_json(text, source="stored.json")
    with pytest.raises(SurfaceFormatError) as raised:
        surface_from_json(text, source="stored.json")
    assert message in str(raised.value)


def test_too_large_is_refused_before_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(codec, "MAX_SURFACE_BYTES", 100)
    with pytest.raises(SurfaceFormatError, match="larger than the limit of 100 bytes"):
        surface_from_json(" " * 101)


def test_base_type_cycle_in_a_stored_surface_is_refused(trippin: Surface) -> None:
    """Documents cannot have inheritance cycles (validate.py); a stored surface with one does not read back."""
    types = tuple(attrs.evolve(t, base_type=t.qualified_name) for t in trippin.types)
    with pytest.raises(SurfaceFormatError, match="base types in a cycle or deeper than a document allows"):
        surface_from_json(surface_to_json(attrs.evolve(trippin, types=types)))
    compare(trippin, attrs.evolve(trippin, types=types))  # built in memory, the walk still ends


def test_a_stored_surface_deeper_than_a_document_is_refused(trippin: Surface) -> None:
    """The comparison indexes sets by their type's lineage: a 3,000-deep chain (found by review) would cost
    sets x depth memory; no document may be deeper than MAX_INHERITANCE_DEPTH."""
    first = trippin.types[0]
    chain = tuple(
        attrs.evolve(first, qualified_name=f"Deep.T{i:05d}", base_type=f"Deep.T{i + 1:05d}" if i < 39 else None)
        for i in range(40)
    )
    deep = attrs.evolve(trippin, types=tuple(sorted((*trippin.types, *chain), key=lambda t: t.qualified_name)))
    with pytest.raises(SurfaceFormatError, match="deeper than a document allows"):
        surface_from_json(surface_to_json(deep))
    shallow = attrs.evolve(deep, types=tuple(t for t in deep.types if not t.qualified_name.startswith("Deep.T000")))
    assert surface_from_json(surface_to_json(shallow)) == shallow  # 30 deep: within the limit


def test_report_escapes_values_from_a_stored_surface(trippin: Surface) -> None:
    """Allowed values are any string: no control character reaches the terminal, no `|` splits a table."""
    t = trippin.types[0]
    p = attrs.evolve(t.properties[0], allowed_values=("\x1b[31mred|`x`\n",))
    hostile = attrs.evolve(trippin, types=(attrs.evolve(t, properties=(p, *t.properties[1:])), *trippin.types[1:]))
    changes = compare(trippin, hostile)
    text, markdown = render(changes, "text"), render(changes, "markdown")
    assert "\x1b" not in text and "\x1b" not in markdown and "?[31mred" in text
    row = next(line for line in markdown.splitlines() if "allowed-values-restricted" in line)
    assert row.count(" | ") == 5 and "\\|" in row and "`x`" not in row
