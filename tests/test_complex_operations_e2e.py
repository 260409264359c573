"""Operations bound to complex types, generated client against the sandbox over real HTTP on 127.0.0.1.

The sandbox serves an operation on a path ending in a complex-typed property (through nested complex
properties, casts, a singleton), bound to the value or to a collection of values: its echo answers with the
bound value itself when the result has its type, a handler sees that value in `call.binding_value`. Results
are compared with the sandbox's own store.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from codegen.runtime.http import ODataError
from codegen.sandbox import SandboxServer, create_app
from codegen.sandbox.app import Sandbox
from codegen.sandbox.operations import OperationCall
from codegen.spec import spec_from_arguments

from client_support import generated_client_module
from synthetic_csdl import COMPLEX_OPERATIONS_CSDL


def _distance(call: OperationCall) -> Any:
    """Geo.Distance: the length of the bound address's city plus that of `to`, so the test sees what was bound."""
    city = (call.binding_value or {}).get("City") or ""
    return float(len(city) + len(call.parameters["to"] or ""))


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Sandbox, Any, Any]]:
    folder = tmp_path_factory.mktemp("complex_e2e")
    metadata = folder / "metadata.xml"
    metadata.write_text(COMPLEX_OPERATIONS_CSDL, encoding="utf-8")
    module = generated_client_module(tmp_path_factory, "geo_complex_e2e", COMPLEX_OPERATIONS_CSDL)
    spec = spec_from_arguments(metadata, "served", Path("unused"))
    app = create_app(spec, rows=6, seed=3, operations={"Geo.Distance": _distance})
    with SandboxServer(app) as server, module.Client(server.url) as client:
        yield app.state.sandbox, client, module
    app.state.sandbox.store.close()


def _stored(sandbox: Sandbox) -> list[dict[str, Any]]:
    rows = sandbox.store.execute('SELECT * FROM "People" ORDER BY UserName')
    return [
        {k: json.loads(row[k]) if row[k] is not None else None for k in ("HomeAddress", "Info", "AddressInfo")}
        | {"UserName": row["UserName"]}
        for row in rows
    ]


def test_echo_returns_the_bound_complex_value(served: Any) -> None:
    sandbox, client, module = served
    person = next(p for p in _stored(sandbox) if p["HomeAddress"])
    address = client.people.navigate(person["UserName"]).home_address.normalized()
    assert isinstance(address, module.Address)
    assert (address.street, address.city) == (person["HomeAddress"]["Street"], person["HomeAddress"]["City"])


def test_a_handler_sees_the_bound_value_through_nested_properties(served: Any) -> None:
    sandbox, client, _ = served
    cities = [((p["Info"] or {}).get("Address") or {}).get("City") or "" for p in _stored(sandbox)]
    assert any(cities)  # the seed gave some a city, so the length shows which value was bound
    for person, city in zip(_stored(sandbox), cities):
        assert client.people.navigate(person["UserName"]).info.address.distance(to="abc") == len(city) + 3


def test_collection_bound_action_echoes_the_stored_collection(served: Any) -> None:
    sandbox, client, module = served
    person = next(p for p in _stored(sandbox) if p["AddressInfo"])
    locations = client.people.navigate(person["UserName"]).address_info.sorted_(by="Name")
    assert all(isinstance(x, module.Location) for x in locations if x is not None)
    assert [x.name if x is not None else None for x in locations] == [
        (x or {}).get("Name") if x is not None else None for x in person["AddressInfo"]
    ]


def test_casts_singletons_void_results_and_entity_collections(served: Any) -> None:
    sandbox, client, module = served
    key = _stored(sandbox)[0]["UserName"]
    person = client.people.navigate(key)
    assert person.home_address.cast(module.CityAddressItem).zip_area() == ""  # the echo's default string
    assert person.info.favourite.describe() == ""
    assert person.address_info.describe(separator=",") == ","  # the echo answers with the string parameter
    assert client.me.home_address.verify(strict=True) is None
    residents = person.home_address.residents().query().top(2).list()
    assert len(residents) == 2 and all(isinstance(p, module.Person) for p in residents)
    assert isinstance(person.info.address.owner(), module.Person)


def test_what_the_sandbox_refuses_on_complex_paths(served: Any) -> None:
    sandbox, client, module = served
    key = _stored(sandbox)[0]["UserName"]
    address = client.people.navigate(key).home_address
    with pytest.raises(ODataError) as bound_elsewhere:  # bound to a collection of Location, not to an Address
        module.LocationCollection(address._session, address._path).describe(separator=",")
    assert bound_elsewhere.value.status == 400
    session = address._session
    with pytest.raises(ODataError) as primitive:
        session.get_json(f"People('{key}')/HomeAddress/City")
    assert primitive.value.status == 501
