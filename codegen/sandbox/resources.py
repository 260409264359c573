"""Resource paths below the service root: `Leads`, `Leads/$count`, `Leads(80001)`, `Leads(Id=80001)`.

Key values are OData literals, read by odata-query's parser and checked against the key's Edm type.
"""

from __future__ import annotations

from typing import Any

import attrs
from odata_query import ast

from .errors import ODataFailure
from .options import parse_expression, split_top
from .schema import INTEGER_RANGES, Model, Table

__all__ = ["Resource", "parse_resource"]


@attrs.frozen
class Resource:
    table: Table
    key: tuple[Any, ...] | None = None  # stored key values, in key order
    count: bool = False  # `/$count`
    rest: str = ""  # any further segments (navigation, operation): not served


_MAX_INTEGER_DIGITS = 20  # 2**64 has 20 digits


def parse_resource(model: Model, path: str) -> Resource:
    """The entity set, key and `$count` that `path` (below the service root, no leading `/`) addresses."""
    name_end = len(path)
    for index, char in enumerate(path):
        if char in "(/":
            name_end = index
            break
    name = path[:name_end]
    table = model.tables.get(name)
    if table is None:
        raise ODataFailure(404, f"Resource not found for the segment '{name}'.", target=name)
    remainder = path[name_end:]
    key = None
    if remainder.startswith("("):
        close = _closing(remainder)
        key = _key(table, remainder[1:close])
        remainder = remainder[close + 1 :]
    remainder = remainder.removeprefix("/")
    if remainder == "$count" and key is None:
        return Resource(table, count=True)
    return Resource(table, key, rest=remainder)


def _closing(text: str) -> int:
    quoted = False
    for index, char in enumerate(text):
        if char == "'":
            quoted = not quoted
        elif char == ")" and not quoted:
            return index
    raise ODataFailure(400, f"The key segment {text!r} is not closed.")


def _key(table: Table, text: str) -> tuple[Any, ...]:
    parts = [part.strip() for part in split_top(text, ",")]
    values: dict[str, str] = {}
    if len(parts) == 1 and "=" not in _unquoted(parts[0]):
        if len(table.key) != 1:
            raise ODataFailure(400, f"{table.name} has a composite key; name each part: ({', '.join(table.key)}).")
        values[table.key[0]] = parts[0]
    else:
        for part in parts:
            name, equals, literal = part.partition("=")
            if not equals or name.strip() not in table.key:
                raise ODataFailure(400, f"The key predicate ({text}) does not match the key of {table.name}.")
            values[name.strip()] = literal.strip()
    if set(values) != set(table.key):
        raise ODataFailure(400, f"The key predicate ({text}) does not give every key property of {table.name}.")
    return tuple(_literal(table, name, values[name]) for name in table.key)


def _unquoted(text: str) -> str:
    return text if not text.startswith("'") else ""


def _integer(node: ast._Node) -> int | None:
    """The value of an integer literal, or None; digits beyond any Edm integer are not even converted (int()
    refuses more than 4,300 digits)."""
    if isinstance(node, ast.Integer):
        if len(node.val.lstrip("0")) > _MAX_INTEGER_DIGITS:
            return None
        return int(node.val)
    if isinstance(node, ast.UnaryOp) and isinstance(node.op, ast.USub) and isinstance(node.operand, ast.Integer):
        value = _integer(node.operand)
        return None if value is None else -value
    return None


def _literal(table: Table, name: str, text: str) -> Any:
    column = table.columns[name]
    node = parse_expression(text, "key")
    edm = column.edm
    if edm in INTEGER_RANGES and isinstance(node, (ast.Integer, ast.UnaryOp)):
        number = _integer(node)
        low, high = INTEGER_RANGES[edm]
        if number is not None and low <= number <= high:
            return number
        raise ODataFailure(400, f"The key value {text!r} is not a valid {edm} literal for {table.name}.{name}.")
    if edm == "Edm.Guid" and isinstance(node, ast.GUID):
        return node.val.lower()
    if (edm == "Edm.String" or column.kind == "enum") and isinstance(node, ast.String):
        return node.val
    if edm == "Edm.Date" and isinstance(node, ast.Date):
        return node.val
    raise ODataFailure(400, f"The key value {text!r} is not a valid {edm} literal for {table.name}.{name}.")
