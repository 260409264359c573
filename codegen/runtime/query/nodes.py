"""The untyped syntax tree of an OData expression, and the one visitor that renders it as `$filter` text.

Nodes are small immutable values. Typed expressions (`expressions.py`) build them; nothing else does. The
renderer adds parentheses only where operator precedence (OData URL Conventions 5.1.1.15) or the ABNF needs
them, plus the few groupings the comments in `render` explain (`not (A in (1))`, `-(-A)`, `A add (B add C)`).
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


# Higher binds tighter (URL Conventions 4.01, 5.1.1.15). `has` and `in` are in the Primary group there, above
# the unary and arithmetic operators: `(Score add 1) in (1,2)` needs its parentheses, `Score add 1 in (1,2)`
# would mean `Score add (1 in (1,2))`. Paths, calls and literals sit above everything.
_PRECEDENCE = {
    "or": 1,
    "and": 2,
    "eq": 3,
    "ne": 3,
    "gt": 4,
    "ge": 4,
    "lt": 4,
    "le": 4,
    "add": 5,
    "sub": 5,
    "mul": 6,
    "div": 6,
    "divby": 6,
    "mod": 6,
    "has": 8,
    "in": 8,
}
_UNARY = 7
_PRIMARY = 9
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
        # The ABNF's inExpr and hasExpr end with their list or enum literal, so `A in (1,2) eq false` and
        # `Style has X eq true` do not parse: an `in` or `has` on the left of an operator is grouped.
        left_level = _PRIMARY if isinstance(node.left, Binary) and node.left.operator in ("in", "has") else level
        return f"{_operand(node.left, left_level)} {node.operator} {_operand(node.right, right_level)}"
    if isinstance(node, Junction):
        level = _PRECEDENCE[node.operator]
        return f" {node.operator} ".join(_operand(operand, level) for operand in node.operands)
    if isinstance(node, Not):
        # `not (Style has X)` keeps its parentheses although `has` binds tighter than `not`: a parser that gives
        # `has` and `in` the precedence of a comparison would read `not Style has X` as `(not Style) has X`.
        return f"not {_operand(node.operand, _PRIMARY)}"
    if isinstance(node, Negate):
        # `-(-A)`, never `--A`; `-(A add 1)` needs the parentheses anyway.
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
