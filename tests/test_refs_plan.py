"""Which navigation properties get link (`$ref`) methods, and into which entity set (codegen/plan_refs.py), and
the layout of their properties, which must be what black writes (no formatter runs after generation)."""

from __future__ import annotations

import pytest

from codegen.csdl.model import EntitySet, Location, NavigationProperty, StructuredType, TypeRef
from codegen.layout import generic_self_method
from codegen.plan_refs import RefTargets

from black_support import black_format

HERE = Location("test.xml", 1)
NS = "NS"


def _nav(name: str, target: str, *, collection: bool = True, contains: bool = False) -> NavigationProperty:
    return NavigationProperty(name, TypeRef(f"{NS}.{target}", collection), True, HERE, contains_target=contains)


def _type(name: str, *navigations: NavigationProperty, base: str | None = None) -> StructuredType:
    return StructuredType("entity", NS, name, HERE, base_type=base, navigation_properties=navigations)


def _set(name: str, type_name: str, *bindings: tuple[str, str]) -> EntitySet:
    return EntitySet(name, f"{NS}.{type_name}", HERE, navigation_bindings=bindings)


FRIENDS = _nav("Friends", "Person")
TRIPS = _nav("Trips", "Trip", contains=True)
PERSON = _type("Person", FRIENDS, TRIPS)


def test_the_binding_names_the_target_set() -> None:
    targets = RefTargets([_set("People", "Person", ("Friends", "People")), _set("Others", "Person")])
    assert targets.target([PERSON], FRIENDS) == "People"


def test_without_a_binding_the_only_set_of_the_target_type() -> None:
    assert RefTargets([_set("People", "Person")]).target([PERSON], FRIENDS) == "People"
    assert RefTargets([_set("People", "Person"), _set("Staff", "Person")]).target([PERSON], FRIENDS) is None


def test_bindings_that_disagree_or_lead_nowhere_give_no_links() -> None:
    disagree = [_set("People", "Person", ("Friends", "People")), _set("Staff", "Person", ("Friends", "Staff"))]
    assert RefTargets(disagree).target([PERSON], FRIENDS) is None
    into_containment = [_set("People", "Person", ("Friends", "People/Trips"))]
    assert RefTargets(into_containment).target([PERSON], FRIENDS) is None
    unknown = [_set("People", "Person", ("Friends", "Nowhere"))]
    assert RefTargets(unknown).target([PERSON], FRIENDS) is None


def test_containment_has_no_links() -> None:
    assert RefTargets([_set("People", "Person", ("Trips", "People"))]).target([PERSON], TRIPS) is None


def test_a_cast_path_and_another_containers_set() -> None:
    employee = _type("Employee", base=f"{NS}.Person")
    sets = [_set("People", "Person", (f"{NS}.Employee/Friends", "NS.Other/People")), _set("Staff", "Person")]
    assert RefTargets(sets).target([employee, PERSON], FRIENDS) == "People"


@pytest.mark.parametrize(
    "name, argument",
    [
        ("friends_refs", "str | Person"),
        ("some_quite_long_navigation_property_name_refs", "str | AccessPackageAssignmentWorkflow"),
        ("refs", "str | " + "A" * 80),
        ("refs", "_t.Mapping[str, _q.KeyValue] | " + "A" * 70),
    ],
)
def test_a_link_property_is_laid_out_as_black_writes_it(name: str, argument: str) -> None:
    source = f"class C:\n    @property\n    {generic_self_method(name, '_refs.AsyncCollectionRefs', argument)}\n        pass\n"
    assert black_format(source) == source
