"""CSDL JSON's `$Reference` and warnings, at parity with CSDL XML's edmx:Reference and lenient reading.

A reference to a bundled OASIS vocabulary resolves offline, one the spec names resolves from its file (JSON or
XML), any other is skipped with a warning; deviations are one warning each, located by JSONPath, and `--strict`
makes them errors. Hostile `$Reference` values are one-line errors naming the file and where in it.
"""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from codegen.output import MANIFEST
from codegen.csdl import parse_metadata
from codegen.csdl.limits import MAX_ELEMENT_DEPTH
from codegen.errors import MetadataError
from codegen.generate import generate
from codegen.spec import spec_from_arguments

CORE = "Org.OData.Core.V1"
CORE_URI = "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json"
OTHER_URI = "https://example.com/other.json"


def document(**members: Any) -> dict[str, Any]:
    """One entity type `Ns.A` (key `Id`) with `members`, in an entity set `As`."""
    return {
        "$Version": "4.01",
        "$EntityContainer": "Ns.Container",
        "Ns": {
            "A": {"$Kind": "EntityType", "$Key": ["Id"], "Id": {"$Type": "Edm.Int32"}, **members},
            "Container": {"$Kind": "EntityContainer", "As": {"$Collection": True, "$Type": "Ns.A"}},
        },
    }


def referencing_core(**members: Any) -> dict[str, Any]:
    found = document(**members)
    found["$Reference"] = {CORE_URI: {"$Include": [{"$Namespace": CORE, "$Alias": "Core"}]}}
    return found


def write(tmp_path: Path, value: Any, name: str = "service.json", bom: bool = False) -> Path:
    path = tmp_path / name
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + json.dumps(value, indent=1).encode("utf-8"))
    return path


def warnings_of(path: Path, **options: Any) -> list[str]:
    return [str(w) for w in parse_metadata(path, **options).warnings]


# --- references ------------------------------------------------------------------------------------------


def test_a_type_from_the_bundled_core_vocabulary_resolves(tmp_path: Path) -> None:
    path = write(tmp_path, referencing_core(Access={"$Type": "Core.Permission", "$Nullable": True}))
    parsed = parse_metadata(path)
    core = next(s for s in parsed.schemas if s.namespace == CORE)
    assert [e.name for e in core.enum_types] == ["Permission"]  # only what the document uses is kept
    assert parsed.unresolved_references == () and parsed.warnings == ()
    assert parsed.schemas[0].entity_types[0].properties[1].type.name == f"{CORE}.Permission"


def test_json_and_xml_referencing_core_generate_the_same_files(tmp_path: Path) -> None:
    xml = f"""<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="{CORE_URI}"><edmx:Include Namespace="{CORE}" Alias="Core"/></edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Ns" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="A"><Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Access" Type="Core.Permission"/>
      </EntityType>
      <EntityContainer Name="Container"><EntitySet Name="As" EntityType="Ns.A"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""
    files = {}
    for kind, text in (
        ("xml", xml),
        ("json", json.dumps(referencing_core(Access={"$Type": "Core.Permission", "$Nullable": True}))),
    ):
        (tmp_path / kind).mkdir()
        source = tmp_path / kind / "metadata"
        source.write_text(text, encoding="utf-8")
        generated = generate(spec_from_arguments(source, "pkg", tmp_path / kind / "out", project=False)).files
        # The manifest and CHANGES.md carry the hash of the document's bytes, which differ.
        files[kind] = {name: body for name, body in generated.items() if name not in (MANIFEST, "CHANGES.md")}
    assert files["json"] == files["xml"]
    assert any("class Permission" in body for body in files["json"].values())


def test_an_unresolved_reference_is_a_warning_with_its_json_location(tmp_path: Path) -> None:
    value = document()
    value["$Reference"] = {OTHER_URI: {"$Include": [{"$Namespace": "Other.V1", "$Alias": "O"}]}}
    value["Ns"]["A"]["@O.Note"] = "annotations of an unresolved namespace are not checked"
    parsed = parse_metadata(write(tmp_path, value))
    assert parsed.unresolved_references == (("Other.V1", OTHER_URI),)
    assert [str(w) for w in parsed.warnings] == [
        f"{tmp_path / 'service.json'}:$.$Reference['{OTHER_URI}']: edmx:Reference '{OTHER_URI}' (namespace "
        "'Other.V1') is not resolved: it is not a bundled vocabulary and the spec's [metadata] references names no "
        "file for it; skipped, with the annotations that use it"
    ]


def test_a_type_from_an_unresolved_reference_is_an_error(tmp_path: Path) -> None:
    value = document(X={"$Type": "O.Thing"})
    value["$Reference"] = {OTHER_URI: {"$Include": [{"$Namespace": "Other.V1", "$Alias": "O"}]}}
    with pytest.raises(MetadataError, match="edmx:Reference"):
        parse_metadata(write(tmp_path, value))


def other_vocabulary(reference_back: bool = False) -> dict[str, Any]:
    value: dict[str, Any] = {
        "$Version": "4.01",
        "Other.V1": {
            "Thing": {"$Kind": "ComplexType", "Label": {"$Nullable": True}},
            "Note": {"$Kind": "Term"},
        },
    }
    if reference_back:
        value["$Reference"] = {"service.json": {"$Include": [{"$Namespace": "Ns"}]}}
    return value


def test_a_reference_the_spec_names_resolves_from_a_json_file(tmp_path: Path) -> None:
    value = document(X={"$Type": "O.Thing", "$Nullable": True})
    value["$Reference"] = {OTHER_URI: {"$Include": [{"$Namespace": "Other.V1", "$Alias": "O"}]}}
    value["Ns"]["A"]["@O.Note"] = True
    value["Ns"]["A"]["@O.Missing"] = True
    path = write(tmp_path, value)
    # the vocabulary references the service back: each document is read once
    other = write(tmp_path, other_vocabulary(reference_back=True), "other.json")
    parsed = parse_metadata(path, references={OTHER_URI: other})
    assert [t.name for s in parsed.schemas if s.namespace == "Other.V1" for t in s.complex_types] == ["Thing"]
    assert [w.message for w in parsed.warnings] == [
        "annotation term 'Other.V1.Missing' is unknown: vocabulary 'Other.V1' does not define it; the annotation "
        "is ignored"
    ]


def test_a_reference_the_spec_names_may_be_csdl_xml(tmp_path: Path) -> None:
    value = document(X={"$Type": "O.Thing", "$Nullable": True})
    value["$Reference"] = {OTHER_URI: {"$Include": [{"$Namespace": "Other.V1", "$Alias": "O"}]}}
    other = tmp_path / "other.xml"
    other.write_text(
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>'
        '<Schema Namespace="Other.V1" xmlns="http://docs.oasis-open.org/odata/ns/edm">'
        '<ComplexType Name="Thing"><Property Name="Label" Type="Edm.String"/></ComplexType>'
        "</Schema></edmx:DataServices></edmx:Edmx>",
        encoding="utf-8",
    )
    parsed = parse_metadata(write(tmp_path, value), references={OTHER_URI: other})
    assert any(s.namespace == "Other.V1" for s in parsed.schemas)


def test_a_reference_to_a_namespace_its_file_lacks_is_an_error_at_the_reference(tmp_path: Path) -> None:
    value = document()
    value["$Reference"] = {OTHER_URI: {"$Include": [{"$Namespace": "Not.There"}]}}
    other = write(tmp_path, other_vocabulary(), "other.json")
    with pytest.raises(MetadataError) as raised:
        parse_metadata(write(tmp_path, value), references={OTHER_URI: other})
    assert str(raised.value).startswith(f"{tmp_path / 'service.json'}:$.$Reference['{OTHER_URI}']: ")
    assert "does not define" in str(raised.value)


def test_a_hostile_referenced_file_is_an_error_naming_that_file(tmp_path: Path) -> None:
    value = document()
    value["$Reference"] = {OTHER_URI: {"$Include": [{"$Namespace": "Other.V1"}]}}
    other = tmp_path / "other.json"
    other.write_text("{" * (MAX_ELEMENT_DEPTH + 5), encoding="utf-8")
    with pytest.raises(MetadataError, match="nested deeper") as raised:
        parse_metadata(write(tmp_path, value), references={OTHER_URI: other})
    assert str(other) in str(raised.value)


@pytest.mark.parametrize(
    ("reference", "fragment"),
    [
        ([CORE_URI], "$.$Reference: expected an object of references, found an array"),
        ("Core", "$.$Reference: expected an object of references, found a string"),
        (None, "$.$Reference: expected an object of references, found null"),
        (7, "$.$Reference: expected an object of references, found a number"),
        (
            {CORE_URI: []},
            "$.$Reference['https://oasis-tcs.github.io/odata-vocabularies/vocabularies/'...]: expected a reference object, found an array",
        ),
        ({CORE_URI: {"$Include": {"$Namespace": CORE}}}, "expected an array of includes, found an object"),
        ({CORE_URI: {"$Include": [CORE]}}, "$Include[0]: expected an include object, found a string"),
        ({CORE_URI: {"$Include": [{}]}}, "$Include[0]: has no $Namespace"),
        ({CORE_URI: {"$Include": [{"$Namespace": 1}]}}, "$Include[0].$Namespace: expected a string, found a number"),
        ({CORE_URI: {"$Include": [{"$Namespace": CORE, "$Alias": True}]}}, "$Alias: expected a string"),
        ({CORE_URI: {"$Include": [{"$Namespace": "Edm"}]}}, "namespace 'Edm' is reserved by OData"),
        ({CORE_URI: {"$Include": [{"$Namespace": ""}]}}, "a schema without a namespace"),
        (
            {CORE_URI: {"$Include": [{"$Namespace": CORE, "$Alias": "Ns"}]}},
            "alias 'Ns' of namespace 'Org.OData.Core.V1' is the name of another namespace",
        ),
    ],
)
def test_a_hostile_reference_is_a_one_line_error(tmp_path: Path, reference: Any, fragment: str) -> None:
    value = document()
    value["$Reference"] = reference
    with pytest.raises(MetadataError) as raised:
        parse_metadata(write(tmp_path, value))
    message = str(raised.value)
    assert fragment in message and "\n" not in message
    assert message.startswith(str(tmp_path / "service.json"))


def test_a_deeply_nested_reference_is_refused_before_parsing(tmp_path: Path) -> None:
    nested: Any = {}
    for _ in range(MAX_ELEMENT_DEPTH + 1):
        nested = {"$Include": [nested]}
    value = document()
    value["$Reference"] = {CORE_URI: nested}
    with pytest.raises(MetadataError, match="nested deeper"):
        parse_metadata(write(tmp_path, value))


def test_many_unresolved_references_are_one_warning_each_and_nothing_is_read(tmp_path: Path) -> None:
    value = document()
    value["$Reference"] = {
        f"https://example.com/{i}.json": {"$Include": [{"$Namespace": f"N{i}.V1"}]} for i in range(5000)
    }
    parsed = parse_metadata(write(tmp_path, value))
    assert len(parsed.unresolved_references) == len(parsed.warnings) == 5000


@pytest.mark.parametrize("root", [[], "x", 1, None])
def test_a_document_that_is_not_an_object_is_a_one_line_error(tmp_path: Path, root: Any) -> None:
    """Told apart by content, JSON that is no object is not CSDL JSON: it is read as (malformed) XML."""
    with pytest.raises(MetadataError) as raised:
        parse_metadata(write(tmp_path, root))
    assert str(raised.value).startswith(f"{tmp_path / 'service.json'}:1: malformed XML")


# --- warnings --------------------------------------------------------------------------------------------


def test_deviations_are_one_warning_each_located_by_json_path(tmp_path: Path) -> None:
    value = referencing_core(
        Place={"$Type": "Edm.GeographyPoint", "$SRID": "Variable", "$Nullable": True},
        Tag={"$Type": " Edm.String ", "$Nullable": True, "$Vendor": 1},
        **{"Name ": {"$Nullable": True, "$Vendor": 2}},
    )
    value["Ns"]["A"]["@Core.NoSuchTerm"] = True
    value["Ns"]["A"]["@Nowhere.V1.Term"] = True
    value["Ns"]["Empty"] = {"$Kind": "EnumType"}
    value["Ns"]["$Annotations"] = {"Ns.A/Missing": {"@Core.Description": "x"}}
    path = write(tmp_path, value, bom=True)
    parsed = parse_metadata(path)
    at = f"{path}:"
    assert sorted(str(w) for w in parsed.warnings) == sorted(
        [
            f"{at}1: document starts with a UTF-8 byte order mark (BOM)",
            f"{at}$.Ns.A.Place.$SRID: $SRID is 'Variable'; CSDL spells it 'variable', read as that",
            f"{at}$.Ns.A.Tag.$Type: $Type ' Edm.String ' has surrounding spaces; read as 'Edm.String'",
            f"{at}$.Ns.A.Tag: Property has '$Vendor', which CSDL JSON does not define for it; it is ignored"
            " (2 times, first here)",
            f"{at}$.Ns.A['Name ']: name 'Name ' has surrounding spaces; read as 'Name'",
            f"{at}$.Ns.A['@Core.NoSuchTerm']: annotation term 'Org.OData.Core.V1.NoSuchTerm' is unknown: vocabulary"
            " 'Org.OData.Core.V1' does not define it; the annotation is ignored",
            f"{at}$.Ns.A['@Nowhere.V1.Term']: annotation term 'Nowhere.V1.Term' is unknown: its namespace"
            " 'Nowhere.V1' is neither in the document, referenced, nor bundled; annotations with its terms are"
            " ignored",
            f"{at}$.Ns.Empty: enum type 'Ns.Empty' has no members; the CSDL schema requires at least one",
            f"{at}$.Ns.$Annotations['Ns.A/Missing']: annotations target 'Ns.A/Missing' is unknown (the document"
            " defines no such element); its annotations are ignored",
        ]
    )
    entity = parsed.schemas[0].entity_types[0]
    assert [(p.name, p.type.name, p.srid) for p in entity.properties][1:] == [
        ("Place", "Edm.GeographyPoint", "variable"),
        ("Tag", "Edm.String", None),
        ("Name", "Edm.String", None),
    ]


def test_a_name_declared_twice_once_with_spaces_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(MetadataError, match="'Id' is declared twice"):
        parse_metadata(write(tmp_path, document(**{"Id ": {"$Type": "Edm.Int32"}})))


def test_standard_keywords_and_annotations_give_no_warning(tmp_path: Path) -> None:
    value = referencing_core(
        Ref={"$Kind": "NavigationProperty", "$Type": "Ns.A", "$Nullable": True, "$Partner": "Back"},
        Back={"$Kind": "NavigationProperty", "$Type": "Ns.A", "$Collection": True, "$Partner": "Ref"},
        Price={"$Type": "Edm.Decimal", "$Precision": 10, "$Scale": "variable", "@Core.Description": "p"},
    )
    value["Ns"]["A"]["Price@Core.Description"] = "the price"
    value["Ns"]["A"]["@Core.Description#Short"] = "A"
    value["Ns"]["Op"] = [
        {"$Kind": "Function", "$IsBound": True, "$Parameter": [{"$Name": "a", "$Type": "Ns.A"}], "$ReturnType": {}}
    ]
    value["Ns"]["$Annotations"] = {"Ns.A/Price": {"@Core.LongDescription": "x"}, "Ns.Container/As": {}}
    assert warnings_of(write(tmp_path, value)) == []


def test_strict_makes_a_json_warning_an_error(tmp_path: Path) -> None:
    value = referencing_core()
    value["Ns"]["A"]["@Core.NoSuchTerm"] = True
    path = write(tmp_path, value)
    spec = spec_from_arguments(path, "pkg", tmp_path / "out")
    assert generate(spec).files  # without --strict the run still generates
    with pytest.raises(
        MetadataError, match=r"\$\.Ns\.A\['@Core\.NoSuchTerm'\]: annotation term .*\(--strict: 1 warning"
    ):
        generate(spec, strict=True)
    result = subprocess.run(
        [sys.executable, "-m", "codegen", "generate", "--metadata", str(path), "--package", "pkg"]
        + ["--out", str(tmp_path / "cli"), "--strict"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert "--strict: 1 warning" in result.stderr and not (tmp_path / "cli").exists()


@pytest.mark.parametrize("name", ["trippin-sampleservice", "msgraph-v1.0-cleanMetadata"])
def test_a_converted_fixture_warns_as_its_xml_does(name: str) -> None:
    """The OASIS converter's JSON of a fixture gives the same kinds of warnings, as often, as the XML (whose BOM
    the conversion drops); only the places differ, JSONPaths instead of lines."""
    fixtures = Path(__file__).resolve().parent / "fixtures"

    def kinds(path: Path) -> list[str]:
        found = [" ".join(w.message.split()[:2]) for w in parse_metadata(path).warnings]
        return sorted(kind for kind in found if kind != "document starts")

    from_json = kinds(fixtures / "csdl-json" / f"{name}.json")
    assert from_json and from_json == kinds(fixtures / "csdl" / f"{name}.xml")


def test_an_overload_target_with_aliased_parameter_types_is_known(tmp_path: Path) -> None:
    """`Self.F(Self.A)`: the alias is replaced after the parameter list is cut off, whose types hold dots too."""
    value = document()
    value["Ns"]["$Alias"] = "Self"
    value["Ns"]["F"] = [{"$Kind": "Function", "$IsBound": True, "$Parameter": [{"$Name": "a", "$Type": "Self.A"}]}]
    value["Ns"]["F"][0]["$ReturnType"] = {"$Type": "Edm.Int32"}
    value["Ns"]["$Annotations"] = {"Self.F(Self.A)": {"@Org.OData.Core.V1.Description": "f"}}
    assert warnings_of(write(tmp_path, value)) == []
    xml = tmp_path / "service.xml"
    xml.write_text(
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx"><edmx:DataServices>'
        '<Schema Namespace="Ns" Alias="Self" xmlns="http://docs.oasis-open.org/odata/ns/edm">'
        '<EntityType Name="A"><Key><PropertyRef Name="Id"/></Key><Property Name="Id" Type="Edm.Int32" '
        'Nullable="false"/></EntityType><Function Name="F" IsBound="true"><Parameter Name="a" Type="Self.A"/>'
        '<ReturnType Type="Edm.Int32"/></Function><Annotations Target="Self.F(Self.A)">'
        '<Annotation Term="Org.OData.Core.V1.Description" String="f"/></Annotations>'
        "</Schema></edmx:DataServices></edmx:Edmx>",
        encoding="utf-8",
    )
    assert warnings_of(xml) == []


def test_a_schema_alias_with_surrounding_spaces_is_one_warning(tmp_path: Path) -> None:
    value = referencing_core(Name={"$Nullable": True})
    value["Ns"]["$Alias"] = " Short "
    path = write(tmp_path, value)
    assert warnings_of(path) == [f"{path}:$.Ns.$Alias: $Alias ' Short ' has surrounding spaces; read as 'Short'"]
