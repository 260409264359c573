"""Records -> OData JSON (minimal metadata), with `$select` applied, and the `@odata.context` URLs.

Properties come in the order the CSDL declares them, then the expanded navigations (each preceded by its
`@odata.count` when the expand asked for one). An entity of a type derived from its table's has
`@odata.type` and the properties its type adds. Complex values are written as stored: declared and dynamic
properties alike. An entity set declaring `Core.OptimisticConcurrency` gets `@odata.etag` on each entity.
"""

from __future__ import annotations

import hashlib
from typing import Any

from .codec import from_sql
from .errors import ODataFailure
from .options import QueryOptions
from .schema import TYPE_COLUMN, Column, Model, Table
from .store import Record

__all__ = ["check_select", "context_url", "entity_json", "etag"]

_Selection = dict[str, list[tuple[str, ...]] | None]


def check_select(model: Model, table: Table, options: QueryOptions) -> None:
    """A 400 for a `$select` or `$expand` naming something the type does not have (recursively)."""
    _selection(model, table, options.select)
    for item in options.expand:
        if item.navigation == "*":
            continue
        navigation = table.navigations.get(item.navigation)
        if navigation is None:
            raise ODataFailure(
                400,
                f"Could not find a navigation property named '{item.navigation}' on type '{table.type_name}'.",
                target="$expand",
            )
        target = model.table(navigation.target)
        if not navigation.collection:
            for name in ("orderby", "top", "skip", "count"):
                if _given(item.options, name):
                    message = f"${name} cannot be applied to the single-valued navigation {item.navigation}."
                    raise ODataFailure(400, message, target=f"${name}")
        check_select(model, target, item.options)


def _given(options: QueryOptions, name: str) -> bool:
    default = QueryOptions()
    return bool(getattr(options, name) != getattr(default, name))


def _selection(model: Model, table: Table, select: tuple[tuple[str, ...], ...] | None) -> _Selection | None:
    if select is None:
        return None
    chosen: _Selection = {}
    for path in select:
        head, rest = path[0], path[1:]
        column = table.columns.get(head)
        if column is None:
            if head in table.navigations and not rest:
                continue  # selecting a navigation property adds nothing in minimal metadata
            raise ODataFailure(
                400, f"Could not find a property named '{head}' on type '{table.type_name}'.", target="$select"
            )
        if rest:
            if column.kind != "complex":
                raise ODataFailure(400, f"$select: '{head}' has no property '{rest[0]}'.", target="$select")
            _check_complex_path(model, column.edm, rest)
            existing = chosen.get(head, [])
            if existing is not None:
                chosen[head] = [*existing, rest]
        else:
            chosen[head] = None
    return chosen


def _check_complex_path(model: Model, type_name: str | None, path: tuple[str, ...]) -> None:
    for index, name in enumerate(path):
        if type_name is None:
            return  # below a dynamic property: anything goes
        declared = {p.name: p for p in model.properties(type_name)}
        prop = declared.get(name)
        if prop is None:
            if model.is_open(type_name):
                return
            raise ODataFailure(400, f"$select: {type_name} has no property '{name}'.", target="$select")
        kind, resolved = model.classify(prop.type)
        if kind != "complex" and index < len(path) - 1:
            raise ODataFailure(400, f"$select: '{name}' has no property '{path[index + 1]}'.", target="$select")
        type_name = resolved if kind == "complex" else None


def _project(value: Any, paths: list[tuple[str, ...]]) -> Any:
    if not isinstance(value, dict):
        return value
    result: dict[str, Any] = {}
    for path in paths:
        head, rest = path[0], path[1:]
        if head not in value:
            continue
        if not rest:
            result[head] = value[head]
        else:
            inner = _project(value[head], [rest])
            current = result.get(head)
            result[head] = {**current, **inner} if isinstance(current, dict) and isinstance(inner, dict) else inner
    return result


def etag(record: Record) -> str | None:
    names = record.table.entity_set.concurrency_properties
    if not names:
        return None
    digest = hashlib.sha256(repr([record.values.get(n) for n in names]).encode("utf-8")).hexdigest()[:16]
    return f'W/"{digest}"'


def entity_json(model: Model, record: Record, options: QueryOptions) -> dict[str, Any]:
    selection = _selection(model, record.table, options.select)
    result: dict[str, Any] = {}
    type_name = record.values.get(TYPE_COLUMN) or record.table.type_name
    if type_name != record.table.type_name:
        result["@odata.type"] = f"#{type_name}"
    tag = etag(record)
    if tag is not None:
        result["@odata.etag"] = tag
    for name, column in _columns(model, record.table, type_name).items():
        if selection is not None and name not in selection:
            continue
        value = from_sql(column, record.values.get(name))
        paths = selection.get(name) if selection is not None else None
        result[name] = _project(value, paths) if paths else value
    items = {item.navigation: item.options for item in options.expand}
    for name, expanded in record.expanded.items():
        child_options = items.get(name, items.get("*", QueryOptions()))
        if name in record.counts:
            result[f"{name}@odata.count"] = record.counts[name]
        if isinstance(expanded, list):
            result[name] = [entity_json(model, child, child_options) for child in expanded]
        else:
            result[name] = None if expanded is None else entity_json(model, expanded, child_options)
    return result


def _columns(model: Model, table: Table, type_name: str) -> dict[str, Column]:
    """The columns an entity of `type_name` in `table` shows: the table's, and those its type adds."""
    if type_name == table.type_name or not table.extra_columns:
        return table.columns
    names = {p.name for p in model.properties(type_name)}
    added = {n: c for n, c in table.extra_columns.items() if n in names and n not in table.columns}
    return {**table.columns, **added}


def context_url(
    model: Model,
    service_root: str,
    table: Table,
    options: QueryOptions,
    *,
    entity: bool = False,
    path: str | None = None,
) -> str:
    """`{root}$metadata#Leads(Id,Prospect(FirstName))[/$entity]` for the selected and expanded shape; `path`
    replaces the table's name (`People('x')/Trips` for a containment)."""
    projection = _projection(model, table, options, top=True)
    return f"{service_root}$metadata#{path or table.name}{projection}{'/$entity' if entity else ''}"


def _projection(model: Model, table: Table, options: QueryOptions, *, top: bool) -> str:
    parts = ["/".join(path) for path in options.select or ()]
    for item in options.expand:
        names = list(table.navigations) if item.navigation == "*" else [item.navigation]
        for name in names:
            target = model.table(table.navigations[name].target)
            parts.append(name + _projection(model, target, item.options, top=False))
    if not parts:
        return "" if top else "()"
    return "(" + ",".join(parts) + ")"
