"""Entity sets and their queries, sync and async: what `client.leads` is, and what `client.leads.query()` returns.

Generated entity-set classes subclass these with their model, query type and key type
(`EntitySet[Lead, QLead, int | Lead]`, so that `get` takes only a key of the right type) and add only typed
`patch`/`create`/operation methods; all requests and their interpretation go through `requests.py`, so the
two flavours cannot drift apart.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable, Iterator, Mapping
from typing import Any, ClassVar, Generic, Self, TypeVar

import attrs

from ..model import ODataModel
from ..query import BoolExpr, Query, QueryType
from ..query.keys import Key
from ..query.options import Expandable, OrderItem, Selectable
import httpx

from . import paging
from .exchange import read_json
from .options import WithOptions
from .paths import ResourcePath, cast_path
from .requests import (
    Constraint,
    check_key,
    create_body,
    entity_options,
    patch_body,
    patch_headers,
)
from .resource import AsyncAtPath, AtPath, SyncAtPath
from .session import AsyncSession, Session

M = TypeVar("M", bound=ODataModel)
Q = TypeVar("Q", bound=QueryType)
# What a generated set takes as a key: `int | Lead` (its key property's type, or an entity read earlier), or
# `Mapping[str, KeyValue] | OrderItem` for a composite key; a wrong key type is then a type checker's error.
K = TypeVar("K", bound=Key)
# A generated class read at a path (an entity set's type's collection or item class), for `navigate`/`cast`.
R = TypeVar("R")


@attrs.frozen
class EntityPage(Generic[M]):
    """One server page of typed entities; `count` is `@odata.count` when the query asked for it."""

    items: list[M]
    count: int | None = None
    next_link: str | None = None


def _model_name(entity_set: _EntitySetBase[Any, Any, Any]) -> str:
    # The runtime's own classes leave `__model__` to the generated subclasses.
    model = getattr(entity_set, "__model__", None)
    return "?" if model is None else model.__name__


class _EntitySetBase(AtPath[M], Generic[M, Q, K]):
    """What both flavours share: the class-level description a generated subclass fills in.

    An instance reads the collection at `_path`: the entity set `__entity_set__`, or (for the collection
    classes generated per entity type) a navigation (`People('x')/Friends`), a cast or a function's result.
    """

    __entity_set__: ClassVar[str] = ""
    __type_name__: ClassVar[str] = ""  # the qualified name of the entity type, the segment of a cast to it
    __query_type__: ClassVar[type[Any]]
    __constraints__: ClassVar[Mapping[str, Constraint]] = {}
    # True when the set declares Core.OptimisticConcurrency: an entity's @odata.etag is then sent as If-Match.
    __concurrency__: ClassVar[bool] = False

    def __repr__(self) -> str:
        """`LeadsEntitySet('Leads' -> Lead)`: the collection's path and the type its entities are read as."""
        return f"{type(self).__name__}({self._path.url()!r} -> {_model_name(self)})"

    def _at(self, path: ResourcePath | None) -> ResourcePath:
        return path if path is not None else ResourcePath.named(self.__entity_set__)

    def _response_entity(self, response: httpx.Response) -> M | None:
        """The entity in a response body, or None when it is empty."""
        data = read_json(response, self._scrubber())
        return None if data is None else self._entity(data, response)

    def _page(self, page: paging.Page) -> EntityPage[M]:
        return EntityPage(self._page_items(page, self.__model__), page.count, page.next_link)

    def _key(self, key: Key | None, what: str) -> Key:
        check_key(key, f"{self.__entity_set__ or type(self).__name__}.{what}()")
        assert key is not None  # check_key refuses None
        return key

    def _keyed(self, key: Key | None, what: str) -> ResourcePath:
        return self._path.keyed(self._key(key, what))

    def _url(self, key: Key, expand: Iterable[Expandable], select: Iterable[Selectable]) -> str:
        return self._keyed(key, "get").url(entity_options(self.__query_type__, expand, select))

    def _query_url(self, query: Query[Q]) -> str:
        return self._path.url(query.to_query_string())

    def _count_query_url(self, query: Query[Q]) -> str:
        return self._path.count_url(query.for_count().to_query_string())

    def _cast_path(self, cls: type[Any]) -> ResourcePath:
        return cast_path(self._path, self.__model__, cls.__model__, cls.__type_name__)

    def _etag_of(self, key: Key) -> str | None:
        """The If-Match a patch of `key` sends without an explicit etag; an item navigated to by `key` keeps it."""
        return patch_headers(key, None, False, self.__concurrency__).get("If-Match")

    def _patch_request(
        self, key: Key, changes: Mapping[str, Any], etag: str | None, return_entity: bool
    ) -> dict[str, Any]:
        owner = self.__model__.__name__
        self._key(key, "patch")
        return {
            "json": patch_body(owner, changes, self.__constraints__),
            "headers": patch_headers(key, etag, return_entity, self.__concurrency__),
        }


ES = TypeVar("ES", bound="EntitySet[Any, Any, Any]")
AES = TypeVar("AES", bound="AsyncEntitySet[Any, Any, Any]")


class EntitySet(_EntitySetBase[M, Q, K], SyncAtPath[M]):
    """A synchronous entity set: `get`, `query`; generated subclasses add `patch`, `create` and operations."""

    def __init__(self, session: Session, path: ResourcePath | None = None) -> None:
        self._session = session
        self._path = self._at(path)

    def get(self, key: K, *, expand: Iterable[Expandable] = (), select: Iterable[Selectable] = ()) -> M:
        """One entity by key; NotFoundError when there is none."""
        return self._entity(self._session.get_json(self._url(key, expand, select)))

    def query(self) -> EntityQuery[M, Q]:
        """A typed query over the set: `.filter(...)`, `.expand(...)`, ... then `.iter()`, `.list()`, `.count()`."""
        return EntityQuery(self, Query(self.__query_type__))

    def cast(self, cls: type[ES]) -> ES:
        """The entities of a derived type (`People/NS.Employee`), as that type's collection class."""
        return cls(self._session, self._cast_path(cls))

    def _navigate(self, cls: type[R], key: K) -> R:
        return cls(self._session, self._keyed(key, "navigate"), self._etag_of(key))  # type: ignore[call-arg]

    def _patch(self, key: K, changes: Mapping[str, Any], *, etag: str | None, return_entity: bool) -> M | None:
        request = self._patch_request(key, changes, etag, return_entity)
        response = self._session.request("PATCH", self._keyed(key, "patch").url(), **request)
        if not return_entity:
            return None
        # 200 carries the entity; a server that ignored the Prefer header answered 204: read it back.
        found = self._response_entity(response)
        return found if found is not None else self.get(key)

    def _create(self, entity: M) -> M:
        response = self._session.request("POST", self._path.url(), json=create_body(entity))
        found = self._response_entity(response)
        return found if found is not None else entity


class AsyncEntitySet(_EntitySetBase[M, Q, K], AsyncAtPath[M]):
    """The asynchronous twin of EntitySet."""

    def __init__(self, session: AsyncSession, path: ResourcePath | None = None) -> None:
        self._session = session
        self._path = self._at(path)

    async def get(self, key: K, *, expand: Iterable[Expandable] = (), select: Iterable[Selectable] = ()) -> M:
        """One entity by key; NotFoundError when there is none."""
        return self._entity(await self._session.get_json(self._url(key, expand, select)))

    def query(self) -> AsyncEntityQuery[M, Q]:
        return AsyncEntityQuery(self, Query(self.__query_type__))

    def cast(self, cls: type[AES]) -> AES:
        return cls(self._session, self._cast_path(cls))

    def _navigate(self, cls: type[R], key: K) -> R:
        return cls(self._session, self._keyed(key, "navigate"), self._etag_of(key))  # type: ignore[call-arg]

    async def _patch(self, key: K, changes: Mapping[str, Any], *, etag: str | None, return_entity: bool) -> M | None:
        request = self._patch_request(key, changes, etag, return_entity)
        response = await self._session.request("PATCH", self._keyed(key, "patch").url(), **request)
        if not return_entity:
            return None
        found = self._response_entity(response)
        return found if found is not None else await self.get(key)

    async def _create(self, entity: M) -> M:
        response = await self._session.request("POST", self._path.url(), json=create_body(entity))
        found = self._response_entity(response)
        return found if found is not None else entity


class _QueryBuilder(WithOptions, Generic[Q]):
    """The builder half of an entity query: each method returns a new query over the same entity set."""

    query: Query[Q]
    entity_set: _EntitySetBase[Any, Q, Any]

    def _core(self) -> Any:
        return self.entity_set._core()

    def _view(self, session: Any) -> Self:
        return attrs.evolve(self, entity_set=self.entity_set._view(session))  # type: ignore[misc]

    def _with(self, query: Query[Q]) -> Self:
        return attrs.evolve(self, query=query)  # type: ignore[misc]  # subclasses are attrs classes

    def filter(self, *conditions: BoolExpr) -> Self:
        return self._with(self.query.filter(*conditions))

    def select(self, *paths: Selectable) -> Self:
        return self._with(self.query.select(*paths))

    def expand(self, *items: Expandable) -> Self:
        return self._with(self.query.expand(*items))

    def order_by(self, *keys: OrderItem) -> Self:
        return self._with(self.query.order_by(*keys))

    def top(self, n: int) -> Self:
        return self._with(self.query.top(n))

    def skip(self, n: int) -> Self:
        return self._with(self.query.skip(n))

    def search(self, text: str) -> Self:
        return self._with(self.query.search(text))

    def include_count(self) -> Self:
        """Ask for `$count=true`: pages then carry the total in `count`."""
        return self._with(self.query.count())

    def url(self) -> str:
        """The relative URL this query reads, e.g. for logging."""
        return self.entity_set._query_url(self.query)

    def _count_url(self) -> str:
        return self.entity_set._count_query_url(self.query)

    def __str__(self) -> str:
        return self.url()

    def __repr__(self) -> str:
        """`EntityQuery('Leads?$filter=Score%20gt%2010&$top=5' -> Lead)`: the URL it reads, and the type read."""
        return f"{type(self).__name__}({self.url()!r} -> {_model_name(self.entity_set)})"


@attrs.frozen(repr=False)  # _QueryBuilder's repr
class EntityQuery(_QueryBuilder[Q], Generic[M, Q]):
    """A typed query bound to a synchronous entity set. Reading methods send requests; builders do not."""

    entity_set: EntitySet[M, Q, Any]
    query: Query[Q]

    def pages(self, *, max_page_size: int | None = None) -> Iterator[EntityPage[M]]:
        """Server pages, following `@odata.nextLink`; one page is held at a time."""
        for raw in paging.iter_pages(self.entity_set._session, self.url(), max_page_size=max_page_size):
            page = self.entity_set._page(raw)
            del raw  # the parsed JSON is not needed once the page is typed
            yield page
            del page  # nor is this page once the caller asks for the next

    def iter(self, *, max_page_size: int | None = None) -> Iterator[M]:
        """Every matching entity, across all pages, lazily."""
        for page in self.pages(max_page_size=max_page_size):
            items = page.items
            del page  # drop each page before the next is fetched: memory stays at about one page
            yield from items
            del items

    def list(self, limit: int | None = None, *, max_page_size: int | None = None) -> list[M]:
        """The matching entities in a list; with `limit`, at most that many (and no page past them)."""
        found: list[M] = []
        if limit is not None and limit <= 0:
            return found
        for entity in self.iter(max_page_size=max_page_size):
            found.append(entity)
            if len(found) == limit:
                break  # before asking for the next entity, which could mean reading the next page
        return found

    def first(self) -> M | None:
        """The first matching entity (`$top=1`), or None; a server ignoring `$top` still costs one page."""
        return next(iter(self.top(1).list(limit=1)), None)

    def count(self) -> int:
        """How many entities match (`/$count`, with this query's $filter and $search only)."""
        return paging.count(self.entity_set._session, self._count_url())


@attrs.frozen(repr=False)  # _QueryBuilder's repr
class AsyncEntityQuery(_QueryBuilder[Q], Generic[M, Q]):
    """The asynchronous twin of EntityQuery."""

    entity_set: AsyncEntitySet[M, Q, Any]
    query: Query[Q]

    async def pages(self, *, max_page_size: int | None = None) -> AsyncIterator[EntityPage[M]]:
        async for raw in paging.aiter_pages(self.entity_set._session, self.url(), max_page_size=max_page_size):
            page = self.entity_set._page(raw)
            del raw
            yield page
            del page

    async def iter(self, *, max_page_size: int | None = None) -> AsyncIterator[M]:
        async for page in self.pages(max_page_size=max_page_size):
            items = page.items
            del page
            for entity in items:
                yield entity
            del items

    async def list(self, limit: int | None = None, *, max_page_size: int | None = None) -> list[M]:
        found: list[M] = []
        if limit is not None and limit <= 0:
            return found
        async for entity in self.iter(max_page_size=max_page_size):
            found.append(entity)
            if len(found) == limit:
                break
        return found

    async def first(self) -> M | None:
        found = await self.top(1).list(limit=1)
        return found[0] if found else None

    async def count(self) -> int:
        return await paging.acount(self.entity_set._session, self._count_url())
