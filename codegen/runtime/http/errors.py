"""One exception hierarchy for everything a service call can fail with.

Every error carries the HTTP method and URL (user and password removed from it), and for HTTP errors the
status and what the body said: the OData error's code, message, target and details, or the first line of
a non-JSON body. Secrets never reach these messages: the URL is redacted and headers are not included.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Self

import attrs
import httpx

_BODY_EXCERPT = 300
# Shorter secrets are not blanked out of server messages: replacing every "ab" would garble the text.
_MIN_SECRET_LENGTH = 4
_REDACTED = "***"


def _scrub(text: str | None, words: list[str]) -> str | None:
    if text is None:
        return None
    for word in words:
        text = text.replace(word, _REDACTED)
    return text


@attrs.frozen
class ErrorDetail:
    """One entry of an OData error's `details`."""

    code: str | None
    message: str | None
    target: str | None = None


class ODataError(Exception):
    """Base of every error a client call raises."""

    def __init__(
        self,
        message: str,
        *,
        status: int | None = None,
        code: str | None = None,
        target: str | None = None,
        details: tuple[ErrorDetail, ...] = (),
        method: str | None = None,
        url: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = code
        self.target = target
        self.details = details
        self.method = method
        self.url = url

    def scrub(self, secrets: Iterable[str]) -> Self:
        """Blank `secrets` out of everything the server said (a server may echo a token back); returns self."""
        words = sorted((s for s in secrets if len(s) >= _MIN_SECRET_LENGTH), key=len, reverse=True)
        if words:
            self.message = _scrub(self.message, words) or ""
            self.args = (self.message, *self.args[1:])
            self.code, self.target = _scrub(self.code, words), _scrub(self.target, words)
            self.details = tuple(
                ErrorDetail(_scrub(d.code, words), _scrub(d.message, words), _scrub(d.target, words))
                for d in self.details
            )
        return self

    def __str__(self) -> str:
        parts = [f"{self.status} " if self.status is not None else "", self.message]
        if self.code:
            parts.append(f" [{self.code}]")
        if self.target:
            parts.append(f" (target {self.target})")
        if self.method and self.url:
            parts.append(f" - {self.method} {self.url}")
        return "".join(parts)


class HTTPError(ODataError):
    """The server answered with an error status."""


class BadRequestError(HTTPError):
    """400: the request is invalid (a bad $filter, a read-only property, a malformed body)."""


class AuthenticationError(HTTPError):
    """401: the token is missing, invalid or expired, or the login was refused."""


class ForbiddenError(HTTPError):
    """403: authenticated, but not allowed."""


class NotFoundError(HTTPError):
    """404: no entity with that key, or no such resource."""


class ConflictError(HTTPError):
    """409: the change conflicts with the entity's current state."""


class PreconditionFailedError(HTTPError):
    """412: the entity changed since its ETag was read (If-Match did not match)."""


class RateLimitedError(HTTPError):
    """429: too many requests; `retry_after` is the server's advice in seconds, when it gave one."""

    def __init__(self, message: str, *, retry_after: float | None = None, **fields: Any) -> None:
        super().__init__(message, **fields)
        self.retry_after = retry_after


class ServerError(HTTPError):
    """5xx: the service failed."""


class TransportError(ODataError):
    """The request did not complete: no connection, a timeout, a dropped connection."""


class RequestTimeoutError(TransportError):
    """The request timed out (connect, read, write or pool)."""


class PagingError(ODataError):
    """Server-driven paging went wrong: a nextLink to another origin, or one that repeats."""


class ClientValidationError(ODataError, ValueError):
    """A value was refused before sending: too long for its MaxLength, or not one of its allowed values."""


_BY_STATUS: Mapping[int, type[HTTPError]] = {
    400: BadRequestError,
    401: AuthenticationError,
    403: ForbiddenError,
    404: NotFoundError,
    409: ConflictError,
    412: PreconditionFailedError,
    429: RateLimitedError,
}


def redact_url(url: httpx.URL | str) -> str:
    """The URL without user information (`https://user:secret@host` -> `https://host`)."""
    parsed = httpx.URL(str(url))
    return str(parsed.copy_with(username=None, password=None)) if parsed.userinfo else str(parsed)


def error_from_response(response: httpx.Response) -> HTTPError:
    """The exception for an error response, with what its body says."""
    status = response.status_code
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else HTTPError)
    code, message, target, details = _parse_body(response)
    fields: dict[str, Any] = {
        "status": status,
        "code": code,
        "target": target,
        "details": details,
        "method": response.request.method,
        "url": redact_url(response.request.url),
    }
    if cls is RateLimitedError:
        fields["retry_after"] = retry_after_seconds(response)
    return cls(message or response.reason_phrase or "error", **fields)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date (RFC 9110 10.2.3); None when absent or unreadable."""
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())


def _parse_body(response: httpx.Response) -> tuple[str | None, str | None, str | None, tuple[ErrorDetail, ...]]:
    text = response.text
    try:
        body = json.loads(text) if text.strip() else None
    except ValueError:
        return None, _first_line(text), None, ()
    if isinstance(body, dict) and isinstance(body.get("error"), dict):
        error = body["error"]
        details = tuple(
            ErrorDetail(_text(d.get("code")), _text(d.get("message")), _text(d.get("target")))
            for d in error.get("details") or ()
            if isinstance(d, dict)
        )
        return _text(error.get("code")), _text(error.get("message")), _text(error.get("target")), details
    if isinstance(body, dict):
        # Aimbase's own APIs answer {"Message": "..."}; others use "message".
        message = body.get("Message", body.get("message"))
        return None, _text(message), None, ()
    if isinstance(body, str):
        return None, _first_line(body), None, ()
    return None, None, None, ()


def _text(value: Any) -> str | None:
    if isinstance(value, dict):  # OData V3 style: {"lang": "en-US", "value": "..."}
        value = value.get("value")
    return str(value) if value is not None else None


def _first_line(text: str) -> str | None:
    line = next((part.strip() for part in text.splitlines() if part.strip()), "")
    return line[:_BODY_EXCERPT] or None
