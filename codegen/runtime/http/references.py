"""Links between entities (`$ref`), sync and async: what `client.people.navigate("x").friends_refs` is.

OData addresses the relationship itself, not the related entities, at `Nav/$ref` (Protocol section 11.4.6,
URL conventions section 4.4):

    collection-valued   add      POST   People('x')/Friends/$ref         {"@odata.id": "<root>/People('y')"}
                        remove   DELETE People('x')/Friends/$ref?$id=<root>/People('y')
                        list     GET    People('x')/Friends/$ref         {"value": [{"@odata.id": ...}], ...}
    single-valued       set      PUT    People('x')/BestFriend/$ref      {"@odata.id": "<root>/People('y')"}
                        delete   DELETE People('x')/BestFriend/$ref
                        get      GET    People('x')/BestFriend/$ref      {"@odata.id": ...}, or nothing

A removal names the entity with `$id`: OData 4.0 requires that form for a collection-valued navigation, and
4.01 keeps it (4.01 adds `Friends('y')/$ref`, which a 4.0 service need not understand). The `@odata.id` sent
is the target's canonical URL, absolute: the service root, the entity set the navigation property is bound
to (the generator reads it from the NavigationPropertyBinding), and the key predicate, built by the same
checked path code as every other request, so a key cannot add `/`, `?` or `#` to it.

Listing yields the ids as absolute URLs: a relative one is resolved against the service root, as OData JSON
resolves a nextLink. Pages are followed with the same checks as a query's (`paging`). Errors are the
session's typed errors (a 404 for an unknown key is a `NotFoundError`).
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from typing import Any, Generic, TypeVar

from ..query import percent_encode
from ..query.keys import Key
from . import paging
from .errors import MalformedResponseError, clip, redact_url
from .exchange import SessionCore, decode_json
from .options import WithOptions
from .paths import ResourcePath
from .requests import check_key
from .session import AsyncSession, Session
from .urls import resolve, resolve_link

__all__ = ["AsyncCollectionRefs", "AsyncSingleRef", "CollectionRefs", "SingleRef"]

# The target's key type: `str | Person` for a navigation to people (a key value, or an entity read earlier).
K = TypeVar("K", bound=Key)


class _Refs(WithOptions, Generic[K]):
    """What every flavour shares: the navigation's path, the entity set its targets are in, and the ids."""

    _session: SessionCore

    def __init__(self, source: ResourcePath, navigation: str, target_set: str) -> None:
        self._path = source.child(navigation)  # refuses a name that is not an identifier
        self._ref = ResourcePath(f"{self._path.path}/$ref", self._path.aliases)
        self._target = ResourcePath.named(target_set)  # refuses a name that is not an entity set's

    def __repr__(self) -> str:
        """`CollectionRefs("People('x')/Friends/$ref" -> People)`: the links' URL and where their targets are."""
        return f"{type(self).__name__}({self._ref.url()!r} -> {self._target.path})"

    @property
    def path(self) -> str:
        """The relative URL of the links, e.g. for logging: `People('x')/Friends/$ref`."""
        return self._ref.url()

    def id_of(self, target: K) -> str:
        """The `@odata.id` sent for `target` (a key, or an entity): `https://host/root/People('y')`."""
        check_key(target, f"{self._path.path}/$ref")
        return resolve(self._session.service_root, self._target.keyed(target).path)  # an id: no query options

    def _body(self, target: K) -> dict[str, Any]:
        return {"@odata.id": self.id_of(target)}

    def _removal_url(self, target: K) -> str:
        return self._ref.url(f"$id={percent_encode(self.id_of(target))}")

    def _read_id(self, item: Any, url: str) -> str:
        """The absolute URL of one entity reference in an answer; a MalformedResponseError if it is none."""
        found = item.get("@odata.id") if isinstance(item, dict) else None
        if not isinstance(found, str) or not found:
            shown = clip(repr(item), 200)
            raise MalformedResponseError(
                f"an entity reference has no @odata.id string: {shown}", method="GET", url=redact_url(url)
            ).scrub(self._session.scrubber())
        return resolve_link(self._session.service_root, found)


class _SyncRefs(_Refs[K]):
    def __init__(self, session: Session, source: ResourcePath, navigation: str, target_set: str) -> None:
        """The links of `navigation` from the entity at `source`, to entities of `target_set`."""
        super().__init__(source, navigation, target_set)
        self._session: Session = session


class _AsyncRefs(_Refs[K]):
    def __init__(self, session: AsyncSession, source: ResourcePath, navigation: str, target_set: str) -> None:
        """The links of `navigation` from the entity at `source`, to entities of `target_set`."""
        super().__init__(source, navigation, target_set)
        self._session: AsyncSession = session


class CollectionRefs(_SyncRefs[K]):
    """The links of a collection-valued navigation property: `add`, `remove`, `iter`/`list` their ids."""

    def add(self, target: K) -> None:
        """Link `target` (a key or an entity of the bound entity set): `POST Nav/$ref`."""
        self._session.request("POST", self._ref.url(), json=self._body(target))

    def remove(self, target: K) -> None:
        """Unlink `target` (the entity stays): `DELETE Nav/$ref?$id=...`."""
        self._session.request("DELETE", self._removal_url(target))

    def iter(self, *, max_page_size: int | None = None) -> Iterator[str]:
        """The `@odata.id` of every linked entity, across pages, lazily."""
        for page in paging.iter_pages(self._session, self._ref.url(), max_page_size=max_page_size):
            ids = [self._read_id(item, page.url) for item in page.items]
            del page
            yield from ids

    def list(self, limit: int | None = None, *, max_page_size: int | None = None) -> list[str]:
        """The ids in a list; with `limit`, at most that many (and no page past them)."""
        found: list[str] = []
        if limit is not None and limit <= 0:
            return found
        for entity_id in self.iter(max_page_size=max_page_size):
            found.append(entity_id)
            if len(found) == limit:
                break
        return found


class AsyncCollectionRefs(_AsyncRefs[K]):
    """The asynchronous twin of CollectionRefs."""

    async def add(self, target: K) -> None:
        await self._session.request("POST", self._ref.url(), json=self._body(target))

    async def remove(self, target: K) -> None:
        await self._session.request("DELETE", self._removal_url(target))

    async def iter(self, *, max_page_size: int | None = None) -> AsyncIterator[str]:
        async for page in paging.aiter_pages(self._session, self._ref.url(), max_page_size=max_page_size):
            ids = [self._read_id(item, page.url) for item in page.items]
            del page
            for entity_id in ids:
                yield entity_id

    async def list(self, limit: int | None = None, *, max_page_size: int | None = None) -> list[str]:
        found: list[str] = []
        if limit is not None and limit <= 0:
            return found
        async for entity_id in self.iter(max_page_size=max_page_size):
            found.append(entity_id)
            if len(found) == limit:
                break
        return found


class SingleRef(_SyncRefs[K]):
    """The link of a single-valued navigation property: `set` (replace) it, `delete` it, `get` its id."""

    def set(self, target: K) -> None:
        """Link `target` in place of the current one: `PUT Nav/$ref`."""
        self._session.request("PUT", self._ref.url(), json=self._body(target))

    def delete(self) -> None:
        """Remove the link (the entity stays): `DELETE Nav/$ref`."""
        self._session.request("DELETE", self._ref.url())

    def get(self) -> str | None:
        """The `@odata.id` of the linked entity; None when there is none (an empty answer)."""
        url = self._session.url(self._ref.url())
        data = decode_json(self._session.request("GET", url), self._session.scrubber())
        return None if data is None else self._read_id(data, url)


class AsyncSingleRef(_AsyncRefs[K]):
    """The asynchronous twin of SingleRef."""

    async def set(self, target: K) -> None:
        await self._session.request("PUT", self._ref.url(), json=self._body(target))

    async def delete(self) -> None:
        await self._session.request("DELETE", self._ref.url())

    async def get(self) -> str | None:
        url = self._session.url(self._ref.url())
        data = decode_json(await self._session.request("GET", url), self._session.scrubber())
        return None if data is None else self._read_id(data, url)
