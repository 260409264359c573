"""Fault injection for client tests: added latency, an error status every Nth request (with `Retry-After`),
and a dropped connection every Nth request.

Faults apply to requests under the service path (and to the login when `include_login` is set); the Nth
request is counted from when the faults were set. A dropped connection is a response that starts (status
line and headers promising a body) and then stops: the client sees the connection close mid-response
(`httpx.RemoteProtocolError`), as when a proxy or server dies.
"""

from __future__ import annotations

import logging
import threading
from typing import Any

import anyio
import attrs
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from ..runtime.http.jsonio import dumps
from .errors import JSON_TYPE

__all__ = ["DroppedConnection", "FaultControl", "FaultInjector", "Faults"]


def _non_negative(_instance: object, attribute: "attrs.Attribute[Any]", value: float) -> None:
    if value < 0:
        raise ValueError(f"Faults.{attribute.name} must be 0 or more, not {value!r}")


@attrs.frozen
class Faults:
    """What to inject. `status_every=3` answers every third request with `status` (and `Retry-After:
    retry_after` when given); `drop_every=4` drops every fourth request's connection; 0 turns a fault off."""

    latency: float = attrs.field(default=0.0, validator=_non_negative)
    status: int = 503
    status_every: int = attrs.field(default=0, validator=_non_negative)
    retry_after: str | int | float | None = None
    drop_every: int = attrs.field(default=0, validator=_non_negative)
    include_login: bool = False


class DroppedConnection(Exception):
    """Raised after a response has started, so that the server closes the connection."""


class _QuietDrops(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.exc_info and isinstance(record.exc_info[1], DroppedConnection))


_QUIET = _QuietDrops()


class FaultControl:
    """The faults in force and the request counter, shared by the middleware and whoever changes the faults."""

    def __init__(self, faults: Faults | None = None) -> None:
        self._lock = threading.Lock()
        self._faults = faults or Faults()
        self._count = 0
        self.injected = 0  # requests answered with a fault (status or drop) so far

    @property
    def faults(self) -> Faults:
        return self._faults

    @faults.setter
    def faults(self, faults: Faults | None) -> None:
        with self._lock:
            self._faults = faults or Faults()
            self._count = 0

    def next(self) -> tuple[Faults, int]:
        """The faults for one more affected request, and its number since they were set."""
        with self._lock:
            self._count += 1
            faults, number = self._faults, self._count
            if any(every and number % every == 0 for every in (faults.drop_every, faults.status_every)):
                self.injected += 1
            return faults, number


class FaultInjector:
    """ASGI middleware applying the faults that `control` holds when each request arrives."""

    def __init__(self, app: ASGIApp, *, control: FaultControl, service_path: str, login_path: str | None) -> None:
        self.app = app
        self.control = control
        self.service_path = service_path.rstrip("/")
        self.login_path = login_path
        logging.getLogger("uvicorn.error").addFilter(_QUIET)

    def _applies(self, path: str) -> bool:
        if path == self.login_path:
            return self.control.faults.include_login
        return path == self.service_path or path.startswith(self.service_path + "/")

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or not self._applies(scope["path"]):
            await self.app(scope, receive, send)
            return
        faults, number = self.control.next()
        if faults.latency:
            await anyio.sleep(faults.latency)
        if faults.drop_every and number % faults.drop_every == 0:
            await send({"type": "http.response.start", "status": 200, "headers": [(b"content-length", b"1000")]})
            raise DroppedConnection(f"fault injection: dropped request {number}")
        if faults.status_every and number % faults.status_every == 0:
            await self._error(send, faults)
            return
        await self.app(scope, receive, send)

    @staticmethod
    async def _error(send: Send, faults: Faults) -> None:
        body = dumps({"error": {"code": "FaultInjected", "message": f"Injected fault: HTTP {faults.status}."}})
        headers = [
            (b"content-type", JSON_TYPE.encode()),
            (b"content-length", str(len(body)).encode()),
            (b"odata-version", b"4.0"),
        ]
        if faults.retry_after is not None:
            headers.append((b"retry-after", str(faults.retry_after).encode()))
        start: Message = {"type": "http.response.start", "status": faults.status, "headers": headers}
        await send(start)
        await send({"type": "http.response.body", "body": body})
