"""`RequestGuard`, the outermost middleware of a sandbox app: what every request must pass before a handler
sees it, and the catch-all that turns an unexpected exception into an OData 500 that gives nothing away.

- the URL (path and query, as sent) is at most `MAX_URL_BYTES` long, else 414;
- the path and every query name and value are strict percent-encoded UTF-8, else 400 (uvicorn and Starlette
  would decode `%FF` or an encoded surrogate to U+FFFD, and leave a stray `%zz` as it is); the strictly
  decoded path replaces `scope["path"]`, so that handlers see exactly what the client encoded;
- an exception no handler answered is logged with its traceback and answered with a 500 OData error that
  names the exception's type and text with file paths masked, never the traceback.
"""

from __future__ import annotations

import logging
import re

from starlette.types import ASGIApp, Message, Receive, Scope, Send

from .errors import ODataFailure, error_response
from .limits import MAX_URL_BYTES, decode_component

__all__ = ["INTERNAL_ERROR_MESSAGE", "RequestGuard", "internal_error_message"]

INTERNAL_ERROR_MESSAGE = "The sandbox failed on this request; the details are in its log."
_log = logging.getLogger(__name__)
# Absolute file system paths (POSIX, Windows drive or UNC) inside an exception's text.
_PATH = re.compile(r"(?:[A-Za-z]:[\\/]|\\\\|/)[^\s'\"(),;]*")


def internal_error_message(error: BaseException) -> str:
    """What a 500 says about `error`: its type and text with file paths masked, never its traceback."""
    text = _PATH.sub("<path>", str(error))
    return f"The sandbox failed: {type(error).__name__}: {text} (the details are in its log)."


class RequestGuard:
    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        try:
            scope["path"] = _checked_path(scope)
            _check_query(scope.get("query_string", b""))
        except ODataFailure as failure:
            await error_response(failure)(scope, receive, send)
            return
        started = False

        async def watched(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self.app(scope, receive, watched)
        except Exception as error:
            _log.exception("sandbox failure on %s %r", scope.get("method"), scope.get("path"))
            if started:
                raise  # half an answer is out: the server can only close the connection
            await error_response(ODataFailure(500, internal_error_message(error)))(scope, receive, send)


def _checked_path(scope: Scope) -> str:
    raw = scope.get("raw_path")
    query: bytes = scope.get("query_string", b"")
    if not isinstance(raw, bytes):
        raw = str(scope["path"]).encode("utf-8", "surrogateescape")
    if len(raw) + len(query) > MAX_URL_BYTES:
        raise ODataFailure(414, f"The URL is longer than the sandbox accepts ({MAX_URL_BYTES} bytes).")
    return decode_component(raw, "URL path")


def _check_query(query: bytes) -> None:
    for part in query.split(b"&"):
        name, _, value = part.partition(b"=")
        decode_component(name, "query option name", plus_is_space=True)
        decode_component(value, "query option value", plus_is_space=True)
