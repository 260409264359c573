"""One entity at a path, sync and async: what `client.people.navigate("x")`, `client.me` and a single-valued
navigation property (`....photo`) are.

Generated item classes subclass these per entity type (`PersonItem(EntityItem[Person, QPerson])`) with the
type's navigation properties (collections are the type's generated `EntitySet` subclass at the navigation
path, single entities its item class), the operations bound to it and its base types, and, for a singleton,
`patch`. Nothing is sent until a reading method (`get`, an operation) is called; every path is built and
checked in `paths.py`, every request and answer in `requests.py`, so both flavours behave alike.

`_patch` changes the entity at any path (a singleton, `People('x')/Trips(1)`, `Trips(1)/Airline`), with the
headers an entity set's `patch` sends: If-Match with the given `etag`, else the `@odata.etag` of the entity it
was reached from (`people.navigate(person)`, where the set declares optimistic concurrency), which a cast keeps
and a navigation does not (that is another entity).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

from ..model import ODataModel
from ..query import QueryType
from ..query.options import Expandable, Selectable
from .entity_set import AsyncEntitySet, EntitySet
from .errors import NotFoundError, redact_url
from .exchange import read_json
from .paths import ResourcePath, cast_path
from .requests import Constraint, entity_options, patch_body, patch_headers
from .resource import AsyncAtPath, AtPath, SyncAtPath
from .session import AsyncSession, Session

M = TypeVar("M", bound=ODataModel)
Q = TypeVar("Q", bound=QueryType)
I = TypeVar("I", bound="EntityItem[Any, Any]")
AI = TypeVar("AI", bound="AsyncEntityItem[Any, Any]")
# What a navigation property leads to: a generated item class or a collection (entity-set) class.
N = TypeVar("N", bound="EntityItem[Any, Any] | EntitySet[Any, Any, Any]")
AN = TypeVar("AN", bound="AsyncEntityItem[Any, Any] | AsyncEntitySet[Any, Any, Any]")


class _ItemBase(AtPath[M], Generic[M, Q]):
    """What both flavours share: the class-level description a generated subclass fills in, and the path."""

    __query_type__: ClassVar[type[Any]]
    __type_name__: ClassVar[str] = ""  # the qualified name of the entity type, the segment of a cast to it
    __constraints__: ClassVar[Mapping[str, Constraint]] = {}

    def __repr__(self) -> str:
        """`PersonItem("People('russellwhyte')" -> Person)`: the path and the type the entity is read as."""
        model = getattr(self, "__model__", None)
        return f"{type(self).__name__}({self._path.url()!r} -> {model.__name__ if model else '?'})"

    @property
    def path(self) -> str:
        """The relative URL of the entity, e.g. for logging: `People('russellwhyte')/Trips(1)`."""
        return self._path.url()

    def _get_url(self, expand: Iterable[Expandable], select: Iterable[Selectable]) -> str:
        return self._path.url(entity_options(self.__query_type__, expand, select))

    def _found(self, data: Any, url: str) -> M:
        """The entity read; a NotFoundError for an empty answer: 204, a single-valued navigation to nothing."""
        if data is None:
            where = redact_url(getattr(self, "_session").url(url))
            message = f"{self._path.url()} leads to no entity (the answer has no content)"
            raise NotFoundError(message, status=204, method="GET", url=where)
        return self._entity(data)

    _etag: str | None

    def _patch_request(self, changes: Mapping[str, Any], etag: str | None, return_entity: bool) -> dict[str, Any]:
        return {
            "json": patch_body(self.__model__.__name__, changes, self.__constraints__),
            "headers": patch_headers(None, etag if etag is not None else self._etag, return_entity, False),
        }

    def _cast_path(self, cls: type[Any]) -> ResourcePath:
        return cast_path(self._path, self.__model__, cls.__model__, cls.__type_name__)


class EntityItem(_ItemBase[M, Q], SyncAtPath[M]):
    """One entity at a path (synchronous): `get`; generated subclasses add navigation and operations."""

    def __init__(self, session: Session, path: ResourcePath, etag: str | None = None) -> None:
        self._session = session
        self._path = path
        self._etag = etag

    def get(self, *, expand: Iterable[Expandable] = (), select: Iterable[Selectable] = ()) -> M:
        """The entity; NotFoundError when there is none (a single-valued navigation with no target, too)."""
        url = self._get_url(expand, select)
        return self._found(self._session.get_json(url), url)

    def cast(self, cls: type[I]) -> I:
        """The entity as a derived type (`People('x')/NS.Employee`), to reach what that type adds."""
        return cls(self._session, self._cast_path(cls), self._etag)

    def _navigation(self, cls: type[N], name: str) -> N:
        return cls(self._session, self._path.child(name))

    def _patch(self, changes: Mapping[str, Any], *, etag: str | None, return_entity: bool) -> M | None:
        request = self._patch_request(changes, etag, return_entity)
        response = self._session.request("PATCH", self._path.url(), **request)
        if not return_entity:
            return None
        data = read_json(response, self._scrubber())
        return self._entity(data, response) if data is not None else self.get()


class AsyncEntityItem(_ItemBase[M, Q], AsyncAtPath[M]):
    """The asynchronous twin of EntityItem."""

    def __init__(self, session: AsyncSession, path: ResourcePath, etag: str | None = None) -> None:
        self._session = session
        self._path = path
        self._etag = etag

    async def get(self, *, expand: Iterable[Expandable] = (), select: Iterable[Selectable] = ()) -> M:
        """The entity; NotFoundError when there is none (a single-valued navigation with no target, too)."""
        url = self._get_url(expand, select)
        return self._found(await self._session.get_json(url), url)

    def cast(self, cls: type[AI]) -> AI:
        return cls(self._session, self._cast_path(cls), self._etag)

    def _navigation(self, cls: type[AN], name: str) -> AN:
        return cls(self._session, self._path.child(name))

    async def _patch(self, changes: Mapping[str, Any], *, etag: str | None, return_entity: bool) -> M | None:
        request = self._patch_request(changes, etag, return_entity)
        response = await self._session.request("PATCH", self._path.url(), **request)
        if not return_entity:
            return None
        data = read_json(response, self._scrubber())
        return self._entity(data, response) if data is not None else await self.get()
