"""Readable reprs (issue 9, item 7): models, clients, entity sets and their queries.

A model read with `$select` names the properties it did not receive instead of printing the None the reader
leaves in them; clients show where they point and how they authenticate, never a password or a token.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable

import httpx
import pytest

from aimbase import AimbaseClient, AsyncAimbaseClient, Brand, Lead, QLead
from codegen.runtime import structure
from codegen.runtime.http import AvalaApiAuth, AvalaApiLogin, BearerAuth, HeaderAuth
from codegen.runtime.model import wire_fields

BASE = "http://127.0.0.1:9"
PASSWORD = "hunter2-secret"
TOKEN = "tok-secret-123"
LEAD_WIRE_NAMES = [field.wire_name for field in wire_fields(Lead)]


def lead_with_all_but(*left_out: str) -> Lead:
    """A Lead read from a response holding every declared property except `left_out` (wire names)."""
    data: dict[str, object] = {name: None for name in LEAD_WIRE_NAMES if name not in left_out}
    data.update(Id=5, Score=10)
    return structure(data, Lead)


# --- models ------------------------------------------------------------------------------------------------


def test_a_selected_lead_names_what_it_did_not_receive() -> None:
    text = repr(structure({"Id": 5, "Score": 10}, Lead))
    assert text == (
        "Lead(id=5, score=10, <not received: external_id, lead_uid, prospect_id, dealer_id, product_id, +36 more>)"
    )
    assert "None" not in text  # the nullable ones the reader filled with None are not shown as values


def test_few_missing_properties_are_all_named_in_declaration_order() -> None:
    text = repr(lead_with_all_but("Medium", "LeadDate"))
    assert text.endswith(", <not received: lead_date, medium>)")
    assert "lead_date=" not in text and "medium=" not in text


def test_five_missing_properties_are_named_without_a_count() -> None:
    text = repr(lead_with_all_but("ExternalId", "LeadUid", "ProspectId", "DealerId", "ProductId"))
    assert text.endswith("<not received: external_id, lead_uid, prospect_id, dealer_id, product_id>)")


def test_a_full_lead_names_nothing_missing_and_shows_received_nulls() -> None:
    text = repr(lead_with_all_but())
    assert "not received" not in text
    assert text.startswith("Lead(id=5, external_id=None, lead_uid=None, ")  # nulls the server did send


def test_an_object_built_in_python_keeps_its_repr() -> None:
    brand = Brand(id=1, is_active=True, is_default=False)
    assert repr(brand) == "Brand(id=1, code=None, name=None, is_active=True, is_default=False, manufacturer_code=None)"


def test_extras_are_shown_only_when_they_hold_something() -> None:
    plain = repr(structure({"Id": 5}, Lead))
    assert "dynamic_properties" not in plain and "instance_annotations" not in plain
    extras = structure({"Id": 5, "@odata.etag": 'W/"1"', "NewServerField": True}, Lead)
    assert repr(extras).startswith(
        "Lead(dynamic_properties={'NewServerField': True}, instance_annotations={'@odata.etag': 'W/\"1\"'}, id=5, "
    )


def test_expanded_navigations_are_shown_with_their_own_missing_properties() -> None:
    lead = structure({"Id": 5, "Prospect": {"Id": 7, "FirstName": "Ann"}}, Lead)
    assert repr(lead) == (
        "Lead(id=5, prospect=Prospect(id=7, first_name='Ann', <not received: external_id, prospect_uid, "
        "prospect_aggregation_id, company_id, last_name, +49 more>), "
        "<not received: external_id, lead_uid, prospect_id, dealer_id, product_id, +36 more>)"
    )


def test_a_half_initialised_object_has_a_repr() -> None:
    assert repr(object.__new__(Lead)) == "Lead()"
    half = object.__new__(Lead)
    half._odata_present = frozenset({"Id"})  # said Id was received, but the slot was never filled
    assert repr(half) == "Lead(<not received: external_id, lead_uid, prospect_id, dealer_id, product_id, +37 more>)"


def test_a_cyclic_object_graph_has_a_finite_repr() -> None:
    lead = structure({"Id": 5}, Lead)
    lead.dynamic_properties["again"] = lead
    assert repr(lead).startswith("Lead(dynamic_properties={'again': ...}, id=5, ")
    built = Brand(id=1, is_active=True, is_default=False)
    built.dynamic_properties["self"] = built
    assert repr(built).startswith("Brand(dynamic_properties={'self': ...}, id=1, code=None, ")


# --- clients -----------------------------------------------------------------------------------------------


def test_a_login_client_shows_its_url_and_user_only() -> None:
    with AimbaseClient(BASE, username="u", password=PASSWORD) as client:
        assert repr(client) == (
            f"AimbaseClient(base_url='{BASE}', service_path='/odata/V2', auth=AvalaApiLogin(username='u', "
            f"password='***', login_url='{BASE}/api/Security/Login', token=None))"
        )


def test_a_token_client_and_a_client_without_auth() -> None:
    with AimbaseClient(BASE, username="u", token=TOKEN, service_path="/odata/V3") as client:
        assert repr(client) == (
            f"AimbaseClient(base_url='{BASE}', service_path='/odata/V3', auth=AvalaApiAuth(username='u', token='***'))"
        )
    with AimbaseClient(BASE) as anonymous:
        assert repr(anonymous) == f"AimbaseClient(base_url='{BASE}', service_path='/odata/V2')"


@pytest.mark.parametrize(
    "make",
    [
        lambda: AimbaseClient(BASE, username="u", password=PASSWORD),
        lambda: AimbaseClient(BASE, username="u", password=PASSWORD, token=TOKEN),
        lambda: AimbaseClient(BASE, username="u", token=TOKEN),
        lambda: AimbaseClient(f"http://u:{PASSWORD}@127.0.0.1:9"),
        lambda: AimbaseClient(BASE, auth=BearerAuth(TOKEN)),
        lambda: AimbaseClient(BASE, auth=HeaderAuth("X-Api-Key", TOKEN)),
        lambda: AimbaseClient(BASE, auth=httpx.BasicAuth("u", PASSWORD)),
    ],
)
def test_no_client_repr_shows_a_secret(make: Callable[[], AimbaseClient]) -> None:
    client = make()
    auth = client._auth
    texts = [repr(client), str(client), repr(auth), str(auth)]
    client.close()
    texts.append(repr(client))
    for text in texts:
        assert PASSWORD not in text and TOKEN not in text, text


def test_an_auth_object_of_another_kind_is_shown_by_its_type_only() -> None:
    with AimbaseClient(BASE, auth=httpx.BasicAuth("u", PASSWORD)) as client:
        assert repr(client).endswith(", auth=<BasicAuth>)")


def test_the_auth_reprs_hide_their_secrets() -> None:
    assert repr(AvalaApiAuth("u", TOKEN)) == "AvalaApiAuth(username='u', token='***')"
    login = AvalaApiLogin("u", PASSWORD, login_url=f"{BASE}/login", token=TOKEN)
    assert repr(login) == f"AvalaApiLogin(username='u', password='***', login_url='{BASE}/login', token='***')"


def test_a_closed_client_says_so() -> None:
    client = AimbaseClient(BASE)
    client.close()
    assert repr(client) == f"AimbaseClient(base_url='{BASE}', service_path='/odata/V2', closed)"


def test_the_async_client_has_the_same_repr() -> None:
    client = AsyncAimbaseClient(BASE, username="u", token=TOKEN)
    shown = (
        f"AsyncAimbaseClient(base_url='{BASE}', service_path='/odata/V2', auth=AvalaApiAuth(username='u', token='***')"
    )
    assert repr(client) == shown + ")"
    asyncio.run(client.aclose())
    assert repr(client) == shown + ", closed)"


# --- entity sets and queries -------------------------------------------------------------------------------


def test_entity_sets_show_their_name_and_type() -> None:
    with AimbaseClient(BASE) as client:
        assert repr(client.leads) == "LeadsEntitySet('Leads' -> Lead)"
        assert repr(client.product_categories) == "ProductCategoriesEntitySet('ProductCategories' -> ProductCategory)"
    async_client = AsyncAimbaseClient(BASE)
    assert repr(async_client.leads) == "AsyncLeadsEntitySet('Leads' -> Lead)"
    asyncio.run(async_client.aclose())


def test_queries_show_the_url_they_read() -> None:
    with AimbaseClient(BASE) as client:
        query = client.leads.query().filter(QLead.score > 10).select(QLead.id, QLead.score).top(5)
        assert repr(query) == "EntityQuery('Leads?$filter=Score%20gt%2010&$select=Id,Score&$top=5' -> Lead)"
        assert repr(client.leads.query()) == "EntityQuery('Leads' -> Lead)"
    async_client = AsyncAimbaseClient(BASE)
    assert repr(async_client.leads.query().top(1)) == "AsyncEntityQuery('Leads?$top=1' -> Lead)"
    asyncio.run(async_client.aclose())
