"""codegen.diff on crafted pairs: each edit of a small document gives exactly the expected changes and classes.

Every case names the text of BASE_TEXT it replaces, so a case whose text is no longer there fails instead of
comparing a document with itself.
"""

from __future__ import annotations

from pathlib import Path

import attrs
import pytest

from codegen.csdl import parse_metadata
from codegen.diff import RULES, Change, build_surface, compare, load_surface
from codegen.diff import rules as rules_module
from codegen.spec import spec_from_arguments

BASE_TEXT = """\
<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Capabilities.V1.xml">
    <edmx:Include Namespace="Org.OData.Capabilities.V1" Alias="Capabilities"/>
  </edmx:Reference>
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Validation.V1.xml">
    <edmx:Include Namespace="Org.OData.Validation.V1" Alias="Validation"/>
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="T" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Item">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Name" Type="Edm.String" MaxLength="50"/>
        <Property Name="Code" Type="Edm.String">
          <Annotation Term="Validation.AllowedValues">
            <Collection>
              <Record><PropertyValue Property="Value" String="A"/></Record>
              <Record><PropertyValue Property="Value" String="B"/></Record>
            </Collection>
          </Annotation>
        </Property>
        <Property Name="Price" Type="Edm.Decimal" Precision="10" Scale="2"/>
        <Property Name="Count" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Tags" Type="Collection(Edm.String)"/>
        <Property Name="Color" Type="T.Color"/>
        <Property Name="Note" Type="Edm.String"/>
        <NavigationProperty Name="Owner" Type="T.Person"/>
        <NavigationProperty Name="Parts" Type="Collection(T.Part)" ContainsTarget="true"/>
      </EntityType>
      <EntityType Name="Person">
        <Key><PropertyRef Name="UserName"/></Key>
        <Property Name="UserName" Type="Edm.String" Nullable="false"/>
        <Property Name="Home" Type="T.Address"/>
      </EntityType>
      <EntityType Name="Part">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
      </EntityType>
      <ComplexType Name="Address">
        <Property Name="City" Type="Edm.String"/>
      </ComplexType>
      <EnumType Name="Color">
        <Member Name="Red" Value="0"/>
        <Member Name="Green" Value="1"/>
      </EnumType>
      <TypeDefinition Name="Money" UnderlyingType="Edm.Int32"/>
      <Action Name="Ship" IsBound="true">
        <Parameter Name="item" Type="T.Item" Nullable="false"/>
        <Parameter Name="to" Type="Edm.String" Nullable="false"/>
      </Action>
      <Function Name="Total" IsBound="true" IsComposable="true">
        <Parameter Name="items" Type="Collection(T.Item)" Nullable="false"/>
        <ReturnType Type="Edm.Int32" Nullable="false"/>
      </Function>
      <Function Name="Find">
        <Parameter Name="q" Type="Edm.String" Nullable="false"/>
        <ReturnType Type="Collection(T.Item)" Nullable="false"/>
      </Function>
      <Action Name="Reset"/>
      <Action Name="Resize">
        <Parameter Name="size" Type="Edm.Int32" Nullable="false"/>
      </Action>
      <EntityContainer Name="Box">
        <EntitySet Name="Items" EntityType="T.Item"/>
        <EntitySet Name="People" EntityType="T.Person"/>
        <Singleton Name="Me" Type="T.Person"/>
        <FunctionImport Name="Find" Function="T.Find" EntitySet="Items"/>
        <ActionImport Name="Reset" Action="T.Reset"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""

NAME = '<Property Name="Name" Type="Edm.String" MaxLength="50"/>'
NOTE = '<Property Name="Note" Type="Edm.String"/>'
COUNT = '<Property Name="Count" Type="Edm.Int32" Nullable="false"/>'
PRICE = '<Property Name="Price" Type="Edm.Decimal" Precision="10" Scale="2"/>'
OWNER = '<NavigationProperty Name="Owner" Type="T.Person"/>'
ADDRESS = '<ComplexType Name="Address">'
PEOPLE = '<EntitySet Name="People" EntityType="T.Person"/>'
ITEMS = '<EntitySet Name="Items" EntityType="T.Item"/>'
RED = '<Member Name="Red" Value="0"/>'
SHIP_TO = '<Parameter Name="to" Type="Edm.String" Nullable="false"/>'
TOTAL_RETURNS = '<ReturnType Type="Edm.Int32" Nullable="false"/>'
ALLOWED_B = '<Record><PropertyValue Property="Value" String="B"/></Record>'
COMPUTED = '<Annotation Term="Core.Computed" Bool="true"/>'


def restricted(term: str, record: str) -> str:
    return f'<EntitySet Name="Items" EntityType="T.Item"><Annotation Term="Capabilities.{term}"><Record>{record}</Record></Annotation></EntitySet>'


NON_UPDATABLE = restricted(
    "UpdateRestrictions",
    '<PropertyValue Property="NonUpdatableProperties"><Collection><PropertyPath>Name</PropertyPath></Collection></PropertyValue>',
)

# (id, [(old text, new text), ...], reverse: diff NEW -> OLD instead, expected [(kind, path), ...])
CASES: list[tuple[str, list[tuple[str, str]], bool, list[tuple[str, str]]]] = [
    (
        "set added",
        [(PEOPLE, PEOPLE + '<EntitySet Name="Parts" EntityType="T.Part"/>')],
        False,
        [("entity-set-added", "Parts")],
    ),
    ("set removed", [(PEOPLE, "")], False, [("entity-set-removed", "People")]),
    (
        "set type",
        [(PEOPLE, '<EntitySet Name="People" EntityType="T.Part"/>')],
        False,
        [("entity-set-type-changed", "People")],
    ),
    (
        "not insertable",
        [(ITEMS, restricted("InsertRestrictions", '<PropertyValue Property="Insertable" Bool="false"/>'))],
        False,
        [("entity-set-capability-removed", "Items/insertable")],
    ),
    (
        "deletable again",
        [(ITEMS, restricted("DeleteRestrictions", '<PropertyValue Property="Deletable" Bool="false"/>'))],
        True,
        [("entity-set-capability-added", "Items/deletable")],
    ),
    ("frozen", [(ITEMS, NON_UPDATABLE)], False, [("entity-set-property-frozen", "Items/Name")]),
    ("unfrozen", [(ITEMS, NON_UPDATABLE)], True, [("entity-set-property-unfrozen", "Items/Name")]),
    (
        "singleton added",
        [(PEOPLE, PEOPLE + '<Singleton Name="You" Type="T.Person"/>')],
        False,
        [("singleton-added", "You")],
    ),
    ("singleton removed", [('<Singleton Name="Me" Type="T.Person"/>', "")], False, [("singleton-removed", "Me")]),
    (
        "singleton type",
        [('<Singleton Name="Me" Type="T.Person"/>', '<Singleton Name="Me" Type="T.Item"/>')],
        False,
        [("singleton-type-changed", "Me")],
    ),
    (
        "import removed",
        [('<ActionImport Name="Reset" Action="T.Reset"/>', "")],
        False,
        [("operation-import-removed", "Reset")],
    ),
    (
        "import added",
        [('<ActionImport Name="Reset" Action="T.Reset"/>', "")],
        True,
        [("operation-import-added", "Reset")],
    ),
    ("import changed", [(' EntitySet="Items"', "")], False, [("operation-import-changed", "Find")]),
    ("type added", [(ADDRESS, '<ComplexType Name="Extra"/>' + ADDRESS)], False, [("type-added", "T.Extra")]),
    ("type removed", [(ADDRESS, '<ComplexType Name="Extra"/>' + ADDRESS)], True, [("type-removed", "T.Extra")]),
    (
        "complex to entity",
        [
            (
                ADDRESS + '\n        <Property Name="City" Type="Edm.String"/>\n      </ComplexType>',
                '<EntityType Name="Address"><Key><PropertyRef Name="City"/></Key>'
                '<Property Name="City" Type="Edm.String" Nullable="false"/></EntityType>',
            )
        ],
        False,
        [
            ("key-changed", "T.Address"),
            ("property-made-non-nullable", "T.Address/City"),
            ("type-kind-changed", "T.Address"),
        ],
    ),
    (
        "base type",
        [(ADDRESS, '<ComplexType Name="Base"/><ComplexType Name="Address" BaseType="T.Base">')],
        False,
        [("base-type-changed", "T.Address"), ("type-added", "T.Base")],
    ),
    (
        "abstract",
        [(ADDRESS, '<ComplexType Name="Address" Abstract="true">')],
        False,
        [("type-made-abstract", "T.Address")],
    ),
    (
        "concrete",
        [(ADDRESS, '<ComplexType Name="Address" Abstract="true">')],
        True,
        [("type-made-concrete", "T.Address")],
    ),
    ("opened", [(ADDRESS, '<ComplexType Name="Address" OpenType="true">')], False, [("type-opened", "T.Address")]),
    ("closed", [(ADDRESS, '<ComplexType Name="Address" OpenType="true">')], True, [("type-closed", "T.Address")]),
    (
        "key",
        [
            (
                '<Key><PropertyRef Name="Id"/></Key>\n        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>\n      </EntityType>',
                '<Key><PropertyRef Name="Id"/><PropertyRef Name="Seq"/></Key><Property Name="Id" Type="Edm.Int32" Nullable="false"/>'
                '<Property Name="Seq" Type="Edm.Int32" Nullable="false"/></EntityType>',
            )
        ],
        False,
        [("key-changed", "T.Part"), ("required-property-added", "T.Part/Seq")],
    ),
    (
        "property added",
        [(NOTE, NOTE + '<Property Name="Extra" Type="Edm.Int32"/>')],
        False,
        [("property-added", "T.Item/Extra")],
    ),
    (
        "required property added",
        [(NOTE, NOTE + '<Property Name="Extra" Type="Edm.Int32" Nullable="false"/>')],
        False,
        [("required-property-added", "T.Item/Extra")],
    ),
    (
        "collection property added",
        [(NOTE, NOTE + '<Property Name="Extra" Type="Collection(Edm.Int32)" Nullable="false"/>')],
        False,
        [("property-added", "T.Item/Extra")],
    ),
    ("property removed", [(NOTE, "")], False, [("property-removed", "T.Item/Note")]),
    ("widened", [(COUNT, COUNT.replace("Int32", "Int64"))], False, [("property-type-widened", "T.Item/Count")]),
    ("narrowed", [(COUNT, COUNT.replace("Int32", "Int64"))], True, [("property-type-changed", "T.Item/Count")]),
    (
        "retyped",
        [(COUNT, COUNT.replace("Edm.Int32", "Edm.String"))],
        False,
        [("property-type-changed", "T.Item/Count")],
    ),
    (
        "collection",
        [('Name="Tags" Type="Collection(Edm.String)"', 'Name="Tags" Type="Edm.String"')],
        False,
        [("property-collection-changed", "T.Item/Tags")],
    ),
    (
        "nullable",
        [(COUNT, COUNT.replace(' Nullable="false"', ""))],
        False,
        [("property-made-nullable", "T.Item/Count")],
    ),
    (
        "non-nullable",
        [(COUNT, COUNT.replace(' Nullable="false"', ""))],
        True,
        [("property-made-non-nullable", "T.Item/Count")],
    ),
    ("maxlength lowered", [(NAME, NAME.replace("50", "20"))], False, [("max-length-lowered", "T.Item/Name")]),
    ("maxlength raised", [(NAME, NAME.replace("50", "100"))], False, [("max-length-raised", "T.Item/Name")]),
    (
        "maxlength added",
        [(NOTE, NOTE.replace("/>", ' MaxLength="10"/>'))],
        False,
        [("max-length-lowered", "T.Item/Note")],
    ),
    ("maxlength removed", [(NAME, NAME.replace(' MaxLength="50"', ""))], False, [("max-length-raised", "T.Item/Name")]),
    ("precision lowered", [(PRICE, PRICE.replace('"10"', '"8"'))], False, [("precision-lowered", "T.Item/Price")]),
    ("precision raised", [(PRICE, PRICE.replace('"10"', '"12"'))], False, [("precision-raised", "T.Item/Price")]),
    ("scale lowered", [(PRICE, PRICE.replace('"2"', '"1"'))], False, [("scale-lowered", "T.Item/Price")]),
    ("scale variable", [(PRICE, PRICE.replace('"2"', '"variable"'))], False, [("scale-raised", "T.Item/Price")]),
    ("scale fixed", [(PRICE, PRICE.replace('"2"', '"variable"'))], True, [("scale-lowered", "T.Item/Price")]),
    ("allowed removed", [(ALLOWED_B, "")], False, [("allowed-value-removed", "T.Item/Code")]),
    ("allowed added", [(ALLOWED_B, "")], True, [("allowed-value-added", "T.Item/Code")]),
    (
        "allowed restricted",
        [
            (
                NOTE,
                NOTE.replace(
                    "/>",
                    '><Annotation Term="Validation.AllowedValues"><Collection>'
                    + ALLOWED_B
                    + "</Collection></Annotation></Property>",
                ),
            )
        ],
        False,
        [("allowed-values-restricted", "T.Item/Note")],
    ),
    (
        "allowed unrestricted",
        [
            (
                NOTE,
                NOTE.replace(
                    "/>",
                    '><Annotation Term="Validation.AllowedValues"><Collection>'
                    + ALLOWED_B
                    + "</Collection></Annotation></Property>",
                ),
            )
        ],
        True,
        [("allowed-values-unrestricted", "T.Item/Note")],
    ),
    (
        "computed",
        [(NOTE, NOTE.replace("/>", ">" + COMPUTED + "</Property>"))],
        False,
        [("property-made-read-only", "T.Item/Note")],
    ),
    (
        "immutable",
        [(NOTE, NOTE.replace("/>", '><Annotation Term="Core.Immutable" Bool="true"/></Property>'))],
        False,
        [("property-made-read-only", "T.Item/Note")],
    ),
    (
        "editable",
        [(NOTE, NOTE.replace("/>", ">" + COMPUTED + "</Property>"))],
        True,
        [("property-made-editable", "T.Item/Note")],
    ),
    ("navigation removed", [(OWNER, "")], False, [("navigation-removed", "T.Item/Owner")]),
    ("navigation added", [(OWNER, "")], True, [("navigation-added", "T.Item/Owner")]),
    (
        "navigation target",
        [(OWNER, OWNER.replace("T.Person", "T.Part"))],
        False,
        [("navigation-target-changed", "T.Item/Owner")],
    ),
    (
        "navigation collection",
        [(OWNER, OWNER.replace("T.Person", "Collection(T.Person)"))],
        False,
        [("navigation-collection-changed", "T.Item/Owner")],
    ),
    (
        "navigation nullable",
        [(OWNER, OWNER.replace("/>", ' Nullable="false"/>'))],
        True,
        [("navigation-made-nullable", "T.Item/Owner")],
    ),
    (
        "navigation non-nullable",
        [(OWNER, OWNER.replace("/>", ' Nullable="false"/>'))],
        False,
        [("navigation-made-non-nullable", "T.Item/Owner")],
    ),
    ("containment", [(' ContainsTarget="true"', "")], False, [("navigation-containment-changed", "T.Item/Parts")]),
    (
        "enum added",
        [(ADDRESS, '<EnumType Name="Size"><Member Name="S"/></EnumType>' + ADDRESS)],
        False,
        [("enum-added", "T.Size")],
    ),
    (
        "enum removed",
        [(ADDRESS, '<EnumType Name="Size"><Member Name="S"/></EnumType>' + ADDRESS)],
        True,
        [("enum-removed", "T.Size")],
    ),
    (
        "flags",
        [('<EnumType Name="Color">', '<EnumType Name="Color" IsFlags="true">'), ('Value="0"', 'Value="4"')],
        False,
        [("enum-flags-changed", "T.Color"), ("enum-member-value-changed", "T.Color/Red")],
    ),
    (
        "enum underlying",
        [('<EnumType Name="Color">', '<EnumType Name="Color" UnderlyingType="Edm.Int64">')],
        False,
        [("enum-underlying-type-changed", "T.Color")],
    ),
    ("member added", [(RED, RED + '<Member Name="Blue" Value="2"/>')], False, [("enum-member-added", "T.Color/Blue")]),
    ("member removed", [(RED, "")], False, [("enum-member-removed", "T.Color/Red")]),
    ("member value", [(RED, RED.replace('"0"', '"7"'))], False, [("enum-member-value-changed", "T.Color/Red")]),
    (
        "typedef added",
        [(ADDRESS, '<TypeDefinition Name="Label" UnderlyingType="Edm.String"/>' + ADDRESS)],
        False,
        [("type-definition-added", "T.Label")],
    ),
    (
        "typedef removed",
        [(ADDRESS, '<TypeDefinition Name="Label" UnderlyingType="Edm.String"/>' + ADDRESS)],
        True,
        [("type-definition-removed", "T.Label")],
    ),
    (
        "typedef widened",
        [('UnderlyingType="Edm.Int32"', 'UnderlyingType="Edm.Int64"')],
        False,
        [("type-definition-type-widened", "T.Money")],
    ),
    (
        "typedef retyped",
        [('UnderlyingType="Edm.Int32"/>', 'UnderlyingType="Edm.String" MaxLength="9"/>')],
        False,
        [("max-length-lowered", "T.Money"), ("type-definition-type-changed", "T.Money")],
    ),
    (
        "operation added",
        [('<Action Name="Reset"/>', '<Action Name="Reset"/><Action Name="Stop"/>')],
        False,
        [("operation-added", "T.Stop()")],
    ),
    (
        "operation removed",
        [('<Action Name="Reset"/>', '<Action Name="Reset"/><Action Name="Stop"/>')],
        True,
        [("operation-removed", "T.Stop()")],
    ),
    (
        "action to function",
        [
            ('<Action Name="Reset"/>', '<Function Name="Reset"><ReturnType Type="Edm.Int32"/></Function>'),
            ('<ActionImport Name="Reset" Action="T.Reset"/>', '<FunctionImport Name="Reset" Function="T.Reset"/>'),
        ],
        False,
        [("operation-kind-changed", "T.Reset()"), ("return-type-changed", "T.Reset()")],
    ),
    (
        "not composable",
        [(' IsComposable="true"', "")],
        False,
        [("operation-made-non-composable", "T.Total@Collection(T.Item)()")],
    ),
    (
        "composable",
        [(' IsComposable="true"', "")],
        True,
        [("operation-made-composable", "T.Total@Collection(T.Item)()")],
    ),
    (
        "parameter added",
        [(SHIP_TO, SHIP_TO + '<Parameter Name="when" Type="Edm.Date"/>')],
        False,
        [("parameter-added", "T.Ship@T.Item(to,when)/when")],
    ),
    (
        "parameter removed",
        [(SHIP_TO, SHIP_TO + '<Parameter Name="when" Type="Edm.Date"/>')],
        True,
        [("parameter-removed", "T.Ship@T.Item(to)/when")],
    ),
    (
        "parameter retyped",
        [(SHIP_TO, SHIP_TO.replace("Edm.String", "Edm.Int32"))],
        False,
        [("parameter-type-changed", "T.Ship@T.Item(to)/to")],
    ),
    (
        "parameter widened",
        [('<Parameter Name="size" Type="Edm.Int32"', '<Parameter Name="size" Type="Edm.Int64"')],
        False,
        [("parameter-type-widened", "T.Resize(size)/size")],
    ),
    (
        "parameter collection",
        [(SHIP_TO, SHIP_TO.replace("Edm.String", "Collection(Edm.String)"))],
        False,
        [("parameter-collection-changed", "T.Ship@T.Item(to)/to")],
    ),
    (
        "parameter nullable",
        [(SHIP_TO, SHIP_TO.replace(' Nullable="false"', ""))],
        False,
        [("parameter-made-nullable", "T.Ship@T.Item(to)/to")],
    ),
    (
        "parameter non-nullable",
        [(SHIP_TO, SHIP_TO.replace(' Nullable="false"', ""))],
        True,
        [("parameter-made-non-nullable", "T.Ship@T.Item(to)/to")],
    ),
    (
        "return widened",
        [(TOTAL_RETURNS, TOTAL_RETURNS.replace("Int32", "Int64"))],
        False,
        [("return-type-widened", "T.Total@Collection(T.Item)()")],
    ),
    (
        "return retyped",
        [(TOTAL_RETURNS, TOTAL_RETURNS.replace("Int32", "String"))],
        False,
        [("return-type-changed", "T.Total@Collection(T.Item)()")],
    ),
    (
        "return collection",
        [
            (
                'Type="Collection(T.Item)" Nullable="false"/>\n      </Function>',
                'Type="T.Item" Nullable="false"/>\n      </Function>',
            )
        ],
        False,
        [("return-collection-changed", "T.Find(q)")],
    ),
    (
        "return nullable",
        [(TOTAL_RETURNS, TOTAL_RETURNS.replace(' Nullable="false"', ""))],
        False,
        [("return-made-nullable", "T.Total@Collection(T.Item)()")],
    ),
    (
        "return non-nullable",
        [(TOTAL_RETURNS, TOTAL_RETURNS.replace(' Nullable="false"', ""))],
        True,
        [("return-made-non-nullable", "T.Total@Collection(T.Item)()")],
    ),
    (
        "overload added",
        [
            (
                '<Action Name="Reset"/>',
                '<Action Name="Reset"/><Function Name="Find"><Parameter Name="q" Type="Edm.String" Nullable="false"/><Parameter Name="n" Type="Edm.Int32" Nullable="false"/><ReturnType Type="Collection(T.Item)" Nullable="false"/></Function>',
            )
        ],
        False,
        [("operation-added", "T.Find(n,q)")],
    ),
]


def surface_of(tmp_path: Path, text: str, name: str):  # type: ignore[no-untyped-def]
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return load_surface(path)


def edited(edits: list[tuple[str, str]]) -> str:
    text = BASE_TEXT
    for old, new in edits:
        assert text.count(old) == 1, f"the base document must hold {old!r} once"
        text = text.replace(old, new)
    return text


@pytest.mark.parametrize("edits, reverse, expected", [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_each_change_kind(
    tmp_path: Path, edits: list[tuple[str, str]], reverse: bool, expected: list[tuple[str, str]]
) -> None:
    base, changed = surface_of(tmp_path, BASE_TEXT, "old.xml"), surface_of(tmp_path, edited(edits), "new.xml")
    old, new = (changed, base) if reverse else (base, changed)
    changes = compare(old, new)
    assert sorted((c.kind, c.path) for c in changes) == sorted(expected)
    for c in changes:
        assert c.breaking is RULES[c.kind][0]


def test_cases_cover_every_kind() -> None:
    covered = {kind for case in CASES for kind, _ in case[3]} | {"python-name-changed"}
    assert covered == set(RULES)


def test_docstring_table_is_the_rules() -> None:
    """The table readers see in rules.py is RULES, row for row."""
    doc = rules_module.__doc__ or ""
    rows = [line for line in doc.splitlines() if line.startswith("| `")]
    expected = [f"| `{k}` | {'breaking' if b else 'compatible'} | {why} |" for k, (b, why) in RULES.items()]
    assert rows == expected


def test_python_names_come_from_the_plan(tmp_path: Path) -> None:
    changes = compare(
        surface_of(tmp_path, BASE_TEXT, "old.xml"),
        surface_of(tmp_path, edited([(NAME, NAME.replace("50", "20")), (NOTE, "")]), "new.xml"),
    )
    by_kind = {c.kind: c for c in changes}
    assert by_kind["property-removed"].python == ("Item.note", "ItemItem.patch(note=)", "ItemsEntitySet.patch(note=)")
    lowered = by_kind["max-length-lowered"]
    assert lowered.python == ("Item.name", "ItemItem.patch(name=)", "ItemsEntitySet.patch(name=)")
    assert (lowered.old, lowered.new) == ("50", "20")


def test_spec_renames_are_python_name_changes(tmp_path: Path) -> None:
    base = tmp_path / "base.xml"
    base.write_text(BASE_TEXT, encoding="utf-8")
    document = parse_metadata(base)
    spec = spec_from_arguments(base, "service", tmp_path)
    renamed = attrs.evolve(spec, renames={"T.Item/Note": "remark", "T.Color": "Colour"})
    changes = compare(build_surface(document, spec), build_surface(document, renamed))
    assert [(c.kind, c.path, c.python, c.old, c.new) for c in changes] == [
        ("python-name-changed", "T.Color", ("Color",), "Color", "Colour"),
        ("python-name-changed", "T.Item/Note", ("Item.note",), "Item.note", "Item.remark"),
    ]
    assert all(isinstance(c, Change) and c.breaking for c in changes)


def test_made_editable_names_the_new_patch_parameters(tmp_path: Path) -> None:
    computed = edited([(NOTE, NOTE.replace("/>", ">" + COMPUTED + "</Property>"))])
    changes = compare(surface_of(tmp_path, computed, "old.xml"), surface_of(tmp_path, BASE_TEXT, "new.xml"))
    assert [(c.kind, c.python) for c in changes] == [
        ("property-made-editable", ("Item.note", "ItemItem.patch(note=)", "ItemsEntitySet.patch(note=)"))
    ]


def test_values_of_changes_are_shown(tmp_path: Path) -> None:
    """old/new say what changed: the import's entity set, the key, the member's value."""
    new = edited([(' EntitySet="Items"', ""), (RED, RED.replace('"0"', '"7"'))])
    changes = compare(surface_of(tmp_path, BASE_TEXT, "old.xml"), surface_of(tmp_path, new, "new.xml"))
    assert [(c.kind, c.old, c.new, c.python) for c in changes] == [
        ("operation-import-changed", "T.Find in Items", "T.Find", ("Client.find",)),
        ("enum-member-value-changed", "0", "7", ("Color.RED",)),
    ]
