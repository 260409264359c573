"""A synthetic CSDL document shaped like SAP Business One's service layer, for layout tests and profiling.

SAP B1's own document cannot be committed. Its shape is what costs time: hundreds of entity types, each with an
entity set, long property names, and hundreds of actions, bound (`Close`, `Cancel` on documents) and unbound
(`ActivitiesService_GetActivityList` with a complex parameter). The defaults give 234 entity types and 390
actions, as the real one has.
"""

from __future__ import annotations

from xml.sax.saxutils import quoteattr

NAMESPACE = "SAPB1"
_WORDS = ("Business", "Partner", "Document", "Journal", "Entry", "Warehouse", "Inventory", "Transfer", "Request")
_WORDS += ("Production", "Order", "Service", "Contract", "Employee", "Attachment", "Price", "Special", "Blanket")
_TYPES = ("Edm.String", "Edm.Int32", "Edm.Double", "Edm.DateTimeOffset", "Edm.Decimal", "Edm.Guid", "Edm.Boolean")
_BOUND = ("Close", "Cancel", "Reopen", "CreateCancellationDocument")


def _name(index: int, parts: int) -> str:
    return "".join(_WORDS[(index * 7 + k * 5) % len(_WORDS)] for k in range(parts)) + str(index)


def sap_b1_like(entity_types: int = 234, actions: int = 390, properties: int = 24) -> str:
    """The document as XML text; every count is exact, names are deterministic."""
    entities = [_name(i, 2 + i % 4) for i in range(entity_types)]
    lines = [
        '<?xml version="1.0" encoding="utf-8"?>',
        '<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">',
        "<edmx:DataServices>",
        f'<Schema Namespace="{NAMESPACE}" xmlns="http://docs.oasis-open.org/odata/ns/edm">',
        '<EnumType Name="BoYesNoEnum"><Member Name="tNO" Value="0"/><Member Name="tYES" Value="1"/></EnumType>',
    ]
    for i, entity in enumerate(entities):
        lines.append(f'<EntityType Name="{entity}"><Key><PropertyRef Name="DocEntry"/></Key>')
        lines.append('<Property Name="DocEntry" Type="Edm.Int32" Nullable="false"/>')
        for p in range(properties):
            kind = f"{NAMESPACE}.BoYesNoEnum" if p % 9 == 8 else _TYPES[(i + p) % len(_TYPES)]
            lines.append(f'<Property Name="{_name(i + p, 1 + p % 5)}" Type="{kind}"/>')
        target = entities[(i + 1) % entity_types]
        lines.append(f'<NavigationProperty Name="{target}Lines" Type="Collection({NAMESPACE}.{target})"/>')
        lines.append("</EntityType>")
    lines.append(f'<ComplexType Name="ServiceParams"><Property Name="{_name(3, 5)}" Type="Edm.String"/></ComplexType>')
    imports = []
    for a in range(actions):
        if a % 2 == 0:  # bound to one entity, as SAP B1's document actions are
            entity = entities[(a // 2) % entity_types]
            lines.append(f'<Action Name="{_BOUND[a % len(_BOUND)]}{a}" IsBound="true">')
            lines.append(f'<Parameter Name="{entity}" Type="{NAMESPACE}.{entity}" Nullable="false"/></Action>')
        else:
            name = f"{_name(a, 3)}Service_Get{_name(a + 1, 2)}List"
            lines.append(
                f'<Action Name="{name}"><Parameter Name="{_name(a, 4)}Params" Type="{NAMESPACE}.ServiceParams"/>'
            )
            lines.append(f'<ReturnType Type="Collection({NAMESPACE}.{entities[a % entity_types]})"/></Action>')
            imports.append(f'<ActionImport Name="{name}" Action="{NAMESPACE}.{name}"/>')
    lines.append('<EntityContainer Name="ServiceLayer">')
    lines += [f"<EntitySet Name={quoteattr(e + 's')} EntityType={quoteattr(f'{NAMESPACE}.{e}')}/>" for e in entities]
    lines += imports
    lines += ["</EntityContainer>", "</Schema>", "</edmx:DataServices>", "</edmx:Edmx>"]
    return "\n".join(lines) + "\n"


COMPLEX_NAMESPACE = "Geo"

# Operations bound to complex types and to collections of them, reached through entity sets, singletons,
# navigation, casts of entities and of complex values, and complex properties nested in complex ones. One
# operation of each result kind: primitive, void, complex, entity, entity collection, complex collection.
COMPLEX_OPERATIONS_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:DataServices>
    <Schema Namespace="Geo" Alias="G" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <ComplexType Name="Address">
        <Property Name="Street" Type="Edm.String"/>
        <Property Name="City" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="CityAddress" BaseType="Geo.Address">
        <Property Name="Zip" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="Location">
        <Property Name="Name" Type="Edm.String"/>
        <Property Name="Address" Type="Geo.Address"/>
      </ComplexType>
      <ComplexType Name="Info">
        <Property Name="Address" Type="Geo.Address"/>
        <Property Name="Favourite" Type="Geo.Location"/>
        <Property Name="Note" Type="Edm.String"/>
      </ComplexType>
      <ComplexType Name="Plain">
        <Property Name="Text" Type="Edm.String"/>
      </ComplexType>
      <EntityType Name="Person">
        <Key><PropertyRef Name="UserName"/></Key>
        <Property Name="UserName" Type="Edm.String" Nullable="false"/>
        <Property Name="HomeAddress" Type="Geo.Address"/>
        <Property Name="Info" Type="Geo.Info"/>
        <Property Name="AddressInfo" Type="Collection(Geo.Location)"/>
        <Property Name="Plain" Type="Geo.Plain"/>
        <NavigationProperty Name="BestFriend" Type="Geo.Person"/>
      </EntityType>
      <EntityType Name="Employee" BaseType="Geo.Person">
        <Property Name="WorkAddress" Type="Geo.CityAddress"/>
      </EntityType>
      <Function Name="Distance" IsBound="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <Parameter Name="to" Type="Edm.String"/>
        <ReturnType Type="Edm.Double"/>
      </Function>
      <Function Name="Distance" IsBound="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <Parameter Name="to" Type="Edm.String"/>
        <Parameter Name="unit" Type="Edm.String"/>
        <ReturnType Type="Edm.Double"/>
      </Function>
      <Action Name="Verify" IsBound="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <Parameter Name="strict" Type="Edm.Boolean"/>
      </Action>
      <Function Name="Normalized" IsBound="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <ReturnType Type="Geo.Address"/>
      </Function>
      <Function Name="Owner" IsBound="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <ReturnType Type="Geo.Person"/>
      </Function>
      <Function Name="Residents" IsBound="true" IsComposable="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <ReturnType Type="Collection(Geo.Person)"/>
      </Function>
      <Function Name="ZipArea" IsBound="true">
        <Parameter Name="address" Type="Geo.CityAddress"/>
        <ReturnType Type="Edm.String"/>
      </Function>
      <Function Name="Describe" IsBound="true">
        <Parameter Name="address" Type="Geo.Address"/>
        <ReturnType Type="Edm.String"/>
      </Function>
      <Function Name="Describe" IsBound="true">
        <Parameter Name="location" Type="Geo.Location"/>
        <ReturnType Type="Edm.String"/>
      </Function>
      <Function Name="Describe" IsBound="true">
        <Parameter Name="locations" Type="Collection(Geo.Location)"/>
        <Parameter Name="separator" Type="Edm.String"/>
        <ReturnType Type="Edm.String"/>
      </Function>
      <Action Name="Sorted" IsBound="true">
        <Parameter Name="locations" Type="Collection(Geo.Location)"/>
        <Parameter Name="by" Type="Edm.String"/>
        <ReturnType Type="Collection(Geo.Location)"/>
      </Action>
      <EntityContainer Name="Container">
        <EntitySet Name="People" EntityType="Geo.Person"/>
        <Singleton Name="Me" Type="Geo.Person"/>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""
