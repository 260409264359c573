"""The generated synchronous client (`AimbaseClient`) and the typed query layer end to end, against the sandbox
over real HTTP on 127.0.0.1.

tests/test_sandbox.py proves the server with raw httpx; here every request is built by the typed layer and sent
by the generated client, and every result is compared with SQL over the sandbox's own data (the oracle is in
tests/e2e_support.py). One sandbox (600 leads, server pages of 100) is shared by the module; faults, the token
clock and the token lifetime are reset after each test. Tests that change data use leads of their own:
80101-80199 PATCH and errors, 80201-80299 concurrency, 80300 now().
"""

from __future__ import annotations

import datetime as dt
import inspect
import logging
import socket
import threading
import time
import uuid
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from aimbase import AimbaseClient, Brand, Customs, Lead, QBrand, QCompany, QDealer, QLead, QProduct, QProspect
from aimbase.client import BrandsEntitySet, LeadsEntitySet, ProspectsEntitySet
from client_support import Waits
from codegen.runtime import UNSET, unstructure
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
from codegen.runtime.query import desc, expand, now, raw
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
    SERVICE,
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
    search_ids,
    sql_ids,
    utc,
)

NO_WAIT = RetryPolicy(backoff_base=0.0, sleep=lambda _: None)


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


@pytest.fixture(autouse=True)
def reset(sandbox: Sandbox) -> Iterator[None]:
    """Whatever a test does to faults, the token clock or the token lifetime is undone after it."""
    clock, ttl = sandbox.tokens.clock, sandbox.tokens.ttl
    yield
    sandbox.faults = None
    sandbox.tokens.clock, sandbox.tokens.ttl = clock, ttl


@pytest.fixture(scope="module")
def client(server: SandboxServer) -> Iterator[AimbaseClient]:
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=NO_WAIT) as aimbase:
        yield aimbase


def recording_client(url: str, recorder: Recorder, *, timeout: float = 10, **kwargs: Any) -> AimbaseClient:
    """A client whose httpx client records every request (the session leaves a client passed in open)."""
    kwargs.setdefault("retry", NO_WAIT)
    kwargs.setdefault("username", USER)
    kwargs.setdefault("password", PASSWORD)
    http = httpx.Client(event_hooks={"request": [recorder]}, timeout=timeout)
    return AimbaseClient(url, client=http, **kwargs)


def ids_of(entities: Sequence[Any]) -> list[Any]:
    return [entity.id for entity in entities]


# --- 1. every query feature, checked against SQL -----------------------------------------------------------


@pytest.mark.parametrize("case", FILTER_CASES, ids=[c.id for c in FILTER_CASES])
def test_typed_filter_selects_what_sql_selects(client: AimbaseClient, sandbox: Sandbox, case: Case) -> None:
    attribute, query_type = SETS[case.entity_set]
    entity_set = getattr(client, attribute)
    got = ids_of(entity_set.query().filter(case.filter).select(query_type.id).list())
    expected = expected_ids(sandbox, case)
    assert got == expected  # the server's default order is by key, like the oracle's
    total = len(sql_ids(sandbox, case.entity_set))
    assert case.trivial or 0 < len(expected) < total


def test_expand_levels_is_a_bad_request(client: AimbaseClient) -> None:
    """`$levels` is written by the typed layer; the sandbox does not support it (a 400 naming it)."""
    with pytest.raises(BadRequestError) as raised:
        client.leads.query().expand(expand(QLead.prospect, levels=2)).first()
    assert raised.value.target == "$levels"


def test_bound_actions_are_echoed_and_creation_is_not_implemented(client: AimbaseClient, sandbox: Sandbox) -> None:
    """A bound action is answered by the sandbox's generic echo (204: it returns nothing); a POST is a 501."""
    assert client.dealers.set_dealer_radius(1, brand_id=2, radius=50) is None
    brands = len(sql_ids(sandbox, "Brands"))
    with pytest.raises(ServerError) as raised:
        client.brands.create(Brand(id=99, code="NEW", name="New", is_active=True, is_default=False))
    assert raised.value.status == 501 and len(sql_ids(sandbox, "Brands")) == brands


@pytest.mark.parametrize("what, expression", UNSUPPORTED, ids=[u[0] for u in UNSUPPORTED])
def test_what_the_sandbox_does_not_evaluate_is_a_bad_request(client: AimbaseClient, what: str, expression: Any) -> None:
    entity_set = client.dealers if "Products" in str(expression) else client.leads
    with pytest.raises(BadRequestError) as raised:
        entity_set.query().filter(expression).list()
    assert raised.value.status == 400 and raised.value.code == "BadRequest"


def test_exact_values_of_each_type_select_their_entities(client: AimbaseClient, sandbox: Sandbox) -> None:
    rows = sandbox.store.execute(
        "SELECT Id, LeadUid, LeadDate, DealerDistanceMiles FROM Leads WHERE DealerDistanceMiles IS NOT NULL "
        "ORDER BY Id LIMIT 3"
    )
    uids = [uuid.UUID(row["LeadUid"]) for row in rows]
    leads = client.leads.query()
    # Guid: eq and in
    assert ids_of(leads.filter(QLead.lead_uid == uids[0]).list()) == [rows[0]["Id"]]
    assert ids_of(leads.filter(QLead.lead_uid.in_(uids)).list()) == [row["Id"] for row in rows]
    # Decimal: the stored digits, exactly
    miles = Decimal(rows[1]["DealerDistanceMiles"])
    found = leads.filter(QLead.dealer_distance_miles == miles).list()
    assert [lead.dealer_distance_miles for lead in found] == [miles] * len(found) and rows[1]["Id"] in ids_of(found)
    # DateTimeOffset: the same instant written in another offset selects the entity
    stored = dt.datetime.fromisoformat(rows[2]["LeadDate"])
    same_instant = stored.astimezone(IST)
    assert ids_of(leads.filter(QLead.lead_date == same_instant).list()) == sql_ids(
        sandbox, "Leads", f"{utc('t.LeadDate')} = {utc('?')}", params=[stored.isoformat()]
    )
    # date(): the calendar day in the value's own offset
    day = dt.date.fromisoformat(rows[2]["LeadDate"][:10])
    assert ids_of(leads.filter(QLead.lead_date.date() == day).list()) == sql_ids(
        sandbox, "Leads", "substr(t.LeadDate, 1, 10) = ?", params=[day.isoformat()]
    )


def test_now_compares_with_the_servers_clock(client: AimbaseClient, sandbox: Sandbox) -> None:
    future = dt.datetime.now(CST).replace(microsecond=0) + dt.timedelta(days=30)
    client.leads.patch(80300, lead_date=future)
    assert ids_of(client.leads.query().filter(QLead.lead_date > now()).list()) == [80300]
    assert client.leads.query().filter(QLead.lead_date <= now()).count() == ROWS - 1


def test_trim_finds_a_padded_value_written_through_the_client(client: AimbaseClient, sandbox: Sandbox) -> None:
    prospect_id = sql_ids(sandbox, "Prospects")[7]
    client.prospects.patch(prospect_id, city="  Padded Town \t")
    assert sandbox.store.execute("SELECT City FROM Prospects WHERE Id = ?", [prospect_id])[0]["City"] == (
        "  Padded Town \t"
    )
    assert ids_of(client.prospects.query().filter(QProspect.city.trim() == "Padded Town").list()) == [prospect_id]
    assert ids_of(client.prospects.query().filter(QProspect.city == "Padded Town").list()) == []
    assert ids_of(client.prospects.query().filter(QProspect.city.trim() != QProspect.city).list()) == sql_ids(
        sandbox, "Prospects", "trim(t.City, ' ' || char(9)) != t.City"
    )


def test_search(client: AimbaseClient, sandbox: Sandbox) -> None:
    got = ids_of(client.prospects.query().search("québec").list())
    assert got == search_ids(sandbox, "Prospects", [["québec"]]) and got
    query = client.prospects.query().search("Nashville OR Miami")
    got = ids_of(query.list())
    assert got == search_ids(sandbox, "Prospects", [["Nashville"], ["Miami"]]) and got
    assert query.count() == len(got)  # /$count keeps $search
    both = ids_of(client.prospects.query().search("nashville GARCÍA").filter(QProspect.score > 10).list())
    with_score = set(sql_ids(sandbox, "Prospects", "t.Score > 10"))
    assert both == [k for k in search_ids(sandbox, "Prospects", [["nashville", "GARCÍA"]]) if k in with_score]
    assert both  # every word, ignoring (Unicode) case, and the filter


@pytest.mark.parametrize("name, keys, order", ORDERINGS, ids=[o[0] for o in ORDERINGS])
def test_order_by_follows_sql(
    client: AimbaseClient, sandbox: Sandbox, name: str, keys: Sequence[Expression | OrderKey], order: str
) -> None:
    query = client.leads.query().select(QLead.id).order_by(*keys)
    got = ids_of(query.list(max_page_size=250))
    assert got == sql_ids(sandbox, "Leads", order=order)
    assert len(got) == ROWS


def test_top_and_skip_across_pages(client: AimbaseClient, sandbox: Sandbox) -> None:
    recorder = Recorder()
    with recording_client(client.session.service_root.rsplit("/odata", 1)[0], recorder) as own:
        query = own.leads.query().order_by(desc(QLead.score)).skip(37).top(45).select(QLead.id)
        got = ids_of(query.list(max_page_size=20))
    assert got == sql_ids(sandbox, "Leads", order="t.Score DESC")[37:82]
    assert len(recorder.odata("GET")) == 3  # 20 + 20 + 5


WEIRD = "100% + #1 & co? 🚤 'quoted' /slash;semi=eq"  # everything a URL or a literal could get wrong


def test_special_characters_survive_patch_filter_and_next_links(server: SandboxServer, sandbox: Sandbox) -> None:
    for key in (80110, 80111, 80112):
        assert sandbox.store.execute("SELECT Medium FROM Leads WHERE Id = ?", [key])[0]["Medium"] != WEIRD
    recorder = Recorder()
    with recording_client(server.url, recorder) as own:
        for key in (80110, 80111, 80112):
            own.leads.patch(key, medium=WEIRD)
        assert sql_ids(sandbox, "Leads", "t.Medium = ?", params=[WEIRD]) == [80110, 80111, 80112]
        for condition in (
            QLead.medium == WEIRD,
            QLead.medium.contains("% + #1 & co?"),
            QLead.medium.endswith("/slash;semi=eq") & (QLead.medium.length() == len(WEIRD)),
        ):
            assert ids_of(own.leads.query().filter(condition).list()) == [80110, 80111, 80112]
        # a filter whose literals are percent-encoded (+ of an offset, &, ', %, #) across server pages
        condition = (QLead.lead_date >= dt.datetime(2023, 1, 1, tzinfo=IST)) & (
            (QLead.medium == WEIRD) | (QLead.prospect.company.name != "O'Connor & Sons")
        )
        got = ids_of(own.leads.query().filter(condition).select(QLead.id).list(max_page_size=50))
    company = "(SELECT c.Name FROM Prospects p JOIN Companies c ON c.Id = p.CompanyId WHERE p.Id = t.ProspectId)"
    expected = sql_ids(
        sandbox,
        "Leads",
        f"{utc('t.LeadDate')} >= '2022-12-31T18:30:00.000' AND (t.Medium IS ? OR {company} IS NOT ?)",
        params=[WEIRD, "O'Connor & Sons"],
    )
    assert got == expected and len(got) > 50 * 3
    pages = recorder.odata("GET")[-len(range(0, len(got), 50)) :]
    assert all("%2B05:30" in r.url and "%26%20Sons" in r.url for r in pages)
    assert all("$skiptoken=" in r.url for r in pages[1:])


def test_select_leaves_out_what_was_not_selected(client: AimbaseClient, sandbox: Sandbox) -> None:
    query = client.leads.query().select(QLead.id, QLead.score, QLead.follow_up_status_code).top(30)
    leads = query.list()
    expected = sandbox.store.execute("SELECT Id, Score, FollowUpStatusCode FROM Leads ORDER BY Id LIMIT 30")
    assert [(x.id, x.score, x.follow_up_status_code) for x in leads] == [tuple(r.values()) for r in expected]
    for entity in leads:
        for name in ("lead_date", "lead_uid", "is_active"):  # non-nullable and not selected
            with pytest.raises(AttributeError, match="not in the server's response"):
                getattr(entity, name)
        written = unstructure(entity)  # what was not read is not written back either
        assert set(written) - {"@odata.context"} == {"Id", "Score", "FollowUpStatusCode"}


def test_expand_two_levels_with_nested_options(client: AimbaseClient, sandbox: Sandbox) -> None:
    query = (
        client.leads.query()
        .filter(QLead.prospect.company != None)  # noqa: E711
        .expand(
            expand(
                QLead.prospect,
                expand(QProspect.company, select=QCompany.name),
                select=[QProspect.state, QProspect.first_name],
            ),
            expand(QLead.product, QProduct.brand, select=QProduct.name),
        )
        .order_by(desc(QLead.score))
    )
    leads = query.list()
    expected = sandbox.store.execute(
        "SELECT t.Id, p.State, p.FirstName, c.Name AS Company, pr.Name AS Product, b.Code AS Brand "
        "FROM Leads t JOIN Prospects p ON p.Id = t.ProspectId JOIN Companies c ON c.Id = p.CompanyId "
        "LEFT JOIN Products pr ON pr.Id = t.ProductId LEFT JOIN Brands b ON b.Id = pr.BrandId "
        "ORDER BY t.Score DESC, t.Id"
    )
    assert len(leads) == len(expected) > 10
    for entity, row in zip(leads, expected):
        assert entity.id == row["Id"]
        prospect = entity.prospect
        assert prospect is not None and prospect.company is not None
        assert (prospect.state, prospect.first_name, prospect.company.name) == (
            row["State"],
            row["FirstName"],
            row["Company"],
        )
        with pytest.raises(AttributeError):
            prospect.score  # not in the nested $select
        with pytest.raises(AttributeError):
            prospect.company.id
        if row["Product"] is None:
            assert entity.product is None
        else:
            assert entity.product is not None and entity.product.name == row["Product"]
            brand = entity.product.brand
            assert (brand.code if brand else None) == row["Brand"]


def test_expand_a_collection_with_filter_order_top_skip_and_count(client: AimbaseClient, sandbox: Sandbox) -> None:
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
    dealers = client.dealers.query().expand(products).list()
    assert ids_of(dealers) == sql_ids(sandbox, "Dealers")
    for dealer in dealers:
        rows = sandbox.store.execute(
            "SELECT p.Id, p.Name, b.Code FROM Dealers__Products l JOIN Products p ON p.Id = l.t_Id "
            "LEFT JOIN Brands b ON b.Id = p.BrandId WHERE l.s_Id = ? AND p.IsActive ORDER BY p.Name DESC, p.Id",
            [dealer.id],
        )
        assert dealer.instance_annotations["Products@odata.count"] == len(rows)
        got = [(p.id, p.name, p.brand.code if p.brand else None) for p in dealer.products]
        assert got == [(r["Id"], r["Name"], r["Code"]) for r in rows[1:4]]


def test_get_by_key_with_expand_and_select(client: AimbaseClient, sandbox: Sandbox) -> None:
    row = sandbox.store.execute(
        "SELECT t.Id, t.Score, p.Name, c.Name AS Category FROM Leads t JOIN Products p ON p.Id = t.ProductId "
        "JOIN ProductCategories c ON c.Id = p.ProductCategoryId ORDER BY t.Id LIMIT 1"
    )[0]
    entity = client.leads.get(
        row["Id"],
        select=[QLead.id, QLead.score],
        expand=[expand(QLead.product, QProduct.product_category, select=QProduct.name)],
    )
    assert (entity.id, entity.score) == (row["Id"], row["Score"])
    assert entity.product is not None and entity.product.name == row["Name"]
    assert entity.product.product_category is not None and entity.product.product_category.name == row["Category"]
    with pytest.raises(AttributeError):
        entity.lead_date


def test_count_first_list_limit_and_include_count(
    client: AimbaseClient, sandbox: Sandbox, server: SandboxServer
) -> None:
    good = QLead.score >= 60
    expected = sql_ids(sandbox, "Leads", "t.Score >= 60", order="t.Score DESC, t.Id DESC")
    ordered = client.leads.query().filter(good).order_by(desc(QLead.score), desc(QLead.id))
    # count() is /$count with the filter only: $top, $skip and $orderby do not change it
    assert ordered.top(5).skip(2).count() == len(expected) > 3 * 50
    first = ordered.first()
    assert first is not None and first.id == expected[0]
    assert client.leads.query().filter(QLead.score > 1000).first() is None
    recorder = Recorder()
    with recording_client(server.url, recorder) as own:
        assert (
            own.leads.query().order_by(desc(QLead.lead_date)).first().id
            == sql_ids(sandbox, "Leads", order=f"{utc('t.LeadDate')} DESC")[0]  # type: ignore[union-attr]
        )
    assert [r.url.rsplit("&", 1)[-1] for r in recorder.odata()] == ["$top=1"]
    assert client.leads.query().filter(QLead.score > 1000).count() == 0
    pages = list(ordered.include_count().pages(max_page_size=50))
    assert len(pages) >= 3 and all(page.count == len(expected) for page in pages)
    assert [x.id for page in pages for x in page.items] == expected
    # list(limit=N) stops at N entities and reads no page past them
    recorder = Recorder()
    with recording_client(server.url, recorder) as own:
        assert ids_of(own.leads.query().list(limit=PAGE)) == sql_ids(sandbox, "Leads")[:PAGE]
        assert len(recorder.odata("GET")) == 1
        assert ids_of(own.leads.query().list(limit=PAGE + 1)) == sql_ids(sandbox, "Leads")[: PAGE + 1]
        assert len(recorder.odata("GET")) == 3
        assert own.leads.query().list(limit=0) == [] and len(recorder.odata("GET")) == 3


# --- 2. paging ---------------------------------------------------------------------------------------------


def test_paging_with_the_servers_page_size(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    with recording_client(server.url, recorder) as own:
        pages = list(own.leads.query().select(QLead.id, QLead.score).pages())
    assert [len(page.items) for page in pages] == [PAGE] * (ROWS // PAGE)
    got = [x.id for page in pages for x in page.items]
    assert len(got) == len(set(got)) == ROWS and got == sql_ids(sandbox, "Leads")
    requests = recorder.odata("GET")
    assert len(requests) == ROWS // PAGE and all("prefer" not in r.headers for r in requests)
    assert all("$skiptoken=" in r.url for r in requests[1:])


@pytest.mark.parametrize("size", [7, 45])
def test_paging_with_max_page_size(server: SandboxServer, sandbox: Sandbox, size: int) -> None:
    recorder = Recorder()
    condition = (QLead.score >= 40) & (QLead.lead_date >= dt.datetime(2023, 1, 1, tzinfo=CST))
    with recording_client(server.url, recorder) as own:
        query = own.leads.query().filter(condition).order_by(desc(QLead.score)).select(QLead.id)
        pages = list(query.pages(max_page_size=size))
    expected = sql_ids(
        sandbox, "Leads", f"t.Score >= 40 AND {utc('t.LeadDate')} >= '2023-01-01T06:00:00.000'", order="t.Score DESC"
    )
    got = [x.id for page in pages for x in page.items]
    assert len(pages) >= 3 and len(got) == len(set(got)) and got == expected  # no duplicates, no gaps, in order
    assert all(len(page.items) == size for page in pages[:-1]) and 0 < len(pages[-1].items) <= size
    requests = recorder.odata("GET")
    assert len(requests) == len(pages)
    assert all(r.headers["prefer"] == f"odata.maxpagesize={size}" for r in requests)


def test_a_max_page_size_above_the_servers_gets_the_servers(client: AimbaseClient, sandbox: Sandbox) -> None:
    pages = list(client.leads.query().select(QLead.id).pages(max_page_size=5000))
    assert [len(page.items) for page in pages] == [PAGE] * (ROWS // PAGE)


# --- 3. PATCH, errors, auth --------------------------------------------------------------------------------


def test_patch_then_get(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    when = dt.datetime(2025, 3, 9, 1, 59, 59, 500000, tzinfo=CST)
    customs = Customs(dynamic_properties={"PurchaseTimeframe": "Now", "Budget": Decimal("1.50")})
    with recording_client(server.url, recorder) as own:
        before = own.leads.get(80101)
        result = own.leads.patch(
            80101,
            follow_up_status_code="Appointment Set",
            medium="O'Brien & Zoë — “web”",
            event=None,
            lead_date=when,
            customs=customs,
            condition_code="S",
        )
        assert result is None
        patch = recorder.odata("PATCH")[-1]
        body = loads(patch.content)
        assert body == {
            "FollowUpStatusCode": "Appointment Set",
            "Medium": "O'Brien & Zoë — “web”",
            "Event": None,  # None sends null
            "LeadDate": "2025-03-09T01:59:59.5-06:00",
            "Customs": {"PurchaseTimeframe": "Now", "Budget": Decimal("1.50")},
            "ConditionCode": "S",
        }  # and nothing else: UNSET parameters are not sent
        assert b'"Event":null' in patch.content and b'"Budget":1.50' in patch.content
        after = own.leads.get(80101)
    assert (after.follow_up_status_code, after.medium, after.event, after.condition_code) == (
        "Appointment Set",
        "O'Brien & Zoë — “web”",
        None,
        "S",
    )
    assert after.lead_date == when and after.lead_date.utcoffset() == dt.timedelta(hours=-6)
    assert after.customs is not None and after.customs.dynamic_properties == customs.dynamic_properties
    stored = lead(sandbox, 80101)
    assert stored["Event"] is None and stored["LeadDate"] == "2025-03-09T01:59:59.5-06:00"
    assert '"Budget":1.50' in stored["Customs"]
    untouched = {k: v for k, v in unstructure(before).items() if k not in body and not k.startswith("@")}
    assert {k: v for k, v in unstructure(after).items() if k in untouched} == untouched


def test_patch_with_an_entity_as_key_and_return_entity(client: AimbaseClient, sandbox: Sandbox) -> None:
    entity = client.leads.get(80102)
    changed = client.leads.patch(entity, external_id="EXT-e2e", return_entity=True)
    assert isinstance(changed, Lead) and changed.id == 80102 and changed.external_id == "EXT-e2e"
    assert lead(sandbox, 80102)["ExternalId"] == "EXT-e2e"
    assert client.leads.patch(80102, external_id=None, return_entity=True).external_id is None  # type: ignore[union-attr]
    assert lead(sandbox, 80102)["ExternalId"] is None


@pytest.mark.parametrize(
    "entity_set, cls", [("Leads", LeadsEntitySet), ("Prospects", ProspectsEntitySet), ("Brands", BrandsEntitySet)]
)
def test_patch_parameters_are_exactly_the_properties_the_server_lets_change(
    sandbox: Sandbox, entity_set: str, cls: type[Any]
) -> None:
    parameters = inspect.signature(cls.patch).parameters
    keywords = {n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY} - {"etag", "return_entity"}
    model = cls.__model__
    wire = {f.name: f.metadata["odata_wire"] for f in model.__attrs_attrs__ if "odata_wire" in f.metadata}
    assert {wire[name] for name in keywords} == editable_columns(sandbox, entity_set)
    assert all(parameters[name].default is UNSET for name in keywords)
    with pytest.raises(TypeError):
        LeadsEntitySet.patch(object(), 1, score=5)  # type: ignore[arg-type, call-arg]  # not even accepted


def test_raw_patch_of_each_read_only_property_is_refused(client: AimbaseClient, sandbox: Sandbox) -> None:
    before = lead(sandbox, 80103)
    current = loads(client.session.request("GET", "Leads(80103)").content)
    read_only = read_only_columns(sandbox, "Leads")
    assert {"Id", "Score", "LeadUid", "CreateDate", "IsActive"} <= set(read_only)
    for name in read_only:
        with pytest.raises(BadRequestError) as raised:
            client.session.request("PATCH", "Leads(80103)", json={"Medium": "changed", name: current[name]})
        assert raised.value.status == 400 and raised.value.target == name and name in raised.value.message
    assert lead(sandbox, 80103) == before  # nothing was applied, not even the editable Medium


def test_values_the_csdl_forbids_are_refused_before_sending(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    before = lead(sandbox, 80104)
    with recording_client(server.url, recorder) as own:
        with pytest.raises(ClientValidationError, match="MaxLength"):
            own.leads.patch(80104, medium="x" * 201)
        with pytest.raises(ClientValidationError, match="one of"):
            own.leads.patch(80104, condition_code="X")
        with pytest.raises(BadRequestError) as raised:  # mypy refuses None here; the server does too
            own.leads.patch(80104, lead_date=None)  # type: ignore[arg-type]
        assert raised.value.target == "LeadDate"
    assert len(recorder.odata("PATCH")) == 1 and lead(sandbox, 80104) == before


def test_not_found_and_bad_filter(client: AimbaseClient, sandbox: Sandbox) -> None:
    with pytest.raises(NotFoundError) as raised:
        client.leads.get(1)
    assert (raised.value.status, raised.value.code, raised.value.method) == (404, "NotFound", "GET")
    with pytest.raises(NotFoundError):
        client.leads.patch(1, medium="x")
    assert sql_ids(sandbox, "Leads", "t.Id = 1") == []
    # `Score eq eq` is valid syntax (a property may be called eq): the 400 names the unknown property
    with pytest.raises(BadRequestError) as bad:
        client.leads.query().filter(raw("Score eq eq")).list()
    assert (bad.value.status, bad.value.code, bad.value.target) == (400, "BadRequest", "eq")
    assert "property named 'eq'" in bad.value.message
    with pytest.raises(BadRequestError) as bad:  # a syntax error names $filter
        client.leads.query().filter(raw("Score eq")).list()
    assert (bad.value.status, bad.value.target) == (400, "$filter") and "Score eq" in bad.value.message
    with pytest.raises(BadRequestError):
        client.leads.query().filter(raw("Score eq eq")).count()
    with pytest.raises(BadRequestError):
        client.leads.query().filter(QLead.score > 1, raw("Nope eq 1")).first()


def test_no_or_bad_credentials_are_authentication_errors(server: SandboxServer, sandbox: Sandbox) -> None:
    logins = sandbox.tokens.logins
    with AimbaseClient(server.url, retry=NO_WAIT) as anonymous:
        with pytest.raises(AuthenticationError) as raised:
            anonymous.leads.get(80001)
        assert raised.value.status == 401 and "Authenticate" in raised.value.message
    with AimbaseClient(server.url, username=USER, token="00000000-0000-0000-0000-000000000000") as stale:
        with pytest.raises(AuthenticationError, match="not valid"):
            stale.leads.query().count()
    with AimbaseClient(server.url, username=USER, password="wrong-password") as wrong:
        with pytest.raises(AuthenticationError, match="login failed") as failed:
            wrong.leads.get(80001)
        assert "wrong-password" not in str(failed.value)
    assert sandbox.tokens.logins == logins


def test_an_expired_token_means_exactly_one_more_login(server: SandboxServer, sandbox: Sandbox) -> None:
    moment = [1000.0]
    sandbox.tokens.clock = lambda: moment[0]
    sandbox.tokens.ttl = 60
    recorder = Recorder()
    logins = sandbox.tokens.logins
    with recording_client(server.url, recorder) as own:
        assert own.leads.query().count() == ROWS
        assert sandbox.tokens.logins == logins + 1
        moment[0] += 59.9
        own.leads.get(80001)
        assert sandbox.tokens.logins == logins + 1
        moment[0] += 0.1  # the token is now 60 s old: expired
        assert own.leads.get(80001).id == 80001
        assert sandbox.tokens.logins == logins + 2 and recorder.logins() == 2
        # expiry in the middle of paging: the next page gets a 401, one login, the same page again
        seen = []
        for page in own.leads.query().select(QLead.id).pages():  # 6 pages
            seen += [x.id for x in page.items]
            moment[0] += 61
        assert seen == sql_ids(sandbox, "Leads")
        assert sandbox.tokens.logins == logins + 2 + 5 and recorder.logins() == 7
    # count, get, get resent once, then 6 pages of which the last 5 are each resent once
    assert len(recorder.odata()) == 1 + 1 + 2 + 1 + 5 * 2


# --- 4. retries under injected faults ------------------------------------------------------------------------


def test_503_with_retry_after_is_retried_after_that_wait(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(status=503, status_every=2, retry_after=3)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy()) as own:
        got = ids_of(own.leads.query().select(QLead.id).list())  # 6 pages: every page after the first is 503 once
    assert got == sql_ids(sandbox, "Leads")
    assert waits.slept == [3.0] * 5 and waits.drawn == []  # Retry-After used, no backoff drawn
    assert sandbox.fault_control.injected - injected == 5


def test_429_with_retry_after_is_retried_after_that_wait(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    sandbox.faults = Faults(status=429, status_every=3, retry_after=7)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy()) as own:
        assert own.leads.query().count() == ROWS
        assert own.leads.get(80002).id == 80002
        assert own.leads.query().filter(QLead.score > 90).count() == len(sql_ids(sandbox, "Leads", "t.Score > 90"))
    assert waits.slept == [7.0]


def test_retry_after_as_an_http_date(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    later = format_datetime(dt.datetime.now(dt.timezone.utc) + dt.timedelta(seconds=30), usegmt=True)
    sandbox.faults = Faults(status=503, status_every=1, retry_after=later)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy(max_attempts=2)) as own:
        with pytest.raises(ServerError):
            own.leads.get(80001)
    assert len(waits.slept) == 1 and 25 <= waits.slept[0] <= 31


def test_a_retry_after_beyond_the_policy_is_raised_at_once(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(status=429, status_every=1, retry_after=120)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy()) as own:
        with pytest.raises(RateLimitedError) as raised:
            own.leads.get(80001)
    assert raised.value.retry_after == 120 and raised.value.status == 429 and waits.slept == []
    assert sandbox.fault_control.injected - injected == 1


def test_persistent_503_gives_up_after_max_attempts_with_backoff(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(status=503, status_every=1)
    policy = waits.policy(max_attempts=3, backoff_base=0.5, backoff_factor=2)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=policy) as own:
        with pytest.raises(ServerError) as raised:
            own.leads.query().count()
    assert raised.value.status == 503 and raised.value.code == "FaultInjected"
    assert waits.drawn == [(0.0, 0.5), (0.0, 1.0)] and waits.slept == [0.5, 1.0]
    assert sandbox.fault_control.injected - injected == 3


def test_a_throttled_login_is_a_rate_limited_error_and_not_retried(server: SandboxServer, sandbox: Sandbox) -> None:
    """The login is a POST: like any POST it is not sent again after a status, even a 429 (documented policy)."""
    waits = Waits()
    logins = sandbox.tokens.logins
    sandbox.faults = Faults(status=429, status_every=1, retry_after=2, include_login=True)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy()) as own:
        with pytest.raises(RateLimitedError, match="login failed") as raised:
            own.leads.get(80001)
    assert raised.value.retry_after == 2 and raised.value.url is not None and raised.value.url.endswith("/Login")
    assert waits.slept == [] and sandbox.tokens.logins == logins


def test_patch_is_not_retried_after_a_status(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    before, injected = lead(sandbox, 80105), sandbox.fault_control.injected
    sandbox.faults = Faults(status=503, status_every=1, retry_after=0)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy()) as own:
        with pytest.raises(ServerError):
            own.leads.patch(80105, medium="never")
    assert waits.slept == [] and sandbox.fault_control.injected - injected == 1 and lead(sandbox, 80105) == before


def test_a_dropped_connection_on_get_is_retried(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(drop_every=2)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy(backoff_base=0.25)) as own:
        assert own.leads.get(80001).id == 80001  # request 1
        assert own.leads.get(80002).id == 80002  # request 2 dropped, request 3 answers
        got = ids_of(own.leads.query().select(QLead.id).list())  # 6 pages: requests 4, 6, ... 14 dropped
    assert got == sql_ids(sandbox, "Leads")
    assert waits.slept == [0.25] * 7 and sandbox.fault_control.injected - injected == 7


def test_a_connection_dropped_every_time_ends_in_a_transport_error(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    injected = sandbox.fault_control.injected
    sandbox.faults = Faults(drop_every=1)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy(max_attempts=3)) as own:
        with pytest.raises(TransportError) as raised:
            own.leads.get(80001)
    assert isinstance(raised.value.__cause__, httpx.RemoteProtocolError)
    assert len(waits.slept) == 2 and sandbox.fault_control.injected - injected == 3


def test_a_dropped_patch_is_not_retried(server: SandboxServer, sandbox: Sandbox) -> None:
    waits = Waits()
    before, injected = lead(sandbox, 80106), sandbox.fault_control.injected
    sandbox.faults = Faults(drop_every=1)
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=waits.policy()) as own:
        with pytest.raises(TransportError):
            own.leads.patch(80106, medium="maybe")
    assert waits.slept == [] and sandbox.fault_control.injected - injected == 1 and lead(sandbox, 80106) == before


def test_timeouts_retry_reads_but_not_writes(
    server: SandboxServer, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    waits = Waits()
    recorder = Recorder()
    sandbox.faults = Faults(latency=0.4)
    started = time.monotonic()
    policy = waits.policy(max_attempts=2, backoff_base=0.1)
    with recording_client(server.url, recorder, timeout=0.1, retry=policy) as own, caplog.at_level("WARNING"):
        with pytest.raises(RequestTimeoutError) as raised:
            own.leads.get(80001)
        assert isinstance(raised.value.__cause__, httpx.ReadTimeout) and raised.value.method == "GET"
        assert len(recorder.odata("GET")) == 2 and waits.slept == [0.1]
        with pytest.raises(RequestTimeoutError):
            own.leads.patch(80107, medium="late")
        assert len(recorder.odata("PATCH")) == 1 and waits.slept == [0.1]  # the server may have acted: no retry
        time.sleep(max(0.0, started + 1.0 - time.monotonic()))  # the sandbox finishes the abandoned requests
    # a client that went away is not a failure of the sandbox (it was logged as one, with a traceback)
    assert not [r for r in caplog.records if r.name.startswith("codegen.sandbox")]


def test_a_client_leaving_mid_request_is_not_a_sandbox_failure(
    server: SandboxServer, caplog: pytest.LogCaptureFixture
) -> None:
    """Headers promising a body, then the connection closes. Regression: the sandbox logged the login's
    ClientDisconnect as an unhandled ASGI exception, and an OData request's as "sandbox failure" (a 500)."""
    token = httpx.post(server.url + "/api/Security/Login", json={"Username": USER, "Password": PASSWORD}).json()
    host, port = server.url.removeprefix("http://").rsplit(":", 1)
    auth = [f"Authenticate: Avala-Api {token}"]
    with caplog.at_level("WARNING"):
        for method, path, extra in [("POST", "/api/Security/Login", []), ("PATCH", f"{SERVICE}/Leads(80108)", auth)]:
            lines = [f"{method} {path} HTTP/1.1", f"Host: {host}", "Content-Type: application/json", *extra]
            with socket.create_connection((host, int(port)), timeout=5) as sock:
                sock.sendall("\r\n".join([*lines, "Content-Length: 100", "", "{"]).encode())
        time.sleep(0.3)  # the sandbox sees the connection close while it waits for the rest of the body
    assert [r for r in caplog.records if r.levelno >= logging.WARNING] == []


# --- 5. concurrency --------------------------------------------------------------------------------------------

WORKERS = 20


def _run_together(count: int, work: Any) -> list[Any]:
    """`work(i)` in `count` threads released at the same moment; their results in order."""
    barrier = threading.Barrier(count, timeout=10)

    def start(i: int) -> Any:
        barrier.wait()
        return work(i)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(start, range(count)))


def test_20_threads_with_their_own_clients_lose_no_update(server: SandboxServer, sandbox: Sandbox) -> None:
    keys = list(range(80201, 80201 + WORKERS))
    logins = sandbox.tokens.logins

    def work(i: int) -> str | None:
        with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=NO_WAIT) as own:
            own.leads.patch(keys[i], follow_up_status_code=f"own-{i:02}")
            return own.leads.get(keys[i]).follow_up_status_code

    assert _run_together(WORKERS, work) == [f"own-{i:02}" for i in range(WORKERS)]
    rows = sandbox.store.execute(f"SELECT Id, FollowUpStatusCode FROM Leads WHERE Id BETWEEN {keys[0]} AND {keys[-1]}")
    assert {row["Id"]: row["FollowUpStatusCode"] for row in rows} == {k: f"own-{i:02}" for i, k in enumerate(keys)}
    assert sandbox.tokens.logins == logins + WORKERS


def test_20_threads_sharing_one_client_lose_no_update_and_log_in_once(server: SandboxServer, sandbox: Sandbox) -> None:
    keys = list(range(80221, 80221 + WORKERS))
    logins = sandbox.tokens.logins
    with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=NO_WAIT) as shared:

        def work(i: int) -> None:
            shared.leads.patch(keys[i], follow_up_status_code=f"shared-{i:02}")

        _run_together(WORKERS, work)
        assert sandbox.tokens.logins == logins + 1  # the threads waited for one login
        sandbox.tokens.expire_all()  # every thread's next request is refused: still one login between them
        found = _run_together(WORKERS, lambda i: shared.leads.get(keys[i]).follow_up_status_code)
        assert sandbox.tokens.logins == logins + 2
    assert found == [f"shared-{i:02}" for i in range(WORKERS)]
    rows = sandbox.store.execute(f"SELECT Id, FollowUpStatusCode FROM Leads WHERE Id BETWEEN {keys[0]} AND {keys[-1]}")
    assert {row["Id"]: row["FollowUpStatusCode"] for row in rows} == {k: f"shared-{i:02}" for i, k in enumerate(keys)}


def _field_values() -> dict[str, Any]:
    """A distinct value for every editable Lead property (one worker each)."""
    parameters = inspect.signature(LeadsEntitySet.patch).parameters
    names = [n for n, p in parameters.items() if p.kind is p.KEYWORD_ONLY and n not in ("etag", "return_entity")]
    special: dict[str, Any] = {
        "lead_date": dt.datetime(2025, 6, 1, 12, 0, 0, 125000, tzinfo=IST),
        "condition_code": "U",
        "customs": Customs(dynamic_properties={"Worker": "customs"}),
        "metadata": None,
    }
    return {name: special.get(name, f"field-{name}"[:20]) for name in names}


def test_threads_patching_different_fields_of_one_lead_lose_nothing(client: AimbaseClient, sandbox: Sandbox) -> None:
    values = _field_values()
    names = list(values)
    assert len(names) == len(editable_columns(sandbox, "Leads")) >= 12
    _run_together(len(names), lambda i: client.leads.patch(80250, **{names[i]: values[names[i]]}))
    after = client.leads.get(80250)
    for name, value in values.items():
        assert getattr(after, name) == value, name


def test_concurrent_readers_see_consistent_pages_while_writers_patch(client: AimbaseClient, sandbox: Sandbox) -> None:
    condition = (QLead.score >= 30) & QLead.prospect.state.in_(["TX", "FL", "QC", "AZ"])
    expected = sql_ids(
        sandbox,
        "Leads",
        "t.Score >= 30 AND (SELECT p.State FROM Prospects p WHERE p.Id = t.ProspectId) IN ('TX','FL','QC','AZ')",
        order="t.Score DESC",
    )
    keys = {i: 80260 + i for i in range(1, 2 * WORKERS, 2)}  # 80261, 80263, ... 80299

    def work(i: int) -> Any:
        if i % 2:  # a writer: changes a property the readers do not filter or sort on
            for round_ in range(3):
                client.leads.patch(keys[i], follow_up_status_code=f"rw-{i:02}-{round_}")
            return None
        query = client.leads.query().filter(condition).order_by(desc(QLead.score)).select(QLead.id, QLead.score)
        return [x.id for x in query.iter(max_page_size=13)]

    results = _run_together(WORKERS * 2, work)
    readers = [r for i, r in enumerate(results) if i % 2 == 0]
    assert len(readers) == WORKERS and all(r == expected for r in readers) and len(expected) > 3 * 13
    rows = sandbox.store.execute("SELECT Id, FollowUpStatusCode FROM Leads WHERE Id BETWEEN 80261 AND 80299")
    written = {row["Id"]: row["FollowUpStatusCode"] for row in rows}
    assert {key: written[key] for key in keys.values()} == {key: f"rw-{i:02}-2" for i, key in keys.items()}
