"""Reading related entities through navigation paths, with the generated clients against the sandbox, sync and
async: `Leads(x)/Prospect` (single-valued, through a foreign key; chained to `/Company`), `Dealers(x)/Products`
(collection-valued, through a link table) with the typed query builder, server paging, `$count` and keys
within it, TripPin's contained `People('x')/Trips`, and the errors: an unknown source or key is a
NotFoundError, and so is a single-valued navigation with no target (the server's empty 204 answer).

Every expected result is SQL over the sandbox's own tables (tests/refs_support.py serves both).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import pytest

from aimbase import AimbaseClient, AsyncAimbaseClient, QProduct, QProspect
from codegen.runtime.http import NotFoundError
from trippin import AsyncTripPinClient, QTrip, TripPinClient

from refs_support import Served, aimbase_served, trippin_served

__all__ = ["aimbase_served", "trippin_served"]  # fixtures, used by name


def _root(served: Served) -> str:
    return served.url.removesuffix(served.sandbox.service_path + "/")


@pytest.fixture(scope="module")
def aimbase(aimbase_served: Served) -> Iterator[AimbaseClient]:
    with AimbaseClient(_root(aimbase_served), username="demo", password="demo") as client:
        yield client


def _busiest_dealer(served: Served, *, least: bool = False) -> int:
    """The dealer with the most products (or, with `least`, the fewest but one)."""
    order = "ASC" if least else "DESC"
    rows = served.rows(f'SELECT s_Id FROM "Dealers__Products" GROUP BY s_Id ORDER BY COUNT(*) {order}, s_Id LIMIT 1')
    return int(rows[0])


def _products_sql(served: Served, dealer: int, above: int) -> list[int]:
    return served.rows(
        'SELECT p.Id FROM "Products" p JOIN "Dealers__Products" l ON l.t_Id = p.Id'
        " WHERE l.s_Id = ? AND p.Id > ? ORDER BY p.Name, p.Id",
        dealer,
        above,
    )


# --- single-valued --------------------------------------------------------------------------------------------


def test_single_valued_navigation_reads_the_related_entity(aimbase_served: Served, aimbase: AimbaseClient) -> None:
    lead, prospect, company = aimbase_served.sandbox.store.execute(
        'SELECT l.Id AS lead, p.Id AS prospect, p.CompanyId AS company FROM "Leads" l JOIN "Prospects" p ON p.Id = l.ProspectId'
        " WHERE p.CompanyId IS NOT NULL ORDER BY l.Id LIMIT 1"
    )[0].values()
    item = aimbase.leads.navigate(lead).prospect
    assert item.path == f"Leads({lead})/Prospect"
    read = item.get(expand=[QProspect.company])
    assert read.id == prospect and read.company is not None and read.company.id == company
    assert item.company.get().id == company  # Leads(x)/Prospect/Company


def test_a_navigation_to_nothing_is_not_found(aimbase_served: Served, aimbase: AimbaseClient) -> None:
    (lead,) = aimbase_served.rows('SELECT Id FROM "Leads" WHERE ProspectId IS NULL ORDER BY Id LIMIT 1')
    with pytest.raises(NotFoundError, match="leads to no entity"):
        aimbase.leads.navigate(lead).prospect.get()
    with pytest.raises(NotFoundError) as unknown:
        aimbase.leads.navigate(999999).prospect.get()
    assert unknown.value.status == 404


# --- collection-valued ------------------------------------------------------------------------------------


def test_collection_navigation_with_typed_filter_order_and_paging(
    aimbase_served: Served, aimbase: AimbaseClient
) -> None:
    dealer = _busiest_dealer(aimbase_served)
    linked = aimbase_served.rows('SELECT t_Id FROM "Dealers__Products" WHERE s_Id = ? ORDER BY 1', dealer)
    above = linked[0]  # leaves out at least one product: the filter is applied
    expected = _products_sql(aimbase_served, dealer, above)
    assert len(expected) > 3  # more than a server page
    query = aimbase.dealers.navigate(dealer).products.query().filter(QProduct.id > above).order_by(QProduct.name)
    assert query.url() == f"Dealers({dealer})/Products?$filter=Id%20gt%20{above}&$orderby=Name"
    assert [p.id for p in query.list()] == expected
    assert [p.id for p in query.list(max_page_size=2)] == expected
    pages = list(query.include_count().pages())
    assert len(pages) > 1 and pages[0].count == len(expected)
    assert query.count() == len(expected)
    assert query.first() is not None


def test_a_key_within_a_navigation_collection(aimbase_served: Served, aimbase: AimbaseClient) -> None:
    dealer = _busiest_dealer(aimbase_served, least=True)
    linked = set(aimbase_served.rows('SELECT t_Id FROM "Dealers__Products" WHERE s_Id = ?', dealer))
    other = next(p for p in aimbase_served.rows('SELECT Id FROM "Products" ORDER BY Id') if p not in linked)
    products = aimbase.dealers.navigate(dealer).products
    assert products.get(min(linked)).id == min(linked)
    with pytest.raises(NotFoundError):
        products.get(other)  # a product, but not one of this dealer's
    with pytest.raises(NotFoundError):
        aimbase.dealers.navigate(999999).products.query().list()


def test_containment_navigation_with_filter_and_paging(trippin_served: Served) -> None:
    rows = trippin_served.sandbox.store.execute(
        'SELECT "@parent/UserName" AS host, COUNT(*) AS n FROM "People/Trips" WHERE Budget > 0'
        " GROUP BY host ORDER BY n DESC, host LIMIT 1"
    )
    user = rows[0]["host"]
    expected = trippin_served.rows(
        'SELECT TripId FROM "People/Trips" WHERE "@parent/UserName" = ? AND Budget > 0 ORDER BY TripId', user
    )
    with TripPinClient(trippin_served.url) as client:
        trips = client.people.navigate(user).trips
        query = trips.query().filter(QTrip.budget > 0)
        assert [t.trip_id for t in query.list(max_page_size=1)] == expected
        assert query.count() == len(expected)
        assert trips.get(expected[0]).trip_id == expected[0]
        with pytest.raises(NotFoundError):
            client.people.navigate("nobody").trips.query().list()


# --- async ----------------------------------------------------------------------------------------------------


def test_async_navigation_reads(aimbase_served: Served) -> None:
    dealer = _busiest_dealer(aimbase_served)
    above = int(aimbase_served.rows('SELECT MIN(t_Id) FROM "Dealers__Products" WHERE s_Id = ?', dealer)[0])
    (empty,) = aimbase_served.rows('SELECT Id FROM "Leads" WHERE ProspectId IS NULL ORDER BY Id LIMIT 1')
    lead, prospect = aimbase_served.sandbox.store.execute(
        'SELECT Id, ProspectId FROM "Leads" WHERE ProspectId IS NOT NULL ORDER BY Id LIMIT 1'
    )[0].values()

    async def run() -> tuple[list[int], int, int]:
        async with AsyncAimbaseClient(_root(aimbase_served), username="demo", password="demo") as client:
            query = client.dealers.navigate(dealer).products.query().filter(QProduct.id > above)
            found = [p.id async for p in query.order_by(QProduct.name).iter(max_page_size=2)]
            with pytest.raises(NotFoundError, match="leads to no entity"):
                await client.leads.navigate(empty).prospect.get()
            with pytest.raises(NotFoundError):
                await client.dealers.navigate(999999).products.query().list()
            return found, await query.count(), (await client.leads.navigate(lead).prospect.get()).id

    found, counted, read = asyncio.run(run())
    assert found == _products_sql(aimbase_served, dealer, above)
    assert counted == len(found) and read == prospect


def test_async_containment(trippin_served: Served) -> None:
    user = trippin_served.rows('SELECT "@parent/UserName" FROM "People/Trips" ORDER BY 1 LIMIT 1')[0]
    expected = trippin_served.rows('SELECT TripId FROM "People/Trips" WHERE "@parent/UserName" = ? ORDER BY 1', user)

    async def run() -> list[int]:
        async with AsyncTripPinClient(trippin_served.url) as client:
            return [t.trip_id async for t in client.people.navigate(user).trips.query().iter(max_page_size=1)]

    assert asyncio.run(run()) == expected
