"""The cattrs converter (codegen/runtime/conversion.py) with generated packages.

The committed `aimbase` package covers entities, nesting, open types, $select and
errors; TripPin and the OData .NET test service, generated into a temporary
directory, cover derived types, enums (flags included) and geography.
"""

from __future__ import annotations

import copy
import datetime as dt
import enum
import inspect
import json
import math
import pickle
import subprocess
import sys
import uuid
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import aimbase
from aimbase import Brand, Customs, Dealer, Lead, Metadata, Product, ProductCategory, Prospect
from codegen.runtime import ODataModel, DeserializationError, converter, make_converter, structure, unstructure

REPO_ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = REPO_ROOT / "specs" / "aimbase" / "examples"
LEAD_114 = EXAMPLES / "lead-114-expand-prospect.json"
LEAD_82540 = EXAMPLES / "lead-82540-expand-all.json"
# Copies of public CSDL documents (tests/fixtures/csdl/SOURCES.md names their origin and licence).
CSDL = Path(__file__).resolve().parent / "fixtures" / "csdl"
TRIPPIN_CSDL = CSDL / "trippin-sampleservice.xml"
ODATANET_CSDL = CSDL / "odatanet-DefaultServiceCsdl.xml"

TRIPPIN_NS = "Microsoft.OData.SampleService.Models.TripPin"
ODATANET_NS = "Microsoft.OData.E2E.TestCommon.Common.Server.Default"


def tz(hours: int) -> dt.timezone:
    return dt.timezone(dt.timedelta(hours=hours))


def load(path: Path, *, exact: bool = True) -> dict[str, Any]:
    """An example response, parsed as the README says (parse_float=Decimal) or with plain json.loads."""
    text = path.read_text(encoding="utf-8")
    return json.loads(text, parse_float=Decimal) if exact else json.loads(text)


def typed(value: Any) -> Any:
    """`value` with every scalar tagged by its type, so that True != 1, 1 != 1.0 and
    Decimal("-119.252560") != Decimal("-119.25256") in a comparison."""
    if isinstance(value, dict):
        return {key: typed(item) for key, item in value.items()}
    if isinstance(value, list):
        return [typed(item) for item in value]
    if isinstance(value, Decimal):
        return ("Decimal", str(value))
    return (type(value).__name__, repr(value))


# --- Aimbase: the example responses --------------------------------------------------------------


def test_lead_114_structures_with_wire_types():
    lead = structure(load(LEAD_114), Lead)

    assert type(lead) is Lead
    assert lead.id == 114
    assert lead.external_id == "1481995"
    assert lead.lead_uid == uuid.UUID("cc16dda6-8c50-483b-a928-cc506817cc33")
    assert type(lead.lead_uid) is uuid.UUID
    assert lead.lead_date == dt.datetime(2016, 8, 29, 15, 31, 1, tzinfo=tz(-5))
    assert lead.lead_date.utcoffset() == dt.timedelta(hours=-5)
    assert lead.create_date.utcoffset() == dt.timedelta(hours=-6)
    assert lead.create_date.microsecond == 470000
    assert lead.sent_date == dt.datetime(2016, 8, 29, 15, 32, 4, 997000, tzinfo=tz(-5))
    assert lead.viewed_date is None
    assert lead.score == 0 and type(lead.score) is int
    assert lead.is_active is True
    assert lead.is_qualified is True
    assert lead.score_text == "0"
    assert lead.dealer_distance_miles is None
    assert lead.follow_up_status_code == "Contacted"
    # Nullable properties this response leaves out read as None.
    assert lead.term is None
    assert lead.dealer is None
    assert lead.product is None


def test_lead_114_nested_prospect_and_open_types():
    lead = structure(load(LEAD_114), Lead)

    assert lead.instance_annotations == {"@odata.context": "https://{baseurl}/odata/V2/$metadata#Leads/$entity"}
    assert lead.dynamic_properties == {}
    assert type(lead.customs) is Customs
    assert lead.customs.dynamic_properties == {"BuyTimeFrame": None, "Comment": None}
    assert type(lead.metadata) is Metadata
    assert lead.metadata.dynamic_properties == {}

    prospect = lead.prospect
    assert type(prospect) is Prospect
    assert prospect.id == 74712
    assert prospect.prospect_uid == uuid.UUID("b118e079-22ab-493f-8237-83f3e397d1b2")
    assert prospect.postal_code == "93023     "
    assert prospect.phone_refused is False
    assert prospect.latitude == Decimal("34.448123")
    assert str(prospect.latitude) == "34.448123"
    assert str(prospect.longitude) == "-119.252560"  # trailing zero kept with parse_float=Decimal
    assert prospect.create_date == dt.datetime(2016, 11, 22, 0, 14, 23, 327000, tzinfo=tz(-6))
    assert prospect.customs.dynamic_properties == {}
    assert prospect.instance_annotations == {}


def test_lead_82540_expand_all():
    lead = structure(load(LEAD_82540), Lead)

    assert lead.dealer_distance == 402499
    assert isinstance(lead.dealer_distance_miles, Decimal)
    assert str(lead.dealer_distance_miles) == "250.101206129"
    assert lead.lead_date == dt.datetime(2025, 6, 4, 10, 37, 0, 293000, tzinfo=tz(-5))
    assert lead.event == ""
    assert lead.term is None
    assert lead.dealer_match_type == "Preassigned"
    assert lead.condition_code == "S"
    assert lead.customs.dynamic_properties == {"PurchaseTimeframe": "Not sure", "AppointmentMethod": "Phone"}
    assert lead.prospect.customs.dynamic_properties == {
        "ExampleProspectCustomField1": "Yes",
        "ExampleProspectCustomField2": "No",
    }
    assert str(lead.prospect.latitude) == "32.866227"

    dealer = lead.dealer
    assert type(dealer) is Dealer
    assert dealer.name == "Aaron's Yachts"
    assert dealer.update_date == dt.datetime(2017, 12, 13, 9, 22, 1, 547000, tzinfo=tz(-6))
    assert dealer.update_date.utcoffset() == dt.timedelta(hours=-6)

    product = lead.product
    assert type(product) is Product
    assert product.product_category_code == "   "
    assert type(product.brand) is Brand
    assert product.brand.id == 1
    assert product.brand.name == "Infinity Yachts"
    assert product.brand.is_default is False
    assert type(product.product_category) is ProductCategory
    assert product.product_category.parent_id is None
    assert product.product_category.create_date == dt.datetime(2014, 8, 4, tzinfo=tz(-5))
    assert product.product_category.create_date.utcoffset() == dt.timedelta(hours=-5)


@pytest.mark.parametrize("path", [LEAD_114, LEAD_82540], ids=lambda p: p.stem)
def test_example_written_back_exactly(path):
    wire = load(path)
    out = unstructure(structure(wire, Lead))
    assert out == wire
    assert typed(out) == typed(wire)  # same JSON types and the same decimal digits
    assert next(iter(out)) == "@odata.context"  # the object's own annotations come first


@pytest.mark.parametrize("path", [LEAD_114, LEAD_82540], ids=lambda p: p.stem)
def test_example_parsed_with_plain_json_loads_keeps_decimals_exact(path):
    wire = load(path, exact=False)
    lead = structure(wire, Lead)
    exact = structure(load(path), Lead)
    assert type(lead.prospect.latitude) is Decimal
    assert lead.prospect.latitude == exact.prospect.latitude
    assert lead.prospect.longitude == exact.prospect.longitude
    assert lead.dealer_distance_miles == exact.dealer_distance_miles
    # Decimals from floats are exact, and the rest of the object is identical too.
    assert lead == exact


def test_plain_json_loads_values():
    lead = structure(load(LEAD_114, exact=False), Lead)
    assert lead.prospect.latitude == Decimal("34.448123")
    assert str(lead.prospect.longitude) == "-119.25256"  # the float cannot keep the trailing zero
    lead = structure(load(LEAD_82540, exact=False), Lead)
    assert lead.dealer_distance_miles == Decimal("250.101206129")
    assert type(unstructure(lead)["DealerDistanceMiles"]) is Decimal


def test_objects_from_the_same_payload_are_equal():
    first = structure(load(LEAD_82540), Lead)
    second = structure(load(LEAD_82540), Lead)
    assert first == second
    assert not (first != second)
    second.prospect.latitude = Decimal("34.448124")
    assert first != second
    third = structure(load(LEAD_82540), Lead)
    third.customs.dynamic_properties["PurchaseTimeframe"] = "Soon"
    assert first != third
    assert first != structure(load(LEAD_114), Lead)
    assert first != "Lead"


def test_objects_are_unhashable_like_mutable_attrs_classes():
    with pytest.raises(TypeError):
        hash(structure(load(LEAD_114), Lead))


# --- Aimbase: what the schema does not know ------------------------------------------------------


def test_unknown_properties_kept_and_written_back():
    wire = load(LEAD_82540)
    wire["NewServerField"] = 1
    wire["Prospect"]["Nickname"] = "JD"
    wire["Product"]["Brand"]["Tagline"] = {"en": "Go"}
    lead = structure(wire, Lead)

    assert lead.dynamic_properties == {"NewServerField": 1}
    assert lead.prospect.dynamic_properties == {"Nickname": "JD"}
    assert lead.product.brand.dynamic_properties == {"Tagline": {"en": "Go"}}
    assert typed(unstructure(lead)) == typed(wire)


def test_annotations_kept_and_written_back():
    wire = load(LEAD_114)
    wire["@odata.etag"] = 'W/"08D1694C7E510464"'
    wire["Score@odata.type"] = "#Int32"
    wire["LeadUid@odata.type"] = "#Guid"
    wire["Prospect"]["@odata.id"] = "Prospects(74712)"
    wire["Prospect"]["Latitude@Core.Description"] = "geocoded"
    lead = structure(wire, Lead)

    assert lead.instance_annotations == {
        "@odata.context": "https://{baseurl}/odata/V2/$metadata#Leads/$entity",
        "@odata.etag": 'W/"08D1694C7E510464"',
        "Score@odata.type": "#Int32",
        "LeadUid@odata.type": "#Guid",
    }
    assert lead.prospect.instance_annotations == {
        "@odata.id": "Prospects(74712)",
        "Latitude@Core.Description": "geocoded",
    }
    assert lead.dynamic_properties == {}
    out = unstructure(lead)
    assert typed(out) == typed(wire)
    assert list(out)[:2] == ["@odata.context", "@odata.etag"]


def test_own_odata_type_annotation_is_kept():
    wire = load(LEAD_114)
    wire["@odata.type"] = "#AimbaseOData.Lead"
    lead = structure(wire, Lead)
    assert type(lead) is Lead
    assert lead.instance_annotations["@odata.type"] == "#AimbaseOData.Lead"
    assert unstructure(lead) == wire


def test_int64_as_string_is_read_as_int():
    wire = load(LEAD_114)
    wire["Id"] = "114"
    assert structure(wire, Lead).id == 114


# --- Aimbase: $select ----------------------------------------------------------------------------

SELECTED = {
    "@odata.context": "https://{baseurl}/odata/V2/$metadata#Leads(Id,Score,ExternalId)/$entity",
    "Id": 114,
    "Score": 7,
    "ExternalId": None,
}


def test_selected_properties_only_are_written_back():
    lead = structure(copy.deepcopy(SELECTED), Lead)
    assert lead.id == 114
    assert lead.score == 7
    assert lead.external_id is None
    assert unstructure(lead) == SELECTED  # no LeadDate, no ProspectId: nothing invented


def test_left_out_non_nullable_property_raises_attribute_error():
    lead = structure(copy.deepcopy(SELECTED), Lead)
    with pytest.raises(AttributeError, match=r"Lead\.lead_date was not in the server's response"):
        lead.lead_date
    with pytest.raises(AttributeError, match="not in the server's response"):
        lead.lead_uid
    assert not hasattr(lead, "is_active")
    assert getattr(lead, "create_date", "absent") == "absent"


def test_left_out_nullable_property_reads_none_but_is_not_written():
    lead = structure(copy.deepcopy(SELECTED), Lead)
    assert lead.prospect_id is None
    assert lead.dealer_distance_miles is None
    assert lead.prospect is None
    out = unstructure(lead)
    assert "ProspectId" not in out
    assert "Prospect" not in out


def test_unknown_attribute_is_an_ordinary_attribute_error():
    lead = structure(copy.deepcopy(SELECTED), Lead)
    with pytest.raises(AttributeError, match="'Lead' object has no attribute 'no_such_thing'"):
        lead.no_such_thing


def test_assigning_a_left_out_property_makes_it_readable():
    lead = structure(copy.deepcopy(SELECTED), Lead)
    lead.lead_date = dt.datetime(2016, 8, 29, 15, 31, 1, tzinfo=tz(-5))
    assert lead.lead_date.utcoffset() == dt.timedelta(hours=-5)


def test_repr_of_a_partial_object():
    lead = structure({"Id": 5, "Score": 3, "NewServerField": True}, Lead)
    text = repr(lead)
    # What the server did not send is named, not shown as None; empty instance_annotations are left out.
    assert text == (
        "Lead(dynamic_properties={'NewServerField': True}, id=5, score=3, "
        "<not received: external_id, lead_uid, prospect_id, dealer_id, product_id, +36 more>)"
    )


def test_repr_of_a_full_object_names_nested_values():
    text = repr(structure(load(LEAD_82540), Lead))
    assert "instance_annotations={'@odata.context':" in text
    assert "brand=Brand(" in text
    assert "dealer_distance_miles=Decimal('250.101206129')" in text


def test_equality_with_partial_objects():
    assert structure({"Id": 5}, Lead) == structure({"Id": 5}, Lead)
    assert structure({"Id": 5}, Lead) != structure({"Id": 5, "Score": 1}, Lead)
    assert structure({"Id": 5, "Score": 1}, Lead) != structure({"Id": 5, "Score": 2}, Lead)


# --- Aimbase: wrong payloads ---------------------------------------------------------------------


def _with(path: tuple[str, ...], value: Any, source: Path = LEAD_82540) -> dict[str, Any]:
    wire = load(source)
    node = wire
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value
    return wire


@pytest.mark.parametrize(
    ("path", "value", "message"),
    [
        (("Score",), "high", "Lead.Score: expected an integer, got str 'high'"),
        (("Score",), True, "Lead.Score: expected an integer, got bool True"),
        (("Score",), 2.5, "Lead.Score: expected an integer, got float 2.5"),
        (("IsActive",), 1, "Lead.IsActive: expected a boolean, got int 1"),
        (("ExternalId",), 1481995, "Lead.ExternalId: expected a string, got int 1481995"),
        (("LeadDate",), 5, "Lead.LeadDate: expected a string, got int 5"),
        (("Prospect", "Latitude"), "north", "Lead.Prospect.Latitude: expected a decimal, got 'north'"),
        (("Prospect", "IsActive"), "yes", "Lead.Prospect.IsActive: expected a boolean, got str 'yes'"),
        (("Product", "Brand", "Id"), "one", "Lead.Product.Brand.Id: expected an integer, got str 'one'"),
        (("Prospect",), 5, "Lead.Prospect: expected a JSON object for Prospect, got int"),
        (("Customs",), ["a"], "Lead.Customs: expected a JSON object for Customs, got list"),
    ],
)
def test_wrong_json_type_names_the_path(path, value, message):
    with pytest.raises(DeserializationError) as info:
        structure(_with(path, value), Lead)
    assert str(info.value) == message
    assert info.value.owner == "Lead"
    assert info.value.path == path


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("LeadUid",), "not-a-guid"),
        (("LeadDate",), "yesterday"),
        (("LeadDate",), "2016-08-29T15:31:01"),  # no offset
        (("Dealer", "CreateDate"), "2015-03-27"),
    ],
)
def test_malformed_values_name_the_path(path, value):
    with pytest.raises(DeserializationError, match="^Lead." + r"\.".join(path) + ": "):
        structure(_with(path, value), Lead)


def test_deserialization_error_is_a_value_error():
    assert issubclass(DeserializationError, ValueError)
    with pytest.raises(ValueError):
        structure(_with(("Score",), "high"), Lead)


@pytest.mark.parametrize("data", [[], "Lead", 114, None])
def test_top_level_value_must_be_an_object(data):
    with pytest.raises(DeserializationError, match="^expected a JSON object for Lead, got "):
        structure(data, Lead)


def test_odata_type_of_another_aimbase_type_is_refused():
    wire = load(LEAD_114)
    wire["Prospect"]["@odata.type"] = "#AimbaseOData.Dealer"
    with pytest.raises(DeserializationError, match=r"^Lead\.Prospect: @odata.type '#AimbaseOData.Dealer' is not "):
        structure(wire, Lead)


# --- Aimbase: objects built in Python ------------------------------------------------------------

MINIMAL = {
    "Id": 1,
    "LeadUid": "257a56e7-02a3-47f4-80c5-6dd5681e4f7a",
    "LeadDate": "2025-06-04T10:37:00.293-05:00",
    "Score": 25,
    "CreateDate": "2025-06-04T10:37:02.84Z",
    "IsActive": True,
    "IsQualified": False,
}


def _python_lead(**changes: Any) -> Lead:
    values: dict[str, Any] = dict(
        id=1,
        lead_uid=uuid.UUID("257a56e7-02a3-47f4-80c5-6dd5681e4f7a"),
        lead_date=dt.datetime(2025, 6, 4, 10, 37, 0, 293000, tzinfo=tz(-5)),
        score=25,
        create_date=dt.datetime(2025, 6, 4, 10, 37, 2, 840000, tzinfo=dt.timezone.utc),
        is_active=True,
        is_qualified=False,
    )
    values.update(changes)
    return Lead(**values)


def test_python_built_object_writes_every_property():
    out = unstructure(_python_lead(dealer_distance_miles=Decimal("1.50")))
    assert out["Id"] == 1
    assert out["LeadUid"] == "257a56e7-02a3-47f4-80c5-6dd5681e4f7a"
    assert out["LeadDate"] == "2025-06-04T10:37:00.293-05:00"
    assert out["CreateDate"] == "2025-06-04T10:37:02.84Z"
    assert out["IsQualified"] is False
    assert str(out["DealerDistanceMiles"]) == "1.50"
    # Nullable properties left at their default are sent as null.
    assert out["ProspectId"] is None
    assert out["Customs"] is None
    assert not any(key.startswith("@") for key in out)
    wire_names = {field.metadata["odata_wire"] for field in attrs.fields(Lead) if "odata_wire" in field.metadata}
    assert set(out) == wire_names


def test_python_built_object_with_naive_datetime_is_refused_when_written():
    lead = _python_lead(lead_date=dt.datetime(2025, 6, 4, 10, 37))
    with pytest.raises(ValueError, match="naive datetime 2025-06-04T10:37:00 cannot be sent"):
        unstructure(lead)


def test_python_built_object_round_trips():
    lead = _python_lead(customs=Customs(dynamic_properties={"PurchaseTimeframe": "Soon"}))
    again = structure(unstructure(lead), Lead)
    assert again.customs.dynamic_properties == {"PurchaseTimeframe": "Soon"}
    assert again.lead_date == lead.lead_date
    assert unstructure(again) == unstructure(lead)


def test_generated_class_constants_are_class_variables():
    assert Lead.__odata_type__ == "AimbaseOData.Lead"
    assert Lead.__odata_key__ == ("id",)


def test_generated_class_constants_are_not_init_arguments():
    assert "odata_type__" not in inspect.signature(Lead).parameters


def test_python_built_object_equals_the_structured_one():
    # The Python-built object has the __odata_type__/__odata_key__ slots set, the structured one not.
    assert _python_lead() == structure(copy.deepcopy(MINIMAL), Lead)


def test_repr_of_python_built_object_shows_only_properties():
    assert "odata_type" not in repr(_python_lead())


def test_python_built_and_structured_objects_agree_on_the_wire():
    built = unstructure(_python_lead())
    # The Python-built object also sends every nullable property as null; the rest is identical.
    assert {key: value for key, value in built.items() if value is not None} == MINIMAL
    assert unstructure(structure(copy.deepcopy(MINIMAL), Lead)) == MINIMAL


# --- the converter on its own --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "cls", "expected"),
    [
        ("AQID", bytes, b"\x01\x02\x03"),
        ("P1DT2H", dt.timedelta, dt.timedelta(days=1, hours=2)),
        ("2016-08-29", dt.date, dt.date(2016, 8, 29)),
        ("13:20:00.47", dt.time, dt.time(13, 20, 0, 470000)),
        ("INF", float, math.inf),
        (34.448123, Decimal, Decimal("34.448123")),
        ("9007199254740993", int, 9007199254740993),
        ("cc16dda6-8c50-483b-a928-cc506817cc33", uuid.UUID, uuid.UUID("cc16dda6-8c50-483b-a928-cc506817cc33")),
        ("2016-08-29T15:31:01Z", dt.datetime, dt.datetime(2016, 8, 29, 15, 31, 1, tzinfo=dt.timezone.utc)),
    ],
)
def test_converter_reads_primitives(value, cls, expected):
    assert converter.structure(value, cls) == expected


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (b"\xfb\xff\xbf", "-_-_"),
        (dt.timedelta(hours=-1), "-PT1H"),
        (dt.date(2016, 8, 29), "2016-08-29"),
        (dt.time(13, 20, 0, 470000), "13:20:00.47"),
        (math.inf, "INF"),
        (-math.inf, "-INF"),
        (1.5, 1.5),
        (uuid.UUID("cc16dda6-8c50-483b-a928-cc506817cc33"), "cc16dda6-8c50-483b-a928-cc506817cc33"),
        (dt.datetime(2016, 8, 29, 15, 31, 1, 470000, tzinfo=tz(-5)), "2016-08-29T15:31:01.47-05:00"),
        ([dt.date(2016, 8, 29), None], ["2016-08-29", None]),
    ],
)
def test_converter_writes_primitives(value, expected):
    assert unstructure(value) == expected


def test_converter_writes_nan_and_keeps_decimals():
    assert unstructure(math.nan) == "NaN"
    value = Decimal("-119.252560")
    assert unstructure(value) is value


def test_make_converter_gives_an_independent_working_converter():
    own = make_converter()
    assert own is not converter
    lead = own.structure(load(LEAD_82540), Lead)
    assert str(lead.dealer_distance_miles) == "250.101206129"
    assert own.unstructure(lead) == load(LEAD_82540)


def test_aimbase_type_index_covers_every_model_export():
    from codegen.runtime.query import QueryType

    exported = {name: getattr(aimbase, name) for name in aimbase.__all__}
    models = {name for name, cls in exported.items() if issubclass(cls, ODataModel)}
    queries = {name for name, cls in exported.items() if issubclass(cls, QueryType)}
    assert set(aimbase.__odata_types__.values()) == models
    assert {f"Q{name}" for name in models} == queries


# --- generated TripPin and OData .NET test service packages --------------------------------------


# Flags in a complex value, collections of flags (which neither TripPin nor the OData .NET service has).
FLAGS_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Lab" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EnumType Name="Access" IsFlags="true">
        <Member Name="None" Value="0" />
        <Member Name="Read" Value="1" />
        <Member Name="Write" Value="2" />
        <Member Name="ReadWrite" Value="3" />
      </EnumType>
      <ComplexType Name="Grant">
        <Property Name="Level" Type="Lab.Access" />
        <Property Name="History" Type="Collection(Lab.Access)" />
      </ComplexType>
      <EntityType Name="Doc">
        <Key><PropertyRef Name="ID" /></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false" />
        <Property Name="Levels" Type="Collection(Lab.Access)" />
        <Property Name="Main" Type="Lab.Grant" />
        <Property Name="Grants" Type="Collection(Lab.Grant)" />
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="Docs" EntityType="Lab.Doc" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""
PACKAGES = ("trippin", "odatanet", "flagslab")


@pytest.fixture(scope="module")
def generated(tmp_path_factory):
    """Generate trippin, odatanet and flagslab into a temporary directory and make them importable."""
    out = tmp_path_factory.mktemp("generated")
    flags_csdl = out / "flags.xml"
    flags_csdl.write_text(FLAGS_CSDL, encoding="utf-8")
    for csdl, package in zip((TRIPPIN_CSDL, ODATANET_CSDL, flags_csdl), PACKAGES):
        assert csdl.is_file(), f"CSDL not found at {csdl}"
        result = subprocess.run(
            [
                sys.executable,
                "-m",
                "codegen",
                "generate",
                "--metadata",
                str(csdl),
                "--package",
                package,
                "--out",
                str(out),
                "--package-only",
            ],
            cwd=REPO_ROOT,
            capture_output=True,
            text=True,
            timeout=120,
        )
        assert result.returncode == 0, result.stderr
    sys.path.insert(0, str(out))
    try:
        import flagslab
        import odatanet
        import trippin

        yield trippin, odatanet, flagslab
    finally:
        sys.path.remove(str(out))
        for name in [name for name in sys.modules if name.split(".")[0] in PACKAGES]:
            del sys.modules[name]


@pytest.fixture(scope="module")
def trippin(generated):
    return generated[0]


@pytest.fixture(scope="module")
def odatanet(generated):
    return generated[1]


@pytest.fixture(scope="module")
def flagslab(generated):
    return generated[2]


SEATTLE = {"CountryRegion": "United States", "Name": "Seattle", "Region": "WA"}
SEA_LOC = {
    "type": "Point",
    "coordinates": [-122.30916666666667, 47.44833333333333],
    "crs": {"type": "name", "properties": {"name": "EPSG:4326"}},
}
AIRPORT = {
    "IcaoCode": "KSEA",
    "Name": "Seattle-Tacoma International Airport",
    "IataCode": "SEA",
    "Location": {"Address": "Seattle, WA 98158", "City": SEATTLE, "Loc": SEA_LOC},
}


def flight() -> dict[str, Any]:
    return {
        "@odata.type": f"#{TRIPPIN_NS}.Flight",
        "PlanItemId": 11,
        "ConfirmationCode": "JH58493",
        "StartsAt": "2014-01-01T06:15:00Z",
        "EndsAt": "2014-01-01T11:35:00Z",
        "Duration": "PT5H20M",
        "SeatNumber": "A32",
        "FlightNumber": "VA1930",
        "From": copy.deepcopy(AIRPORT),
    }


def event() -> dict[str, Any]:
    return {
        "@odata.type": f"#{TRIPPIN_NS}.Event",
        "PlanItemId": 12,
        "ConfirmationCode": "4372899DD",
        "StartsAt": "2014-01-02T13:00:00Z",
        "EndsAt": "2014-01-02T16:00:00Z",
        "Duration": "PT3H",
        "Description": "Client Meeting",
        "OccursAt": {
            "@odata.type": f"#{TRIPPIN_NS}.EventLocation",
            "Address": "100 Church Street, 8th Floor",
            "City": {"CountryRegion": "United States", "Name": "New York City", "Region": "New York"},
            "BuildingInfo": "Regus Business Center",
        },
        "Dress": "Smart casual",  # Event is an open type
    }


def test_odata_type_picks_the_derived_class(trippin):
    item = structure(flight(), trippin.PlanItem)
    assert type(item) is trippin.Flight
    assert isinstance(item, trippin.PublicTransportation)
    assert item.plan_item_id == 11
    assert item.flight_number == "VA1930"
    assert item.seat_number == "A32"
    assert item.duration == dt.timedelta(hours=5, minutes=20)
    assert item.starts_at == dt.datetime(2014, 1, 1, 6, 15, tzinfo=dt.timezone.utc)
    assert type(item.from_) is trippin.Airport
    assert item.to is None
    assert item.instance_annotations == {"@odata.type": f"#{TRIPPIN_NS}.Flight"}
    assert unstructure(item) == flight()


def test_odata_type_in_a_collection_picks_each_class(trippin):
    plain = {"PlanItemId": 13, "ConfirmationCode": None, "StartsAt": None, "EndsAt": None, "Duration": None}
    wire = {
        "TripId": 0,
        "ShareId": "9d9b2fa0-efbf-490e-a5e3-bac8f7d47354",
        "Description": "Trip from San Francisco to New York City",
        "Name": "Trip in US",
        "Budget": 3000.5,
        "StartsAt": "2014-01-01T00:00:00Z",
        "EndsAt": "2014-01-04T00:00:00Z",
        "Tags": ["Trip in New York", "business", "sightseeing"],
        "PlanItems": [flight(), event(), plain],
    }
    trip = structure(copy.deepcopy(wire), trippin.Trip)
    assert [type(item) for item in trip.plan_items] == [trippin.Flight, trippin.Event, trippin.PlanItem]
    meeting = trip.plan_items[1]
    assert type(meeting.occurs_at) is trippin.EventLocation
    assert meeting.occurs_at.building_info == "Regus Business Center"
    assert meeting.dynamic_properties == {"Dress": "Smart casual"}
    assert trip.share_id == uuid.UUID("9d9b2fa0-efbf-490e-a5e3-bac8f7d47354")
    assert trip.budget == 3000.5
    assert trip.tags == ["Trip in New York", "business", "sightseeing"]
    assert typed(unstructure(trip)) == typed(wire)


def test_odata_type_of_the_declared_class_itself(trippin):
    item = structure({"@odata.type": f"#{TRIPPIN_NS}.PlanItem", "PlanItemId": 1}, trippin.PlanItem)
    assert type(item) is trippin.PlanItem


def test_odata_type_without_hash_and_short_type_key(trippin):
    # 4.01 allows "@type" for "@odata.type"; the leading "#" is optional in a type name.
    data = flight()
    data["@type"] = data.pop("@odata.type").lstrip("#")
    item = structure(data, trippin.PlanItem)
    assert type(item) is trippin.Flight
    assert unstructure(item) == data


def test_unknown_odata_type_falls_back_to_the_declared_class(trippin):
    wire = {"@odata.type": f"#{TRIPPIN_NS}.Cruise", "PlanItemId": 14, "ShipName": "Aurora"}
    item = structure(copy.deepcopy(wire), trippin.PlanItem)
    assert type(item) is trippin.PlanItem
    assert item.plan_item_id == 14
    assert item.instance_annotations == {"@odata.type": f"#{TRIPPIN_NS}.Cruise"}
    assert item.dynamic_properties == {"ShipName": "Aurora"}
    assert unstructure(item) == wire


def test_odata_type_of_an_unrelated_type_raises(trippin):
    wire = {"@odata.type": f"#{TRIPPIN_NS}.Person", "PlanItemId": 1}
    with pytest.raises(DeserializationError, match=rf"^PlanItem: @odata.type '#{TRIPPIN_NS}.Person' is not "):
        structure(wire, trippin.PlanItem)


def test_odata_type_error_names_the_declared_type(trippin):
    wire = {"@odata.type": f"#{TRIPPIN_NS}.Person", "PlanItemId": 1}
    with pytest.raises(DeserializationError, match=rf"is not {TRIPPIN_NS}.PlanItem or a type derived from it$"):
        structure(wire, trippin.PlanItem)


@pytest.mark.parametrize(
    ("declared", "named"),
    [
        ("PublicTransportation", "Event"),  # a sibling
        ("Flight", "PlanItem"),  # a base of the declared class
        ("Location", "City"),  # a complex type that is not derived from it
    ],
)
def test_odata_type_must_be_the_declared_class_or_derived(trippin, declared, named):
    with pytest.raises(DeserializationError, match=rf"@odata.type '#{TRIPPIN_NS}.{named}'"):
        structure({"@odata.type": f"#{TRIPPIN_NS}.{named}"}, getattr(trippin, declared))


def test_unrelated_odata_type_in_a_collection_names_the_path(trippin):
    wire = {"TripId": 1, "PlanItems": [flight(), {"@odata.type": f"#{TRIPPIN_NS}.Airline", "AirlineCode": "AA"}]}
    with pytest.raises(DeserializationError, match=rf"^Trip\.PlanItems: @odata.type '#{TRIPPIN_NS}.Airline'"):
        structure(wire, trippin.Trip)


def test_error_in_a_collection_item_names_the_path(trippin):
    wire = {"TripId": 1, "PlanItems": [flight(), {"PlanItemId": "twelve"}]}
    with pytest.raises(DeserializationError) as info:
        structure(wire, trippin.Trip)
    # The path has no list index; it names the collection and the property inside the item.
    assert str(info.value) == "Trip.PlanItems.PlanItemId: expected an integer, got str 'twelve'"
    assert info.value.path == ("PlanItems", "PlanItemId")


def test_error_inside_a_derived_class_names_the_derived_property(trippin):
    data = flight()
    data["From"]["Location"]["City"] = "Seattle"
    with pytest.raises(DeserializationError) as info:
        structure(data, trippin.PlanItem)
    assert str(info.value) == "Flight.From.Location.City: expected a JSON object for City, got str"


def person(**changes: Any) -> dict[str, Any]:
    wire = {
        "@odata.context": "http://services.odata.org/V4/TripPinServiceRW/$metadata#People/$entity",
        "@odata.id": "http://services.odata.org/V4/TripPinServiceRW/People('russellwhyte')",
        "@odata.etag": 'W/"08D1694BD49A85A0"',
        "UserName": "russellwhyte",
        "FirstName": "Russell",
        "LastName": "Whyte",
        "Emails": ["Russell@example.com", "Russell@contoso.com", None],
        "AddressInfo": [
            {"Address": "187 Suffolk Ln.", "City": {"CountryRegion": "United States", "Name": "Boise", "Region": "ID"}},
            {
                "@odata.type": f"#{TRIPPIN_NS}.AirportLocation",
                "Address": "Seattle, WA 98158",
                "City": SEATTLE,
                "Loc": SEA_LOC,
            },
        ],
        "Gender": "Male",
        "Concurrency": 635404796846280400,
    }
    wire.update(changes)
    return wire


def test_person_with_enum_collections_and_derived_complex_values(trippin):
    wire = person()
    someone = structure(copy.deepcopy(wire), trippin.Person)
    assert someone.gender is trippin.PersonGender.MALE
    assert someone.emails == ["Russell@example.com", "Russell@contoso.com", None]
    assert [type(place) for place in someone.address_info] == [trippin.Location, trippin.AirportLocation]
    assert someone.concurrency == 635404796846280400
    assert someone.instance_annotations["@odata.etag"] == 'W/"08D1694BD49A85A0"'
    assert typed(unstructure(someone)) == typed(wire)


@pytest.mark.parametrize(("wire", "member"), [("Male", "MALE"), ("Female", "FEMALE"), ("Unknown", "UNKNOWN")])
def test_enum_member_from_and_to_its_wire_name(trippin, wire, member):
    someone = structure(person(Gender=wire), trippin.Person)
    assert someone.gender is trippin.PersonGender[member]
    assert unstructure(someone)["Gender"] == wire
    assert unstructure(trippin.PersonGender[member]) == wire


@pytest.mark.parametrize("value", ["Alien", "male", "MALE", ""])
def test_unknown_enum_member_names_the_property(trippin, value):
    with pytest.raises(DeserializationError) as info:
        structure(person(Gender=value), trippin.Person)
    assert str(info.value) == f"Person.Gender: {value!r} is not a member of PersonGender"
    assert info.value.path == ("Gender",)


@pytest.mark.parametrize("number", [1, "1"])
def test_enum_given_its_number_reads_the_member(trippin, number):
    # Some services send a member as the number CSDL gives it (Female = 1); issue 8.
    assert structure(person(Gender=number), trippin.Person).gender is trippin.PersonGender.FEMALE


def test_enum_given_an_unknown_number_names_the_property(trippin):
    with pytest.raises(DeserializationError, match=r"^Person\.Gender: '7' is not a member of PersonGender$"):
        structure(person(Gender=7), trippin.Person)


def test_geography_stays_a_dict(trippin):
    airport = structure(copy.deepcopy(AIRPORT), trippin.Airport)
    assert type(airport.location) is trippin.AirportLocation
    assert type(airport.location.loc) is dict
    assert airport.location.loc == SEA_LOC
    assert unstructure(airport) == AIRPORT


def test_left_out_collection_raises_attribute_error(trippin):
    someone = structure({"UserName": "russellwhyte"}, trippin.Person)
    with pytest.raises(AttributeError, match=r"Person\.emails was not in the server's response"):
        someone.emails
    assert unstructure(someone) == {"UserName": "russellwhyte"}


def test_single_precision_specials(trippin):
    trip = structure({"TripId": 1, "Budget": "INF"}, trippin.Trip)
    assert trip.budget == math.inf
    assert unstructure(trip) == {"TripId": 1, "Budget": "INF"}
    trip = structure({"TripId": 1, "Budget": "NaN"}, trippin.Trip)
    assert math.isnan(trip.budget)
    assert unstructure(trip)["Budget"] == "NaN"


def test_flags_enum_members(odatanet):
    level = odatanet.AccessLevel
    assert issubclass(level, enum.Flag)
    assert level.NONE.value == 0


@pytest.mark.parametrize(
    ("wire", "expected", "standard"),
    [
        ("Read,Write", ("READ", "WRITE"), "Read,Write"),
        ("Read, Write", ("READ", "WRITE"), "Read,Write"),
        ("Write,Read", ("READ", "WRITE"), "Read,Write"),
        ("ReadWrite", ("READ_WRITE",), "Read,Write"),
        ("Read,Execute", ("READ", "EXECUTE"), "Read,Execute"),
        ("Read,Write,Execute", ("READ", "WRITE", "EXECUTE"), "Read,Write,Execute"),
        ("Execute", ("EXECUTE",), "Execute"),
        ("None", ("NONE",), "None"),
        ("Read,None", ("READ",), "Read"),
        # singleEnumValue may be the member's number (ABNF int64Value).
        ("3", ("READ_WRITE",), "Read,Write"),
        ("Read, 4", ("READ", "EXECUTE"), "Read,Execute"),
        ("0", ("NONE",), "None"),
        ("", ("NONE",), "None"),
    ],
)
def test_flags_enum(odatanet, wire, expected, standard):
    level = odatanet.AccessLevel
    value = level(0)
    for name in expected:
        value |= level[name]
    product = structure({"ProductID": 1, "UserAccess": wire}, odatanet.Product)
    assert product.user_access == value
    assert type(product.user_access) is level
    # Written back as received while unchanged; the same value built in Python is written in the standard form.
    assert unstructure(product) == {"ProductID": 1, "UserAccess": wire}
    assert unstructure(value) == standard


def test_changed_flags_value_is_written_in_the_standard_form(odatanet):
    level = odatanet.AccessLevel
    product = structure({"ProductID": 1, "UserAccess": "ReadWrite"}, odatanet.Product)
    product.user_access = level.READ
    assert unstructure(product)["UserAccess"] == "Read"
    product.user_access |= level.WRITE  # the value read again: nothing tells it apart, so it goes back as read
    assert unstructure(product)["UserAccess"] == "ReadWrite"
    product.user_access = None
    assert unstructure(product)["UserAccess"] is None


@pytest.mark.parametrize("number", [2, "2"])
def test_enum_given_by_number_is_written_back_as_that_number(odatanet, number):
    color = odatanet.Color
    product = structure({"ProductID": 1, "SkinColor": number}, odatanet.Product)
    assert product.skin_color is color.GREEN
    assert unstructure(product) == {"ProductID": 1, "SkinColor": number}
    product.skin_color = color.BLUE
    assert unstructure(product) == {"ProductID": 1, "SkinColor": "Blue"}


def test_collection_of_enums_keeps_each_form_while_unchanged(odatanet):
    color = odatanet.Color
    wire = {"ProductID": 1, "CoverColors": [2, "Blue", "1", "Red"]}
    product = structure(copy.deepcopy(wire), odatanet.Product)
    assert product.cover_colors == [color.GREEN, color.BLUE, color.RED, color.RED]
    assert unstructure(product) == wire
    product.cover_colors[0] = color.BLUE
    product.cover_colors.append(color.RED)
    assert unstructure(product)["CoverColors"] == ["Blue", "Blue", "1", "Red", "Red"]
    product.cover_colors = [color.RED]
    assert unstructure(product)["CoverColors"] == ["Red"]


def test_flags_in_collections_and_complex_values_are_written_back_as_received(flagslab):
    access = flagslab.Access
    wire = {
        "ID": 1,
        "Levels": ["ReadWrite", "Write, Read", "0", None, "Read"],
        "Main": {"Level": "3", "History": ["None", "ReadWrite"]},
        "Grants": [{"Level": "Read,Write", "History": ["1"]}, {"Level": "Write,Read", "History": []}],
    }
    doc = structure(copy.deepcopy(wire), flagslab.Doc)
    both = access.READ | access.WRITE
    assert doc.levels == [both, both, access.NONE, None, access.READ]
    assert doc.main.level is both and doc.main.history == [access.NONE, both]
    assert [grant.level for grant in doc.grants] == [both, both]
    assert unstructure(doc) == wire
    assert unstructure(copy.deepcopy(doc)) == wire
    assert unstructure(pickle.loads(pickle.dumps(doc))) == wire
    doc.main.history[1] = access.WRITE
    doc.grants[1].level = access.READ
    written = unstructure(doc)
    assert written["Main"] == {"Level": "3", "History": ["None", "Write"]}
    assert written["Grants"] == [{"Level": "Read,Write", "History": ["1"]}, {"Level": "Read", "History": []}]


def test_flags_built_in_python_inside_complex_values(flagslab):
    access = flagslab.Access
    doc = flagslab.Doc(
        id=1,
        levels=[access.READ_WRITE, access.NONE],
        main=flagslab.Grant(level=access.READ | access.WRITE, history=[]),
    )
    written = unstructure(doc)
    assert written["Levels"] == ["Read,Write", "None"]
    assert written["Main"] == {"Level": "Read,Write", "History": []}


@pytest.mark.parametrize("value", ["Delete", "Read,Delete", "read", "8", "Read;Write"])
def test_unknown_flag_names_the_property(odatanet, value):
    with pytest.raises(DeserializationError) as info:
        structure({"ProductID": 1, "UserAccess": value}, odatanet.Product)
    assert str(info.value) == f"Product.UserAccess: {value!r} is not a member of AccessLevel"


def test_flags_enum_zero_without_a_member_is_written_and_read_as_a_number():
    class Permission(enum.Flag):
        __odata_wire__ = {"READ": "Read", "WRITE": "Write"}
        READ = 1
        WRITE = 2

    assert unstructure(Permission(0)) == "0"
    assert converter.structure("0", Permission) == Permission(0)
    assert converter.structure("", Permission) == Permission(0)
    assert unstructure(Permission.READ | Permission.WRITE) == "Read,Write"


def test_enum_values_and_collections_of_enums(odatanet):
    wire = {"ProductID": 5, "SkinColor": "Red", "CoverColors": ["Green", "Blue", "Red"], "UserAccess": None}
    product = structure(copy.deepcopy(wire), odatanet.Product)
    color = odatanet.Color
    assert product.skin_color is color.RED
    assert product.cover_colors == [color.GREEN, color.BLUE, color.RED]
    assert product.user_access is None
    assert unstructure(product) == wire


def test_unknown_member_in_an_enum_collection_names_the_property(odatanet):
    with pytest.raises(DeserializationError, match=r"^Product\.CoverColors: 'Purple' is not a member of Color$"):
        structure({"ProductID": 5, "CoverColors": ["Red", "Purple"]}, odatanet.Product)


def test_date_time_of_day_and_duration_properties(odatanet):
    wire = {
        "@odata.type": f"#{ODATANET_NS}.Order",
        "OrderID": 7,
        "OrderDate": "2011-05-29T14:21:12-08:00",
        "ShelfLife": "PT0.0000001S",
        "OrderShelfLifes": ["PT0.0000001S", "P1DT2H3M4.5S", "-PT1S"],
        "ShipDate": "2014-08-31",
        "ShipTime": "12:40:05.05",
        "UpdatedTime": "2024-01-01T00:00:00Z",
    }
    order = structure(copy.deepcopy(wire), odatanet.AbstractEntity)
    assert type(order) is odatanet.Order
    assert order.order_date.utcoffset() == dt.timedelta(hours=-8)
    assert order.shelf_life == dt.timedelta(0)  # 100 ns is below timedelta's resolution
    assert order.order_shelf_lifes == [
        dt.timedelta(0),
        dt.timedelta(days=1, hours=2, minutes=3, seconds=4.5),
        dt.timedelta(seconds=-1),
    ]
    assert order.ship_date == dt.date(2014, 8, 31)
    assert type(order.ship_date) is dt.date
    assert order.ship_time == dt.time(12, 40, 5, 50000)
    out = unstructure(order)
    assert out["ShipDate"] == "2014-08-31"
    assert out["ShipTime"] == "12:40:05.05"
    assert out["OrderDate"] == "2011-05-29T14:21:12-08:00"
    assert out["OrderShelfLifes"] == ["PT0.0000001S", "P1DT2H3M4.5S", "-PT1S"]  # 100 ns kept (issue 8)


def test_derived_entity_and_complex_types_with_geography(odatanet):
    home = {"type": "Point", "coordinates": [23.1, 32.1], "crs": {"type": "name", "properties": {"name": "EPSG:4326"}}}
    wire = {
        "@odata.type": f"#{ODATANET_NS}.Customer",
        "PersonID": 1,
        "FirstName": "Bob",
        "Numbers": ["111-111-1111"],
        "Emails": [],
        "Addresses": [
            {
                "@odata.type": f"#{ODATANET_NS}.HomeAddress",
                "Street": "1 Microsoft Way",
                "FamilyName": "Cats",
                "UpdatedTime": "2024-01-01T00:00:00Z",
            },
            {"Street": "Zixing Road", "City": "Shanghai", "UpdatedTime": "2024-01-01T00:00:00+08:00"},
        ],
        "Home": home,
        "UpdatedTime": "2024-01-01T00:00:00Z",
        "City": "London",
        "Birthday": "1957-04-03T00:00:00Z",
        "TimeBetweenLastTwoOrders": "PT0.0000001S",
    }
    customer = structure(copy.deepcopy(wire), odatanet.Person)
    assert type(customer) is odatanet.Customer
    assert [type(a) for a in customer.addresses] == [odatanet.HomeAddress, odatanet.Address]
    assert customer.addresses[0].family_name == "Cats"
    assert customer.home == home
    assert type(customer.home) is dict
    assert customer.time_between_last_two_orders == dt.timedelta(0)
    out = unstructure(customer)
    assert out["Home"] == home
    assert out["Addresses"] == wire["Addresses"]
    assert out["TimeBetweenLastTwoOrders"] == "PT0.0000001S"


def test_derived_class_chosen_from_sibling_hierarchy(odatanet):
    employee = structure(
        {
            "@odata.type": f"#{ODATANET_NS}.Employee",
            "PersonID": 3,
            "DateHired": "2010-12-13T00:00:00Z",
            "Office": {"type": "Point", "coordinates": [23.1, 32.1]},
            "UpdatedTime": "2024-01-01T00:00:00Z",
        },
        odatanet.Person,
    )
    assert type(employee) is odatanet.Employee
    assert employee.office == {"type": "Point", "coordinates": [23.1, 32.1]}
    with pytest.raises(DeserializationError, match="Employee"):
        structure({"@odata.type": f"#{ODATANET_NS}.Employee", "PersonID": 3}, odatanet.Customer)


def test_derived_object_built_in_python_is_written_with_its_odata_type(trippin):
    city = trippin.City(name="Oslo", country_region="Norway", region="Oslo")
    location = trippin.EventLocation(city=city, address="Karl Johans gate 1")
    item = trippin.Event(plan_item_id=1, description="Dinner", occurs_at=location)
    wire = unstructure(item)
    assert next(iter(wire)) == "@odata.type"
    assert wire["@odata.type"] == f"#{TRIPPIN_NS}.Event"
    assert structure(wire, trippin.PlanItem) == structure(wire, trippin.Event)


def test_object_of_a_root_type_built_in_python_has_no_odata_type(trippin):
    assert "@odata.type" not in unstructure(trippin.PlanItem(plan_item_id=1))


def test_property_annotations_are_written_just_before_their_property():
    wire = json.loads((EXAMPLES / "lead-114-expand-prospect.json").read_text())
    wire = {"Score@odata.type": "#Int32", **wire}
    keys = list(unstructure(structure(wire, Lead)))
    assert keys.index("Score@odata.type") == keys.index("Score") - 1


@pytest.mark.parametrize(
    "clone", [copy.copy, copy.deepcopy, lambda obj: pickle.loads(pickle.dumps(obj))], ids=["copy", "deepcopy", "pickle"]
)
def test_a_partial_object_copies_and_pickles_as_it_is(clone: Any) -> None:
    """attrs' own __getstate__ read every slot, and a property the server did not send raised on reading."""
    lead = structure({"Id": 5, "Score": 3, "NewServerField": True, "@odata.etag": 'W/"1"'}, Lead)
    copied = clone(lead)
    assert copied == lead and repr(copied) == repr(lead)
    assert (
        unstructure(copied)
        == unstructure(lead)
        == {"Id": 5, "Score": 3, "NewServerField": True, "@odata.etag": 'W/"1"'}
    )
    with pytest.raises(AttributeError, match="was not in the server's response"):
        copied.lead_date
    full = structure(load(LEAD_82540), Lead)
    assert clone(full) == full and unstructure(clone(full)) == unstructure(full)
