"""Key predicates: `(80001)`, `(Id=80001)`, `(OrderID=1,ProductID=2)`, `(@k)` with `@k=80001` in the query.

Key values are OData literals, read by odata-query's parser and checked against the key's Edm type.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from odata_query import ast

from .errors import ODataFailure
from .options import parse_expression, split_top
from .schema import INTEGER_RANGES, Table

__all__ = ["parse_key"]

_MAX_INTEGER_DIGITS = 20  # 2**64 has 20 digits


def parse_key(table: Table, text: str, aliases: Mapping[str, str]) -> tuple[Any, ...]:
    """The stored key values, in key order, of the predicate `text` (between the parentheses)."""
    if not table.key:
        raise ODataFailure(400, f"{table.name} has no key; it cannot be followed by a key predicate.")
    return _key(table, text, aliases)


def _key(table: Table, text: str, aliases: Mapping[str, str]) -> tuple[Any, ...]:
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
    return tuple(_literal(table, name, _resolved(values[name], aliases)) for name in table.key)


def _resolved(text: str, aliases: Mapping[str, str]) -> str:
    """A key value, or the value of the parameter alias it names (`@k`, null when not given)."""
    if not text.startswith("@"):
        return text
    return aliases.get(text, "null")


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
