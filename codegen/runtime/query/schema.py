"""The base of generated query types (`QLead`) and the descriptors that turn attributes into paths.

`QLead.score` is an `IntExpr` for the path `Score`; `QLead.prospect` is a `QProspect` whose paths start with
`Prospect/`, so `QLead.prospect.state == "CA"` renders `Prospect/State eq 'CA'`, at any depth. Query types
have no public methods or attributes of their own, so no property name can clash with them.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any, Generic, TypeVar

from ..model import package_of
from .expressions import BoolExpr, CollectionExpr, Expression
from .nodes import Binary, Literal, Node, PathRef

X = TypeVar("X", bound=Expression)
Q = TypeVar("Q", bound="QueryType")


class QueryType:
    """Base of generated query types. An instance is the type reached by a path (`_prefix`)."""

    __slots__ = ("_prefix",)
    # Set by each generated class: its qualified OData type name, and "entity" or "complex".
    __odata_type__ = ""
    __odata_kind__ = ""

    def __init__(self, prefix: tuple[str, ...] = ()) -> None:
        self._prefix = prefix

    def __repr__(self) -> str:
        return f"{type(self).__name__}({'/'.join(self._prefix)!r})"

    def __bool__(self) -> bool:
        raise TypeError(f"{self!r} is a path, not a filter; compare one of its properties instead")

    def __eq__(self, other: None) -> BoolExpr:  # type: ignore[override]
        """`QLead.prospect == None`: `Prospect eq null`, the only comparison a navigation path has."""
        return self._null_test("eq", other)

    def __ne__(self, other: None) -> BoolExpr:  # type: ignore[override]
        return self._null_test("ne", other)

    __hash__ = None  # type: ignore[assignment]  # == builds an expression

    def _null_test(self, operator: str, other: object) -> BoolExpr:
        if other is not None or not self._prefix:
            raise TypeError(f"{self!r} can only be compared with None (a null test), not {other!r}")
        return BoolExpr(Binary(operator, PathRef(self._prefix), Literal(None)))


def path_of(target: QueryType | Expression) -> tuple[str, ...]:
    """The segments of a navigation (`QLead.prospect`) or property path (`QLead.score`)."""
    if isinstance(target, QueryType):
        return target._prefix
    node = target._node
    if isinstance(node, PathRef):
        return node.segments
    raise TypeError(f"{target!r} is an expression, not a property path")


class Property(Generic[X]):
    """A primitive, enum or primitive-collection property: `score = Property("Score", IntExpr, "Edm.Int32")`.

    `QLead.score` is the same expression every time (expressions are immutable), so it is made once, on first
    use; below a navigation (`QLead.prospect.state`) the path differs per prefix and is made on each access.
    """

    __slots__ = ("wire_name", "_make", "_edm_type", "_on_class")

    def __init__(self, wire_name: str, make: Callable[[Node, str | None], X], edm_type: str | None = None) -> None:
        self.wire_name = wire_name
        self._make = make
        self._edm_type = edm_type
        self._on_class: X | None = None

    def __get__(self, instance: QueryType | None, owner: type[QueryType]) -> X:
        if instance is not None:
            return self._make(PathRef((*instance._prefix, self.wire_name)), self._edm_type)
        if self._on_class is None:
            self._on_class = self._make(PathRef((self.wire_name,)), self._edm_type)
        return self._on_class


class _Target(Generic[Q]):
    """A query type named lazily, so generated modules import each other only for type checkers."""

    __slots__ = ("wire_name", "_target_name", "_target", "_on_class")

    def __init__(self, wire_name: str, target: str) -> None:
        self.wire_name = wire_name
        self._target_name = target
        self._target: type[Q] | None = None
        self._on_class: Any = None  # what `QLead.prospect` gives, made once as for Property

    def _resolve(self, owner: type[QueryType]) -> type[Q]:
        if self._target is None:
            found: Any = getattr(importlib.import_module(package_of(owner)), self._target_name)
            self._target = found
        return self._target


class Nested(_Target[Q]):
    """A single-valued navigation or complex property: `prospect = Nested("Prospect", "QProspect")`."""

    __slots__ = ()

    def __get__(self, instance: QueryType | None, owner: type[QueryType]) -> Q:
        if instance is not None:
            return self._resolve(owner)((*instance._prefix, self.wire_name))
        if self._on_class is None:
            self._on_class = self._resolve(owner)((self.wire_name,))
        found: Q = self._on_class
        return found


class NestedCollection(_Target[Q]):
    """A collection of entities or complex values; its lambdas offer the member's query type."""

    __slots__ = ()

    def __get__(self, instance: QueryType | None, owner: type[QueryType]) -> CollectionExpr[Q]:
        if instance is not None:
            return self._collection(owner, (*instance._prefix, self.wire_name))
        if self._on_class is None:
            self._on_class = self._collection(owner, (self.wire_name,))
        found: CollectionExpr[Q] = self._on_class
        return found

    def _collection(self, owner: type[QueryType], path: tuple[str, ...]) -> CollectionExpr[Q]:
        target = self._resolve(owner)
        return CollectionExpr(PathRef(path), None, lambda var: target(var.segments))
