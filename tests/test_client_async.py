"""The generated asynchronous clients end to end: the async twin of tests/test_client.py.

`AsyncAimbaseClient` (and TripPin's and a tiny CSDL's `AsyncClient`) over `httpx.MockTransport`; each test is
an `async def` run in its own event loop by `asyncio.run` (the `in_loop` decorator), so no plugin is needed.
The behaviours are those of the sync tests: construction, get and queries, PATCH payloads and checks, create
and operations, errors, secrets.
"""

from __future__ import annotations

import asyncio
import functools
import inspect
import json
import logging
import traceback
from collections.abc import AsyncIterator, Callable, Coroutine
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import ModuleType
from typing import Any

import httpx
import pytest

import codegen.runtime.http
from aimbase import AsyncAimbaseClient, Brand, Customs, Lead, QLead
from aimbase.client import AsyncCompaniesEntitySet, AsyncLeadsEntitySet, AsyncProductsEntitySet
from client_support import (
    AIRLINE,
    AIRPORT_KSFO,
    BASE,
    GUID,
    LEAD_114,
    LOGIN_URL,
    PASSWORD,
    ROOT,
    SHOP_ROOT,
    TOKEN,
    TRIPPIN_ROOT,
    TRIPS,
    USERNAME,
    Script,
    Waits,
    error,
    lead_json,
    leads_page,
    login_ok,
    no_content,
    ok,
    order_json,
    shop_client_module,
    trippin_client_module,
)
from codegen.runtime import UNSET, structure
from codegen.runtime.http import (
    AuthenticationError,
    AvalaApiAuth,
    BadRequestError,
    ClientValidationError,
    EntityPage,
    NotFoundError,
    PreconditionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TransportError,
)

NO_RETRY = RetryPolicy(max_attempts=1)
SECRETS = (PASSWORD, GUID, TOKEN)


def in_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an `async def` test with `asyncio.run` (fixtures and parameters pass through)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


def token_client(script: Script, **kwargs: Any) -> AsyncAimbaseClient:
    kwargs.setdefault("retry", NO_RETRY)
    return AsyncAimbaseClient(BASE, username=USERNAME, token=TOKEN, transport=script.transport, **kwargs)


def login_client(script: Script, **kwargs: Any) -> AsyncAimbaseClient:
    kwargs.setdefault("retry", NO_RETRY)
    return AsyncAimbaseClient(BASE, username=USERNAME, password=PASSWORD, transport=script.transport, **kwargs)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked: {text!r}"


def exception_text(raised: BaseException) -> str:
    return "".join(traceback.format_exception(raised)) + str(raised) + repr(raised)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return shop_client_module(tmp_path_factory)


@pytest.fixture(scope="module")
def trippin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return trippin_client_module(tmp_path_factory)


# --- construction ------------------------------------------------------------------------------------------


@in_loop
async def test_password_logs_in_on_first_use_and_sends_the_token() -> None:
    script = Script(login_ok(), ok(LEAD_114), ok(LEAD_114))
    async with login_client(script) as client:
        assert script.requests == []
        await client.leads.get(114)
        await client.leads.get(114)
    login, first, second = script.requests
    assert (login.method, str(login.url)) == ("POST", LOGIN_URL)
    assert json.loads(login.content) == {"Username": USERNAME, "Password": PASSWORD}
    assert (first.method, str(first.url)) == ("GET", f"{ROOT}/Leads(114)")
    assert first.headers["Authenticate"] == second.headers["Authenticate"] == f"Avala-Api {USERNAME}:{GUID}"


@in_loop
async def test_known_token_is_used_without_login() -> None:
    script = Script(ok(LEAD_114))
    async with token_client(script) as client:
        await client.leads.get(114)
    assert script.urls == [f"{ROOT}/Leads(114)"]
    assert script.requests[0].headers["Authenticate"] == f"Avala-Api {USERNAME}:{TOKEN}"


@in_loop
async def test_auth_object() -> None:
    script = Script(ok(LEAD_114))
    async with AsyncAimbaseClient(BASE, auth=AvalaApiAuth(USERNAME, TOKEN), transport=script.transport) as client:
        await client.leads.get(114)
    assert script.requests[0].headers["Authenticate"] == f"Avala-Api {USERNAME}:{TOKEN}"


@pytest.mark.parametrize("service_path, root", [(None, ROOT), ("/odata/V3", f"{BASE}/odata/V3")])
@in_loop
async def test_service_path(service_path: str | None, root: str) -> None:
    script = Script(ok(LEAD_114))
    async with token_client(script, service_path=service_path) as client:
        await client.leads.get(114)
    assert script.urls == [f"{root}/Leads(114)"]


@pytest.mark.parametrize(
    "kwargs",
    [{"auth": AvalaApiAuth(USERNAME, TOKEN), "username": USERNAME}, {"username": USERNAME}, {"token": TOKEN}],
    ids=["auth+username", "username alone", "token alone"],
)
def test_bad_credential_combinations_raise_type_error(kwargs: dict[str, Any]) -> None:
    with pytest.raises(TypeError):
        AsyncAimbaseClient(BASE, transport=Script().transport, **kwargs)


@in_loop
async def test_async_context_manager_closes_the_client() -> None:
    script = Script(ok(LEAD_114))
    async with token_client(script) as client:
        assert isinstance(client, AsyncAimbaseClient)
        await client.leads.get(114)
        assert not client.session.client.is_closed
    assert client.session.client.is_closed
    with pytest.raises(RuntimeError):
        await client.leads.get(114)
    other = token_client(Script())
    await other.aclose()
    assert other.session.client.is_closed


# --- entity sets ---------------------------------------------------------------------------------------------


@in_loop
async def test_get_with_expand_returns_a_typed_lead() -> None:
    script = Script(ok(LEAD_114))
    async with token_client(script) as client:
        lead = await client.leads.get(114, expand=[QLead.prospect])
    assert script.urls == [f"{ROOT}/Leads(114)?$expand=Prospect"]
    assert isinstance(lead, Lead) and lead.id == 114
    assert lead.lead_date.utcoffset() == timedelta(hours=-5)
    assert lead.prospect is not None and lead.prospect.latitude == Decimal("34.448123")


@in_loop
async def test_get_not_found() -> None:
    script = Script(error(404, "No lead with Id 9", code="NotFound"))
    async with token_client(script) as client:
        with pytest.raises(NotFoundError) as raised:
            await client.leads.get(9)
    assert (raised.value.code, raised.value.message) == ("NotFound", "No lead with Id 9")
    assert (raised.value.method, raised.value.url) == ("GET", f"{ROOT}/Leads(9)")


def three_pages() -> Script:
    return Script(
        ok(leads_page([1, 2], next_link="Leads?$filter=Score%20gt%2010&$expand=Prospect&$skiptoken=2")),
        ok(leads_page([3, 4], next_link=f"{ROOT}/Leads?$skiptoken=4")),
        ok(leads_page([5, 6])),
    )


@in_loop
async def test_query_iter_follows_relative_and_absolute_next_links() -> None:
    script = three_pages()
    async with token_client(script) as client:
        iterator = client.leads.query().filter(QLead.score > 10).expand(QLead.prospect).iter()
        assert isinstance(iterator, AsyncIterator)
        assert script.requests == []
        leads = [lead async for lead in iterator]
    assert [lead.id for lead in leads] == [1, 2, 3, 4, 5, 6]
    assert all(isinstance(lead, Lead) for lead in leads)
    assert script.urls == [
        f"{ROOT}/Leads?$filter=Score%20gt%2010&$expand=Prospect",
        f"{ROOT}/Leads?$filter=Score%20gt%2010&$expand=Prospect&$skiptoken=2",
        f"{ROOT}/Leads?$skiptoken=4",
    ]


@in_loop
async def test_query_pages_yield_entity_pages() -> None:
    script = three_pages()
    async with token_client(script) as client:
        pages = [page async for page in client.leads.query().pages()]
    assert all(isinstance(page, EntityPage) for page in pages)
    assert [[lead.id for lead in page.items] for page in pages] == [[1, 2], [3, 4], [5, 6]]
    assert pages[-1].next_link is None


@in_loop
async def test_include_count_exposes_odata_count_on_pages() -> None:
    script = Script(ok(leads_page([1, 2], next_link="Leads?$skiptoken=2", count=3)), ok(leads_page([3])))
    async with token_client(script) as client:
        pages = [page async for page in client.leads.query().include_count().pages()]
    assert script.urls[0] == f"{ROOT}/Leads?$count=true"
    assert [page.count for page in pages] == [3, None]


@in_loop
async def test_first_sends_top_1_and_reads_one_page_at_most() -> None:
    script = Script(ok(leads_page([7, 8], next_link="Leads?$skiptoken=8")), ok(leads_page([])))
    async with token_client(script) as client:
        lead = await client.leads.query().filter(QLead.score > 10).first()
        assert lead is not None and lead.id == 7
        assert await client.leads.query().first() is None
    assert script.urls == [f"{ROOT}/Leads?$filter=Score%20gt%2010&$top=1", f"{ROOT}/Leads?$top=1"]


@in_loop
async def test_count_sends_only_filter_to_the_count_segment() -> None:
    script = Script(httpx.Response(200, text="42"))
    async with token_client(script) as client:
        query = client.leads.query().filter(QLead.score > 10).expand(QLead.prospect).top(5).include_count()
        assert await query.count() == 42
    assert script.urls == [f"{ROOT}/Leads/$count?$filter=Score%20gt%2010"]


@pytest.mark.parametrize(
    "limit, ids, pages_read", [(0, [], 0), (2, [1, 2], 1), (3, [1, 2, 3], 2), (None, [1, 2, 3, 4, 5, 6], 3)]
)
@in_loop
async def test_list_limit_reads_no_page_past_the_limit(limit: int | None, ids: list[int], pages_read: int) -> None:
    script = three_pages()
    async with token_client(script) as client:
        leads = await client.leads.query().list(limit=limit)
    assert [lead.id for lead in leads] == ids
    assert len(script.requests) == pages_read


# --- PATCH ---------------------------------------------------------------------------------------------------


async def patched(**changes: Any) -> tuple[Script, Any]:
    script = Script(no_content())
    async with token_client(script) as client:
        result = await client.leads.patch(114, **changes)
    return script, result


@in_loop
async def test_patch_sends_exactly_the_given_property() -> None:
    script, result = await patched(follow_up_status_code="Contacted", medium=UNSET)
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("PATCH", f"{ROOT}/Leads(114)")
    assert request.content == b'{"FollowUpStatusCode":"Contacted"}'
    assert "If-Match" not in request.headers and "Prefer" not in request.headers
    assert result is None


@pytest.mark.parametrize(
    "changes, body",
    [
        ({"medium": None}, b'{"Medium":null}'),
        (
            {"lead_date": datetime(2024, 5, 1, 9, 30, tzinfo=timezone(timedelta(hours=-5)))},
            b'{"LeadDate":"2024-05-01T09:30:00-05:00"}',
        ),
        (
            {"customs": Customs(dynamic_properties={"PurchaseTimeframe": "Now"})},
            b'{"Customs":{"PurchaseTimeframe":"Now"}}',
        ),
    ],
    ids=["null", "datetime", "open complex"],
)
@in_loop
async def test_patch_bodies(changes: dict[str, Any], body: bytes) -> None:
    script, _ = await patched(**changes)
    assert script.requests[0].content == body


@pytest.mark.parametrize(
    "changes, exception",
    [
        ({}, ValueError),
        ({"medium": UNSET}, ValueError),
        ({"medium": "x" * 201}, ClientValidationError),
        ({"condition_code": "X"}, ClientValidationError),
        ({"lead_date": datetime(2024, 5, 1)}, ValueError),
        ({"score": 5}, TypeError),
    ],
    ids=["nothing", "only UNSET", "MaxLength", "allowed values", "naive datetime", "read-only"],
)
@in_loop
async def test_patch_refuses_before_sending(changes: dict[str, Any], exception: type[Exception]) -> None:
    script = Script()
    async with token_client(script) as client:
        with pytest.raises(exception):
            await client.leads.patch(114, **changes)
    assert script.requests == []


@in_loop
async def test_patch_return_entity() -> None:
    script = Script(ok(lead_json(114, Medium="Web")), no_content(), ok(LEAD_114))
    async with token_client(script) as client:
        returned = await client.leads.patch(114, medium="Web", return_entity=True)
        read_back = await client.leads.patch(114, medium="Web", return_entity=True)
    assert isinstance(returned, Lead) and returned.medium == "Web"
    assert isinstance(read_back, Lead) and read_back.id == 114
    assert script.methods == ["PATCH", "PATCH", "GET"]
    assert [r.headers.get("Prefer") for r in script.requests] == ["return=representation"] * 2 + [None]


@in_loop
async def test_patch_etags_and_precondition_failed() -> None:
    lead = structure({"@odata.etag": 'W/"5"', **json.loads(LEAD_114)}, Lead)
    script = Script(no_content(), error(412, "changed"))
    async with token_client(script) as client:
        await client.leads.patch(lead, medium="Web")  # Leads declare no concurrency: no If-Match
        with pytest.raises(PreconditionFailedError):
            await client.leads.patch(114, medium="Web", etag='W/"1"')
    assert [r.headers.get("If-Match") for r in script.requests] == [None, 'W/"1"']
    assert script.urls == [f"{ROOT}/Leads(114)"] * 2


def test_read_only_properties_are_not_patch_parameters() -> None:
    parameters = inspect.signature(AsyncLeadsEntitySet.patch).parameters
    assert not {"score", "id", "lead_uid", "create_date"} & set(parameters)
    assert {"follow_up_status_code", "medium", "customs"} <= set(parameters)
    assert inspect.iscoroutinefunction(AsyncLeadsEntitySet.patch)
    assert not hasattr(AsyncCompaniesEntitySet, "patch") and not hasattr(AsyncProductsEntitySet, "patch")


@in_loop
async def test_concurrency_set_sends_the_entitys_etag(shop: ModuleType) -> None:
    order = structure(order_json(3, etag='W/"7"'), shop.Order)
    script = Script(no_content(), no_content(), error(412, "ETag mismatch"))
    async with shop.AsyncClient(SHOP_ROOT, transport=script.transport) as client:
        await client.orders.patch(order, note="second")
        await client.orders.patch(3, note="third")
        with pytest.raises(PreconditionFailedError):
            await client.orders.patch(order, note="fourth", etag='W/"6"')
    assert [r.headers.get("If-Match") for r in script.requests] == ['W/"7"', None, 'W/"6"']
    assert script.urls == [f"{SHOP_ROOT}/Orders(3)"] * 3
    parameters = inspect.signature(shop.AsyncOrdersEntitySet.patch).parameters
    assert "note" in parameters and "version" not in parameters and "modified_at" not in parameters


# --- create and operations -----------------------------------------------------------------------------------


@in_loop
async def test_create_posts_the_entity_and_returns_the_servers_version() -> None:
    created = {"@odata.context": f"{ROOT}/$metadata#Brands/$entity", "Id": 17, "Code": "INF", "Name": "Infinity"}
    created.update({"IsActive": True, "IsDefault": False, "ManufacturerCode": None})
    script = Script(ok(created, 201))
    read = structure({**created, "Id": 0}, Brand)  # carries @odata.context, which is not sent
    async with token_client(script) as client:
        result = await client.brands.create(read)
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("POST", f"{ROOT}/Brands")
    assert json.loads(request.content) == {k: v for k, v in created.items() if not k.startswith("@")} | {"Id": 0}
    assert isinstance(result, Brand) and result.id == 17


@in_loop
async def test_bound_action_posts_its_parameters() -> None:
    script = Script(httpx.Response(200), error(503, "busy"))
    async with token_client(script, retry=Waits().policy()) as client:
        await client.dealers.set_dealer_radius(1, brand_id=2, radius=50)
        with pytest.raises(ServerError):  # an action is never retried after a status
            await client.dealers.set_dealer_radius(1, brand_id=2, radius=50)
    assert script.urls == [f"{ROOT}/Dealers(1)/AimbaseOData.DealerMethods.SetDealerRadius"] * 2
    assert script.methods == ["POST", "POST"]
    assert script.requests[0].content == b'{"BrandId":2,"Radius":50}'


@in_loop
async def test_functions_are_gets_with_parameter_aliases(trippin: ModuleType) -> None:
    script = Script(ok(AIRPORT_KSFO), ok(TRIPS), ok(AIRLINE))
    async with trippin.AsyncClient(TRIPPIN_ROOT, transport=script.transport) as client:
        airport = await client.get_nearest_airport(lat=37.6, lon=-122.4)
        trips = await client.people.get_friends_trips("russellwhyte", user_name="scottketchum").query().list()
        airline = await client.people.get_favorite_airline("russellwhyte")
    namespace = "Microsoft.OData.SampleService.Models.TripPin"
    assert script.methods == ["GET"] * 3
    assert script.urls == [
        f"{TRIPPIN_ROOT}/GetNearestAirport(lat=@lat,lon=@lon)?@lat=37.6&@lon=-122.4",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{namespace}.GetFriendsTrips(userName=@userName)?@userName='scottketchum'",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{namespace}.GetFavoriteAirline()",
    ]
    assert type(airport).__name__ == "Airport" and airport.iata_code == "SFO"
    assert [trip.trip_id for trip in trips] == [1001, 1007]
    assert airline.name == "American Airlines"


@in_loop
async def test_actions_in_trippin(trippin: ModuleType) -> None:
    script = Script(no_content(), no_content())
    async with trippin.AsyncClient(TRIPPIN_ROOT, transport=script.transport) as client:
        await client.people.share_trip("russellwhyte", user_name="scottketchum", trip_id=7)
        await client.reset_data_source()
    assert script.methods == ["POST", "POST"]
    assert script.requests[0].content == b'{"userName":"scottketchum","tripId":7}'
    assert script.urls[1] == f"{TRIPPIN_ROOT}/ResetDataSource"


# --- errors ----------------------------------------------------------------------------------------------------


@in_loop
async def test_bad_request() -> None:
    script = Script(error(400, "Invalid $filter", code="BadQuery"))
    async with token_client(script) as client:
        with pytest.raises(BadRequestError) as raised:
            await client.leads.query().filter(QLead.score > 10).list()
    assert raised.value.code == "BadQuery"


@in_loop
async def test_401_with_credentials_logs_in_again_once_then_raises() -> None:
    script = Script(login_ok(), error(401, "Token expired"), login_ok(TOKEN), error(401, "Still no"))
    async with login_client(script) as client:
        with pytest.raises(AuthenticationError) as raised:
            await client.leads.get(114)
    assert script.methods == ["POST", "GET", "POST", "GET"]
    assert script.requests[3].headers["Authenticate"] == f"Avala-Api {USERNAME}:{TOKEN}"
    assert raised.value.message == "Still no"


@in_loop
async def test_401_with_a_known_token_raises_at_once() -> None:
    script = Script(error(401, "Invalid token"))
    async with token_client(script) as client:
        with pytest.raises(AuthenticationError):
            await client.leads.get(114)
    assert len(script.requests) == 1


@in_loop
async def test_429_with_retry_after_is_retried_for_get() -> None:
    waits = Waits()
    script = Script(error(429, "Slow down", **{"Retry-After": "3"}), ok(LEAD_114))
    async with token_client(script, retry=waits.policy()) as client:
        lead = await client.leads.get(114)
    assert lead.id == 114 and waits.slept == [3.0]
    assert len(script.requests) == 2


@in_loop
async def test_429_on_every_attempt_raises_rate_limited() -> None:
    waits = Waits()
    script = Script(*[error(429, "Slow down", **{"Retry-After": "1"}) for _ in range(2)])
    async with token_client(script, retry=waits.policy(max_attempts=2)) as client:
        with pytest.raises(RateLimitedError):
            await client.leads.query().list()
    assert waits.slept == [1.0]


@in_loop
async def test_503_on_patch_is_not_retried() -> None:
    waits = Waits()
    script = Script(error(503, "Service Unavailable", **{"Retry-After": "1"}), no_content())
    async with token_client(script, retry=waits.policy()) as client:
        with pytest.raises(ServerError):
            await client.leads.patch(114, medium="Web")
    assert len(script.requests) == 1 and waits.slept == []


@in_loop
async def test_transport_errors() -> None:
    script = Script(httpx.ConnectError("refused"), httpx.ReadTimeout("slow"))
    async with token_client(script) as client:
        with pytest.raises(TransportError) as raised:
            await client.leads.get(114)
        assert raised.value.url == f"{ROOT}/Leads(114)"
        with pytest.raises(RequestTimeoutError):
            await client.leads.patch(114, medium="Web")


@in_loop
async def test_errors_reprs_and_logs_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    script = Script(
        login_ok(),
        error(429, "Slow down", **{"Retry-After": "0"}),
        error(401, "Token expired"),
        ok({"Message": f"Invalid password {PASSWORD}"}, 401),
    )
    async with login_client(script, retry=Waits().policy()) as client:
        with pytest.raises(AuthenticationError) as raised:
            await client.leads.get(114)
        for obj in [client, client.session, client.leads, client.session.retry]:
            assert_no_secret(repr(obj))
        auth = [o for o in vars(client.session).values() if isinstance(o, codegen.runtime.http.AvalaApiLogin)]
        assert len(auth) == 1
        assert_no_secret(repr(auth[0]))
    assert "Invalid password ***" in str(raised.value)
    assert_no_secret(exception_text(raised.value))
    assert caplog.records
    for record in caplog.records:
        assert_no_secret(record.getMessage())
