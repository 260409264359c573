"""One exception hierarchy for everything a service call can fail with.

Every error carries the HTTP method and URL (user and password removed from it), and for HTTP errors the
status and what the body said: the OData error's code, message, target and details, or the first line of
a non-JSON body. Secrets never reach these messages: the URL is redacted and headers are not included.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping
from datetime import datetime, timezone
from email.utils import parsedate_to_datetime
from typing import Any, Final, Self
from urllib.parse import quote, quote_plus

import attrs
import httpx

_BODY_EXCERPT = 300
# What one field of an error may hold: a hostile server's 10 MB message is cut to this (see `clip`).
MAX_MESSAGE_LENGTH: Final = 500
_MAX_FIELD_LENGTH: Final = 200
_MAX_DETAILS: Final = 20
# Secrets shorter than this are never blanked out inside a server's text (replacing every "ab" would garble
# it and still leave the secret guessable from the gaps); a text that holds one anywhere is withheld whole.
_MIN_SECRET_LENGTH: Final = 8
_REDACTED: Final = "***"
_MAX_PATTERN_SECRET: Final = 256
_WITHHELD: Final = "[the server's text is withheld: it may contain a credential]"
# `Retry-After` beyond this (a day) is nonsense; `retry_after` never exceeds it.
MAX_RETRY_AFTER: Final = 86400.0


def clip(text: str, limit: int = MAX_MESSAGE_LENGTH) -> str:
    """`text` cut to about `limit` characters, saying how much was left out."""
    if len(text) <= limit:
        return text
    return f"{text[:limit]}... ({len(text) - limit} more characters)"


def _char_pattern(char: str) -> str:
    """A regex matching `char` as a server may echo it: itself, JSON-escaped, percent-encoded, an entity."""
    code = ord(char)
    utf16 = char.encode("utf-16-be", "surrogatepass")
    forms = {
        re.escape(char),
        re.escape(json.dumps(char)[1:-1]),  # \n, \", \\ and \uXXXX (surrogate pairs beyond the BMP)
        "".join(rf"\\u{utf16[i]:02x}{utf16[i + 1]:02x}" for i in range(0, len(utf16), 2)),
        rf"&\#0*{code};",
        rf"&\#x0*{code:x};",
        "".join(f"%{byte:02x}" for byte in char.encode("utf-8", "surrogatepass")),
    }
    if char == "/":
        forms.add(r"\\/")  # JSON may escape a solidus
    if char == " ":
        forms.add(r"\+")  # form encoding
    return "(?:" + "|".join(sorted(forms)) + ")"


class Scrubber:
    """Removes secrets from text a server wrote, in whatever form it echoed them.

    A secret is found as written, JSON-escaped (`\\u0070`, `\\/`), percent-encoded (`%2B`, `+` for a space, any
    hex case) or as an XML/HTML character reference, each character independently. Secrets of at least
    `_MIN_SECRET_LENGTH` characters are replaced by `***`; a text that holds a shorter one is withheld whole,
    since blanking out every "a" of a one-letter password would garble the text yet keep the password guessable.
    """

    def __init__(self, secrets: Iterable[str]) -> None:
        self._words = tuple(sorted({s for s in secrets if isinstance(s, str) and s}, key=len, reverse=True))
        self._patterns: tuple[list[re.Pattern[str]], list[re.Pattern[str]]] | None = None

    @property
    def words(self) -> tuple[str, ...]:
        return self._words

    def _compiled(self) -> tuple[list[re.Pattern[str]], list[re.Pattern[str]]]:
        # Compiled on first use: most requests succeed and never need it.
        if self._patterns is None:
            long = [self._pattern(w) for w in self._words if len(w) >= _MIN_SECRET_LENGTH]
            short = [self._pattern(w) for w in self._words if len(w) < _MIN_SECRET_LENGTH]
            self._patterns = (long, short)
        return self._patterns

    @staticmethod
    def _pattern(word: str) -> re.Pattern[str]:
        if len(word) > _MAX_PATTERN_SECRET:  # no real secret is this long: its literal forms suffice
            forms = {word, json.dumps(word)[1:-1], quote(word, safe=""), quote_plus(word, safe="")}
            return re.compile("|".join(re.escape(f) for f in sorted(forms, key=len, reverse=True)), re.IGNORECASE)
        return re.compile("".join(_char_pattern(c) for c in word), re.IGNORECASE)

    def __bool__(self) -> bool:
        return bool(self._words)

    def __repr__(self) -> str:
        return f"Scrubber({len(self._words)} secrets)"

    def reveals(self, text: str) -> bool:
        """True if `text` holds a secret of at least `_MIN_SECRET_LENGTH` characters, in any of its forms.

        Shorter secrets are left out: in a URL they are indistinguishable from ordinary text.
        """
        return any(pattern.search(text) for pattern in self._compiled()[0])

    def __call__(self, text: str | None) -> str | None:
        if text is None or not self._words:
            return text
        long, short = self._compiled()
        for pattern in long:
            text = pattern.sub(_REDACTED, text)
        if any(pattern.search(text) for pattern in short):
            return _WITHHELD
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
        # Messages may quote what a server sent: each field is cut so a 10 MB answer cannot flood a log.
        message = clip(str(message))
        super().__init__(message)
        self.message = message
        self.status = status
        self.code = _clip_field(code)
        self.target = _clip_field(target)
        self.details = tuple(
            ErrorDetail(_clip_field(d.code), _clip_field(d.message, MAX_MESSAGE_LENGTH), _clip_field(d.target))
            for d in details[:_MAX_DETAILS]
        )
        self.method = method
        self.url = url

    @classmethod
    def about(cls, response: httpx.Response, message: str) -> Self:
        """An error about `response`: its status, and the request's method and URL (without user information)."""
        request = response.request
        return cls(message, status=response.status_code, method=request.method, url=redact_url(request.url))

    def scrub(self, secrets: Iterable[str] | Scrubber) -> Self:
        """Blank `secrets` out of everything the server said (a server may echo a token back); returns self.

        Scrub before an error is clipped where you can (`error_from_response(..., secrets=...)` does): a
        secret cut in two by clipping could not be recognised.
        """
        scrub = secrets if isinstance(secrets, Scrubber) else Scrubber(secrets)
        if scrub:
            self.message = scrub(self.message) or ""
            self.args = (self.message, *self.args[1:])
            self.code, self.target = scrub(self.code), scrub(self.target)
            self.details = tuple(ErrorDetail(scrub(d.code), scrub(d.message), scrub(d.target)) for d in self.details)
        return self

    def __repr__(self) -> str:
        return f"{type(self).__name__}({str(self)!r})"

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


class DeadlineExceededError(RequestTimeoutError):
    """One attempt of a request took longer than the session's `deadline` (a server sending its answer slowly)."""


class ResponseTooLargeError(ODataError):
    """The response body (once decompressed) is larger than the session's `max_response_size`."""


class MalformedResponseError(ODataError):
    """The response cannot be read: not JSON, nested too deeply, or not the shape the call expects."""


class UnsafeRedirectError(HTTPError):
    """A redirect was refused: to another origin (the credentials would follow it), or too many in a row."""


class ClientValidationError(ODataError, ValueError):
    """A value was refused before sending: too long for its MaxLength, not one of its allowed values, a missing
    or ill-typed key, or a path or name that would change the request's URL."""


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


def error_from_response(response: httpx.Response, secrets: Iterable[str] | Scrubber = ()) -> HTTPError:
    """The exception for an error response, with what its body says, `secrets` blanked out of it.

    The server's texts are scrubbed while whole and only then clipped, so no part of a secret survives.
    """
    status = response.status_code
    cls = _BY_STATUS.get(status) or (ServerError if status >= 500 else HTTPError)
    scrub = secrets if isinstance(secrets, Scrubber) else Scrubber(secrets)
    code, message, target, details = _parse_body(response)
    fields: dict[str, Any] = {
        "status": status,
        "code": scrub(code),
        "target": scrub(target),
        "details": tuple(ErrorDetail(scrub(d.code), scrub(d.message), scrub(d.target)) for d in details),
        "method": response.request.method,
        "url": redact_url(response.request.url),
    }
    if cls is RateLimitedError:
        fields["retry_after"] = retry_after_seconds(response)
    return cls(scrub(message or response.reason_phrase or "error") or "error", **fields)


def retry_after_seconds(response: httpx.Response) -> float | None:
    """`Retry-After` as seconds: a number, or an HTTP date (RFC 9110 10.2.3); None when absent or unreadable.

    Whatever the server wrote, the answer is None or a finite number from 0 to `MAX_RETRY_AFTER`: negative
    values and dates in the past are 0, NaN is unreadable, 1e308 or a date years ahead are the maximum. A date
    without a zone is taken as UTC (HTTP dates are always GMT).
    """
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    seconds: float | None
    try:
        seconds = float(value)
    except ValueError:
        seconds = _seconds_until(value)
    if seconds is None or math.isnan(seconds):
        return None
    return min(MAX_RETRY_AFTER, max(0.0, seconds))


def _seconds_until(value: str) -> float | None:
    try:
        when = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    try:
        return (when - datetime.now(timezone.utc)).total_seconds()
    except OverflowError:
        return MAX_RETRY_AFTER


def _parse_body(response: httpx.Response) -> tuple[str | None, str | None, str | None, tuple[ErrorDetail, ...]]:
    from .jsonio import loads  # jsonio does not import errors; kept local to keep that so

    text = response.text
    try:
        body = loads(text) if text.strip() else None
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
    if value is None:
        return None
    # A hostile server may send a huge or deeply nested value here: only strings and numbers are quoted.
    return value if isinstance(value, str) else clip(str(value)) if isinstance(value, (int, float)) else None


def _clip_field(value: str | None, limit: int = _MAX_FIELD_LENGTH) -> str | None:
    return None if value is None else clip(str(value), limit)


def _first_line(text: str) -> str | None:
    line = next((part.strip() for part in text[: 64 * 1024].splitlines() if part.strip()), "")
    return line[:_BODY_EXCERPT] or None
