"""Typed OData expressions: what `QLead.score > 10` and `QLead.prospect.state.tolower()` return.

Each class offers only the operations OData defines for its Edm type, with parameter types that let mypy
reject a comparison with a value of the wrong Python type; the same mistake raises TypeError at run time.
Every operation returns a new expression; nothing is mutated. `str(expression)` is its `$filter` text.
"""

from __future__ import annotations

import contextvars
import datetime as dt
import enum
import uuid
from collections.abc import Callable, Iterable
from decimal import Decimal
from typing import Any, Generic, NoReturn, TypeVar, overload

from typing_extensions import deprecated

from .nodes import Binary, Call, Junction, Lambda, ListOf, Literal, Negate, Node, Not, PathRef, Raw, render

V = TypeVar("V")
E = TypeVar("E", bound=enum.Enum)
T = TypeVar("T")
NumericSelf = TypeVar("NumericSelf", bound="Numeric[Any]")

NULL = Literal(None)


class Expression:
    """Base of typed expressions: a syntax tree node plus the Edm type of its value."""

    __slots__ = ("_node", "_edm")
    _accepts: tuple[type, ...] = ()

    def __init__(self, node: Node, edm_type: str | None = None) -> None:
        self._node = node
        self._edm = edm_type

    def __bool__(self) -> NoReturn:
        raise TypeError(
            f"an OData expression has no truth value ({self}); combine filters with &, |, ~ and pass them "
            "to a query instead of using them in `if`, `and`, `or` or `not`"
        )

    def __str__(self) -> str:
        return render(self._node)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

    __hash__ = None  # type: ignore[assignment]  # == builds an expression, so these cannot be dict keys

    def is_null(self) -> BoolExpr:
        return BoolExpr(Binary("eq", self._node, NULL))

    def is_not_null(self) -> BoolExpr:
        return BoolExpr(Binary("ne", self._node, NULL))

    def _operand(self, other: object) -> Node:
        """`other` as a node: an expression's own node, or a literal of this expression's Edm type."""
        if isinstance(other, Expression):
            return other._node
        accepts = self._accepted_types()
        wrong_bool = isinstance(other, bool) and bool not in accepts
        if wrong_bool or not isinstance(other, accepts):
            expected = " or ".join(t.__name__ for t in accepts)
            raise TypeError(f"{self} takes {expected}, not {type(other).__name__} {other!r}")
        return Literal(other, self._edm)

    def _accepted_types(self) -> tuple[type, ...]:
        return self._accepts

    def _compare(self, operator: str, other: object) -> BoolExpr:
        if other is None and operator in ("eq", "ne"):
            return BoolExpr(Binary(operator, self._node, NULL))
        return BoolExpr(Binary(operator, self._node, self._operand(other)))


class Equatable(Expression, Generic[V]):
    """Values with equality only: Guid, Binary, enumerations, Boolean."""

    __slots__ = ()

    # The second overload catches a value of the wrong type. Typed `bool`, it fails wherever a filter is
    # expected; marked deprecated, mypy (with the `deprecated` error code on) reports it on its own line.
    @overload
    def __eq__(self, other: V | Equatable[V] | None) -> BoolExpr: ...
    @overload
    @deprecated("compares an OData path with a value of another type (a TypeError at run time)")
    def __eq__(self, other: object) -> bool: ...
    def __eq__(self, other: object) -> BoolExpr | bool:
        return self._compare("eq", other)

    @overload
    def __ne__(self, other: V | Equatable[V] | None) -> BoolExpr: ...
    @overload
    @deprecated("compares an OData path with a value of another type (a TypeError at run time)")
    def __ne__(self, other: object) -> bool: ...
    def __ne__(self, other: object) -> BoolExpr | bool:
        return self._compare("ne", other)

    def in_(self, values: Iterable[V]) -> BoolExpr:
        if isinstance(values, (str, bytes)):
            raise TypeError(f"{self}.in_() takes a list of values, not the single {type(values).__name__} {values!r}")
        items = tuple(self._in_item(value) for value in values)
        if not items:
            raise ValueError(f"{self}.in_() needs at least one value")
        return BoolExpr(Binary("in", self._node, ListOf(items)))

    def _in_item(self, value: object) -> Node:
        # The ABNF's listExpr holds primitive literals only: `Name in (Name,City)` is not OData.
        if isinstance(value, Expression):
            raise TypeError(f"{self}.in_() takes values, not the expression {value!r}")
        return self._operand(value)


class Comparable(Equatable[V]):
    """Values with an order as well: numbers, strings, dates, times and durations."""

    __slots__ = ()

    def __lt__(self, other: V | Comparable[V]) -> BoolExpr:
        return self._compare("lt", other)

    def __le__(self, other: V | Comparable[V]) -> BoolExpr:
        return self._compare("le", other)

    def __gt__(self, other: V | Comparable[V]) -> BoolExpr:
        return self._compare("gt", other)

    def __ge__(self, other: V | Comparable[V]) -> BoolExpr:
        return self._compare("ge", other)


class BoolExpr(Equatable[bool]):
    """A Boolean expression: a filter. `&`, `|` and `~` combine filters; `and`/`or`/`not`/`if` refuse."""

    __slots__ = ()
    _accepts = (bool,)

    def __init__(self, node: Node, edm_type: str | None = "Edm.Boolean") -> None:
        self._node = node  # as Expression.__init__ does; this is the hottest constructor, so without the call
        self._edm = edm_type

    def __and__(self, other: BoolExpr) -> BoolExpr:
        return BoolExpr(_junction("and", self, other))

    def __or__(self, other: BoolExpr) -> BoolExpr:
        return BoolExpr(_junction("or", self, other))

    def __invert__(self) -> BoolExpr:
        node = self._node
        return BoolExpr(node.operand if isinstance(node, Not) else Not(node))


def _junction(operator: str, left: BoolExpr, right: BoolExpr) -> Junction:
    """Keep a chain of one operator flat: (a & b) & c is `a and b and c`, one node of three."""
    return Junction(operator, (*_operands(operator, left), *_operands(operator, right)))


def _operands(operator: str, side: object) -> tuple[Node, ...]:
    if not isinstance(side, BoolExpr):
        raise TypeError(f"can only combine filters with {operator!r}, not {type(side).__name__} {side!r}")
    node = side._node
    return node.operands if isinstance(node, Junction) and node.operator == operator else (node,)


class StringExpr(Comparable[str]):
    __slots__ = ()
    _accepts = (str,)

    def contains(self, text: str | StringExpr) -> BoolExpr:
        return BoolExpr(self._call("contains", text))

    def startswith(self, text: str | StringExpr) -> BoolExpr:
        return BoolExpr(self._call("startswith", text))

    def endswith(self, text: str | StringExpr) -> BoolExpr:
        return BoolExpr(self._call("endswith", text))

    def matches_pattern(self, pattern: str) -> BoolExpr:
        """`matchesPattern(Name,'^A.*e$')`: an ECMAScript regular expression (OData 4.01)."""
        return BoolExpr(self._call("matchesPattern", pattern))

    def indexof(self, text: str | StringExpr) -> IntExpr:
        return IntExpr(self._call("indexof", text), "Edm.Int32")

    def length(self) -> IntExpr:
        return IntExpr(Call("length", (self._node,)), "Edm.Int32")

    def tolower(self) -> StringExpr:
        return StringExpr(Call("tolower", (self._node,)), "Edm.String")

    def toupper(self) -> StringExpr:
        return StringExpr(Call("toupper", (self._node,)), "Edm.String")

    def trim(self) -> StringExpr:
        return StringExpr(Call("trim", (self._node,)), "Edm.String")

    def concat(self, other: str | StringExpr) -> StringExpr:
        return StringExpr(self._call("concat", other), "Edm.String")

    def substring(self, start: int | IntExpr, length: int | IntExpr | None = None) -> StringExpr:
        arguments = [self._node, _int_operand(start)]
        if length is not None:
            arguments.append(_int_operand(length))
        return StringExpr(Call("substring", tuple(arguments)), "Edm.String")

    def _call(self, function: str, argument: object) -> Call:
        operand = argument._node if isinstance(argument, StringExpr) else _string_literal(self, argument)
        return Call(function, (self._node, operand))


def _string_literal(owner: Expression, value: object) -> Node:
    if not isinstance(value, str):
        raise TypeError(f"{owner} takes str, not {type(value).__name__} {value!r}")
    return Literal(value, "Edm.String")


def _int_operand(value: object) -> Node:
    if isinstance(value, IntExpr):
        return value._node
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"expected an int, not {type(value).__name__} {value!r}")
    return Literal(value, "Edm.Int32")


class Numeric(Comparable[V]):
    """Arithmetic: `+ - * / %` and unary `-`, or add/sub/mul/div/mod. `/` is OData's `div`."""

    __slots__ = ()

    def _arithmetic(self: NumericSelf, operator: str, other: object, *, reflected: bool = False) -> NumericSelf:
        left, right = self._node, self._operand(other)
        if reflected:
            left, right = right, left
        return type(self)(Binary(operator, left, right), self._edm)

    def add(self: NumericSelf, other: V | Numeric[V]) -> NumericSelf:
        return self._arithmetic("add", other)

    def sub(self: NumericSelf, other: V | Numeric[V]) -> NumericSelf:
        return self._arithmetic("sub", other)

    def mul(self: NumericSelf, other: V | Numeric[V]) -> NumericSelf:
        return self._arithmetic("mul", other)

    def div(self: NumericSelf, other: V | Numeric[V]) -> NumericSelf:
        return self._arithmetic("div", other)

    def mod(self: NumericSelf, other: V | Numeric[V]) -> NumericSelf:
        return self._arithmetic("mod", other)

    __add__ = add
    __sub__ = sub
    __mul__ = mul
    __truediv__ = div
    __mod__ = mod

    def __radd__(self: NumericSelf, other: V) -> NumericSelf:
        return self._arithmetic("add", other, reflected=True)

    def __rsub__(self: NumericSelf, other: V) -> NumericSelf:
        return self._arithmetic("sub", other, reflected=True)

    def __rmul__(self: NumericSelf, other: V) -> NumericSelf:
        return self._arithmetic("mul", other, reflected=True)

    def __rtruediv__(self: NumericSelf, other: V) -> NumericSelf:
        return self._arithmetic("div", other, reflected=True)

    def __rmod__(self: NumericSelf, other: V) -> NumericSelf:
        return self._arithmetic("mod", other, reflected=True)

    def __neg__(self: NumericSelf) -> NumericSelf:
        return type(self)(Negate(self._node), self._edm)


class IntExpr(Numeric[int]):
    __slots__ = ()
    _accepts = (int,)


class FloatExpr(Numeric[float]):
    __slots__ = ()
    _accepts = (float, int)


class DecimalExpr(Numeric["Decimal | int"]):
    __slots__ = ()
    _accepts = (Decimal, int)


class _DateParts(Expression):
    """`year()`, `month()`, `day()`: of a date, or of a date-time in its own offset."""

    __slots__ = ()

    def year(self) -> IntExpr:
        return _part("year", self)

    def month(self) -> IntExpr:
        return _part("month", self)

    def day(self) -> IntExpr:
        return _part("day", self)


class _ClockParts(Expression):
    """`hour()`, `minute()`, `second()`: of a time of day, or of a date-time in its own offset."""

    __slots__ = ()

    def hour(self) -> IntExpr:
        return _part("hour", self)

    def minute(self) -> IntExpr:
        return _part("minute", self)

    def second(self) -> IntExpr:
        return _part("second", self)


class DateTimeExpr(_DateParts, _ClockParts, Comparable[dt.datetime]):
    """Edm.DateTimeOffset; values must carry a tzinfo (a naive datetime is refused)."""

    __slots__ = ()
    _accepts = (dt.datetime,)

    def date(self) -> DateExpr:
        return DateExpr(Call("date", (self._node,)), "Edm.Date")

    def time(self) -> TimeExpr:
        return TimeExpr(Call("time", (self._node,)), "Edm.TimeOfDay")


class DateExpr(_DateParts, Comparable[dt.date]):
    __slots__ = ()
    _accepts = (dt.date,)


class TimeExpr(_ClockParts, Comparable[dt.time]):
    __slots__ = ()
    _accepts = (dt.time,)


def _part(function: str, of: Expression) -> IntExpr:
    return IntExpr(Call(function, (of._node,)), "Edm.Int32")


class DurationExpr(Comparable[dt.timedelta]):
    __slots__ = ()
    _accepts = (dt.timedelta,)


class GuidExpr(Equatable[uuid.UUID]):
    __slots__ = ()
    _accepts = (uuid.UUID,)


class BinaryExpr(Equatable[bytes]):
    __slots__ = ()
    _accepts = (bytes,)


class EnumExpr(Equatable[E]):
    """An enumeration property: compared with members of its own enum class only."""

    __slots__ = ("_enum",)

    def __init__(self, node: Node, edm_type: str | None, enum_class: type[E]) -> None:
        super().__init__(node, edm_type)
        self._enum = enum_class

    def _accepted_types(self) -> tuple[type, ...]:
        return (self._enum,)

    def has(self, flag: E) -> BoolExpr:
        """`Style has Namespace.Color'Red'`: true if the flag is set."""
        return BoolExpr(Binary("has", self._node, self._operand(flag)))


def enum_of(enum_class: type[E]) -> Callable[[Node, str | None], EnumExpr[E]]:
    """The expression factory for a property of `enum_class`, for `Property("Color", enum_of(Color))`."""
    return lambda node, edm_type: EnumExpr(node, edm_type, enum_class)


class UntypedExpr(Expression):
    """Geography, geometry, streams and untyped values: only null tests apply."""

    __slots__ = ()


_VARIABLES = ("x", "y", "z", "w")
_LAMBDA_DEPTH: contextvars.ContextVar[int] = contextvars.ContextVar("odata_lambda_depth", default=0)


class CollectionExpr(Expression, Generic[T]):
    """A collection-valued path: `any`, `all` and `count()`. `T` is what a lambda's variable offers."""

    __slots__ = ("_element",)

    def __init__(self, node: Node, edm_type: str | None, element: Callable[[PathRef], T]) -> None:
        super().__init__(node, edm_type)
        self._element = element

    def any(self, predicate: Callable[[T], BoolExpr] | None = None) -> BoolExpr:
        """`Tags/any(x:x eq 'a')`; without a predicate, `Tags/any()`: the collection is not empty."""
        if predicate is None:
            return BoolExpr(Lambda(self._node, "any"))
        return self._lambda("any", predicate)

    def all(self, predicate: Callable[[T], BoolExpr]) -> BoolExpr:
        return self._lambda("all", predicate)

    def count(self) -> IntExpr:
        """`Orders/$count`: the number of members."""
        segments = self._node.segments if isinstance(self._node, PathRef) else ()
        return IntExpr(PathRef((*segments, "$count")), "Edm.Int32")

    def _lambda(self, operator: str, predicate: Callable[[T], BoolExpr]) -> BoolExpr:
        # Nested lambdas get distinct variables (x, then y, ...), chosen by nesting depth.
        depth = _LAMBDA_DEPTH.get()
        variable = _VARIABLES[depth] if depth < len(_VARIABLES) else f"x{depth}"
        token = _LAMBDA_DEPTH.set(depth + 1)
        try:
            body = predicate(self._element(PathRef((variable,))))
        finally:
            _LAMBDA_DEPTH.reset(token)
        if not isinstance(body, BoolExpr):
            raise TypeError(f"the predicate of {self}/{operator} must return a filter, not {type(body).__name__}")
        return BoolExpr(Lambda(self._node, operator, variable, body._node))


def collection_of(
    element: Callable[[Node, str | None], T], edm_type: str | None
) -> Callable[[Node, str | None], CollectionExpr[T]]:
    """The factory for a collection of primitives: `Property("Tags", collection_of(StringExpr, "Edm.String"))`."""
    return lambda node, collection_type: CollectionExpr(node, collection_type, lambda var: element(var, edm_type))


def now() -> DateTimeExpr:
    """`now()`: the server's current time."""
    return DateTimeExpr(Call("now"), "Edm.DateTimeOffset")


def raw(text: str) -> BoolExpr:
    """Filter text written by hand, used as is (it is still percent-encoded in the URL)."""
    if not isinstance(text, str) or not text.strip():
        raise ValueError("raw() needs non-empty filter text")
    return BoolExpr(Raw(text))
