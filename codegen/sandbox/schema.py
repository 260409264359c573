"""The CSDL model -> SQLite tables: one table per entity set, one column per structural property.

Column values are stored in a form SQLite can compare where it can (integers, reals, booleans as 0/1) and
as exact text where it cannot: `Edm.Decimal` as its digits, `Edm.DateTimeOffset` as the OData text with its
offset (compared through `odata_instant()`, see `sqlfuncs`), complex, collection and geo values as their
OData JSON. Navigation properties become joins: through the foreign key of a referential constraint (on
either side, via the partner), or through a link table `{Set}__{Navigation}` when the CSDL declares no
constraint (Aimbase's `Dealer/Products`).
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator

import attrs

from ..csdl.model import (
    Document,
    EntitySet,
    EnumType,
    NavigationProperty,
    Property,
    StructuredType,
    TypeDefinition,
    TypeRef,
)

__all__ = ["Column", "Model", "Navigation", "Table", "build_model", "create_tables", "quote"]

INTEGER_TYPES = frozenset({"Edm.Byte", "Edm.SByte", "Edm.Int16", "Edm.Int32", "Edm.Int64"})
FLOAT_TYPES = frozenset({"Edm.Double", "Edm.Single"})
NUMERIC_TYPES = INTEGER_TYPES | FLOAT_TYPES | {"Edm.Decimal"}
INTEGER_RANGES = {
    "Edm.Byte": (0, 255),
    "Edm.SByte": (-128, 127),
    "Edm.Int16": (-(2**15), 2**15 - 1),
    "Edm.Int32": (-(2**31), 2**31 - 1),
    "Edm.Int64": (-(2**63), 2**63 - 1),
}


def quote(name: str) -> str:
    """A SQL identifier; CSDL names are simple identifiers, but quote marks are doubled all the same."""
    return '"' + name.replace('"', '""') + '"'


@attrs.frozen
class Column:
    """One structural property of an entity set's type, as a column of its table."""

    name: str
    prop: Property
    kind: str  # "primitive", "enum", "complex" or "collection"
    edm: str  # the primitive type ("Edm.Int32"), or the qualified enum/complex type name
    editable: bool

    @property
    def nullable(self) -> bool:
        return self.prop.nullable

    @property
    def sql_type(self) -> str:
        if self.kind == "primitive" and (self.edm in INTEGER_TYPES or self.edm == "Edm.Boolean"):
            return "INTEGER"
        if self.kind == "primitive" and self.edm in FLOAT_TYPES:
            return "REAL"
        return "TEXT"


@attrs.frozen
class Navigation:
    """A navigation property bound to a target entity set, and how to join to it.

    With `link_table` None the join is `target.target_columns[i] = source.source_columns[i]`; otherwise the
    link table has columns `s_{key}` (the source's key) and `t_{key}` (the target's key).
    """

    name: str
    target: str
    collection: bool
    nullable: bool
    source_columns: tuple[str, ...] = ()
    target_columns: tuple[str, ...] = ()
    link_table: str | None = None


@attrs.frozen
class Table:
    name: str
    entity_set: EntitySet
    entity_type: StructuredType
    key: tuple[str, ...]
    columns: dict[str, Column]
    navigations: dict[str, Navigation]

    @property
    def type_name(self) -> str:
        return self.entity_type.qualified_name

    def string_columns(self) -> list[Column]:
        return [c for c in self.columns.values() if c.kind == "primitive" and c.edm == "Edm.String"]


@attrs.frozen
class Model:
    """The tables of a CSDL document's entity sets, and the types their columns refer to."""

    document: Document
    tables: dict[str, Table]
    structured: dict[str, StructuredType]
    enums: dict[str, EnumType]
    type_definitions: dict[str, TypeDefinition]

    def properties(self, type_name: str) -> list[Property]:
        """Declared structural properties of a type, its base types' first."""
        return [p for t in self._chain(type_name) for p in t.properties]

    def navigation_properties(self, type_name: str) -> list[NavigationProperty]:
        return [n for t in self._chain(type_name) for n in t.navigation_properties]

    def is_open(self, type_name: str) -> bool:
        return any(t.open_type for t in self._chain(type_name))

    def classify(self, ref: TypeRef) -> tuple[str, str]:
        """(kind, type) for a property type: type definitions resolved to their underlying primitive."""
        name = ref.name
        definition = self.type_definitions.get(name)
        if definition is not None:
            name = definition.underlying_type
        if ref.collection:
            return "collection", name
        if name in self.enums:
            return "enum", name
        if name in self.structured:
            return "complex", name
        return "primitive", name

    def _chain(self, type_name: str) -> Iterator[StructuredType]:
        chain: list[StructuredType] = []
        current: str | None = type_name
        while current is not None and current in self.structured and len(chain) < 50:
            found = self.structured[current]
            chain.append(found)
            current = found.base_type
        return reversed(chain)


def build_model(document: Document) -> Model:
    structured = {t.qualified_name: t for t in document.structured_types()}
    enums = {t.qualified_name: t for t in document.enum_types()}
    definitions = {t.qualified_name: t for t in document.type_definitions()}
    model = Model(document, {}, structured, enums, definitions)
    sets = [entity_set for container in document.containers() for entity_set in container.entity_sets]
    for entity_set in sets:
        entity_type = structured[entity_set.entity_type]
        key = _key(model, entity_type)
        columns = {}
        for prop in model.properties(entity_type.qualified_name):
            kind, edm = model.classify(prop.type)
            if edm == "Edm.Stream":
                continue  # media streams are not part of the entity's JSON
            editable = not (
                prop.doc.computed
                or prop.doc.immutable
                or prop.name in key
                or prop.name in entity_set.non_updatable_properties
            )
            columns[prop.name] = Column(prop.name, prop, kind, edm, editable)
        model.tables[entity_set.name] = Table(entity_set.name, entity_set, entity_type, key, columns, {})
    for entity_set in sets:
        table = model.tables[entity_set.name]
        for nav in model.navigation_properties(table.type_name):
            found = _navigation(model, table, nav)
            if found is not None:
                table.navigations[nav.name] = found
    return model


def _key(model: Model, entity_type: StructuredType) -> tuple[str, ...]:
    for t in reversed(list(model._chain(entity_type.qualified_name))):
        if t.key:
            return t.key
    return ()


def _navigation(model: Model, table: Table, nav: NavigationProperty) -> Navigation | None:
    """How `nav` joins, or None when no entity set holds its targets (such a navigation is not served)."""
    bindings = dict(table.entity_set.navigation_bindings)
    target_name = bindings.get(nav.name)
    if target_name is None:
        candidates = [t for t in model.tables.values() if t.type_name == nav.type.name]
        if len(candidates) != 1:
            return None
        target_name = candidates[0].name
    target = model.tables.get(target_name.rsplit("/", 1)[-1])
    if target is None:
        return None
    collection = nav.type.collection
    if nav.constraints:
        return Navigation(
            nav.name,
            target.name,
            collection,
            nav.nullable,
            source_columns=tuple(c.property for c in nav.constraints),
            target_columns=tuple(c.referenced_property for c in nav.constraints),
        )
    partner = next(
        (n for n in model.navigation_properties(target.type_name) if nav.partner and n.name == nav.partner), None
    )
    if partner is not None and partner.constraints:
        return Navigation(
            nav.name,
            target.name,
            collection,
            nav.nullable,
            source_columns=tuple(c.referenced_property for c in partner.constraints),
            target_columns=tuple(c.property for c in partner.constraints),
        )
    return Navigation(nav.name, target.name, collection, nav.nullable, link_table=f"{table.name}__{nav.name}")


def link_columns(model: Model, navigation: Navigation, source: Table) -> tuple[list[str], list[str]]:
    """The link table's source and target key columns, in key order."""
    target = model.tables[navigation.target]
    return [f"s_{k}" for k in source.key], [f"t_{k}" for k in target.key]


def create_tables(connection: sqlite3.Connection, model: Model) -> None:
    for table in model.tables.values():
        columns = [
            f"{quote(c.name)} {c.sql_type}" + ("" if c.nullable else " NOT NULL") for c in table.columns.values()
        ]
        key = f", PRIMARY KEY ({', '.join(quote(k) for k in table.key)})" if table.key else ""
        connection.execute(f"CREATE TABLE {quote(table.name)} ({', '.join(columns)}{key})")
    for table in model.tables.values():
        for nav in table.navigations.values():
            if nav.link_table is None:
                _index(connection, table, nav.source_columns)
                _index(connection, model.tables[nav.target], nav.target_columns)
                continue
            sources, targets = link_columns(model, nav, table)
            cols = ", ".join(quote(c) for c in (*sources, *targets))
            connection.execute(f"CREATE TABLE {quote(nav.link_table)} ({cols}, PRIMARY KEY ({cols}))")


def _index(connection: sqlite3.Connection, table: Table, columns: tuple[str, ...]) -> None:
    """An index on a join's columns, unless they are the key (which has one) or already indexed."""
    if not columns or set(columns) <= set(table.key):
        return
    name = quote("ix_" + "_".join((table.name, *columns)))
    cols = ", ".join(quote(c) for c in columns)
    connection.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {quote(table.name)} ({cols})")
