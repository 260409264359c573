"""The sandbox serves singletons, navigation paths (containment too), type casts, and actions and functions
of any spec's CSDL, over real HTTP on 127.0.0.1: TripPin (`Me`, `People('x')/Trips`) and OData.NET's
DefaultService (singletons, containment, a flags enum, `Discount` bound to `Collection(Product)`); bad
requests to any of these get 4xx OData errors."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from codegen.csdl.model import TypeRef
from codegen.sandbox import OperationCall, SandboxServer, create_app
from codegen.sandbox.app import Sandbox
from codegen.sandbox.paths import key_text
from codegen.sandbox.schema import Table
from codegen.spec import Spec, spec_from_arguments

CSDL = Path(__file__).resolve().parent / "fixtures" / "csdl"
TRIPPIN = "Microsoft.OData.SampleService.Models.TripPin"
DEFAULT = "Microsoft.OData.E2E.TestCommon.Common.Server.Default"
SERVICES = [
    "trippin-sampleservice.xml",
    "odatanet-DefaultServiceCsdl.xml",
    "northwind-v4.xml",
    "odata-demo-v4-reference.xml",
]

Served = tuple[Sandbox, httpx.Client]


def _spec(name: str) -> Spec:
    if not (CSDL / name).exists():
        pytest.skip(f"{CSDL / name} is not here")
    return spec_from_arguments(CSDL / name, "service", Path("unused"), service_path="/")


def _serve(name: str, **options: Any) -> Iterator[Served]:
    app = create_app(_spec(name), rows=30, seed=4, page_size=3, **options)
    with SandboxServer(app) as server, httpx.Client(base_url=server.url) as client:
        yield app.state.sandbox, client
    app.state.sandbox.store.close()


@pytest.fixture(scope="module")
def trippin() -> Iterator[Served]:
    yield from _serve("trippin-sampleservice.xml")


def _discount(call: OperationCall) -> Any:
    """Default.Discount, bound to Collection(Product): lowers every price by `percentage` percent."""
    if call.binding_table is None:
        return None  # the unbound overload (the action import) returns nothing
    table = call.binding_table
    for record in call.records():
        price = record.values["UnitPrice"] * (100 - call.parameters["percentage"]) / 100
        call.store.update(table, record.key, {"UnitPrice": round(price, 2)})
    return [call.store.get(table, record.key) for record in call.records()]


@pytest.fixture(scope="module")
def default_service() -> Iterator[Served]:
    yield from _serve("odatanet-DefaultServiceCsdl.xml", operations={"Default.Discount": _discount})


def _all(client: httpx.Client, url: str, **params: str) -> list[dict[str, Any]]:
    items: list[dict[str, Any]] = []
    response = client.get(url, params=params)
    while True:
        assert response.status_code == 200, response.text
        body = response.json()
        items += body["value"]
        if "@odata.nextLink" not in body:
            return items
        response = client.get(body["@odata.nextLink"])


def _host_of_most(sandbox: Sandbox, contained: str, parent: str) -> Any:
    """The host key that has the most rows in the contained table (and how many)."""
    column = f"@parent/{parent}"
    rows = sandbox.store.execute(
        f'SELECT "{column}" AS host, COUNT(*) AS n FROM "{contained}" GROUP BY host ORDER BY n DESC, host LIMIT 1'
    )
    return rows[0]["host"], rows[0]["n"]


# --- singletons -------------------------------------------------------------------------------------------


def test_singleton_get_select_expand_and_patch(trippin: Served) -> None:
    sandbox, client = trippin
    me = client.get("/Me")
    assert me.status_code == 200
    body = me.json()
    assert body["@odata.context"].endswith("$metadata#Me")
    assert set(sandbox.model.singletons["Me"].columns) <= set(body)
    shaped = client.get("/Me", params={"$select": "UserName,FirstName", "$expand": "Friends($select=UserName)"}).json()
    assert shaped["@odata.context"].endswith("$metadata#Me(UserName,FirstName,Friends(UserName))")
    assert set(shaped) == {"@odata.context", "UserName", "FirstName", "Friends"}
    assert all(set(friend) <= {"@odata.etag", "UserName"} for friend in shaped["Friends"])
    assert client.patch("/Me", json={"FirstName": "Zoë"}).status_code == 204
    assert client.get("/Me", params={"$select": "FirstName"}).json()["FirstName"] == "Zoë"
    refused = client.patch("/Me", json={"UserName": "someone"})
    assert refused.status_code == 400 and refused.json()["error"]["target"] == "UserName"
    assert {"name": "Me", "kind": "Singleton", "url": "Me"} in client.get("/").json()["value"]
    assert client.get("/Me(1)").status_code == 400
    assert client.delete("/Me").status_code == 405


def test_every_singleton_and_containment_is_served(trippin: Served) -> None:
    """One row per singleton; every contained table is reachable from a host row."""
    sandbox, client = trippin
    for name in sandbox.model.singletons:
        assert client.get(f"/{name}").status_code == 200
        assert sandbox.store.execute(f'SELECT COUNT(*) AS n FROM "{name}"')[0]["n"] == 1
    assert set(sandbox.model.contained) >= {"People/Trips", "Me/Trips", "People/Trips/PlanItems"}


# --- navigation -------------------------------------------------------------------------------------------


def test_containment_collection_with_paging_and_options(trippin: Served) -> None:
    sandbox, client = trippin
    host, count = _host_of_most(sandbox, "People/Trips", "UserName")
    assert count > 3  # more than one page of 3
    url = f"/People({key_text(sandbox.model.tables['People'], (host,))})/Trips"
    stored = sandbox.store.execute(
        'SELECT "TripId", "Budget" FROM "People/Trips" WHERE "@parent/UserName" = ? ORDER BY "TripId"', (host,)
    )
    trips = _all(client, url)
    assert [t["TripId"] for t in trips] == [row["TripId"] for row in stored]
    first = client.get(url, params={"$count": "true", "$top": "2", "$skip": "1", "$select": "TripId,Name"}).json()
    assert first["@odata.context"].endswith(f"$metadata#People('{host}')/Trips(TripId,Name)")
    assert first["@odata.count"] == count
    assert [t["TripId"] for t in first["value"]] == [row["TripId"] for row in stored[1:3]]
    assert all(set(t) == {"TripId", "Name"} for t in first["value"])
    budget = sorted(row["Budget"] for row in stored)[len(stored) // 2]
    cheap = _all(client, url, **{"$filter": f"Budget lt {budget}", "$orderby": "Budget desc"})
    assert [t["Budget"] for t in cheap] == sorted((r["Budget"] for r in stored if r["Budget"] < budget), reverse=True)
    assert client.get(f"{url}/$count").text == str(count)
    assert client.get(f"{url}/$count", params={"$filter": f"Budget lt {budget}"}).text == str(len(cheap))


def test_containment_entity_nested_and_patch(trippin: Served) -> None:
    sandbox, client = trippin
    host, _ = _host_of_most(sandbox, "People/Trips", "UserName")
    trip = sandbox.store.execute('SELECT "TripId" FROM "People/Trips" WHERE "@parent/UserName" = ?', (host,))[0]
    url = f"/People('{host}')/Trips({trip['TripId']})"
    one = client.get(url, params={"$select": "Name"})
    assert one.status_code == 200
    assert one.json()["@odata.context"].endswith(f"$metadata#People('{host}')/Trips(Name)/$entity")
    items = sandbox.store.execute(
        'SELECT "PlanItemId" FROM "People/Trips/PlanItems" WHERE "@parent/TripId" = ?', (trip["TripId"],)
    )
    plan = _all(client, f"{url}/PlanItems")
    assert sorted(p["PlanItemId"] for p in plan) == sorted(row["PlanItemId"] for row in items)
    assert client.patch(url, json={"Name": "Lisboa"}).status_code == 204
    assert client.get(url).json()["Name"] == "Lisboa"
    other = sandbox.store.execute('SELECT "TripId" FROM "People/Trips" WHERE "@parent/UserName" <> ?', (host,))[0]
    missing = client.get(f"/People('{host}')/Trips({other['TripId']})")  # someone else's trip
    assert missing.status_code == 404 and missing.json()["error"]["code"] == "NotFound"
    assert client.get("/People('nobody')/Trips").status_code == 404
    expanded = client.get(f"/People('{host}')", params={"$expand": "Trips($select=TripId)"}).json()
    assert len(expanded["Trips"]) == len(_all(client, f"/People('{host}')/Trips"))


def test_singleton_navigation_and_keys_after_navigation(trippin: Served) -> None:
    sandbox, client = trippin
    me = client.get("/Me").json()["UserName"]
    trips = sandbox.store.execute('SELECT "TripId" FROM "Me/Trips" WHERE "@parent/UserName" = ?', (me,))
    assert sorted(t["TripId"] for t in _all(client, "/Me/Trips")) == sorted(r["TripId"] for r in trips)
    friends = _all(client, "/Me/Friends")
    assert friends and all("UserName" in f for f in friends)
    friend = friends[0]["UserName"]
    got = client.get(f"/Me/Friends('{friend}')")
    assert got.status_code == 200 and got.json()["@odata.context"].endswith("$metadata#People/$entity")
    strangers = {p["UserName"] for p in _all(client, "/People")} - {f["UserName"] for f in friends}
    if strangers:
        assert client.get(f"/Me/Friends('{sorted(strangers)[0]}')").status_code == 404
    assert client.get("/Me/Friends(1)").status_code == 400  # an Edm.String key


def test_single_valued_navigation_is_an_entity_or_no_content(trippin: Served) -> None:
    sandbox, client = trippin
    linked = {row["s_UserName"]: row["t_Id"] for row in sandbox.store.execute('SELECT * FROM "People__Photo"')}
    people = [p["UserName"] for p in _all(client, "/People", **{"$select": "UserName"})]
    with_photo = next(name for name in people if name in linked)
    photo = client.get(f"/People('{with_photo}')/Photo")
    assert photo.status_code == 200 and photo.json()["Id"] == linked[with_photo]
    assert photo.json()["@odata.context"].endswith("$metadata#Photos/$entity")
    without = [name for name in people if name not in linked]
    if without:
        empty = client.get(f"/People('{without[0]}')/Photo")
        assert empty.status_code == 204 and empty.content == b""
    assert client.get(f"/People('{with_photo}')/Photo(1)").status_code == 400


def test_type_casts_filter_and_cast(trippin: Served) -> None:
    sandbox, client = trippin
    host, _ = _host_of_most(sandbox, "People/Trips", "UserName")
    people = client.get(f"/People/{TRIPPIN}.Person", params={"$count": "true", "$top": "0"}).json()
    assert people["@odata.count"] == len(_all(client, "/People"))  # a cast to the declared type keeps all
    assert client.get(f"/People('{host}')/{TRIPPIN}.Person").status_code == 200
    # PlanItems hold Flights, Events and PublicTransportations too: a cast keeps a type and those below it
    rows = sandbox.store.execute('SELECT "PlanItemId", "@type" AS type FROM "People/Trips/PlanItems"')
    kinds = {row["PlanItemId"]: row["type"].rsplit(".", 1)[1] for row in rows}
    assert {"PlanItem", "Flight", "Event", "PublicTransportation"} <= set(kinds.values())
    flight = next(key for key, kind in kinds.items() if kind == "Flight")
    owner = sandbox.store.execute(
        'SELECT p."@parent/UserName" AS person, p."TripId" AS trip FROM "People/Trips" AS p JOIN'
        ' "People/Trips/PlanItems" AS i ON i."@parent/TripId" = p."TripId" WHERE i."PlanItemId" = ?',
        (flight,),
    )[0]
    items = f"/People('{owner['person']}')/Trips({owner['trip']})/PlanItems"
    plan = _all(client, items)
    for item in plan:  # a derived entity says its type and shows what the type adds
        kind = kinds[item["PlanItemId"]]
        assert item.get("@odata.type", f"#{TRIPPIN}.PlanItem") == f"#{TRIPPIN}.{kind}"
        assert ("FlightNumber" in item) == (kind == "Flight")
    transports = _all(client, f"{items}/{TRIPPIN}.PublicTransportation")
    expected = {i["PlanItemId"] for i in plan if kinds[i["PlanItemId"]] in ("Flight", "PublicTransportation")}
    assert {t["PlanItemId"] for t in transports} == expected
    cast = client.get(f"{items}/{TRIPPIN}.Flight", params={"$select": "FlightNumber", "$filter": "SeatNumber ne null"})
    assert cast.status_code == 200, cast.text
    assert cast.json()["@odata.context"].endswith(f"/PlanItems/{TRIPPIN}.Flight(FlightNumber)")
    assert all(set(f) <= {"FlightNumber"} for f in cast.json()["value"])
    assert client.get(f"{items}({flight})/{TRIPPIN}.Flight").json()["PlanItemId"] == flight
    assert client.get(f"{items}({flight})/{TRIPPIN}.Event").status_code == 404  # a flight is no event
    assert client.get(items, params={"$filter": "SeatNumber ne null"}).status_code == 400  # cast first
    assert client.get(f"/People/{TRIPPIN}.Airline").status_code == 400  # not derived from Person
    assert client.get(f"/People/{TRIPPIN}.Location").status_code == 400  # a complex type


# --- operations -------------------------------------------------------------------------------------------


def test_function_imports_inline_and_alias_parameters(trippin: Served) -> None:
    _, client = trippin
    inline = client.get("/GetNearestAirport(lat=47.6,lon=-122.3)")
    assert inline.status_code == 200, inline.text
    assert inline.json()["@odata.context"].endswith("$metadata#Airports/$entity")
    aliased = client.get("/GetNearestAirport(lat=@lat,lon=@lon)", params={"@lat": "47.6", "@lon": "-122.3"})
    assert aliased.status_code == 200 and aliased.json()["IcaoCode"] == inline.json()["IcaoCode"]
    assert client.post("/ResetDataSource").status_code == 204
    assert client.post("/ResetDataSource", json={}).status_code == 204


def test_bound_operations_on_entities_and_containment(trippin: Served) -> None:
    sandbox, client = trippin
    host, _ = _host_of_most(sandbox, "People/Trips", "UserName")
    airline = client.get(f"/People('{host}')/{TRIPPIN}.GetFavoriteAirline()")
    assert airline.status_code == 200 and airline.json()["@odata.context"].endswith("$metadata#Airlines/$entity")
    trip = sandbox.store.execute('SELECT "TripId" FROM "People/Trips" WHERE "@parent/UserName" = ?', (host,))[0]
    involved = client.get(f"/People('{host}')/Trips({trip['TripId']})/{TRIPPIN}.GetInvolvedPeople()")
    assert involved.status_code == 200 and involved.json()["@odata.context"].endswith("$metadata#People")
    assert len(involved.json()["value"]) == 3  # the first page of People: a function's result pages
    assert "@odata.nextLink" in involved.json()
    shared = client.post(f"/People('{host}')/{TRIPPIN}.ShareTrip", json={"userName": "x", "tripId": trip["TripId"]})
    assert shared.status_code == 204
    trips = client.get(f"/Me/{TRIPPIN}.GetFriendsTrips(userName='x')")  # a navigation of the binding entity
    assert trips.status_code == 200 and trips.json()["@odata.context"].endswith("$metadata#Me/Trips")
    people = client.get(f"/People('{host}')/{TRIPPIN}.GetFriendsTrips(userName='x')").json()
    assert people["@odata.context"].endswith(f"$metadata#People('{host}')/Trips")
    assert [t["TripId"] for t in people["value"]] == [t["TripId"] for t in _all(client, f"/People('{host}')/Trips")][:3]


def test_action_bound_to_a_collection_with_a_handler(default_service: Served) -> None:
    sandbox, client = default_service
    before = {p["ProductID"]: p["UnitPrice"] for p in _all(client, "/Products")}
    answer = client.post("/Products/Default.Discount", json={"percentage": 10})
    assert answer.status_code == 200, answer.text
    body = answer.json()
    assert body["@odata.context"].endswith("$metadata#Products")
    after = {p["ProductID"]: p["UnitPrice"] for p in body["value"]}
    assert after == {key: round(price * 0.9, 2) for key, price in before.items()}
    assert {p["ProductID"]: p["UnitPrice"] for p in _all(client, "/Products")} == after
    assert client.post("/Discount", json={"percentage": 5}).status_code == 204  # the unbound overload
    assert {p["ProductID"]: p["UnitPrice"] for p in _all(client, "/Products")} == after
    key = next(iter(before))
    wrong = client.post(f"/Products({key})/Default.Discount", json={"percentage": 10})  # not bound to one
    assert wrong.status_code == 400 and "cannot be bound" in wrong.json()["error"]["message"]


def test_generic_echo_shapes_results_by_return_type() -> None:
    for sandbox, client in _serve("odatanet-DefaultServiceCsdl.xml"):
        echoed = client.post("/Products/Default.Discount", json={"percentage": 10})
        assert echoed.status_code == 200 and echoed.json()["@odata.context"].endswith("$metadata#Products")
        assert len(echoed.json()["value"]) == 3 and "@odata.nextLink" not in echoed.json()  # an action: one page
        count = client.get("/Company/Default.GetEmployeesCount()").json()
        assert count == {"@odata.context": f"{client.base_url}/$metadata#Edm.Int32", "value": 0}
        revenue = client.post("/Company/Default.IncreaseRevenue", json={"IncreaseValue": 7}).json()
        assert revenue["value"] == 7  # a parameter of the return type is echoed
        color = client.get("/GetDefaultColor()").json()
        assert color["@odata.context"].endswith(f"$metadata#{DEFAULT}.Color") and color["value"] == "Red"
        emails = client.get("/GetBossEmails(start=0,count=2)").json()
        assert emails["@odata.context"].endswith("$metadata#Collection(Edm.String)") and emails["value"] == []
        reset = client.post("/ResetBossEmail", json={"emails": ["a@x", "b@x"]}).json()
        assert reset["value"] == ["a@x", "b@x"]
        address = {"Street": "1 Main", "City": "Oslo", "PostalCode": "0150"}
        complex_answer = client.post("/ResetBossAddress", json={"address": address}).json()
        assert complex_answer["@odata.context"].endswith(f"$metadata#{DEFAULT}.Address")
        assert {k: complex_answer[k] for k in address} == address
        flags = client.get(f"/GetProductsByAccessLevel(accessLevel={DEFAULT}.AccessLevel'Read,Write')")
        assert flags.status_code == 200 and flags.json()["value"] == 0.0
        person = client.get("/GetPerson(address=@a)", params={"@a": '{"Street":"s","City":"c","PostalCode":"p"}'})
        assert person.status_code == 200 and person.json()["@odata.context"].endswith("$metadata#People/$entity")
        products = client.get("/GetAllProducts()", params={"$top": "2", "$select": "Name"}).json()
        assert products["@odata.context"].endswith("$metadata#Products(Name)") and len(products["value"]) == 2
        assert client.post("/ResetDefaultDataSource").status_code == 204
        assert sandbox.model.singletons


def test_default_service_singletons_and_containment(default_service: Served) -> None:
    sandbox, client = default_service
    company = client.get("/Company").json()
    assert company["@odata.context"].endswith("$metadata#Company")
    assert client.patch("/Company", json={"Name": "Fabrikam"}).status_code == 204
    assert client.get("/Company").json()["Name"] == "Fabrikam"
    links = sandbox.store.execute('SELECT COUNT(*) AS n FROM "Company__Employees"')[0]["n"]
    employees = client.get("/Company/Employees", params={"$count": "true", "$select": "PersonID"}).json()
    assert employees["@odata.count"] == links and employees["@odata.context"].endswith("#Employees(PersonID)")
    host, count = _host_of_most(sandbox, "Accounts/MyPaymentInstruments", "AccountID")
    instruments = _all(client, f"/Accounts({host})/MyPaymentInstruments")
    assert len(instruments) == count
    statements = client.get(
        f"/Accounts({host})/MyPaymentInstruments({instruments[0]['PaymentInstrumentID']})/BillingStatements"
    )
    assert statements.status_code == 200
    card = client.get(f"/Accounts({host})/MyGiftCard")  # single-valued containment: one card per account
    assert card.status_code == 200 and card.json()["@odata.context"].endswith(f"#Accounts({host})/MyGiftCard/$entity")
    details = client.get(f"/Accounts({host})/MyGiftCard/Default.GetActualAmount(bonusRate=0.5)")
    assert details.status_code == 200 and details.json()["@odata.context"].endswith("#Edm.Double")


@pytest.mark.parametrize("name", SERVICES)
def test_every_operation_answers_its_declared_shape(name: str) -> None:
    """Every action and function of the CSDL, called with default parameters where its binding lives."""
    for sandbox, client in _serve(name):
        model = sandbox.model
        called = 0
        for operation in (o for schema in model.document.schemas for o in schema.operations):
            url = _operation_url(sandbox, operation)
            if url is None:
                continue
            parameters = operation.parameters[1:] if operation.bound else operation.parameters
            if operation.kind == "function":
                aliases = {f"@{p.name}": _url_literal(sandbox, p.type) for p in parameters}
                listed = ",".join(f"{p.name}=@{p.name}" for p in parameters)
                response = client.get(f"{url}({listed})", params=aliases)
            else:
                response = client.post(url, json={p.name: _json_default(sandbox, p.type) for p in parameters})
            assert response.status_code in (200, 204), (url, response.text)
            if response.status_code == 200:
                assert "@odata.context" in response.json()
            called += 1
        assert called or not any(s.operations for s in model.document.schemas)


def _operation_url(sandbox: Sandbox, operation: Any) -> str | None:
    model = sandbox.model
    if not operation.bound:
        for container in model.document.containers():
            for found in container.operation_imports:
                if found.operation == operation.qualified_name:
                    return f"/{found.name}"
        return None
    binding = operation.parameters[0].type
    for table in [*model.tables.values(), *model.singletons.values()]:
        if not model.derives_from(table.type_name, binding.name):
            continue
        if binding.collection:
            return None if table.kind == "singleton" else f"/{table.name}/{operation.qualified_name}"
        if table.kind == "singleton":
            return f"/{table.name}/{operation.qualified_name}"
        return f"/{table.name}({_first_key(sandbox, table)})/{operation.qualified_name}"
    return None


def _first_key(sandbox: Sandbox, table: Table) -> str:
    row = sandbox.store.first(table)
    assert row is not None
    return key_text(table, row.key)


def _json_default(sandbox: Sandbox, ref: TypeRef) -> Any:
    from codegen.sandbox.operations import default_value

    value = default_value(sandbox.model, ref)
    return float(value) if type(value).__name__ == "Decimal" else value


def _url_literal(sandbox: Sandbox, ref: TypeRef) -> str:
    import json

    kind, name = sandbox.model.classify(ref)
    value = _json_default(sandbox, ref)
    if kind in ("collection", "complex"):
        return json.dumps(value)
    if kind == "enum" or name == "Edm.String":
        return f"'{value}'"
    if name in ("Edm.Boolean",):
        return "false"
    return str(value)


# --- hostile requests -------------------------------------------------------------------------------------

HOSTILE = [
    ("GET", "/People('x'", None, 400),
    ("GET", "/People('PER000001')/Nope", None, 404),
    ("GET", "/People('PER000001')/Trips(abc)", None, 400),
    ("GET", "/People('PER000001')/Trips(1)(2)", None, 400),
    ("GET", "/People('PER000001')/Trips(99999999999999999999999999)", None, 400),
    ("GET", "/People('PER000001')/Trips/PlanItems", None, 400),
    ("GET", "/People('PER000001')/Photo(1)", None, 400),
    ("GET", "/People/Nope.Unknown", None, 404),
    ("GET", f"/People/{TRIPPIN}.Airline", None, 400),
    ("GET", "/People/$count/x", None, 400),
    ("GET", "/Me/$count", None, 400),
    ("GET", "/Me/$foo", None, 400),
    ("GET", "/Me/Trips/$ref", None, 400),  # contained entities have no references
    ("GET", "/People/$ref", None, 501),  # the references of a whole entity set are not served
    ("GET", "/Me/UserName", None, 501),
    ("GET", "/GetNearestAirport(lat=1)", None, 400),
    ("GET", "/GetNearestAirport(lat=1,lon=2,x=3)", None, 400),
    ("GET", "/GetNearestAirport(lat=1,lat=2)", None, 400),
    ("GET", "/GetNearestAirport(lat='x',lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat=@,lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat=@1a,lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat=@a,lon=2)?@a=zzz(", None, 400),
    ("GET", "/GetNearestAirport(lat=@a,lon=2)?@a=1&@a=2", None, 400),
    ("GET", "/GetNearestAirport(lat=@a,lon=2)", None, 400),  # an alias without a value is null
    ("GET", "/GetNearestAirport(lat=@a,lon=2)?@a=" + "[" * 200 + "]" * 200, None, 400),
    ("GET", "/GetNearestAirport(lat=" + "(" * 300 + "1" + ")" * 300 + ",lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat=" + "9" * 5000 + ",lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat=Name,lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat=1 add 2,lon=2)", None, 400),
    ("GET", "/GetNearestAirport(lat,lon)", None, 400),
    ("POST", "/GetNearestAirport(lat=1,lon=2)", None, 405),
    ("GET", "/GetNearestAirport(lat=1,lon=2)/Name", None, 501),
    ("GET", "/ResetDataSource", None, 405),
    ("POST", "/ResetDataSource()", None, 400),
    ("POST", "/ResetDataSource", b"[1]", 400),
    ("POST", "/ResetDataSource", b"{", 400),
    ("POST", "/ResetDataSource", b'{"unexpected": 1}', 400),
    ("POST", f"/People/{TRIPPIN}.ShareTrip", b"{}", 400),  # bound to one person, not to the collection
    ("POST", f"/Me/{TRIPPIN}.ShareTrip", b'{"userName": "x"}', 400),  # tripId is missing
    ("POST", f"/Me/{TRIPPIN}.ShareTrip", b'{"userName": "x", "tripId": "one"}', 400),
    ("GET", f"/Me/{TRIPPIN}.ShareTrip", None, 405),
    ("GET", f"/Me/{TRIPPIN}.GetFriendsTrips()", None, 400),
    ("GET", f"/Me/{TRIPPIN}.NoSuchFunction()", None, 404),
    ("GET", f"/Airlines/{TRIPPIN}.GetFavoriteAirline()", None, 400),
    ("GET", "/Nope.Op()", None, 404),
    ("GET", "/People('nobody')/Trips", None, 404),
    ("POST", f"/People('nobody')/{TRIPPIN}.ShareTrip", b'{"userName": "x", "tripId": 1}', 404),
    ("GET", "/" + "/".join(["Me"] + ["Friends('PER000001')"] * 40), None, 400),
    ("GET", "/Me/Trips(" + "(" * 200 + ")", None, 400),
    ("PATCH", "/Me", b'{"Nope": 1}', 400),
    ("POST", "/Me", b"{}", 405),
    ("POST", "/Me/Trips", b"{}", 501),
    ("DELETE", "/Me", None, 405),
]


@pytest.mark.parametrize(("method", "url", "body", "status"), HOSTILE)
def test_bad_requests_get_odata_errors(trippin: Served, method: str, url: str, body: bytes | None, status: int) -> None:
    _, client = trippin
    headers = {"Content-Type": "application/json"} if body is not None else {}
    response = client.request(method, url, content=body, headers=headers, timeout=10)
    assert response.status_code == status, response.text
    error = response.json()["error"]
    assert error["code"] and error["message"]


def test_derived_entities_in_a_set_read_and_patch_through_a_cast(default_service: Served) -> None:
    sandbox, client = default_service
    rows = sandbox.store.execute('SELECT "PersonID", "@type" AS type FROM "People" ORDER BY "PersonID"')
    customers = [row["PersonID"] for row in rows if row["type"] == f"{DEFAULT}.Customer"]
    others = [row["PersonID"] for row in rows if row["type"] != f"{DEFAULT}.Customer"]
    assert customers and others
    cast = f"/People/{DEFAULT}.Customer"
    assert [c["PersonID"] for c in _all(client, cast, **{"$select": "PersonID,City"})] == customers
    url = f"/People({customers[0]})/{DEFAULT}.Customer"
    assert client.patch(url, json={"City": "Tromsø"}).status_code == 204
    assert client.get(url, params={"$select": "City"}).json()["City"] == "Tromsø"
    assert client.get(f"/People({customers[0]})").json()["City"] == "Tromsø"  # shown in base reads too
    assert client.patch(f"/People({customers[0]})", json={"City": "x"}).status_code == 400  # cast first
    assert client.get(f"/People({others[0]})/{DEFAULT}.Customer").status_code == 404


def test_microsoft_graph_singletons_containment_and_bound_operations() -> None:
    """Graph: 30 singletons, about 1,100 containment tables, operations bound to base types and collections,
    and derived types whose property names differ only in case (SQLite's column names do not)."""
    for sandbox, client in _serve("msgraph-v1.0-cleanMetadata.xml"):
        assert len(sandbox.model.singletons) == 30 and len(sandbox.model.contained) > 500
        assert client.get("/me", params={"$select": "id,displayName"}).status_code == 200
        messages = client.get("/me/messages", params={"$top": "2", "$select": "subject"})
        assert messages.status_code == 200 and messages.json()["@odata.context"].endswith("#me/messages(subject)")
        events = client.get("/me/calendar/events", params={"$top": "1"})
        assert events.status_code == 200 and events.json()["@odata.context"].endswith("#me/calendar/events")
        delta = client.get("/users/microsoft.graph.delta()", params={"$select": "id"})
        assert delta.status_code == 200 and delta.json()["@odata.context"].endswith("#users(id)")
        groups = client.post("/me/microsoft.graph.getMemberGroups", json={"securityEnabledOnly": True})
        assert groups.status_code == 200 and groups.json()["@odata.context"].endswith("#Collection(Edm.String)")
        admin = client.get("/admin")  # its type declares no key
        assert admin.status_code == 200 and admin.json()["@odata.context"].endswith("$metadata#admin")
        assert client.patch("/admin", json={}).status_code == 204


def test_a_handler_answers_with_its_own_odata_error() -> None:
    from codegen.sandbox.errors import ODataFailure

    def refuse(call: OperationCall) -> Any:
        raise ODataFailure(409, f"No discount of {call.parameters['percentage']}% today.", code="Conflict")

    for _, client in _serve("odatanet-DefaultServiceCsdl.xml", operations={"Default.Discount": refuse}):
        refused = client.post("/Products/Default.Discount", json={"percentage": 90})
        assert refused.status_code == 409
        assert refused.json()["error"] == {"code": "Conflict", "message": "No discount of 90% today."}
    with pytest.raises(ValueError, match="NoSuchAction"):
        create_app(
            _spec("odatanet-DefaultServiceCsdl.xml"), rows=5, seed=1, operations={"Default.NoSuchAction": refuse}
        )
