"""Server-driven paging (`@odata.nextLink`) and `/$count`, sync and async, with bounded memory.

`iter_pages(session, "Leads?$filter=...")` GETs the collection and yields one `Page` per response, following
`@odata.nextLink` until a page has none. It is a generator that holds one page at a time: the page just
yielded is dropped before the next one is requested, so 100 pages of 1000 entities cost one page of memory
(plus the set of URLs already visited, a few bytes per page, which is what detects a loop).
(The caller's own reference to a page is the caller's business.) `path` is relative to the service root
(`Leads?$filter=...`, percent-encoded by the query layer) or an absolute URL on its origin.
`iter_items` yields the entities one by one over the same pages. `aiter_pages`/`aiter_items` are the
`AsyncSession` twins; both flavours use the same checks below.

Links. A relative nextLink is resolved against the service root as a directory (`urls.resolve_link`, the
OData JSON rule: relative to the context URL `{root}/$metadata`): `Leads?$skiptoken=2` and
`/odata/V2/Leads?$skiptoken=2` and `https://host/odata/V2/Leads?$skiptoken=2` all name the same page.
The link is then sent exactly as written, never re-encoded. A link to another scheme, host or port is a
`PagingError` (the session's credentials are only sent to the service), and so is a link already visited
(the server would page forever); its URL appears in the message with any user information removed.

`max_page_size` asks for `Prefer: odata.maxpagesize=N` on every page request; the server may ignore it.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator, Mapping
from typing import Any, Final

import attrs
import httpx

from .errors import ODataError, PagingError, Scrubber, clip, error_from_response, redact_url
from .session import AsyncSession, Session
from .urls import normal_url, origin, resolve_link

__all__ = [
    "Page",
    "acount",
    "aiter_items",
    "aiter_pages",
    "count",
    "count_url",
    "iter_items",
    "iter_pages",
    "page_headers",
    "parse_count",
    "read_page",
]

_COUNT_ACCEPT: Final[Mapping[str, str]] = {"Accept": "text/plain"}
_DIGITS: Final = re.compile(r"[0-9]{1,19}")  # an Int64 count; more digits are not a count


@attrs.frozen(eq=False)
class Page:
    """One response of a paged collection.

    `items` are the entity objects of its `value` array, as parsed (`Decimal` for non-integers); iterating,
    `len()` and indexing a page go to `items`. `count` is `@odata.count` (sent when the query asked for
    `$count=true`, usually on the first page only), `next_link` the `@odata.nextLink` exactly as the server
    wrote it (None on the last page), `url` the absolute URL this page was read from, `annotations` every
    other member of the response object (`@odata.context`, `@odata.deltaLink`, ...).
    """

    items: list[dict[str, Any]]
    url: str
    next_link: str | None = None
    count: int | None = None
    annotations: Mapping[str, Any] = attrs.field(factory=dict)

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)

    def __getitem__(self, index: int) -> dict[str, Any]:
        return self.items[index]

    def __repr__(self) -> str:
        more = f", next_link={redact_url(self.next_link)!r}" if self.next_link else ""
        return f"Page({len(self.items)} items from {redact_url(self.url)!r}{more})"


# --- decisions shared by both flavours ---------------------------------------------------------------------


def page_headers(max_page_size: int | None) -> dict[str, str]:
    """The extra headers of every page request: `Prefer: odata.maxpagesize=N` when a size is asked for."""
    if max_page_size is None:
        return {}
    if isinstance(max_page_size, bool) or not isinstance(max_page_size, int):
        raise TypeError(f"max_page_size must be an int, not {type(max_page_size).__name__} {max_page_size!r}")
    if max_page_size < 1:
        raise ValueError(f"max_page_size must be 1 or more, not {max_page_size}")
    return {"Prefer": f"odata.maxpagesize={max_page_size}"}


def read_page(url: str, body: Any) -> Page:
    """The `Page` in a collection response `body` read from `url`; `PagingError` when it is not one."""
    if not isinstance(body, dict) or not isinstance(body.get("value"), list):
        raise PagingError("the response is not a collection: it has no 'value' array", method="GET", url=_r(url))
    items: list[Any] = body["value"]
    for item in items:
        if not isinstance(item, dict):
            raise PagingError(
                f"the 'value' array holds a {type(item).__name__}, not entity objects", method="GET", url=_r(url)
            )
    next_link = body.get("@odata.nextLink")
    if next_link is not None and not isinstance(next_link, str):
        raise PagingError(f"@odata.nextLink is not a string: {next_link!r}", method="GET", url=_r(url))
    return Page(
        items=items,
        url=url,
        next_link=next_link,
        count=_count_annotation(body.get("@odata.count"), url),
        annotations={key: value for key, value in body.items() if key != "value"},
    )


class _Links:
    """The URLs visited so far, and the check of each next link against them and the service's origin."""

    def __init__(self, root: str, first_url: str) -> None:
        self._root = root
        self._origin = origin(root)
        self._seen = {normal_url(first_url)}

    def follow(self, link: str | None, page_url: str, scrub: Scrubber) -> str | None:
        """The absolute URL of the next page, None after the last; `PagingError` for a link not to follow.

        A link that carries the client's credentials is never followed: sending it would write them into the
        logs of every server and proxy on the way (and into httpx's own log line).
        """
        if link is None:
            return None
        if scrub.reveals(link):
            raise PagingError(
                "refusing @odata.nextLink: it carries this client's credentials", method="GET", url=_r(page_url)
            )
        try:
            url = resolve_link(self._root, link)
            leaves = origin(url) != self._origin
            _r(url)
        except (httpx.InvalidURL, ValueError, UnicodeError):  # IDNA, IPv6, NUL, lone surrogates, ...
            shown = clip(repr(scrub(link)), 100)  # scrubbed whole, then cut: no part of a secret survives
            raise PagingError(f"@odata.nextLink {shown} is not a URL", method="GET", url=_r(page_url)) from None
        if leaves:
            raise PagingError(
                f"refusing @odata.nextLink {_r(url)}: it leaves the service's origin {_r(self._root)}",
                method="GET",
                url=_r(page_url),
            )
        normal = normal_url(url)
        if normal in self._seen:
            raise PagingError(
                f"@odata.nextLink {_r(url)} repeats a page already read; paging would not end",
                method="GET",
                url=_r(page_url),
            )
        self._seen.add(normal)
        return url


def count_url(path_or_url: str) -> str:
    """`Leads?$filter=...` -> `Leads/$count?$filter=...` (a path already ending in `/$count` is kept)."""
    path, mark, query = path_or_url.partition("?")
    if not path.rstrip("/").endswith("/$count"):
        path = f"{path.rstrip('/')}/$count"
    return f"{path}{mark}{query}"


def parse_count(response: httpx.Response) -> int:
    """The number in a `/$count` response (`text/plain` digits)."""
    if not response.is_success:
        raise error_from_response(response)
    text = response.text[:1000].strip().lstrip("\ufeff").strip()
    if not _DIGITS.fullmatch(text):
        raise ODataError.about(response, f"$count answered {text[:100]!r}, not a number")
    return int(text)


def _count_annotation(value: Any, url: str) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and _DIGITS.fullmatch(value):  # IEEE754Compatible=true writes it as a string
        return int(value)
    raise PagingError(f"@odata.count is not a count: {value!r}", method="GET", url=_r(url))


def _r(url: str) -> str:
    return redact_url(url)


def _read_page(session: Session | AsyncSession, url: str, body: Any) -> Page:
    """`read_page`, its error (which may quote what the server sent) with the session's secrets blanked out."""
    try:
        return read_page(url, body)
    except PagingError as error:
        failure = error.scrub(session.scrubber())
    raise failure from None


# --- sync --------------------------------------------------------------------------------------------------


def iter_pages(
    session: Session, path: str, *, max_page_size: int | None = None, first_body: Any = None
) -> Iterator[Page]:
    """The pages of a collection, following nextLinks (see the module text). `first_body`: the answer already
    read from `path` (an action's POST, which cannot be sent again as a GET), its first page."""
    headers = page_headers(max_page_size)
    first = session.url(path)
    links = _Links(session.service_root, first)
    url: str | None = first
    body, first_body = first_body, None  # held until read, as every later page is
    while url is not None:
        page = _read_page(session, url, body if body is not None else session.get_json(url, headers=headers))
        body = None
        link = page.next_link
        yield page
        del page  # hold nothing of this page while the next one is fetched
        url = links.follow(link, url, session.scrubber())


def iter_items(session: Session, path: str, *, max_page_size: int | None = None) -> Iterator[dict[str, Any]]:
    """The entity objects of a collection across all its pages, one page in memory at a time."""
    for page in iter_pages(session, path, max_page_size=max_page_size):
        items = page.items
        del page  # as in iter_pages: nothing of this page is held while the next one is fetched
        yield from items
        del items


def count(session: Session, path: str) -> int:
    """`GET {path}/$count`: the number of entities the collection (with its `$filter`/`$search`) holds."""
    return parse_count(session.request("GET", count_url(path), headers=_COUNT_ACCEPT))


# --- async -------------------------------------------------------------------------------------------------


async def aiter_pages(
    session: AsyncSession, path: str, *, max_page_size: int | None = None, first_body: Any = None
) -> AsyncIterator[Page]:
    """The pages of a collection, following nextLinks (see the module text and `iter_pages`)."""
    headers = page_headers(max_page_size)
    first = session.url(path)
    links = _Links(session.service_root, first)
    url: str | None = first
    body, first_body = first_body, None
    while url is not None:
        page = _read_page(session, url, body if body is not None else await session.get_json(url, headers=headers))
        body = None
        link = page.next_link
        yield page
        del page  # hold nothing of this page while the next one is fetched
        url = links.follow(link, url, session.scrubber())


async def aiter_items(
    session: AsyncSession, path: str, *, max_page_size: int | None = None
) -> AsyncIterator[dict[str, Any]]:
    """The entity objects of a collection across all its pages, one page in memory at a time."""
    async for page in aiter_pages(session, path, max_page_size=max_page_size):
        items = page.items
        del page  # as in aiter_pages: nothing of this page is held while the next one is fetched
        for item in items:
            yield item
            del item
        del items


async def acount(session: AsyncSession, path: str) -> int:
    """`GET {path}/$count`: the number of entities the collection (with its `$filter`/`$search`) holds."""
    return parse_count(await session.request("GET", count_url(path), headers=_COUNT_ACCEPT))
