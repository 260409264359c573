"""A complex-typed property at a path, sync and async: what `client.people.navigate("x").home_address` is.

Operations bound to a complex type are invoked on a path ending in a property of that type
(`People('x')/HomeAddress/NS.Op`, through nested complex properties `.../Info/Address/NS.Op`, a cast
`.../HomeAddress/NS.CityAddress/NS.Op`); those bound to a collection of it on a collection-valued property
(`People('x')/AddressInfo/NS.Op`). Generated subclasses, one per complex type that has such operations or
leads to one, add them as methods, with accessors for the properties that lead on; calling them goes through
`AtPath`, as an entity's operations do, so URLs, aliases and results are built the same way. Nothing is sent
until an operation is called.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any, ClassVar, TypeVar

from ..model import ODataModel
from .paths import ResourcePath, cast_path
from .resource import AsyncAtPath, AtPath, SyncAtPath
from .session import AsyncSession, Session

M = TypeVar("M", bound=ODataModel)
S = TypeVar("S")
R = TypeVar("R")
# A cast leads to the derived type's class of the same kind and flavour.
CI = TypeVar("CI", bound="ComplexItem[Any]")
CC = TypeVar("CC", bound="ComplexCollection[Any]")
ACI = TypeVar("ACI", bound="AsyncComplexItem[Any]")
ACC = TypeVar("ACC", bound="AsyncComplexCollection[Any]")


def property_at(cls: Callable[[S, ResourcePath], R], session: S, path: ResourcePath, name: str) -> R:
    """The class of a complex-typed property at `path/name`, sharing the session of the resource it is on."""
    return cls(session, path.child(name, "property"))


class _ComplexBase(AtPath[M]):
    """What both flavours share: the class-level description a generated subclass fills in, and the path."""

    __type_name__: ClassVar[str] = ""  # the qualified name of the complex type, the segment of a cast to it

    def __repr__(self) -> str:
        """`AddressItem("People('x')/HomeAddress" -> Address)`: the path and the type found there."""
        model = getattr(self, "__model__", None)
        return f"{type(self).__name__}({self._path.url()!r} -> {model.__name__ if model else '?'})"

    @property
    def path(self) -> str:
        """The relative URL of the property, e.g. for logging: `People('russellwhyte')/HomeAddress`."""
        return self._path.url()

    def _cast_path(self, cls: type[Any]) -> ResourcePath:
        return cast_path(self._path, self.__model__, cls.__model__, cls.__type_name__)


class ComplexItem(_ComplexBase[M], SyncAtPath[M]):
    """A single-valued complex property at a path (synchronous); generated subclasses add its operations."""

    def __init__(self, session: Session, path: ResourcePath) -> None:
        self._session = session
        self._path = path

    def cast(self, cls: type[CI]) -> CI:
        """The value as a derived complex type (`.../HomeAddress/NS.CityAddress`), to reach its operations."""
        return cls(self._session, self._cast_path(cls))


class ComplexCollection(_ComplexBase[M], SyncAtPath[M]):
    """A collection-valued complex property at a path (synchronous), with the operations bound to it."""

    def __init__(self, session: Session, path: ResourcePath) -> None:
        self._session = session
        self._path = path

    def cast(self, cls: type[CC]) -> CC:
        """The values of a derived complex type (`.../AddressInfo/NS.CityAddress`), as its collection class."""
        return cls(self._session, self._cast_path(cls))


class AsyncComplexItem(_ComplexBase[M], AsyncAtPath[M]):
    """The asynchronous twin of ComplexItem."""

    def __init__(self, session: AsyncSession, path: ResourcePath) -> None:
        self._session = session
        self._path = path

    def cast(self, cls: type[ACI]) -> ACI:
        return cls(self._session, self._cast_path(cls))


class AsyncComplexCollection(_ComplexBase[M], AsyncAtPath[M]):
    """The asynchronous twin of ComplexCollection."""

    def __init__(self, session: AsyncSession, path: ResourcePath) -> None:
        self._session = session
        self._path = path

    def cast(self, cls: type[ACC]) -> ACC:
        return cls(self._session, self._cast_path(cls))
