"""Bound and unbound operations of generated clients, checked by method, URL and body on a mock transport.

OData.NET's DefaultService has an action bound to a collection (`Discount` on `Collection(Product)`),
operations bound to derived types (`PlaceOrder` on `Customer`, a `Person`), singletons with bound operations
and functions with structured parameters; TripPin has composable functions returning entity collections.
"""

from __future__ import annotations

import json
from datetime import date, datetime, time, timezone
from types import ModuleType
from urllib.parse import unquote

import pytest

from codegen.runtime.http import ClientValidationError
from codegen.runtime.http.paths import ResourcePath, alias_value, operation_call

from client_support import FIXTURES, TRIPPIN_ROOT, TRIPS, Script, generated_client_module, no_content, ok

ROOT = "https://default.example.com"
NS = "Microsoft.OData.E2E.TestCommon.Common.Server.Default"  # types (casts, enum literals)
OPS = "Default"  # the schema's alias, which the operations' qualified names use
TRIP = "Microsoft.OData.SampleService.Models.TripPin"
WHEN = datetime(2024, 5, 1, tzinfo=timezone.utc)
PRODUCTS = {"value": [{"ProductID": 1, "Name": "Cheese", "UnitPrice": 5.5}]}


@pytest.fixture(scope="module")
def default(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(
        tmp_path_factory, "default_operations_tests", FIXTURES / "csdl" / "odatanet-DefaultServiceCsdl.xml"
    )


@pytest.fixture(scope="module")
def trippin(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(
        tmp_path_factory, "trippin_client_tests", FIXTURES / "csdl" / "trippin-sampleservice.xml"
    )


def client(module: ModuleType, script: Script, root: str = ROOT) -> object:
    return module.Client(root, transport=script.transport)


# --- bindings -----------------------------------------------------------------------------------------------


def test_action_bound_to_a_collection_posts_to_the_set(default: ModuleType) -> None:
    script = Script(ok(PRODUCTS))
    products = client(default, script).products.discount(percentage=10)
    assert (script.methods, script.urls) == (["POST"], [f"{ROOT}/Products/{OPS}.Discount"])
    assert script.body() == {"percentage": 10}
    assert [p.name for p in products] == ["Cheese"]


def test_action_bound_to_an_entity_through_the_set_and_through_navigate(default: ModuleType) -> None:
    script = Script(ok({"value": "Read"}), ok({"value": "Write"}))
    c = client(default, script)
    assert c.products.add_access_right(1, access_right=default.AccessLevel.READ) is not None
    c.products.navigate(1).add_access_right(access_right=default.AccessLevel.READ)
    assert script.urls == [f"{ROOT}/Products(1)/{OPS}.AddAccessRight"] * 2
    assert script.body(0) == script.body(1) == {"accessRight": "Read"}


def test_operation_bound_to_a_derived_type_has_the_cast_segment(default: ModuleType) -> None:
    script = Script(ok({"OrderID": 5}))
    order = default.Order(
        order_id=5, updated_time=WHEN, order_date=WHEN, ship_date=date(2024, 5, 2), ship_time=time(9, 30)
    )
    c = client(default, script)
    c.people.navigate(1).cast(default.CustomerItem).place_order(order=order)
    assert (script.methods, script.urls) == (["POST"], [f"{ROOT}/People(1)/{NS}.Customer/{OPS}.PlaceOrder"])
    assert script.body()["order"]["OrderID"] == 5


def test_operation_bound_to_a_base_type_is_on_derived_sets(default: ModuleType) -> None:
    script = Script(ok({"Street": "x", "City": "y", "PostalCode": "z"}))
    client(default, script).customers.navigate(2).get_home_address()
    assert script.urls == [f"{ROOT}/Customers(2)/{OPS}.GetHomeAddress()"]


def test_cast_to_a_type_that_does_not_derive_is_refused(default: ModuleType) -> None:
    with pytest.raises(ClientValidationError, match="does not derive"):
        client(default, Script()).people.navigate(1).cast(default.ProductItem)


def test_operation_through_navigation(default: ModuleType) -> None:
    script = Script(ok({"value": 3}))
    assert client(default, script).people.navigate(1).cast(default.EmployeeItem).company.get_employees_count() == 3
    assert script.urls == [f"{ROOT}/People(1)/{NS}.Employee/Company/{OPS}.GetEmployeesCount()"]


def test_unbound_action_and_function_imports(default: ModuleType) -> None:
    script = Script(no_content(), ok({"value": ["a@x", "b@x"]}))
    c = client(default, script)
    assert c.discount(percentage=5) is None
    assert c.get_boss_emails(start=0, count=2) == ["a@x", "b@x"]
    assert script.methods == ["POST", "GET"]
    assert script.urls == [f"{ROOT}/Discount", f"{ROOT}/GetBossEmails(start=@start,count=@count)?@start=0&@count=2"]
    assert script.body(0) == {"percentage": 5}


def test_function_with_a_structured_parameter_sends_json_in_the_alias(default: ModuleType) -> None:
    script = Script(ok({"PersonID": 1, "FirstName": "Bob", "LastName": "B"}))
    client(default, script).get_person(
        address=default.Address(street="1 Main", city="Oslo", postal_code="0150", updated_time=WHEN)
    )
    path, _, query = script.urls[0].partition("?")
    assert path == f"{ROOT}/GetPerson(address=@address)"
    name, _, value = unquote(query).partition("=")
    assert name == "@address" and json.loads(value) == {
        "Street": "1 Main",
        "City": "Oslo",
        "PostalCode": "0150",
        "UpdatedTime": "2024-05-01T00:00:00Z",
    }


def test_function_with_an_enum_parameter_sends_a_typed_literal(default: ModuleType) -> None:
    script = Script(ok({"value": 1.5}))
    assert client(default, script).get_products_by_access_level(access_level=default.AccessLevel.READ) == 1.5
    assert script.urls == [
        f"{ROOT}/GetProductsByAccessLevel(accessLevel=@accessLevel)?@accessLevel={NS}.AccessLevel'Read'"
    ]


def test_composable_function_takes_query_options_and_pages(trippin: ModuleType) -> None:
    page2 = dict(TRIPS, value=TRIPS["value"][1:])
    first = dict(TRIPS, value=TRIPS["value"][:1], **{"@odata.nextLink": f"{TRIPPIN_ROOT}/next?page=2"})
    script = Script(ok(first), ok(page2))
    trips = client(trippin, script, TRIPPIN_ROOT).people.navigate("russellwhyte").get_friends_trips(user_name="scott")
    found = trips.query().filter(trippin.QTrip.name == "x").top(5).list()
    assert [t.trip_id for t in found] == [1001, 1007]
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{TRIP}.GetFriendsTrips(userName=@userName)"
        "?@userName='scott'&$filter=Name%20eq%20'x'&$top=5",
        f"{TRIPPIN_ROOT}/next?page=2",
    ]


def test_composable_function_count_keeps_its_aliases(trippin: ModuleType) -> None:
    script = Script(ok("2"))
    trips = client(trippin, script, TRIPPIN_ROOT).people.navigate("russellwhyte").get_friends_trips(user_name="s")
    trips.query().count()
    assert script.urls == [
        f"{TRIPPIN_ROOT}/People('russellwhyte')/{TRIP}.GetFriendsTrips(userName=@userName)/$count?@userName='s'"
    ]


# --- singletons ---------------------------------------------------------------------------------------------


def test_singleton_get_patch_and_bound_action(default: ModuleType) -> None:
    company = {"CompanyID": 0, "CompanyCategory": "IT", "Name": "Contoso", "Revenue": 10}
    script = Script(ok(company), no_content(), ok({"value": 15}))
    c = client(default, script)
    assert c.company.get().name == "Contoso"
    assert c.company.patch(name="Fabrikam") is None
    assert c.company.increase_revenue(increase_value=5) == 15
    assert script.methods == ["GET", "PATCH", "POST"]
    assert script.urls == [f"{ROOT}/Company", f"{ROOT}/Company", f"{ROOT}/Company/{OPS}.IncreaseRevenue"]
    assert script.body(1) == {"Name": "Fabrikam"}
    assert script.body(2) == {"IncreaseValue": 5}


def test_trippin_me_singleton(trippin: ModuleType) -> None:
    me = {"UserName": "aprilcline", "FirstName": "April", "LastName": "Cline", "Emails": [], "AddressInfo": []}
    script = Script(ok(me), ok(TRIPS))
    c = client(trippin, script, TRIPPIN_ROOT)
    assert c.me.get().user_name == "aprilcline"
    assert [t.name for t in c.me.trips.query().list()] == ["Trip in US", "Trip in Beijing"]
    assert script.urls == [f"{TRIPPIN_ROOT}/Me", f"{TRIPPIN_ROOT}/Me/Trips"]


# --- the runtime's path and alias rules -----------------------------------------------------------------------


def test_aliases_follow_the_path_they_are_bound_to() -> None:
    bound = operation_call("function", "NS.F", {"a": 1}, ResourcePath("Set"))
    inner = operation_call("function", "NS.G", {"b": "x"}, bound.target)
    assert inner.url == "Set/NS.F(a=@a)/NS.G(b=@b)?@a=1&@b='x'"
    with pytest.raises(ClientValidationError, match="repeats"):
        operation_call("function", "NS.G", {"a": 2}, bound.target)


@pytest.mark.parametrize("name", ["a/b", "NS..F", "", "a?x", "1a"])
def test_navigation_and_cast_names_are_identifiers(name: str) -> None:
    with pytest.raises(ClientValidationError):
        ResourcePath("Set").child(name)
    with pytest.raises(ClientValidationError):
        ResourcePath("Set").child(name, "type cast")


def test_alias_values() -> None:
    assert alias_value([1, 2]) == "%5B1,2%5D"
    assert alias_value("O'Neil") == "'O''Neil'"
    assert alias_value(None) == "null"
    with pytest.raises(ClientValidationError):
        alias_value(object())


def test_function_without_parameters_has_empty_parentheses() -> None:
    assert operation_call("function", "NS.F", {}, ResourcePath("Set")).url == "Set/NS.F()"


def test_a_structured_alias_keeps_decimals_and_large_integers_exact() -> None:
    """Structured and collection aliases go through the runtime's JSON writer, as request bodies do."""
    from decimal import Decimal

    from codegen.runtime.http.paths import alias_value

    assert (
        alias_value({"Price": Decimal("1.10"), "Big": 2**60}) == "%7B%22Price%22:1.10,%22Big%22:1152921504606846976%7D"
    )
    assert alias_value((1, 2)) == "%5B1,2%5D"
