"""The untyped syntax tree of an OData expression, and the one visitor that writes it as `$filter` text.

Nodes are small immutable values. Typed expressions (`expressions.py`) build them; nothing else does. The
renderer adds parentheses only where operator precedence (OData URL Conventions 5.1.1.15) or the ABNF needs
them, plus the few groupings the comments in `_binary` and `_not` explain (`not (A in (1))`, `-(-A)`,
`A add (B add C)`).

Immutable by convention, as typed expressions are: nothing assigns to a node once it is made, so nodes are
shared between expressions and hashed by value (`unsafe_hash`). They are not attrs-frozen because a frozen
class sets each field through `object.__setattr__`, which made building a typed filter about a quarter
slower (benchmarks/bench_query.py).

The visitor writes a tree as plain text (`render`) or directly in URL form (`render_encoded`), appending
pieces to one list. In URL form each literal, path and `raw()` text is percent-encoded on its own, and the
structure between them (operators, parentheses, commas) is written already encoded: the same text that
`encode_expression(render(node))` gives, without scanning and encoding the whole text a second time.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

import attrs

from .literals import encode_expression, format_literal


@attrs.define(unsafe_hash=True)
class Node:
    """Base of all nodes."""


def _formatted(literal: Literal) -> str:
    return format_literal(literal.value, literal.edm_type)


@attrs.define(unsafe_hash=True)
class Literal(Node):
    """A value and its Edm type. Formatted when made, so a value with no literal fails where it is written."""

    value: Any
    edm_type: str | None = None
    text: str = attrs.field(default=attrs.Factory(_formatted, takes_self=True), eq=False, repr=False)


@attrs.define(unsafe_hash=True)
class PathRef(Node):
    """A property path such as `Prospect/State`, or a lambda variable (`x`) and the path below it."""

    segments: tuple[str, ...]


@attrs.define(unsafe_hash=True)
class Binary(Node):
    operator: str  # eq ne gt ge lt le has in add sub mul div divby mod
    left: Node
    right: Node


@attrs.define(unsafe_hash=True)
class Junction(Node):
    """`and` / `or` over two or more operands, kept flat: (a & b) & c is one `and` of three."""

    operator: str
    operands: tuple[Node, ...]


@attrs.define(unsafe_hash=True)
class Not(Node):
    operand: Node


@attrs.define(unsafe_hash=True)
class Negate(Node):
    operand: Node


@attrs.define(unsafe_hash=True)
class Call(Node):
    function: str
    arguments: tuple[Node, ...] = ()


@attrs.define(unsafe_hash=True)
class ListOf(Node):
    """The right side of `in`: `(1,2,3)`."""

    items: tuple[Node, ...]


@attrs.define(unsafe_hash=True)
class Lambda(Node):
    collection: Node
    operator: str  # any / all
    variable: str | None = None  # None only for a bare any()
    predicate: Node | None = None


@attrs.define(unsafe_hash=True)
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


_RAW = 0  # unknown content: always grouped when it is an operand


def render(node: Node) -> str:
    """The `$filter` (or `$orderby` item) text of `node`, before percent-encoding."""
    out: list[str] = []
    _write(node, out, False, 0)
    return "".join(out)


def render_encoded(node: Node) -> str:
    """`encode_expression(render(node))`: the text of `node` percent-encoded for a query option, in one pass."""
    out: list[str] = []
    try:
        _write(node, out, True, 0)
    except _OpenQuote:
        # A `raw()` text with an unpaired quote changes how everything after it is read: encode the whole.
        return encode_expression(render(node))
    return "".join(out)


class _OpenQuote(Exception):
    """A leaf whose quotes do not pair up, so the text after it cannot be encoded on its own."""


def _write(node: Node, out: list[str], encoded: bool, level: int) -> None:
    """Append the text of `node`, in parentheses if it binds less tightly than `level` (its context)."""
    try:
        writer = _WRITERS[type(node)]
    except KeyError:
        raise TypeError(f"cannot render {type(node).__name__}") from None
    writer(node, out, encoded, level)


# `eq` between spaces, as written and as percent-encoded; `not` and its space likewise.
_SPACED = {False: {op: f" {op} " for op in _PRECEDENCE}, True: {op: f"%20{op}%20" for op in _PRECEDENCE}}
_NOT = {False: "not ", True: "not%20"}


def _leaf(text: str) -> str:
    """A path or `raw()` text in URL form. Quotes that pair up leave the text after them unquoted, so this
    piece can be encoded apart from the rest."""
    if text.count("'") % 2:
        raise _OpenQuote
    return encode_expression(text)


# Paths repeat (the same properties in every query) and are short; bounded, since a path can be built at run
# time from any text (`Property(name, ...)`).
_path_leaf = functools.lru_cache(maxsize=4096)(_leaf)


# Literals, paths, calls, `in` lists and lambdas are primaries: they never need parentheses, whatever `level`.


def _literal(node: Literal, out: list[str], encoded: bool, level: int) -> None:
    out.append(encode_expression(node.text) if encoded else node.text)  # a literal's quotes always pair up


def _path(node: PathRef, out: list[str], encoded: bool, level: int) -> None:
    text = "/".join(node.segments)
    out.append(_path_leaf(text) if encoded else text)


def _binary(node: Binary, out: list[str], encoded: bool, level: int) -> None:
    operator = node.operator
    own = _PRECEDENCE[operator]
    if own < level:
        out.append("(")
    left = node.left
    # The ABNF's inExpr and hasExpr end with their list or enum literal, so `A in (1,2) eq false` and
    # `Style has X eq true` do not parse: an `in` or `has` on the left of an operator is grouped.
    left_in_or_has = type(left) is Binary and left.operator in ("in", "has")
    _write(left, out, encoded, _PRIMARY if left_in_or_has else own)
    out.append(_SPACED[encoded][operator])
    _write(node.right, out, encoded, own + 1 if operator in _LEFT_ASSOCIATIVE else own)
    if own < level:
        out.append(")")


def _junction(node: Junction, out: list[str], encoded: bool, level: int) -> None:
    own = _PRECEDENCE[node.operator]
    if own < level:
        out.append("(")
    separator = _SPACED[encoded][node.operator]
    for index, operand in enumerate(node.operands):
        if index:
            out.append(separator)
        _write(operand, out, encoded, own)
    if own < level:
        out.append(")")


def _not(node: Not, out: list[str], encoded: bool, level: int) -> None:
    if _UNARY < level:
        out.append("(")
    # `not (Style has X)` keeps its parentheses although `has` binds tighter than `not`: a parser that gives
    # `has` and `in` the precedence of a comparison would read `not Style has X` as `(not Style) has X`.
    out.append(_NOT[encoded])
    _write(node.operand, out, encoded, _PRIMARY)
    if _UNARY < level:
        out.append(")")


def _negate(node: Negate, out: list[str], encoded: bool, level: int) -> None:
    if _UNARY < level:
        out.append("(")
    # `-(-A)`, never `--A`; `-(A add 1)` needs the parentheses anyway.
    out.append("-")
    _write(node.operand, out, encoded, _PRIMARY)
    if _UNARY < level:
        out.append(")")


def _items(items: tuple[Node, ...], out: list[str], encoded: bool) -> None:
    """`(a,b,c)`: call arguments or an `in` list."""
    out.append("(")
    for index, item in enumerate(items):
        if index:
            out.append(",")
        _write(item, out, encoded, 0)
    out.append(")")


def _call(node: Call, out: list[str], encoded: bool, level: int) -> None:
    out.append(node.function)  # one of the fixed names expressions.py calls, letters only
    _items(node.arguments, out, encoded)


def _list(node: ListOf, out: list[str], encoded: bool, level: int) -> None:
    _items(node.items, out, encoded)


def _lambda(node: Lambda, out: list[str], encoded: bool, level: int) -> None:
    _write(node.collection, out, encoded, 0)
    out.append(f"/{node.operator}(")  # `any` or `all`
    if node.predicate is not None:
        out.append(f"{node.variable}:")  # x, y, z, w, x4, ...: letters and digits
        _write(node.predicate, out, encoded, 0)
    out.append(")")


def _raw(node: Raw, out: list[str], encoded: bool, level: int) -> None:
    if _RAW < level:
        out.append("(")
    out.append(_leaf(node.text) if encoded else node.text)
    if _RAW < level:
        out.append(")")


_WRITERS: dict[type[Node], Callable[[Any, list[str], bool, int], None]] = {
    Literal: _literal,
    PathRef: _path,
    Binary: _binary,
    Junction: _junction,
    Not: _not,
    Negate: _negate,
    Call: _call,
    ListOf: _list,
    Lambda: _lambda,
    Raw: _raw,
}
