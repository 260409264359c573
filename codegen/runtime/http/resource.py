"""What every client object at a resource path shares, entity sets and collections as well as single entities
and singletons: reading entities from answers, and calling operations bound to the path, written once with a
sync and an async flavour of the calls that send.

An operation's collection result may come in pages (`@odata.nextLink`, even after an action's POST): its
items are read as `EntityQuery.iter` reads a query's, one page in memory at a time, each next link checked
by `paging` (same origin, no credentials in it, no page twice) and fetched with GET.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import httpx

from ..model import ODataModel
from . import paging
from .errors import Scrubber
from .exchange import SessionCore, read_json
from .options import WithOptions
from .paths import OperationCall, ResourcePath, operation_call
from .requests import operation_result, read_result, structure_response
from .session import AsyncSession, Session

M = TypeVar("M", bound=ODataModel)
# A generated collection class (built from a session and a path), which a function's entity results are read as.
C = TypeVar("C")


class AtPath(WithOptions, Generic[M]):
    """The resource at `_path`, whose entities read as `__model__`; `with_options` and `preview` (see `options`)."""

    __model__: ClassVar[type[Any]]
    _path: ResourcePath

    def _scrubber(self) -> Scrubber:
        session: SessionCore = getattr(self, "_session")  # each flavour sets its own session type
        return session.scrubber()

    def _entity(self, data: Any, response: httpx.Response | None = None) -> M:
        entity: M = structure_response(data, self.__model__, self._scrubber(), response)
        return entity

    def _operation(self, kind: str, path: str, arguments: Mapping[str, Any]) -> OperationCall:
        """Bound to the resource at this path: a collection (`People/NS.Op`) or one entity (`People('x')/NS.Op`)."""
        return operation_call(kind, path, arguments, self._path)

    def _first_items(self, data: Any, returns: Any, response: httpx.Response) -> list[Any]:
        """The items of an unpaged collection result (a `value` array, or a bare one)."""
        found: list[Any] | None = read_result(data, returns, True, self._scrubber(), response)
        return found if found is not None else []

    def _page_items(self, page: paging.Page, returns: Any) -> list[Any]:
        # One scrubber for the whole page, not one per entity: a page holds thousands.
        scrub = self._scrubber()
        return [structure_response(item, returns, scrub) for item in page.items]


def _paged(data: Any) -> bool:
    """Whether a collection result has more pages: the paging checks then read it, `value` and link alike."""
    return isinstance(data, dict) and data.get("@odata.nextLink") is not None


class SyncAtPath(AtPath[M]):
    _session: Session

    def _invoke(self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any, collection: bool) -> Any:
        if collection and returns is not None:
            return list(self._invoke_iter(kind, path, arguments, returns=returns))
        call = self._operation(kind, path, arguments)
        response = self._session.request(call.method, call.url, json=call.body)
        return operation_result(response, returns, collection, self._scrubber())

    def _invoke_iter(self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any) -> Iterator[Any]:
        """The items of an operation's collection result across its pages, lazily (see the module text)."""
        call = self._operation(kind, path, arguments)
        response = self._session.request(call.method, call.url, json=call.body)
        data = read_json(response, self._scrubber())
        if not _paged(data):
            yield from self._first_items(data, returns, response)
            return
        pages = paging.iter_pages(self._session, call.url, first_body=data)
        del data, response  # the pages hold the first body until it is read, then let it go
        for page in pages:
            items = self._page_items(page, returns)
            del page
            yield from items
            del items

    def _function_collection(
        self, cls: Callable[[Session, ResourcePath], C], path: str, arguments: Mapping[str, Any]
    ) -> C:
        """The entities a bound function returns: their collection class at `.../NS.F(p=@p)?@p=1` (query, paging)."""
        return cls(self._session, self._operation("function", path, arguments).target)


class AsyncAtPath(AtPath[M]):
    _session: AsyncSession

    async def _invoke(
        self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any, collection: bool
    ) -> Any:
        if collection and returns is not None:
            return [item async for item in self._invoke_iter(kind, path, arguments, returns=returns)]
        call = self._operation(kind, path, arguments)
        response = await self._session.request(call.method, call.url, json=call.body)
        return operation_result(response, returns, collection, self._scrubber())

    async def _invoke_iter(
        self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any
    ) -> AsyncIterator[Any]:
        call = self._operation(kind, path, arguments)
        response = await self._session.request(call.method, call.url, json=call.body)
        data = read_json(response, self._scrubber())
        if not _paged(data):
            for item in self._first_items(data, returns, response):
                yield item
            return
        pages = paging.aiter_pages(self._session, call.url, first_body=data)
        del data, response
        async for page in pages:
            items = self._page_items(page, returns)
            del page
            for item in items:
                yield item
            del items

    def _function_collection(
        self, cls: Callable[[AsyncSession, ResourcePath], C], path: str, arguments: Mapping[str, Any]
    ) -> C:
        return cls(self._session, self._operation("function", path, arguments).target)
