"""Shared by tests/test_refs.py and tests/test_refs_async.py (not a test module): sandboxes of TripPin and Aimbase
over real HTTP, and the SQL oracle of the links they store.

Links are read back from the sandbox's SQLite tables by hand-written SQL: TripPin's `Person/Friends` and
`Person/Photo` (no referential constraint) are rows of the link tables `People__Friends` and `People__Photo`,
Aimbase's `Dealer/Products` of `Dealers__Products`, and `Lead/Prospect` is the foreign key `Leads.ProspectId`.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import pytest

from codegen.sandbox import Sandbox, SandboxServer, create_app
from codegen.spec import load_spec

ROOT = Path(__file__).resolve().parents[1]
PAGE = 3  # server pages: listing links of more entities than this follows nextLinks


@attrs.frozen
class Served:
    sandbox: Sandbox
    url: str

    def rows(self, sql: str, *parameters: Any) -> list[Any]:
        """The first column of each row."""
        return [next(iter(row.values())) for row in self.sandbox.store.execute(sql, parameters)]

    def friends(self, user: str) -> list[str]:
        return self.rows('SELECT t_UserName FROM "People__Friends" WHERE s_UserName = ? ORDER BY 1', user)

    def photo(self, user: str) -> list[int]:
        return self.rows('SELECT t_Id FROM "People__Photo" WHERE s_UserName = ?', user)

    def dealer_products(self, dealer: int) -> list[int]:
        return self.rows('SELECT t_Id FROM "Dealers__Products" WHERE s_Id = ? ORDER BY 1', dealer)

    def id_url(self, path: str) -> str:
        return f"{self.url}{path}"


def serve(spec: str, **options: Any) -> Iterator[Served]:
    app = create_app(load_spec(ROOT / "specs" / spec / "codegen.toml"), rows=200, seed=5, page_size=PAGE, **options)
    with SandboxServer(app) as server:
        sandbox: Sandbox = app.state.sandbox
        root = server.url.rstrip("/") + sandbox.service.service_path + "/"
        yield Served(sandbox, root)
    app.state.sandbox.store.close()


@pytest.fixture(scope="module")
def trippin_served() -> Iterator[Served]:
    yield from serve("trippin")


@pytest.fixture(scope="module")
def aimbase_served() -> Iterator[Served]:
    yield from serve("aimbase")


def unlinked_people(served: Served, user: str, count: int) -> list[str]:
    """`count` people that are not `user`'s friends (nor `user`)."""
    linked = set(served.friends(user)) | {user}
    people = served.rows('SELECT UserName FROM "People" ORDER BY 1')
    found = [p for p in people if p not in linked][:count]
    assert len(found) == count, "the seed has too few people for this test"
    return found


def dealer_and_product(served: Served) -> tuple[int, int]:
    """A dealer with products assigned, and the first of them."""
    dealer, product = served.sandbox.store.execute(
        'SELECT s_Id, MIN(t_Id) FROM "Dealers__Products" GROUP BY s_Id ORDER BY COUNT(*) DESC, s_Id LIMIT 1'
    )[0].values()
    return int(dealer), int(product)
