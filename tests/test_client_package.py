"""The client is a package of one module per entity type, loaded on first use (generated/trippin, committed).

Each check runs in a fresh interpreter: what is imported depends on what the process imported before.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TRIPPIN = ROOT / "generated" / "trippin"


def _run(code: str) -> object:
    env = {**os.environ, "PYTHONPATH": str(TRIPPIN)}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


def _loaded() -> str:
    return "sorted(m.removeprefix('trippin.client.') for m in sys.modules if m.startswith('trippin.client.'))"


def test_the_root_client_imports_no_type_module() -> None:
    code = f"""
        import json, sys
        from trippin.client import TripPinClient
        TripPinClient("http://127.0.0.1:9")
        print(json.dumps({_loaded()}))
        """
    assert _run(code) == []


def test_an_entity_set_imports_its_types_module_alone() -> None:
    code = f"""
        import json, sys
        from trippin.client import TripPinClient
        people = TripPinClient("http://127.0.0.1:9").people
        before = {_loaded()}
        people.navigate("x").trips.navigate(1).plan_items  # Person -> Trip -> PlanItem, imported as they run
        print(json.dumps([before, {_loaded()}]))
        """
    assert _run(code) == [["person"], ["person", "plan_item", "trip"]]


def test_navigation_cycles_resolve_to_the_same_classes() -> None:
    code = """
        import json
        import trippin.client.person as person
        from trippin.client import TripPinClient
        me = TripPinClient("http://127.0.0.1:9").me
        friend = me.friends.navigate("y")
        print(json.dumps([type(me).__name__, type(friend) is person.PersonItem, friend.path]))
        """
    assert _run(code) == ["MeSingleton", True, "Me/Friends('y')"]


def test_every_old_name_of_the_client_module_is_still_there() -> None:
    code = """
        import json
        import trippin, trippin.client as client
        from trippin.client import PeopleEntitySet, AsyncTripItem
        from trippin.client.person import PeopleEntitySet as defined
        from trippin.client.trip import AsyncTripItem as async_defined
        names = [n for n in client.__all__ if getattr(client, n) is not getattr(trippin, n)]
        try:
            client.NoSuchClass
        except AttributeError as e:
            missing = str(e)
        print(json.dumps([PeopleEntitySet is defined, AsyncTripItem is async_defined, names, missing]))
        """
    same, same_async, different, missing = _run(code)  # type: ignore[misc]
    assert (same, same_async, different) == (True, True, [])
    assert missing == "module 'trippin.client' has no attribute 'NoSuchClass'"


CYCLE_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Cyc" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Author">
        <Key><PropertyRef Name="ID" /></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false" />
        <NavigationProperty Name="Books" Type="Collection(Cyc.Book)" />
      </EntityType>
      <EntityType Name="Book">
        <Key><PropertyRef Name="ID" /></Key>
        <Property Name="ID" Type="Edm.Int32" Nullable="false" />
        <NavigationProperty Name="Author" Type="Cyc.Author" />
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="Authors" EntityType="Cyc.Author" />
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def test_modules_that_lead_to_each_other_import_each_other_when_a_property_runs(tmp_path: Path) -> None:
    """Author -> Book -> Author: each module imports the other inside the property, never when it loads."""
    metadata = tmp_path / "cycle.xml"
    metadata.write_text(CYCLE_CSDL, encoding="utf-8")
    command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(metadata), "--package", "cyc"]
    generated = subprocess.run([*command, "--out", str(tmp_path / "out"), "--package-only"], capture_output=True)
    assert generated.returncode == 0, generated.stderr
    code = """
        import json
        from cyc.client import Client
        author = Client("http://127.0.0.1:9").authors.navigate(1).books.navigate(2).author
        import cyc.client.author
        print(json.dumps([type(author) is cyc.client.author.AuthorItem, author.path]))
        """
    env = {**os.environ, "PYTHONPATH": str(tmp_path / "out")}
    result = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)], capture_output=True, text=True, env=env, cwd=ROOT
    )
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout) == [True, "Authors(1)/Books(2)/Author"]
    book = (tmp_path / "out" / "cyc" / "client" / "book.py").read_text(encoding="utf-8")
    assert "\nfrom .author" not in book and "\n        from .author import AuthorItem\n" in book
