"""One request/response exchange, without I/O: what both sessions share.

`SessionCore` holds the service root, headers and retry policy, prepares requests and makes every decision
after a response or a transport failure (wait and send again, or raise which error); `Session` and
`AsyncSession` only send and sleep. See `session` for the behaviour.
"""

from __future__ import annotations

import copy
import logging
import math
import time
from collections.abc import Mapping
from typing import Any, Final, Self

import attrs
import httpx

from . import jsonio
from .errors import (
    DeadlineExceededError,
    MalformedResponseError,
    RequestTimeoutError,
    ResponseTooLargeError,
    Scrubber,
    TransportError,
    UnsafeRedirectError,
    clip,
    error_from_response,
    redact_url,
)
from .observe import Observation, Observer
from .options import NO_OPTIONS, Previewed, RequestOptions
from .retry import RetryPolicy, delay_after_error, delay_after_response
from .urls import origin, resolve, service_root

__all__ = [
    "BODY_HEADERS",
    "DEFAULT_HEADERS",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "Clock",
    "Prepared",
    "SessionCore",
    "check_client",
    "decode_json",
    "release_stream",
    "transport_error",
]

logger = logging.getLogger("codegen.runtime.http")

DEFAULT_TIMEOUT: Final = httpx.Timeout(30.0, connect=10.0)
DEFAULT_HEADERS: Final[Mapping[str, str]] = {"Accept": "application/json", "OData-MaxVersion": "4.0"}
BODY_HEADERS: Final[Mapping[str, str]] = {"Content-Type": "application/json", "OData-Version": "4.0"}
# The most a response body may hold once decompressed (a 1 MB gzip body can inflate to 1 GB).
DEFAULT_MAX_RESPONSE_SIZE: Final = 64 * 1024 * 1024
_REDIRECTS: Final = frozenset({301, 302, 303, 307, 308})


@attrs.frozen
class Prepared:
    """Everything needed to (re)build one request."""

    method: str
    url: str
    headers: httpx.Headers
    content: bytes | None

    def build(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        return client.build_request(self.method, self.url, headers=self.headers, content=self.content)


def default_deadline(timeout: httpx.Timeout) -> float | None:
    """The deadline of one attempt when none is given: twice the longest of the socket timeouts.

    So `timeout=1.0` means no attempt lasts much more than two seconds, however slowly the server sends,
    while a single stalled read still fails as the ordinary (retryable) timeout it is. With no timeouts at
    all there is no deadline either.
    """
    parts = [t for t in (timeout.connect, timeout.read, timeout.write, timeout.pool) if t is not None]
    return 2 * max(parts) if parts else None


class Clock:
    """The deadline of one attempt (every request of its auth flow and redirects, and reading the bodies)."""

    def __init__(self, deadline: float | None, attempt: int = 1) -> None:
        self.deadline = deadline
        self.attempt = attempt  # under the retry policy, for the observers (see `observe`)
        self._end = math.inf if deadline is None else time.monotonic() + deadline

    def remaining(self) -> float:
        return self._end - time.monotonic()

    @property
    def expired(self) -> bool:
        return self.remaining() <= 0

    def check(self, request: httpx.Request) -> None:
        if self.expired:
            raise self.error(request)

    def error(self, request: httpx.Request) -> DeadlineExceededError:
        return DeadlineExceededError(
            f"no answer within the deadline of {self.deadline} s",
            method=request.method,
            url=redact_url(request.url),
        )

    def timeouts(self, timeout: httpx.Timeout) -> dict[str, float | None]:
        """The socket timeouts of the next request, none beyond the time left (so a stall cannot outlast it)."""
        left = max(self.remaining(), 0.001)
        if math.isinf(left):
            return timeout.as_dict()
        return {name: left if value is None else min(value, left) for name, value in timeout.as_dict().items()}


def start_body_read(response: httpx.Response, max_size: int) -> None:
    """Refuses a body whose declared length is already too large, or that is compressed more than once.

    One coding inflates a raw chunk at most about a thousandfold before `add_chunk` sees it; stacked codings
    (`gzip, gzip`) multiply the ratios, so a few kilobytes would inflate to gigabytes in one step.
    """
    encoding = response.headers.get("Content-Encoding", "")
    codings = [c for c in encoding.split(",") if c.strip().lower() not in ("", "identity")]
    if len(codings) > 1:
        raise MalformedResponseError.about(
            response,
            f"the response is compressed {len(codings)} times over (Content-Encoding); only one coding is accepted",
        )
    declared = response.headers.get("Content-Length", "")
    if declared.isascii() and declared.isdigit() and int(declared) > max_size:
        raise too_large(response, max_size)


def add_chunk(response: httpx.Response, chunks: list[bytes], size: int, chunk: bytes, max_size: int) -> int:
    """Keeps one decoded chunk of a body; ResponseTooLargeError past `max_size` (whatever Content-Length said)."""
    size += len(chunk)
    if size > max_size:
        raise too_large(response, max_size)
    chunks.append(chunk)
    return size


def finish_body_read(response: httpx.Response, chunks: list[bytes]) -> None:
    # What `Response.read()` itself stores: `content`, `text` and `json()` then work as after a read.
    response._content = b"".join(chunks)


def too_large(response: httpx.Response, max_size: int) -> ResponseTooLargeError:
    return ResponseTooLargeError.about(
        response, f"the response body is larger than max_response_size ({max_size} bytes)"
    )


def redirect(prepared: Prepared, response: httpx.Response, follow: bool, followed: int, limit: int) -> Prepared | None:
    """The request a redirect asks for, or None: `response` is the answer (not a redirect, or not followed).

    Only redirects on the service's own origin are followed, and at most `limit` in a row: credentials
    (`Authenticate`, `Authorization`, any header an auth sets, and a login body) never reach another host.
    A redirect elsewhere is an `UnsafeRedirectError`, whether or not the client was made to follow redirects.
    """
    if not follow or response.status_code not in _REDIRECTS or "Location" not in response.headers:
        return None
    try:
        target = response.request.url.join(response.headers["Location"])
    except (httpx.InvalidURL, ValueError):
        raise _redirect_error(response, "its Location is not a URL") from None
    if target.scheme not in ("http", "https") or origin(target) != origin(response.request.url):
        scheme, host, port = origin(target) if target.host else (target.scheme, "?", None)
        raise _redirect_error(response, f"it leads to another origin ({clip(f'{scheme}://{host}:{port}', 100)})")
    if followed >= limit:
        raise _redirect_error(response, f"more than {limit} redirects in a row")
    method, content, headers = prepared.method, prepared.content, httpx.Headers(prepared.headers)
    if (response.status_code == 303 and method != "HEAD") or (response.status_code in (301, 302) and method == "POST"):
        method, content = "GET", None
        for name in BODY_HEADERS:
            headers.pop(name, None)
    return Prepared(method, str(target), headers, content)


def _redirect_error(response: httpx.Response, why: str) -> UnsafeRedirectError:
    return UnsafeRedirectError.about(response, f"refusing to follow the redirect: {why}")


class SessionCore:
    """What both sessions share: the root, headers, retry decisions, error mapping. No I/O."""

    # A view made by `with_options`/`previewing` (see `options`) sets these; the session itself has neither.
    _options: RequestOptions = NO_OPTIONS
    _previewing: bool = False

    def __init__(
        self,
        base_url: str,
        service_path: str,
        auth: httpx.Auth | None,
        retry: RetryPolicy,
        headers: Mapping[str, str] | None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        observer: Observer | None = None,
    ) -> None:
        self._root = service_root(base_url, service_path)
        self._observation = Observation(observer)
        self._auth = auth
        self._retry = retry
        self._headers = httpx.Headers(headers)
        if isinstance(max_response_size, bool) or not isinstance(max_response_size, int) or max_response_size < 1:
            raise ValueError(f"max_response_size must be a positive int, not {max_response_size!r}")
        self._max_response_size = max_response_size
        self._deadline: float | None = None

    def _set_deadline(self, deadline: float | None, timeout: httpx.Timeout) -> None:
        """None: from the client's timeout (`default_deadline`); `math.inf`: no deadline."""
        if deadline is None:
            self._deadline = default_deadline(timeout)
        elif isinstance(deadline, bool) or not isinstance(deadline, (int, float)) or not deadline > 0:
            raise ValueError(f"deadline must be a positive number of seconds, not {deadline!r}")
        else:
            self._deadline = None if math.isinf(deadline) else float(deadline)

    @property
    def deadline(self) -> float | None:
        """Seconds one attempt of a request may take in all (None: no limit beyond the socket timeouts)."""
        return self._deadline

    @property
    def max_response_size(self) -> int:
        return self._max_response_size

    @property
    def service_root(self) -> str:
        """The service root URL, without a trailing slash: `https://acme.aimbase.com/odata/V2`."""
        return self._root

    @property
    def retry(self) -> RetryPolicy:
        return self._retry

    def url(self, path_or_url: str) -> str:
        """The absolute URL a request for `path_or_url` goes to (see `urls.resolve`), with the view's query options."""
        return resolve(self._root, self._options.on_path(path_or_url))

    def with_options(self, options: RequestOptions) -> Self:
        """A view of this session (same client, auth, retries) whose requests carry `options` too."""
        view = copy.copy(self)
        view._options = self._options.merged(options)
        setattr(view, "_owns_client", False)  # closing a view leaves the session's client open
        return view

    def previewing(self) -> Self:
        """A view that raises `options.Previewed` with the request instead of sending it."""
        view = self.with_options(NO_OPTIONS)
        view._previewing = True
        return view

    def _prepare(self, method: str, path_or_url: str, json: Any, headers: Mapping[str, str] | None) -> Prepared:
        content = None if json is None else jsonio.dumps(json)
        merged = httpx.Headers(DEFAULT_HEADERS)
        if content is not None:
            merged.update(BODY_HEADERS)
        merged.update(self._headers)  # case-insensitive: a session's "accept" replaces "Accept"
        merged = self._options.request_headers(merged, headers)
        prepared = Prepared(method.upper(), self.url(path_or_url), merged, content)
        if self._previewing:
            raise Previewed(prepared.method, prepared.url, prepared.headers, prepared.content)
        return prepared

    def _after_response(self, prepared: Prepared, response: httpx.Response, attempt: int) -> float | None:
        """None: `response` is the answer. A number: wait that long and send again. Raises the final error."""
        release_stream(response)
        if response.status_code < 400:
            return None
        delay = delay_after_response(self._retry, prepared.method, response, attempt)
        if delay is None:
            raise error_from_response(response, self.scrubber())
        self._log_retry(prepared, f"status {response.status_code}", delay, attempt)
        return delay

    def _secrets(self) -> list[str]:
        """The auth's secrets, which a server might echo into an error body."""
        values = getattr(self._effective_auth(), "secret_values", None)
        found = values() if callable(values) else []
        return [value for value in found if isinstance(value, str)]

    def scrubber(self) -> Scrubber:
        """What blanks this session's secrets out of server text (see `errors.Scrubber`).

        A new one each time, never kept: the session holds no second copy of the secrets, and its patterns are
        only compiled when an error needs them.
        """
        return Scrubber(self._secrets())

    def _effective_auth(self) -> httpx.Auth:
        """The auth whose flow each request runs: the session's, else the client's own, else none."""
        if self._auth is not None:
            return self._auth
        client_auth = getattr(self, "_client", None)
        found = getattr(client_auth, "auth", None)
        return found if isinstance(found, httpx.Auth) else httpx.Auth()

    def _redirect(self, prepared: Prepared, response: httpx.Response, followed: int) -> Prepared | None:
        client = getattr(self, "_client")
        scrub = self.scrubber()
        try:
            target = redirect(prepared, response, bool(client.follow_redirects), followed, int(client.max_redirects))
        except UnsafeRedirectError as error:
            failure = error.scrub(scrub)  # the Location is the server's text
            raise failure from None
        if target is not None and scrub(target.url) != target.url:
            # Followed, the URL would carry a credential into every log line, error and observer that shows it.
            raise _redirect_error(response, "its Location holds a credential").scrub(scrub)
        return target

    def _request_for_send(self, request: httpx.Request, clock: Clock, timeout: httpx.Timeout) -> httpx.Request:
        """Before each send: within the deadline, with socket timeouts no longer than the time left."""
        clock.check(request)
        request.extensions = {**request.extensions, "timeout": clock.timeouts(timeout)}
        return request

    def _transport_failure(self, clock: Clock, error: httpx.RequestError) -> Exception:
        """A timeout after the deadline passed is the deadline's error (not retried); other errors stay as they are."""
        if isinstance(error, httpx.TimeoutException) and clock.deadline is not None and clock.expired:
            return clock.error(error.request)
        return error

    def _after_error(self, prepared: Prepared, error: httpx.RequestError, attempt: int) -> float:
        """The wait before sending again after a transport `error`; raises the mapped error when there is none."""
        delay = delay_after_error(self._retry, prepared.method, error, attempt)
        if delay is None:
            raise transport_error(prepared.method, prepared.url, error).scrub(self.scrubber()) from error
        self._log_retry(prepared, type(error).__name__, delay, attempt)
        return delay

    def _log_retry(self, prepared: Prepared, reason: str, delay: float, attempt: int) -> None:
        logger.info(
            "retrying %s %s in %.3f s after %s (attempt %d of %d failed)",
            prepared.method,
            redact_url(prepared.url),
            delay,
            reason,
            attempt,
            self._retry.max_attempts,
        )


def release_stream(response: httpx.Response) -> None:
    """Let a response that was read in full be freed as soon as nobody refers to it.

    httpx's client wraps the response's stream in one that refers back to the response: a reference cycle,
    so a spent response (and its whole body, a page of JSON) lingers until the cyclic garbage collector
    runs; under paging several pages' bodies could pile up. Once the body is read and the stream closed the
    stream is of no further use (the body is kept in `response.content`), so it is replaced by an empty one.
    """
    if response.is_stream_consumed and response.is_closed:
        response.stream = _SPENT


_SPENT: Final = httpx.ByteStream(b"")


def transport_error(method: str, url: str, error: httpx.RequestError) -> TransportError:
    """The `TransportError` (or `RequestTimeoutError`) for an httpx failure; raise it `from error`."""
    kind = "timed out" if isinstance(error, httpx.TimeoutException) else "failed"
    detail = str(error).replace(url, redact_url(url)) if str(error) else ""
    message = f"request {kind}: {type(error).__name__}" + (f": {detail}" if detail else "")
    cls = RequestTimeoutError if isinstance(error, httpx.TimeoutException) else TransportError
    return cls(message, method=method, url=redact_url(url))


def decode_json(response: httpx.Response, scrub: Scrubber | None = None) -> Any:
    """The JSON body of a successful response (`Decimal` for non-integers); None for an empty body.

    A status other than 2xx is an `HTTPError` (`error_from_response`); a body that is not JSON, or nested
    deeper than `jsonio.MAX_DEPTH`, a `MalformedResponseError`. `scrub` blanks secrets out of both.
    """
    scrub = scrub if scrub is not None else Scrubber(())
    if not response.is_success:
        raise error_from_response(response, scrub)
    return read_json(response, scrub)


def read_json(response: httpx.Response, scrub: Scrubber | None = None) -> Any:
    """The JSON body of `response` whatever its status; None when empty; `MalformedResponseError` if not JSON."""
    content = response.content
    if not content.strip():
        return None
    try:
        return jsonio.loads(content)
    except ValueError as error:
        reason = clip(str(error), 200)
    # Raised outside the except block: the parser's error (which holds the whole body) is not kept as context.
    text = response.text[:4096].strip()
    excerpt = text.splitlines()[0][:200] if text else ""
    excerpt = (scrub or Scrubber(()))(excerpt) or ""
    failure = MalformedResponseError.about(response, f"the response is not JSON ({reason}): {excerpt!r}")
    raise failure from ValueError(reason)


def check_client(client: httpx.Client | httpx.AsyncClient | None, transport: object, timeout: object) -> None:
    if client is None:
        return
    if transport is not None:
        raise ValueError("pass either client or transport, not both: the transport belongs to the client")
    if timeout != DEFAULT_TIMEOUT:
        raise ValueError("set the timeout on the client you pass, not on the session")
    if client.params:
        raise ValueError("the client has default params; httpx would replace each request's query string with them")
