"""The generated `patch` of item classes: an entity reached by navigation, a singleton, a contained entity.

By URL, body and headers on a mock transport, then end to end against the sandbox. The runtime's `_patch` under
it is tested in tests/test_navigation_patch.py; here, what the template adds: one keyword per property the
type lets a client change (no key, nothing computed), UNSET left out, the If-Match rules kept.
"""

from __future__ import annotations

import asyncio
import inspect
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest

from codegen.runtime.conversion import structure
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import spec_from_arguments

from client_support import (
    SHOP_ROOT,
    TRIPPIN_CSDL,
    TRIPPIN_ROOT,
    TRIPS,
    Script,
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
    return generated_client_module(tmp_path_factory, "trippin_item_patch", TRIPPIN_CSDL)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return shop_client_module(tmp_path_factory)


def test_the_item_patch_takes_the_types_changeable_properties(trippin: ModuleType) -> None:
    parameters = inspect.signature(trippin.TripItem.patch).parameters
    assert "trip_id" not in parameters  # the key
    assert {"name", "budget", "etag", "return_entity"} <= set(parameters)
    assert all(p.kind is inspect.Parameter.KEYWORD_ONLY for name, p in parameters.items() if name != "self")
    # A singleton's patch is its type's item patch: one signature, whichever way the entity is reached.
    assert trippin.MeSingleton.patch is trippin.PersonItem.patch


def test_a_contained_trip_is_patched_at_its_navigation_path(trippin: ModuleType) -> None:
    script = Script(no_content())
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    trip = client.people.navigate("russellwhyte").trips.navigate(TRIP_1["TripId"])
    assert trip.patch(name="Renamed") is None
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("PATCH", f"{PERSON}/Trips({TRIP_1['TripId']})")
    assert script.body() == {"Name": "Renamed"}  # the UNSET ones are left out
    assert "If-Match" not in request.headers and "Prefer" not in request.headers


def test_a_single_valued_navigation_sends_null_the_etag_and_returns_the_entity(trippin: ModuleType) -> None:
    script = Script(ok({"Id": 5, "Name": None}))
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    photo = client.people.navigate("russellwhyte").photo.patch(name=None, etag='W/"3"', return_entity=True)
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("PATCH", f"{PERSON}/Photo")
    assert script.body() == {"Name": None}
    assert (request.headers["If-Match"], request.headers["Prefer"]) == ('W/"3"', "return=representation")
    assert isinstance(photo, trippin.Photo) and photo.id == 5


def test_the_singleton_is_patched_at_its_name(trippin: ModuleType) -> None:
    script = Script(no_content())
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    client.me.patch(first_name="R", emails=["r@example.com"])
    assert script.urls == [f"{TRIPPIN_ROOT}/Me"]
    assert script.body() == {"FirstName": "R", "Emails": ["r@example.com"]}


def test_an_item_reached_from_an_entity_sends_its_etag_unless_one_is_given(shop: ModuleType) -> None:
    order = structure(order_json(1, etag='W/"7"'), shop.Order)
    script = Script(no_content(), no_content())
    client = shop.Client(SHOP_ROOT, transport=script.transport)
    client.orders.navigate(order).patch(note="a")
    client.orders.navigate(order).patch(note="b", etag='W/"9"')
    assert script.urls == [f"{SHOP_ROOT}/Orders(1)"] * 2
    assert [r.headers.get("If-Match") for r in script.requests] == ['W/"7"', 'W/"9"']
    assert [script.body(0), script.body(1)] == [{"Note": "a"}, {"Note": "b"}]


def test_nothing_to_change_is_refused_before_sending(trippin: ModuleType) -> None:
    script = Script()
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    with pytest.raises(ValueError, match="needs at least one property"):
        client.me.patch()
    assert script.requests == []


def test_the_async_item_patches_alike(trippin: ModuleType) -> None:
    script = Script(ok({**TRIP_1, "Name": "Async"}))

    async def run() -> Any:
        async with trippin.AsyncClient(TRIPPIN_ROOT, transport=script.transport) as client:
            item = client.people.navigate("russellwhyte").trips.navigate(TRIP_1["TripId"])
            return await item.patch(name="Async", return_entity=True)

    trip = asyncio.run(run())
    assert (script.methods, script.urls) == (["PATCH"], [f"{PERSON}/Trips({TRIP_1['TripId']})"])
    assert script.body() == {"Name": "Async"}
    assert trip.name == "Async"


# --- end to end ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def served(trippin: ModuleType) -> Iterator[tuple[Any, Any]]:
    app = create_app(spec_from_arguments(TRIPPIN_CSDL, "served", Path("unused")), rows=12, seed=11)
    with SandboxServer(app) as server, trippin.Client(server.url) as client:
        yield app.state.sandbox, client
    app.state.sandbox.store.close()


def test_a_persons_photo_is_changed_in_the_sandbox(served: tuple[Any, Any]) -> None:
    sandbox, client = served
    people = [p.user_name for p in client.people.query().list()]
    photo = next(client.people.navigate(name).photo for name in people if _has_photo(client, name))
    changed = photo.patch(name="renamed.png", return_entity=True)
    assert changed is not None and changed.name == "renamed.png"
    assert photo.get().name == "renamed.png"
    rows = sandbox.store.execute('SELECT "Name" FROM "Photos" WHERE "Id" = ?', (changed.id,))
    assert [row["Name"] for row in rows] == ["renamed.png"]


def test_a_contained_trip_of_the_singleton_is_changed_in_the_sandbox(served: tuple[Any, Any]) -> None:
    _, client = served
    trip = client.me.trips.query().first()
    assert trip is not None
    assert client.me.trips.navigate(trip.trip_id).patch(budget=321) is None
    assert client.me.trips.navigate(trip.trip_id).get().budget == 321


def _has_photo(client: Any, user_name: str) -> bool:
    from codegen.runtime.http import NotFoundError

    try:
        client.people.navigate(user_name).photo.get()
    except NotFoundError:
        return False
    return True
