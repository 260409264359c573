"""The sandbox is driven by any CSDL, not only Aimbase's: TripPin, Northwind and the OData demo services are
seeded and served, with enum, collection and complex properties, composite and string keys, inheritance and
navigations through link tables; and a spec without login (`auth = "none"`) at the root path."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen.sandbox import SandboxServer, create_app
from codegen.sandbox.app import Sandbox
from codegen.spec import Spec, spec_from_arguments

CSDL = Path(__file__).resolve().parent / "fixtures" / "csdl"
SERVICES = ["trippin-sampleservice.xml", "northwind-v4.xml", "odata-demo-v4-reference.xml"]


def _spec(name: str) -> Spec:
    if not (CSDL / name).exists():
        pytest.skip(f"{CSDL / name} is not here")
    return spec_from_arguments(CSDL / name, "service", Path("unused"), service_path="/")


@pytest.fixture(scope="module", params=SERVICES)
def served(request: pytest.FixtureRequest) -> Iterator[tuple[Sandbox, httpx.Client]]:
    app = create_app(_spec(request.param), rows=40, seed=3, page_size=7)
    with SandboxServer(app) as server, httpx.Client(base_url=server.url) as client:
        yield app.state.sandbox, client
    app.state.sandbox.store.close()


def _all(client: httpx.Client, url: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    next_url: str | None = url
    while next_url:
        body = client.get(next_url).json()
        items += body["value"]
        next_url = body.get("@odata.nextLink")
    return items


def test_every_set_pages_and_expands_everything(served: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = served
    assert client.get("/").json()["value"]  # the service document, no login needed
    for name, table in sandbox.model.tables.items():
        stored = sandbox.store.execute(f'SELECT COUNT(*) AS n FROM "{name}"')[0]["n"]
        assert stored > 0
        items = _all(client, f"/{name}?$expand=*")
        assert len(items) == stored
        keys = [tuple(item[k] for k in table.key) for item in items]
        assert len(set(keys)) == len(keys)
        for item in items:
            assert set(table.columns) <= set(item)
            for navigation in table.navigations.values():
                value = item[navigation.name]
                assert isinstance(value, list) if navigation.collection else (value is None or isinstance(value, dict))
        assert client.get(f"/{name}/$count").text == str(stored)


def test_filters_on_each_kind_of_property(served: tuple[Sandbox, httpx.Client]) -> None:
    sandbox, client = served
    checked = 0
    for name, table in sandbox.model.tables.items():
        for column in table.columns.values():
            if column.kind == "collection":
                expression = f"{column.name}/any()"
            elif column.kind == "complex":
                expression = f"{column.name} ne null"
            elif column.kind == "enum" or column.edm == "Edm.String":
                expression = f"{column.name} ne null"
            elif column.edm in ("Edm.Int32", "Edm.Int16", "Edm.Int64", "Edm.Decimal", "Edm.Double"):
                expression = f"{column.name} ge 0"
            else:
                continue
            response = client.get(f"/{name}", params={"$filter": expression, "$count": "true", "$top": "0"})
            assert response.status_code == 200, (name, expression, response.text)
            assert response.json()["@odata.count"] >= 0
            checked += 1
    assert checked > 10


def test_trippin_enums_collections_and_string_keys() -> None:
    app = create_app(_spec("trippin-sampleservice.xml"), rows=40, seed=5)
    sandbox: Sandbox = app.state.sandbox
    with SandboxServer(app) as server, httpx.Client(base_url=server.url) as client:
        people = _all(client, "/People")
        male = sorted(p["UserName"] for p in people if p["Gender"] == "Male")
        got = _all(client, "/People?$filter=Gender eq 'Male'&$select=UserName")
        assert sorted(p["UserName"] for p in got) == male
        with_mail = sorted(p["UserName"] for p in people if any(e.endswith("m") for e in p["Emails"] or []))
        got = _all(client, "/People?$filter=Emails/any(e: endswith(e,'m'))&$select=UserName")
        assert sorted(p["UserName"] for p in got) == with_mail
        person = people[0]
        one = client.get(f"/People('{person['UserName']}')")
        assert one.status_code == 200 and one.json()["UserName"] == person["UserName"]
        assert one.headers["etag"].startswith('W/"')  # People declare Core.OptimisticConcurrency
        stale = client.patch(
            f"/People('{person['UserName']}')", json={"FirstName": "Zoë"}, headers={"If-Match": 'W/"x"'}
        )
        assert stale.status_code == 412
        fresh = client.patch(
            f"/People('{person['UserName']}')", json={"FirstName": "Zoë"}, headers={"If-Match": one.headers["etag"]}
        )
        assert fresh.status_code == 204 and fresh.headers["etag"] != one.headers["etag"]
        again = client.patch(
            f"/People('{person['UserName']}')", json={"LastName": "O'Brien"}, headers={"If-Match": one.headers["etag"]}
        )
        assert again.status_code == 412
    sandbox.store.close()
