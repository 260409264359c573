"""The generated asynchronous client (`AsyncAimbaseClient`) and the typed query layer end to end, against the
sandbox over real HTTP on 127.0.0.1: the async twin of tests/test_e2e.py.

Each test is an `async def` run by `asyncio.run` (the `in_loop` decorator; no plugin), with clients made inside
its own event loop. One sandbox (600 leads, server pages of 100) is shared by the module; faults, the token clock
and the token lifetime are reset after each test; results are compared with SQL over the sandbox's data (the
oracle is in tests/e2e_support.py). Leads of their own: 80101-80199 PATCH and errors, 80201-80299 concurrency.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import functools
import inspect
import time
from collections.abc import Callable, Coroutine, Iterator, Sequence
from decimal import Decimal
from typing import Any

import httpx
import pytest

from aimbase import AsyncAimbaseClient, Customs, Lead, QBrand, QCompany, QDealer, QLead, QProduct, QProspect
from aimbase.client import AsyncLeadsEntitySet
from client_support import Waits
from codegen.runtime import unstructure
from codegen.runtime.http import (
    AuthenticationError,
    BadRequestError,
    ClientValidationError,
    NotFoundError,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from codegen.runtime.http.jsonio import loads
from codegen.runtime.query import desc, expand, raw
from codegen.runtime.query.expressions import Expression
from codegen.runtime.query.options import OrderKey
from codegen.sandbox import Faults, Sandbox, SandboxServer, create_app
from e2e_support import (
    CST,
    FILTER_CASES,
    IST,
    ORDERINGS,
    PAGE,
    PASSWORD,
    ROWS,
    SEED,
    SETS,
    SPEC,
    UNSUPPORTED,
    USER,
    Case,
    Recorder,
    editable_columns,
    expected_ids,
    lead,
    read_only_columns,
    sql_ids,
    utc,
)


async def _no_sleep(_: float) -> None:
    return None


NO_WAIT = RetryPolicy(backoff_base=0.0, async_sleep=_no_sleep)


def in_loop(test: Callable[..., Coroutine[Any, Any, None]]) -> Callable[..., None]:
    """Run an `async def` test with `asyncio.run` (fixtures and parameters pass through)."""

    @functools.wraps(test)
    def run(*args: Any, **kwargs: Any) -> None:
        asyncio.run(test(*args, **kwargs))

    return run


# --- fixtures --------------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    app = create_app(SPEC, rows=ROWS, seed=SEED, page_size=PAGE)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


@pytest.fixture(scope="module")
def sandbox(server: SandboxServer) -> Sandbox:
    found: Sandbox = server.app.state.sandbox
    return found


@pytest.fixture(scope="module")
def url(server: SandboxServer) -> str:
    return server.url


@pytest.fixture(autouse=True)
def reset(sandbox: Sandbox) -> Iterator[None]:
    """Whatever a test does to faults, the token clock or the token lifetime is undone after it."""
    clock, ttl = sandbox.tokens.clock, sandbox.tokens.ttl
    yield
    sandbox.faults = None
    sandbox.tokens.clock, sandbox.tokens.ttl = clock, ttl


def client_for(url: str, recorder: Recorder | None = None, *, timeout: float = 10, **kwargs: Any) -> AsyncAimbaseClient:
    """A logged-in async client for this event loop; with `recorder`, every request it sends is recorded."""
    kwargs.setdefault("retry", NO_WAIT)
    kwargs.setdefault("username", USER)
    kwargs.setdefault("password", PASSWORD)
    if recorder is None:
        return AsyncAimbaseClient(url, timeout=timeout, **kwargs)
    http = httpx.AsyncClient(event_hooks={"request": [recorder.hook]}, timeout=timeout)
    return AsyncAimbaseClient(url, client=http, **kwargs)


def ids_of(entities: Sequence[Any]) -> list[Any]:
    return [entity.id for entity in entities]


# --- 1. every query feature, checked against SQL -----------------------------------------------------------


@pytest.mark.parametrize("case", FILTER_CASES, ids=[c.id for c in FILTER_CASES])
@in_loop
async def test_typed_filter_selects_what_sql_selects(url: str, sandbox: Sandbox, case: Case) -> None:
    attribute, query_type = SETS[case.entity_set]
    async with client_for(url) as client:
        entity_set = getattr(client, attribute)
        got = ids_of(await entity_set.query().filter(case.filter).select(query_type.id).list())
    expected = expected_ids(sandbox, case)
    assert got == expected
    assert case.trivial or 0 < len(expected) < len(sql_ids(sandbox, case.entity_set))


@pytest.mark.parametrize("what, expression", UNSUPPORTED, ids=[u[0] for u in UNSUPPORTED])
@in_loop
async def test_what_the_sandbox_does_not_evaluate_is_a_bad_request(url: str, what: str, expression: Any) -> None:
    async with client_for(url) as client:
        entity_set = client.dealers if "Products" in str(expression) else client.leads
        with pytest.raises(BadRequestError) as raised:
            await entity_set.query().filter(expression).list()
        assert raised.value.status == 400 and raised.value.code == "BadRequest"
        with pytest.raises(BadRequestError, match=r"\$levels"):
            await client.leads.query().expand(expand(QLead.prospect, levels=2)).first()


@pytest.mark.parametrize("name, keys, order", ORDERINGS, ids=[o[0] for o in ORDERINGS])
@in_loop
async def test_order_by_follows_sql(
    url: str, sandbox: Sandbox, name: str, keys: Sequence[Expression | OrderKey], order: str
) -> None:
    async with client_for(url) as client:
        got = ids_of(await client.leads.query().select(QLead.id).order_by(*keys).list(max_page_size=250))
    assert got == sql_ids(sandbox, "Leads", order=order) and len(got) == ROWS


@in_loop
async def test_top_skip_select_and_exact_values(url: str, sandbox: Sandbox) -> None:
    recorder = Recorder()
    async with client_for(url, recorder) as client:
        query = client.leads.query().order_by(desc(QLead.score)).skip(37).top(45).select(QLead.id, QLead.score)
        leads = await query.list(max_page_size=20)
        assert ids_of(leads) == sql_ids(sandbox, "Leads", order="t.Score DESC")[37:82]
        assert len(recorder.odata("GET")) == 3
        for entity in leads:
            with pytest.raises(AttributeError, match="not in the server's response"):
                entity.lead_date
            assert set(unstructure(entity)) == {"Id", "Score"}
        row = sandbox.store.execute(
            "SELECT Id, LeadDate, DealerDistanceMiles FROM Leads WHERE DealerDistanceMiles IS NOT NULL LIMIT 1"
        )[0]
        miles = Decimal(row["DealerDistanceMiles"])
        assert row["Id"] in ids_of(await client.leads.query().filter(QLead.dealer_distance_miles == miles).list())
        instant = dt.datetime.fromisoformat(row["LeadDate"]).astimezone(IST)
        assert row["Id"] in ids_of(await client.leads.query().filter(QLead.lead_date == instant).list())


@in_loop
async def test_expand_two_levels_and_a_collection_with_nested_options(url: str, sandbox: Sandbox) -> None:
    async with client_for(url) as client:
        leads = await (
            client.leads.query()
            .filter(QLead.prospect.company != None)  # noqa: E711
            .expand(
                expand(QLead.prospect, expand(QProspect.company, select=QCompany.name), select=QProspect.state),
                expand(QLead.product, QProduct.brand, select=QProduct.name),
            )
            .list()
        )
        products = expand(
            QDealer.products,
            expand(QProduct.brand, select=QBrand.code),
            select=[QProduct.id, QProduct.name],
            filter=QProduct.is_active,
            order_by=desc(QProduct.name),
            top=3,
            skip=1,
            count=True,
        )
        dealers = await client.dealers.query().expand(products).list()
    expected = sandbox.store.execute(
        "SELECT t.Id, p.State, c.Name AS Company, pr.Name AS Product, b.Code AS Brand "
        "FROM Leads t JOIN Prospects p ON p.Id = t.ProspectId JOIN Companies c ON c.Id = p.CompanyId "
        "LEFT JOIN Products pr ON pr.Id = t.ProductId LEFT JOIN Brands b ON b.Id = pr.BrandId ORDER BY t.Id"
    )
    got = []
    for x in leads:
        assert x.prospect is not None and x.prospect.company is not None
        with pytest.raises(AttributeError):
            x.prospect.score
        brand = x.product.brand.code if x.product and x.product.brand else None
        got.append((x.id, x.prospect.state, x.prospect.company.name, x.product.name if x.product else None, brand))
    assert got == [tuple(row.values()) for row in expected] and len(got) > 10
    for dealer in dealers:
        rows = sandbox.store.execute(
            "SELECT p.Id, p.Name, b.Code FROM Dealers__Products l JOIN Products p ON p.Id = l.t_Id "
            "LEFT JOIN Brands b ON b.Id = p.BrandId WHERE l.s_Id = ? AND p.IsActive ORDER BY p.Name DESC, p.Id",
            [dealer.id],
        )
        assert dealer.instance_annotations["Products@odata.count"] == len(rows)
        assert [(p.id, p.name, p.brand.code if p.brand else None) for p in dealer.products] == [
            (r["Id"], r["Name"], r["Code"]) for r in rows[1:4]
        ]


@in_loop
async def test_get_count_first_list_limit_and_include_count(url: str, sandbox: Sandbox) -> None:
    expected = sql_ids(sandbox, "Leads", "t.Score >= 60", order="t.Score DESC, t.Id DESC")
    recorder = Recorder()
    async with client_for(url, recorder) as client:
        entity = await client.leads.get(expected[0], select=[QLead.id], expand=[expand(QLead.prospect)])
        assert entity.id == expected[0] and (entity.prospect is None) == (
            lead(sandbox, expected[0])["ProspectId"] is None
        )
        ordered = client.leads.query().filter(QLead.score >= 60).order_by(desc(QLead.score), desc(QLead.id))
        assert await ordered.top(5).count() == len(expected) > 150
        first = await ordered.first()
        assert first is not None and first.id == expected[0]
        assert await client.leads.query().filter(QLead.score > 1000).first() is None
        pages = [page async for page in ordered.include_count().pages(max_page_size=50)]
        assert len(pages) >= 3 and all(page.count == len(expected) for page in pages)
        assert [x.id for page in pages for x in page.items] == expected
        before = len(recorder.odata("GET"))
        assert ids_of(await client.leads.query().list(limit=PAGE)) == sql_ids(sandbox, "Leads")[:PAGE]
        assert len(recorder.odata("GET")) == before + 1  # no page past the limit


# --- 2. paging ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("size", [None, 7, 45])
@in_loop
async def test_paging_has_no_duplicates_or_gaps(url: str, sandbox: Sandbox, size: int | None) -> None:
    recorder = Recorder()
    condition = (QLead.score >= 40) & (QLead.lead_date >= dt.datetime(2023, 1, 1, tzinfo=IST))
    async with client_for(url, recorder) as client:
        query = client.leads.query().filter(condition).order_by(desc(QLead.score)).select(QLead.id)
        pages = [page async for page in query.pages(max_page_size=size)]
    expected = sql_ids(
        sandbox, "Leads", f"t.Score >= 40 AND {utc('t.LeadDate')} >= '2022-12-31T18:30:00.000'", order="t.Score DESC"
    )
    got = [x.id for page in pages for x in page.items]
    assert len(pages) >= 3 and len(got) == len(set(got)) and got == expected
    per_page = size or PAGE
    assert all(len(page.items) == per_page for page in pages[:-1]) and 0 < len(pages[-1].items) <= per_page
    requests = recorder.odata("GET")
    assert len(requests) == len(pages)
    assert all(r.headers.get("prefer") == (f"odata.maxpagesize={size}" if size else None) for r in requests)


# --- 3. PATCH, errors, auth --------------------------------------------------------------------------------


@in_loop
async def test_patch_then_get(url: str, sandbox: Sandbox) -> None:
    recorder = Recorder()
    when = dt.datetime(2024, 11, 3, 1, 30, 0, 250000, tzinfo=CST)
    customs = Customs(dynamic_properties={"PurchaseTimeframe": "Later", "Budget": Decimal("99.900")})
    async with client_for(url, recorder) as client:
        before = await client.leads.get(80151)
        result = await client.leads.patch(
            80151,
            follow_up_status_code="Contacted",
            medium="Zoë's “async” & co",
            event=None,  # None sends null
            lead_date=when,
            customs=customs,
        )
        assert result is None
        body = loads(recorder.odata("PATCH")[-1].content)
        assert body == {
            "FollowUpStatusCode": "Contacted",
            "Medium": "Zoë's “async” & co",
            "Event": None,
            "LeadDate": "2024-11-03T01:30:00.25-06:00",
            "Customs": {"PurchaseTimeframe": "Later", "Budget": Decimal("99.900")},
        }
        after = await client.leads.get(80151)
        changed = await client.leads.patch(after, external_id="EXT-async", return_entity=True)
    assert (after.follow_up_status_code, after.medium, after.event, after.lead_date) == (
        "Contacted",
        "Zoë's “async” & co",
        None,
        when,
    )
    assert after.customs is not None and after.customs.dynamic_properties == customs.dynamic_properties
    assert isinstance(changed, Lead) and changed.external_id == "EXT-async"
    stored = lead(sandbox, 80151)
    assert stored["Event"] is None and stored["ExternalId"] == "EXT-async" and '"Budget":99.900' in stored["Customs"]
    untouched = {k: v for k, v in unstructure(before).items() if k not in body and k != "ExternalId"}
    assert {k: v for k, v in unstructure(after).items() if k in untouched} == untouched


@in_loop
async def test_read_only_properties_are_not_parameters_and_a_raw_patch_of_them_is_400(
    url: str, sandbox: Sandbox
) -> None:
    parameters = inspect.signature(AsyncLeadsEntitySet.patch).parameters
    keywords = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY} - {"etag", "return_entity"}
    wire = {f.name: f.metadata["odata_wire"] for f in Lead.__attrs_attrs__ if "odata_wire" in f.metadata}
    assert {wire[name] for name in keywords} == editable_columns(sandbox, "Leads")
    before = lead(sandbox, 80153)
    async with client_for(url) as client:
        current = loads((await client.session.request("GET", "Leads(80153)")).content)
        for name in read_only_columns(sandbox, "Leads"):
            with pytest.raises(BadRequestError) as raised:
                await client.session.request("PATCH", "Leads(80153)", json={"Medium": "x", name: current[name]})
            assert raised.value.target == name
        with pytest.raises(ClientValidationError):
            await client.leads.patch(80153, medium="x" * 201)
    assert lead(sandbox, 80153) == before


@in_loop
async def test_not_found_bad_filter_and_missing_credentials(url: str, sandbox: Sandbox) -> None:
    async with client_for(url) as client:
        with pytest.raises(NotFoundError) as missing:
            await client.leads.get(1)
        assert missing.value.status == 404
        with pytest.raises(NotFoundError):
            await client.leads.patch(1, medium="x")
        with pytest.raises(BadRequestError) as bad:
            await client.leads.query().filter(raw("Score eq eq")).list()  # `eq` parses as a property name
        assert bad.value.status == 400 and bad.value.target == "eq"
        with pytest.raises(BadRequestError) as bad:
            await client.leads.query().filter(raw("Score eq")).count()
        assert bad.value.target == "$filter"
    logins = sandbox.tokens.logins
    async with AsyncAimbaseClient(url, retry=NO_WAIT) as anonymous:
        with pytest.raises(AuthenticationError) as raised:
            await anonymous.leads.query().list()
        assert raised.value.status == 401
    async with AsyncAimbaseClient(url, username=USER, password="wrong-password", retry=NO_WAIT) as wrong:
        with pytest.raises(AuthenticationError, match="login failed"):
            await wrong.leads.get(80001)
    assert sandbox.tokens.logins == logins


@in_loop
async def test_an_expired_token_means_exactly_one_more_login(url: str, sandbox: Sandbox) -> None:
    moment = [5000.0]
    sandbox.tokens.clock = lambda: moment[0]
    sandbox.tokens.ttl = 30
    recorder = Recorder()
    logins = sandbox.tokens.logins
    async with client_for(url, recorder) as client:
        assert await client.leads.query().count() == ROWS
        moment[0] += 30
        assert (await client.leads.get(80001)).id == 80001
        assert sandbox.tokens.logins == logins + 2 and recorder.logins() == 2
        assert (await client.leads.get(80002)).id == 80002
        assert sandbox.tokens.logins == logins + 2
        # 20 tasks find the token expired together: one login between them
        sandbox.tokens.expire_all()
        found = await asyncio.gather(*(client.leads.get(80001 + i) for i in range(20)))
        assert ids_of(found) == list(range(80001, 80021))
        assert sandbox.tokens.logins == logins + 3 and recorder.logins() == 3


# --- 4. retries under injected faults ----------------------------------------------------------------------


@pytest.mark.parametrize("status, retry_after", [(503, 3), (429, 7)])
@in_loop
async def test_retry_after_is_the_wait(url: str, sandbox: Sandbox, status: int, retry_after: int) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(status=status, status_every=2, retry_after=retry_after)
    async with client_for(url, retry=waits.policy()) as client:
        got = ids_of(await client.leads.query().select(QLead.id).list())  # 6 pages, pages 2..6 refused once
    assert got == sql_ids(sandbox, "Leads")
    assert waits.slept == [float(retry_after)] * 5 and waits.drawn == []
    assert sandbox.fault_control.injected - injected == 5


@in_loop
async def test_refusals_that_are_not_retried(url: str, sandbox: Sandbox) -> None:
    waits = Waits()
    before = lead(sandbox, 80155)
    sandbox.faults = Faults(status=429, status_every=1, retry_after=600)  # beyond max_retry_after
    async with client_for(url, retry=waits.policy()) as client:
        with pytest.raises(RateLimitedError) as raised:
            await client.leads.get(80001)
        assert raised.value.retry_after == 600
        sandbox.faults = Faults(status=503, status_every=1, retry_after=0)
        with pytest.raises(ServerError):
            await client.leads.patch(80155, medium="never")  # not idempotent: never sent again after a status
        sandbox.faults = Faults(drop_every=1)
        with pytest.raises(TransportError):
            await client.leads.patch(80155, medium="maybe")
    assert waits.slept == [] and lead(sandbox, 80155) == before


@in_loop
async def test_dropped_connections_and_timeouts_on_reads_are_retried(url: str, sandbox: Sandbox) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(drop_every=2)
    async with client_for(url, retry=waits.policy(backoff_base=0.25)) as client:
        assert (await client.leads.get(80001)).id == 80001
        got = ids_of(await client.leads.query().select(QLead.id).list())  # requests 2, 4, ... 12 dropped
    assert got == sql_ids(sandbox, "Leads")
    assert waits.slept == [0.25] * 6 and sandbox.fault_control.injected - injected == 6
    recorder, waits = Recorder(), Waits()
    sandbox.faults = Faults(latency=0.4)
    started = time.monotonic()
    async with client_for(url, recorder, timeout=0.1, retry=waits.policy(max_attempts=2, backoff_base=0.1)) as client:
        with pytest.raises(RequestTimeoutError):
            await client.leads.get(80001)
        with pytest.raises(RequestTimeoutError):
            await client.leads.patch(80156, medium="late")
    assert [r.method for r in recorder.odata()] == ["GET", "GET", "PATCH"] and waits.slept == [0.1]
    await asyncio.sleep(max(0.0, started + 1.0 - time.monotonic()))  # let the sandbox finish what was abandoned


# --- 5. concurrency ----------------------------------------------------------------------------------------

TASKS = 20


@in_loop
async def test_20_tasks_sharing_one_client_lose_no_update(url: str, sandbox: Sandbox) -> None:
    keys = list(range(80201, 80201 + TASKS))
    logins = sandbox.tokens.logins
    async with client_for(url) as client:
        await asyncio.gather(
            *(client.leads.patch(k, follow_up_status_code=f"async-shared-{i:02}") for i, k in enumerate(keys))
        )
        found = await asyncio.gather(*(client.leads.get(k) for k in keys))
    assert [x.follow_up_status_code for x in found] == [f"async-shared-{i:02}" for i in range(TASKS)]
    rows = sandbox.store.execute("SELECT Id, FollowUpStatusCode FROM Leads WHERE Id BETWEEN 80201 AND 80220")
    assert {r["Id"]: r["FollowUpStatusCode"] for r in rows} == {k: f"async-shared-{i:02}" for i, k in enumerate(keys)}
    assert sandbox.tokens.logins == logins + 1  # the tasks waited for one login


@in_loop
async def test_20_tasks_with_their_own_clients_lose_no_update(url: str, sandbox: Sandbox) -> None:
    keys = list(range(80221, 80221 + TASKS))

    async def work(i: int) -> str | None:
        async with client_for(url) as own:
            await own.leads.patch(keys[i], follow_up_status_code=f"async-own-{i:02}")
            return (await own.leads.get(keys[i])).follow_up_status_code

    assert await asyncio.gather(*(work(i) for i in range(TASKS))) == [f"async-own-{i:02}" for i in range(TASKS)]
    rows = sandbox.store.execute("SELECT Id, FollowUpStatusCode FROM Leads WHERE Id BETWEEN 80221 AND 80240")
    assert {r["Id"]: r["FollowUpStatusCode"] for r in rows} == {k: f"async-own-{i:02}" for i, k in enumerate(keys)}


@in_loop
async def test_tasks_patching_different_fields_of_one_lead_lose_nothing(url: str, sandbox: Sandbox) -> None:
    parameters = inspect.signature(AsyncLeadsEntitySet.patch).parameters
    names = [n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY and n not in ("etag", "return_entity")]
    special: dict[str, Any] = {
        "lead_date": dt.datetime(2025, 2, 1, 8, 0, tzinfo=IST),
        "condition_code": "N",
        "customs": Customs(dynamic_properties={"Task": "customs"}),
        "metadata": None,
    }
    values = {name: special.get(name, f"task-{name}"[:20]) for name in names}
    assert len(values) == len(editable_columns(sandbox, "Leads"))
    async with client_for(url) as client:
        await asyncio.gather(*(client.leads.patch(80250, **{name: value}) for name, value in values.items()))
        after = await client.leads.get(80250)
    assert {name: getattr(after, name) for name in values} == values


@in_loop
async def test_concurrent_readers_see_consistent_pages_while_writers_patch(url: str, sandbox: Sandbox) -> None:
    condition = (QLead.score >= 30) & QLead.prospect.state.in_(["TX", "FL", "QC", "AZ"])
    expected = sql_ids(
        sandbox,
        "Leads",
        "t.Score >= 30 AND (SELECT p.State FROM Prospects p WHERE p.Id = t.ProspectId) IN ('TX','FL','QC','AZ')",
        order="t.Score DESC",
    )
    keys = list(range(80261, 80261 + TASKS))
    async with client_for(url) as client:

        async def read() -> list[Any]:
            query = client.leads.query().filter(condition).order_by(desc(QLead.score)).select(QLead.id)
            return [x.id async for x in query.iter(max_page_size=13)]

        async def write(i: int) -> None:
            for round_ in range(3):
                await client.leads.patch(keys[i], follow_up_status_code=f"async-rw-{i:02}-{round_}")

        results = await asyncio.gather(*(read() for _ in range(TASKS)), *(write(i) for i in range(TASKS)))
    readers = results[:TASKS]
    assert all(r == expected for r in readers) and len(expected) > 3 * 13
    rows = sandbox.store.execute("SELECT Id, FollowUpStatusCode FROM Leads WHERE Id BETWEEN 80261 AND 80280")
    assert {r["Id"]: r["FollowUpStatusCode"] for r in rows} == {k: f"async-rw-{i:02}-2" for i, k in enumerate(keys)}
