"""Changing an entity reached by navigation: `_patch` on the item classes (what a singleton's `patch` calls, and
what a generated `patch` of any item class would call), by URL, body and headers on a mock transport, and
end to end against the sandbox: a contained trip of a person and of the `Me` singleton, a single-valued
navigation (`People('x')/Photo`).

Its headers are an entity set's `patch`'s: If-Match with the given etag, else the `@odata.etag` of the entity
the item was reached from where the set declares optimistic concurrency (kept by a cast, not by a navigation).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.runtime import UNSET
from codegen.runtime.conversion import structure
from codegen.runtime.http import PreconditionFailedError
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import spec_from_arguments

from client_support import (
    SHOP_ROOT,
    TRIPPIN_CSDL,
    TRIPPIN_ROOT,
    TRIPS,
    Script,
    error,
    generated_client_module,
    no_content,
    ok,
    order_json,
    shop_client_module,
)

TRIP_1 = {**TRIPS["value"][0]}
PERSON = f"{TRIPPIN_ROOT}/People('russellwhyte')"


@pytest.fixture(scope="module")
def trippin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(tmp_path_factory, "trippin_navigation_patch", TRIPPIN_CSDL)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return shop_client_module(tmp_path_factory)


def trip_item(module: ModuleType, script: Script) -> Any:
    client = module.Client(TRIPPIN_ROOT, transport=script.transport)
    return client.people.navigate("russellwhyte").trips.navigate(TRIP_1["TripId"])


# --- mock transport --------------------------------------------------------------------------------------


def test_a_contained_entity_is_patched_at_its_navigation_path(trippin: ModuleType) -> None:
    script = Script(no_content())
    assert (
        trip_item(trippin, script)._patch({"Name": "Renamed", "Budget": UNSET}, etag=None, return_entity=False) is None
    )
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("PATCH", f"{PERSON}/Trips({TRIP_1['TripId']})")
    assert script.body() == {"Name": "Renamed"}  # UNSET is left out
    assert "If-Match" not in request.headers and "Prefer" not in request.headers
    assert request.headers["Content-Type"] == "application/json"


def test_a_single_valued_navigation_is_patched_with_an_etag_and_returned(trippin: ModuleType) -> None:
    script = Script(ok({"Id": 5, "Name": "new.png"}))
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    photo = client.people.navigate("russellwhyte").photo._patch({"Name": "new.png"}, etag='W/"3"', return_entity=True)
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("PATCH", f"{PERSON}/Photo")
    assert (request.headers["If-Match"], request.headers["Prefer"]) == ('W/"3"', "return=representation")
    assert isinstance(photo, trippin.Photo) and photo.name == "new.png"


def test_a_204_to_return_entity_reads_the_entity_back_at_the_same_path(trippin: ModuleType) -> None:
    script = Script(no_content(), ok(TRIP_1))
    trip = trip_item(trippin, script)._patch({"Name": "x"}, etag=None, return_entity=True)
    assert script.methods == ["PATCH", "GET"]
    assert script.urls[0] == script.urls[1] == f"{PERSON}/Trips({TRIP_1['TripId']})"
    assert isinstance(trip, trippin.Trip) and trip.trip_id == TRIP_1["TripId"]


def test_nothing_to_change_is_refused_before_sending(trippin: ModuleType) -> None:
    script = Script()
    with pytest.raises(ValueError, match="needs at least one property"):
        trip_item(trippin, script)._patch({"Name": UNSET}, etag=None, return_entity=False)
    assert script.requests == []


def test_a_failed_precondition_is_its_own_error(trippin: ModuleType) -> None:
    script = Script(error(412, "changed", code="PreconditionFailed"))
    with pytest.raises(PreconditionFailedError) as raised:
        trip_item(trippin, script)._patch({"Name": "x"}, etag='W/"1"', return_entity=False)
    assert (raised.value.status, raised.value.method) == (412, "PATCH")


def test_an_item_reached_from_an_entity_sends_its_etag_where_the_set_declares_concurrency(shop: ModuleType) -> None:
    order = structure(order_json(1, etag='W/"7"'), shop.Order)
    script = Script(no_content(), no_content(), no_content())
    client = shop.Client(SHOP_ROOT, transport=script.transport)
    item = client.orders.navigate(order)
    item._patch({"Note": "a"}, etag=None, return_entity=False)
    item._patch({"Note": "b"}, etag='W/"9"', return_entity=False)  # an explicit etag wins
    client.orders.navigate(1)._patch({"Note": "c"}, etag=None, return_entity=False)  # a plain key has none
    assert script.urls == [f"{SHOP_ROOT}/Orders(1)"] * 3
    assert [r.headers.get("If-Match") for r in script.requests] == ['W/"7"', 'W/"9"', None]
    assert client.orders.navigate(order)._patch_request({"Note": "d"}, None, False)["headers"] == {"If-Match": 'W/"7"'}


def test_the_etag_is_the_same_as_the_sets_own_patch_sends(shop: ModuleType) -> None:
    order = structure(order_json(1, etag='W/"7"'), shop.Order)
    script = Script(no_content(), no_content())
    client = shop.Client(SHOP_ROOT, transport=script.transport)
    client.orders.patch(order, note="a")
    client.orders.navigate(order)._patch({"Note": "a"}, etag=None, return_entity=False)
    assert script.urls[0] == script.urls[1] and script.body(0) == script.body(1)
    assert script.requests[0].headers["If-Match"] == script.requests[1].headers["If-Match"] == 'W/"7"'


def test_the_entitys_etag_is_kept_by_a_cast_not_by_a_navigation(trippin: ModuleType) -> None:
    """TripPin's People declares optimistic concurrency; a person's photo is another entity, with its own etag."""
    person = structure({"@odata.etag": 'W/"2"', "UserName": "russellwhyte"}, trippin.Person)
    script = Script(no_content(), no_content())
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    item = client.people.navigate(person)
    item.cast(trippin.PersonItem)._patch({"FirstName": "R"}, etag=None, return_entity=False)
    item.photo._patch({"Name": "p.png"}, etag=None, return_entity=False)
    assert script.urls == [f"{PERSON}/Microsoft.OData.SampleService.Models.TripPin.Person", f"{PERSON}/Photo"]
    assert [r.headers.get("If-Match") for r in script.requests] == ['W/"2"', None]


def test_the_async_item_patches_alike(trippin: ModuleType) -> None:
    script = Script(ok({**TRIP_1, "Name": "Async"}))

    async def run() -> Any:
        async with trippin.AsyncClient(TRIPPIN_ROOT, transport=script.transport) as client:
            item = client.people.navigate("russellwhyte").trips.navigate(TRIP_1["TripId"])
            return await item._patch({"Name": "Async"}, etag='W/"4"', return_entity=True)

    trip = asyncio.run(run())
    (request,) = script.requests
    assert (request.method, str(request.url), request.headers["If-Match"]) == (
        "PATCH",
        f"{PERSON}/Trips({TRIP_1['TripId']})",
        'W/"4"',
    )
    assert trip.name == "Async"


def test_the_async_item_keeps_the_etag_of_the_entity_it_was_reached_from(shop: ModuleType) -> None:
    order = structure(order_json(1, etag='W/"7"'), shop.Order)
    script = Script(no_content())

    async def run() -> None:
        async with shop.AsyncClient(SHOP_ROOT, transport=script.transport) as client:
            await client.orders.navigate(order)._patch({"Note": "a"}, etag=None, return_entity=False)

    asyncio.run(run())
    assert script.requests[0].headers["If-Match"] == 'W/"7"'


# --- end to end ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(trippin: ModuleType) -> Iterator[tuple[Any, Any]]:
    app = create_app(spec_from_arguments(TRIPPIN_CSDL, "served", Path("unused")), rows=12, seed=7)
    with SandboxServer(app) as server, trippin.Client(server.url) as client:
        yield app.state.sandbox, client
    app.state.sandbox.store.close()


def test_a_persons_contained_trip_is_changed_in_the_sandbox(served: tuple[Any, Any]) -> None:
    sandbox, client = served
    person = next(p for p in client.people.query().list() if client.people.navigate(p.user_name).trips.query().first())
    trips = client.people.navigate(person.user_name).trips
    trip = trips.query().first()
    changed = trips.navigate(trip.trip_id)._patch({"Name": "Changed here"}, etag=None, return_entity=True)
    assert changed.name == "Changed here" and changed.trip_id == trip.trip_id
    assert trips.navigate(trip.trip_id).get().name == "Changed here"
    rows = sandbox.store.execute('SELECT "Name" FROM "People/Trips" WHERE "TripId" = ?', (trip.trip_id,))
    assert [row["Name"] for row in rows] == ["Changed here"]


def test_the_me_singletons_contained_trip_is_changed_in_the_sandbox(served: tuple[Any, Any]) -> None:
    _, client = served
    trip = client.me.trips.query().first()
    assert trip is not None
    assert client.me.trips.navigate(trip.trip_id)._patch({"Budget": 123}, etag=None, return_entity=False) is None
    assert client.me.trips.navigate(trip.trip_id).get().budget == 123


def test_a_single_valued_navigation_target_is_changed_in_the_sandbox(served: tuple[Any, Any]) -> None:
    _, client = served
    person = next(p for p in client.people.query().list() if _has_photo(client, p.user_name))
    photo = client.people.navigate(person.user_name).photo
    assert photo._patch({"Name": "renamed.png"}, etag=None, return_entity=True).name == "renamed.png"
    assert photo.get().name == "renamed.png"


def _has_photo(client: Any, user_name: str) -> bool:
    from codegen.runtime.http import NotFoundError

    try:
        client.people.navigate(user_name).photo.get()
    except NotFoundError:
        return False
    return True
