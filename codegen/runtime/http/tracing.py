"""OpenTelemetry spans for the requests the sessions send, when `opentelemetry-api` is installed (the `otel` extra).

Without it `tracer()` is None and nothing here runs. With it, each request on the wire is one CLIENT span
named after its method, with the stable HTTP client semantic conventions: `http.request.method`, `url.full`
(user information removed), `server.address`, `server.port`, `http.response.status_code`,
`http.request.resend_count` (retries under the retry policy: the attempt number less one) and, for a
status of 400 or more or a failed send, `error.type` (the status, or the exception's class name) with an
ERROR span status. Spans are started, not made current: the caller's span is their parent, and no context
is left attached across the async session's awaits.
"""

from __future__ import annotations

from typing import Any

import httpx

__all__ = ["end_span", "start_span", "tracer"]

try:
    from opentelemetry import trace as _trace  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # the extra is not installed: no spans
    _trace = None  # type: ignore[assignment, unused-ignore]

_DEFAULT_PORTS = {"http": 80, "https": 443}


def tracer() -> Any | None:
    """The runtime's tracer (it follows whatever provider is set, also later), or None without OpenTelemetry."""
    if _trace is None:
        return None
    from .. import version

    return _trace.get_tracer("codegen.runtime.http", version.__version__)


def start_span(found: Any, request: httpx.Request, url: str, attempt: int) -> Any:
    """A started span for `request`; `url` is the redacted URL."""
    span = found.start_span(request.method, kind=_trace.SpanKind.CLIENT)
    if span.is_recording():
        port = request.url.port or _DEFAULT_PORTS.get(request.url.scheme)
        span.set_attribute("http.request.method", request.method)
        span.set_attribute("url.full", url)
        span.set_attribute("server.address", request.url.host)
        if port is not None:
            span.set_attribute("server.port", port)
        if attempt > 1:
            span.set_attribute("http.request.resend_count", attempt - 1)
    return span


def end_span(span: Any, status: int | None, error: BaseException | None) -> None:
    if span.is_recording():
        if status is not None:
            span.set_attribute("http.response.status_code", status)
        kind = type(error).__qualname__ if error is not None else str(status) if status and status >= 400 else None
        if kind is not None:
            span.set_attribute("error.type", kind)
            span.set_status(_trace.StatusCode.ERROR)
    span.end()
