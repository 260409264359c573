"""Operations bound to complex types and to collections of them, checked by method, URL, body and result on a
mock transport, sync and async alike (tests/synthetic_csdl.py's COMPLEX_OPERATIONS_CSDL).

Each case is one call written once, `lambda client, classes: ...`: on the sync client it returns the result,
on the async one an awaitable (the accessors, like `navigate`, send nothing and are not awaited); `classes`
gives the generated class of the client's flavour for a cast.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.csdl import parse_metadata
from codegen.plan_complex import NOWHERE, complex_reach
from codegen.runtime.http import ClientValidationError

from client_support import FIXTURES, Script, generated_client_module, no_content, ok
from synthetic_csdl import COMPLEX_OPERATIONS_CSDL

ROOT = "https://geo.example.com"
RUSSELL = f"{ROOT}/People('russell')"
ADDRESS = {"Street": "1 Main", "City": "Oslo"}
PERSON = {"UserName": "scott", "HomeAddress": ADDRESS}
LOCATIONS = [{"Name": "home", "Address": ADDRESS}, {"Name": "work", "Address": None}]


@pytest.fixture(scope="module")
def geo(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(tmp_path_factory, "geo_complex_operations", COMPLEX_OPERATIONS_CSDL)


Call = Callable[[Any, Callable[[str], type[Any]]], Any]


def _sync(geo: ModuleType, script: Script, call: Call) -> Any:
    with geo.Client(ROOT, transport=script.transport) as client:
        return call(client, lambda name: getattr(geo, name))


def _async(geo: ModuleType, script: Script, call: Call) -> Any:
    """`call` on the async client, the classes it casts to named by their sync names (`Async` is added)."""

    async def run() -> Any:
        async with geo.AsyncClient(ROOT, transport=script.transport) as client:
            result = call(client, lambda name: getattr(geo, f"Async{name}"))
            return await result if inspect.isawaitable(result) else result

    return asyncio.run(run())


FLAVOURS = pytest.mark.parametrize("flavour", [_sync, _async], ids=["sync", "async"])

# (id, call, answers, method, URL, request body or None)
CASES: list[tuple[str, Call, list[Any], str, str, Any]] = [
    (
        "entity-set item, function with an alias",
        lambda c, k: c.people.navigate("russell").home_address.distance(to="Oslo"),
        [ok({"value": 12.5})],
        "GET",
        f"{RUSSELL}/HomeAddress/Geo.Distance(to=@to)?@to='Oslo'",
        None,
    ),
    (
        "an overload on the same type, named by its parameters",
        lambda c, k: c.people.navigate("russell").home_address.distance_with_to_unit(to="Oslo", unit="km"),
        [ok({"value": 12.5})],
        "GET",
        f"{RUSSELL}/HomeAddress/Geo.Distance(to=@to,unit=@unit)?@to='Oslo'&@unit='km'",
        None,
    ),
    (
        "singleton, void action",
        lambda c, k: c.me.home_address.verify(strict=True),
        [no_content()],
        "POST",
        f"{ROOT}/Me/HomeAddress/Geo.Verify",
        {"strict": True},
    ),
    (
        "through navigation, complex result",
        lambda c, k: c.people.navigate("russell").best_friend.home_address.normalized(),
        [ok(ADDRESS)],
        "GET",
        f"{RUSSELL}/BestFriend/HomeAddress/Geo.Normalized()",
        None,
    ),
    (
        "nested in a complex property, entity result",
        lambda c, k: c.people.navigate("russell").info.address.owner(),
        [ok(PERSON)],
        "GET",
        f"{RUSSELL}/Info/Address/Geo.Owner()",
        None,
    ),
    (
        "two levels deep",
        lambda c, k: c.people.navigate("russell").info.favourite.address.describe(),
        [ok({"value": "1 Main, Oslo"})],
        "GET",
        f"{RUSSELL}/Info/Favourite/Address/Geo.Describe()",
        None,
    ),
    (
        "the overload bound to another complex type",
        lambda c, k: c.people.navigate("russell").info.favourite.describe(),
        [ok({"value": "home"})],
        "GET",
        f"{RUSSELL}/Info/Favourite/Geo.Describe()",
        None,
    ),
    (
        "the overload bound to a collection of it, with an alias",
        lambda c, k: c.people.navigate("russell").address_info.describe(separator=","),
        [ok({"value": "home,work"})],
        "GET",
        f"{RUSSELL}/AddressInfo/Geo.Describe(separator=@separator)?@separator=','",
        None,
    ),
    (
        "a property of a derived entity type, bound to its derived complex type",
        lambda c, k: c.people.navigate("russell").cast(k("EmployeeItem")).work_address.zip_area(),
        [ok({"value": "0150"})],
        "GET",
        f"{RUSSELL}/Geo.Employee/WorkAddress/Geo.ZipArea()",
        None,
    ),
    (
        "an operation of the base complex type on the derived one",
        lambda c, k: c.people.navigate("russell").cast(k("EmployeeItem")).work_address.distance(to="x"),
        [ok({"value": 1.0})],
        "GET",
        f"{RUSSELL}/Geo.Employee/WorkAddress/Geo.Distance(to=@to)?@to='x'",
        None,
    ),
    (
        "bound to a derived complex type: the cast segment",
        lambda c, k: c.people.navigate("russell").home_address.cast(k("CityAddressItem")).zip_area(),
        [ok({"value": "0150"})],
        "GET",
        f"{RUSSELL}/HomeAddress/Geo.CityAddress/Geo.ZipArea()",
        None,
    ),
    (
        "a quoted key",
        lambda c, k: c.people.navigate("O'Neil").home_address.describe(),
        [ok({"value": "x"})],
        "GET",
        f"{ROOT}/People('O''Neil')/HomeAddress/Geo.Describe()",
        None,
    ),
]


@FLAVOURS
@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_url_method_and_body(geo: ModuleType, flavour: Callable[..., Any], case: tuple[Any, ...]) -> None:
    _, call, answers, method, url, body = case
    script = Script(*answers)
    flavour(geo, script, call)
    assert (script.methods, script.urls) == ([method], [url])
    if body is not None:
        assert script.body() == body


@FLAVOURS
def test_results_are_structured(geo: ModuleType, flavour: Callable[..., Any]) -> None:
    script = Script(ok({"value": 12.5}), ok(ADDRESS), ok(PERSON), no_content())
    item = "russell"
    assert flavour(geo, script, lambda c, k: c.people.navigate(item).home_address.distance(to="a")) == 12.5
    address = flavour(geo, script, lambda c, k: c.people.navigate(item).home_address.normalized())
    assert isinstance(address, geo.Address) and address.city == "Oslo"
    owner = flavour(geo, script, lambda c, k: c.people.navigate(item).info.address.owner())
    assert isinstance(owner, geo.Person) and owner.home_address == geo.Address(street="1 Main", city="Oslo")
    assert flavour(geo, script, lambda c, k: c.me.home_address.verify(strict=False)) is None


@FLAVOURS
def test_collection_bound_action_reads_every_page(geo: ModuleType, flavour: Callable[..., Any]) -> None:
    first = {"value": LOCATIONS[:1], "@odata.nextLink": f"{ROOT}/next?page=2"}
    script = Script(ok(first), ok({"value": LOCATIONS[1:]}))
    found = flavour(geo, script, lambda c, k: c.people.navigate("russell").address_info.sorted_(by="Name"))
    assert [(type(x), x.name) for x in found] == [(geo.Location, "home"), (geo.Location, "work")]
    assert script.methods == ["POST", "GET"]
    assert script.urls == [f"{RUSSELL}/AddressInfo/Geo.Sorted", f"{ROOT}/next?page=2"]
    assert script.body(0) == {"by": "Name"}


def test_entity_collection_result_is_a_query_with_paging(geo: ModuleType) -> None:
    first = {"value": [PERSON], "@odata.nextLink": f"{ROOT}/next"}
    script = Script(ok(first), ok({"value": [dict(PERSON, UserName="kate")]}))
    residents = _sync(
        geo, script, lambda c, k: c.people.navigate("russell").home_address.residents().query().top(5).list()
    )
    assert [p.user_name for p in residents] == ["scott", "kate"]
    assert script.urls == [f"{RUSSELL}/HomeAddress/Geo.Residents()?$top=5", f"{ROOT}/next"]


def test_async_entity_collection_result(geo: ModuleType) -> None:
    script = Script(ok({"value": [PERSON]}))

    async def run() -> list[str]:
        async with geo.AsyncClient(ROOT, transport=script.transport) as client:
            residents = client.me.info.address.residents()
            assert isinstance(residents, geo.AsyncPersonCollection)
            return [p.user_name async for p in residents.query().iter()]

    assert asyncio.run(run()) == ["scott"]
    assert script.urls == [f"{ROOT}/Me/Info/Address/Geo.Residents()"]


def test_async_casts_lead_to_async_classes(geo: ModuleType) -> None:
    script = Script(ok({"value": "0150"}))

    async def run() -> str:
        async with geo.AsyncClient(ROOT, transport=script.transport) as client:
            address = client.people.navigate("russell").home_address
            assert isinstance(address, geo.AsyncAddressItem)
            result: str = await address.cast(geo.AsyncCityAddressItem).zip_area()
            return result

    assert asyncio.run(run()) == "0150"
    assert script.urls == [f"{RUSSELL}/HomeAddress/Geo.CityAddress/Geo.ZipArea()"]


def test_cast_to_a_type_that_does_not_derive_is_refused(geo: ModuleType) -> None:
    address = geo.Client(ROOT, transport=Script().transport).people.navigate("russell").home_address
    with pytest.raises(ClientValidationError, match="does not derive"):
        address.cast(geo.LocationItem)


def test_paths_and_reprs(geo: ModuleType) -> None:
    me = geo.Client(ROOT, transport=Script().transport).me
    assert me.info.favourite.address.path == "Me/Info/Favourite/Address"
    assert repr(me.address_info) == "LocationCollection('Me/AddressInfo' -> Location)"


def test_only_properties_leading_to_operations_get_accessors(geo: ModuleType) -> None:
    """`Plain` has no operations, `Note` is a string; a collection of Location has no single-value operations,
    and a Location-typed single property has no collection ones."""
    assert not hasattr(geo.PersonItem, "plain") and not hasattr(geo.InfoItem, "note")
    assert not hasattr(geo, "PlainItem")
    assert not hasattr(geo.LocationCollection, "address")  # a collection has no single value to step into
    assert not hasattr(geo.LocationItem, "sorted_")
    assert {"describe", "distance", "normalized", "owner", "residents", "verify"} <= set(dir(geo.AddressItem))
    assert "zip_area" not in dir(geo.AddressItem) and "zip_area" in dir(geo.CityAddressItem)


# --- which complex types get classes --------------------------------------------------------------------------


def test_documents_without_complex_bindings_get_nothing() -> None:
    for name in ("trippin-sampleservice.xml", "odatanet-DefaultServiceCsdl.xml"):
        document = parse_metadata(FIXTURES / "csdl" / name)
        structured = {t.qualified_name: t for t in document.structured_types()}
        assert complex_reach(structured, [o for s in document.schemas for o in s.operations]) is NOWHERE


RECURSIVE = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="T" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="Node">
        <Property Name="Next" Type="T.Node"/>
        <Property Name="Children" Type="Collection(T.Node)"/>
      </ComplexType>
      <ComplexType Name="Orphan"><Property Name="X" Type="Edm.Int32"/></ComplexType>
      <EntityType Name="Tree">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Root" Type="T.Node"/>
      </EntityType>
      <Function Name="Depth" IsBound="true">
        <Parameter Name="node" Type="T.Node"/>
        <ReturnType Type="Edm.Int32"/>
      </Function>
      <Function Name="Size" IsBound="true">
        <Parameter Name="orphan" Type="T.Orphan"/>
        <ReturnType Type="Edm.Int32"/>
      </Function>
      <EntityContainer Name="C"><EntitySet Name="Trees" EntityType="T.Tree"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def test_recursive_complex_types_and_unreachable_bindings(tmp_path: Path) -> None:
    source = tmp_path / "recursive.xml"
    source.write_text(RECURSIVE, encoding="utf-8")
    document = parse_metadata(source)
    structured = {t.qualified_name: t for t in document.structured_types()}
    reach = complex_reach(structured, [o for s in document.schemas for o in s.operations])
    # Orphan has an operation, but no property of an entity leads to it; Node's own property leads to itself.
    assert (reach.items, reach.collections) == ({"T.Node"}, set())


def test_recursive_accessors_chain(tmp_path_factory: pytest.TempPathFactory) -> None:
    tree = generated_client_module(tmp_path_factory, "tree_complex_operations", RECURSIVE)
    script = Script(ok({"value": 3}))
    client = tree.Client(ROOT, transport=script.transport)
    assert client.trees.navigate(1).root.next_.next_.depth() == 3
    assert script.urls == [f"{ROOT}/Trees(1)/Root/Next/Next/T.Depth()"]
    assert not hasattr(tree.NodeItem, "children") and not hasattr(tree, "OrphanItem")
