"""Navigation from an entity to related entities and collections (TripPin), sync and async, on a mock transport.

`client.people.navigate(key)` is a `PersonItem`: nothing is sent until `get()`, a query's reading method or an
operation; `Trips` is a containment navigation (ContainsTarget), read and addressed the same way.
"""

from __future__ import annotations

import asyncio
from types import ModuleType

import pytest

from codegen.runtime.http import ClientValidationError

from client_support import AIRLINE, FIXTURES, TRIPPIN_ROOT, TRIPS, Script, generated_client_module, ok

PERSON = {"UserName": "scottketchum", "FirstName": "Scott", "LastName": "Ketchum", "Emails": [], "AddressInfo": []}
PLAN_ITEMS = {"value": [{"@odata.type": "#Microsoft.OData.SampleService.Models.TripPin.Flight", "PlanItemId": 11}]}


@pytest.fixture(scope="module")
def trippin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(
        tmp_path_factory, "trippin_client_tests", FIXTURES / "csdl" / "trippin-sampleservice.xml"
    )


def test_navigate_sends_nothing_until_read(trippin: ModuleType) -> None:
    script = Script()
    person = trippin.Client(TRIPPIN_ROOT, transport=script.transport).people.navigate("russellwhyte")
    assert person.path == "People('russellwhyte')"
    assert (
        person.trips.navigate(1001).plan_items.query().top(1).url()
        == "People('russellwhyte')/Trips(1001)/PlanItems?$top=1"
    )
    assert script.requests == []


def test_collection_navigation_with_query_options_and_paging(trippin: ModuleType) -> None:
    first = {"value": [PERSON], "@odata.nextLink": f"{TRIPPIN_ROOT}/People('russellwhyte')/Friends?$skiptoken=1"}
    script = Script(ok(first), ok({"value": [dict(PERSON, UserName="ronaldmundy")]}))
    friends = trippin.Client(TRIPPIN_ROOT, transport=script.transport).people.navigate("russellwhyte").friends
    found = friends.query().filter(trippin.QPerson.first_name != "x").select(trippin.QPerson.user_name).list()
    assert [p.user_name for p in found] == ["scottketchum", "ronaldmundy"]
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Friends?$filter=FirstName%20ne%20'x'&$select=UserName",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Friends?$skiptoken=1",
    ]


def test_containment_navigation_get_by_key_and_derived_types(trippin: ModuleType) -> None:
    script = Script(ok(TRIPS["value"][0]), ok(PLAN_ITEMS), ok("3"))
    trips = trippin.Client(TRIPPIN_ROOT, transport=script.transport).people.navigate("russellwhyte").trips
    assert trips.get(1001, select=[trippin.QTrip.name]).trip_id == 1001
    (item,) = trips.navigate(1001).plan_items.query().list()
    assert type(item).__name__ == "Flight"
    assert trips.query().count() == 3
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Trips(1001)?$select=Name",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Trips(1001)/PlanItems",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Trips/$count",
    ]


def test_single_valued_navigation_and_cast_of_a_collection(trippin: ModuleType) -> None:
    script = Script(ok(AIRLINE), ok({"value": []}))
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    plan_items = client.people.navigate("russellwhyte").trips.navigate(1001).plan_items
    assert plan_items.navigate(11).cast(trippin.FlightItem).airline.get().airline_code == "AA"
    assert plan_items.cast(trippin.FlightCollection).query().list() == []
    namespace = "Microsoft.OData.SampleService.Models.TripPin"
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Trips(1001)/PlanItems(11)/{namespace}.Flight/Airline",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/Trips(1001)/PlanItems/{namespace}.Flight",
    ]


def test_navigate_refuses_a_missing_key(trippin: ModuleType) -> None:
    people = trippin.Client(TRIPPIN_ROOT, transport=Script().transport).people
    with pytest.raises(ClientValidationError, match="None"):
        people.navigate(None)
    with pytest.raises(ClientValidationError, match="empty"):
        people.navigate("")


def test_async_navigation_and_singleton(trippin: ModuleType) -> None:
    script = Script(ok(PERSON), ok(TRIPS), ok(AIRLINE))

    async def run() -> None:
        async with trippin.AsyncClient(TRIPPIN_ROOT, transport=script.transport) as client:
            assert (await client.people.navigate("x").friends.get("scottketchum")).first_name == "Scott"
            assert [t.trip_id async for t in client.me.trips.query().iter()] == [1001, 1007]
            assert (await client.me.get_favorite_airline()).name == "American Airlines"

    asyncio.run(run())
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('x')/Friends('scottketchum')",
        f"{TRIPPIN_ROOT}/Me/Trips",
        f"{TRIPPIN_ROOT}/Me/Microsoft.OData.SampleService.Models.TripPin.GetFavoriteAirline()",
    ]
