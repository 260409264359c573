"""Deviations real services publish: one warning each, with file and line; `--strict` makes them errors."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from codegen import generate
from codegen.csdl import parse_metadata
from codegen.csdl.model import MetadataWarning
from codegen.csdl.xsd_attributes import ALLOWED_ATTRIBUTES, NO_ATTRIBUTES
from codegen.errors import MAX_MESSAGE_LENGTH
from codegen.spec import load_spec, spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
CSDL = REPO / "tests" / "fixtures" / "csdl"
SPEC_FILES = REPO / "tests" / "fixtures" / "odata-spec"
XS = "{http://www.w3.org/2001/XMLSchema}"

_DOCUMENT = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0" xmlns:sap="urn:sap">
{references}  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Ns">
      <EntityType Name="A">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
{properties}      </EntityType>
{types}      <EntityContainer Name="C"><EntitySet Name="As" EntityType="Ns.A"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def write_document(
    directory: Path, *, properties: str = "", types: str = "", references: str = "", bom: bool = False
) -> Path:
    text = _DOCUMENT.format(properties=properties, types=types, references=references)
    path = directory / "metadata.xml"
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode())
    return path


def line_of(path: Path, needle: str) -> int:
    lines = path.read_text(encoding="utf-8-sig").splitlines()
    return next(number for number, line in enumerate(lines, start=1) if needle in line)


def warnings_of(path: Path) -> tuple[MetadataWarning, ...]:
    return parse_metadata(path).warnings


# -- each kind, from a minimal document ----------------------------------------------------------


def test_a_standard_document_has_no_warnings(tmp_path: Path) -> None:
    assert warnings_of(write_document(tmp_path)) == ()


def test_utf8_bom(tmp_path: Path) -> None:
    path = write_document(tmp_path, bom=True)
    assert warnings_of(path) == (MetadataWarning(str(path), 1, "document starts with a UTF-8 byte order mark (BOM)"),)


@pytest.mark.parametrize(
    ("properties", "types", "needle", "expected"),
    [
        (
            '<Property Name="P" Type="Edm.String" sap:label="P"/>\n',
            "",
            "sap:label",
            "<Property> has attribute 'sap:label' in foreign namespace 'urn:sap', which the CSDL schema does not "
            "allow; attributes of that namespace are ignored",
        ),
        (
            '<Property Name="P" Type="Edm.GeographyPoint" SRID="Variable"/>\n',
            "",
            "SRID",
            "<Property> SRID='Variable'; the CSDL schema spells it 'variable', read as that",
        ),
        (
            "",
            '<EnumType Name="Empty"/>\n',
            "Empty",
            "enum type 'Ns.Empty' has no members; the CSDL schema requires at least one",
        ),
        (
            '<Property Name="P " Type="Edm.String"/>\n',
            "",
            '"P "',
            "<Property> Name='P ' has surrounding spaces; read as 'P'",
        ),
        (
            '<Property Name="P" Type="Edm.String" ConcurrencyMode="Fixed"/>\n',
            "",
            "ConcurrencyMode",
            "<Property> has attribute 'ConcurrencyMode', which the CSDL schema does not allow; it is ignored",
        ),
        (
            '<Property Name="P" Type="Edm.String"><Annotation Term="Org.OData.Core.V1.Nonsense"/></Property>\n',
            "",
            "Nonsense",
            "annotation term 'Org.OData.Core.V1.Nonsense' is unknown: vocabulary 'Org.OData.Core.V1' does not "
            "define it; the annotation is ignored",
        ),
        (
            '<Property Name="P" Type="Edm.String"><Annotation Term="Vendor.V1.Label" String="x"/></Property>\n',
            "",
            "Vendor.V1.Label",
            "annotation term 'Vendor.V1.Label' is unknown: its namespace 'Vendor.V1' is neither in the document, "
            "referenced, nor bundled; annotations with its terms are ignored",
        ),
        (
            "",
            '<Annotations Target="Ns.A/Missing"><Annotation Term="Org.OData.Core.V1.Computed"/></Annotations>\n',
            "Ns.A/Missing",
            "annotations target 'Ns.A/Missing' is unknown (the document defines no such element); its annotations "
            "are ignored",
        ),
        (
            "",
            '<Annotations Target="Other.T"><Annotation Term="Org.OData.Core.V1.Computed"/></Annotations>\n',
            "Other.T",
            "annotations target 'Other.T' is unknown (namespace 'Other' is not in the document or its references); "
            "its annotations are ignored",
        ),
    ],
    ids=[
        "foreign-attribute",
        "srid-variable",
        "empty-enum",
        "trailing-space",
        "xsd-attribute",
        "unknown-term",
        "unknown-term-namespace",
        "unknown-target",
        "unknown-target-namespace",
    ],
)
def test_each_deviation_is_one_warning_with_its_line(
    tmp_path: Path, properties: str, types: str, needle: str, expected: str
) -> None:
    path = write_document(tmp_path, properties=properties, types=types)
    assert warnings_of(path) == (MetadataWarning(str(path), line_of(path, needle), expected),)


def test_trimmed_names_are_read_without_their_spaces(tmp_path: Path) -> None:
    path = write_document(tmp_path, properties='<Property Name=" P" Type=" Edm.String "/>\n')
    entity = next(t for t in parse_metadata(path).structured_types() if t.name == "A")
    assert [(p.name, p.type.name) for p in entity.properties] == [("Id", "Edm.Int32"), ("P", "Edm.String")]


def test_an_unresolved_reference_used_only_for_annotations_is_one_warning(tmp_path: Path) -> None:
    reference = (
        '  <edmx:Reference Uri="https://vendor.example/Vendor.xml">\n'
        '    <edmx:Include Namespace="Vendor.V1" Alias="Vendor"/>\n'
        "  </edmx:Reference>\n"
    )
    annotated = '<Property Name="P" Type="Edm.String"><Annotation Term="Vendor.Label" String="x"/></Property>\n'
    path = write_document(tmp_path, references=reference, properties=annotated + annotated.replace('"P"', '"Q"'))
    assert warnings_of(path) == (
        MetadataWarning(
            str(path),
            line_of(path, "edmx:Reference"),
            "edmx:Reference 'https://vendor.example/Vendor.xml' (namespace 'Vendor.V1') is not resolved: it is not "
            "a bundled vocabulary and the spec's [metadata] references names no file for it; skipped, with the "
            "annotations that use it",
        ),
    )


def test_a_repeated_deviation_is_one_warning_that_counts(tmp_path: Path) -> None:
    properties = "".join(f'<Property Name="P{n}" Type="Edm.String" sap:label="{n}"/>\n' for n in range(3))
    path = write_document(tmp_path, properties=properties)
    (warning,) = warnings_of(path)
    assert warning.line == line_of(path, 'Name="P0"')
    assert warning.message.endswith("attributes of that namespace are ignored (3 times, first here)")


def test_warnings_are_one_bounded_line(tmp_path: Path) -> None:
    path = write_document(tmp_path, properties=f'<Property Name="P" Type="Edm.String" X{"y" * 5000}="1"/>\n')
    (warning,) = warnings_of(path)
    text = str(warning)
    assert "\n" not in text and len(text) <= len(f"{path}:{warning.line}: ") + MAX_MESSAGE_LENGTH


def test_the_attribute_table_is_the_oasis_schemas() -> None:
    derived: dict[str, set[str]] = {}
    for name in ("edm.xsd", "edmx.xsd"):
        for element, attributes in _xsd_attributes(SPEC_FILES / name).items():
            derived.setdefault(element, set()).update(attributes)
    table = {name: set(attributes) for name, attributes in ALLOWED_ATTRIBUTES.items()}
    table |= {name: set() for name in NO_ATTRIBUTES}
    assert table == derived


def _xsd_attributes(path: Path) -> dict[str, set[str]]:
    """Element name -> the attributes its XSD type declares, through attribute groups and base types."""
    root = etree.parse(str(path)).getroot()
    types = {t.get("name"): t for t in root.iter(f"{XS}complexType") if t.get("name")}
    groups = {g.get("name"): g for g in root.iter(f"{XS}attributeGroup") if g.get("name")}

    def declared(node: etree._Element) -> set[str]:
        found: set[str] = set()
        for item in node.iter():
            reference = (item.get("ref") or item.get("base") or "").partition(":")[2]
            if item.tag == f"{XS}attribute" and item.get("name"):
                found.add(item.get("name", ""))
            elif item.tag == f"{XS}attributeGroup" and reference:
                found |= declared(groups[reference])
            elif item.tag in (f"{XS}extension", f"{XS}restriction") and reference in types:
                found |= declared(types[reference])
        return found

    result: dict[str, set[str]] = {}
    for element in root.iter(f"{XS}element"):
        name, type_name = element.get("name"), element.get("type", "")
        if not name:
            continue
        node = (
            types.get(type_name.partition(":")[2]) if type_name.startswith("edm") else element.find(f"{XS}complexType")
        )
        result.setdefault(name, set()).update(declared(node) if node is not None else set())
    return result


# -- the real documents --------------------------------------------------------------------------


def _kinds(warnings: tuple[MetadataWarning, ...]) -> list[str]:
    markers = {
        "byte order mark": "bom",
        "has no members": "empty-enum",
        "foreign namespace": "foreign-attribute",
        "does not allow": "xsd-attribute",
        "surrounding spaces": "spaces",
        "the CSDL schema spells it": "keyword-case",
        "annotation term": "unknown-term",
        "annotations target": "unknown-target",
        "edmx:Reference": "unresolved-reference",
    }
    return sorted(next(kind for marker, kind in markers.items() if marker in w.message) for w in warnings)


@pytest.mark.parametrize(
    ("filename", "kinds"),
    [
        ("trippin-sampleservice.xml", ["bom", "unknown-term"]),
        ("northwind-v4.xml", ["foreign-attribute", "unknown-term"]),
        (
            "odata-demo-v4-reference.xml",
            ["keyword-case", "spaces", "spaces", "unknown-term", "unknown-term", "xsd-attribute"],
        ),
        ("odatanet-DefaultServiceCsdl.xml", ["bom"]),
        (
            "msgraph-v1.0-cleanMetadata.xml",
            ["bom", "empty-enum", "empty-enum", "unknown-target", "unknown-target", "unknown-target"]
            + ["unknown-target", "unknown-target", "unknown-target", "unknown-term", "unknown-term"],
        ),
    ],
)
def test_real_documents_generate_with_their_warnings(tmp_path: Path, filename: str, kinds: list[str]) -> None:
    result = generate.generate(spec_from_arguments(CSDL / filename, "pkg", tmp_path, project=False))
    assert _kinds(result.document.warnings) == kinds
    assert all(w.path == str(CSDL / filename) and w.line for w in result.document.warnings)
    assert result.files


def test_aimbase_has_no_warnings() -> None:
    assert parse_metadata(REPO / "specs" / "aimbase" / "metadata.xml").warnings == ()


def test_strict_refuses_the_first_warning(tmp_path: Path) -> None:
    path = write_document(tmp_path, bom=True, types='<EnumType Name="Empty"/>\n')
    with pytest.raises(Exception) as raised:
        generate.generate(spec_from_arguments(path, "pkg", tmp_path / "out"), strict=True)
    assert str(raised.value) == (
        f"{path}:1: document starts with a UTF-8 byte order mark (BOM) (--strict: 2 warnings, each an error)"
    )


# -- the command line ----------------------------------------------------------------------------


def run(*args: object) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "codegen", "generate", *map(str, args)],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_cli_prints_warnings_and_a_summary(tmp_path: Path) -> None:
    path = write_document(tmp_path, bom=True, types='<EnumType Name="Empty"/>\n')
    result = run("--metadata", path, "--package", "pkg", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines() == [
        f"codegen: warning: {path}:1: document starts with a UTF-8 byte order mark (BOM)",
        f"codegen: warning: {path}:{line_of(path, 'Empty')}: enum type 'Ns.Empty' has no members; the CSDL schema "
        "requires at least one",
        "codegen: 2 warnings",
    ]
    assert (tmp_path / "out" / "pkg" / "pkg" / "__init__.py").is_file()


def test_cli_caps_the_warnings_it_prints(tmp_path: Path) -> None:
    types = "".join(f'<EnumType Name="Empty{n}"/>\n' for n in range(60))
    path = write_document(tmp_path, types=types)
    result = run("--metadata", path, "--package", "pkg", "--out", tmp_path / "out")
    assert result.returncode == 0, result.stderr
    lines = result.stderr.splitlines()
    assert len(lines) == 52
    assert all(line.startswith("codegen: warning: ") for line in lines[:50])
    assert lines[50:] == ["codegen: and 10 more warnings", "codegen: 60 warnings"]


def test_cli_strict_exits_2_and_writes_nothing(tmp_path: Path) -> None:
    path = write_document(tmp_path, types='<EnumType Name="Empty"/>\n')
    result = run("--metadata", path, "--package", "pkg", "--out", tmp_path / "out", "--strict")
    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        f"codegen: error: {path}:{line_of(path, 'Empty')}: enum type 'Ns.Empty' has no members; the CSDL schema "
        "requires at least one (--strict: 1 warning, each an error)"
    ]
    assert not (tmp_path / "out").exists()


def test_cli_check_prints_warnings_too(tmp_path: Path) -> None:
    write_document(tmp_path, bom=True)
    spec = tmp_path / "codegen.toml"
    spec.write_text(
        '[metadata]\nsource = "metadata.xml"\n[output]\ndirectory = "out"\npackage = "pkg"\n'
        '[service]\nname = "S"\npath = "/"\n'
    )
    generate.write(load_spec(spec))
    result = run(spec, "--check")
    assert result.returncode == 0, result.stderr
    assert result.stderr.splitlines()[-1] == "codegen: 1 warning"
    assert run(spec, "--check", "--strict").returncode == 2
