"""The generated synchronous clients end to end: `AimbaseClient` (and TripPin's and a tiny CSDL's `Client`) over
`httpx.MockTransport`, from the call a user writes to the exact request sent and the typed value returned.

Lower layers (auth flows, sessions, retries, paging, JSON) have their own tests (tests/test_http_*.py); here
each behaviour is checked once through the generated methods. tests/test_client_async.py is the async twin.

- Construction: credentials (login, known token, auth object), service path, refused combinations, the
  public names, closing.
- Entity sets: get (exact URL, typed entity, errors), queries over several pages, first/count/list/limit.
- PATCH: the body holds exactly what was given (UNSET left out, None as null), values checked before
  sending, read-only properties are not parameters, ETags, return_entity.
- Create and operations: POST bodies, bound actions, bound and unbound functions with typed results.
- Errors end to end, and secrets kept out of errors, reprs and logs.
"""

from __future__ import annotations

import inspect
import json
import logging
import traceback
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from types import ModuleType
from typing import Any
from uuid import UUID

import httpx
import pytest

import codegen.runtime
import codegen.runtime.http
from aimbase import AimbaseClient, Brand, Customs, Dealer, Lead, LeadsEntitySet, QLead, QProduct
from aimbase.client import CompaniesEntitySet, DealersEntitySet, ProductsEntitySet
from client_support import (
    AIRLINE,
    AIRPORT_KSFO,
    BASE,
    GUID,
    LEAD_114,
    LEAD_82540,
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
    BearerAuth,
    ClientValidationError,
    EntityPage,
    NotFoundError,
    ODataError,
    PreconditionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    RetryPolicy,
    ServerError,
    TransportError,
)
from codegen.runtime.query import expand

NO_RETRY = RetryPolicy(max_attempts=1)


def token_client(script: Script, **kwargs: Any) -> AimbaseClient:
    """A client with a known token (no login), over `script`."""
    kwargs.setdefault("retry", NO_RETRY)
    return AimbaseClient(BASE, username=USERNAME, token=TOKEN, transport=script.transport, **kwargs)


def login_client(script: Script, **kwargs: Any) -> AimbaseClient:
    """A client that logs in with a password, over `script`."""
    kwargs.setdefault("retry", NO_RETRY)
    return AimbaseClient(BASE, username=USERNAME, password=PASSWORD, transport=script.transport, **kwargs)


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return shop_client_module(tmp_path_factory)


@pytest.fixture(scope="module")
def trippin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return trippin_client_module(tmp_path_factory)


# --- construction ------------------------------------------------------------------------------------------


def test_password_logs_in_on_first_use_and_sends_the_token() -> None:
    script = Script(login_ok(), ok(LEAD_114), ok(LEAD_114))
    client = login_client(script)
    assert script.requests == []  # nothing is sent before the first call
    client.leads.get(114)
    login, get = script.requests
    assert (login.method, str(login.url)) == ("POST", LOGIN_URL)
    assert json.loads(login.content) == {"Username": USERNAME, "Password": PASSWORD}
    assert "Authenticate" not in login.headers
    assert (get.method, str(get.url)) == ("GET", f"{ROOT}/Leads(114)")
    assert get.headers["Authenticate"] == f"Avala-Api {USERNAME}:{GUID}"
    client.leads.get(114)  # the token is kept: no second login
    assert script.methods == ["POST", "GET", "GET"]
    assert script.requests[2].headers["Authenticate"] == f"Avala-Api {USERNAME}:{GUID}"


def test_known_token_is_used_without_login() -> None:
    script = Script(ok(LEAD_114))
    token_client(script).leads.get(114)
    (get,) = script.requests
    assert str(get.url) == f"{ROOT}/Leads(114)"
    assert get.headers["Authenticate"] == f"Avala-Api {USERNAME}:{TOKEN}"
    assert "Authorization" not in get.headers


@pytest.mark.parametrize(
    "auth, header, value",
    [
        (AvalaApiAuth(USERNAME, TOKEN), "Authenticate", f"Avala-Api {USERNAME}:{TOKEN}"),
        (BearerAuth(TOKEN), "Authorization", f"Bearer {TOKEN}"),
    ],
)
def test_auth_object(auth: httpx.Auth, header: str, value: str) -> None:
    script = Script(ok(LEAD_114))
    AimbaseClient(BASE, auth=auth, transport=script.transport).leads.get(114)
    assert script.requests[0].headers[header] == value


def test_no_credentials_sends_no_auth_header() -> None:
    script = Script(ok(LEAD_114))
    AimbaseClient(BASE, transport=script.transport).leads.get(114)
    assert "Authenticate" not in script.requests[0].headers


@pytest.mark.parametrize(
    "service_path, root",
    [(None, ROOT), ("/odata/V3", f"{BASE}/odata/V3"), ("custom/root/", f"{BASE}/custom/root"), ("/", BASE)],
)
def test_service_path(service_path: str | None, root: str) -> None:
    script = Script(ok(LEAD_114))
    client = token_client(script, service_path=service_path)
    assert client.session.service_root == root
    client.leads.get(114)
    assert script.urls == [f"{root}/Leads(114)"]


def test_service_path_applies_to_login_url_independently() -> None:
    # The login URL hangs off the instance root, not off the service path.
    script = Script(login_ok(), ok(LEAD_114))
    login_client(script, service_path="/odata/V3").leads.get(114)
    assert script.urls == [LOGIN_URL, f"{BASE}/odata/V3/Leads(114)"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"auth": AvalaApiAuth(USERNAME, TOKEN), "username": USERNAME},
        {"auth": AvalaApiAuth(USERNAME, TOKEN), "token": TOKEN},
        {"auth": AvalaApiAuth(USERNAME, TOKEN), "password": PASSWORD},
        {"username": USERNAME},
        {"password": PASSWORD},
        {"token": TOKEN},
    ],
    ids=["auth+username", "auth+token", "auth+password", "username alone", "password alone", "token alone"],
)
def test_bad_credential_combinations_raise_type_error(kwargs: dict[str, Any]) -> None:
    script = Script()
    with pytest.raises(TypeError) as raised:
        AimbaseClient(BASE, transport=script.transport, **kwargs)
    assert PASSWORD not in str(raised.value) and TOKEN not in str(raised.value)
    assert script.requests == []


def test_public_names_are_importable_from_codegen_runtime() -> None:
    names = [
        "AvalaApiAuth",
        "AvalaApiLogin",
        "BearerAuth",
        "HeaderAuth",
        "RetryPolicy",
        "ODataError",
        "HTTPError",
        "BadRequestError",
        "AuthenticationError",
        "ForbiddenError",
        "NotFoundError",
        "ConflictError",
        "PreconditionFailedError",
        "RateLimitedError",
        "ServerError",
        "TransportError",
        "RequestTimeoutError",
        "PagingError",
        "ClientValidationError",
        "ServiceClient",
        "AsyncServiceClient",
    ]
    for name in names:
        assert getattr(codegen.runtime, name) is getattr(codegen.runtime.http, name), name
        assert name in codegen.runtime.__all__, name
    assert codegen.runtime.UNSET is UNSET
    assert issubclass(NotFoundError, ODataError) and issubclass(ClientValidationError, ValueError)


def test_context_manager_closes_the_client() -> None:
    script = Script(ok(LEAD_114))
    with token_client(script) as client:
        assert isinstance(client, AimbaseClient)
        client.leads.get(114)
        assert not client.session.client.is_closed
    assert client.session.client.is_closed
    with pytest.raises(RuntimeError):
        client.leads.get(114)
    assert len(script.requests) == 1


def test_close() -> None:
    client = token_client(Script())
    client.close()
    assert client.session.client.is_closed


def test_entity_set_accessors_are_typed_and_cached() -> None:
    client = token_client(Script())
    assert isinstance(client.leads, LeadsEntitySet)
    assert client.leads is client.leads
    assert isinstance(client.dealers, DealersEntitySet)


# --- entity sets: get --------------------------------------------------------------------------------------


def test_get_with_expand_sends_the_exact_url_and_returns_a_typed_lead() -> None:
    script = Script(ok(LEAD_114))
    lead = token_client(script).leads.get(114, expand=[QLead.prospect])
    assert script.urls == [f"{ROOT}/Leads(114)?$expand=Prospect"]
    request = script.requests[0]
    assert request.method == "GET"
    assert request.headers["Accept"] == "application/json"
    assert request.content == b""
    assert isinstance(lead, Lead)
    assert lead.id == 114
    assert lead.lead_uid == UUID("cc16dda6-8c50-483b-a928-cc506817cc33")
    assert lead.lead_date == datetime(2016, 8, 29, 15, 31, 1, tzinfo=timezone(timedelta(hours=-5)))
    assert lead.lead_date.utcoffset() == timedelta(hours=-5)
    assert lead.prospect is not None
    assert lead.prospect.latitude == Decimal("34.448123")
    assert lead.customs is not None and lead.customs.dynamic_properties == {"BuyTimeFrame": None, "Comment": None}
    assert lead.instance_annotations == {"@odata.context": "https://{baseurl}/odata/V2/$metadata#Leads/$entity"}


def test_get_with_nested_expand_and_select() -> None:
    script = Script(ok(LEAD_82540), ok({"Id": 114, "Score": 3}))
    client = token_client(script)
    lead = client.leads.get(
        82540, expand=[QLead.prospect, QLead.dealer, expand(QLead.product, QProduct.brand, QProduct.product_category)]
    )
    assert lead.product is not None and lead.product.brand is not None
    assert lead.dealer_distance_miles == Decimal("250.101206129")
    partial = client.leads.get(114, select=[QLead.id, QLead.score])
    assert script.urls == [
        f"{ROOT}/Leads(82540)?$expand=Prospect,Dealer,Product($expand=Brand,ProductCategory)",
        f"{ROOT}/Leads(114)?$select=Id,Score",
    ]
    assert (partial.id, partial.score) == (114, 3)
    with pytest.raises(AttributeError, match="not in the server's response"):
        partial.lead_date


def test_get_by_entity_uses_its_key() -> None:
    lead = structure(json.loads(LEAD_114), Lead)
    script = Script(ok(LEAD_114))
    token_client(script).leads.get(lead)
    assert script.urls == [f"{ROOT}/Leads(114)"]


def test_get_not_found_raises_not_found_error_with_the_server_message() -> None:
    script = Script(error(404, "No lead with Id 9", code="NotFound"))
    with pytest.raises(NotFoundError) as raised:
        token_client(script).leads.get(9, expand=[QLead.prospect])
    found = raised.value
    assert (found.status, found.code, found.message) == (404, "NotFound", "No lead with Id 9")
    assert (found.method, found.url) == ("GET", f"{ROOT}/Leads(9)?$expand=Prospect")
    assert str(found) == f"404 No lead with Id 9 [NotFound] - GET {ROOT}/Leads(9)?$expand=Prospect"


def test_get_refuses_a_key_that_cannot_be_one_before_sending() -> None:
    script = Script()
    with pytest.raises(TypeError):
        token_client(script).leads.get(1.5)  # type: ignore[arg-type]
    assert script.requests == []


# --- entity sets: queries ----------------------------------------------------------------------------------


def three_pages() -> Script:
    """Leads 1-6 in three pages: a relative nextLink, then an absolute one, then none."""
    return Script(
        ok(leads_page([1, 2], next_link="Leads?$filter=Score%20gt%2010&$expand=Prospect&$skiptoken=2")),
        ok(leads_page([3, 4], next_link=f"{ROOT}/Leads?$skiptoken=4")),
        ok(leads_page([5, 6])),
    )


FIRST_URL = f"{ROOT}/Leads?$filter=Score%20gt%2010&$expand=Prospect"


def test_query_iter_follows_relative_and_absolute_next_links() -> None:
    script = three_pages()
    query = token_client(script).leads.query().filter(QLead.score > 10).expand(QLead.prospect)
    assert script.requests == []  # building a query sends nothing
    iterator = query.iter()
    assert isinstance(iterator, Iterator)
    leads = list(iterator)
    assert [lead.id for lead in leads] == [1, 2, 3, 4, 5, 6]
    assert all(isinstance(lead, Lead) for lead in leads)
    assert script.urls == [
        FIRST_URL,
        f"{ROOT}/Leads?$filter=Score%20gt%2010&$expand=Prospect&$skiptoken=2",
        f"{ROOT}/Leads?$skiptoken=4",
    ]


def test_query_iter_is_lazy() -> None:
    script = three_pages()
    iterator = token_client(script).leads.query().filter(QLead.score > 10).expand(QLead.prospect).iter()
    assert script.requests == []
    assert next(iterator).id == 1
    assert len(script.requests) == 1
    assert [next(iterator).id, next(iterator).id] == [2, 3]
    assert len(script.requests) == 2


def test_query_pages_yield_entity_pages() -> None:
    script = three_pages()
    pages = list(token_client(script).leads.query().filter(QLead.score > 10).expand(QLead.prospect).pages())
    assert all(isinstance(page, EntityPage) for page in pages)
    assert [[lead.id for lead in page.items] for page in pages] == [[1, 2], [3, 4], [5, 6]]
    assert all(isinstance(lead, Lead) for page in pages for lead in page.items)
    assert [page.next_link for page in pages] == [
        "Leads?$filter=Score%20gt%2010&$expand=Prospect&$skiptoken=2",
        f"{ROOT}/Leads?$skiptoken=4",
        None,
    ]
    assert [page.count for page in pages] == [None, None, None]


def test_include_count_exposes_odata_count_on_pages() -> None:
    script = Script(ok(leads_page([1, 2], next_link="Leads?$skiptoken=2", count=3)), ok(leads_page([3])))
    pages = list(token_client(script).leads.query().filter(QLead.score > 10).include_count().pages())
    assert script.urls[0] == f"{ROOT}/Leads?$filter=Score%20gt%2010&$count=true"
    assert [page.count for page in pages] == [3, None]


def test_max_page_size_is_asked_for_on_every_page() -> None:
    script = Script(ok(leads_page([1], next_link="Leads?$skiptoken=1")), ok(leads_page([2])))
    assert [lead.id for lead in token_client(script).leads.query().iter(max_page_size=1)] == [1, 2]
    assert [r.headers["Prefer"] for r in script.requests] == ["odata.maxpagesize=1"] * 2


def test_first_sends_top_1() -> None:
    script = Script(ok(leads_page([7])))
    lead = token_client(script).leads.query().filter(QLead.score > 10).first()
    assert script.urls == [f"{ROOT}/Leads?$filter=Score%20gt%2010&$top=1"]
    assert isinstance(lead, Lead) and lead.id == 7


def test_first_of_nothing_is_none() -> None:
    script = Script(ok(leads_page([])))
    assert token_client(script).leads.query().first() is None
    assert script.urls == [f"{ROOT}/Leads?$top=1"]


def test_first_reads_no_further_page_when_the_server_ignores_top() -> None:
    script = Script(ok(leads_page([7, 8], next_link="Leads?$skiptoken=8")))
    lead = token_client(script).leads.query().first()
    assert lead is not None and lead.id == 7
    assert len(script.requests) == 1


def test_count_sends_only_filter_to_the_count_segment() -> None:
    script = Script(httpx.Response(200, text="42", headers={"Content-Type": "text/plain"}))
    query = token_client(script).leads.query().filter(QLead.score > 10).expand(QLead.prospect).top(5).skip(2)
    assert query.include_count().order_by(QLead.lead_date).count() == 42
    assert script.urls == [f"{ROOT}/Leads/$count?$filter=Score%20gt%2010"]
    assert script.requests[0].headers["Accept"] == "text/plain"


def test_count_without_filter() -> None:
    script = Script(httpx.Response(200, text="1234"))
    assert token_client(script).leads.query().count() == 1234
    assert script.urls == [f"{ROOT}/Leads/$count"]


@pytest.mark.parametrize(
    "limit, ids, pages_read",
    [(None, [1, 2, 3, 4, 5, 6], 3), (1, [1], 1), (2, [1, 2], 1), (3, [1, 2, 3], 2), (6, [1, 2, 3, 4, 5, 6], 3)],
)
def test_list_limit_reads_no_page_past_the_limit(limit: int | None, ids: list[int], pages_read: int) -> None:
    script = three_pages()
    query = token_client(script).leads.query().filter(QLead.score > 10).expand(QLead.prospect)
    leads = query.list(limit=limit) if limit is not None else query.list()
    assert [lead.id for lead in leads] == ids
    assert len(script.requests) == pages_read


def test_list_limit_zero_sends_nothing() -> None:
    script = Script()
    assert token_client(script).leads.query().list(limit=0) == []
    assert script.requests == []


def test_query_url_and_str_send_nothing() -> None:
    script = Script()
    query = token_client(script).leads.query().filter(QLead.score > 10).top(3)
    assert query.url() == str(query) == "Leads?$filter=Score%20gt%2010&$top=3"
    assert script.requests == []


# --- PATCH ---------------------------------------------------------------------------------------------------


def patched(**changes: Any) -> tuple[Script, Any]:
    """PATCH lead 114 with `changes` against a 204; the script and what patch() returned."""
    script = Script(no_content())
    result = token_client(script).leads.patch(114, **changes)
    return script, result


def test_patch_sends_exactly_the_given_property() -> None:
    script, result = patched(follow_up_status_code="Contacted")
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("PATCH", f"{ROOT}/Leads(114)")
    assert request.content == b'{"FollowUpStatusCode":"Contacted"}'
    assert request.headers["Content-Type"] == "application/json"
    assert "If-Match" not in request.headers and "Prefer" not in request.headers
    assert result is None  # 204 No Content


def test_patch_leaves_unset_parameters_out() -> None:
    script, _ = patched(medium="Web", external_id=UNSET, event=UNSET)
    assert script.requests[0].content == b'{"Medium":"Web"}'


def test_patch_sends_none_as_null() -> None:
    script, _ = patched(medium=None)
    assert script.requests[0].content == b'{"Medium":null}'


def test_patch_several_properties_in_schema_order() -> None:
    script, _ = patched(lead_status_code="Sold", external_id="X-1", medium=None)
    assert script.body() == {"ExternalId": "X-1", "Medium": None, "LeadStatusCode": "Sold"}
    assert list(script.body()) == ["ExternalId", "Medium", "LeadStatusCode"]


def test_patch_writes_a_datetime_with_its_offset() -> None:
    when = datetime(2024, 5, 1, 9, 30, 15, 250000, tzinfo=timezone(timedelta(hours=-5)))
    script, _ = patched(lead_date=when)
    assert script.requests[0].content == b'{"LeadDate":"2024-05-01T09:30:15.25-05:00"}'


def test_patch_refuses_a_naive_datetime_before_sending() -> None:
    script = Script()
    with pytest.raises(ValueError, match="naive datetime"):
        token_client(script).leads.patch(114, lead_date=datetime(2024, 5, 1, 9, 30))
    assert script.requests == []


def test_patch_writes_an_open_complex_value_as_an_object() -> None:
    customs = Customs(dynamic_properties={"PurchaseTimeframe": "Now", "Comment": None, "Budget": Decimal("1.50")})
    script, _ = patched(customs=customs)
    assert script.requests[0].content == b'{"Customs":{"PurchaseTimeframe":"Now","Comment":null,"Budget":1.50}}'


def test_patch_with_nothing_to_change_raises_value_error() -> None:
    script = Script()
    client = token_client(script)
    with pytest.raises(ValueError, match="at least one property"):
        client.leads.patch(114)
    with pytest.raises(ValueError, match="at least one property"):
        client.leads.patch(114, medium=UNSET)
    assert script.requests == []


@pytest.mark.parametrize(
    "changes, fragment",
    [
        ({"medium": "x" * 201}, "Lead.Medium is 201 characters long; its MaxLength is 200"),
        ({"external_id": "1" * 51}, "Lead.ExternalId is 51 characters long; its MaxLength is 50"),
        ({"condition_code": "X"}, "Lead.ConditionCode must be one of 'N', 'U', 'S', not 'X'"),
        ({"medium": "ok", "condition_code": "n"}, "Lead.ConditionCode must be one of"),
    ],
)
def test_patch_validates_before_sending(changes: dict[str, Any], fragment: str) -> None:
    script = Script()
    with pytest.raises(ClientValidationError) as raised:
        token_client(script).leads.patch(114, **changes)
    assert fragment in str(raised.value)
    assert script.requests == []  # the transport saw nothing


@pytest.mark.parametrize(
    "changes, body",
    [
        ({"medium": "x" * 200}, {"Medium": "x" * 200}),
        ({"condition_code": "U"}, {"ConditionCode": "U"}),
        ({"condition_code": None}, {"ConditionCode": None}),
    ],
)
def test_patch_accepts_values_within_the_constraints(changes: dict[str, Any], body: dict[str, Any]) -> None:
    script, _ = patched(**changes)
    assert script.body() == body


def test_patch_return_entity_asks_for_and_returns_the_lead() -> None:
    script = Script(ok(lead_json(114, FollowUpStatusCode="Contacted"), 200))
    lead = token_client(script).leads.patch(114, follow_up_status_code="Contacted", return_entity=True)
    (request,) = script.requests
    assert request.headers["Prefer"] == "return=representation"
    assert isinstance(lead, Lead) and lead.follow_up_status_code == "Contacted"


def test_patch_return_entity_reads_the_entity_back_after_a_204() -> None:
    script = Script(no_content(), ok(LEAD_114))
    lead = token_client(script).leads.patch(114, medium="Web", return_entity=True)
    assert script.methods == ["PATCH", "GET"]
    assert script.urls == [f"{ROOT}/Leads(114)", f"{ROOT}/Leads(114)"]
    assert isinstance(lead, Lead) and lead.id == 114


def test_patch_sends_an_explicit_etag_as_if_match() -> None:
    script, _ = patched(medium="Web", etag='W/"1"')
    assert script.requests[0].headers["If-Match"] == 'W/"1"'


def test_patch_of_an_entity_read_with_an_etag_sends_no_if_match_without_declared_concurrency() -> None:
    data = json.loads(LEAD_114)
    lead = structure({"@odata.etag": 'W/"5"', **data}, Lead)
    assert lead.instance_annotations["@odata.etag"] == 'W/"5"'
    script = Script(no_content())
    token_client(script).leads.patch(lead, medium="Web")
    (request,) = script.requests
    assert str(request.url) == f"{ROOT}/Leads(114)"
    assert "If-Match" not in request.headers


def test_patch_precondition_failed() -> None:
    script = Script(error(412, "The entity was changed", code="PreconditionFailed"))
    with pytest.raises(PreconditionFailedError) as raised:
        token_client(script).leads.patch(114, medium="Web", etag='W/"1"')
    assert (raised.value.status, raised.value.method) == (412, "PATCH")


def test_read_only_properties_are_not_patch_parameters() -> None:
    parameters = inspect.signature(LeadsEntitySet.patch).parameters
    for read_only in ["score", "id", "lead_uid", "create_date", "is_active", "prospect", "prospect_id"]:
        assert read_only not in parameters, read_only
    for editable in ["external_id", "lead_date", "medium", "follow_up_status_code", "condition_code", "customs"]:
        assert parameters[editable].kind is inspect.Parameter.KEYWORD_ONLY
        assert parameters[editable].default is UNSET
    assert parameters["etag"].default is None and parameters["return_entity"].default is False


def test_patching_a_read_only_property_is_a_type_error() -> None:
    script = Script()
    client = token_client(script)
    with pytest.raises(TypeError, match="score"):
        client.leads.patch(1, score=5)  # type: ignore[call-arg]
    assert script.requests == []


def test_sets_without_editable_properties_have_no_patch() -> None:
    assert not hasattr(CompaniesEntitySet, "patch")  # Updatable=false
    assert not hasattr(ProductsEntitySet, "patch")  # updatable, but every property is computed
    assert not hasattr(CompaniesEntitySet, "create")


def test_prospect_patch_checks_its_own_max_lengths() -> None:
    script = Script(no_content())
    client = token_client(script)
    with pytest.raises(ClientValidationError, match="Prospect.State is 4 characters long; its MaxLength is 3"):
        client.prospects.patch(74712, state="CALI")
    client.prospects.patch(74712, state="CA", zip4=None)
    assert script.urls == [f"{ROOT}/Prospects(74712)"]
    assert script.requests[0].content == b'{"State":"CA","ZIP4":null}'


# --- PATCH with declared optimistic concurrency (a tiny generated CSDL) -----------------------------------


def test_concurrency_set_sends_the_entitys_etag(shop: ModuleType) -> None:
    order = structure(order_json(3, etag='W/"7"'), shop.Order)
    script = Script(no_content(), no_content(), no_content())
    client = shop.Client(SHOP_ROOT, transport=script.transport)
    client.orders.patch(order, note="second")
    client.orders.patch(order, note="third", etag='W/"8"')  # an explicit etag wins
    client.orders.patch(3, note="fourth")  # a bare key carries no ETag
    assert script.urls == [f"{SHOP_ROOT}/Orders(3)"] * 3
    assert [r.headers.get("If-Match") for r in script.requests] == ['W/"7"', 'W/"8"', None]
    assert script.body(0) == {"Note": "second"}


def test_concurrency_set_precondition_failed(shop: ModuleType) -> None:
    order = structure(order_json(3, etag='W/"7"'), shop.Order)
    script = Script(error(412, "ETag mismatch"))
    with pytest.raises(PreconditionFailedError, match="ETag mismatch"):
        shop.Client(SHOP_ROOT, transport=script.transport).orders.patch(order, note="second")
    assert script.requests[0].headers["If-Match"] == 'W/"7"'


def test_computed_property_is_not_a_patch_parameter(shop: ModuleType) -> None:
    parameters = inspect.signature(shop.OrdersEntitySet.patch).parameters
    assert "note" in parameters
    assert "version" not in parameters and "modified_at" not in parameters and "id" not in parameters
    assert shop.OrdersEntitySet.__concurrency__ is True
    script = Script()
    with pytest.raises(TypeError, match="version"):
        shop.Client(SHOP_ROOT, transport=script.transport).orders.patch(3, version=8)
    with pytest.raises(ClientValidationError, match="MaxLength is 20"):
        shop.Client(SHOP_ROOT, transport=script.transport).orders.patch(3, note="n" * 21)
    assert script.requests == []


# --- create and operations -----------------------------------------------------------------------------------


def test_create_posts_the_entity_and_returns_the_servers_version() -> None:
    created = {
        "@odata.context": f"{ROOT}/$metadata#Brands/$entity",
        "Id": 17,
        "Code": "INF",
        "Name": "Infinity",
        "IsActive": True,
        "IsDefault": False,
        "ManufacturerCode": "IM",
    }
    script = Script(ok(created, 201))
    brand = Brand(id=0, code="INF", name="Infinity", is_active=True, is_default=False)
    result = token_client(script).brands.create(brand)
    (request,) = script.requests
    assert (request.method, str(request.url)) == ("POST", f"{ROOT}/Brands")
    assert json.loads(request.content) == {
        "Id": 0,
        "Code": "INF",
        "Name": "Infinity",
        "IsActive": True,
        "IsDefault": False,
        "ManufacturerCode": None,
    }
    assert request.headers["Content-Type"] == "application/json"
    assert isinstance(result, Brand) and result is not brand
    assert (result.id, result.manufacturer_code) == (17, "IM")


def test_create_does_not_send_the_annotations_of_an_entity_read_earlier() -> None:
    read = {"@odata.context": f"{ROOT}/$metadata#Brands/$entity", "@odata.etag": 'W/"1"', "Id": 3, "Code": "A"}
    read.update({"Name": "A", "IsActive": True, "IsDefault": True, "ManufacturerCode": None})
    brand = structure(read, Brand)
    script = Script(no_content())
    result = token_client(script).brands.create(brand)
    body = script.body()
    assert not [key for key in body if key.startswith("@")]
    assert body["Id"] == 3
    assert result is brand  # nothing came back: the entity given is returned


def test_bound_action_posts_its_parameters() -> None:
    script = Script(httpx.Response(200), no_content())
    client = token_client(script)
    client.dealers.set_dealer_radius(1, brand_id=2, radius=50)  # returns None (mypy: declared `-> None`)
    dealer = structure({"Id": 48, "Name": "Marina"}, Dealer)
    client.dealers.set_dealer_radius(dealer, brand_id=3, radius=0)
    action = f"{ROOT}/Dealers(1)/AimbaseOData.DealerMethods.SetDealerRadius"
    assert script.urls == [action, action.replace("(1)", "(48)")]
    assert script.methods == ["POST", "POST"]
    assert script.requests[0].content == b'{"BrandId":2,"Radius":50}'
    assert script.requests[1].content == b'{"BrandId":3,"Radius":0}'


def test_bound_action_errors() -> None:
    script = Script(error(404, "Dealer 9 not found"))
    with pytest.raises(NotFoundError) as raised:
        token_client(script).dealers.set_dealer_radius(9, brand_id=2, radius=50)
    assert raised.value.method == "POST"
    assert raised.value.url == f"{ROOT}/Dealers(9)/AimbaseOData.DealerMethods.SetDealerRadius"


def test_unbound_function_is_a_get_with_parameter_aliases(trippin: ModuleType) -> None:
    script = Script(ok(AIRPORT_KSFO))
    airport = trippin.Client(TRIPPIN_ROOT, transport=script.transport).get_nearest_airport(lat=37.6, lon=-122.4)
    (request,) = script.requests
    url = f"{TRIPPIN_ROOT}/GetNearestAirport(lat=@lat,lon=@lon)?@lat=37.6&@lon=-122.4"
    assert (request.method, str(request.url)) == ("GET", url)
    assert request.content == b""
    assert type(airport).__name__ == "Airport" and airport.iata_code == "SFO"
    assert airport.location.city.name == "San Francisco"


def test_bound_functions_on_people(trippin: ModuleType) -> None:
    script = Script(ok(TRIPS), ok(AIRLINE))
    people = trippin.Client(TRIPPIN_ROOT, transport=script.transport).people
    trips = people.get_friends_trips("russellwhyte", user_name="O'Neil").query().list()
    airline = people.get_favorite_airline("russellwhyte")
    namespace = "Microsoft.OData.SampleService.Models.TripPin"
    assert script.methods == ["GET", "GET"]
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{namespace}.GetFriendsTrips(userName=@userName)?@userName='O''Neil'",
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{namespace}.GetFavoriteAirline()",
    ]
    assert [type(trip).__name__ for trip in trips] == ["Trip", "Trip"]
    assert [trip.trip_id for trip in trips] == [1001, 1007]
    assert trips[0].starts_at == datetime(2014, 1, 1, tzinfo=timezone.utc)
    assert type(airline).__name__ == "Airline" and airline.airline_code == "AA"


def test_bound_and_unbound_actions_in_trippin(trippin: ModuleType) -> None:
    script = Script(no_content(), no_content())
    client = trippin.Client(TRIPPIN_ROOT, transport=script.transport)
    assert client.people.share_trip("russellwhyte", user_name="scottketchum", trip_id=7) is None
    assert client.reset_data_source() is None
    namespace = "Microsoft.OData.SampleService.Models.TripPin"
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{namespace}.ShareTrip",
        f"{TRIPPIN_ROOT}/ResetDataSource",
    ]
    assert script.requests[0].content == b'{"userName":"scottketchum","tripId":7}'
    assert script.requests[1].content == b"{}"


# --- errors end to end ---------------------------------------------------------------------------------------


def test_bad_request() -> None:
    script = Script(error(400, "The query specified in the URI is not valid", code="BadQuery"))
    with pytest.raises(BadRequestError) as raised:
        token_client(script).leads.query().filter(QLead.score > 10).list()
    assert raised.value.code == "BadQuery"
    assert raised.value.url == f"{ROOT}/Leads?$filter=Score%20gt%2010"


def test_401_with_credentials_logs_in_again_once_then_raises() -> None:
    script = Script(login_ok(), error(401, "Token expired"), login_ok(TOKEN), error(401, "Still no"))
    with pytest.raises(AuthenticationError) as raised:
        login_client(script).leads.get(114)
    assert script.methods == ["POST", "GET", "POST", "GET"]
    assert [r.headers.get("Authenticate") for r in script.requests[1::2]] == [
        f"Avala-Api {USERNAME}:{GUID}",
        f"Avala-Api {USERNAME}:{TOKEN}",
    ]
    assert raised.value.status == 401 and raised.value.message == "Still no"


def test_401_with_credentials_recovers_after_the_new_login() -> None:
    script = Script(login_ok(), error(401, "Token expired"), login_ok(TOKEN), ok(LEAD_114))
    lead = login_client(script).leads.get(114)
    assert lead.id == 114
    assert script.requests[-1].headers["Authenticate"] == f"Avala-Api {USERNAME}:{TOKEN}"


def test_401_with_a_known_token_raises_at_once() -> None:
    script = Script(error(401, "Invalid token"))
    with pytest.raises(AuthenticationError):
        token_client(script).leads.get(114)
    assert len(script.requests) == 1


def test_refused_login_raises_authentication_error() -> None:
    script = Script(ok({"Message": "Invalid username or password"}, 401))
    with pytest.raises(AuthenticationError, match="login failed: Invalid username or password"):
        login_client(script).leads.get(114)
    assert script.urls == [LOGIN_URL]


def test_429_with_retry_after_is_retried_for_get() -> None:
    waits = Waits()
    script = Script(error(429, "Slow down", **{"Retry-After": "3"}), ok(LEAD_114))
    lead = token_client(script, retry=waits.policy()).leads.get(114)
    assert lead.id == 114
    assert waits.slept == [3.0] and waits.drawn == []
    assert script.urls == [f"{ROOT}/Leads(114)"] * 2


def test_429_on_every_attempt_raises_rate_limited_after_the_last() -> None:
    waits = Waits()
    script = Script(*[error(429, "Slow down", **{"Retry-After": "1"}) for _ in range(3)])
    with pytest.raises(RateLimitedError) as raised:
        token_client(script, retry=waits.policy(max_attempts=3)).leads.query().list()
    assert raised.value.retry_after == 1.0
    assert waits.slept == [1.0, 1.0] and len(script.requests) == 3


def test_503_while_paging_is_retried_with_backoff() -> None:
    waits = Waits()
    script = Script(ok(leads_page([1], next_link="Leads?$skiptoken=1")), error(503, "busy"), ok(leads_page([2])))
    leads = token_client(script, retry=waits.policy(backoff_base=0.5)).leads.query().list()
    assert [lead.id for lead in leads] == [1, 2]
    assert waits.drawn == [(0.0, 0.5)] and waits.slept == [0.5]
    assert script.urls[1] == script.urls[2] == f"{ROOT}/Leads?$skiptoken=1"


def test_503_on_patch_is_not_retried() -> None:
    waits = Waits()
    script = Script(error(503, "Service Unavailable", **{"Retry-After": "1"}), no_content())
    with pytest.raises(ServerError) as raised:
        token_client(script, retry=waits.policy()).leads.patch(114, medium="Web")
    assert raised.value.status == 503 and raised.value.method == "PATCH"
    assert len(script.requests) == 1 and waits.slept == []


def test_503_on_an_action_is_not_retried() -> None:
    waits = Waits()
    script = Script(error(503, "busy"), no_content())
    with pytest.raises(ServerError):
        token_client(script, retry=waits.policy()).dealers.set_dealer_radius(1, brand_id=2, radius=50)
    assert len(script.requests) == 1 and waits.slept == []


def test_transport_errors_become_transport_error() -> None:
    script = Script(httpx.ConnectError("connection refused"))
    with pytest.raises(TransportError) as raised:
        token_client(script).leads.get(114)
    assert raised.value.method == "GET" and raised.value.url == f"{ROOT}/Leads(114)"
    assert isinstance(raised.value.__cause__, httpx.ConnectError)


def test_timeouts_become_request_timeout_error() -> None:
    script = Script(httpx.ReadTimeout("read timed out"))
    with pytest.raises(RequestTimeoutError):
        token_client(script).leads.patch(114, medium="Web")
    assert len(script.requests) == 1


def test_connect_errors_are_retried_then_succeed() -> None:
    waits = Waits()
    script = Script(httpx.ConnectError("refused"), httpx.ConnectError("refused"), no_content())
    token_client(script, retry=waits.policy(backoff_base=1.0)).leads.patch(114, medium="Web")
    assert script.methods == ["PATCH"] * 3
    assert waits.slept == [1.0, 2.0]


def test_a_response_that_is_not_an_entity_raises() -> None:
    script = Script(ok({"Id": "not a number"}))
    with pytest.raises(ValueError, match="Lead.Id"):
        token_client(script).leads.get(114)


# --- secrets -------------------------------------------------------------------------------------------------

SECRETS = (PASSWORD, GUID, TOKEN)


def assert_no_secret(text: str) -> None:
    for secret in SECRETS:
        assert secret not in text, f"a secret leaked: {text!r}"


def exception_text(raised: BaseException) -> str:
    return "".join(traceback.format_exception(raised)) + str(raised) + repr(raised)


def reachable(root: object, depth: int = 8) -> Iterator[object]:
    """Objects reachable from `root` through attributes, slots, dict values and sequence items.

    Strings and numbers are leaves (the auth object holds the password as a str; what matters is that no
    object shows it). The test's own MockTransport is not followed: its Script records the requests sent.
    """
    seen: set[int] = set()
    todo: list[tuple[object, int]] = [(root, 0)]
    leaves = (str, bytes, int, float, type, ModuleType, httpx.MockTransport)
    while todo:
        obj, level = todo.pop()
        if id(obj) in seen or obj is None or isinstance(obj, leaves):
            continue
        seen.add(id(obj))
        yield obj
        if level >= depth:
            continue
        children: list[object] = []
        if isinstance(obj, dict):
            children += list(obj.values())
        elif isinstance(obj, (list, tuple, set, frozenset)):
            children += list(obj)
        children += list(getattr(obj, "__dict__", {}).values())
        for cls in type(obj).__mro__:
            for slot in getattr(cls, "__slots__", ()):
                if hasattr(obj, slot):
                    children.append(getattr(obj, slot))
        todo += [(child, level + 1) for child in children]


def test_reprs_of_the_client_and_what_it_holds_hide_secrets() -> None:
    script = Script(login_ok(), ok(LEAD_114))
    client = login_client(script)
    client.leads.get(114)  # a token is now cached as well
    assert client.session.service_root == ROOT
    objects = list(reachable(client))
    assert any(isinstance(o, codegen.runtime.http.AvalaApiLogin) for o in objects)
    for obj in objects:
        assert_no_secret(repr(obj))
    assert_no_secret(repr(client) + str(client))
    token = token_client(Script())
    for obj in reachable(token):
        assert_no_secret(repr(obj))


def test_errors_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    waits = Waits()
    script = Script(
        login_ok(),
        error(429, "Slow down", **{"Retry-After": "0"}),  # a retry, which is logged
        error(401, "Token expired"),
        # The login refusal echoes the password back; it is blanked out of the error.
        ok({"Message": f"Invalid password {PASSWORD} for {USERNAME}"}, 401),
    )
    with pytest.raises(AuthenticationError) as raised:
        login_client(script, retry=waits.policy()).leads.get(114)
    text = exception_text(raised.value)
    assert "login failed: Invalid password *** for u" in text
    assert_no_secret(text)
    assert caplog.records, "nothing was logged: the log check would prove nothing"
    for record in caplog.records:
        assert_no_secret(record.getMessage())
        assert_no_secret(repr(record.args))


def test_http_and_transport_errors_hold_no_secret(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.DEBUG)
    waits = Waits()
    script = Script(
        login_ok(),
        error(404, "No lead"),
        httpx.ConnectError("refused"),
        httpx.ConnectError("refused"),
        error(412, "changed"),
    )
    client = login_client(script, retry=waits.policy(max_attempts=2))
    raised: list[BaseException] = []
    calls: list[Callable[[], object]] = [
        lambda: client.leads.get(1),
        lambda: client.leads.patch(1, medium="x", etag='W/"1"'),
    ]
    for call in calls:
        try:
            call()
        except ODataError as caught:
            raised.append(caught)
    with pytest.raises(PreconditionFailedError) as last:
        client.leads.patch(1, medium="x", etag='W/"1"')
    raised.append(last.value)
    assert [type(e) for e in raised] == [NotFoundError, TransportError, PreconditionFailedError]
    for exception in raised:
        assert_no_secret(exception_text(exception))
    for record in caplog.records:
        assert_no_secret(record.getMessage())


@pytest.mark.parametrize("make", [token_client, login_client], ids=["token", "login"])
def test_a_token_echoed_by_the_server_is_kept_out_of_the_error(make: Any) -> None:
    echo = error(401, f"Authenticate header 'Avala-Api {USERNAME}:{GUID if make is login_client else TOKEN}' refused")
    script = Script(login_ok(), echo, login_ok(), echo) if make is login_client else Script(echo)
    with pytest.raises(AuthenticationError) as raised:
        make(script).leads.get(114)
    assert_no_secret(exception_text(raised.value))


def test_validation_errors_hold_no_secret() -> None:
    makes: list[Callable[[], object]] = [
        lambda: AimbaseClient(BASE, username=USERNAME, token=f"{TOKEN}\n"),
        lambda: AimbaseClient(BASE, username=USERNAME, password=PASSWORD, token=f"bad {TOKEN}\r\n"),
    ]
    for make in makes:
        with pytest.raises(ValueError) as raised:
            make()
        assert_no_secret(exception_text(raised.value))


def test_the_password_is_only_ever_sent_to_the_login_url() -> None:
    script = Script(login_ok(), ok(leads_page([1], next_link="Leads?$skiptoken=1")), ok(leads_page([2])))
    login_client(script).leads.query().list()
    for request in script.requests[1:]:
        assert PASSWORD not in request.content.decode() + str(request.headers) + str(request.url)
