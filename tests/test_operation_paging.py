"""Operation results that come in pages: an action's or function's collection follows `@odata.nextLink`.

A server may page the result of an action (whose POST cannot be sent again: the next pages are GETs of the
links) or of a function. The links get the checks query paging gives them (codegen/runtime/http/paging.py):
same origin only, never one carrying the client's credentials, never a page twice. Checked by method, URL and
body against a mock transport, and end to end against the sandbox, which pages TripPin's GetFriendsTrips.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from codegen.runtime.http import BearerAuth, PagingError
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import spec_from_arguments

from client_support import FIXTURES, TRIPPIN_CSDL, Script, generated_client_module, ok

ROOT = "https://default.example.com"
OPS = "Default"
DISCOUNT = f"{ROOT}/Products/{OPS}.Discount"
TRIP = "Microsoft.OData.SampleService.Models.TripPin"


def products(*ids: int, next_link: str | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {"value": [{"ProductID": i, "Name": f"P{i}", "UnitPrice": 1.5} for i in ids]}
    if next_link is not None:
        page["@odata.nextLink"] = next_link
    return page


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(
        tmp_path_factory, "default_operation_paging", FIXTURES / "csdl" / "odatanet-DefaultServiceCsdl.xml"
    )


def discount(module: ModuleType, *outcomes: httpx.Response) -> tuple[list[Any], Script]:
    script = Script(*outcomes)
    with module.Client(ROOT, transport=script.transport) as client:
        return client.products.discount(percentage=10), script


# --- mock transport --------------------------------------------------------------------------------------


def test_an_action_result_follows_next_links_with_gets(default: ModuleType) -> None:
    found, script = discount(
        default,
        ok(products(1, 2, next_link=f"{ROOT}/Products?$skiptoken=2")),
        ok(products(3, next_link="Products?$skiptoken=3")),  # relative: against the service root
        ok(products(4)),
    )
    assert [p.product_id for p in found] == [1, 2, 3, 4]
    assert all(isinstance(p, default.Product) for p in found)
    assert script.methods == ["POST", "GET", "GET"]
    assert script.urls == [DISCOUNT, f"{ROOT}/Products?$skiptoken=2", f"{ROOT}/Products?$skiptoken=3"]
    assert script.body(0) == {"percentage": 10}
    assert [r.content for r in script.requests[1:]] == [b"", b""]  # the arguments are not sent again


def test_an_unpaged_result_is_one_request(default: ModuleType) -> None:
    found, script = discount(default, ok(products(1, 2)))
    assert ([p.product_id for p in found], script.methods) == ([1, 2], ["POST"])


def test_an_empty_answer_is_an_empty_collection(default: ModuleType) -> None:
    found, _ = discount(default, httpx.Response(204))
    assert found == []


@pytest.mark.parametrize(
    ("link", "fragment"),
    [
        ("https://evil.example.com/Products?$skiptoken=2", "leaves the service's origin"),
        ("http://default.example.com/Products?$skiptoken=2", "leaves the service's origin"),  # scheme downgrade
        ("https://default.example.com:8443/Products", "leaves the service's origin"),
        ("http://[::1", "is not a URL"),
        (f"{DISCOUNT}", "repeats a page already read"),  # the POST's own URL
    ],
)
def test_a_hostile_next_link_is_refused_before_it_is_sent(default: ModuleType, link: str, fragment: str) -> None:
    script = Script(ok(products(1, next_link=link)))
    with default.Client(ROOT, transport=script.transport) as client:
        with pytest.raises(PagingError, match=fragment):
            client.products.discount(percentage=10)
    assert script.methods == ["POST"]


def test_a_next_link_that_loops_is_refused(default: ModuleType) -> None:
    page2 = f"{ROOT}/Products?$skiptoken=2"
    script = Script(ok(products(1, next_link=page2)), ok(products(2, next_link=page2)))
    with default.Client(ROOT, transport=script.transport) as client:
        with pytest.raises(PagingError, match="repeats a page already read"):
            client.products.discount(percentage=10)
    assert len(script.requests) == 2


@pytest.mark.parametrize("body", [{"value": "x", "@odata.nextLink": "P?$skiptoken=1"}, {"@odata.nextLink": 5}])
def test_a_malformed_paged_answer_is_a_paging_error(default: ModuleType, body: dict[str, Any]) -> None:
    with pytest.raises(PagingError):
        discount(default, ok(body))


def test_a_next_link_carrying_the_credentials_is_not_followed(default: ModuleType) -> None:
    secret = "s3cret-token-value"
    script = Script(ok(products(1, next_link=f"{ROOT}/Products?token={secret}")))
    auth = BearerAuth(secret)
    with default.Client(ROOT, transport=script.transport, auth=auth) as client:
        with pytest.raises(PagingError, match="carries this client's credentials") as raised:
            client.products.discount(percentage=10)
    assert secret not in str(raised.value)
    assert script.methods == ["POST"]


def test_pages_are_read_lazily_one_at_a_time(default: ModuleType) -> None:
    """`_invoke_iter` (what `_invoke` lists): the second page is asked for only once the first is used up."""
    script = Script(ok(products(1, 2, next_link="Products?$skiptoken=2")), ok(products(3)))
    with default.Client(ROOT, transport=script.transport) as client:
        items = client.products._invoke_iter("action", f"{OPS}.Discount", {"percentage": 1}, returns=default.Product)
        assert [next(items).product_id, next(items).product_id] == [1, 2]
        assert len(script.requests) == 1
        assert [p.product_id for p in items] == [3]
    assert script.methods == ["POST", "GET"]


def test_the_async_client_follows_the_same_links(default: ModuleType) -> None:
    script = Script(ok(products(1, next_link="Products?$skiptoken=1")), ok(products(2)))

    async def run() -> list[Any]:
        async with default.AsyncClient(ROOT, transport=script.transport) as client:
            result: list[Any] = await client.products.discount(percentage=10)
            return result

    assert [p.product_id for p in asyncio.run(run())] == [1, 2]
    assert script.methods == ["POST", "GET"]


def test_the_async_client_refuses_a_foreign_link(default: ModuleType) -> None:
    script = Script(ok(products(1, next_link="https://evil.example.com/P")))

    async def run() -> None:
        async with default.AsyncClient(ROOT, transport=script.transport) as client:
            await client.products.discount(percentage=10)

    with pytest.raises(PagingError, match="leaves the service's origin"):
        asyncio.run(run())
    assert script.methods == ["POST"]


# --- end to end ------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def trippin(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Any, Any, ModuleType]]:
    module = generated_client_module(tmp_path_factory, "trippin_operation_paging", TRIPPIN_CSDL)
    spec = spec_from_arguments(TRIPPIN_CSDL, "served", Path("unused"))
    app = create_app(spec, rows=12, seed=7, page_size=2)
    with SandboxServer(app) as server, module.Client(server.url) as client:
        yield app.state.sandbox, client, module
    app.state.sandbox.store.close()


def test_a_function_result_is_read_across_the_sandbox_pages(trippin: tuple[Any, Any, ModuleType]) -> None:
    _, client, module = trippin
    trips = {
        p.user_name: [t.trip_id for t in client.people.navigate(p.user_name).trips.query().list()]
        for p in client.people.query().list()
    }
    name = max(trips, key=lambda n: len(trips[n]))
    expected = trips[name]
    assert len(expected) > 2, "the sandbox must give someone more trips than one page (2) holds"
    item = client.people.navigate(name)
    found = item._invoke(
        "function", f"{TRIP}.GetFriendsTrips", {"userName": name}, returns=module.Trip, collection=True
    )
    assert all(isinstance(t, module.Trip) for t in found)
    assert [t.trip_id for t in found] == expected
    # the generated method (a query over the function's result) reads the same entities
    assert [t.trip_id for t in item.get_friends_trips(user_name=name).query().list()] == expected
