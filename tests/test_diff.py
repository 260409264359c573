"""`python -m codegen diff` on real documents: Aimbase after the five edits of issue 12, TripPin and a variant,
identical inputs, the three output formats, and bad input (exit 2, one line, no traceback)."""

from __future__ import annotations

import json
import shutil
import time
from pathlib import Path

import pytest

from codegen.cli import main
from test_diff_kinds import BASE_TEXT
from codegen.diff import compare, load_surface

ROOT = Path(__file__).resolve().parent.parent
AIMBASE = ROOT / "specs" / "aimbase"
TRIPPIN = ROOT / "specs" / "trippin"
GRAPH = ROOT / "tests" / "fixtures" / "csdl" / "msgraph-v1.0-cleanMetadata.xml"
TP = "Microsoft.OData.SampleService.Models.TripPin"

# Issue 12: a property added, one renamed, a MaxLength changed, an allowed value removed, an editable made read-only.
AIMBASE_EDITS = [
    (
        '<Property Name="Medium" Type="Edm.String" MaxLength="200">',
        '<Property Name="Campaign" Type="Edm.String" MaxLength="100"/>\n'
        '        <Property Name="Medium" Type="Edm.String" MaxLength="200">',
    ),
    ('<Property Name="FollowUpStatusCode" Type="Edm.String">', '<Property Name="FollowUpStatus" Type="Edm.String">'),
    (
        '<Property Name="ExternalId" Type="Edm.String" MaxLength="50">',
        '<Property Name="ExternalId" Type="Edm.String" MaxLength="20">',
    ),
    (
        '              <Record>\n                <PropertyValue Property="Value" String="S"/>\n'
        '                <Annotation Term="Core.Description" String="Showroom"/>\n              </Record>\n',
        "",
    ),
    (
        '<Property Name="Event" Type="Edm.String" MaxLength="50">',
        '<Property Name="Event" Type="Edm.String" MaxLength="50">\n          <Annotation Term="Core.Computed" Bool="true"/>',
    ),
]

AIMBASE_REPORT = """\
Breaking changes (4):
  AimbaseOData.Lead/ConditionCode: allowed-value-removed "S" (Lead.condition_code, LeadItem.patch(condition_code=), LeadsEntitySet.patch(condition_code=)): writers sending it are refused; readers' code for it is dead
  AimbaseOData.Lead/Event: property-made-read-only (Lead.event, LeadItem.patch(event=), LeadsEntitySet.patch(event=)): Core.Computed/Immutable: the patch parameter is gone
  AimbaseOData.Lead/ExternalId: max-length-lowered 50 -> 20 (Lead.external_id, LeadItem.patch(external_id=), LeadsEntitySet.patch(external_id=)): writers' longer values are now refused (added MaxLength counts as lowered)
  AimbaseOData.Lead/FollowUpStatusCode: property-removed (Lead.follow_up_status_code, LeadItem.patch(follow_up_status_code=), LeadsEntitySet.patch(follow_up_status_code=)): the attribute, its query path and its patch parameter are gone
Compatible changes (2):
  AimbaseOData.Lead/Campaign: property-added (Lead.campaign, LeadItem.patch(campaign=), LeadsEntitySet.patch(campaign=)): an optional attribute (default None or []): constructors and reads still work
  AimbaseOData.Lead/FollowUpStatus: property-added (Lead.follow_up_status, LeadItem.patch(follow_up_status=), LeadsEntitySet.patch(follow_up_status=)): an optional attribute (default None or []): constructors and reads still work
codegen: 6 changes: 4 breaking, 2 compatible
"""


def edited_spec(source: Path, tmp_path: Path, edits: list[tuple[str, str]]) -> Path:
    """A copy of a spec directory whose metadata.xml has the edits; each must match exactly once."""
    target = tmp_path / source.name
    target.mkdir()
    shutil.copy(source / "codegen.toml", target / "codegen.toml")
    text = (source / "metadata.xml").read_text(encoding="utf-8")
    for old, new in edits:
        assert text.count(old) == 1, old
        text = text.replace(old, new)
    (target / "metadata.xml").write_text(text, encoding="utf-8")
    return target / "codegen.toml"


def run(capsys: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = main(["diff", *map(str, argv)])
    out, err = capsys.readouterr()
    return code, out, err


def test_aimbase_five_edits_exact_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited_spec(AIMBASE, tmp_path, AIMBASE_EDITS)
    code, out, err = run(capsys, AIMBASE / "codegen.toml", new)
    assert (code, out, err) == (1, AIMBASE_REPORT, "")


def test_aimbase_spec_renames_apply(tmp_path: Path) -> None:
    """The spec renames Dealer/EMail to `email`: the diff names it so (the default rule would say `e_mail`)."""
    new = edited_spec(
        AIMBASE,
        tmp_path,
        [('<Property Name="EMail" Type="Edm.String">', '<Property Name="EMail" Type="Edm.String" MaxLength="80">')],
    )
    changes = compare(load_surface(AIMBASE / "codegen.toml"), load_surface(new))
    assert [(c.kind, c.path, c.python) for c in changes] == [
        (
            "max-length-lowered",
            "AimbaseOData.Dealer/EMail",
            ("Dealer.email",),  # read-only (Core.Computed): no patch parameter to name
        )
    ]


_TRIPPIN_TEXT = (TRIPPIN / "metadata.xml").read_text(encoding="utf-8-sig")
_EMAILS = _TRIPPIN_TEXT[
    _TRIPPIN_TEXT.index('<Property Name="Emails"') : _TRIPPIN_TEXT.index("</Property>", _TRIPPIN_TEXT.index('"Emails"'))
    + len("</Property>")
]  # deprecated (Core.Revisions), and now removed: what a migration window ends with
TRIPPIN_EDITS = [
    (_EMAILS, '<Property Name="MiddleName" Type="Edm.String" />'),
    (
        '<Member Name="Unknown" Value="2" />',
        '<Member Name="Unknown" Value="2" />\n        <Member Name="Other" Value="3" />',
    ),
    (
        '<Parameter Name="tripId" Type="Edm.Int32" Nullable="false" />',
        '<Parameter Name="tripId" Type="Edm.Int64" Nullable="false" />',
    ),
    (
        f'<ReturnType Type="{TP}.Airport" Nullable="false" />',
        f'<ReturnType Type="{TP}.Airport" />',
    ),
    (f'<ActionImport Name="ResetDataSource" Action="{TP}.ResetDataSource" />', ""),
]


def test_trippin_variant(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited_spec(TRIPPIN, tmp_path, TRIPPIN_EDITS)
    code, out, _ = run(capsys, TRIPPIN / "codegen.toml", new, "--format", "json")
    report = json.loads(out)
    assert code == 1 and report["format"] == "odata-codegen-diff" and report["version"] == 1 and report["breaking"]
    found = [(c["kind"], c["path"], c["breaking"], c["python"]) for c in report["changes"]]
    assert found == [
        ("return-made-nullable", f"{TP}.GetNearestAirport(lat,lon)", True, ["TripPinClient.get_nearest_airport"]),
        (
            "property-removed",
            f"{TP}.Person/Emails",
            True,
            ["PeopleEntitySet.patch(emails=)", "Person.emails", "PersonItem.patch(emails=)"],
        ),
        ("operation-import-removed", "ResetDataSource", True, ["TripPinClient.reset_data_source"]),
        (
            "property-added",
            f"{TP}.Person/MiddleName",
            False,
            ["PeopleEntitySet.patch(middle_name=)", "Person.middle_name", "PersonItem.patch(middle_name=)"],
        ),
        ("enum-member-added", f"{TP}.PersonGender/Other", False, ["PersonGender.OTHER"]),
        (
            "parameter-type-widened",
            f"{TP}.ShareTrip@{TP}.Person(tripId,userName)/tripId",
            False,
            ["PeopleEntitySet.share_trip", "PersonItem.share_trip"],
        ),
    ]
    assert report["counts"] == {"breaking": 3, "compatible": 3}


@pytest.mark.parametrize("output_format", ["text", "json", "markdown"])
def test_identical_documents(capsys: pytest.CaptureFixture[str], output_format: str) -> None:
    code, out, err = run(capsys, TRIPPIN / "metadata.xml", TRIPPIN / "metadata.xml", "--format", output_format)
    assert code == 0 and err == ""
    if output_format == "json":
        assert json.loads(out) == {
            "format": "odata-codegen-diff",
            "version": 1,
            "breaking": False,
            "counts": {"breaking": 0, "compatible": 0},
            "changes": [],
        }
    else:
        assert "no changes" in out


def test_compatible_only_exits_0(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited_spec(TRIPPIN, tmp_path, TRIPPIN_EDITS[1:2])
    code, out, _ = run(capsys, TRIPPIN / "codegen.toml", new, "--format", "markdown")
    assert code == 0
    assert out.startswith("### OData API diff: 1 change: 0 breaking, 1 compatible\n")
    assert f"| `{TP}.PersonGender/Other` | `enum-member-added` | `PersonGender.OTHER` |" in out


def test_output_is_deterministic(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    new = edited_spec(AIMBASE, tmp_path, AIMBASE_EDITS)
    outputs = {run(capsys, AIMBASE / "codegen.toml", new, "--format", f)[1] for f in ["json", "json"]}
    assert len(outputs) == 1


def test_csdl_json_against_xml(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A CSDL JSON document and its XML form have the same surface."""
    xml = tmp_path / "base.xml"
    xml.write_text(BASE_TEXT, encoding="utf-8")
    document = tmp_path / "base.json"
    document.write_text(json.dumps(BASE_JSON), encoding="utf-8")
    code, out, _ = run(capsys, xml, document)
    assert code == 1 and "T.Item/Name: property-removed" in out  # BASE_JSON leaves Name out, the one difference
    assert out.count("\n  ") == 1


def test_bad_input(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    good = TRIPPIN / "metadata.xml"
    not_xml = tmp_path / "not.xml"
    not_xml.write_text("<Edmx>\n<oops\n", encoding="utf-8")
    v2 = tmp_path / "v2.xml"
    v2.write_text(
        '<?xml version="1.0"?>\n<edmx:Edmx Version="1.0" xmlns:edmx="http://schemas.microsoft.com/ado/2007/06/edmx">\n'
        "</edmx:Edmx>\n",
        encoding="utf-8",
    )
    cases = [
        ((tmp_path / "missing.xml", good), f"codegen: error: {tmp_path / 'missing.xml'}: no such file\n"),
        ((good, not_xml), f"codegen: error: {not_xml}:3: malformed XML"),
        ((v2, good), f"codegen: error: {v2}:2: this is an OData V1-V3 document"),
        ((good, tmp_path / "no.toml"), f"codegen: error: {tmp_path / 'no.toml'}: cannot read spec"),
    ]
    for argv, message in cases:
        code, out, err = run(capsys, *argv)
        assert (code, out) == (2, ""), argv
        assert err.startswith(message) and err.count("\n") == 1 and "Traceback" not in err, err


def test_bad_format_option(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["diff", "a", "b", "--format", "yaml"])
    assert exited.value.code == 2
    assert "Traceback" not in capsys.readouterr().err


def test_graph_against_itself_finishes() -> None:
    """Timing sanity, not a timed assertion: the time is printed (pytest -s) for the report."""
    started = time.perf_counter()
    surface = load_surface(GRAPH)
    built = time.perf_counter()
    assert compare(surface, surface) == ()
    print(f"\nGraph v1.0: surface {built - started:.2f} s, compare {time.perf_counter() - built:.3f} s")


BASE_JSON = {
    "$Version": "4.0",
    "$EntityContainer": "T.Box",
    "$Reference": {
        "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json": {
            "$Include": [{"$Namespace": "Org.OData.Core.V1", "$Alias": "Core"}]
        },
        "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Validation.V1.json": {
            "$Include": [{"$Namespace": "Org.OData.Validation.V1", "$Alias": "Validation"}]
        },
    },
    "T": {
        "Item": {
            "$Kind": "EntityType",
            "$Key": ["Id"],
            "Id": {"$Type": "Edm.Int32"},
            "Code": {"$Nullable": True, "@Validation.AllowedValues": [{"Value": "A"}, {"Value": "B"}]},
            "Price": {"$Type": "Edm.Decimal", "$Nullable": True, "$Precision": 10, "$Scale": 2},
            "Count": {"$Type": "Edm.Int32"},
            "Tags": {"$Collection": True, "$Nullable": True},
            "Color": {"$Type": "T.Color", "$Nullable": True},
            "Note": {"$Nullable": True},
            "Owner": {"$Kind": "NavigationProperty", "$Type": "T.Person", "$Nullable": True},
            "Parts": {"$Kind": "NavigationProperty", "$Type": "T.Part", "$Collection": True, "$ContainsTarget": True},
        },
        "Person": {
            "$Kind": "EntityType",
            "$Key": ["UserName"],
            "UserName": {},
            "Home": {"$Type": "T.Address", "$Nullable": True},
        },
        "Part": {"$Kind": "EntityType", "$Key": ["Id"], "Id": {"$Type": "Edm.Int32"}},
        "Address": {"$Kind": "ComplexType", "City": {"$Nullable": True}},
        "Color": {"$Kind": "EnumType", "Red": 0, "Green": 1},
        "Money": {"$Kind": "TypeDefinition", "$UnderlyingType": "Edm.Int32"},
        "Ship": [
            {
                "$Kind": "Action",
                "$IsBound": True,
                "$Parameter": [{"$Name": "item", "$Type": "T.Item"}, {"$Name": "to"}],
            }
        ],
        "Total": [
            {
                "$Kind": "Function",
                "$IsBound": True,
                "$IsComposable": True,
                "$Parameter": [{"$Name": "items", "$Type": "T.Item", "$Collection": True}],
                "$ReturnType": {"$Type": "Edm.Int32"},
            }
        ],
        "Find": [
            {
                "$Kind": "Function",
                "$Parameter": [{"$Name": "q"}],
                "$ReturnType": {"$Type": "T.Item", "$Collection": True},
            }
        ],
        "Reset": [{"$Kind": "Action"}],
        "Resize": [{"$Kind": "Action", "$Parameter": [{"$Name": "size", "$Type": "Edm.Int32"}]}],
        "Box": {
            "$Kind": "EntityContainer",
            "Items": {"$Collection": True, "$Type": "T.Item"},
            "People": {"$Collection": True, "$Type": "T.Person"},
            "Me": {"$Type": "T.Person"},
            "Find": {"$Function": "T.Find", "$EntitySet": "Items"},
            "Reset": {"$Action": "T.Reset"},
        },
    },
}


def test_documented_change_fields(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """docs/diff-format.md documents every key the JSON report has, at the top level and in a change."""
    doc = (ROOT / "docs" / "diff-format.md").read_text(encoding="utf-8")
    code, out, _ = run(
        capsys, AIMBASE / "codegen.toml", edited_spec(AIMBASE, tmp_path, AIMBASE_EDITS), "--format", "json"
    )
    report = json.loads(out)
    for key in [*report, *report["changes"][0]]:
        assert f"| `{key}` |" in doc, key


def test_help_documents_exit_codes(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["diff", "--help"])
    out = " ".join(capsys.readouterr().out.split())
    assert exited.value.code == 0
    assert "Exit 0: nothing breaking; 1: something breaking changed; 2: bad input." in out
