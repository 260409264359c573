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
- Hostile servers. Each attempt has a `deadline` (seconds for everything: the auth flow's requests,
  redirects, reading the bodies; by default twice the longest socket timeout, `math.inf` for none):
  past it a `DeadlineExceededError` is raised and not retried. Bodies are read as a stream and refused
  past `max_response_size` decompressed bytes (`ResponseTooLargeError`, 64 MiB by default), whatever
  Content-Length said. Redirects are followed by the session itself, only when the client follows
  redirects, only on the service's origin and at most `client.max_redirects` in a row; one to another
  origin is an `UnsafeRedirectError`, so credentials never leave (httpx itself would keep `Authenticate`).
  Each request's auth flow is run by the session too, so every response it sees is read within the limits.
  The sync session checks the deadline between chunks and shrinks each socket timeout to the time left, so
  a server dripping its headers a byte at a time is bounded only by those; the async one is cancelled.
- Observing. Every request sent (retries, redirects, an auth flow's login) is shown to the `observer`'s
  hooks, logged at DEBUG with credentials redacted and, with OpenTelemetry installed, traced (see `observe`).
- Clients. Without `client`, the session creates one from `transport`, `auth` and `timeout` and closes it
  when closed. With `client`, that client is used as configured and never closed by the session;
  `transport` or a non-default `timeout` alongside it is a `ValueError` (configure the client instead),
  while `auth` is applied per request.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import TracebackType
from typing import Any, Self

import anyio
import httpx

from .errors import redact_url
from .exchange import (
    DEFAULT_HEADERS,
    DEFAULT_MAX_RESPONSE_SIZE,
    DEFAULT_TIMEOUT,
    Clock,
    Prepared,
    SessionCore,
    add_chunk,
    check_client,
    decode_json,
    finish_body_read,
    release_stream,
    start_body_read,
)
from .observe import Observer
from .retry import RetryPolicy

__all__ = [
    "DEFAULT_HEADERS",
    "DEFAULT_MAX_RESPONSE_SIZE",
    "DEFAULT_TIMEOUT",
    "AsyncSession",
    "RetryPolicy",
    "Session",
    "decode_json",
]


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
        deadline: float | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        observer: Observer | None = None,
    ) -> None:
        super().__init__(base_url, service_path, auth, retry, headers, max_response_size, observer)
        check_client(client, transport, timeout)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.Client(transport=transport, timeout=timeout)
        self._set_deadline(deadline, self._client.timeout)

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
            clock = Clock(self._deadline, attempt)
            try:
                response = self._attempt(prepared, clock)
            except httpx.RequestError as error:
                failure = self._transport_failure(clock, error)
                if failure is not error:
                    raise failure from error
                self._retry.sleep(self._after_error(prepared, error, attempt))
                continue
            delay = self._after_response(prepared, response, attempt)
            if delay is None:
                return response
            response.close()
            self._retry.sleep(delay)

    def _attempt(self, prepared: Prepared, clock: Clock) -> httpx.Response:
        """One attempt: the auth flow's requests, then the same-origin redirects (each with its auth flow)."""
        followed = 0
        while True:
            response = self._run_auth_flow(prepared.build(self._client), clock)
            target = self._redirect(prepared, response, followed)
            if target is None:
                return response
            prepared, followed = target, followed + 1

    def _run_auth_flow(self, request: httpx.Request, clock: Clock) -> httpx.Response:
        flow = self._effective_auth().sync_auth_flow(request)
        try:
            request = next(flow)
            while True:
                response = self._send(request, clock)
                try:
                    request = flow.send(response)
                except StopIteration:
                    return response
        finally:
            flow.close()

    def _send(self, request: httpx.Request, clock: Clock) -> httpx.Response:
        request = self._request_for_send(request, clock, self._client.timeout)
        watch = self._observation.watch(request, clock.attempt)
        if watch is None:
            return self._receive(request, clock)
        try:
            response = self._receive(request, clock)
        except BaseException as error:
            watch.failed(error)
            raise
        watch.answered(response)
        return response

    def _receive(self, request: httpx.Request, clock: Clock) -> httpx.Response:
        response = self._client.send(request, auth=None, follow_redirects=False, stream=True)
        try:
            start_body_read(response, self._max_response_size)
            chunks: list[bytes] = []
            size = 0
            for chunk in response.iter_bytes():
                size = add_chunk(response, chunks, size, chunk, self._max_response_size)
                clock.check(request)
            finish_body_read(response, chunks)
        finally:
            response.close()
        release_stream(response)
        return response

    def get_json(self, path_or_url: str, *, headers: Mapping[str, str] | None = None) -> Any:
        """GET and parse the JSON body (`Decimal` for non-integers; None when empty)."""
        return decode_json(self.request("GET", path_or_url, headers=headers), self.scrubber())

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
        deadline: float | None = None,
        max_response_size: int = DEFAULT_MAX_RESPONSE_SIZE,
        observer: Observer | None = None,
    ) -> None:
        super().__init__(base_url, service_path, auth, retry, headers, max_response_size, observer)
        check_client(client, transport, timeout)
        self._owns_client = client is None
        self._client = client if client is not None else httpx.AsyncClient(transport=transport, timeout=timeout)
        self._set_deadline(deadline, self._client.timeout)

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
            clock = Clock(self._deadline, attempt)
            try:
                response = await self._attempt_within(prepared, clock)
            except httpx.RequestError as error:
                failure = self._transport_failure(clock, error)
                if failure is not error:
                    raise failure from error
                await self._retry.async_sleep(self._after_error(prepared, error, attempt))
                continue
            delay = self._after_response(prepared, response, attempt)
            if delay is None:
                return response
            await response.aclose()
            await self._retry.async_sleep(delay)

    async def _attempt_within(self, prepared: Prepared, clock: Clock) -> httpx.Response:
        """`_attempt`, cancelled when the deadline passes (also while the server is still sending headers)."""
        if clock.deadline is None:
            return await self._attempt(prepared, clock)
        request_seen: list[httpx.Request] = []
        try:
            with anyio.fail_after(clock.deadline):
                return await self._attempt(prepared, clock, request_seen)
        except TimeoutError:
            last = request_seen[-1] if request_seen else prepared.build(self._client)
            failure = clock.error(last)
        raise failure

    async def _attempt(
        self, prepared: Prepared, clock: Clock, request_seen: list[httpx.Request] | None = None
    ) -> httpx.Response:
        followed = 0
        while True:
            response = await self._run_auth_flow(prepared.build(self._client), clock, request_seen)
            target = self._redirect(prepared, response, followed)
            if target is None:
                return response
            prepared, followed = target, followed + 1

    async def _run_auth_flow(
        self, request: httpx.Request, clock: Clock, request_seen: list[httpx.Request] | None
    ) -> httpx.Response:
        flow = self._effective_auth().async_auth_flow(request)
        try:
            request = await flow.__anext__()
            while True:
                if request_seen is not None:
                    request_seen.append(request)
                response = await self._send(request, clock)
                try:
                    request = await flow.asend(response)
                except StopAsyncIteration:
                    return response
        finally:
            await flow.aclose()

    async def _send(self, request: httpx.Request, clock: Clock) -> httpx.Response:
        request = self._request_for_send(request, clock, self._client.timeout)
        watch = self._observation.watch(request, clock.attempt)
        if watch is None:
            return await self._receive(request, clock)
        try:
            response = await self._receive(request, clock)
        except BaseException as error:  # the async deadline's cancellation too: the span must end
            watch.failed(error)
            raise
        watch.answered(response)
        return response

    async def _receive(self, request: httpx.Request, clock: Clock) -> httpx.Response:
        response = await self._client.send(request, auth=None, follow_redirects=False, stream=True)
        try:
            start_body_read(response, self._max_response_size)
            chunks: list[bytes] = []
            size = 0
            async for chunk in response.aiter_bytes():
                size = add_chunk(response, chunks, size, chunk, self._max_response_size)
                clock.check(request)
            finish_body_read(response, chunks)
        finally:
            await response.aclose()
        release_stream(response)
        return response

    async def get_json(self, path_or_url: str, *, headers: Mapping[str, str] | None = None) -> Any:
        """GET and parse the JSON body (`Decimal` for non-integers; None when empty)."""
        return decode_json(await self.request("GET", path_or_url, headers=headers), self.scrubber())

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
