"""tests/test_refs.py with the generated asynchronous clients: the same links, changed and checked the same way."""

from __future__ import annotations

import asyncio

import pytest

from aimbase import AsyncAimbaseClient
from codegen.runtime.http import NotFoundError
from trippin import AsyncTripPinClient

from refs_support import Served, aimbase_served, dealer_and_product, trippin_served, unlinked_people

__all__ = ["aimbase_served", "trippin_served"]  # fixtures, used by name


def _person(served: Served, index: int) -> str:
    # From the end: tests/test_refs.py takes people from the start, should both modules share a process.
    return str(served.rows('SELECT UserName FROM "People" ORDER BY 1 DESC')[index])


def test_add_list_and_remove(trippin_served: Served) -> None:
    user = _person(trippin_served, 0)
    others = unlinked_people(trippin_served, user, 4)

    async def run() -> tuple[list[str], list[str], list[str]]:
        async with AsyncTripPinClient(trippin_served.url) as client:
            refs = client.people.navigate(user).friends_refs
            for other in others:
                await refs.add(other)
            listed = await refs.list()
            await refs.remove(others[0])
            with pytest.raises(NotFoundError, match="is not linked"):
                await refs.remove(others[0])
            paged = [entity_id async for entity_id in refs.iter(max_page_size=1)]
            read = [p.user_name async for p in client.people.navigate(user).friends.query().iter()]
            return listed, paged, read

    listed, paged, read = asyncio.run(run())
    linked = trippin_served.friends(user)
    assert others[0] not in linked and set(others[1:]) <= set(linked)
    assert listed == [trippin_served.id_url(f"People('{name}')") for name in sorted([*linked, others[0]])]
    assert paged == [trippin_served.id_url(f"People('{name}')") for name in linked]
    assert sorted(read) == linked


def test_set_get_and_delete_a_single_valued_link(trippin_served: Served) -> None:
    user = _person(trippin_served, 1)
    photo = trippin_served.rows('SELECT Id FROM "Photos" ORDER BY 1')[-1]

    async def run() -> tuple[str | None, int, str | None]:
        async with AsyncTripPinClient(trippin_served.url) as client:
            ref = client.people.navigate(user).photo_ref
            await ref.set(photo)
            linked = await ref.get()
            assert trippin_served.photo(user) == [photo]
            read = (await client.people.navigate(user).photo.get()).id
            await ref.delete()
            return linked, read, await ref.get()

    linked, read, after = asyncio.run(run())
    assert linked == trippin_served.id_url(f"Photos({photo})") and read == photo
    assert after is None and trippin_served.photo(user) == []


def test_dealer_product_assign_and_unknown_keys(aimbase_served: Served) -> None:
    dealer, product = dealer_and_product(aimbase_served)
    root = aimbase_served.url.removesuffix(aimbase_served.sandbox.service_path + "/")

    async def run() -> None:
        async with AsyncAimbaseClient(root, username="demo", password="demo") as client:
            refs = client.dealers.navigate(dealer).products_refs
            await refs.remove(product)
            assert product not in aimbase_served.dealer_products(dealer)
            await refs.add(product)
            assert product in aimbase_served.dealer_products(dealer)
            with pytest.raises(NotFoundError, match="Products\\(999999\\)"):
                await refs.add(999999)
            with pytest.raises(NotFoundError, match="Dealers\\(999999\\)"):
                await client.dealers.navigate(999999).products_refs.list()

    asyncio.run(run())
