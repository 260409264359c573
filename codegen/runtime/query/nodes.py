"""The untyped syntax tree of an OData expression, and the one visitor that renders it as `$filter` text.

Nodes are small immutable values. Typed expressions (`expressions.py`) build them; nothing else does. The
renderer adds parentheses only where operator precedence (OData URL Conventions 5.1.1.15) needs them.
"""

from __future__ import annotations

from typing import Any

import attrs

from .literals import format_literal


@attrs.frozen
class Node:
    """Base of all nodes."""


@attrs.frozen
class Literal(Node):
    value: Any
    edm_type: str | None = None


@attrs.frozen
class PathRef(Node):
    """A property path such as `Prospect/State`, or a lambda variable (`x`) and the path below it."""

    segments: tuple[str, ...]


@attrs.frozen
class Binary(Node):
    operator: str  # eq ne gt ge lt le has in add sub mul div divby mod
    left: Node
    right: Node


@attrs.frozen
class Junction(Node):
    """`and` / `or` over two or more operands, kept flat: (a & b) & c is one `and` of three."""

    operator: str
    operands: tuple[Node, ...]


@attrs.frozen
class Not(Node):
    operand: Node


@attrs.frozen
class Negate(Node):
    operand: Node


@attrs.frozen
class Call(Node):
    function: str
    arguments: tuple[Node, ...] = ()


@attrs.frozen
class ListOf(Node):
    """The right side of `in`: `(1,2,3)`."""

    items: tuple[Node, ...]


@attrs.frozen
class Lambda(Node):
    collection: Node
    operator: str  # any / all
    variable: str | None = None  # None only for a bare any()
    predicate: Node | None = None


@attrs.frozen
class Raw(Node):
    """Filter text written by hand: the escape hatch. Always parenthesised when combined."""

    text: str


# Higher binds tighter. Unary operators and primaries sit above every binary operator.
_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "eq": 3,
    "ne": 3,
    "gt": 4,
    "ge": 4,
    "lt": 4,
    "le": 4,
    "has": 4,
    "in": 4,
    "add": 5,
    "sub": 5,
    "mul": 6,
    "div": 6,
    "divby": 6,
    "mod": 6,
}
_UNARY = 7
_PRIMARY = 8
# a - (b - c) and a div (b div c) need their parentheses; a add (b add c) would not, but keeping the
# grouping the user wrote is what a reader of the URL expects.
_LEFT_ASSOCIATIVE = frozenset(_PRECEDENCE) - {"and", "or"}


def precedence(node: Node) -> int:
    if isinstance(node, (Binary, Junction)):
        return _PRECEDENCE[node.operator]
    if isinstance(node, (Not, Negate)):
        return _UNARY
    if isinstance(node, Raw):
        return 0  # unknown content: always grouped when it is an operand
    return _PRIMARY


def render(node: Node) -> str:
    """The `$filter` (or `$orderby` item) text of `node`, before percent-encoding."""
    if isinstance(node, Literal):
        return format_literal(node.value, node.edm_type)
    if isinstance(node, PathRef):
        return "/".join(node.segments)
    if isinstance(node, Binary):
        level = _PRECEDENCE[node.operator]
        right_level = level + 1 if node.operator in _LEFT_ASSOCIATIVE else level
        return f"{_operand(node.left, level)} {node.operator} {_operand(node.right, right_level)}"
    if isinstance(node, Junction):
        level = _PRECEDENCE[node.operator]
        return f" {node.operator} ".join(_operand(operand, level) for operand in node.operands)
    if isinstance(node, Not):
        return f"not {_operand(node.operand, _PRIMARY)}"
    if isinstance(node, Negate):
        return f"-{_operand(node.operand, _PRIMARY)}"
    if isinstance(node, Call):
        return f"{node.function}({','.join(render(argument) for argument in node.arguments)})"
    if isinstance(node, ListOf):
        return f"({','.join(render(item) for item in node.items)})"
    if isinstance(node, Lambda):
        body = f"{node.variable}:{render(node.predicate)}" if node.predicate is not None else ""
        return f"{render(node.collection)}/{node.operator}({body})"
    if isinstance(node, Raw):
        return node.text
    raise TypeError(f"cannot render {type(node).__name__}")


def _operand(node: Node, level: int) -> str:
    text = render(node)
    return f"({text})" if precedence(node) < level else text
