"""The CSDL model -> SQLite tables: one table per entity set, one column per structural property.

Column values are stored in a form SQLite can compare where it can (integers, reals, booleans as 0/1) and
as exact text where it cannot: `Edm.Decimal` as its digits, `Edm.DateTimeOffset` as the OData text with its
offset (compared through `odata_instant()`, see `sqlfuncs`), complex, collection and geo values as their
OData JSON. Navigation properties become joins: through the foreign key of a referential constraint (on
either side, via the partner), or through a link table `{Set}__{Navigation}` when the CSDL declares no
constraint (Aimbase's `Dealer/Products`).

Singletons get a table of their own holding one row. A containment navigation (`ContainsTarget`, TripPin's
`Person/Trips`) gets a table `{Host}/{Navigation}` whose rows carry their host's key in hidden
`@parent/{key}` columns, joined like a foreign key; contained keys are seeded unique within the whole table.
A table whose type has derived entity types also holds rows of those: the hidden `@type` column names each
row's type, and the properties the derived types add are columns too (`extra_columns`), seen through
`Model.cast_view` (`PlanItems/NS.Flight`).
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

__all__ = [
    "TYPE_COLUMN",
    "Column",
    "Model",
    "Navigation",
    "Table",
    "build_model",
    "create_tables",
    "parent_column",
    "quote",
]

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
# Containment within containment (`People/Trips/PlanItems`) is served this many levels deep; a type that
# contains itself would otherwise give tables without end.
MAX_CONTAINMENT_DEPTH = 3
ROW_COLUMN = "@row"
TYPE_COLUMN = "@type"  # the hidden column holding a row's entity type, in tables whose type has derived types


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
    entity_set: EntitySet  # for a singleton or a containment, one made up with the same name
    entity_type: StructuredType
    key: tuple[str, ...]
    columns: dict[str, Column]
    navigations: dict[str, Navigation]
    kind: str = "set"  # "set", "singleton" or "contained"
    host: str | None = None  # the table a contained table's rows belong to
    parent_columns: tuple[str, ...] = ()  # hidden columns holding the host row's key
    subtypes: tuple[str, ...] = ()  # the entity types derived from the table's, which rows may have
    extra_columns: dict[str, Column] = attrs.field(factory=dict)  # what those add, by property name
    base_columns: tuple[str, ...] = ()  # for a cast view, the columns of the table itself

    @property
    def sql_columns(self) -> list[str]:
        """Every column of the SQL table, hidden ones too, in a fixed order."""
        own = self.base_columns or tuple(self.columns)
        typed = [TYPE_COLUMN] if self.subtypes else []
        return [*own, *self.extra_columns, *self.parent_columns, *typed]

    @property
    def type_name(self) -> str:
        return self.entity_type.qualified_name

    def string_columns(self) -> list[Column]:
        return [c for c in self.columns.values() if c.kind == "primitive" and c.edm == "Edm.String"]


@attrs.frozen
class Model:
    """The tables of a CSDL document's entity sets, and the types their columns refer to."""

    document: Document
    tables: dict[str, Table]  # entity sets
    structured: dict[str, StructuredType]
    enums: dict[str, EnumType]
    type_definitions: dict[str, TypeDefinition]
    singletons: dict[str, Table] = attrs.field(factory=dict)
    contained: dict[str, Table] = attrs.field(factory=dict)  # by `{Host}/{Navigation}`
    derived: dict[str, tuple[str, ...]] = attrs.field(factory=dict)  # entity type -> types derived from it

    def table(self, name: str) -> Table:
        """Any table: an entity set's, a singleton's or a containment's."""
        return self.tables.get(name) or self.singletons.get(name) or self.contained[name]

    def all_tables(self) -> list[Table]:
        """Every table, each host before the tables it contains."""
        return [*self.tables.values(), *self.singletons.values(), *self.contained.values()]

    def derives_from(self, type_name: str, base: str) -> bool:
        """Whether `type_name` is `base` or inherits from it."""
        return any(t.qualified_name == base for t in self._chain(type_name))

    def cast_view(self, table: Table, type_name: str) -> Table:
        """`table` seen as its derived type `type_name`: that type's columns, its name in messages."""
        if type_name == table.type_name or type_name not in table.subtypes:
            return table
        names = {p.name for p in self.properties(type_name)}
        added = {name: column for name, column in table.extra_columns.items() if name in names}
        return attrs.evolve(
            table,
            entity_type=self.structured[type_name],
            columns={**table.columns, **added},
            base_columns=table.base_columns or tuple(table.columns),
        )

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
    for entity_type in (t for t in structured.values() if t.kind == "entity"):
        for base in list(model._chain(entity_type.qualified_name))[:-1]:
            model.derived[base.qualified_name] = (
                *model.derived.get(base.qualified_name, ()),
                entity_type.qualified_name,
            )
    containers = document.containers()
    for entity_set in (entity_set for container in containers for entity_set in container.entity_sets):
        model.tables[entity_set.name] = _table(model, entity_set, "set")
    for singleton in (singleton for container in containers for singleton in container.singletons):
        if singleton.type in structured and singleton.name not in model.tables:
            entity_set = EntitySet(
                singleton.name, singleton.type, singleton.location, insertable=False, deletable=False
            )
            table = _table(model, entity_set, "singleton")
            if _storable(table):
                model.singletons[singleton.name] = table
    hosts = [*model.tables.values(), *model.singletons.values()]
    for _ in range(MAX_CONTAINMENT_DEPTH):
        hosts = [contained for host in hosts for contained in _contain(model, host)]
    for table in model.all_tables():
        for nav in model.navigation_properties(table.type_name):
            if nav.name in table.navigations:
                continue  # a containment, joined already
            found = _navigation(model, table, nav)
            if found is not None:
                table.navigations[nav.name] = found
    return model


def parent_column(key: str) -> str:
    """The hidden column of a contained table holding its host's key property `key` (not a CSDL name)."""
    return f"@parent/{key}"


def _table(model: Model, entity_set: EntitySet, kind: str, host: Table | None = None) -> Table:
    entity_type = model.structured[entity_set.entity_type]
    key = _key(model, entity_type)
    columns = {}
    for prop in model.properties(entity_type.qualified_name):
        type_kind, edm = model.classify(prop.type)
        if edm == "Edm.Stream":
            continue  # media streams are not part of the entity's JSON
        editable = not (
            prop.doc.computed
            or prop.doc.immutable
            or prop.name in key
            or prop.name in entity_set.non_updatable_properties
        )
        columns[prop.name] = Column(prop.name, prop, type_kind, edm, editable)
    parents = tuple(parent_column(k) for k in host.key) if host is not None else ()
    host_name = host.name if host is not None else None
    subtypes = model.derived.get(entity_type.qualified_name, ())
    extra: dict[str, Column] = {}
    taken = {name.lower() for name in columns}  # SQLite column names ignore case (Graph's WiFi and Wifi)
    for subtype in subtypes:
        for prop in model.properties(subtype):
            type_kind, edm = model.classify(prop.type)
            if prop.name.lower() not in taken and edm != "Edm.Stream":
                taken.add(prop.name.lower())
                editable = not (prop.doc.computed or prop.doc.immutable)
                extra[prop.name] = Column(prop.name, prop, type_kind, edm, editable)
    return Table(entity_set.name, entity_set, entity_type, key, columns, {}, kind, host_name, parents, subtypes, extra)


def _storable(table: Table) -> bool:
    """Whether a table can hold rows that paths find: a key of plain properties, or a singleton (whose type
    need not declare a key, Graph's `admin`: its one row is found without)."""
    if not table.key:
        return table.kind == "singleton"
    return all(k in table.columns for k in table.key)


def _contain(model: Model, host: Table) -> list[Table]:
    """The tables of `host`'s containment navigations, joined to it already."""
    made = []
    for nav in model.navigation_properties(host.type_name):
        if not nav.contains_target or nav.type.name not in model.structured:
            continue
        name = f"{host.name}/{nav.name}"
        table = _table(model, EntitySet(name, nav.type.name, nav.location), "contained", host)
        if not host.key or not _storable(host) or not _storable(table):
            continue
        model.contained[name] = table
        host.navigations[nav.name] = Navigation(
            nav.name,
            name,
            nav.type.collection,
            nav.nullable,
            source_columns=host.key,
            target_columns=table.parent_columns,
        )
        made.append(table)
    return made


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
    target = model.tables.get(target_name.rsplit("/", 1)[-1]) or model.singletons.get(target_name.rsplit("/", 1)[-1])
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
    target = model.table(navigation.target)
    return [f"s_{k}" for k in source.key], [f"t_{k}" for k in target.key]


def create_tables(connection: sqlite3.Connection, model: Model) -> None:
    for table in model.all_tables():
        columns = [
            f"{quote(c.name)} {c.sql_type}" + ("" if c.nullable else " NOT NULL") for c in table.columns.values()
        ]
        columns += [f"{quote(c.name)} {c.sql_type}" for c in table.extra_columns.values()]  # null in other types
        if table.host is not None:
            host = model.table(table.host)
            columns += [f"{quote(parent_column(k))} {host.columns[k].sql_type} NOT NULL" for k in host.key]
        if table.subtypes:
            columns.append(f"{quote(TYPE_COLUMN)} TEXT NOT NULL")
        if not columns:
            columns.append(f"{quote(ROW_COLUMN)} INTEGER")  # a type without properties: SQL needs a column
        key = f", PRIMARY KEY ({', '.join(quote(k) for k in table.key)})" if table.key else ""
        connection.execute(f"CREATE TABLE {quote(table.name)} ({', '.join(columns)}{key})")
    for table in model.all_tables():
        for nav in table.navigations.values():
            if nav.link_table is None:
                _index(connection, table, nav.source_columns)
                _index(connection, model.table(nav.target), nav.target_columns)
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
