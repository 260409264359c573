"""Resource paths below the service root, resolved against the model segment by segment (OData URL
conventions, `resourcePath` in the ABNF): entity sets and singletons, key predicates, navigation (containment
too), type casts, `$count`, and bound or imported operations.

    People                          Rows          People('x')/Trips(3)       Single
    People('x')                     Single        People/NS.Employee         Rows (cast)
    Me                              Single        Products/NS.Discount       Call (bound to the collection)
    People('x')/Trips               Rows          GetNearestAirport(lat=1,lon=2)   Call (an import)
    People('x')/HomeAddress/NS.Op   Call (bound to the complex value, `Value`, through its properties and casts)

Entities a path passes through (`People('x')` in `People('x')/Trips`) are read on the way, so that a missing
one is a 404 and a navigation can join from its values. A cast to a derived type keeps the rows of that type
(or types derived from it) and sees the properties it adds; an entity of another type is a 404.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import attrs

from ..csdl.model import Operation
from .codec import from_sql
from .errors import ODataFailure
from .limits import unquoted
from .operations import find_bound, find_import, qualified
from .options import split_top
from .resources import parse_key
from .schema import Model, Table
from .store import EVERYTHING, Scope, Store, key_scope, navigation_scope, type_scope

__all__ = ["Call", "Count", "Rows", "Single", "Target", "Value", "resolve"]

MAX_SEGMENTS = 32
_MAX_NAME_CHARS = 511  # a namespace (511) or simple identifier (128), per CSDL
_UNSERVED = ("$ref", "$value", "$each", "$filter", "$all", "$crossjoin", "$entity", "$batch")


@attrs.frozen
class Rows:
    """A collection of entities: the rows of `table` within `scope`."""

    table: Table
    scope: Scope
    context: str  # what follows `$metadata#` in a response's context URL
    type_name: str
    path: str = ""  # how the request reached it, when that is not `context`


@attrs.frozen
class Single:
    """One entity (or none): the first row of `table` within `scope`."""

    table: Table
    scope: Scope
    context: str
    path: str  # the entity's canonical path, which the context URLs of what follows it start with
    type_name: str
    navigation: bool = False  # reached by a single-valued navigation, where null is an answer (204)
    singleton: bool = False  # its context URL has no `/$entity`


@attrs.frozen
class Value:
    """A complex-typed property of an entity (`People('x')/HomeAddress`, `.../Info/Address`, a cast of one), which
    only operations bound to complex types are served on; `value` is its stored JSON (a list when `collection`)."""

    value: Any
    type_name: str
    collection: bool
    path: str


@attrs.frozen
class Count:
    rows: Rows


@attrs.frozen
class Call:
    """An operation to invoke; `arguments` holds a function's parameters as written in the URL."""

    operation: Operation
    binding: Rows | Single | Value | None
    arguments: Mapping[str, str] | None


Target = Rows | Single | Count | Call


@attrs.frozen
class _Segment:
    name: str
    parens: str | None  # the text between the parentheses, None without any

    def __str__(self) -> str:
        return self.name if self.parens is None else f"{self.name}({self.parens})"


def resolve(model: Model, store: Store, path: str, aliases: Mapping[str, str]) -> Target:
    """What `path` (below the service root, no leading `/`) addresses; a 4xx naming the segment if nothing."""
    segments = _segments(path)
    target: Target | Value = _root(model, segments[0], aliases)
    for segment in segments[1:]:
        if isinstance(target, (Count, Call)):
            what = "$count" if isinstance(target, Count) else f"the operation {target.operation.qualified_name}"
            status = 400 if isinstance(target, Count) else 501  # composing functions is valid OData
            raise ODataFailure(status, f"Nothing can follow {what} here (found '{segment}').")
        if isinstance(target, Rows):
            target = _after_rows(model, target, segment, aliases)
        elif isinstance(target, Value):
            target = _after_value(model, target, segment)
        else:
            target = _after_single(model, store, target, segment, aliases)
    if isinstance(target, Value):
        raise ODataFailure(501, f"Property paths ({target.path}) are not served by the sandbox.", target=target.path)
    return target


def _segments(path: str) -> list[_Segment]:
    texts = split_top(path.removesuffix("/"), "/")
    if len(texts) > MAX_SEGMENTS:
        raise ODataFailure(400, f"The resource path has more than {MAX_SEGMENTS} segments.")
    return [_segment(text) for text in texts]


def _segment(text: str) -> _Segment:
    opening = next((index for index, char in unquoted(text) if char == "("), None)
    name = text if opening is None else text[:opening]
    if not _is_name(name):
        raise ODataFailure(400, f"The path segment {text!r} is not a name, a key or an operation call.")
    if opening is None:
        return _Segment(name, None)
    depth = 0
    for index, char in unquoted(text[opening:]):
        depth += {"(": 1, ")": -1}.get(char, 0)
        if depth == 0 and index != len(text) - opening - 1:
            raise ODataFailure(400, f"The path segment {text!r} has text after its closing parenthesis.")
    return _Segment(name, text[opening + 1 : -1])


def _is_name(name: str) -> bool:
    if name.startswith("$"):
        return name[1:].isidentifier()
    parts = name.split(".")
    return 0 < len(name) <= _MAX_NAME_CHARS and all(part.isidentifier() for part in parts)


def _root(model: Model, segment: _Segment, aliases: Mapping[str, str]) -> Target:
    name = segment.name
    table = model.tables.get(name)
    if table is not None:
        rows = Rows(table, EVERYTHING, name, table.type_name)
        return rows if segment.parens is None else _keyed(rows, segment.parens, aliases)
    singleton = model.singletons.get(name)
    if singleton is not None:
        if segment.parens is not None:
            raise ODataFailure(400, f"The singleton {name} takes no key predicate.", target=name)
        return Single(singleton, EVERYTHING, name, name, singleton.type_name, singleton=True)
    arguments = _arguments(segment)
    operation = find_import(model, name, arguments)
    if operation is not None:
        return Call(operation, None, arguments)
    raise ODataFailure(404, f"Resource not found for the segment '{name}'.", target=name)


def _keyed(rows: Rows, text: str, aliases: Mapping[str, str]) -> Single:
    key = parse_key(rows.table, text, aliases)
    path = f"{rows.path or rows.context}({key_text(rows.table, key)})"
    scope = rows.scope.also(key_scope(rows.table, key))
    return Single(rows.table, scope, rows.context, path, rows.type_name)


def key_text(table: Table, key: tuple[Any, ...]) -> str:
    """A key predicate's text for stored key values: `'x'`, `1`, `OrderID=1,ProductID=2`."""
    texts = [_literal(table, name, value) for name, value in zip(table.key, key)]
    if len(texts) == 1:
        return texts[0]
    return ",".join(f"{name}={text}" for name, text in zip(table.key, texts))


def _literal(table: Table, name: str, value: Any) -> str:
    column = table.columns[name]
    if isinstance(value, str) and (column.edm == "Edm.String" or column.kind == "enum"):
        return "'" + value.replace("'", "''") + "'"
    return str(value)


def _after_rows(model: Model, rows: Rows, segment: _Segment, aliases: Mapping[str, str]) -> Target:
    name = segment.name
    if name == "$count" and segment.parens is None:
        return Count(rows)
    _refuse_unserved(name)
    cast = _cast(model, rows.type_name, name)
    if cast is not None:
        scope = rows.scope.also(type_scope(model, rows.table, cast))
        view = model.cast_view(rows.table, cast)
        narrowed = Rows(view, scope, f"{rows.context}/{cast}", cast, rows.path and f"{rows.path}/{cast}")
        return narrowed if segment.parens is None else _keyed(narrowed, segment.parens, aliases)
    if name in rows.table.navigations or name in rows.table.columns:
        raise ODataFailure(400, f"'{name}' needs a single entity: give a key before it.", target=name)
    arguments = _arguments(segment)
    operation = find_bound(model, name, rows.type_name, True, arguments)
    return Call(operation, rows, arguments)


def _after_single(
    model: Model, store: Store, single: Single, segment: _Segment, aliases: Mapping[str, str]
) -> Target | Value:
    name = segment.name
    _refuse_unserved(name)
    record = store.first(single.table, None, single.scope)
    if record is None:
        raise ODataFailure(404, f"No entity {single.path} exists.", target=single.path)
    navigation = single.table.navigations.get(name)
    if navigation is not None:
        target = model.table(navigation.target)
        scope = navigation_scope(model, navigation, record)
        contained = target.kind == "contained"
        context = f"{single.path}/{name}" if contained else target.name
        if navigation.collection:
            rows = Rows(target, scope, context, target.type_name, f"{single.path}/{name}")
            return rows if segment.parens is None else _keyed(rows, segment.parens, aliases)
        if segment.parens is not None:
            raise ODataFailure(400, f"The navigation {name} is single-valued; it takes no key.", target=name)
        path = f"{single.path}/{name}"
        return Single(target, scope, context, path, target.type_name, True, target.kind == "singleton")
    cast = _cast(model, single.type_name, name)
    if cast is not None:
        if segment.parens is not None:
            raise ODataFailure(400, f"The type cast {name} takes no key here.", target=name)
        scope = single.scope.also(type_scope(model, single.table, cast))
        view = model.cast_view(single.table, cast)
        path = f"{single.path}/{cast}"
        context = f"{single.context}/{cast}"
        return Single(view, scope, context, path, cast, single.navigation, single.singleton)
    column = single.table.columns.get(name)
    if column is not None and segment.parens is None and column.edm in model.structured:
        stored = from_sql(column, record.values.get(name))
        return Value(stored, column.edm, column.kind == "collection", f"{single.path}/{name}")
    if column is not None:
        raise ODataFailure(501, f"Property paths ({single.path}/{name}) are not served by the sandbox.", target=name)
    if any(n.name == name for n in model.navigation_properties(single.type_name)):
        raise ODataFailure(501, f"No entity set holds the targets of the navigation {name}.", target=name)
    arguments = _arguments(segment)
    operation = find_bound(model, name, single.type_name, False, arguments)
    return Call(operation, single, arguments)


def _after_value(model: Model, value: Value, segment: _Segment) -> Target | Value:
    """A complex value's property, a cast of it, or an operation bound to its type (a collection of it)."""
    name = segment.name
    _refuse_unserved(name)
    prop = next((p for p in model.properties(value.type_name) if p.name == name), None)
    if prop is not None and not value.collection and segment.parens is None:
        kind, type_name = model.classify(prop.type)
        if type_name not in model.structured:
            raise ODataFailure(501, f"Property paths ({value.path}/{name}) are not served by the sandbox.", target=name)
        inner = value.value.get(name) if isinstance(value.value, dict) else None
        return Value(inner, type_name, kind == "collection", f"{value.path}/{name}")
    cast = _cast(model, value.type_name, name, "complex")
    if cast is not None:
        if segment.parens is not None:
            raise ODataFailure(400, f"The type cast {name} takes no key here.", target=name)
        return Value(value.value, cast, value.collection, f"{value.path}/{cast}")
    arguments = _arguments(segment)
    return Call(find_bound(model, name, value.type_name, value.collection, arguments), value, arguments)


def _cast(model: Model, current: str, name: str, kind: str = "entity") -> str | None:
    """The entity (or complex) type a type-cast segment names, or None when `name` is no type; a 400 for a
    type the current one is neither derived from nor a base of."""
    type_name = qualified(model, name)
    found = model.structured.get(type_name)
    if found is None or "." not in name:
        return None
    if found.kind != kind or not (model.derives_from(type_name, current) or model.derives_from(current, type_name)):
        raise ODataFailure(400, f"{name} is not a type derived from {current}.", target=name)
    return type_name


def _refuse_unserved(name: str) -> None:
    if name in _UNSERVED:
        raise ODataFailure(501, f"The path segment {name} is not supported by the sandbox.", target=name)
    if name.startswith("$"):
        raise ODataFailure(400, f"The path segment {name} is not part of OData here.", target=name)


def _arguments(segment: _Segment) -> dict[str, str] | None:
    """A function call's parameters (`(lat=1,lon=@x)`) as written, None when the segment has no parentheses."""
    if segment.parens is None:
        return None
    arguments: dict[str, str] = {}
    if not segment.parens.strip():
        return arguments
    for part in split_top(segment.parens, ","):
        name, equals, value = part.partition("=")
        name = name.strip()
        if not equals or not name.isidentifier():
            raise ODataFailure(400, f"The parameter {part.strip()!r} of {segment.name} is not name=value.")
        if name in arguments:
            raise ODataFailure(400, f"The parameter {name} of {segment.name} is given twice.", target=name)
        arguments[name] = value.strip()
    return arguments
