"""What every client object at a resource path shares, entity sets and collections as well as single entities
and singletons: reading entities from answers, and calling operations bound to the path, written once with a
sync and an async flavour of the calls that send.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, ClassVar, Generic, TypeVar

import httpx

from ..model import ODataModel
from .errors import Scrubber
from .exchange import SessionCore
from .paths import OperationCall, ResourcePath, operation_call
from .requests import operation_result, structure_response
from .session import AsyncSession, Session

M = TypeVar("M", bound=ODataModel)
# A generated collection class (built from a session and a path), which a function's entity results are read as.
C = TypeVar("C")


class AtPath(Generic[M]):
    """The resource at `_path`, whose entities read as `__model__`."""

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


class SyncAtPath(AtPath[M]):
    _session: Session

    def _invoke(self, kind: str, path: str, arguments: Mapping[str, Any], *, returns: Any, collection: bool) -> Any:
        call = self._operation(kind, path, arguments)
        response = self._session.request(call.method, call.url, json=call.body)
        return operation_result(response, returns, collection, self._scrubber())

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
        call = self._operation(kind, path, arguments)
        response = await self._session.request(call.method, call.url, json=call.body)
        return operation_result(response, returns, collection, self._scrubber())

    def _function_collection(
        self, cls: Callable[[AsyncSession, ResourcePath], C], path: str, arguments: Mapping[str, Any]
    ) -> C:
        return cls(self._session, self._operation("function", path, arguments).target)
