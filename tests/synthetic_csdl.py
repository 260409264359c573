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
