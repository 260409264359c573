"""One request/response exchange, without I/O: what both sessions share.

`SessionCore` holds the service root, headers and retry policy, prepares requests and makes every decision
after a response or a transport failure (wait and send again, or raise which error); `Session` and
`AsyncSession` only send and sleep. See `session` for the behaviour.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from typing import Any, Final

import attrs
import httpx

from . import jsonio
from .errors import ODataError, RequestTimeoutError, TransportError, error_from_response, redact_url
from .retry import RetryPolicy, delay_after_error, delay_after_response
from .urls import resolve, service_root

__all__ = [
    "BODY_HEADERS",
    "DEFAULT_HEADERS",
    "DEFAULT_TIMEOUT",
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


@attrs.frozen
class Prepared:
    """Everything needed to (re)build one request."""

    method: str
    url: str
    headers: httpx.Headers
    content: bytes | None

    def build(self, client: httpx.Client | httpx.AsyncClient) -> httpx.Request:
        return client.build_request(self.method, self.url, headers=self.headers, content=self.content)


class SessionCore:
    """What both sessions share: the root, headers, retry decisions, error mapping. No I/O."""

    def __init__(
        self,
        base_url: str,
        service_path: str,
        auth: httpx.Auth | None,
        retry: RetryPolicy,
        headers: Mapping[str, str] | None,
    ) -> None:
        self._root = service_root(base_url, service_path)
        self._auth = auth
        self._retry = retry
        self._headers = httpx.Headers(headers)

    @property
    def service_root(self) -> str:
        """The service root URL, without a trailing slash: `https://acme.aimbase.com/odata/V2`."""
        return self._root

    @property
    def retry(self) -> RetryPolicy:
        return self._retry

    def url(self, path_or_url: str) -> str:
        """The absolute URL a request for `path_or_url` goes to (see `urls.resolve`)."""
        return resolve(self._root, path_or_url)

    def _prepare(self, method: str, path_or_url: str, json: Any, headers: Mapping[str, str] | None) -> Prepared:
        content = None if json is None else jsonio.dumps(json)
        merged = httpx.Headers(DEFAULT_HEADERS)
        if content is not None:
            merged.update(BODY_HEADERS)
        merged.update(self._headers)  # case-insensitive: a session's "accept" replaces "Accept"
        merged.update(headers)
        return Prepared(method.upper(), self.url(path_or_url), merged, content)

    @property
    def _auth_arg(self) -> httpx.Auth | httpx._client.UseClientDefault:
        return self._auth if self._auth is not None else httpx.USE_CLIENT_DEFAULT

    def _after_response(self, prepared: Prepared, response: httpx.Response, attempt: int) -> float | None:
        """None: `response` is the answer. A number: wait that long and send again. Raises the final error."""
        release_stream(response)
        if response.status_code < 400:
            return None
        delay = delay_after_response(self._retry, prepared.method, response, attempt)
        if delay is None:
            raise error_from_response(response).scrub(self._secrets())
        self._log_retry(prepared, f"status {response.status_code}", delay, attempt)
        return delay

    def _secrets(self) -> list[str]:
        """The auth's secrets, which a server might echo into an error body."""
        values = getattr(self._auth, "secret_values", None)
        return values() if callable(values) else []

    def _after_error(self, prepared: Prepared, error: httpx.RequestError, attempt: int) -> float:
        """The wait before sending again after a transport `error`; raises the mapped error when there is none."""
        delay = delay_after_error(self._retry, prepared.method, error, attempt)
        if delay is None:
            raise transport_error(prepared.method, prepared.url, error) from error
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


def decode_json(response: httpx.Response) -> Any:
    """The JSON body of a successful response (`Decimal` for non-integers); None for an empty body.

    A status other than 2xx is an `HTTPError` (`error_from_response`); a body that is not JSON an `ODataError`.
    """
    if not response.is_success:
        raise error_from_response(response)
    if not response.content.strip():
        return None
    try:
        return jsonio.loads(response.content)
    except ValueError as error:
        excerpt = response.text.strip().splitlines()[0][:200] if response.text.strip() else ""
        raise ODataError(
            f"the response is not JSON ({error}): {excerpt!r}",
            status=response.status_code,
            method=response.request.method,
            url=redact_url(response.request.url),
        ) from error


def check_client(client: httpx.Client | httpx.AsyncClient | None, transport: object, timeout: object) -> None:
    if client is None:
        return
    if transport is not None:
        raise ValueError("pass either client or transport, not both: the transport belongs to the client")
    if timeout != DEFAULT_TIMEOUT:
        raise ValueError("set the timeout on the client you pass, not on the session")
    if client.params:
        raise ValueError("the client has default params; httpx would replace each request's query string with them")
