"""Selective generation (`[select]`, `--include`/`--exclude`): the closure kept, its report, and bad patterns."""

from __future__ import annotations

import functools
import os
import subprocess
import sys
import textwrap
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from codegen import generate
from codegen.csdl import Document, parse_metadata
from codegen.errors import SpecError
from codegen.plan_select import select
from codegen.selectors import MAX_GLOB_PATTERNS, MAX_PATTERN_LENGTH, MAX_PATTERNS, Pattern, patterns
from codegen.spec import load_spec, spec_from_arguments

REPO = Path(__file__).resolve().parents[1]
CSDL = REPO / "tests" / "fixtures" / "csdl"
GRAPH = CSDL / "msgraph-v1.0-cleanMetadata.xml"
TRIPPIN = CSDL / "trippin-sampleservice.xml"

# Every kind of dependency: a root entity type (Entity) with unrelated derived types, a derived type of a used type
# (Employee), complex types nested and derived, an enum, a type definition, navigation both ways, operations bound
# to an entity and to a collection, unbound ones behind imports, and things nothing uses.
SHOP = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx" Version="4.0">
  <edmx:DataServices>
    <Schema xmlns="http://docs.oasis-open.org/odata/ns/edm" Namespace="Shop" Alias="S">
      <EnumType Name="Color"><Member Name="Red" Value="0"/></EnumType>
      <EnumType Name="Unused"><Member Name="A" Value="0"/></EnumType>
      <TypeDefinition Name="Money" UnderlyingType="Edm.Decimal"/>
      <TypeDefinition Name="UnusedDef" UnderlyingType="Edm.String"/>
      <ComplexType Name="Address">
        <Property Name="Street" Type="Edm.String"/>
        <Property Name="Country" Type="S.Country"/>
      </ComplexType>
      <ComplexType Name="Country"><Property Name="Code" Type="Edm.String"/></ComplexType>
      <ComplexType Name="GeoAddress" BaseType="S.Address"><Property Name="Lat" Type="Edm.Double"/></ComplexType>
      <ComplexType Name="Note"><Property Name="Text" Type="Edm.String"/></ComplexType>
      <EntityType Name="Entity" Abstract="true">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
      </EntityType>
      <EntityType Name="Person" BaseType="S.Entity">
        <Property Name="Name" Type="Edm.String"/>
        <Property Name="Home" Type="S.Address"/>
        <Property Name="Favorite" Type="S.Color"/>
        <NavigationProperty Name="Manager" Type="S.Person"/>
        <NavigationProperty Name="Orders" Type="Collection(S.Order)"/>
      </EntityType>
      <EntityType Name="Employee" BaseType="S.Person"><Property Name="Salary" Type="S.Money"/></EntityType>
      <EntityType Name="Order" BaseType="S.Entity">
        <Property Name="Total" Type="S.Money"/>
        <NavigationProperty Name="Customer" Type="S.Person"/>
      </EntityType>
      <EntityType Name="Product" BaseType="S.Entity"><Property Name="Price" Type="S.Money"/></EntityType>
      <EntityType Name="Invoice" BaseType="S.Entity"/>
      <EntityType Name="Receipt" BaseType="S.Entity"/>
      <Action Name="Promote" IsBound="true">
        <Parameter Name="person" Type="S.Person"/>
        <Parameter Name="level" Type="S.Color"/>
        <ReturnType Type="S.Invoice"/>
      </Action>
      <Function Name="Top" IsBound="true">
        <Parameter Name="orders" Type="Collection(S.Order)"/>
        <ReturnType Type="Collection(S.Order)"/>
      </Function>
      <Function Name="Count">
        <Parameter Name="receipt" Type="S.Receipt"/>
        <ReturnType Type="Edm.Int32"/>
      </Function>
      <Action Name="Reset"/>
      <EntityContainer Name="Default">
        <EntitySet Name="People" EntityType="S.Person">
          <NavigationPropertyBinding Path="Manager" Target="People"/>
          <NavigationPropertyBinding Path="Orders" Target="Orders"/>
        </EntitySet>
        <EntitySet Name="Orders" EntityType="S.Order">
          <NavigationPropertyBinding Path="Customer" Target="People"/>
        </EntitySet>
        <EntitySet Name="Products" EntityType="S.Product"/>
        <Singleton Name="Boss" Type="S.Employee"/>
        <FunctionImport Name="CountIt" Function="S.Count"/>
        <ActionImport Name="ResetAll" Action="S.Reset"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


@pytest.fixture(scope="module")
def shop(tmp_path_factory: pytest.TempPathFactory) -> Document:
    path = tmp_path_factory.mktemp("shop") / "shop.xml"
    path.write_text(SHOP, encoding="utf-8")
    return parse_metadata(path)


@functools.cache
def graph() -> Document:
    return parse_metadata(GRAPH)


def chosen(document: Document, include: Sequence[str], exclude: Sequence[str] = ()) -> Document:
    checked = functools.partial(patterns, path=None, line_of={})
    pruned, _ = select(document, checked(include, "include"), checked(exclude, "exclude"))
    return pruned


def types_of(document: Document) -> set[str]:
    names = {t.name for t in document.structured_types()} | {t.name for t in document.enum_types()}
    return names | {t.name for t in document.type_definitions()}


def operations_of(document: Document) -> set[str]:
    return {o.name for s in document.schemas for o in s.operations}


def container_of(document: Document) -> dict[str, set[str]]:
    (container,) = document.containers()
    return {
        "sets": {s.name for s in container.entity_sets},
        "singletons": {s.name for s in container.singletons},
        "imports": {i.name for i in container.operation_imports},
    }


def navigation_of(document: Document, name: str) -> set[str]:
    return {n.name for t in document.structured_types() if t.name == name for n in t.navigation_properties}


def select_error(document: Document, include: Sequence[str], exclude: Sequence[str] = ()) -> str:
    with pytest.raises(SpecError) as caught:
        chosen(document, include, exclude)
    return str(caught.value)


# -- the closure ---------------------------------------------------------------------------------


def test_an_entity_set_keeps_its_type_bases_used_derived_property_and_bound_operation_types(shop: Document) -> None:
    pruned = chosen(shop, ["People"])
    assert container_of(pruned) == {"sets": {"People"}, "singletons": set(), "imports": set()}
    # Entity as a base only: its other derived types (Order, Product, ...) stay out. Person is used: Employee
    # (and through it Money) comes along; Address is used: GeoAddress too; Invoice is what Promote returns.
    assert types_of(pruned) == {
        "Entity",
        "Person",
        "Employee",
        "Money",
        "Address",
        "GeoAddress",
        "Country",
        "Color",
        "Invoice",
    }
    assert operations_of(pruned) == {"Promote"}
    # Orders leads to a type left out, so it is not generated, and neither is its binding.
    assert navigation_of(pruned, "Person") == {"Manager"}
    (people,) = pruned.containers()[0].entity_sets
    assert people.navigation_bindings == (("Manager", "People"),)


def test_keeping_a_navigation_target_keeps_the_navigation_and_the_operations_bound_to_collections(
    shop: Document,
) -> None:
    pruned = chosen(shop, ["People", "Orders"])
    assert navigation_of(pruned, "Person") == {"Manager", "Orders"}
    assert navigation_of(pruned, "Order") == {"Customer"}
    assert operations_of(pruned) == {"Promote", "Top"}
    people, orders = pruned.containers()[0].entity_sets
    assert people.navigation_bindings == (("Manager", "People"), ("Orders", "Orders"))
    assert orders.navigation_bindings == (("Customer", "People"),)


def test_a_singleton_keeps_its_type_and_bases_but_not_the_bases_other_derived_types(shop: Document) -> None:
    pruned = chosen(shop, ["Boss"])
    assert container_of(pruned)["singletons"] == {"Boss"}
    assert {"Employee", "Person", "Entity", "Money", "Invoice"} <= types_of(pruned)
    assert "Order" not in types_of(pruned) and "Product" not in types_of(pruned)


def test_an_import_keeps_its_operation_and_parameter_types(shop: Document) -> None:
    pruned = chosen(shop, ["CountIt"])
    assert container_of(pruned) == {"sets": set(), "singletons": set(), "imports": {"CountIt"}}
    assert operations_of(pruned) == {"Count"}
    assert types_of(pruned) == {"Receipt", "Entity"}


def test_an_import_keeps_the_entity_set_it_returns_from(tmp_path: Path) -> None:
    pruned = chosen(parse_metadata(TRIPPIN), ["GetNearestAirport"])
    assert container_of(pruned)["sets"] == {"Airports"}
    assert operations_of(pruned) == {"GetNearestAirport"}


def test_types_and_operations_are_named_qualified_and_by_glob(shop: Document) -> None:
    assert types_of(chosen(shop, ["Shop.Product"])) == {"Product", "Entity", "Money"}
    pruned = chosen(shop, ["Shop.*"])  # every type and operation, but no set: those have simple names
    assert types_of(pruned) == types_of(shop) and operations_of(pruned) == operations_of(shop)
    assert container_of(pruned) == {"sets": set(), "singletons": set(), "imports": set()}
    assert container_of(chosen(shop, ["P*"]))["sets"] == {"People", "Products"}
    assert container_of(chosen(shop, ["set:[!O]*"]))["sets"] == {"People", "Products"}


def test_kind_prefixes_limit_a_pattern_to_one_kind(shop: Document) -> None:
    pruned = chosen(shop, ["set:*"], ["operation:*"])
    assert container_of(pruned)["sets"] == {"People", "Orders", "Products"}
    assert operations_of(pruned) == set()
    assert "Invoice" not in types_of(pruned)  # only Promote returned it


def test_exclude_alone_keeps_everything_else(shop: Document) -> None:
    pruned = chosen(shop, [], ["Products", "Shop.Product", "Shop.Unused"])
    assert container_of(pruned)["sets"] == {"People", "Orders"}
    assert types_of(shop) - types_of(pruned) == {"Product", "Unused"}


def test_an_excluded_derived_type_is_left_out(shop: Document) -> None:
    pruned = chosen(shop, ["People"], ["Shop.Employee"])
    assert "Employee" not in types_of(pruned) and "Money" not in types_of(pruned)


def test_excluding_what_a_kept_thing_needs_is_an_error(shop: Document) -> None:
    assert select_error(shop, ["People"], ["type:Shop.Address"]) == (
        "exclude pattern 'type:Shop.Address' leaves out Shop.Address, which type Shop.Person needs"
    )
    assert select_error(shop, [], ["operation:*"]) in {
        "exclude pattern 'operation:*' leaves out Shop.Count, which function import CountIt needs",
        "exclude pattern 'operation:*' leaves out Shop.Reset, which action import ResetAll needs",
    }
    assert select_error(shop, ["Boss"], ["Shop.Person"]) == (
        "exclude pattern 'Shop.Person' leaves out Shop.Person, which type Shop.Employee needs"
    )


def test_selecting_everything_changes_nothing(shop: Document) -> None:
    assert chosen(shop, ["*"]) == shop
    assert chosen(parse_metadata(TRIPPIN), ["*"]) == parse_metadata(TRIPPIN)


def test_selecting_everything_of_graph_changes_nothing() -> None:
    # Graph binds navigation through singletons (`policies/appManagementPolicies`), which must survive.
    assert chosen(graph(), ["*"]) == graph()


# -- patterns that match nothing, and hostile ones ------------------------------------------------


@pytest.mark.parametrize(
    ("include", "exclude", "message"),
    [
        (["Peple"], [], "include pattern 'Peple' matches no entity set, singleton, import, type or operation"),
        (["People"], ["Nope*"], "exclude pattern 'Nope*' matches no entity set, singleton, import, type or operation"),
        (["set:Boss"], [], "include pattern 'set:Boss' matches no entity set of the metadata"),
        (["Peo[ple"], [], "include pattern 'Peo[ple' matches no entity set"),  # an unbalanced [ is literal
        (["shop.*"], [], "include pattern 'shop.*' matches no"),  # names are case-sensitive
    ],
)
def test_a_pattern_that_matches_nothing_is_an_error(
    shop: Document, include: list[str], exclude: list[str], message: str
) -> None:
    assert select_error(shop, include, exclude).startswith(message)


def test_hostile_globs_match_in_bounded_time() -> None:
    started = time.perf_counter()
    hostile = ["*?" * 20 + "*" + "?" * (i % 10) for i in range(MAX_GLOB_PATTERNS)]  # all match, all scanned
    pruned = chosen(graph(), hostile)
    assert len(pruned.structured_types()) > 100
    for pattern in ("*a" * 299 + "*b", "[" * MAX_PATTERN_LENGTH, "*[z-a]*" * 80, "*(?=a|a)*" * 60):
        with pytest.raises(SpecError, match="matches no"):
            chosen(graph(), [pattern])
    assert time.perf_counter() - started < 10  # about 0.5 s; exponential backtracking would never finish


@pytest.mark.parametrize(
    ("values", "message"),
    [
        (["x" * (MAX_PATTERN_LENGTH + 1)], f"is longer than {MAX_PATTERN_LENGTH} characters"),
        (["a b"], "must not contain spaces or control characters"),
        (["a\nb"], "must not contain spaces or control characters"),
        (["set:"], "is empty"),
        ([""], "is empty"),
        (["entity:People"], "has an unknown kind 'entity'; expected one of set, singleton, import, type, operation"),
        (["People"] * (MAX_PATTERNS + 1), f"has {MAX_PATTERNS + 1:,} patterns; at most {MAX_PATTERNS:,} are allowed"),
        ([f"P{i}*" for i in range(MAX_GLOB_PATTERNS + 1)], f"has more than {MAX_GLOB_PATTERNS} patterns with * ? or ["),
    ],
)
def test_bad_patterns_are_refused_before_matching(tmp_path: Path, values: list[str], message: str) -> None:
    with pytest.raises(SpecError) as caught:
        spec_from_arguments(TRIPPIN, "pkg", tmp_path, include=values)
    assert str(caught.value).startswith("--include ") and message in str(caught.value)


# -- the spec ---------------------------------------------------------------------------------------------

SPEC = [
    "[metadata]",  # 1
    'source = "shop.xml"',  # 2
    "[output]",  # 3
    'directory = "out"',  # 4
    'package = "shop"',  # 5
    "[service]",  # 6
    'name = "Shop"',  # 7
    'path = "/"',  # 8
    "[select]",  # 9
]


def write_spec(folder: Path, lines: list[str]) -> Path:
    (folder / "shop.xml").write_text(SHOP, encoding="utf-8")
    path = folder / "codegen.toml"
    path.write_text("\n".join(SPEC + lines) + "\n", encoding="utf-8")
    return path


def spec_error(path: Path) -> str:
    with pytest.raises(SpecError) as caught:
        generate.generate(load_spec(path))
    return str(caught.value)


def test_the_spec_selects_and_generation_reports_it(tmp_path: Path) -> None:
    path = write_spec(tmp_path, ["include = [", '  "People",', "  'Orders',", "]", 'exclude = ["operation:*"]'])
    spec = load_spec(path)
    assert spec.include == (Pattern("People", "[select] include", 11), Pattern("Orders", "[select] include", 12))
    assert spec.exclude == (Pattern("operation:*", "[select] exclude", 14),)
    result = generate.generate(spec)
    assert result.selection is not None
    assert result.selection.summary() == (
        "kept 2 of 3 entity sets, 0 of 1 singletons, 0 of 2 imports, 9 of 15 types, 0 of 4 operations"
    )
    assert {c.name for c in result.plan.classes} == {"Entity", "Person", "Employee", "Order", "Address"} | {
        "GeoAddress",
        "Country",
    }
    assert [s.name for s in result.plan.service.entity_sets] == ["Orders", "People"]


def test_without_a_selection_nothing_is_reported(tmp_path: Path) -> None:
    spec = load_spec(write_spec(tmp_path, []))
    assert (spec.include, spec.exclude) == ((), ())
    assert generate.generate(spec).selection is None


def test_a_spec_pattern_that_matches_nothing_names_its_line(tmp_path: Path) -> None:
    path = write_spec(tmp_path, ["include = [", '  "People",', '  "Nobody*",', "]"])
    assert spec_error(path) == (
        f"{path}:12: [select] include pattern 'Nobody*' matches no entity set, singleton, import, type or "
        "operation of the metadata"
    )


def test_a_spec_exclude_of_something_needed_names_its_line(tmp_path: Path) -> None:
    path = write_spec(tmp_path, ['include = ["People"]', "exclude = [", '  "Shop.Address",', "]"])
    assert spec_error(path) == (
        f"{path}:12: [select] exclude pattern 'Shop.Address' leaves out Shop.Address, which type Shop.Person needs"
    )


@pytest.mark.parametrize(
    ("lines", "message"),
    [
        (["include = []"], "10: [select] include is empty; leave it out to keep everything"),
        (["include = [1]"], "10: [select] include must be a list of strings"),
        (['include = "People"'], "10: [select] include must be a list"),
        (
            ['includes = ["People"]'],
            "10: unknown key 'includes' in [select] (did you mean 'include'?); expected one of include, exclude",
        ),
        (['exclude = ["a b"]'], "10: [select] exclude pattern 'a b' must not contain spaces or control characters"),
    ],
)
def test_bad_select_keys(tmp_path: Path, lines: list[str], message: str) -> None:
    path = write_spec(tmp_path, lines)
    with pytest.raises(SpecError) as caught:
        load_spec(path)
    assert str(caught.value) == f"{path}:{message}"


def test_client_entity_sets_choose_among_the_kept_sets(tmp_path: Path) -> None:
    spec_lines = ['include = ["People", "Orders"]', "[client]", 'entity_sets = ["People"]']
    result = generate.generate(load_spec(write_spec(tmp_path, spec_lines)))
    assert [s.name for s in result.plan.service.entity_sets] == ["People"]
    assert "Order" in {c.name for c in result.plan.classes}


def test_client_entity_sets_naming_a_set_left_out_is_an_error(tmp_path: Path) -> None:
    path = write_spec(tmp_path, ['include = ["People"]', "[client]", 'entity_sets = ["People", "Orders"]'])
    assert spec_error(path) == f"{path}: [client] entity_sets names 'Orders', which the selection leaves out"


@pytest.mark.parametrize("target", ["Shop.Product", "Shop.Person/Orders"])
def test_renaming_something_left_out_is_an_error(tmp_path: Path, target: str) -> None:
    path = write_spec(tmp_path, ['include = ["People"]', "[naming]", f'renames = {{ "{target}" = "Renamed" }}'])
    assert spec_error(path) == f"{path}: [naming] renames target {target!r}, which the selection leaves out"


# -- the command line ------------------------------------------------------------------------------


def run(*args: object) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "codegen", *map(str, args)]
    return subprocess.run(command, cwd=REPO, capture_output=True, text=True, timeout=120)


def test_cli_include_and_exclude(tmp_path: Path) -> None:
    result = run(
        "generate", "--metadata", TRIPPIN, "--package", "tp", "--out", tmp_path, "--include", "People", "--include",
        "Me", "--exclude", "operation:*",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    kept, wrote = result.stdout.splitlines()
    assert kept == (
        "codegen: kept 1 of 4 entity sets, 1 of 1 singletons, 0 of 2 imports, 6 of 14 types, 0 of 6 operations; "
        "2 navigation properties to types left out are not generated"
    )
    assert wrote.startswith("codegen: wrote ")
    assert (tmp_path / "tp" / "tp" / "models" / "person.py").is_file()
    assert not (tmp_path / "tp" / "tp" / "models" / "airline.py").exists()


def test_cli_pattern_that_matches_nothing(tmp_path: Path) -> None:
    result = run("generate", "--metadata", TRIPPIN, "--package", "tp", "--out", tmp_path, "--include", "Peeple")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [
        "codegen: error: --include pattern 'Peeple' matches no entity set, singleton, import, type or "
        "operation of the metadata"
    ]
    assert not (tmp_path / "tp").exists()


def test_cli_patterns_belong_with_metadata_not_a_spec(tmp_path: Path) -> None:
    result = run("generate", REPO / "specs" / "trippin" / "codegen.toml", "--include", "People")
    assert result.returncode == 2
    assert "give either a spec file or --include, not both" in result.stderr


# -- a slice of Microsoft Graph -------------------------------------------------------------------------

GRAPH_SLICE = ["users", "groups", "drives", "sites", "teams"]


def test_a_graph_slice_is_small_fast_imports_and_builds_a_query_for_each_set(tmp_path: Path) -> None:
    spec = spec_from_arguments(GRAPH, "graph5", tmp_path, include=GRAPH_SLICE)
    document = graph()
    started = time.perf_counter()
    pruned, selection = select(document, spec.include, ())
    assert time.perf_counter() - started < 1  # one linear pass: about 10 ms
    assert selection.entity_sets == (5, 40) and selection.types[1] == 3_823
    assert 300 < selection.types[0] < 500 and selection.operations[0] < 200  # 413 types and 135 operations
    result = generate.write(spec)
    assert len(result.files) < 500  # against 3,800 for the whole of Graph
    code = textwrap.dedent(f"""
        import graph5
        from codegen.runtime.query import Query
        client = graph5.Client("http://127.0.0.1:9")
        for name in {GRAPH_SLICE!r}:
            entity_set = getattr(client, name)
            entity_set.query()
            q = entity_set.__query_type__
            print(Query(q).filter(q.id == "x").top(1).url(entity_set.__entity_set__))
        """)
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path / "graph5"), str(REPO)])}
    ran = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, timeout=120)
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == [f"{name}?$filter=id%20eq%20'x'&$top=1" for name in GRAPH_SLICE]
