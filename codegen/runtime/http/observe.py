"""Watching the requests a session sends: an observer's hooks, DEBUG logging and OpenTelemetry spans.

Every request on the wire is one exchange: each retry, each same-origin redirect, an auth flow's login and
the resend after a 401. For each, `observer.on_request(exchange)` runs just before it is sent and
`observer.on_response(exchange)` once its body is read or its send failed, the same `Exchange` evolved with
`status` or `error` and `elapsed` (seconds, from the send to the end of the body). `attempt` counts the
attempts of the call under the retry policy (1 for the first; a login or redirect shares its attempt). A
status of 400 or more is reported as the status: the call then raises its typed error (or retries).

    class Timing(Observer):
        def on_response(self, exchange: Exchange) -> None:
            metrics.observe(exchange.method, exchange.status, exchange.elapsed)

    AimbaseClient(url, username="u", password="p", observer=Timing())

Hooks are plain functions for both sessions (in the async one they run on the event loop: do not block).
A hook that raises does not change the call: its exception is logged (ERROR, with its traceback) and the
request goes on as if the hook had returned, because a bystander raising midway would leave an auth flow or
a response stream half-finished, and monitoring must never turn a good call into a failed one.

Logging: the logger `codegen.runtime.http` at DEBUG has one line per request (method, redacted URL, attempt,
headers) and one per answer (status or error class, elapsed). Header values are shown only for the headers
named in `_SHOWN_HEADERS`, every other one as `***` (credentials may travel in any header an auth chooses);
bodies are never logged, so neither is a login's password. URLs lose their user information (`redact_url`).

When nothing watches (no observer, DEBUG off for that logger, no OpenTelemetry installed) `watch()` is one
attribute test and one cached level test: the request pays nothing else. With OpenTelemetry installed every
request gets a span (a non-recording one, cheap, until a tracer provider is set).
"""

from __future__ import annotations

import inspect
import logging
import time
from typing import Any

import attrs
import httpx

from . import tracing
from .errors import redact_url

__all__ = ["Exchange", "Observation", "Observer", "Watch", "shown_headers"]

logger = logging.getLogger("codegen.runtime.http")

# Request headers that carry no credentials in any auth scheme here; any other value is logged as `***`.
_SHOWN_HEADERS = frozenset(
    name.lower()
    for name in (
        "Accept",
        "Accept-Encoding",
        "Content-Type",
        "Content-Length",
        "Content-Encoding",
        "OData-Version",
        "OData-MaxVersion",
        "Prefer",
        "If-Match",
        "If-None-Match",
        "User-Agent",
        "Host",
        "Connection",
    )
)


@attrs.frozen(slots=True)
class Exchange:
    """One request on the wire, as an observer sees it (the URL without user information)."""

    method: str
    url: str
    attempt: int
    status: int | None = None
    elapsed: float | None = None
    error: BaseException | None = None


class Observer:
    """The hooks a session calls around each request; override either (both do nothing here)."""

    def on_request(self, exchange: Exchange) -> None:
        """Just before the request is sent."""

    def on_response(self, exchange: Exchange) -> None:
        """After its body was read (`status` set) or its send failed (`error` set); `elapsed` is set in both."""


def shown_headers(headers: httpx.Headers) -> dict[str, str]:
    """`headers` for a log line: credentials (and anything not known to be harmless) as `***`."""
    return {name: value if name.lower() in _SHOWN_HEADERS else "***" for name, value in headers.items()}


class Observation:
    """A session's watchers: its observer, the logger (when at DEBUG) and the tracer (when OpenTelemetry is there)."""

    __slots__ = ("_observer", "_tracer", "_always")

    def __init__(self, observer: Observer | None) -> None:
        if observer is not None:
            _check_observer(observer)
        self._observer = observer
        self._tracer = tracing.tracer()
        self._always = observer is not None or self._tracer is not None

    def watch(self, request: httpx.Request, attempt: int) -> Watch | None:
        """What watches `request` now being sent, or None when nothing does (the fast path)."""
        if self._always or logger.isEnabledFor(logging.DEBUG):
            return Watch(self._observer, self._tracer, request, attempt)
        return None


class Watch:
    """One request being watched: tells the observer, the log and the span how it starts and ends."""

    __slots__ = ("_observer", "_span", "_exchange", "_start")

    def __init__(self, observer: Observer | None, tracer: Any | None, request: httpx.Request, attempt: int) -> None:
        self._observer = observer
        url = redact_url(request.url) if request.url.userinfo else str(request.url)  # spares a parse
        self._exchange = exchange = Exchange(request.method, url, attempt)
        self._span = None if tracer is None else tracing.start_span(tracer, request, exchange.url, attempt)
        if logger.isEnabledFor(logging.DEBUG):
            logger.debug(
                "request %s %s (attempt %d) headers %s",
                exchange.method,
                exchange.url,
                attempt,
                shown_headers(request.headers),
            )
        if observer is not None:
            _call(observer.on_request, exchange)
        self._start = time.perf_counter()

    def answered(self, response: httpx.Response) -> None:
        self._end(response.status_code, None)

    def failed(self, error: BaseException) -> None:
        self._end(None, error)

    def _end(self, status: int | None, error: BaseException | None) -> None:
        elapsed = time.perf_counter() - self._start
        exchange = attrs.evolve(self._exchange, status=status, elapsed=elapsed, error=error)
        if self._span is not None:
            tracing.end_span(self._span, status, error)
        if logger.isEnabledFor(logging.DEBUG):
            outcome = str(status) if error is None else f"failed ({type(error).__name__})"
            logger.debug("response %s to %s %s in %.1f ms", outcome, exchange.method, exchange.url, elapsed * 1000)
        if self._observer is not None:
            _call(self._observer.on_response, exchange)


def _check_observer(observer: Observer) -> None:
    hooks = [getattr(observer, name, None) for name in ("on_request", "on_response")]
    if not all(callable(hook) for hook in hooks):
        raise TypeError(f"observer must have on_request and on_response methods, not {type(observer).__name__}")
    if any(inspect.iscoroutinefunction(hook) for hook in hooks):
        # Called without await, an async hook would do nothing at all: refused rather than silently idle.
        raise TypeError(f"the hooks of observer {type(observer).__name__} must be plain functions, not async ones")


def _call(hook: Any, exchange: Exchange) -> None:
    try:
        hook(exchange)
    except Exception:  # see the module text: a hook never changes the call
        logger.exception(
            "observer hook %s failed on %s %s", getattr(hook, "__qualname__", hook), exchange.method, exchange.url
        )
