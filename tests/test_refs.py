"""Links between entities (`$ref`) through the generated synchronous clients, end to end against the sandbox:
every change is checked by reading the sandbox's own tables (tests/refs_support.py) and by reading the
navigation back through the client. tests/test_refs_async.py runs the same with the async clients.

TripPin's `Person/Friends` is a collection-valued navigation and `Person/Photo` a single-valued one, both
stored in link tables; Aimbase's `Dealer/Products` is the documented "Dealer Product Assign", and
`Lead/Prospect` a single-valued navigation through the foreign key `ProspectId`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from aimbase import AimbaseClient
from codegen.runtime.http import BadRequestError, ClientValidationError, MalformedResponseError, NotFoundError
from codegen.runtime.http.references import CollectionRefs
from codegen.sandbox import SandboxServer, create_app
from codegen.spec import spec_from_arguments
from trippin import TripPinClient

from refs_support import PAGE, ROOT, Served, aimbase_served, dealer_and_product, trippin_served, unlinked_people

__all__ = ["aimbase_served", "trippin_served"]  # fixtures, used by name

USER = PASSWORD = "demo"
CSDL = ROOT / "tests" / "fixtures" / "csdl"


@pytest.fixture(scope="module")
def trippin(trippin_served: Served) -> Iterator[TripPinClient]:
    with TripPinClient(trippin_served.url) as client:
        yield client


@pytest.fixture(scope="module")
def aimbase(aimbase_served: Served) -> Iterator[AimbaseClient]:
    root = aimbase_served.url.removesuffix(aimbase_served.sandbox.service_path + "/")
    with AimbaseClient(root, username=USER, password=PASSWORD) as client:
        yield client


def _person(served: Served, index: int) -> str:
    return str(served.rows('SELECT UserName FROM "People" ORDER BY 1')[index])


# --- collection-valued: add, list, remove -----------------------------------------------------------------


def test_add_links_the_entity_and_reading_the_navigation_shows_it(
    trippin_served: Served, trippin: TripPinClient
) -> None:
    user = _person(trippin_served, 0)
    first, second = unlinked_people(trippin_served, user, 2)
    refs = trippin.people.navigate(user).friends_refs
    refs.add(first)
    refs.add(trippin.people.get(second))  # an entity read earlier stands for its key
    assert {first, second} <= set(trippin_served.friends(user))
    read = [p.user_name for p in trippin.people.navigate(user).friends.query().list()]
    assert sorted(read) == trippin_served.friends(user)
    refs.add(first)  # linking again changes nothing
    assert trippin_served.friends(user).count(first) == 1


def test_list_gives_every_linked_id_across_server_pages(trippin_served: Served, trippin: TripPinClient) -> None:
    user = _person(trippin_served, 1)
    refs = trippin.people.navigate(user).friends_refs
    for other in unlinked_people(trippin_served, user, 4):
        refs.add(other)
    linked = trippin_served.friends(user)
    assert len(linked) > 3  # more than one server page (refs_support.PAGE)
    expected = [trippin_served.id_url(f"People('{name}')") for name in linked]
    assert refs.list() == expected
    assert refs.list(limit=2) == expected[:2]
    assert list(refs.iter(max_page_size=1)) == expected


def test_remove_unlinks_and_keeps_the_entity(trippin_served: Served, trippin: TripPinClient) -> None:
    user = _person(trippin_served, 2)
    (other,) = unlinked_people(trippin_served, user, 1)
    refs = trippin.people.navigate(user).friends_refs
    refs.add(other)
    refs.remove(other)
    assert other not in trippin_served.friends(user)
    assert trippin.people.get(other).user_name == other
    with pytest.raises(NotFoundError, match="is not linked"):
        refs.remove(other)


def test_aimbase_dealer_product_assign(aimbase_served: Served, aimbase: AimbaseClient) -> None:
    """POST Dealers(id)/Products/$ref with {"@odata.id": ".../Products(7)"}, as Aimbase documents it."""
    dealer, product = dealer_and_product(aimbase_served)
    refs = aimbase.dealers.navigate(dealer).products_refs
    assert refs.id_of(product) == aimbase_served.id_url(f"Products({product})")
    refs.remove(product)
    assert product not in aimbase_served.dealer_products(dealer)
    assert product not in [p.id for p in aimbase.dealers.navigate(dealer).products.query().list()]
    refs.add(product)
    assert product in aimbase_served.dealer_products(dealer)
    assert product in [p.id for p in aimbase.dealers.navigate(dealer).products.query().list()]


# --- single-valued: set (PUT), delete, get ----------------------------------------------------------------


def test_set_replaces_the_link_and_delete_removes_it(trippin_served: Served, trippin: TripPinClient) -> None:
    user = _person(trippin_served, 3)
    photos = trippin_served.rows('SELECT Id FROM "Photos" ORDER BY 1')
    ref = trippin.people.navigate(user).photo_ref
    ref.set(photos[0])
    ref.set(photos[1])  # replaces, not adds
    assert trippin_served.photo(user) == [photos[1]]
    assert ref.get() == trippin_served.id_url(f"Photos({photos[1]})")
    assert trippin.people.navigate(user).photo.get().id == photos[1]
    ref.delete()
    assert trippin_served.photo(user) == []
    assert ref.get() is None
    with pytest.raises(NotFoundError):
        ref.delete()


def test_a_foreign_key_link_is_the_column_it_joins_by(aimbase_served: Served, aimbase: AimbaseClient) -> None:
    lead, prospect = aimbase_served.rows('SELECT Id FROM "Leads" ORDER BY 1')[0], 0
    prospect = aimbase_served.rows('SELECT Id FROM "Prospects" ORDER BY 1')[-1]
    ref = aimbase.leads.navigate(lead).prospect_ref
    ref.set(prospect)
    assert aimbase_served.rows('SELECT ProspectId FROM "Leads" WHERE Id = ?', lead) == [prospect]
    assert aimbase.leads.navigate(lead).prospect.get().id == prospect
    ref.delete()
    assert aimbase_served.rows('SELECT ProspectId FROM "Leads" WHERE Id = ?', lead) == [None]
    assert aimbase.leads.get(lead).prospect_id is None


# --- errors -----------------------------------------------------------------------------------------------


def test_an_unknown_key_is_a_not_found_error_and_changes_nothing(
    trippin_served: Served, trippin: TripPinClient
) -> None:
    user = _person(trippin_served, 4)
    before = trippin_served.friends(user)
    with pytest.raises(NotFoundError, match="People\\('nobody'\\)") as raised:
        trippin.people.navigate(user).friends_refs.add("nobody")
    assert raised.value.status == 404
    with pytest.raises(NotFoundError):
        trippin.people.navigate("nobody").friends_refs.add(user)
    with pytest.raises(NotFoundError):
        trippin.people.navigate("nobody").friends_refs.list()
    assert trippin_served.friends(user) == before


def test_a_bad_key_is_refused_before_sending(trippin: TripPinClient) -> None:
    refs = trippin.people.navigate("x").friends_refs
    with pytest.raises(ClientValidationError):
        refs.add("")
    with pytest.raises(ClientValidationError):
        refs.add(1.5)  # type: ignore[arg-type]
    with pytest.raises(ClientValidationError):
        item = trippin.people.navigate("x")
        CollectionRefs(item._session, item._path, "Friends", "Not/A/Set")


def test_the_server_refuses_an_id_of_another_service_or_entity_set(trippin_served: Served) -> None:
    user = _person(trippin_served, 5)
    url = f"{trippin_served.url}People('{user}')/Friends/$ref"
    wrong = [
        "http://elsewhere.example/People('x')",  # another service
        f"{trippin_served.url}Airlines('AA')",  # another entity set
        f"{trippin_served.url}People('{user}')/Friends",  # not one entity by key
        "",
        17,
    ]
    with httpx.Client() as http:
        for value in wrong:
            response = http.post(url, json={"@odata.id": value})
            assert response.status_code == 400, (value, response.text)
            assert response.json()["error"]["code"] == "BadRequest"
        assert http.post(url, json=[1]).status_code == 400
        # A `/` inside a quoted key is part of the key, not a path step: such a person just does not exist.
        assert http.post(url, json={"@odata.id": f"{trippin_served.url}People('a%2Fb')"}).status_code == 404
        assert http.delete(url).status_code == 400  # no $id
        assert http.put(url, json={"@odata.id": f"People('{user}')"}).status_code == 405
        # A relative id is resolved against the request URL, as OData reads one in a request.
        (other,) = unlinked_people(trippin_served, user, 1)
        assert http.post(url, json={"@odata.id": f"../../People('{other}')"}).status_code == 204
        assert other in trippin_served.friends(user)
        # OData 4.01's other removal form: the key after the navigation.
        assert http.delete(f"{trippin_served.url}People('{user}')/Friends('{other}')/$ref").status_code == 204
        assert other not in trippin_served.friends(user)
        contained = http.get(f"{trippin_served.url}People('{user}')/Trips/$ref")
        assert contained.status_code == 400 and "contained entities have no references" in contained.text


def test_the_server_error_reaches_the_client_typed(trippin_served: Served, trippin: TripPinClient) -> None:
    """The sandbox refuses to link a person to an entity set it is not bound to: a BadRequestError."""
    user = _person(trippin_served, 6)
    item = trippin.people.navigate(user)
    refs = CollectionRefs[str](item._session, item._path, "Friends", "Airlines")
    with pytest.raises(BadRequestError, match="does not name an entity of People"):
        refs.add("AA")


def test_a_reference_without_an_id_is_a_malformed_response() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={"value": [{"id": "People('x')"}]})

    with TripPinClient("http://127.0.0.1:9", transport=httpx.MockTransport(answer)) as client:
        with pytest.raises(MalformedResponseError, match="no @odata.id"):
            client.people.navigate("x").friends_refs.list()


def test_relative_ids_are_resolved_against_the_service_root() -> None:
    seen: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request)
        if request.method == "GET":
            return httpx.Response(200, json={"@odata.id": "Photos(4)"})
        return httpx.Response(204)

    with TripPinClient("http://127.0.0.1:9/svc", transport=httpx.MockTransport(answer)) as client:
        ref = client.people.navigate("o'neil").photo_ref
        assert ref.get() == "http://127.0.0.1:9/svc/Photos(4)"
        client.people.navigate("o'neil").friends_refs.remove("a b")
    removal = seen[-1]
    assert removal.method == "DELETE"
    assert removal.url.path == "/svc/People('o''neil')/Friends/$ref"
    assert removal.url.params["$id"] == "http://127.0.0.1:9/svc/People('a%20b')"


# --- a foreign key on the target's side (Northwind: Category/Products through Product/Category's constraint) ---


@pytest.fixture(scope="module")
def northwind() -> Iterator[tuple[Served, httpx.Client]]:
    spec = spec_from_arguments(CSDL / "northwind-v4.xml", "northwind", Path("unused"), service_path="/")
    app = create_app(spec, rows=60, seed=2, page_size=PAGE)
    with SandboxServer(app) as server, httpx.Client(base_url=server.url) as http:
        yield Served(app.state.sandbox, server.url.rstrip("/") + "/"), http
    app.state.sandbox.store.close()


def test_links_stored_in_the_targets_foreign_key(northwind: tuple[Served, httpx.Client]) -> None:
    served, http = northwind
    first, second = served.rows('SELECT CategoryID FROM "Categories" ORDER BY 1')[:2]
    (product,) = served.rows('SELECT ProductID FROM "Products" ORDER BY 1 LIMIT 1')
    category_of = 'SELECT CategoryID FROM "Products" WHERE ProductID = ?'
    refs = f"Categories({first})/Products/$ref"
    assert http.post(refs, json={"@odata.id": f"{served.url}Products({product})"}).status_code == 204
    assert served.rows(category_of, product) == [first]
    listed = [item["@odata.id"] for item in http.get(refs, params={"$top": "50"}).json()["value"]]
    assert f"{served.url}Products({product})" in listed
    # The single-valued side of the same link: PUT moves the product to the second category.
    assert (
        http.put(f"Products({product})/Category/$ref", json={"@odata.id": f"../../Categories({second})"}).status_code
        == 204
    )
    assert served.rows(category_of, product) == [second]
    assert http.get(f"Products({product})/Category/$ref").json()["@odata.id"] == f"{served.url}Categories({second})"
    removed = http.delete(f"Categories({second})/Products/$ref", params={"$id": f"{served.url}Products({product})"})
    assert removed.status_code == 204
    assert served.rows(category_of, product) == [None]
    assert http.get(f"Products({product})/Category/$ref").status_code == 204
