"""The sandbox's database: one SQLite connection (in memory, or a file), shared by all requests under a lock.

Reads build one SELECT per entity set touched: the page itself (filter, search, order, limit and offset,
with the key as the last sort column so that paging is stable), then one batched query per expanded
navigation, with the expand's own options, for all parents of the page at once. A `Scope` narrows a read
to the rows a resource path reaches (`People('x')/Trips`: the trips whose host is that person).
`page_json` reads a page whose shape allows it as JSON text SQLite writes (see `jsonrows`), with one SELECT
built once per query shape.
"""

from __future__ import annotations

import itertools
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from .codec import to_sql
from .errors import ODataFailure
from .filters import Translator
from .jsonrows import EntitySql, entity_sql, order_sql, where_sql
from .limits import MAX_EXPANDED_RECORDS
from .options import ExpandItem, QueryOptions
from .schema import TYPE_COLUMN, Model, Navigation, Table, create_tables, link_columns, quote
from .seed import SeedData
from .sqlfuncs import register

__all__ = ["EVERYTHING", "NOTHING", "Record", "Scope", "Store", "key_scope", "navigation_scope", "type_scope"]

_CHUNK = 500
_MAX_SHAPES = 256  # query shapes whose SQL is kept


class _Budget:
    """Entities that may still be expanded into one response: `$expand=Children($expand=Parent($expand=
    Children(...)))` copies every level into each parent, so the count grows by a factor at each level."""

    def __init__(self, allowed: int = MAX_EXPANDED_RECORDS) -> None:
        self.left = allowed

    def spend(self) -> None:
        self.left -= 1
        if self.left < 0:
            raise ODataFailure(
                400,
                f"The $expand would put more than {MAX_EXPANDED_RECORDS} entities into one response;"
                " expand less, or ask for smaller pages.",
                target="$expand",
            )


@attrs.frozen
class Scope:
    """A condition on a table's rows, as SQL over the alias `t0`, with its parameters."""

    sql: str = "1"
    parameters: tuple[Any, ...] = ()

    def also(self, other: Scope) -> Scope:
        return Scope(f"({self.sql}) AND ({other.sql})", (*self.parameters, *other.parameters))


EVERYTHING = Scope()
NOTHING = Scope("0")


@attrs.define
class Record:
    """One entity as stored, with the navigations expanded into it."""

    table: Table
    values: dict[str, Any]
    expanded: dict[str, Record | list[Record] | None] = attrs.field(factory=dict)
    counts: dict[str, int] = attrs.field(factory=dict)

    @property
    def key(self) -> tuple[Any, ...]:
        return tuple(self.values[k] for k in self.table.key)


class Store:
    def __init__(self, model: Model, data: SeedData, path: Path | None = None) -> None:
        self.model = model
        self.lock = threading.RLock()
        target = ":memory:" if path is None else str(path)
        self.connection = sqlite3.connect(target, check_same_thread=False, isolation_level=None)
        self.connection.row_factory = sqlite3.Row
        register(self.connection)
        self._shapes: OrderedDict[tuple[str, ...], EntitySql | None] = OrderedDict()
        with self.lock:
            self.connection.execute("BEGIN")
            create_tables(self.connection, model)
            self._insert(data)
            self.connection.execute("COMMIT")

    def close(self) -> None:
        with self.lock:
            self.connection.close()

    def _insert(self, data: SeedData) -> None:
        for name, rows in data.rows.items():
            table = self.model.table(name)
            columns = {**table.columns, **table.extra_columns}
            names = table.sql_columns
            sql = (
                f"INSERT INTO {quote(name)} ({', '.join(quote(c) for c in names)}) "
                f"VALUES ({', '.join('?' for _ in names)})"
            )
            values = ([to_sql(columns[n], row[n]) if n in columns else row[n] for n in names] for row in rows)
            if not names:  # a singleton of a type without properties
                sql, values = f"INSERT INTO {quote(name)} DEFAULT VALUES", ([] for _ in rows)
            self.connection.executemany(sql, values)
        for link, pairs in data.links.items():
            if pairs:
                marks = ", ".join("?" for _ in pairs[0])
                self.connection.executemany(f"INSERT INTO {quote(link)} VALUES ({marks})", pairs)

    def execute(self, sql: str, parameters: Sequence[Any] = ()) -> list[dict[str, Any]]:
        """Run any SQL (for tests and tools); rows as dicts of stored values."""
        with self.lock:
            return [dict(row) for row in self.connection.execute(sql, parameters)]

    # --- reading ------------------------------------------------------------------------------------------

    def page(
        self, table: Table, options: QueryOptions, *, offset: int, limit: int, scope: Scope = EVERYTHING
    ) -> tuple[list[Record], bool]:
        """Up to `limit` entities (within `scope`) from `offset` on, and whether more follow."""
        aliases = itertools.count(1)
        translator = Translator(self.model, table, "t0", aliases)
        where = where_sql(translator, options)
        order = order_sql(translator, options, "t0")
        sql = (
            f"SELECT {quote('t0')}.* FROM {quote(table.name)} AS {quote('t0')} WHERE ({scope.sql}) AND {where} "
            f"ORDER BY {order} LIMIT ? OFFSET ?"
        )
        with self.lock:
            rows = self._run(sql, (*scope.parameters, limit + 1, offset))
            records = [Record(table, row) for row in rows[:limit]]
            self.expand(table, records, options.expand, _Budget())
        return records, len(rows) > limit

    def page_json(
        self, table: Table, options: QueryOptions, *, offset: int, limit: int, scope: Scope = EVERYTHING
    ) -> tuple[list[str], bool] | None:
        """`page`, each entity as its finished OData JSON text written by SQLite (see `jsonrows`); None when
        the shape is one only `page` and `entities.entity_json` serve."""
        built = self._page_sql(table, options, scope)
        if built is None or limit * built.expanded > MAX_EXPANDED_RECORDS:
            return None  # the Python path counts what is really expanded, and refuses past the limit
        with self.lock:
            rows = self._run(built.sql, (*scope.parameters, limit + 1, offset), plain=True)
        return [row[0] for row in rows[:limit]], len(rows) > limit

    def _page_sql(self, table: Table, options: QueryOptions, scope: Scope) -> EntitySql | None:
        """The page's SELECT, built once per query shape: what changes from page to page (the top-level
        `$top`, `$skip`, `$skiptoken`; `$count` is a query of its own) is left out of the key, and the
        offset and limit are parameters. The cache is bounded: a client making up filters cannot fill it."""
        shape = attrs.evolve(options, top=None, skip=0, count=False, skiptoken=0)
        key = (table.name, table.type_name, scope.sql, repr(shape))
        with self.lock:
            if key in self._shapes:
                self._shapes.move_to_end(key)
                return self._shapes[key]
        aliases = itertools.count(1)
        translator = Translator(self.model, table, "t0", aliases)  # first: its errors are the ones `page` gives
        where, order = where_sql(translator, shape), order_sql(translator, shape, "t0")
        entity = entity_sql(self.model, table, "t0", shape, aliases)
        built = None
        if entity is not None:
            sql = (
                f"SELECT {entity.sql} FROM {quote(table.name)} AS {quote('t0')} WHERE ({scope.sql}) AND {where} "
                f"ORDER BY {order} LIMIT ? OFFSET ?"
            )
            built = EntitySql(sql, entity.expanded)
        with self.lock:
            self._shapes[key] = built
            if len(self._shapes) > _MAX_SHAPES:
                self._shapes.popitem(last=False)
        return built

    def count(self, table: Table, options: QueryOptions, scope: Scope = EVERYTHING) -> int:
        translator = Translator(self.model, table, "t0")
        where = where_sql(translator, options)
        sql = f"SELECT COUNT(*) AS n FROM {quote(table.name)} AS {quote('t0')} WHERE ({scope.sql}) AND {where}"
        with self.lock:
            rows = self._run(sql, scope.parameters)
        return int(rows[0]["n"])

    def get(
        self, table: Table, key: tuple[Any, ...], options: QueryOptions | None = None, scope: Scope = EVERYTHING
    ) -> Record | None:
        """The entity with `key` within `scope`, or None."""
        return self.first(table, options, key_scope(table, key).also(scope))

    def first(self, table: Table, options: QueryOptions | None = None, scope: Scope = EVERYTHING) -> Record | None:
        """The first entity (in key order) within `scope`, with `options`' expands, or None."""
        order = ", ".join(f"{quote('t0')}.{quote(k)}" for k in table.key) or "1"
        sql = f"SELECT {quote('t0')}.* FROM {quote(table.name)} AS {quote('t0')} WHERE {scope.sql} ORDER BY {order}"
        with self.lock:
            rows = self._run(sql + " LIMIT 1", scope.parameters)
            if not rows:
                return None
            record = Record(table, rows[0])
            if options is not None:
                self.expand(table, [record], options.expand, _Budget())
        return record

    def update(self, table: Table, key: tuple[Any, ...], changes: dict[str, Any]) -> bool:
        """Store `changes` (checked wire values) in the entity with `key`; False when there is none."""
        if not changes:
            return self.get(table, key) is not None
        if not table.key and table.kind != "singleton":
            raise ODataFailure(400, f"The entities of {table.name} have no key; they cannot be changed.")
        assignments = ", ".join(f"{quote(name)} = ?" for name in changes)
        values = [to_sql(table.columns[name], value) for name, value in changes.items()]
        where = " AND ".join(f"{quote(k)} = ?" for k in table.key) or "1"  # a keyless singleton's one row
        with self.lock:
            cursor = self.connection.execute(
                f"UPDATE {quote(table.name)} SET {assignments} WHERE {where}", (*values, *key)
            )
            return cursor.rowcount > 0

    def _run(self, sql: str, parameters: Sequence[Any], *, plain: bool = False) -> list[Any]:
        """The rows as dicts of stored values; with `plain`, as the tuples SQLite gives."""
        try:
            cursor = self.connection.cursor()
            if plain:
                cursor.row_factory = None
                return cursor.execute(sql, parameters).fetchall()
            return [dict(row) for row in cursor.execute(sql, parameters)]
        except sqlite3.OperationalError as error:
            raise ODataFailure(400, f"The query cannot be evaluated: {error}.") from None
        except sqlite3.Error as error:  # a user function raising, for example
            raise ODataFailure(400, f"The query cannot be evaluated: {error}.") from None
        except OverflowError:  # a parameter beyond SQLite's 64-bit integers
            raise ODataFailure(400, "The query holds a number too large for the sandbox's database.") from None

    # --- $expand ------------------------------------------------------------------------------------------

    def expand(
        self, table: Table, records: list[Record], items: tuple[ExpandItem, ...], budget: _Budget | None = None
    ) -> None:
        budget = budget or _Budget()
        for item in _resolve_star(table, items):
            navigation = table.navigations.get(item.navigation)
            if navigation is None:
                raise ODataFailure(
                    400,
                    f"Could not find a navigation property named '{item.navigation}' on type '{table.type_name}'.",
                    target="$expand",
                )
            self._expand_one(table, navigation, records, item.options, budget)

    def _expand_one(
        self, table: Table, navigation: Navigation, records: list[Record], options: QueryOptions, budget: _Budget
    ) -> None:
        target = self.model.table(navigation.target)
        if navigation.link_table is None:
            source_columns, group_columns = navigation.source_columns, list(navigation.target_columns)
        else:
            sources, _ = link_columns(self.model, navigation, table)
            source_columns, group_columns = table.key, [f"__s{i}" for i in range(len(sources))]
        parents: dict[tuple[Any, ...], list[Record]] = {}
        for record in records:
            key = tuple(record.values[c] for c in source_columns)
            if navigation.collection:
                record.expanded[navigation.name] = []
            else:
                record.expanded[navigation.name] = None
            if all(part is not None for part in key):
                parents.setdefault(key, []).append(record)
        children: list[Record] = []
        for chunk in _chunks(list(parents), _CHUNK):
            for row in self._related(table, navigation, target, chunk, options):
                group = tuple(row.pop(c) if c.startswith("__s") else row[c] for c in group_columns)
                for parent in parents.get(group, ()):
                    budget.spend()
                    child = Record(target, dict(row))
                    children.append(child)
                    slot = parent.expanded[navigation.name]
                    if isinstance(slot, list):
                        slot.append(child)
                    elif slot is None:
                        parent.expanded[navigation.name] = child
        if navigation.collection:
            for record in records:
                slot = record.expanded[navigation.name]
                assert isinstance(slot, list)
                if options.count:
                    record.counts[navigation.name] = len(slot)
                end = None if options.top is None else options.skip + options.top
                record.expanded[navigation.name] = slot[options.skip : end]
        if options.expand and children:
            self.expand(target, children, options.expand, budget)

    def _related(
        self, table: Table, navigation: Navigation, target: Table, keys: list[tuple[Any, ...]], options: QueryOptions
    ) -> Iterator[dict[str, Any]]:
        aliases = itertools.count(1)
        translator = Translator(self.model, target, "c0", aliases)
        where = where_sql(translator, options)
        order = order_sql(translator, options, "c0")
        if navigation.link_table is None:
            columns = navigation.target_columns
            match = _in(["c0." + quote(c) for c in columns], keys)
            sql = f"SELECT {quote('c0')}.* FROM {quote(target.name)} AS {quote('c0')} WHERE {match} AND {where}"
        else:
            sources, targets = link_columns(self.model, navigation, table)
            picks = ", ".join(f"{quote('l0')}.{quote(s)} AS {quote(f'__s{i}')}" for i, s in enumerate(sources))
            on = " AND ".join(f"c0.{quote(k)} = l0.{quote(t)}" for k, t in zip(target.key, targets))
            match = _in([f"l0.{quote(s)}" for s in sources], keys)
            sql = (
                f"SELECT {picks}, {quote('c0')}.* FROM {quote(navigation.link_table)} AS {quote('l0')} "
                f"JOIN {quote(target.name)} AS {quote('c0')} ON {on} WHERE {match} AND {where}"
            )
        yield from self._run(f"{sql} ORDER BY {order}", [part for key in keys for part in key])


def key_scope(table: Table, key: tuple[Any, ...]) -> Scope:
    """The entity of `table` with `key`; a keyless singleton's one row."""
    if not table.key:
        return EVERYTHING if table.kind == "singleton" else NOTHING
    return Scope(" AND ".join(f"{quote('t0')}.{quote(k)} = ?" for k in table.key), key)


def type_scope(model: Model, table: Table, type_name: str) -> Scope:
    """The rows of `table` whose type is `type_name` or derives from it."""
    if model.derives_from(table.type_name, type_name):
        return EVERYTHING
    if type_name not in table.subtypes:
        return NOTHING
    types = (type_name, *model.derived.get(type_name, ()))
    return Scope(f"{quote('t0')}.{quote(TYPE_COLUMN)} IN ({', '.join('?' for _ in types)})", types)


def navigation_scope(model: Model, navigation: Navigation, source: Record) -> Scope:
    """The targets of `navigation` from the entity `source`."""
    if navigation.link_table is None:
        values = tuple(source.values.get(c) for c in navigation.source_columns)
        if any(value is None for value in values):
            return NOTHING
        condition = " AND ".join(f"{quote('t0')}.{quote(c)} = ?" for c in navigation.target_columns)
        return Scope(condition, values)
    sources, targets = link_columns(model, navigation, source.table)
    target = model.table(navigation.target)
    on = [f"{quote('nav_link')}.{quote(t)} = {quote('t0')}.{quote(k)}" for t, k in zip(targets, target.key)]
    on += [f"{quote('nav_link')}.{quote(s)} = ?" for s in sources]
    exists = f"EXISTS (SELECT 1 FROM {quote(navigation.link_table)} AS {quote('nav_link')} WHERE {' AND '.join(on)})"
    return Scope(exists, source.key)


def _resolve_star(table: Table, items: tuple[ExpandItem, ...]) -> list[ExpandItem]:
    result: list[ExpandItem] = []
    for item in items:
        if item.navigation == "*":
            result += [ExpandItem(name, item.options) for name in table.navigations]
        else:
            result.append(item)
    return result


def _in(columns: list[str], keys: list[tuple[Any, ...]]) -> str:
    if len(columns) == 1:
        return f"{columns[0]} IN ({', '.join('?' for _ in keys)})"
    row = "(" + ", ".join("?" for _ in columns) + ")"
    return f"({', '.join(columns)}) IN (VALUES {', '.join(row for _ in keys)})"


def _chunks(items: list[Any], size: int) -> Iterator[list[Any]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]
