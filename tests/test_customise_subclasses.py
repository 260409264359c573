"""Registered subclasses of generated models (`codegen.runtime.register_subclass`), end to end on a mock transport.

The package is generated from a spec with an `[extensions]` module holding the registrations, as a user writes
it; importing the package imports it. From then on every way the client reads a Person or an Airline (entity
sets, `$expand`, navigation, operation results, sync and async) builds the user's class. A client subclass
in the user's own module, and the snippet using both, type-check with mypy --strict.
"""

from __future__ import annotations

import asyncio
import importlib
import shutil
import subprocess
import sys
import uuid
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

from codegen import generate
from codegen.runtime import register_subclass, structure, unstructure, wire
from codegen.spec import load_spec

from client_support import AIRLINE, TRIPPIN_CSDL, TRIPPIN_ROOT, Script, ok

PACKAGE = "trippin_subclass_tests"
NS = "Microsoft.OData.SampleService.Models.TripPin"
SPEC = f"""\
[metadata]
source = "metadata.xml"

[output]
directory = "out"
package = "{PACKAGE}"
project = false

[service]
name = "Trip"
path = "/"

[extensions]
module = "custom"
"""
EXTENSION = f'''"""Registered subclasses, as a user writes them."""

from __future__ import annotations

from codegen.runtime import register_subclass

from {PACKAGE} import Airline, Person


@register_subclass
class MyPerson(Person):
    @property
    def full_name(self) -> str:
        return f"{{self.first_name}} {{self.last_name}}"


@register_subclass
class MyAirline(Airline):
    def shout(self) -> str:
        return self.name.upper()


def mine(person: Person) -> MyPerson:
    """A person the client read: a MyPerson, since it is registered (a type checker sees a Person)."""
    assert isinstance(person, MyPerson)
    return person
'''
APP = f'''"""The user's application: a client subclass adding a method of its own."""

from __future__ import annotations

from {PACKAGE} import TripClient
from {PACKAGE}.custom import mine


class MyTripClient(TripClient):
    def friend_names(self, user_name: str) -> list[str]:
        return [mine(friend).full_name for friend in self.people.navigate(user_name).friends.query().list()]
'''
SNIPPET = f"""from __future__ import annotations

from {PACKAGE} import QPerson
from {PACKAGE}.custom import MyAirline, MyPerson, mine
from trip_app import MyTripClient

client = MyTripClient("https://example.com")
names: list[str] = client.friend_names("russellwhyte")
person: MyPerson = mine(client.people.get("russellwhyte", expand=[QPerson.friends]))
label: str = person.full_name
airline = client.people.navigate("russellwhyte").get_favorite_airline()
loud: str = airline.shout() if isinstance(airline, MyAirline) else airline.name
wrong: int = person.full_name
"""
WRONG_LINE = SNIPPET.splitlines().index("wrong: int = person.full_name") + 1


def person(user: str, first: str = "Russell", **more: Any) -> dict[str, Any]:
    return {"UserName": user, "FirstName": first, "LastName": "Whyte", "Emails": [], "AddressInfo": [], **more}


@pytest.fixture(scope="module")
def out(tmp_path_factory: pytest.TempPathFactory) -> Path:
    workspace = tmp_path_factory.mktemp("subclasses")
    shutil.copyfile(TRIPPIN_CSDL, workspace / "metadata.xml")
    (workspace / "codegen.toml").write_text(SPEC, encoding="utf-8")
    spec = load_spec(workspace / "codegen.toml")
    generate.write(spec)
    (spec.target_dir / "custom.py").write_text(EXTENSION, encoding="utf-8")
    (spec.output_dir / "trip_app.py").write_text(APP, encoding="utf-8")
    (spec.output_dir / "snippet.py").write_text(SNIPPET, encoding="utf-8")
    return spec.output_dir


@pytest.fixture(scope="module")
def trip(out: Path) -> ModuleType:
    sys.path.insert(0, str(out))
    return importlib.import_module(PACKAGE)


def test_importing_the_package_registers_the_users_subclasses(trip: ModuleType) -> None:
    custom = sys.modules[f"{PACKAGE}.custom"]
    found = structure(person("russellwhyte"), trip.Person)
    assert type(found) is custom.MyPerson and found.full_name == "Russell Whyte"


def test_entity_sets_expand_navigation_and_operations_build_the_subclass(trip: ModuleType) -> None:
    custom = sys.modules[f"{PACKAGE}.custom"]
    friends = [person("scottketchum", "Scott"), person("ronaldmundy", "Ronald")]
    script = Script(
        ok(person("russellwhyte", Friends=friends)),
        ok({"value": friends}),
        ok({"value": friends[:1]}),
        ok(AIRLINE),
        ok({"value": [person("x", Photo={"Id": 1, "Name": "me"}, Friends=friends[:1])]}),
    )
    client = trip.TripClient(TRIPPIN_ROOT, transport=script.transport)
    expanded = client.people.get("russellwhyte", expand=[trip.QPerson.friends])
    assert type(expanded) is custom.MyPerson
    assert [(type(f), f.full_name) for f in expanded.friends] == [
        (custom.MyPerson, "Scott Whyte"),
        (custom.MyPerson, "Ronald Whyte"),
    ]
    assert {type(p) for p in client.people.query().list()} == {custom.MyPerson}
    (friend,) = client.people.navigate("russellwhyte").friends.query().list()
    assert type(friend) is custom.MyPerson
    airline = client.people.navigate("russellwhyte").get_favorite_airline()
    assert type(airline) is custom.MyAirline and airline.shout() == "AMERICAN AIRLINES"
    (page_item,) = client.people.query().expand(trip.QPerson.photo, trip.QPerson.friends).list()
    assert type(page_item.photo) is trip.Photo  # not registered: the generated class
    assert type(page_item.friends[0]) is custom.MyPerson


def test_the_async_client_builds_the_subclass_too(trip: ModuleType) -> None:
    custom = sys.modules[f"{PACKAGE}.custom"]
    script = Script(
        ok(person("russellwhyte", Friends=[person("scottketchum")])), ok({"value": [person("a")]}), ok(AIRLINE)
    )

    async def run() -> list[type]:
        async with trip.AsyncTripClient(TRIPPIN_ROOT, transport=script.transport) as client:
            got = await client.people.get("russellwhyte", expand=[trip.QPerson.friends])
            friends = await client.people.navigate("russellwhyte").friends.query().list()
            airline = await client.people.navigate("russellwhyte").get_favorite_airline()
            return [type(got), type(got.friends[0]), *map(type, friends), type(airline)]

    assert asyncio.run(run()) == [custom.MyPerson, custom.MyPerson, custom.MyPerson, custom.MyAirline]


def test_an_odata_type_annotation_of_the_generated_type_still_reads_as_the_subclass(trip: ModuleType) -> None:
    custom = sys.modules[f"{PACKAGE}.custom"]
    data = {"@odata.type": f"#{NS}.Person", **person("russellwhyte")}
    assert type(structure(data, trip.Person)) is custom.MyPerson
    assert type(structure(data, custom.MyPerson)) is custom.MyPerson


def test_a_subclass_is_written_as_its_generated_class(trip: ModuleType) -> None:
    custom = sys.modules[f"{PACKAGE}.custom"]
    fields = {"user_name": "u", "first_name": "F", "last_name": "L", "concurrency": 1}
    mine, plain = custom.MyPerson(**fields), trip.Person(**fields)
    assert unstructure(mine) == unstructure(plain)
    assert "@odata.type" not in unstructure(mine)  # a derived OData type would carry one


def test_a_registration_after_first_use_takes_effect_from_the_next_object(trip: ModuleType) -> None:
    before = structure(person("x", Photo={"Id": 1}), trip.Person)
    assert type(before.photo) is trip.Photo

    @register_subclass
    class LatePhoto(trip.Photo):  # type: ignore[name-defined,misc]
        pass

    assert type(structure({"Id": 2}, trip.Photo)) is LatePhoto
    assert type(structure(person("x", Photo={"Id": 3}), trip.Person).photo) is LatePhoto  # a field's reader too
    assert type(before.photo) is trip.Photo  # what was read before stays as it was


def test_a_registration_made_while_a_reader_compiles_is_not_lost(
    trip: ModuleType, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Another thread registering while this one compiles the generated class's reader: the stored reader must
    not keep building the generated class (the registration's `forget` came before the store)."""
    from codegen.runtime import compiled

    compile_reader, made = compiled._compile_reader, []

    def compile_while_registering(specialiser: Any, cls: type) -> Any:
        if not made:
            made.append(register_subclass(type("RacingCity", (trip.City,), {})))
        return compile_reader(specialiser, cls)

    monkeypatch.setattr(compiled, "_compile_reader", compile_while_registering)
    first = structure({"Name": "Oslo", "CountryRegion": "NO", "Region": "Oslo"}, trip.City)
    assert made and type(first) is made[0]


def test_registering_is_checked(trip: ModuleType) -> None:
    custom = sys.modules[f"{PACKAGE}.custom"]
    assert register_subclass(custom.MyPerson) is custom.MyPerson  # again: nothing changes

    class Other(trip.Person):  # type: ignore[name-defined,misc]
        pass

    with pytest.raises(TypeError, match="already has the registered subclass .*MyPerson"):
        register_subclass(Other)
    with pytest.raises(TypeError, match="sets __odata_type__"):
        register_subclass(trip.Airport)
    with pytest.raises(TypeError, match="subclass of a generated model"):
        register_subclass(int)  # type: ignore[type-var]

    class Posing(trip.Airport):  # type: ignore[name-defined,misc]
        __odata_type__ = f"{NS}.Airline"

    with pytest.raises(TypeError, match="sets __odata_type__"):
        register_subclass(Posing)

    @attrs.define(kw_only=True, eq=False, repr=False)
    class Unfillable(trip.Airport):  # type: ignore[name-defined,misc]
        visits: int = 0

    with pytest.raises(TypeError, match="visits is an attrs field without wire metadata"):
        register_subclass(Unfillable)
    assert type(structure({"IcaoCode": "KSFO"}, trip.Airport)) is trip.Airport  # nothing was registered


def test_a_subclass_may_declare_a_wire_field_the_schema_lacks(trip: ModuleType) -> None:
    @register_subclass
    @attrs.define(kw_only=True, eq=False, repr=False)
    class EventWithTicket(trip.Event):  # type: ignore[name-defined,misc]
        ticket: str | None = attrs.field(default=None, metadata=wire("Ticket"))

    token = str(uuid.uuid4())
    found = structure({"PlanItemId": 1, "Ticket": token}, trip.Event)
    assert type(found) is EventWithTicket and found.ticket == token and found.dynamic_properties == {}


def test_a_user_snippet_using_the_subclass_and_a_client_subclass_type_checks(out: Path) -> None:
    command = [sys.executable, "-m", "mypy", "--strict", "--no-error-summary", "--hide-error-context"]
    cache = Path(__file__).resolve().parents[1] / ".mypy_cache"
    result = subprocess.run(
        [*command, "--cache-dir", str(cache), "snippet.py", "trip_app.py", f"{PACKAGE}/custom.py"],
        cwd=out,
        capture_output=True,
        text=True,
    )
    reported = [line for line in result.stdout.splitlines() if line.strip()]
    assert len(reported) == 1 and reported[0].startswith(f"snippet.py:{WRONG_LINE}: error:"), result.stdout
    assert 'has type "str", variable has type "int"' in reported[0]


def test_derived_types_under_a_registered_base_read_as_their_own_class(trip: ModuleType) -> None:
    @register_subclass
    class MyPlanItem(trip.PlanItem):  # type: ignore[name-defined,misc]
        pass

    items = [{"@odata.type": f"#{NS}.Flight", "PlanItemId": 1}, {"PlanItemId": 2}]
    assert [type(structure(item, trip.PlanItem)) for item in items] == [trip.Flight, MyPlanItem]
    with pytest.raises(Exception, match="is not .*PlanItem or a type derived from it"):
        structure({"@odata.type": f"#{NS}.Airline", "PlanItemId": 3}, trip.PlanItem)
