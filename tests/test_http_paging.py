"""codegen/runtime/http/paging.py: nextLink paging and /$count, sync and async, over httpx.MockTransport.

Every behaviour runs through `iter_pages`/`iter_items`/`count` on a Session and through their async twins
on an AsyncSession (the `mode` fixture).

- Links: relative (`Leads?...`), host-relative (`/odata/V2/Leads?...`) and absolute nextLinks are resolved
  against the service root and sent byte for byte; links to another host, scheme or port are refused before
  anything is sent there; a link that repeats (itself, or an earlier page in another spelling) is refused.
- Pages: items in order, `@odata.count`, annotations, `Prefer: odata.maxpagesize`, bad payloads, errors and
  retries in the middle of paging, laziness (nothing is fetched before it is asked for).
- Memory: 100 pages of 1000 entities, produced lazily by the transport. With the cyclic garbage collector
  switched off (so only reference counting frees anything), no earlier page and no earlier response is
  alive when the next page is fetched; and tracemalloc's peak over all 100 pages stays within twice the
  peak of reading the first one.
"""

from __future__ import annotations

import asyncio
import gc
import json
import tracemalloc
import weakref
from collections.abc import Callable, Iterator
from typing import Any

import httpx
import pytest

from codegen.runtime.http.errors import NotFoundError, ODataError, PagingError, ServerError
from codegen.runtime.http.paging import (
    Page,
    acount,
    aiter_items,
    aiter_pages,
    count,
    count_url,
    iter_items,
    iter_pages,
)
from codegen.runtime.http.retry import RetryPolicy
from codegen.runtime.http.session import AsyncSession, Session
from codegen.runtime.http.urls import normal_url

BASE = "https://acme.example.com"
ROOT = "https://acme.example.com/odata/V2"
FILTER = "$filter=Name%20eq%20%27a%2Bb%20c%27"

Handler = Callable[[httpx.Request], httpx.Response]


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


class Server:
    """Answers each exact URL (as sent, byte for byte) with its JSON body or status; records the requests."""

    def __init__(self, answers: dict[str, Any]) -> None:
        self.answers = answers
        self.requests: list[httpx.Request] = []

    @property
    def urls(self) -> list[str]:
        return [str(request.url) for request in self.requests]

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        answer = self.answers.get(str(request.url))
        if answer is None:
            return httpx.Response(404, json={"error": {"code": "NoSuchPage", "message": str(request.url)}})
        if callable(answer):
            result: httpx.Response = answer(request)
            return result
        if isinstance(answer, int):
            return httpx.Response(answer)
        return httpx.Response(200, json=answer)


def page(first: int, last: int, next_link: str | None = None, **annotations: Any) -> dict[str, Any]:
    body: dict[str, Any] = {"@odata.context": f"{ROOT}/$metadata#Leads", **annotations}
    body["value"] = [{"LeadId": n, "Latitude": 34.448123} for n in range(first, last + 1)]
    if next_link is not None:
        body["@odata.nextLink"] = next_link
    return body


def collect(
    mode: str,
    handler: Handler,
    path: str = f"Leads?{FILTER}",
    *,
    received: list[Any] | None = None,
    items: bool = False,
    max_page_size: int | None = None,
    **kwargs: Any,
) -> list[Any]:
    """Every page (or item) of `path`, appended to `received` as it arrives (so it is kept on an error)."""
    received = [] if received is None else received
    transport = httpx.MockTransport(handler)
    if mode == "sync":
        with Session(BASE, service_path="/odata/V2", transport=transport, **kwargs) as session:
            pages: Iterator[Any] = (iter_items if items else iter_pages)(session, path, max_page_size=max_page_size)
            received.extend(pages)
        return received

    async def main() -> None:
        async with AsyncSession(BASE, service_path="/odata/V2", transport=transport, **kwargs) as session:
            async for element in (aiter_items if items else aiter_pages)(session, path, max_page_size=max_page_size):
                received.append(element)

    asyncio.run(main())
    return received


def ids(pages: list[Page]) -> list[list[int]]:
    return [[item["LeadId"] for item in p.items] for p in pages]


# --- links -------------------------------------------------------------------------------------------------

LINK_STYLES = {
    "relative": "Leads?{q}&$skiptoken={n}",
    "host-relative": "/odata/V2/Leads?{q}&$skiptoken={n}",
    "absolute": "https://acme.example.com/odata/V2/Leads?{q}&$skiptoken={n}",
}


@pytest.mark.parametrize("style", list(LINK_STYLES))
def test_three_pages_yield_every_item_in_order(mode: str, style: str) -> None:
    link = LINK_STYLES[style]
    server = Server(
        {
            f"{ROOT}/Leads?{FILTER}": page(1, 3, link.format(q=FILTER, n=2)),
            f"{ROOT}/Leads?{FILTER}&$skiptoken=2": page(4, 6, link.format(q=FILTER, n=3)),
            f"{ROOT}/Leads?{FILTER}&$skiptoken=3": page(7, 7),
        }
    )
    pages = collect(mode, server)
    assert ids(pages) == [[1, 2, 3], [4, 5, 6], [7]]
    assert server.urls == [
        f"{ROOT}/Leads?{FILTER}",
        f"{ROOT}/Leads?{FILTER}&$skiptoken=2",
        f"{ROOT}/Leads?{FILTER}&$skiptoken=3",
    ]
    assert server.requests[1].url.raw_path == f"/odata/V2/Leads?{FILTER}&$skiptoken=2".encode()
    assert [p.next_link for p in pages] == [link.format(q=FILTER, n=2), link.format(q=FILTER, n=3), None]
    assert [p.url for p in pages] == server.urls
    assert all(p.count is None for p in pages)


def test_link_styles_can_mix_and_items_flow_across_pages(mode: str) -> None:
    server = Server(
        {
            f"{ROOT}/Leads": page(1, 2, "Leads?$skiptoken=2"),
            f"{ROOT}/Leads?$skiptoken=2": page(3, 4, "/odata/V2/Leads?$skiptoken=3"),
            f"{ROOT}/Leads?$skiptoken=3": page(5, 6, f"{ROOT}/Leads?$skiptoken=4"),
            f"{ROOT}/Leads?$skiptoken=4": page(7, 7),
        }
    )
    items = collect(mode, server, "Leads", items=True)
    assert [item["LeadId"] for item in items] == [1, 2, 3, 4, 5, 6, 7]
    assert str(items[0]["Latitude"]) == "34.448123"  # Decimal, exact
    assert len(server.requests) == 4


def test_a_single_page_without_next_link_is_one_request(mode: str) -> None:
    server = Server({f"{ROOT}/Leads": page(1, 2)})
    assert ids(collect(mode, server, "Leads")) == [[1, 2]]
    assert len(server.requests) == 1


def test_same_origin_spelled_differently_is_followed(mode: str) -> None:
    server = Server(
        {
            f"{ROOT}/Leads": page(1, 1, "HTTPS://ACME.Example.COM:443/odata/V2/Leads?$skiptoken=2"),
            f"{ROOT}/Leads?$skiptoken=2": page(2, 2),
        }
    )
    assert ids(collect(mode, server, "Leads")) == [[1], [2]]


@pytest.mark.parametrize(
    "link",
    [
        "https://evil.example.com/odata/V2/Leads?$skiptoken=2",  # another host
        "http://acme.example.com/odata/V2/Leads?$skiptoken=2",  # another scheme
        "https://acme.example.com:8443/odata/V2/Leads?$skiptoken=2",  # another port
        "//evil.example.com/odata/V2/Leads?$skiptoken=2",  # network-path reference: another host
        "https://acme.example.com.evil.example/odata/V2/Leads",  # a host that merely starts the same
        "https://user:secret@evil.example.com/odata/V2/Leads?$skiptoken=2",
    ],
)
def test_a_next_link_to_another_origin_is_refused(mode: str, link: str) -> None:
    server = Server({f"{ROOT}/Leads": page(1, 2, link)})
    received: list[Page] = []
    with pytest.raises(PagingError, match="leaves the service's origin") as caught:
        collect(mode, server, "Leads", received=received)
    assert ids(received) == [[1, 2]]  # the good page came through first
    assert server.urls == [f"{ROOT}/Leads"]  # nothing was sent elsewhere
    assert "secret" not in str(caught.value)
    assert caught.value.url == f"{ROOT}/Leads"


def test_a_next_link_to_itself_is_refused(mode: str) -> None:
    link = f"Leads?{FILTER}&$skiptoken=2"
    server = Server({f"{ROOT}/Leads?{FILTER}": page(1, 1, link), f"{ROOT}/{link}": page(2, 2, link)})
    received: list[Page] = []
    with pytest.raises(PagingError, match="repeats a page") as caught:
        collect(mode, server, received=received)
    assert f"{ROOT}/{link}" in str(caught.value)
    assert ids(received) == [[1], [2]] and len(server.requests) == 2


def test_a_next_link_back_to_the_first_page_is_refused_in_any_spelling(mode: str) -> None:
    server = Server(
        {
            f"{ROOT}/Leads": page(1, 1, "Leads?$skiptoken=2"),
            f"{ROOT}/Leads?$skiptoken=2": page(2, 2, "HTTPS://ACME.example.com:443/odata/V2/Leads#top"),
        }
    )
    with pytest.raises(PagingError, match="repeats a page"):
        collect(mode, server, "Leads")
    assert len(server.requests) == 2


@pytest.mark.parametrize(
    ("url", "normal"),
    [
        ("HTTPS://ACME.Example.com:443/odata/V2/Leads?$a=%2B#x", "https://acme.example.com/odata/V2/Leads?$a=%2B"),
        ("https://u:secret@acme.example.com/Leads", "https://acme.example.com/Leads"),
        ("http://acme.example.com:80", "http://acme.example.com/"),
        ("https://acme.example.com:8443/Leads", "https://acme.example.com:8443/Leads"),
        ("https://[::1]:443/Leads", "https://[::1]/Leads"),
    ],
)
def test_links_are_compared_in_normal_form(url: str, normal: str) -> None:
    assert normal_url(url) == normal


def test_a_repeated_link_is_named_without_credentials(mode: str) -> None:
    link = "https://u:secret@acme.example.com/odata/V2/Leads"
    server = Server({f"{ROOT}/Leads": page(1, 1, link)})
    with pytest.raises(PagingError) as caught:
        collect(mode, server, "Leads")
    assert "secret" not in str(caught.value)
    assert f"{ROOT}/Leads" in str(caught.value)


# --- pages -------------------------------------------------------------------------------------------------


def test_max_page_size_is_asked_for_on_every_page(mode: str) -> None:
    server = Server({f"{ROOT}/Leads": page(1, 1, "Leads?$skiptoken=2"), f"{ROOT}/Leads?$skiptoken=2": page(2, 2)})
    collect(mode, server, "Leads", max_page_size=50)
    assert [r.headers.get("Prefer") for r in server.requests] == ["odata.maxpagesize=50"] * 2
    server.requests.clear()
    collect(mode, server, "Leads")
    assert [r.headers.get("Prefer") for r in server.requests] == [None, None]


@pytest.mark.parametrize(("size", "error"), [(0, ValueError), (-5, ValueError), (True, TypeError), ("10", TypeError)])
def test_bad_max_page_sizes_are_refused_before_sending(mode: str, size: Any, error: type[Exception]) -> None:
    server = Server({})
    with pytest.raises(error, match="max_page_size"):
        collect(mode, server, "Leads", max_page_size=size)
    assert server.requests == []


def test_odata_count_and_annotations_are_exposed(mode: str) -> None:
    server = Server(
        {
            f"{ROOT}/Leads?$count=true": page(1, 2, "Leads?$count=true&$skiptoken=2", **{"@odata.count": 3}),
            f"{ROOT}/Leads?$count=true&$skiptoken=2": page(3, 3, **{"@odata.count": "3", "@odata.deltaLink": "d"}),
        }
    )
    first, second = collect(mode, server, "Leads?$count=true")
    assert (first.count, second.count) == (3, 3)
    assert first.annotations["@odata.context"] == f"{ROOT}/$metadata#Leads"
    assert second.annotations["@odata.deltaLink"] == "d"
    assert "value" not in first.annotations


def test_a_page_reads_like_its_items() -> None:
    p = Page(items=[{"A": 1}, {"A": 2}], url="https://u:pw@h.example/Leads", next_link="https://u:pw@h.example/x")
    assert len(p) == 2 and p[1] == {"A": 2} and list(p) == [{"A": 1}, {"A": 2}]
    assert repr(p) == "Page(2 items from 'https://h.example/Leads', next_link='https://h.example/x')"
    assert weakref.ref(p)() is p


@pytest.mark.parametrize(
    ("body", "match"),
    [
        ({"LeadId": 1}, "not a collection"),
        ({"value": {"LeadId": 1}}, "not a collection"),
        ([1, 2], "not a collection"),
        ({"value": [1, 2]}, "holds a int"),
        ({"value": [], "@odata.nextLink": 5}, "nextLink is not a string"),
        ({"value": [], "@odata.count": "many"}, "not a count"),
        ({"value": [], "@odata.count": True}, "not a count"),
    ],
)
def test_payloads_that_are_not_pages_are_refused(mode: str, body: Any, match: str) -> None:
    with pytest.raises(PagingError, match=match):
        collect(mode, Server({f"{ROOT}/Leads": body}), "Leads")


def test_an_empty_body_is_not_a_page(mode: str) -> None:
    with pytest.raises(PagingError, match="not a collection"):
        collect(mode, Server({f"{ROOT}/Leads": 204}), "Leads")


def test_an_error_in_the_middle_is_raised_after_the_pages_before_it(mode: str) -> None:
    server = Server({f"{ROOT}/Leads": page(1, 2, "Leads?$skiptoken=2")})  # page 2 is not there: 404
    received: list[Page] = []
    with pytest.raises(NotFoundError) as caught:
        collect(mode, server, "Leads", received=received)
    assert ids(received) == [[1, 2]]
    assert caught.value.url == f"{ROOT}/Leads?$skiptoken=2"


def test_a_page_is_retried_like_any_get(mode: str) -> None:
    sleeps: list[float] = []

    async def async_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    answers = iter([503, page(3, 3)])
    server = Server(
        {
            f"{ROOT}/Leads": page(1, 2, "Leads?$skiptoken=2"),
            f"{ROOT}/Leads?$skiptoken=2": lambda request: (
                httpx.Response(a) if isinstance(a := next(answers), int) else httpx.Response(200, json=a)
            ),
        }
    )
    policy = RetryPolicy(random=lambda low, high: high, sleep=sleeps.append, async_sleep=async_sleep)
    assert ids(collect(mode, server, "Leads", retry=policy)) == [[1, 2], [3]]
    assert sleeps == [0.5] and len(server.requests) == 3


def test_pages_are_fetched_only_when_asked_for(mode: str) -> None:
    server = Server({f"{ROOT}/Leads": page(1, 2, "Leads?$skiptoken=2"), f"{ROOT}/Leads?$skiptoken=2": page(3, 3)})
    transport = httpx.MockTransport(server)
    if mode == "sync":
        with Session(BASE, service_path="/odata/V2", transport=transport) as session:
            pages = iter_pages(session, "Leads")
            assert server.requests == []
            assert ids([next(pages)]) == [[1, 2]]
            pages.close()
    else:

        async def main() -> None:
            async with AsyncSession(BASE, service_path="/odata/V2", transport=transport) as session:
                pages = aiter_pages(session, "Leads")
                assert server.requests == []
                assert ids([await pages.__anext__()]) == [[1, 2]]
                await pages.aclose()

        asyncio.run(main())
    assert len(server.requests) == 1


def test_an_off_origin_start_is_refused_before_sending(mode: str) -> None:
    server = Server({})
    with pytest.raises(ValueError, match="not on the service's origin"):
        collect(mode, server, "https://evil.example.com/odata/V2/Leads")
    assert server.requests == []


# --- $count ------------------------------------------------------------------------------------------------


def run_count(mode: str, handler: Handler, path: str) -> int:
    transport = httpx.MockTransport(handler)
    if mode == "sync":
        with Session(BASE, service_path="/odata/V2", transport=transport) as session:
            return count(session, path)

    async def main() -> int:
        async with AsyncSession(BASE, service_path="/odata/V2", transport=transport) as session:
            return await acount(session, path)

    return asyncio.run(main())


@pytest.mark.parametrize("body", ["2500", "\ufeff2500\r\n", " 2500 "])
def test_count_reads_the_text_plain_number(mode: str, body: str) -> None:
    url = f"{ROOT}/Leads/$count?{FILTER}"
    server = Server({url: lambda request: httpx.Response(200, text=body, headers={"Content-Type": "text/plain"})})
    assert run_count(mode, server, f"Leads?{FILTER}") == 2500
    (sent,) = server.requests
    assert sent.url.raw_path == f"/odata/V2/Leads/$count?{FILTER}".encode()
    assert sent.headers["Accept"] == "text/plain"


@pytest.mark.parametrize(
    ("path", "url"),
    [
        ("Leads", "Leads/$count"),
        ("Leads/", "Leads/$count"),
        ("Leads/$count", "Leads/$count"),
        (f"Leads?{FILTER}", f"Leads/$count?{FILTER}"),
        ("Leads(1)/Notes?$search=boat", "Leads(1)/Notes/$count?$search=boat"),
        (f"{ROOT}/Leads?$filter=A", f"{ROOT}/Leads/$count?$filter=A"),
    ],
)
def test_count_url(path: str, url: str) -> None:
    assert count_url(path) == url


@pytest.mark.parametrize("body", ["", "many", "-1", "2.5", '{"value": 3}'])
def test_count_refuses_what_is_not_a_count(mode: str, body: str) -> None:
    server = Server({f"{ROOT}/Leads/$count": lambda request: httpx.Response(200, text=body)})
    with pytest.raises(ODataError, match="not a number") as caught:
        run_count(mode, server, "Leads")
    assert caught.value.url == f"{ROOT}/Leads/$count"


@pytest.mark.parametrize(("status", "cls"), [(404, NotFoundError), (500, ServerError)])
def test_count_errors_are_mapped(mode: str, status: int, cls: type[Exception]) -> None:
    server = Server({f"{ROOT}/Leads/$count": lambda request: httpx.Response(status, text="nope")})
    with pytest.raises(cls):
        run_count(mode, server, "Leads")


# --- memory ------------------------------------------------------------------------------------------------

N_PAGES = 100
N_ITEMS = 1000


class LazyPages:
    """A transport handler that builds page k only when it is requested (the transport holds no pages).

    At every request it records how many Page objects handed out earlier and how many responses it made
    earlier are still alive (weak references only).
    """

    def __init__(self, n_pages: int = N_PAGES) -> None:
        self.n_pages = n_pages
        self.pages: weakref.WeakSet[Page] = weakref.WeakSet()
        self.responses: weakref.WeakSet[httpx.Response] = weakref.WeakSet()
        self.alive_at_fetch: list[tuple[int, int]] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.alive_at_fetch.append((len(self.pages), len(self.responses)))
        k = int(request.url.params.get("$skiptoken", "0"))
        body: dict[str, Any] = {
            "value": [
                {"LeadId": k * N_ITEMS + i, "Latitude": 34.448123, "Name": f"Lead {k}/{i}", "IsActive": True}
                for i in range(N_ITEMS)
            ]
        }
        if k + 1 < self.n_pages:
            body["@odata.nextLink"] = f"Leads?$skiptoken={k + 1}"
        response = httpx.Response(200, content=json.dumps(body).encode(), headers={"Content-Type": "application/json"})
        self.responses.add(response)
        return response


def consume(mode: str, lazy: LazyPages, on_page: Callable[[Page], None]) -> None:
    """Iterate all pages, handing each to `on_page`, keeping no reference to any of them afterwards."""
    transport = httpx.MockTransport(lazy)
    if mode == "sync":
        with Session(BASE, service_path="/odata/V2", transport=transport) as session:
            for p in iter_pages(session, "Leads"):
                on_page(p)
                del p
        return

    async def main() -> None:
        async with AsyncSession(BASE, service_path="/odata/V2", transport=transport) as session:
            async for p in aiter_pages(session, "Leads"):
                on_page(p)
                del p

    asyncio.run(main())


def test_paging_never_holds_more_than_one_page(mode: str) -> None:
    lazy = LazyPages()
    next_id = 0
    alive_in_consumer: list[int] = []

    def on_page(p: Page) -> None:
        nonlocal next_id
        lazy.pages.add(p)
        alive_in_consumer.append(len(lazy.pages))
        assert p[0]["LeadId"] == next_id and len(p) == N_ITEMS
        next_id += N_ITEMS

    was_enabled = gc.isenabled()
    gc.collect()
    gc.disable()  # only reference counting frees objects now: nothing may rely on the cyclic collector
    try:
        consume(mode, lazy, on_page)
    finally:
        if was_enabled:
            gc.enable()
    assert next_id == N_PAGES * N_ITEMS
    assert alive_in_consumer == [1] * N_PAGES  # the page in hand is the only one alive
    # When each next page is fetched, no earlier page and no earlier response is alive any more.
    assert lazy.alive_at_fetch == [(0, 0)] * N_PAGES


def test_paging_memory_peak_is_one_page(mode: str) -> None:
    lazy = LazyPages(n_pages=30)  # tracemalloc is slow; 30 pages kept would still be a 30x peak
    first_page_peak = 0
    items = 0

    def on_page(p: Page) -> None:
        nonlocal first_page_peak, items
        if not first_page_peak:
            first_page_peak = tracemalloc.get_traced_memory()[1] - baseline
        items += len(p)

    gc.collect()
    tracemalloc.start()
    try:
        baseline = tracemalloc.get_traced_memory()[0]
        consume(mode, lazy, on_page)
        overall_peak = tracemalloc.get_traced_memory()[1] - baseline
    finally:
        tracemalloc.stop()
    assert items == 30 * N_ITEMS
    # Reading page 1 costs about 1 MB (JSON text plus 1000 parsed entities); were pages kept, the peak would
    # grow by that much per page. It stays within twice the first page's.
    assert first_page_peak > 500_000
    assert overall_peak < 2 * first_page_peak, (first_page_peak, overall_peak)
