"""Entities as OData JSON text built by SQLite: one SELECT per query shape yields each entity's finished JSON.

Writing a page through Python objects (a dict per row, a converted value per cell, then a JSON writer) costs
far more than reading it; here SQLite writes each entity's object itself, concatenating the pre-quoted
member names with each column written in its wire form (`json_quote` for text and integers, the stored
digits of an `Edm.Decimal` and the stored JSON of complex values checked by `json()`), and single-valued
expanded navigations as correlated subqueries written the same way. The result is what `entities.entity_json`
writes for the same record, member for member (tests/test_sandbox_jsonrows.py compares the two).

Only shapes whose JSON depends on nothing but columns are built here; `entity_sql` answers None for the rest
(derived types with `@odata.type`, ETags, `$select` of complex sub-properties, collection-valued or `*`
expands, whose `$top`/`$skip`/`$count` and expansion budget the Python path applies), and the caller falls
back to that path.
"""

from __future__ import annotations

from collections.abc import Iterator
from json.encoder import encode_basestring

from .filters import Translator, sql_string
from .options import QueryOptions
from .schema import FLOAT_TYPES, Column, Model, Navigation, Table, link_columns, quote

__all__ = ["EntitySql", "entity_sql", "order_sql", "where_sql"]


def where_sql(translator: Translator, options: QueryOptions) -> str:
    """The condition of `options`' `$filter` and `$search` over the translator's alias ("1" for none)."""
    parts = []
    if options.filter is not None:
        parts.append(translator.condition(options.filter))
    if options.search is not None:
        parts.append(translator.search(options.search))
    return " AND ".join(parts) if parts else "1"


def order_sql(translator: Translator, options: QueryOptions, alias: str) -> str:
    """`options`' `$orderby`, then the key: a stable order for paging."""
    terms = [translator.order_term(item.expression) + (" DESC" if item.descending else "") for item in options.orderby]
    terms += [f"{quote(alias)}.{quote(k)}" for k in translator.root.table.key]
    return ", ".join(terms)


class EntitySql:
    """The SQL expression of one entity's JSON object, and how many entities each one expands into it."""

    def __init__(self, sql: str, expanded: int) -> None:
        self.sql = sql
        self.expanded = expanded  # single-valued navigations in the expand tree: entities added per row at most


def entity_sql(
    model: Model, table: Table, alias: str, options: QueryOptions, aliases: Iterator[int]
) -> EntitySql | None:
    """The JSON object text of the row of `table` at `alias`, shaped by `options`; None for a shape this module
    does not build (see the module text). `aliases` numbers the subqueries, shared with the translators."""
    if not _plain(table) or not _plain_options(table, options):
        return None
    chosen = None if options.select is None else {path[0] for path in options.select}
    members = [
        (name, _value_sql(column, f"{quote(alias)}.{quote(name)}"))
        for name, column in table.columns.items()
        if chosen is None or name in chosen
    ]
    expanded = 0
    for item in options.expand:
        navigation = table.navigations[item.navigation]
        inner = _navigation_sql(model, table, alias, navigation, item.options, aliases)
        if inner is None:
            return None
        members.append((navigation.name, inner.sql))
        expanded += 1 + inner.expanded
    return EntitySql(_object(members), expanded)


def _plain(table: Table) -> bool:
    """No member beyond the columns: no `@odata.type` (derived types) and no `@odata.etag`."""
    return not table.subtypes and not table.entity_set.concurrency_properties


def _plain_options(table: Table, options: QueryOptions) -> bool:
    if options.select is not None and any(len(path) > 1 for path in options.select):
        return False  # a complex sub-property: the Python path projects the stored JSON
    names = [item.navigation for item in options.expand]
    if len(set(names)) != len(names):
        return False  # the same navigation twice: the Python path decides which options win
    for name in names:
        navigation = table.navigations.get(name)
        if navigation is None or navigation.collection:
            return False  # `*`, an unknown name (the Python path's 400) or a collection
    return True


def _navigation_sql(
    model: Model, table: Table, alias: str, navigation: Navigation, options: QueryOptions, aliases: Iterator[int]
) -> EntitySql | None:
    """The JSON of a single-valued navigation's target (`null` when none): a correlated subquery."""
    target = model.table(navigation.target)
    child = f"e{next(aliases)}"
    inner = entity_sql(model, target, child, options, aliases)
    if inner is None:
        return None
    translator = Translator(model, target, child, aliases)
    where = where_sql(translator, options)
    order = order_sql(translator, options, child)
    source = f"{quote(target.name)} AS {quote(child)}"
    if navigation.link_table is None:
        pairs = zip(navigation.target_columns, navigation.source_columns)
        match = [f"{quote(child)}.{quote(t)} = {quote(alias)}.{quote(s)}" for t, s in pairs]
    else:
        link = f"l{next(aliases)}"
        sources, targets = link_columns(model, navigation, table)
        on = " AND ".join(f"{quote(child)}.{quote(k)} = {quote(link)}.{quote(t)}" for k, t in zip(target.key, targets))
        source = f"{quote(navigation.link_table)} AS {quote(link)} JOIN {source} ON {on}"
        match = [f"{quote(link)}.{quote(s)} = {quote(alias)}.{quote(k)}" for s, k in zip(sources, table.key)]
    # The first match in key order, as the Python path keeps the first child it reads for a single value.
    ordered = f" ORDER BY {order}" if order else ""  # a keyless singleton has one row, and no key to sort by
    sql = f"SELECT {inner.sql} FROM {source} WHERE {' AND '.join(match)} AND {where}{ordered} LIMIT 1"
    return EntitySql(f"coalesce(({sql}), 'null')", inner.expanded)


def _object(members: list[tuple[str, str]]) -> str:
    """`'{"A":' || a || ',"B":' || b || '}'`: member names JSON-quoted in Python, then SQL-quoted."""
    if not members:
        return "'{}'"
    parts = []
    for index, (name, value) in enumerate(members):
        prefix = ("{" if index == 0 else ",") + encode_basestring(name) + ":"
        parts += [sql_string(prefix), value]
    return " || ".join([*parts, "'}'"])


def _value_sql(column: Column, ref: str) -> str:
    """A stored value as its JSON text, as `codec.from_sql` then `jsonio.dumps` write it."""
    if column.kind in ("complex", "collection"):
        return f"coalesce(json({ref}), 'null')"
    if column.kind == "enum":
        return f"json_quote({ref})"
    edm = column.edm
    if edm == "Edm.Boolean":
        return f"CASE WHEN {ref} IS NULL THEN 'null' WHEN {ref} THEN 'true' ELSE 'false' END"
    if edm in FLOAT_TYPES:
        return f"odata_double_json({ref})"  # Python's shortest repr, and "NaN"/"INF" as OData writes them
    if edm == "Edm.Decimal" or edm.startswith(("Edm.Geography", "Edm.Geometry")) or edm == "Edm.Untyped":
        return f"coalesce(json({ref}), 'null')"  # stored as JSON text (a Decimal's digits); json() checks it
    return f"json_quote({ref})"
