"""The runtime client against a hostile server (issue 8, deliverables 2 and 5).

Each class is one attack: credentials following a redirect to another origin, path injection through
configured paths and operation names, JSON nested 100,000 deep, a gzip bomb, a body dripped a byte at a time,
a 10 MB error message, absurd `Retry-After` values, and keys that would address the wrong thing. Whatever the
server does, the call ends quickly with an `ODataError` subclass, never a bare Python error. Slow-drip and
gzip-bomb servers are real sockets on 127.0.0.1; everything else uses `httpx.MockTransport`. Every case runs
sync and async.
"""

from __future__ import annotations

import asyncio
import logging
import gzip
import json
import socket
import threading
import time
from collections.abc import Callable, Iterator
from datetime import datetime, timedelta, timezone
from typing import Any

import httpx
import pytest

from codegen.runtime import http as rt
from codegen.runtime.http import AsyncSession, AvalaApiAuth, AvalaApiLogin, ODataError, RetryPolicy, Session
from codegen.runtime.http.client import resolve_auth
from codegen.runtime.http.errors import retry_after_seconds
from codegen.runtime.http.requests import operation_call

BASE = "https://acme.aimbase.com"
ROOT = f"{BASE}/odata/V2"
EVIL = "evil.example.com"
USERNAME, TOKEN, PASSWORD = "u", "7d444840-9dc0-11d1-b245-5ffdce74fad2", "Hunter2-correct-horse"
NO_RETRY = RetryPolicy(max_attempts=1)


def new(name: str) -> type[BaseException]:
    """An error class this issue adds (an AttributeError on the code before it, which fails the test there)."""
    found: type[BaseException] = getattr(rt, name)
    assert issubclass(found, ODataError)
    return found


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


Handler = Callable[[httpx.Request], httpx.Response]


def call(mode: str, handler: Handler, action: Callable[[Any], Any], *, follow: bool = False, **kwargs: Any) -> Any:
    """Run `action(session)` on a session over `handler`, sync or async; return its result."""
    kwargs.setdefault("retry", NO_RETRY)
    if mode == "sync":
        client = httpx.Client(transport=httpx.MockTransport(handler), follow_redirects=follow)
        with client, Session(BASE, service_path="/odata/V2", client=client, **kwargs) as session:
            return action(session)

    async def run() -> Any:
        client = httpx.AsyncClient(transport=httpx.MockTransport(handler), follow_redirects=follow)
        async with client, AsyncSession(BASE, service_path="/odata/V2", client=client, **kwargs) as session:
            result = action(session)
            return await result if asyncio.iscoroutine(result) else result

    return asyncio.run(run())


def call_url(mode: str, url: str, action: Callable[[Any], Any], **kwargs: Any) -> Any:
    """Run `action(session)` against a real server at `url`."""
    kwargs.setdefault("retry", NO_RETRY)
    if mode == "sync":
        with Session(url, **kwargs) as session:
            return action(session)

    async def run() -> Any:
        async with AsyncSession(url, **kwargs) as session:
            return await action(session)

    return asyncio.run(run())


def get_json(session: Any) -> Any:
    return session.get_json("Leads")


# --- a tiny loopback server ----------------------------------------------------------------------------


class LoopbackServer:
    """Answers every connection on 127.0.0.1 with `answer(socket)`, each in its own daemon thread."""

    def __init__(self, answer: Callable[[socket.socket], None]) -> None:
        self._answer = answer
        self._listener = socket.create_server(("127.0.0.1", 0))
        self._listener.settimeout(0.2)
        self.url = f"http://127.0.0.1:{self._listener.getsockname()[1]}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._serve, daemon=True)

    def __enter__(self) -> LoopbackServer:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join(5)
        self._listener.close()

    def _serve(self) -> None:
        while not self._stop.is_set():
            try:
                connection, _ = self._listener.accept()
            except OSError:
                continue
            threading.Thread(target=self._one, args=(connection,), daemon=True).start()

    def _one(self, connection: socket.socket) -> None:
        with connection:
            connection.settimeout(5)
            try:
                connection.recv(65536)  # the request (headers only: every test sends a GET)
                self._answer(connection)
            except OSError:
                pass  # the client hung up: the point of most of these tests


def drip_body(connection: socket.socket) -> None:
    """Headers at once, then 40 bytes of JSON one every 0.25 s (10 s in all): each read is well in time."""
    body = b'{"value": [], "padding": "xxxxxxxxxx"} '
    connection.sendall(b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: %d\r\n\r\n" % len(body))
    for byte in body:
        time.sleep(0.25)
        connection.sendall(bytes([byte]))


def drip_headers(connection: socket.socket) -> None:
    """The status line and headers one byte every 0.25 s."""
    for byte in b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nX-Padding: xxxxxxxxxxxxxxxxxx\r\n\r\n":
        time.sleep(0.25)
        connection.sendall(bytes([byte]))


GZIP_BOMB = gzip.compress(b" " * (160 * 1024 * 1024), compresslevel=9)  # ~160 KB that inflate to 160 MiB


def compressed_answer(body: bytes, encoding: str) -> Callable[[socket.socket], None]:
    """Answers with `body` as it is on the wire, declared as `Content-Encoding: {encoding}`."""

    def answer(connection: socket.socket) -> None:
        connection.sendall(
            b"HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Encoding: %s\r\n"
            b"Content-Length: %d\r\n\r\n" % (encoding.encode(), len(body))
        )
        connection.sendall(body)

    return answer


# --- deadline ------------------------------------------------------------------------------------------


class TestSlowDrip:
    """A server sending one byte every 0.25 s: `timeout=0.5` never fires, the deadline must."""

    def test_a_dripped_body_is_cut_off_by_the_deadline(self, mode: str) -> None:
        with LoopbackServer(drip_body) as server:
            started = time.monotonic()
            with pytest.raises(ODataError) as caught:
                call_url(mode, server.url, get_json, timeout=0.5)
            elapsed = time.monotonic() - started
        assert isinstance(caught.value, new("DeadlineExceededError"))
        assert isinstance(caught.value, rt.RequestTimeoutError)
        assert elapsed < 3.0

    def test_an_explicit_deadline_bounds_dripped_headers_async(self) -> None:
        with LoopbackServer(drip_headers) as server:
            started = time.monotonic()
            with pytest.raises(ODataError) as caught:
                call_url("async", server.url, get_json, timeout=5.0, deadline=1.0)
            elapsed = time.monotonic() - started
        assert isinstance(caught.value, new("DeadlineExceededError"))
        assert elapsed < 3.0


# --- response size -------------------------------------------------------------------------------------


class TestDecompressionBomb:
    """160 KB of gzip that inflate to 160 MiB: refused past the 64 MiB default, never held in full."""

    def test_a_gzip_bomb_is_refused_past_the_size_cap(self, mode: str) -> None:
        with LoopbackServer(compressed_answer(GZIP_BOMB, "gzip")) as server:
            with pytest.raises(ODataError) as caught:
                call_url(mode, server.url, get_json, timeout=10.0)
        assert isinstance(caught.value, new("ResponseTooLargeError"))
        assert "max_response_size" in str(caught.value)

    def test_stacked_codings_are_refused_before_inflating(self, mode: str) -> None:
        # `gzip, gzip` multiplies the ratios: a few KB would inflate to gigabytes in one step of the second decoder.
        stacked = gzip.compress(GZIP_BOMB, compresslevel=9)
        with LoopbackServer(compressed_answer(stacked, "gzip, gzip")) as server:
            with pytest.raises(ODataError) as caught:
                call_url(mode, server.url, get_json, timeout=10.0)
        assert isinstance(caught.value, new("MalformedResponseError"))
        assert "compressed 2 times over" in str(caught.value)

    @pytest.mark.parametrize("declared", ["lies-small", "lies-large", "absent"])
    def test_the_cap_holds_whatever_content_length_says(self, mode: str, declared: str) -> None:
        body = b'{"value": [' + b'{"a": 1},' * 2000 + b'{"a": 1}]}'
        headers = {"Content-Type": "application/json", "Content-Encoding": "gzip"}
        if declared == "lies-large":
            headers["Content-Length"] = str(10**12)
        compressed = gzip.compress(body)

        def handler(request: httpx.Request) -> httpx.Response:
            if declared == "lies-small":
                headers["Content-Length"] = "10"
            stream = httpx.ByteStream(compressed) if declared != "absent" else _chunks(compressed)
            return httpx.Response(200, headers=headers, stream=stream)

        with pytest.raises(ODataError) as caught:
            call(mode, handler, get_json, max_response_size=1000)
        assert isinstance(caught.value, new("ResponseTooLargeError"))


class _chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    def __init__(self, data: bytes) -> None:
        self._data = data

    def __iter__(self) -> Iterator[bytes]:
        yield from (self._data[i : i + 100] for i in range(0, len(self._data), 100))

    async def __aiter__(self) -> Any:
        for i in range(0, len(self._data), 100):
            yield self._data[i : i + 100]


# --- JSON nesting --------------------------------------------------------------------------------------


DEEP = "[" * 100_000 + "]" * 100_000


class TestDeepJson:
    """100,000 nested brackets: a `MalformedResponseError` or the status's error, never a RecursionError."""

    @pytest.mark.parametrize("where", ["success-body", "error-body"])
    def test_deep_nesting_is_refused(self, mode: str, where: str) -> None:
        status = 200 if where == "success-body" else 400
        handler = lambda request: httpx.Response(status, text=DEEP, headers={"Content-Type": "application/json"})
        with pytest.raises(ODataError) as caught:
            call(mode, handler, get_json)
        if where == "success-body":
            assert isinstance(caught.value, new("MalformedResponseError"))
        else:
            assert caught.value.status == 400
        assert len(str(caught.value)) < 1000

    def test_a_deep_login_answer_is_an_authentication_error(self, mode: str) -> None:
        handler = lambda request: httpx.Response(200, text=DEEP)
        auth = AvalaApiLogin(USERNAME, PASSWORD, login_url=f"{BASE}/api/Security/Login")
        with pytest.raises(ODataError):
            call(mode, handler, get_json, auth=auth)


# --- error messages ------------------------------------------------------------------------------------


class TestHugeErrorMessage:
    """A 10 MB OData error message is cut to a few hundred characters in str() and repr()."""

    @pytest.mark.parametrize("field", ["message", "code", "target", "details", "plain-text"])
    def test_error_text_is_truncated(self, mode: str, field: str) -> None:
        huge = "A" * 10_000_000
        error: dict[str, Any] = {"code": "E", "message": "m"}
        if field == "details":
            error["details"] = [{"code": huge, "message": huge}] * 3
        else:
            error[field] = huge
        body = {"error": error}
        handler = (
            (lambda r: httpx.Response(500, text=huge))
            if field == "plain-text"
            else (lambda r: httpx.Response(500, json=body))
        )
        with pytest.raises(rt.ServerError) as caught:
            call(mode, handler, get_json)
        found = caught.value
        assert len(str(found)) < 2000 and len(repr(found)) < 2500
        assert all(len(d.message or "") < 1000 and len(d.code or "") < 1000 for d in found.details)
        assert len(found.message) < 1000 and len(found.code or "") < 1000 and len(found.target or "") < 1000


# --- Retry-After ---------------------------------------------------------------------------------------


def _retry_after(value: str) -> float | None:
    return retry_after_seconds(httpx.Response(429, headers={"Retry-After": value}))


class TestAbsurdRetryAfter:
    """`Retry-After` is None or a finite number from 0 to a day, whatever the header holds."""

    @pytest.mark.parametrize(
        "value, expected",
        [
            ("-5", 0.0),
            ("1e308", 86400.0),
            ("inf", 86400.0),
            ("Fri, 31 Dec 9999 23:59:59 GMT", 86400.0),
            ("Wed, 21 Oct 2015 07:28:00", 0.0),  # an HTTP date without its zone
            ("Wed, 21 Oct 2015 07:28:00 +0200", 0.0),
            ("nan", None),
            ("Wed, 99 Foo 2015 07:28:00", None),
        ],
        ids=["negative", "1e308", "inf", "year-9999", "no-zone", "offset", "nan", "garbage-date"],
    )
    def test_values_are_capped_or_unreadable(self, value: str, expected: float | None) -> None:
        assert _retry_after(value) == expected

    def test_a_date_without_zone_an_hour_ahead_counts_as_utc(self) -> None:
        when = datetime.now(timezone.utc) + timedelta(hours=1)
        seconds = _retry_after(when.strftime("%a, %d %b %Y %H:%M:%S"))
        assert seconds is not None and 3500 < seconds <= 3600

    @pytest.mark.parametrize("value", ["nan", "-1e308", "Wed, 21 Oct 2015 07:28:00", "1e308"])
    def test_the_session_never_sleeps_beyond_the_policy(self, mode: str, value: str) -> None:
        sleeps: list[float] = []

        async def async_sleep(seconds: float) -> None:
            sleeps.append(seconds)

        policy = RetryPolicy(max_attempts=2, sleep=sleeps.append, async_sleep=async_sleep, random=lambda a, b: b)
        answers = iter([httpx.Response(429, headers={"Retry-After": value}), httpx.Response(200, json={})])
        try:
            call(mode, lambda request: next(answers), get_json, retry=policy)
        except ODataError as error:
            assert isinstance(error, rt.RateLimitedError)
            assert error.retry_after is not None and 0 <= error.retry_after <= 86400
        assert all(0 <= s <= policy.max_retry_after for s in sleeps)


# --- keys ----------------------------------------------------------------------------------------------


def _entity_set(mode: str, handler: Handler) -> Any:
    import aimbase  # the committed generated package

    if mode == "sync":
        client = aimbase.AimbaseClient(BASE, username=USERNAME, token=TOKEN, transport=httpx.MockTransport(handler))
        return client.leads
    client = aimbase.AsyncAimbaseClient(BASE, username=USERNAME, token=TOKEN, transport=httpx.MockTransport(handler))
    return client.leads


class TestBadKeys:
    """`get(None)` would read the whole set and `patch(None, ...)` change it: refused before sending."""

    @pytest.mark.parametrize(
        "key",
        [None, "", {}, 1.5, b"1", [1], object()],
        ids=["None", "empty", "empty-map", "float", "bytes", "list", "object"],
    )
    @pytest.mark.parametrize("method", ["get", "patch"])
    def test_bad_keys_are_refused_before_sending(self, mode: str, method: str, key: Any) -> None:
        sent: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            sent.append(request)
            return httpx.Response(200, json={"value": []})

        leads = _entity_set(mode, handler)

        async def run_async() -> Any:
            return await (leads.get(key) if method == "get" else leads.patch(key, external_id="x"))

        with pytest.raises(rt.ClientValidationError):
            if mode == "sync":
                leads.get(key) if method == "get" else leads.patch(key, external_id="x")
            else:
                asyncio.run(run_async())
        assert sent == []


# --- credentials and redirects -------------------------------------------------------------------------


def _redirector(status: int, location: str, seen: list[httpx.Request]) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        request.read()
        seen.append(request)
        if request.url.host == EVIL:
            return httpx.Response(200, json={"value": []})
        if request.url.path == "/api/Security/Login" and status in (307, 308):
            return httpx.Response(status, headers={"Location": location.replace("/odata/V2/Leads", "/login")})
        if request.url.path.endswith("/Leads"):
            return httpx.Response(status, headers={"Location": location})
        return httpx.Response(200, json={"value": []})

    return handler


class TestCrossOriginRedirect:
    """httpx keeps `Authenticate` (and a 307/308 keeps the login body) across a redirect to another host."""

    @pytest.mark.parametrize("status", [301, 302, 303, 307, 308])
    @pytest.mark.parametrize(
        "target", [f"https://{EVIL}/odata/V2/Leads", f"//{EVIL}/odata/V2/Leads", "http://acme.aimbase.com/x"]
    )
    def test_credentials_never_follow_a_redirect_elsewhere(self, mode: str, status: int, target: str) -> None:
        seen: list[httpx.Request] = []
        with pytest.raises(ODataError) as caught:
            call(mode, _redirector(status, target, seen), get_json, follow=True, auth=AvalaApiAuth(USERNAME, TOKEN))
        assert isinstance(caught.value, new("UnsafeRedirectError"))
        assert all(r.url.host != EVIL and r.url.scheme == "https" for r in seen)

    @pytest.mark.parametrize("status", [307, 308])
    def test_the_login_body_never_follows_a_redirect_elsewhere(self, mode: str, status: int) -> None:
        seen: list[httpx.Request] = []
        auth = AvalaApiLogin(USERNAME, PASSWORD, login_url=f"{BASE}/api/Security/Login")
        with pytest.raises(ODataError):
            call(mode, _redirector(status, f"https://{EVIL}/odata/V2/Leads", seen), get_json, follow=True, auth=auth)
        assert all(r.url.host != EVIL for r in seen)
        assert not any(PASSWORD.encode() in r.content for r in seen if r.url.host != "acme.aimbase.com")

    def test_same_origin_redirects_are_followed_with_credentials(self, mode: str) -> None:
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            if request.url.path.endswith("/Leads"):
                return httpx.Response(302, headers={"Location": "/odata/V2/Leads2"})
            return httpx.Response(200, json={"value": [1]})

        found = call(mode, handler, get_json, follow=True, auth=AvalaApiAuth(USERNAME, TOKEN))
        assert found == {"value": [1]}
        assert [r.url.path for r in seen] == ["/odata/V2/Leads", "/odata/V2/Leads2"]
        assert all(r.headers["Authenticate"] == f"Avala-Api {USERNAME}:{TOKEN}" for r in seen)

    @pytest.mark.parametrize("echoed", [TOKEN, TOKEN.upper(), TOKEN.replace("-", "%2D")])
    def test_a_same_origin_redirect_carrying_the_token_is_refused_unshown(
        self, mode: str, echoed: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        """Followed, its URL would put the token into the DEBUG log, the observer's exchanges and errors."""
        seen: list[httpx.Request] = []

        def handler(request: httpx.Request) -> httpx.Response:
            seen.append(request)
            return httpx.Response(302, headers={"Location": f"/odata/V2/Leads2?session={echoed}"})

        caplog.set_level(logging.DEBUG, logger="codegen.runtime.http")
        with pytest.raises(ODataError) as caught:
            call(mode, handler, get_json, follow=True, auth=AvalaApiAuth(USERNAME, TOKEN))
        assert isinstance(caught.value, new("UnsafeRedirectError"))
        assert "holds a credential" in str(caught.value)
        assert [r.url.path for r in seen] == ["/odata/V2/Leads"]
        shown = f"{caught.value!s} {caught.value!r} {caplog.text}".lower()
        assert TOKEN not in shown and TOKEN.replace("-", "%2d") not in shown

    def test_endless_same_origin_redirects_end(self, mode: str) -> None:
        counter = iter(range(10**6))
        handler = lambda request: httpx.Response(302, headers={"Location": f"/odata/V2/L{next(counter)}"})
        with pytest.raises(ODataError) as caught:
            call(mode, handler, get_json, follow=True)
        assert isinstance(caught.value, new("UnsafeRedirectError"))


class TestPathInjection:
    """Configured paths and operation names cannot point a request (or the password) anywhere else."""

    @pytest.mark.parametrize(
        "login_path",
        ["@evil.example.com/x", "//evil.example.com/x", "https://evil.example.com/x", "/../x", "/a?b", "/a#b"],
    )
    def test_login_paths_that_are_not_absolute_paths_are_refused(self, login_path: str) -> None:
        with pytest.raises(ValueError):
            auth = resolve_auth(
                "avala-api", BASE, login_path, username=USERNAME, password=PASSWORD, token=None, auth=None
            )
            assert isinstance(auth, AvalaApiLogin) and httpx.URL(auth.login_url).host == "acme.aimbase.com"
            raise AssertionError(f"accepted {auth.login_url}")

    @pytest.mark.parametrize(
        "service_path",
        ["//evil.example.com/odata", "https://evil.example.com/", "/odata/../api", "/odata?x=1", "/odata#x", "/o\\d"],
    )
    def test_service_paths_that_are_not_plain_paths_are_refused(self, service_path: str) -> None:
        with pytest.raises(ValueError):
            Session(BASE, service_path=service_path)

    @pytest.mark.parametrize("name", ["../Security/Login", "A/B", "A?x=1", "A#x", "..", "Ns..Op", "A B"])
    @pytest.mark.parametrize("kind", ["action", "function"])
    def test_operation_names_are_identifiers(self, kind: str, name: str) -> None:
        with pytest.raises(rt.ClientValidationError):
            operation_call(kind, name, {}, None)

    def test_function_parameter_names_are_identifiers(self) -> None:
        with pytest.raises(rt.ClientValidationError):
            operation_call("function", "Fn", {"a)/../../x?(b": 1}, None)

    @pytest.mark.parametrize("path", ["../../api/Security/Login", "Leads/%2e%2e/%2E%2E/x", "Leads#frag"])
    def test_request_paths_cannot_climb_out_of_the_root(self, mode: str, path: str) -> None:
        seen: list[httpx.Request] = []
        handler = lambda request: seen.append(request) or httpx.Response(200, json={})
        with pytest.raises(rt.ClientValidationError):
            call(mode, handler, lambda session: session.get_json(path))
        assert seen == []


# --- found by the adversarial pass after the fixes above ---------------------------------------------------


def _pages_then(next_link: str, count: Any = None) -> Handler:
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/Leads") and not request.url.query:
            body: dict[str, Any] = {"value": [], "@odata.nextLink": next_link}
            if count is not None:
                body["@odata.count"] = count
            # JSON-escaped, as a server writes a lone surrogate (httpx's json= cannot encode one)
            return httpx.Response(200, content=json.dumps(body), headers={"Content-Type": "application/json"})
        return httpx.Response(503, text=f"down at {request.url}")

    return handler


def _all_pages(session: Any) -> Any:
    if isinstance(session, Session):
        return list(rt.paging.iter_pages(session, "Leads"))

    async def pages() -> list[Any]:
        return [page async for page in rt.paging.aiter_pages(session, "Leads")]

    return pages()


class TestHostileNextLinks:
    """Links a server writes: never a bare Python error, never a credential sent or shown."""

    @pytest.mark.parametrize(
        "link",
        [
            "https://[::1/x",
            "https://xn--zz\u00e9.com/x",
            "Leads?\x00",
            "http://\u00ff\ufffd:x/",
        ],
    )
    def test_links_that_are_not_urls_are_paging_errors(self, mode: str, link: str) -> None:
        with pytest.raises(ODataError) as caught:
            call(mode, _pages_then(link), _all_pages)
        assert type(caught.value).__name__ == "PagingError"

    def test_a_lone_surrogate_escape_makes_the_page_malformed(self, mode: str) -> None:
        # `\ud800` is no Unicode text: the JSON reader refuses the whole page before its link is looked at.
        with pytest.raises(ODataError) as caught:
            call(mode, _pages_then("Leads?$skiptoken=\ud800"), _all_pages)
        assert type(caught.value).__name__ == "MalformedResponseError"

    def test_a_count_too_long_to_be_an_int64_is_a_paging_error(self, mode: str) -> None:
        with pytest.raises(ODataError) as caught:
            call(mode, _pages_then("Leads?p=2", count="9" * 5000), _all_pages)
        assert type(caught.value).__name__ == "PagingError"

    @pytest.mark.parametrize(
        "link",
        [
            f"Leads?$skiptoken={PASSWORD}",
            f"Leads%28{TOKEN}%29",
            f"Leads?x={PASSWORD.upper()}",
            f"https://xn--{PASSWORD}\u00e9.example/x",
        ],
    )
    def test_a_link_carrying_a_credential_is_never_followed_or_shown(
        self, mode: str, link: str, caplog: pytest.LogCaptureFixture
    ) -> None:
        sent: list[str] = []

        def handler(request: httpx.Request) -> httpx.Response:
            sent.append(str(request.url))
            if request.url.path.endswith("/Login"):
                return httpx.Response(200, json=TOKEN)
            return _pages_then(link)(request)

        caplog.set_level("DEBUG")
        auth = AvalaApiLogin(USERNAME, PASSWORD, login_url=f"{BASE}/api/Security/Login")
        with pytest.raises(ODataError) as caught:
            call(mode, handler, _all_pages, auth=auth)
        shown = "\n".join([str(caught.value), repr(caught.value), *caplog.messages, *sent[1:]])
        assert PASSWORD not in shown and PASSWORD.upper() not in shown and TOKEN not in shown
        assert len(sent) == 2  # the login and the first page: the link was not followed
