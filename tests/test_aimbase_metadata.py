"""Checks for the hand-written Aimbase CSDL document in specs/aimbase/metadata.xml."""

from pathlib import Path

import pytest
from lxml import etree

REPO_ROOT = Path(__file__).resolve().parents[1]
METADATA = REPO_ROOT / "specs" / "aimbase" / "metadata.xml"
# Copies of the OASIS schemas (tests/fixtures/odata-spec/SOURCES.md names their origin).
EDMX_XSD = REPO_ROOT / "tests" / "fixtures" / "odata-spec" / "edmx.xsd"

NS = {
    "edmx": "http://docs.oasis-open.org/odata/ns/edmx",
    "edm": "http://docs.oasis-open.org/odata/ns/edm",
}

ENTITY_TYPES = {
    "Lead",
    "Prospect",
    "Company",
    "Dealer",
    "Product",
    "Brand",
    "ProductCategory",
}

ENTITY_SETS = {
    "Leads": "AimbaseOData.Lead",
    "Prospects": "AimbaseOData.Prospect",
    "Companies": "AimbaseOData.Company",
    "Dealers": "AimbaseOData.Dealer",
    "Products": "AimbaseOData.Product",
    "Brands": "AimbaseOData.Brand",
    "ProductCategories": "AimbaseOData.ProductCategory",
}


@pytest.fixture(scope="module")
def document():
    return etree.parse(str(METADATA))


@pytest.fixture(scope="module")
def main_schema(document):
    (schema,) = document.xpath("//edm:Schema[@Namespace='AimbaseOData']", namespaces=NS)
    return schema


def test_validates_against_edmx_xsd(document):
    assert EDMX_XSD.is_file(), f"OASIS schema not found at {EDMX_XSD}"
    # Parse from the file path so that the xs:import of edm.xsd resolves next to edmx.xsd.
    schema = etree.XMLSchema(etree.parse(str(EDMX_XSD)))
    assert schema.validate(document), "\n".join(str(error) for error in schema.error_log)


def test_entity_types_present(main_schema):
    names = {t.get("Name") for t in main_schema.findall("edm:EntityType", NS)}
    assert names == ENTITY_TYPES
    for entity_type in main_schema.findall("edm:EntityType", NS):
        key = entity_type.find("edm:Key/edm:PropertyRef", NS)
        assert key is not None and key.get("Name") == "Id"
        (id_prop,) = entity_type.xpath("edm:Property[@Name='Id']", namespaces=NS)
        assert id_prop.get("Type") == "Edm.Int32"
        assert id_prop.get("Nullable") == "false"


def test_entity_sets_present(main_schema):
    container = main_schema.find("edm:EntityContainer", NS)
    assert container is not None
    sets = {s.get("Name"): s.get("EntityType") for s in container.findall("edm:EntitySet", NS)}
    assert sets == ENTITY_SETS


def test_navigation_properties_are_bound_and_constrained(main_schema):
    container = main_schema.find("edm:EntityContainer", NS)
    sets_by_type = {s.get("EntityType"): s for s in container.findall("edm:EntitySet", NS)}
    for entity_type in main_schema.findall("edm:EntityType", NS):
        type_name = f"AimbaseOData.{entity_type.get('Name')}"
        properties = {p.get("Name") for p in entity_type.findall("edm:Property", NS)}
        bindings = {
            b.get("Path"): b.get("Target") for b in sets_by_type[type_name].findall("edm:NavigationPropertyBinding", NS)
        }
        for nav in entity_type.findall("edm:NavigationProperty", NS):
            target_type = nav.get("Type").removeprefix("Collection(").removesuffix(")")
            assert target_type in sets_by_type, nav.get("Name")
            assert bindings.get(nav.get("Name")) == sets_by_type[target_type].get("Name")
            for constraint in nav.findall("edm:ReferentialConstraint", NS):
                assert constraint.get("Property") in properties
                assert constraint.get("ReferencedProperty") == "Id"


def test_every_type_and_property_is_described(main_schema):
    for element in main_schema.xpath("edm:EntityType | edm:EntityType/edm:Property", namespaces=NS):
        assert element.find("edm:Annotation[@Term='Core.Description']", NS) is not None, element.get("Name")


def test_set_dealer_radius_action(document):
    (action,) = document.xpath(
        "//edm:Schema[@Namespace='AimbaseOData.DealerMethods']/edm:Action[@Name='SetDealerRadius']",
        namespaces=NS,
    )
    assert action.get("IsBound") == "true"
    parameters = [(p.get("Name"), p.get("Type")) for p in action.findall("edm:Parameter", NS)]
    assert parameters == [
        ("bindingParameter", "AimbaseOData.Dealer"),
        ("BrandId", "Edm.Int32"),
        ("Radius", "Edm.Int32"),
    ]
    assert action.find("edm:ReturnType", NS) is None
