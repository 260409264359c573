"""Observing requests (codegen.runtime.http.observe, .tracing) over httpx.MockTransport: the observer's hooks,
DEBUG logging with credentials redacted, OpenTelemetry spans; the same for Session and AsyncSession."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

import httpx
import pytest

from codegen.runtime.http import (
    AvalaApiLogin,
    DeadlineExceededError,
    Exchange,
    NotFoundError,
    Observer,
    RetryPolicy,
    TransportError,
)
from codegen.runtime.http import observe, tracing
from codegen.runtime.http.session import AsyncSession, Session

BASE = "https://acme.example.com"
ROOT = BASE + "/odata/V2"
LOGIN = BASE + "/api/Security/Login"
NO_WAIT = RetryPolicy(backoff_base=0.0, sleep=lambda _: None)
PASSWORD, TOKEN = "pa55-w0rd-xyz", "u:5f1e0c2a-0000-4000-8000-00000000abcd"

Handler = Callable[[httpx.Request], httpx.Response]


class Recording(Observer):
    def __init__(self) -> None:
        self.seen: list[tuple[str, Exchange]] = []

    def on_request(self, exchange: Exchange) -> None:
        self.seen.append(("request", exchange))

    def on_response(self, exchange: Exchange) -> None:
        self.seen.append(("response", exchange))

    def answers(self) -> list[tuple[str, str, int, int | None, str | None]]:
        """(method, url, attempt, status, error class) of each answer, in order."""
        return [
            (e.method, e.url, e.attempt, e.status, None if e.error is None else type(e.error).__name__)
            for kind, e in self.seen
            if kind == "response"
        ]


def statuses(*codes: int) -> Handler:
    """Answers with `codes` in turn (the last repeats)."""
    left = list(codes)

    def handler(request: httpx.Request) -> httpx.Response:
        code = left.pop(0) if len(left) > 1 else left[0]
        return httpx.Response(code, json={"value": []} if code < 400 else {"error": {"code": "x", "message": "no"}})

    return handler


def relogin() -> Handler:
    """A service whose first token is rejected once: login, 401, login again, 200."""
    logins = [0]

    def handler(request: httpx.Request) -> httpx.Response:
        if str(request.url) == LOGIN:
            logins[0] += 1
            return httpx.Response(200, json=TOKEN if logins[0] > 1 else "u:00000000-dead-4000-8000-000000000000")
        if request.headers.get("Authenticate") == f"Avala-Api {TOKEN}":
            return httpx.Response(200, json={"value": []})
        return httpx.Response(401)

    return handler


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(mode: str, handler: Handler, path: str, **kwargs: Any) -> Any:
    """GET `path` on a Session or an AsyncSession over `handler`; the response (or the error raised)."""
    kwargs.setdefault("retry", NO_WAIT)
    if mode == "sync":
        with Session(BASE, service_path="/odata/V2", transport=httpx.MockTransport(handler), **kwargs) as session:
            return session.request("GET", path)

    async def main() -> Any:
        transport = httpx.MockTransport(handler)
        async with AsyncSession(BASE, service_path="/odata/V2", transport=transport, **kwargs) as session:
            return await session.request("GET", path)

    return asyncio.run(main())


def test_hooks_see_each_retry_with_its_attempt_status_and_time(mode: str) -> None:
    observer = Recording()
    assert run(mode, statuses(503, 200), "Leads", observer=observer).status_code == 200
    assert [kind for kind, _ in observer.seen] == ["request", "response"] * 2
    assert observer.answers() == [("GET", ROOT + "/Leads", 1, 503, None), ("GET", ROOT + "/Leads", 2, 200, None)]
    requests = [e for kind, e in observer.seen if kind == "request"]
    assert all(e.status is None and e.elapsed is None for e in requests)
    assert all(e.elapsed is not None and e.elapsed >= 0 for kind, e in observer.seen if kind == "response")


def test_hooks_see_the_login_and_the_resend_after_a_401(mode: str) -> None:
    observer = Recording()
    auth = AvalaApiLogin("u", PASSWORD, login_url=LOGIN)
    assert run(mode, relogin(), "Leads", observer=observer, auth=auth).status_code == 200
    assert [(m, u, s) for m, u, _, s, _ in observer.answers()] == [
        ("POST", LOGIN, 200),
        ("GET", ROOT + "/Leads", 401),
        ("POST", LOGIN, 200),
        ("GET", ROOT + "/Leads", 200),
    ]
    assert {e.attempt for _, e in observer.seen} == {1}  # the auth flow's resend is not a retry


def test_hooks_see_transport_errors_and_error_statuses(mode: str) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    observer = Recording()
    with pytest.raises(TransportError):
        run(mode, refused, "Leads", observer=observer, retry=RetryPolicy(max_attempts=2, backoff_base=0.0))
    assert observer.answers() == [
        ("GET", ROOT + "/Leads", 1, None, "ConnectError"),
        ("GET", ROOT + "/Leads", 2, None, "ConnectError"),
    ]
    observer = Recording()
    with pytest.raises(NotFoundError):
        run(mode, statuses(404), "Leads(1)", observer=observer)
    assert observer.answers() == [("GET", ROOT + "/Leads(1)", 1, 404, None)]


def test_the_async_deadline_ends_the_exchange_it_cancelled(spans: Any) -> None:
    async def stalled(request: httpx.Request) -> httpx.Response:
        await asyncio.sleep(5)
        return httpx.Response(200)

    async def main() -> None:
        transport = httpx.MockTransport(stalled)
        async with AsyncSession(BASE, transport=transport, observer=observer, deadline=0.05) as session:
            await session.request("GET", "Leads")

    observer = Recording()
    with pytest.raises(DeadlineExceededError):
        asyncio.run(main())
    ((_, answer),) = [seen for seen in observer.seen if seen[0] == "response"]
    assert answer.status is None and isinstance(answer.error, BaseException) and answer.elapsed is not None
    (span,) = spans.get_finished_spans()
    assert "error.type" in dict(span.attributes)


def test_urls_shown_to_hooks_have_no_user_information(mode: str) -> None:
    observer = Recording()

    def handler(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json={})

    async def main() -> None:
        async with AsyncSession(
            "https://bob:hunter2@acme.example.com", transport=httpx.MockTransport(handler), observer=observer
        ) as session:
            await session.request("GET", "Leads")

    if mode == "sync":
        with Session(
            "https://bob:hunter2@acme.example.com", transport=httpx.MockTransport(handler), observer=observer
        ) as session:
            session.request("GET", "Leads")
    else:
        asyncio.run(main())
    assert [e.url for _, e in observer.seen] == ["https://acme.example.com/Leads"] * 2


class Raising(Recording):
    def on_request(self, exchange: Exchange) -> None:
        super().on_request(exchange)
        raise RuntimeError("observer bug")

    def on_response(self, exchange: Exchange) -> None:
        super().on_response(exchange)
        raise KeyError("observer bug")


def test_a_raising_hook_is_logged_and_changes_nothing(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    observer = Raising()
    auth = AvalaApiLogin("u", PASSWORD, login_url=LOGIN)
    with caplog.at_level(logging.ERROR, logger="codegen.runtime.http"):
        response = run(mode, relogin(), "Leads", observer=observer, auth=auth)
    assert response.status_code == 200 and response.json() == {"value": []}
    assert len(observer.answers()) == 4  # the whole auth flow went on
    failures = [r for r in caplog.records if r.name == "codegen.runtime.http" and r.levelno == logging.ERROR]
    assert len(failures) == 8 and all(r.exc_info for r in failures)
    assert "observer hook Raising.on_request failed on POST " + LOGIN in failures[0].getMessage()


def test_an_object_without_the_hooks_is_refused() -> None:
    with pytest.raises(TypeError, match="observer must have on_request and on_response"):
        Session(BASE, observer=object())  # type: ignore[arg-type]


def test_async_hooks_are_refused() -> None:
    class Awaiting(Observer):
        async def on_response(self, exchange: Exchange) -> None:  # type: ignore[override]
            pass

    with pytest.raises(TypeError, match="hooks of observer Awaiting must be plain functions"):
        AsyncSession(BASE, observer=Awaiting())


def test_debug_logging_redacts_credentials_and_never_logs_bodies(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    auth = AvalaApiLogin("u", PASSWORD, login_url=LOGIN)
    headers = {"Authorization": "Bearer sekrit-1", "X-Api-Key": "sekrit-2", "Prefer": "odata.maxpagesize=5"}
    with caplog.at_level(logging.DEBUG, logger="codegen.runtime.http"):
        run(mode, relogin(), "Leads", auth=auth, headers=headers)
    lines = [r.getMessage() for r in caplog.records if r.name == "codegen.runtime.http"]
    assert len(lines) == 8  # a request line and a response line for each of the four requests
    text = "\n".join(lines)
    for secret in (PASSWORD, TOKEN, "5f1e0c2a", "dead", "sekrit", "Avala-Api", "Bearer"):
        assert secret not in text
    assert lines[0].startswith(f"request POST {LOGIN} (attempt 1) headers")
    assert "'prefer': 'odata.maxpagesize=5'" in lines[2] and "'authenticate': '***'" in lines[2]
    assert "'authorization': '***'" in lines[2] and "'x-api-key': '***'" in lines[2]
    assert lines[3].startswith(f"response 401 to GET {ROOT}/Leads in ")


def test_debug_logging_of_a_failed_send(mode: str, caplog: pytest.LogCaptureFixture) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with caplog.at_level(logging.DEBUG, logger="codegen.runtime.http"), pytest.raises(TransportError):
        run(mode, refused, "Leads", retry=RetryPolicy(max_attempts=1))
    assert any(r.getMessage().startswith("response failed (ConnectError) to GET") for r in caplog.records)


def test_nothing_watches_when_no_observer_logger_or_tracer(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(tracing, "tracer", lambda: None)
    request = httpx.Request("GET", ROOT)
    caplog.set_level(logging.INFO, logger="codegen.runtime.http")
    assert observe.Observation(None).watch(request, 1) is None
    assert observe.Observation(Observer()).watch(request, 1) is not None
    caplog.set_level(logging.DEBUG, logger="codegen.runtime.http")
    assert observe.Observation(None).watch(request, 1) is not None


def test_shown_headers_only_show_the_harmless_ones() -> None:
    headers = httpx.Headers({"Accept": "application/json", "Cookie": "sid=1", "X-Avala": "t", "if-match": 'W/"1"'})
    assert observe.shown_headers(headers) == {
        "accept": "application/json",
        "cookie": "***",
        "x-avala": "***",
        "if-match": 'W/"1"',
    }


# --- OpenTelemetry ---------------------------------------------------------------------------------------------


@pytest.fixture
def spans(monkeypatch: pytest.MonkeyPatch) -> Any:
    """An in-memory exporter whose tracer the sessions use (a local provider: the global one stays unset)."""
    pytest.importorskip("opentelemetry.sdk")
    from opentelemetry.sdk.trace import TracerProvider
    from opentelemetry.sdk.trace.export import SimpleSpanProcessor
    from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

    exporter = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    monkeypatch.setattr(tracing, "tracer", lambda: provider.get_tracer("test"))
    return exporter


def test_spans_follow_the_http_client_semantic_conventions(mode: str, spans: Any) -> None:
    from opentelemetry.trace import SpanKind, StatusCode

    assert run(mode, statuses(503, 200), "Leads?$top=1").status_code == 200
    first, second = spans.get_finished_spans()
    assert (first.name, first.kind, second.name) == ("GET", SpanKind.CLIENT, "GET")
    assert dict(first.attributes) == {
        "http.request.method": "GET",
        "url.full": ROOT + "/Leads?$top=1",
        "server.address": "acme.example.com",
        "server.port": 443,
        "http.response.status_code": 503,
        "error.type": "503",
    }
    assert first.status.status_code == StatusCode.ERROR
    assert dict(second.attributes)["http.request.resend_count"] == 1
    assert "error.type" not in dict(second.attributes) and second.status.status_code == StatusCode.UNSET


def test_a_failed_send_ends_its_span_with_the_error_type(mode: str, spans: Any) -> None:
    def refused(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused", request=request)

    with pytest.raises(TransportError):
        run(mode, refused, "Leads", retry=RetryPolicy(max_attempts=1))
    (span,) = spans.get_finished_spans()
    assert dict(span.attributes)["error.type"] == "ConnectError"
    assert "http.response.status_code" not in dict(span.attributes)


def test_without_opentelemetry_there_is_no_tracer(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(tracing, "_trace", None)
    assert tracing.tracer() is None
    observer = Recording()
    assert run("sync", statuses(200), "Leads", observer=observer).status_code == 200
    assert len(observer.answers()) == 1
