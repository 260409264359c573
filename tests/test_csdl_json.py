"""CSDL JSON as generator input.

The fixtures in tests/fixtures/csdl-json/ are the OASIS converter's output for the XML fixtures (see its
SOURCES.md): each must generate exactly the files its XML generates. Bad JSON goes through the real command
line and must give one line naming the file and where in it, exit code 2, no traceback.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.csdl import parse_metadata
from codegen.csdl.limits import MAX_ANNOTATION_ITEMS, MAX_DOCUMENT_BYTES, MAX_ELEMENT_DEPTH, MAX_ELEMENTS
from codegen.errors import MetadataError
from codegen.generate import generate
from codegen.output import MANIFEST
from codegen.spec import spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
XML_DIR = REPO / "tests" / "fixtures" / "csdl"
JSON_DIR = REPO / "tests" / "fixtures" / "csdl-json"

# Fixture -> how many collection-valued elements it has without Nullable (see SOURCES.md), counted so that
# the adjustment below cannot silently grow or vanish.
CONVERTED = {
    "trippin-sampleservice": 2,
    "northwind-v4": 0,
    "odata-demo-v4-reference": 0,
    "odatanet-DefaultServiceCsdl": 15,
    "msgraph-v1.0-cleanMetadata": 1091,
}
_COLLECTION = re.compile(r'<(Property|Parameter|ReturnType)\b([^>]*?\bType="Collection\([^"]*\)"[^>]*?)(/?>)')
# The converter drops these four overloads: their name is also a complex type's (CSDL JSON keys by name).
_GRAPH_IMAGE_FUNCTIONS = re.compile(r'<Function Name="image" [^>]*>.*?</Function>\s*', re.DOTALL)


def xml_as_converted(name: str) -> str:
    """The XML fixture saying explicitly what its JSON conversion says: non-nullable items, no `image` functions."""
    text = (XML_DIR / f"{name}.xml").read_text(encoding="utf-8-sig")
    without_nullable = [m for m in _COLLECTION.finditer(text) if "Nullable=" not in m.group(2)]
    assert len(without_nullable) == CONVERTED[name]
    text = _COLLECTION.sub(lambda m: m[0] if "Nullable=" in m[2] else f'<{m[1]}{m[2]} Nullable="false"{m[3]}', text)
    if name.startswith("msgraph"):
        text, removed = _GRAPH_IMAGE_FUNCTIONS.subn("", text)
        assert removed == 4
    return text


def generated_files(text: str, directory: Path) -> dict[str, str]:
    """Generate from `text` saved as `directory/metadata`: the same name for XML and JSON, as docstrings name it."""
    directory.mkdir()
    document = directory / "metadata"
    document.write_text(text, encoding="utf-8")
    files = generate(spec_from_arguments(document, "pkg", directory / "out", project=False)).files
    manifest = json.loads(files[MANIFEST])
    assert manifest["source"]["name"] == "metadata"
    del manifest["source"]["sha256"]  # the hash of the document's bytes, which differ
    del manifest["cache"]  # the fingerprint of those bytes
    del manifest["files"]["CHANGES.md"]  # whose entry is headed by that hash
    changes = re.sub(r"sha256 [0-9a-f]{12}", "sha256 <hash>", files["CHANGES.md"])
    return {**files, MANIFEST: json.dumps(manifest), "CHANGES.md": changes}


@pytest.mark.parametrize("name", CONVERTED)
def test_json_conversion_generates_the_same_files_as_xml(tmp_path: Path, name: str) -> None:
    from_xml = generated_files(xml_as_converted(name), tmp_path / "xml")
    from_json = generated_files((JSON_DIR / f"{name}.json").read_text(encoding="utf-8"), tmp_path / "json")
    assert sorted(from_json) == sorted(from_xml)
    assert [path for path in sorted(from_xml) if from_xml[path] != from_json[path]] == []


def test_collection_items_without_nullable_are_not_nullable(tmp_path: Path) -> None:
    """CSDL JSON's default, unlike XML 4.0's: the reason for the adjustment in xml_as_converted."""
    document = write_json(
        tmp_path, with_members(Tags={"$Collection": True}, Notes={"$Collection": True, "$Nullable": True})
    )
    entity = parse_metadata(document).schemas[0].entity_types[0]
    assert {p.name: p.nullable for p in entity.properties} == {"Id": False, "Tags": False, "Notes": True}


# -- hand-made documents --------------------------------------------------------------------------------


def base_document() -> dict[str, Any]:
    return {
        "$Version": "4.01",
        "$EntityContainer": "Ns.Container",
        "Ns": {
            "A": {"$Kind": "EntityType", "$Key": ["Id"], "Id": {"$Type": "Edm.Int32"}},
            "Container": {"$Kind": "EntityContainer", "As": {"$Collection": True, "$Type": "Ns.A"}},
        },
    }


def with_members(**members: Any) -> dict[str, Any]:
    document = base_document()
    document["Ns"]["A"].update(members)
    return document


def write_json(tmp_path: Path, document: dict[str, Any], name: str = "service.json") -> Path:
    path = tmp_path / name
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    return path


def test_references_aliases_and_annotations(tmp_path: Path) -> None:
    document = base_document()
    document["$Reference"] = {
        "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json": {
            "$Include": [{"$Namespace": "Org.OData.Core.V1", "$Alias": "Core"}]
        }
    }
    schema = document["Ns"]
    schema["$Alias"] = "Self"
    schema["A"]["@Core.Description"] = "An A."
    schema["A"]["@Core.LongDescription#Qualified"] = "ignored: qualified annotations are not read"
    schema["A"]["Name"] = {"$Nullable": True, "@Org.OData.Core.V1.Computed": True}
    schema["A"]["$Key"] = [{"Key": "Id"}]
    schema["$Annotations"] = {
        "Self.A/Id": {"@Core.Description": "The key."},
        "Self.Container/As": {"@Org.OData.Capabilities.V1.UpdateRestrictions": {"Updatable": False}},
    }
    parsed = parse_metadata(write_json(tmp_path, document))
    entity = parsed.schemas[0].entity_types[0]
    assert parsed.referenced_namespaces == {"Org.OData.Core.V1"}
    assert (entity.doc.description, entity.doc.long_description) == ("An A.", None)
    assert entity.key == ("Id",) and entity.key_aliases == (("Id", "Key"),)
    assert [(p.name, p.doc.description, p.doc.computed) for p in entity.properties] == [
        ("Id", "The key.", False),
        ("Name", None, True),
    ]
    assert parsed.containers()[0].entity_sets[0].updatable is False


@pytest.mark.parametrize("prefix", ["", "\ufeff", "\ufeff \n\t ", " " * 70_000])
def test_json_is_told_by_content_not_by_name(tmp_path: Path, prefix: str) -> None:
    named_xml = tmp_path / "service.xml"
    named_xml.write_text(prefix + json.dumps(base_document()), encoding="utf-8")
    assert parse_metadata(named_xml).schemas[0].namespace == "Ns"


def test_xml_named_json_is_read_as_xml(tmp_path: Path) -> None:
    named_json = tmp_path / "service.json"
    shutil.copyfile(XML_DIR / "odata-demo-v4-reference.xml", named_json)
    assert parse_metadata(named_json).schemas[0].namespace == "ODataDemo"


# -- bad documents through the command line ---------------------------------------------------------------


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "generate", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def assert_one_error(document: Path, tmp_path: Path, expected: str) -> None:
    out = tmp_path / "out"
    result = run("--metadata", document, "--package", "p", "--out", out)
    assert "Traceback" not in result.stderr
    assert result.stderr.splitlines() == [f"codegen: error: {document}{expected}"], result.stderr
    assert result.returncode == 2
    assert result.stdout == ""
    assert not out.exists()


def _deep(levels: int) -> str:
    return json.dumps(with_members(**{"@Ns.Deep": "X"})).replace('"X"', "[" * levels + "]" * levels)


# id -> (document text, what follows the file name on the error line)
TEXT_CASES: dict[str, tuple[str, str]] = {
    "truncated": (
        '{\n  "$Version": "4.01",\n  "Ns": {\n',
        ":4: malformed JSON: Expecting property name enclosed in double quotes (column 1)",
    ),
    "trailing-comma": (
        '{"$Version": "4.01", "Ns": {},}',
        ":1: malformed JSON: Expecting property name enclosed in double quotes (column 31)",
    ),
    "too-deep": (
        _deep(MAX_ELEMENT_DEPTH),
        f":1: JSON is nested deeper than the limit of {MAX_ELEMENT_DEPTH} levels (MAX_ELEMENT_DEPTH)",
    ),
    "recursion-bomb": (
        "{" + '"a":[' * 200_000,
        f":1: JSON is nested deeper than the limit of {MAX_ELEMENT_DEPTH} levels (MAX_ELEMENT_DEPTH)",
    ),
    "duplicate-member": (
        '{"$Version": "4.01", "Ns": {"A": {"$Kind": "ComplexType"}, "A": {"$Kind": "EntityType"}}}',
        ": JSON object has the member 'A' twice",
    ),
    "nan": ('{"$Version": "4.01", "Ns": {"E": {"$Kind": "EnumType", "M": NaN}}}', ": NaN is not a JSON value"),
    "huge-number": (
        '{"$Version": "4.01", "Ns": {"E": {"$Kind": "EnumType", "M": ' + "9" * 5000 + "}}}",
        ": JSON number '" + "9" * 60 + "'... has more than 20 digits",
    ),
    "lone-surrogate": (
        '{"$Version": "4.01",\n"Ns": {"@Ns.Text": "\\ud800"}}',
        ":2: JSON holds a lone UTF-16 surrogate escape, which is not a character",
    ),
}

# id -> (document, what follows the file name)
DOCUMENT_CASES: dict[str, tuple[dict[str, Any], str]] = {
    "no-version": ({"Ns": {}}, ": unsupported CSDL JSON $Version null; expected 4.0 or 4.01"),
    "version-3": ({"$Version": "3.0", "Ns": {}}, ": unsupported CSDL JSON $Version '3.0'; expected 4.0 or 4.01"),
    "no-schema": ({"$Version": "4.01"}, ": CSDL JSON document declares no schema"),
    "schema-is-a-string": ({"$Version": "4.01", "Ns": "x"}, ":$.Ns: expected a schema, found a string"),
    "element-is-a-string": (
        {"$Version": "4.01", "Ns": {"A": "x"}},
        ":$.Ns.A: expected an object or an array, found a string",
    ),
    "property-is-an-array": (with_members(X=[]), ":$.Ns.A.X: expected a property object, found an array"),
    "nullable-is-a-string": (
        with_members(X={"$Nullable": "false"}),
        ":$.Ns.A.X.$Nullable: expected true or false, found a string",
    ),
    "type-is-a-number": (with_members(X={"$Type": 5}), ":$.Ns.A.X.$Type: expected a string, found a number"),
    "key-is-an-object": (
        with_members(**{"$Key": {"Id": "Id"}}),
        ":$.Ns.A.$Key: expected an array of key properties, found an object",
    ),
    "no-kind": ({"$Version": "4.01", "Ns": {"A": {}}}, ":$.Ns.A: has no $Kind"),
    "unknown-kind": (
        {"$Version": "4.01", "Ns": {"A": {"$Kind": "Widget"}}},
        ":$.Ns.A: unknown $Kind 'Widget'; expected one of EntityType, ComplexType, EnumType, TypeDefinition, "
        "EntityContainer, Term",
    ),
    "unknown-member-kind": (
        with_members(X={"$Kind": "Annotation"}),
        ":$.Ns.A.X: unknown $Kind 'Annotation'; expected Property or NavigationProperty",
    ),
    "unknown-operation-kind": (
        {"$Version": "4.01", "Ns": {"Op": [{"$Kind": "EntityType"}]}},
        ":$.Ns.Op[0]: unknown $Kind 'EntityType' in an operation array; expected Action or Function",
    ),
    "navigation-without-type": (
        with_members(N={"$Kind": "NavigationProperty"}),
        ":$.Ns.A.N: has no $Type",
    ),
    "bad-property-name": (
        with_members(**{"A B": {}}),
        ":$.Ns.A['A B']: property name in A 'A B' is not a valid CSDL property name",
    ),
    "quote-in-type-name": (
        {"$Version": "4.01", "Ns": {'A"""': {"$Kind": "ComplexType"}}},
        ':$.Ns[\'A"""\']: complex type name \'A"""\' is not a valid CSDL SimpleIdentifier',
    ),
    "bad-namespace": (
        {"$Version": "4.01", "N s": {}},
        ":3: schema namespace 'N s' is not a valid CSDL Namespace",
    ),
    "reserved-namespace": (
        {"$Version": "4.01", "Edm": {}},
        ":$.Edm: namespace 'Edm' is reserved by OData and cannot be declared",
    ),
    "unknown-type": (
        with_members(X={"$Type": "Ns.Missing"}),
        ":$.Ns.A.X: property A.X refers to unknown type 'Ns.Missing'",
    ),
    "negative-max-length": (
        with_members(X={"$MaxLength": -1}),
        ":$.Ns.A.X.$MaxLength: $MaxLength is -1; expected a whole number from 0 to 2147483647 or 'max'",
    ),
    "fractional-precision": (
        with_members(X={"$Type": "Edm.Decimal", "$Precision": 1.5}),
        ":$.Ns.A.X.$Precision: $Precision is '1.5'; expected a whole number from 0 to 2147483647",
    ),
    "enum-value-out-of-range": (
        {"$Version": "4.01", "Ns": {"E": {"$Kind": "EnumType", "$UnderlyingType": "Edm.Byte", "M": 256}}},
        ":$.Ns.E.M: enum member 'M' has the value 256; expected a whole number from 0 to 255 (Edm.Byte)",
    ),
    "enum-value-is-a-string": (
        {"$Version": "4.01", "Ns": {"E": {"$Kind": "EnumType", "M": "1"}}},
        ":$.Ns.E.M: enum member 'M' has a string; expected a whole number from -2147483648 to "
        "2147483647 (Edm.Int32)",
    ),
    "singleton-collection-false": (
        {"$Version": "4.01", "Ns": {"C": {"$Kind": "EntityContainer", "S": {"$Collection": False, "$Type": "Ns.A"}}}},
        ":$.Ns.C.S.$Collection: expected true, which only entity sets have",
    ),
    "container-child-unknown": (
        {"$Version": "4.01", "Ns": {"C": {"$Kind": "EntityContainer", "S": {}}}},
        ":$.Ns.C.S: is neither an entity set, a singleton, an action import nor a function import",
    ),
    "alias-of-another-namespace": (
        {"$Version": "4.01", "Ns": {"$Alias": "Other"}, "Other": {}},
        ":$.Ns: alias 'Other' of namespace 'Ns' is the name of another namespace",
    ),
    "annotation-collection-too-long": (
        with_members(**{"@Ns.Many": list(range(MAX_ANNOTATION_ITEMS + 1))}),
        f":$.Ns.A['@Ns.Many']: an annotation collection has more than the limit of {MAX_ANNOTATION_ITEMS} items "
        "(MAX_ANNOTATION_ITEMS)",
    ),
}


@pytest.mark.parametrize("case", TEXT_CASES)
def test_bad_json_text(tmp_path: Path, case: str) -> None:
    text, expected = TEXT_CASES[case]
    document = tmp_path / "service.json"
    document.write_text(text, encoding="utf-8")
    assert_one_error(document, tmp_path, expected)


@pytest.mark.parametrize("case", DOCUMENT_CASES)
def test_bad_csdl_json(tmp_path: Path, case: str) -> None:
    body, expected = DOCUMENT_CASES[case]
    assert_one_error(write_json(tmp_path, body), tmp_path, expected)


def test_not_utf8(tmp_path: Path) -> None:
    document = tmp_path / "service.json"
    document.write_bytes(b'{"$Version": "4.01",\n"Ns": {"\xff": {}}}')
    assert_one_error(document, tmp_path, ":2: JSON is not valid UTF-8 (byte 29)")


def test_too_large(tmp_path: Path) -> None:
    document = tmp_path / "service.json"
    document.write_bytes(b"{" + b" " * MAX_DOCUMENT_BYTES + b"}")
    assert_one_error(
        document, tmp_path, f": document is larger than the limit of {MAX_DOCUMENT_BYTES} bytes (MAX_DOCUMENT_BYTES)"
    )


def test_too_many_values(tmp_path: Path) -> None:
    """Counted before parsing: 400,001 tiny enum members would be refused before json builds them."""
    members = ",".join(f'"M{i}":{i}' for i in range(MAX_ELEMENTS))
    document = tmp_path / "service.json"
    document.write_text('{"$Version": "4.01", "Ns": {"E": {"$Kind": "EnumType",' + members + "}}}", encoding="utf-8")
    assert_one_error(
        document, tmp_path, f": document has more than the limit of {MAX_ELEMENTS} JSON values (MAX_ELEMENTS)"
    )


def _member_paths(node: Any, at: tuple[str | int, ...] = ()) -> list[tuple[str | int, ...]]:
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else []
    return [path for key, value in items for path in [(*at, key), *_member_paths(value, (*at, key))]]


def test_any_member_of_the_wrong_kind_is_an_error_not_a_crash(tmp_path: Path) -> None:
    """Every member of a real document, in turn, replaced by each kind of JSON value: parsed or refused."""
    original = json.loads((JSON_DIR / "odata-demo-v4-reference.json").read_text(encoding="utf-8"))
    document = tmp_path / "service.json"
    refused = 0
    for path in _member_paths(original):
        for wrong in ("x", -1, [], {}, None, True):
            changed = json.loads(json.dumps(original))
            parent = changed
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = wrong
            document.write_text(json.dumps(changed), encoding="utf-8")
            try:
                parse_metadata(document)
            except MetadataError as exc:
                assert "\n" not in str(exc)
                refused += 1
    assert refused > 1000  # most changes break the document; the rest are values it may hold
