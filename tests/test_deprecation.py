"""Core.Revisions deprecations: parsed from XML and JSON, generated with PEP 702 markers, warned at run time.

tests/fixtures/csdl/deprecations.xml deprecates one element of each kind (a type, properties through the alias
and the namespace-qualified term and an external Annotations block, a navigation property, an entity set, a
singleton, bound and unbound operations, an enum member), one property with a hostile Description.
tests/test_deprecation_typing.py checks what mypy reports.
"""

from __future__ import annotations

import ast
import json
import warnings
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from codegen.csdl import parse_metadata
from codegen.csdl.annotations import deprecation
from codegen.csdl.model import Deprecation
from codegen.generate import generate
from codegen import render_deprecation
from codegen.plan import ClassPlan, FieldPlan, QueryPathPlan
from codegen.plan_deprecation import MAX_DESCRIPTION, message
from codegen.plan_service import ParameterPlan
from codegen.spec import spec_from_arguments

from black_support import black_format
from client_support import Script, generated_client_module, no_content

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "tests" / "fixtures" / "csdl" / "deprecations.xml"
HOSTILE = (
    'Person/MiddleName is deprecated since 2.0: use "Names" \\n instead \'\'\' """) ; import os next line sep '
    "nel cr tab ?bom"  # the BOM, unprintable, is a ? (what the terminal shows of the warning)
)


@pytest.fixture(scope="module")
def package(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(tmp_path_factory, "deprecations_tests", FIXTURE)


@pytest.fixture(scope="module")
def files(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    out = tmp_path_factory.mktemp("deprecations_files")
    return generate(spec_from_arguments(FIXTURE, "depsvc", out)).files


# -- parsing ------------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "kind", ["Deprecated", "Core.RevisionKind/Deprecated", "Org.OData.Core.V1.RevisionKind/Deprecated"]
)
def test_each_form_of_the_kind_is_a_deprecation(kind: str) -> None:
    found = deprecation([{"Kind": kind, "Version": "2", "Description": "gone"}])
    assert found == Deprecation("gone", "2")


@pytest.mark.parametrize(
    "revisions",
    [
        None,
        "Deprecated",
        [{"Kind": "Added", "Description": "new"}],
        [{"Kind": "Core.Other/Deprecated"}],
        [{"Kind": 3}],
        ["Deprecated"],
    ],
)
def test_other_revisions_and_value_forms_are_not(revisions: Any) -> None:
    assert deprecation(revisions) is None


def test_the_fixture_parses_every_kind() -> None:
    document = parse_metadata(FIXTURE)
    schema = document.schemas[0]
    person, relic = schema.entity_types
    deprecated = {p.name: p.doc.deprecated for p in (*person.properties, *person.navigation_properties)}
    assert deprecated["Age"] == Deprecation("use BirthDate", None)  # the namespace-qualified term
    assert deprecated["Favourite"] == Deprecation("colours are out", "3")  # an external Annotations block
    assert deprecated["Friends"] == Deprecation("ask BestFriend", None)
    assert deprecated["Name"] is None and deprecated["BestFriend"] is None  # Kind Added; none
    assert relic.doc.deprecated == Deprecation("relics are gone", "1.5")
    assert [m.doc.deprecated is not None for m in schema.enum_types[0].members] == [False, True]
    assert {o.name: o.doc.deprecated is not None for o in schema.operations} == dict.fromkeys(
        ("Oldest", "Poke", "Census"), True
    )
    container = schema.containers[0]
    assert [s.doc.deprecated is not None for s in container.entity_sets] == [False, True]
    assert container.singletons[0].doc.deprecated == Deprecation("use People", None)


def test_csdl_json_reads_the_same_annotations(tmp_path: Path) -> None:
    revisions = [{"Kind": "Deprecated", "Version": "2", "Description": "gone"}]
    document = {
        "$Version": "4.01",
        "$EntityContainer": "Ns.Container",
        "$Reference": {
            "https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.json": {
                "$Include": [{"$Namespace": "Org.OData.Core.V1", "$Alias": "Core"}]
            }
        },
        "Ns": {
            "A": {
                "$Kind": "EntityType",
                "$Key": ["Id"],
                "Id": {"$Type": "Edm.Int32"},
                "Old": {"$Nullable": True, "@Core.Revisions": revisions},
                "@Org.OData.Core.V1.Revisions": revisions,
            },
            "Container": {
                "$Kind": "EntityContainer",
                "As": {"$Collection": True, "$Type": "Ns.A"},
                "Me": {"$Type": "Ns.A", "@Core.Revisions": revisions},
            },
        },
    }
    path = tmp_path / "service.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    schema = parse_metadata(path).schemas[0]
    entity = schema.entity_types[0]
    expected = Deprecation("gone", "2")
    assert entity.doc.deprecated == expected
    assert [p.doc.deprecated for p in entity.properties] == [None, expected]
    assert schema.containers[0].singletons[0].doc.deprecated == expected


# -- the message --------------------------------------------------------------------------------------------


def test_message_forms() -> None:
    assert message("A/B", None) is None
    assert message("A/B", Deprecation("use C", "2.0")) == "A/B is deprecated since 2.0: use C"
    assert message("A/B", Deprecation(None, None)) == "A/B is deprecated"
    cut = message("A", Deprecation("x" * 1000, None))
    assert cut is not None and cut.endswith("...") and len(cut) == len("A is deprecated: ") + MAX_DESCRIPTION


# -- generated code -----------------------------------------------------------------------------------------


def test_hostile_description_stays_one_string_literal(files: dict[str, str]) -> None:
    source = files["depsvc/models/person.py"]
    tree = ast.parse(source)  # compiles: nothing in the description ended a literal early
    strings = [n.value for n in ast.walk(tree) if isinstance(n, ast.Constant) and isinstance(n.value, str)]
    # model getter, setter and attribute; query getter and path: every one the whole text, nothing else made
    assert strings.count(HOSTILE) == 5
    assert "import os" not in "".join(line for line in source.splitlines() if not line.lstrip().startswith(("'", '"')))
    assert "\u2028" not in source and "\r" not in source and "\ufeff" not in source
    names = {n.id for n in ast.walk(tree) if isinstance(n, ast.Name)}
    assert "os" not in names


def test_every_module_compiles(files: dict[str, str]) -> None:
    for path, text in files.items():
        if path.endswith((".py", ".pyi")):
            compile(text, path, "exec")


def test_only_packages_with_deprecations_silence_their_own_uses(files: dict[str, str], tmp_path: Path) -> None:
    assert all(
        '# mypy: disable-error-code="deprecated"' in t for p, t in files.items() if p.endswith("/models/relic.py")
    )
    plain = generate(
        spec_from_arguments(REPO / "tests" / "fixtures" / "csdl" / "trippin-sampleservice.xml", "t", tmp_path)
    )
    assert not any("deprecated" in text for text in plain.files.values())


def test_the_project_readme_says_how_to_see_them(files: dict[str, str]) -> None:
    assert "--enable-error-code deprecated" in files["README.md"]


# -- run time -----------------------------------------------------------------------------------------------


def test_model_attributes_warn_on_read_and_write_and_keep_working(package: ModuleType) -> None:
    person = package.Person(id=1, age=3, middle_name="m")  # construction cannot warn: attrs writes __init__
    with pytest.warns(DeprecationWarning, match="^Person/Age is deprecated: use BirthDate$"):
        assert person.age == 3
    with pytest.warns(DeprecationWarning) as caught:
        person.middle_name = "n"
    assert [str(w.message) for w in caught] == [HOSTILE]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert person.name is None and person.best_friend is None  # not deprecated: silent
        assert repr(person).startswith("Person(id=1, name=None, middle_name='n', age=3,")


def test_the_runtime_reads_and_writes_deprecated_fields_without_warning(package: ModuleType) -> None:
    from codegen.runtime import structure, unstructure

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        person = structure({"ID": 2, "Age": 5, "Friends": [{"ID": 3, "Age": 1}]}, package.Person)
        assert unstructure(person)["Age"] == 5 and unstructure(person)["Friends"][0]["ID"] == 3
        partial = structure({"ID": 4}, package.Person)
        relic = structure({"Code": "a"}, package.Relic)  # reading a deprecated type is no use of it
        assert relic.code == "a"
    with pytest.warns(DeprecationWarning), pytest.raises(AttributeError, match=r"Person.age was not in the server"):
        partial.age


def test_query_paths_warn_and_render(package: ModuleType) -> None:
    q = package.QPerson
    with pytest.warns(DeprecationWarning, match="^Person/Favourite is deprecated since 3: colours are out$"):
        assert str(q.favourite == package.Color.RED) == "Favourite eq Dep.Svc.Color'Red'"
    with pytest.warns(DeprecationWarning, match="^Person/Age is deprecated"):
        assert str(q.best_friend.age > 1) == "BestFriend/Age gt 1"
    with pytest.warns(DeprecationWarning, match="^Person/Friends is deprecated"):
        assert str(q.friends.any(lambda f: f.name == "x")) == "Friends/any(x:x/Name eq 'x')"


def test_a_deprecated_type_warns_on_construction_only(package: ModuleType) -> None:
    with pytest.warns(DeprecationWarning, match="^Relic is deprecated since 1.5: relics are gone$"):
        package.Relic(code="a")
    assert package.Relic.__deprecated__ == "Relic is deprecated since 1.5: relics are gone"


def test_client_members_warn(package: ModuleType) -> None:
    script = Script(no_content(), no_content())
    client = package.Client("https://svc.example", transport=script.transport)
    with pytest.warns(DeprecationWarning, match="^Relics is deprecated: the set goes too$"):
        client.relics
    with pytest.warns(DeprecationWarning, match="^Me is deprecated: use People$"):
        client.me
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        people = client.people
        people.patch(1, name="n")  # no deprecated property given: silent
    with pytest.warns(DeprecationWarning, match="^Person/Age is deprecated") as caught:
        people.patch(1, age=4)
    assert len(caught) == 1 and caught[0].filename == __file__  # the caller's line, not generated code
    assert script.body() == {"Age": 4}
    with pytest.warns(DeprecationWarning, match="^Poke is deprecated since 4: do not poke$"):
        with pytest.raises(AssertionError, match="unexpected request"):  # the warning comes before the request
            people.navigate(1).poke()
    client.close()


def test_enum_member_docstring_says_so(files: dict[str, str]) -> None:
    assert '"""Color/Mauve is deprecated: nobody can spell it"""' in files["depsvc/models/color.py"]


def _revisions(description: str) -> str:
    return (
        '<Annotation Term="Org.OData.Core.V1.Revisions"><Collection><Record>'
        '<PropertyValue Property="Kind" EnumMember="Org.OData.Core.V1.RevisionKind/Deprecated"/>'
        f'<PropertyValue Property="Description" String="{description}"/></Record></Collection></Annotation>'
    )


KEYED = f"""<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="K" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="T">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false">{_revisions("keys change")}</Property>
        <Property Name="OdataPresent" Type="Edm.String">{_revisions("clashes with the runtime")}</Property>
      </EntityType>
      <EntityContainer Name="C"><EntitySet Name="Ts" EntityType="K.T"/></EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""


def test_a_deprecated_key_and_a_name_the_runtime_uses(tmp_path_factory: pytest.TempPathFactory) -> None:
    keyed = generated_client_module(tmp_path_factory, "deprecated_keys_tests", KEYED)
    from codegen.runtime import structure

    script = Script(lambda request: httpx.Response(200, json={"Id": 1, "OdataPresent": "p"}))
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # the key is read from its field, the field beside the runtime's own
        entity = structure({"Id": 1}, keyed.T)
        again = keyed.Client("https://svc.example", transport=script.transport).ts.navigate(entity).get()
    assert str(script.requests[0].url) == "https://svc.example/Ts(1)"
    with pytest.warns(DeprecationWarning, match="^T/OdataPresent is deprecated: clashes with the runtime$"):
        assert again.odata_present == "p"
    assert keyed.T.__odata_key__ == ("_dep_id",)


# -- layout: generation runs no formatter, so each shape must be what black writes ----------------------------

LENGTHS = [3, 30, 60, 90]


def _deprecated_class(name_length: int, message_length: int, annotation: str) -> ClassPlan:
    attribute = "a" * name_length
    query = QueryPathPlan("_q.Property", ('"W"', "_q.IntExpr", '"Edm.Int32"'), returns=annotation)
    field = FieldPlan(
        attribute,
        "W",
        annotation,
        "None",
        None,
        query,
        deprecated="m" * message_length,
        descriptor=f"_T_{attribute}",
        query_descriptor=f"_QT_{attribute}",
    )
    return ClassPlan(
        name="T",
        module="t",
        qualified_name="N.T",
        kind="entity",
        doc=None,
        base=None,
        fields=(field,),
        abstract=False,
        open_type=False,
        key=(),
        odata_key=(),
        type_checking_imports=(),
        runtime_imports=(),
        stdlib_imports=(),
        query_name="QT",
    )


@pytest.mark.parametrize("name_length", LENGTHS)
@pytest.mark.parametrize("message_length", [*LENGTHS, 400])
@pytest.mark.parametrize("annotation", ["int | None", "list[" + "Q" * 80 + "] | None"])
def test_deprecation_shapes_are_what_black_writes(name_length: int, message_length: int, annotation: str) -> None:
    cls = _deprecated_class(name_length, message_length, annotation)
    field = cls.fields[0]
    module = render_deprecation.descriptors(cls).lstrip("\n") + "\n"  # after the imports in a module
    assert black_format(module) == module
    body = f"class T:\n    {render_deprecation.attribute(field)}\n    {render_deprecation.query_attribute(field)}\n"
    assert black_format(body) == body
    decorated = f"class T:\n    {render_deprecation.decorator(field.deprecated or '')}\n    def f(self) -> None:\n        pass\n"
    assert black_format(decorated) == decorated
    patch = ParameterPlan(field.attribute, "W", "int", deprecated=field.deprecated)
    statements = f"def f(self) -> None:\n    if x:\n{render_deprecation.patch_warnings((patch,))}"
    assert black_format(statements) == statements


@pytest.mark.parametrize("name", ["attrs", "rt", "dt", "t", "q", "odata_present"])
def test_a_deprecated_property_named_like_a_module_alias_imports_and_works(
    tmp_path_factory: pytest.TempPathFactory, name: str
) -> None:
    """Its private field must not shadow `_attrs`, `_rt`, `_dt`, ... in the class body (found by review)."""
    text = FIXTURE.read_text(encoding="utf-8").replace('Name="MiddleName"', f'Name="{name}"')
    source = tmp_path_factory.mktemp(f"alias_{name}") / "deprecations.xml"
    source.write_text(text, encoding="utf-8")
    module = generated_client_module(tmp_path_factory, f"deprecated_{name}", source)
    person = module.Person
    with pytest.warns(DeprecationWarning, match=f"Person/{name} is deprecated"):
        assert getattr(person(id=1, age=3, **{name: "x"}), name) == "x"
