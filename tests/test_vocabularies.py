"""Referenced vocabularies: the bundled OASIS ones resolve offline, others through the spec, nothing else."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from codegen import generate
from codegen.csdl import parse_metadata
from codegen.csdl.limits import MAX_DOCUMENT_BYTES
from codegen.csdl.references import VOCABULARY_DIR, bundled_vocabularies
from codegen.errors import MetadataError, SpecError
from codegen.spec import load_spec, spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
SPEC_FILES = REPO / "tests" / "fixtures" / "odata-spec"
OASIS = "https://oasis-tcs.github.io/odata-vocabularies/vocabularies"

_DOCUMENT = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
{references}  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="{namespace}">
{types}      <EntityType Name="Item">
        <Key><PropertyRef Name="ID"/></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false"/>
{properties}      </EntityType>
      <EntityContainer Name="C"><EntitySet Name="Items" EntityType="{namespace}.Item"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def reference(uri: str, namespace: str, alias: str = "") -> str:
    alias_attribute = f' Alias="{alias}"' if alias else ""
    return (
        f'  <edmx:Reference Uri="{uri}">\n    <edmx:Include Namespace="{namespace}"{alias_attribute}/>\n'
        "  </edmx:Reference>\n"
    )


def write(path: Path, *, references: str = "", properties: str = "", types: str = "", namespace: str = "NS") -> Path:
    path.write_text(_DOCUMENT.format(references=references, properties=properties, types=types, namespace=namespace))
    return path


def line_of(path: Path, needle: str) -> int:
    return next(n for n, line in enumerate(path.read_text().splitlines(), start=1) if needle in line)


CORE = reference(
    "http://docs.oasis-open.org/odata/odata/v4.0/os/vocabularies/Org.OData.Core.V1.xml", "Org.OData.Core.V1", "Core"
)
CORE_TYPED = (
    '<Property Name="Access" Type="Core.Permission"/>\n'
    '<Property Name="Own" Type="NS.Permission"/>\n'
    '<Property Name="Flag" Type="Core.Tag"/>\n'
    '<Property Name="Links" Type="Collection(Core.Link)"/>\n'
)


# -- the bundled files ---------------------------------------------------------------------------


def test_bundled_vocabularies_are_the_oasis_files_unchanged() -> None:
    bundled = bundled_vocabularies()
    assert sorted(bundled) == ["Org.OData.Capabilities.V1", "Org.OData.Core.V1", "Org.OData.Validation.V1"]
    sources = (VOCABULARY_DIR / "SOURCES.md").read_text()
    for namespace, path in bundled.items():
        assert path.read_bytes() == (SPEC_FILES / path.name).read_bytes()
        assert f"`{path.name}`" in sources


# Capabilities alone is not a complete document until Authorization is bundled (see the test below).
@pytest.mark.parametrize("namespace", ["Org.OData.Core.V1", "Org.OData.Validation.V1"])
def test_each_bundled_vocabulary_reads_without_warnings(namespace: str) -> None:
    document = parse_metadata(bundled_vocabularies()[namespace])
    assert document.warnings == ()
    assert [s.namespace for s in document.schemas][0] == namespace


# -- types from vocabularies ---------------------------------------------------------------------


def test_a_core_typed_property_generates_and_imports(tmp_path: Path) -> None:
    types = '<EnumType Name="Permission"><Member Name="X"/></EnumType>\n'
    metadata = write(tmp_path / "m.xml", references=CORE, properties=CORE_TYPED, types=types)
    generate.write(spec_from_arguments(metadata, "vocab", tmp_path / "out", project=False))
    check = (
        "from vocab import Item, structure, unstructure\n"
        "wire = {'ID': 1, 'Access': 'Read,Write', 'Own': 'X', 'Flag': True, 'Links': [{'rel': 'a', 'href': 'b'}]}\n"
        "item = structure(wire, Item)\n"
        "print(type(item.access).__name__, type(item.own).__name__, type(item.links[0]).__name__, item.flag)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", check], cwd=tmp_path / "out", capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    # The document's own Permission keeps the plain name; Core's gets a distinct one, in its own module.
    assert result.stdout.split() == ["V1Permission", "Permission", "Link", "True"]


def test_a_vocabulary_is_found_by_namespace_whatever_its_uri(tmp_path: Path) -> None:
    anywhere = reference("https://mirror.example/any/path/core.xml", "Org.OData.Core.V1", "Core")
    metadata = write(tmp_path / "m.xml", references=anywhere, properties='<Property Name="T" Type="Core.Tag"/>\n')
    document = parse_metadata(metadata)
    assert document.warnings == ()
    assert [t.qualified_name for t in document.type_definitions()] == ["Org.OData.Core.V1.Tag"]


def test_only_the_vocabulary_types_in_use_are_generated(tmp_path: Path) -> None:
    references = CORE + reference(f"{OASIS}/Org.OData.Capabilities.V1.xml", "Org.OData.Capabilities.V1")
    metadata = write(tmp_path / "m.xml", references=references, properties='<Property Name="L" Type="Core.Link"/>\n')
    names = sorted(t.qualified_name for t in parse_metadata(metadata).structured_types())
    assert names == ["NS.Item", "Org.OData.Core.V1.Link"]


def test_every_bundled_type_resolves_and_generates(tmp_path: Path) -> None:
    """Each type of Core and Validation as a property: their own references (each other) resolve too."""
    from lxml import etree

    properties = ""
    for namespace in ("Org.OData.Core.V1", "Org.OData.Validation.V1"):
        root = etree.parse(str(bundled_vocabularies()[namespace])).getroot()
        for element in root.iter("{*}ComplexType", "{*}EnumType", "{*}TypeDefinition"):
            name = element.get("Name")
            properties += f'<Property Name="{namespace.split(".")[2]}{name}" Type="{namespace}.{name}"/>\n'
    references = CORE + reference(f"{OASIS}/Org.OData.Validation.V1.xml", "Org.OData.Validation.V1")
    metadata = write(tmp_path / "m.xml", references=references, properties=properties)
    result = generate.generate(spec_from_arguments(metadata, "vocab", tmp_path / "out"))
    assert len(result.plan.classes) + len(result.plan.enums) > 20


# -- references that do not resolve --------------------------------------------------------------


def test_a_type_from_an_unresolved_reference_is_an_error_naming_it(tmp_path: Path) -> None:
    vendor = reference("https://vendor.example/Vendor.xml", "Vendor.V1", "Vendor")
    metadata = write(tmp_path / "m.xml", references=vendor, properties='<Property Name="V" Type="Vendor.Thing"/>\n')
    with pytest.raises(MetadataError) as raised:
        parse_metadata(metadata)
    assert str(raised.value) == (
        f"{metadata}:{line_of(metadata, 'Vendor.Thing')}: property Item.V refers to unknown type 'Vendor.V1.Thing' "
        "(namespace 'Vendor.V1' comes from edmx:Reference 'https://vendor.example/Vendor.xml', which is not "
        "resolved: name a local copy in the spec's [metadata] references)"
    )


def test_a_bundled_vocabulary_missing_its_own_reference_names_that_reference(tmp_path: Path) -> None:
    """Capabilities' PermissionType uses Authorization, which is not bundled: the error says so."""
    capabilities = reference(f"{OASIS}/Org.OData.Capabilities.V1.xml", "Org.OData.Capabilities.V1", "Capabilities")
    metadata = write(
        tmp_path / "m.xml",
        references=capabilities,
        properties='<Property Name="P" Type="Capabilities.PermissionType"/>\n',
    )
    with pytest.raises(MetadataError, match=r"Org\.OData\.Authorization\.V1\.SchemeName.*edmx:Reference"):
        parse_metadata(metadata)


def test_a_relative_uri_is_never_opened(tmp_path: Path) -> None:
    """`../vendor.xml` next to the document defines the namespace, but a Uri is not a path: still unresolved."""
    (tmp_path / "sub").mkdir()
    write(tmp_path / "vendor.xml", namespace="Vendor.V1", types='<ComplexType Name="Thing"/>\n')
    climbing = reference("../vendor.xml", "Vendor.V1", "Vendor")
    metadata = write(
        tmp_path / "sub" / "m.xml", references=climbing, properties='<Property Name="V" Type="Vendor.Thing"/>\n'
    )
    with pytest.raises(MetadataError, match=r"comes from edmx:Reference '\.\./vendor\.xml', which is not resolved"):
        parse_metadata(metadata)


# -- references the spec resolves ----------------------------------------------------------------


def _spec(directory: Path, references: str) -> Path:
    spec = directory / "codegen.toml"
    spec.write_text(
        f'[metadata]\nsource = "m.xml"\nreferences = {{ {references} }}\n'
        '[output]\ndirectory = "out"\npackage = "pkg"\n[service]\nname = "S"\npath = "/"\n'
    )
    return spec


def test_a_reference_resolved_through_a_spec_named_file(tmp_path: Path) -> None:
    write(
        tmp_path / "vendor.xml",
        namespace="Vendor.V1",
        types='<ComplexType Name="Thing"><Property Name="N" Type="Edm.String"/></ComplexType>\n',
    )
    vendor = reference("https://vendor.example/Vendor.xml", "Vendor.V1", "Vendor")
    write(tmp_path / "m.xml", references=vendor, properties='<Property Name="V" Type="Vendor.Thing"/>\n')
    spec = load_spec(_spec(tmp_path, '"https://vendor.example/Vendor.xml" = "vendor.xml"'))
    assert spec.references == {"https://vendor.example/Vendor.xml": (tmp_path / "vendor.xml").resolve()}
    result = generate.generate(spec)
    assert {c.qualified_name for c in result.plan.classes} == {"NS.Item", "Vendor.V1.Thing"}
    assert result.document.warnings == ()


def test_a_spec_named_file_wins_over_a_bundled_vocabulary(tmp_path: Path) -> None:
    """A newer (or patched) Core is used when the spec names one for the reference's Uri."""
    write(
        tmp_path / "core.xml",
        namespace="Org.OData.Core.V1",
        types='<TypeDefinition Name="Newer" UnderlyingType="Edm.String"/>\n',
    )
    uri = f"{OASIS}/Org.OData.Core.V1.xml"
    write(
        tmp_path / "m.xml",
        references=reference(uri, "Org.OData.Core.V1", "Core"),
        properties='<Property Name="N" Type="Core.Newer"/>\n',
    )
    spec = load_spec(_spec(tmp_path, f'"{uri}" = "core.xml"'))
    assert [t.qualified_name for t in generate.generate(spec).document.type_definitions()] == [
        "Org.OData.Core.V1.Newer"
    ]


def test_a_reference_cycle_is_read_once_and_terminates(tmp_path: Path) -> None:
    """OData allows circular references (Core and Validation have one); each document is read once."""
    back = reference("urn:main", "NS")
    write(
        tmp_path / "vendor.xml",
        namespace="Vendor.V1",
        references=back,
        types='<ComplexType Name="Thing"><Property Name="I" Type="NS.Item"/></ComplexType>\n',
    )
    vendor = reference("urn:vendor", "Vendor.V1", "Vendor")
    write(tmp_path / "m.xml", references=vendor, properties='<Property Name="V" Type="Vendor.Thing"/>\n')
    spec = load_spec(_spec(tmp_path, '"urn:vendor" = "vendor.xml", "urn:main" = "m.xml"'))
    names = sorted(t.qualified_name for t in generate.generate(spec).document.structured_types())
    assert names == ["NS.Item", "Vendor.V1.Thing"]


def test_a_spec_named_file_that_is_not_there_is_a_spec_error(tmp_path: Path) -> None:
    write(tmp_path / "m.xml")
    with pytest.raises(SpecError, match=r"codegen\.toml:3: \[metadata\] references 'urn:x': no file .*missing\.xml$"):
        load_spec(_spec(tmp_path, '"urn:x" = "missing.xml"'))


def test_a_huge_spec_named_file_is_refused_before_reading(tmp_path: Path) -> None:
    write(tmp_path / "m.xml")
    with (tmp_path / "huge.xml").open("wb") as huge:
        huge.truncate(MAX_DOCUMENT_BYTES + 1)  # sparse: nothing is written, nothing need be read
    with pytest.raises(SpecError, match=r"huge\.xml is larger than the limit of \d+ bytes \(MAX_DOCUMENT_BYTES\)$"):
        load_spec(_spec(tmp_path, '"urn:x" = "huge.xml"'))


def test_referenced_documents_together_are_bounded(tmp_path: Path) -> None:
    with (tmp_path / "huge.xml").open("wb") as huge:
        huge.truncate(MAX_DOCUMENT_BYTES + 1)
    metadata = write(tmp_path / "m.xml", references=reference("urn:x", "Vendor.V1"))
    with pytest.raises(MetadataError, match=r"referenced documents together are larger than the limit"):
        parse_metadata(metadata, {"urn:x": tmp_path / "huge.xml"})


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        ("<not xml", r"vendor\.xml:1: malformed XML"),
        (
            _DOCUMENT.format(references="", properties="", types="", namespace="Other"),
            r"includes namespace 'Vendor\.V1', which vendor\.xml does not define",
        ),
    ],
    ids=["malformed", "wrong-namespace"],
)
def test_a_bad_referenced_document_is_a_one_line_error(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "vendor.xml").write_text(content)
    metadata = write(tmp_path / "m.xml", references=reference("urn:vendor", "Vendor.V1"))
    with pytest.raises(MetadataError, match=expected) as raised:
        parse_metadata(metadata, {"urn:vendor": tmp_path / "vendor.xml"})
    assert "\n" not in str(raised.value)


@pytest.mark.parametrize(
    ("entry", "expected"),
    [
        ('"urn:x" = 3', r"\[metadata\] references 'urn:x' must name a file"),
        ('"" = "m.xml"', r"references key '' must be a Uri"),
        ('"urn:\\u0007" = "m.xml"', r"without control characters"),
    ],
    ids=["not-a-string", "empty-uri", "control-character"],
)
def test_bad_spec_reference_entries(tmp_path: Path, entry: str, expected: str) -> None:
    write(tmp_path / "m.xml")
    with pytest.raises(SpecError, match=expected):
        load_spec(_spec(tmp_path, entry))


def test_cli_reports_an_unresolved_type_in_one_line(tmp_path: Path) -> None:
    vendor = reference("https://vendor.example/Vendor.xml", "Vendor.V1", "Vendor")
    metadata = write(tmp_path / "m.xml", references=vendor, properties='<Property Name="V" Type="Vendor.Thing"/>\n')
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "codegen",
            "generate",
            "--metadata",
            str(metadata),
            "--package",
            "p",
            "--out",
            str(tmp_path / "o"),
        ],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 2
    assert result.stderr.startswith(f"codegen: error: {metadata}:")
    assert len(result.stderr.splitlines()) == 1
    assert not (tmp_path / "o").exists()
