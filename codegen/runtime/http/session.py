"""Sessions: one service root, default OData headers, retries and error mapping over an httpx client.

`Session` (httpx.Client) and `AsyncSession` (httpx.AsyncClient) behave identically: everything but sending
and sleeping is in `exchange.SessionCore` and in the pure functions of `retry`, `urls` and `errors`.

- URLs. A path is relative to the service root (`Leads(114)?$expand=Prospect`); its query string is
  already percent-encoded by the query layer and is sent byte for byte (`%20` stays `%20`, never `+`). An
  absolute URL must be on the service root's origin. A caller's client with default `params` is refused:
  httpx would replace the query string with them.
- Headers. Every request has `Accept: application/json` and `OData-MaxVersion: 4.0` (so a 4.01 service
  still answers with 4.0 payloads: `@odata.nextLink`, not `@nextLink`); a request with a body adds
  `Content-Type: application/json` and `OData-Version: 4.0`, the version its payload is written in. The
  session's `headers` override these, and a call's `headers` override both.
- Errors. A status of 400 or more raises `error_from_response(...)` (`NotFoundError`, `RateLimitedError`,
  ...); an httpx transport failure raises `RequestTimeoutError` or `TransportError` carrying the method and
  the redacted URL, with the httpx exception as `__cause__`. Other statuses (2xx, 3xx) are returned.
- Retries follow the `RetryPolicy` (see `retry`); each attempt builds a fresh request, so auth flows and
  bodies are replayed correctly.
- Clients. Without `client`, the session creates one from `transport`, `auth` and `timeout` and closes it
  when closed. With `client`, that client is used as configured and never closed by the session;
  `transport` or a non-default `timeout` alongside it is a `ValueError` (configure the client instead),
  while `auth` is applied per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import httpx

from .errors import redact_url
from .exchange import DEFAULT_HEADERS, DEFAULT_TIMEOUT, SessionCore, check_client, decode_json
from .retry import RetryPolicy

__all__ = ["DEFAULT_HEADERS", "DEFAULT_TIMEOUT", "AsyncSession", "RetryPolicy", "Session", "decode_json"]


class Session(SessionCore):
    """A synchronous session (see the module text). Use as a context manager, or call `close()`."""

    def __init__(
        self,
        base_url: str,
        *,
        service_path: str = "/",
        auth: httpx.Auth | None = None,
        transport: httpx.BaseTransport | None = None,
        client: httpx.Client | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(base_url, service_path, auth, retry, headers)
        check_client(client, transport, timeout)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(transport=transport, timeout=timeout)

    @property
    def client(self) -> httpx.Client:
        return self._client

    def request(
        self, method: str, path_or_url: str, *, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """Send a request (with retries); the response for a status below 400, else the mapped error."""
        prepared = self._prepare(method, path_or_url, json, headers)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = self._client.send(prepared.build(self._client), auth=self._auth_arg)
            except httpx.RequestError as error:
                self._retry.sleep(self._after_error(prepared, error, attempt))
                continue
            delay = self._after_response(prepared, response, attempt)
            if delay is None:
                return response
            response.close()
            self._retry.sleep(delay)

    def get_json(self, path_or_url: str, *, headers: Mapping[str, str] | None = None) -> Any:
        """GET and parse the JSON body (`Decimal` for non-integers; None when empty)."""
        return decode_json(self.request("GET", path_or_url, headers=headers))

    def close(self) -> None:
        """Close the client if the session created it (a client passed in stays open)."""
        if self._owns_client:
            self._client.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"Session({redact_url(self._root)!r})"


class AsyncSession(SessionCore):
    """The asynchronous twin of `Session`: `await request(...)`, `await get_json(...)`, `await aclose()`."""

    def __init__(
        self,
        base_url: str,
        *,
        service_path: str = "/",
        auth: httpx.Auth | None = None,
        transport: httpx.AsyncBaseTransport | None = None,
        client: httpx.AsyncClient | None = None,
        timeout: httpx.Timeout | float | None = DEFAULT_TIMEOUT,
        retry: RetryPolicy = RetryPolicy(),
        headers: Mapping[str, str] | None = None,
    ) -> None:
        super().__init__(base_url, service_path, auth, retry, headers)
        check_client(client, transport, timeout)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(transport=transport, timeout=timeout)

    @property
    def client(self) -> httpx.AsyncClient:
        return self._client

    async def request(
        self, method: str, path_or_url: str, *, json: Any = None, headers: Mapping[str, str] | None = None
    ) -> httpx.Response:
        """Send a request (with retries); the response for a status below 400, else the mapped error."""
        prepared = self._prepare(method, path_or_url, json, headers)
        attempt = 0
        while True:
            attempt += 1
            try:
                response = await self._client.send(prepared.build(self._client), auth=self._auth_arg)
            except httpx.RequestError as error:
                await self._retry.async_sleep(self._after_error(prepared, error, attempt))
                continue
            delay = self._after_response(prepared, response, attempt)
            if delay is None:
                return response
            await response.aclose()
            await self._retry.async_sleep(delay)

    async def get_json(self, path_or_url: str, *, headers: Mapping[str, str] | None = None) -> Any:
        """GET and parse the JSON body (`Decimal` for non-integers; None when empty)."""
        return decode_json(await self.request("GET", path_or_url, headers=headers))

    async def aclose(self) -> None:
        """Close the client if the session created it (a client passed in stays open)."""
        if self._owns_client:
            await self._client.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"AsyncSession({redact_url(self._root)!r})"
