"""Mistakes with the generated Aimbase clients, for tests/test_client_typing.py: mypy --strict must report each
line marked `# E: <fragment of the message>` and nothing else. This file is type-checked, never run.

Lines marked `# mypy misses:` are mistakes mypy cannot see (they raise before any request is sent, see
tests/test_client.py); the test checks that they stay unreported, so that this list of limits stays true. The
rest are correct uses that must type-check, with `assert_type` pinning what they return.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from datetime import datetime, timezone
from typing import Any, assert_type

from aimbase import AimbaseClient, AsyncAimbaseClient, Brand, Customs, Lead, Prospect, QLead
from aimbase.client import LeadsEntitySet
from trippin import Airline, Person, PersonItem, QTrip, Trip, TripCollection, TripItem, TripPinClient
from codegen.runtime import UNSET
from codegen.runtime.http import AvalaApiAuth, EntityPage, RequestOptions, RequestPreview

client = AimbaseClient("https://acme.aimbase.com", username="u", password="p")
WHEN = datetime(2024, 5, 1, 9, 30, tzinfo=timezone.utc)

# --- mistakes mypy reports -------------------------------------------------------------------------------

client.leads.patch(1, score=5)  # E: Unexpected keyword argument "score" for "patch" of "LeadsEntitySet"
client.leads.patch(1, id=2)  # E: Unexpected keyword argument "id" for "patch" of "LeadsEntitySet"
client.leads.patch(1, lead_uid=None)  # E: Unexpected keyword argument "lead_uid" for "patch" of "LeadsEntitySet"
client.leads.patch(1, follow_up_status_code=5)  # E: incompatible type "int"; expected "str | Unset | None"
client.leads.patch(1, lead_date="2020-01-01")  # E: incompatible type "str"; expected "datetime | Unset"
client.leads.patch(1, lead_date=None)  # E: incompatible type "None"; expected "datetime | Unset"
client.leads.patch(1, customs={"A": "b"})  # E: incompatible type "dict[str, str]"; expected "Customs | Unset | None"
client.leads.patch(1, "Contacted")  # E: Too many positional arguments for "patch" of "LeadsEntitySet"
client.leads.patch("x", medium="Web")  # E: incompatible type "str"; expected "int | Lead"
client.leads.patch(1, medium="Web", etag=1)  # E: Argument "etag" to "patch" of "LeadsEntitySet" has incompatible
client.leads.get("x")  # E: Argument 1 to "get" of "EntitySet" has incompatible type "str"; expected "int | Lead"
client.leads.get(1.5)  # E: Argument 1 to "get" of "EntitySet" has incompatible type "float"; expected "int | Lead"
client.leads.get(client.brands.get(1))  # E: Argument 1 to "get" of "EntitySet" has incompatible type "Brand"
client.companies.patch(1, name="Acme")  # E: "CompaniesEntitySet" has no attribute "patch"
client.products.patch(1)  # E: "ProductsEntitySet" has no attribute "patch"
client.leads.create(client.leads.get(1))  # E: "LeadsEntitySet" has no attribute "create"
client.brands.create(client.leads.get(1))  # E: "create" of "BrandsEntitySet" has incompatible type "Lead"
client.dealers.set_dealer_radius(1, brand_id="2", radius=50)  # E: Argument "brand_id" to "set_dealer_radius"
client.dealers.set_dealer_radius(1, radius=50)  # E: Missing named argument "brand_id" for "set_dealer_radius"
client.leads.query().filter(QLead.score > "1")  # E: Unsupported operand types for > ("IntExpr" and "str")
client.leads.query().first().id  # E: Item "None" of "Lead | None" has no attribute "id"
client.leads.nonexistent  # E: "LeadsEntitySet" has no attribute "nonexistent"
AimbaseClient("https://acme.aimbase.com", user="u")  # E: Unexpected keyword argument "user" for "AimbaseClient"
AimbaseClient("https://acme.aimbase.com", auth="u:t")  # E: Argument "auth" to "AimbaseClient" has incompatible type
sync_lead: Lead = client.leads.query().iter()  # E: (expression has type "Iterator[Lead]", variable has type "Lead")


async def sync_and_async_mixed_up(async_client: AsyncAimbaseClient) -> None:
    await client.leads.get(1)  # E: Incompatible types in "await" (actual type "Lead", expected type "Awaitable[Any]")
    await client.leads.patch(1, medium="Web")  # E: Incompatible types in "await" (actual type "Lead | None"
    async_client.leads.get(1)  # E: Value of type "Coroutine[Any, Any, Lead]" must be used
    async_client.leads.patch(1, medium="Web")  # E: Value of type "Coroutine[Any, Any, Lead | None]" must be used
    lead: Lead = async_client.leads.get(1)  # E: (expression has type "Coroutine[Any, Any, Lead]", variable has type
    print(lead)
    for item in async_client.leads.query().iter():  # E: "AsyncIterator[Lead]" has no attribute "__iter__"
        print(item)
    async for other in client.leads.query().iter():  # E: "Iterator[Lead]" has no attribute "__aiter__"
        print(other)
    await async_client.leads.patch(1, score=5)  # E: Unexpected keyword argument "score" for "patch" of "AsyncLeads
    await async_client.leads.get("x")  # E: "get" of "AsyncEntitySet" has incompatible type "str"; expected "int | Lead"
    await async_client.companies.patch(1)  # E: "AsyncCompaniesEntitySet" has no attribute "patch"
    await async_client.leads.query().count() + "1"  # E: Unsupported operand types for + ("int" and "str")
    async with AimbaseClient("https://acme.aimbase.com") as wrong:  # E: "AimbaseClient" has no attribute "__aenter__"
        print(wrong)


trippin = TripPinClient("https://services.odata.org/V4/TripPinServiceRW")
trippin.people.navigate(1)  # E: Argument 1 to "navigate" of "PersonCollection" has incompatible type "int"
trippin.people.navigate("x").trips.navigate("y")  # E: Argument 1 to "navigate" of "TripCollection" has incompatible
trippin.people.navigate("x").cast(Person)  # E: Value of type variable "I" of "cast" of "EntityItem" cannot be
trippin.people.navigate("x").plan_items  # E: "PersonItem" has no attribute "plan_items"
trippin.people.navigate("x").get_friends_trips(user_name=1)  # E: Argument "user_name" to "get_friends_trips"
trippin.me.patch(user_name="x")  # E: Unexpected keyword argument "user_name" for "patch" of "PersonItem"
trippin.me.patch(first_name=1)  # E: Argument "first_name" to "patch" of "PersonItem" has incompatible type "int"
trippin.people.navigate("x").photo.patch(id=5)  # E: Unexpected keyword argument "id" for "patch" of "PhotoItem"
trippin.me.trips.navigate(1).patch(budget="x")  # E: Argument "budget" to "patch" of "TripItem" has incompatible type
trippin.me.trips.query().filter(QTrip.budget > "x")  # E: Unsupported operand types for > ("FloatExpr" and "str")
trippin.people.navigate("x").friends_refs.add(1)  # E: Argument 1 to "add" of "CollectionRefs" has incompatible type
trippin.people.navigate("x").photo_ref.set("x")  # E: Argument 1 to "set" of "SingleRef" has incompatible type "str"
trippin.people.navigate("x").trips_refs  # E: "PersonItem" has no attribute "trips_refs"
trippin.people.navigate("x").friends_refs.set("y")  # E: "CollectionRefs[str | Person]" has no attribute "set"
client.dealers.navigate(1).products_refs.remove("7")  # E: Argument 1 to "remove" of "CollectionRefs" has incompatible

fetched = client.leads.get(1)
print(fetched.totally_made_up_name)  # E: "Lead" has no attribute "totally_made_up_name"
print(fetched.scroe)  # E: "Lead" has no attribute "scroe"
fetched.score = "ten"  # E: Incompatible types in assignment (expression has type "str", variable has type "int")
fetched.lead_date = (
    None  # E: Incompatible types in assignment (expression has type "None", variable has type "datetime")
)


# --- mistakes only seen at run time (ClientValidationError, ValueError or TypeError before any request) -------

client.leads.patch(1, medium="x" * 201)  # mypy misses: MaxLength is checked when the call runs
client.leads.patch(1, condition_code="X")  # mypy misses: allowed values are checked when the call runs
client.leads.patch(1, lead_date=datetime(2024, 5, 1))  # mypy misses: a naive datetime is refused when written
client.leads.patch(1)  # mypy misses: a patch with nothing to change is a ValueError
ANY_CHANGES: dict[str, Any] = {"score": 5}
client.leads.patch(1, **ANY_CHANGES)  # mypy misses: keywords unpacked from a dict of Any are not checked


# --- correct lines: no report ---------------------------------------------------------------------------------

assert_type(client.leads.patch(1, medium=UNSET), Lead | None)
assert_type(client.leads.patch(1, medium=None, external_id=None, customs=None), Lead | None)
assert_type(client.leads.patch(1, lead_date=WHEN, condition_code="N", customs=Customs()), Lead | None)
assert_type(client.leads.patch(1, medium="Web", etag='W/"1"', return_entity=True), Lead | None)
assert_type(client.leads.get(114), Lead)
assert_type(client.leads.get(114, expand=[QLead.prospect], select=[QLead.score]), Lead)
assert_type(client.leads.query().filter(QLead.score > 1).iter(), Iterator[Lead])
assert_type(client.leads.query().filter(QLead.score > 1).expand(QLead.prospect).first(), Lead | None)
assert_type(client.leads.query().list(limit=10), list[Lead])
assert_type(client.leads.query().count(), int)
assert_type(next(client.leads.query().include_count().pages()), EntityPage[Lead])
assert_type(client.brands.create(Brand(id=0, is_active=True, is_default=False)), Brand)
assert_type(client.dealers.set_dealer_radius(1, brand_id=2, radius=50), None)
assert_type(trippin.people.navigate("russellwhyte"), PersonItem)
assert_type(client.leads, LeadsEntitySet)  # the old name, from the client package
assert_type(client.leads.navigate(114).prospect.patch(first_name="A", return_entity=True), Prospect | None)
assert_type(trippin.me.patch(first_name="R"), Person | None)
assert_type(trippin.people.navigate("russellwhyte").friends.navigate("scott").get(), Person)
assert_type(trippin.people.navigate("russellwhyte").trips, TripCollection)
assert_type(trippin.people.navigate("russellwhyte").trips.navigate(1), TripItem)
assert_type(trippin.me.trips.query().top(2).list(), list[Trip])
assert_type(trippin.me.get(), Person)
assert_type(trippin.me.patch(first_name="April"), Person | None)
assert_type(trippin.me.get_favorite_airline(), Airline)
assert_type(trippin.me.get_friends_trips(user_name="x").query().first(), Trip | None)
AimbaseClient("https://acme.aimbase.com", username="u", token="t")
AimbaseClient("https://acme.aimbase.com", auth=AvalaApiAuth("u", "t"), service_path="/odata/V3")

with AimbaseClient("https://acme.aimbase.com", username="u", token="t") as managed:
    assert_type(managed, AimbaseClient)
    assert_type(managed.leads.get(1), Lead)


assert_type(trippin.people.navigate("x").friends_refs.list(limit=2), list[str])
assert_type(client.leads.navigate(1).prospect_ref.get(), str | None)
client.dealers.navigate(1).products_refs.add(7)


async def async_uses(async_client: AsyncAimbaseClient) -> None:
    assert_type(await async_client.dealers.navigate(1).products_refs.list(), list[str])
    assert_type(await async_client.leads.navigate(1).prospect_ref.set(2), None)
    assert_type(await async_client.leads.get(1), Lead)
    assert_type(await async_client.leads.patch(1, medium=None), Lead | None)
    assert_type(async_client.leads.query().filter(QLead.score > 1).iter(), AsyncIterator[Lead])
    assert_type(await async_client.leads.query().first(), Lead | None)
    assert_type(await async_client.leads.query().list(limit=3), list[Lead])
    assert_type(await async_client.leads.query().count(), int)
    async for lead in async_client.leads.query().iter():
        assert_type(lead, Lead)
    async with AsyncAimbaseClient("https://acme.aimbase.com", username="u", token="t") as managed_async:
        assert_type(managed_async, AsyncAimbaseClient)
        assert_type(await managed_async.brands.create(Brand(id=0, is_active=True, is_default=False)), Brand)


# Per-request extras keep the generated type; a preview's call is checked against it.
assert_type(client.leads.with_options(RequestOptions(format="json")), LeadsEntitySet)
assert_type(client.with_options(RequestOptions()).leads.query().with_options(RequestOptions()).list(), list[Lead])
assert_type(client.leads.preview(lambda leads: leads.patch(1, medium=None)), RequestPreview)
assert_type(trippin.people.navigate("x").preview(lambda person: person.get_favorite_airline()).url, str)
client.leads.preview(lambda leads: leads.get("1"))  # E: incompatible type "str"
client.leads.with_options({"format": "json"})  # E: incompatible type "dict[str, str]"
RequestOptions(prefer_return="all")  # E: incompatible type "Literal['all']"

reveal_type(client.leads)  # N: Revealed type is "aimbase.client.lead.LeadsEntitySet"
