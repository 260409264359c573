"""codegen/runtime/http/session.py (with exchange.py, retry.py, urls.py): Session and AsyncSession.

Everything runs over httpx.MockTransport (no network, no real sleeping: the retry policy's `sleep` records
the waits). Every behaviour is checked for both flavours: the `mode` fixture runs the same call through a
`Session` and through an `AsyncSession` (`run` below).

- URLs: the query layer's percent-encoded text is sent byte for byte; service-root normalisation; absolute
  URLs only on the service's origin.
- Headers and bodies: OData defaults, overrides, Decimal-exact JSON bodies.
- Clients: created and closed, or passed in and left open; conflicting options refused.
- Errors: every status class for OData-JSON, plain-text, HTML and empty bodies; transport failures.
- Retries: which methods, statuses and failures are retried; backoff values; Retry-After (seconds, HTTP
  date, too large); limits and every knob configurable.
"""

from __future__ import annotations

import asyncio
import inspect
import logging
from collections.abc import Callable, Generator
from datetime import datetime, timedelta, timezone
from decimal import Decimal
from email.utils import format_datetime
from typing import Any

import httpx
import pytest

from aimbase import QLead
from codegen.runtime.http.errors import (
    AuthenticationError,
    BadRequestError,
    ConflictError,
    ForbiddenError,
    HTTPError,
    NotFoundError,
    ODataError,
    PreconditionFailedError,
    RateLimitedError,
    RequestTimeoutError,
    ServerError,
    TransportError,
)
from codegen.runtime.http.retry import RetryPolicy, backoff_delay, delay_after_error, delay_after_response
from codegen.runtime.http.session import DEFAULT_TIMEOUT, AsyncSession, Session
from codegen.runtime.query import Query

BASE = "https://acme.example.com"
ROOT = "https://acme.example.com/odata/V2"

Handler = Callable[[httpx.Request], httpx.Response]
Outcome = Callable[[httpx.Request], httpx.Response]


# --- harness -----------------------------------------------------------------------------------------------


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def run(mode: str, handler: Handler, call: Callable[[Any], Any], **kwargs: Any) -> Any:
    """`call(session)` on a Session or an AsyncSession over `handler` (awaited when async)."""
    kwargs.setdefault("service_path", "/odata/V2")
    base = kwargs.pop("base_url", BASE)
    if mode == "sync":
        with Session(base, transport=httpx.MockTransport(handler), **kwargs) as session:
            return call(session)

    async def main() -> Any:
        async with AsyncSession(base, transport=httpx.MockTransport(handler), **kwargs) as session:
            return await call(session)

    return asyncio.run(main())


class Script:
    """A handler answering with `outcomes` in turn (the last one repeats), recording every request."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        request.read()
        self.requests.append(request)
        outcome = self.outcomes.pop(0) if len(self.outcomes) > 1 else self.outcomes[0]
        return outcome(request)


def reply(status: int = 200, body: Any = None, *, text: str | None = None, headers: Any = None) -> Outcome:
    def answer(request: httpx.Request) -> httpx.Response:
        if text is not None:
            return httpx.Response(status, text=text, headers=headers)
        return httpx.Response(status, json=body if body is not None else {}, headers=headers)

    return answer


def fail(error: type[httpx.RequestError]) -> Outcome:
    def answer(request: httpx.Request) -> httpx.Response:
        raise error(f"simulated {error.__name__}", request=request)

    return answer


class Waits:
    """Records the policy's sleeps (sync and async) and jitter draws; jitter returns its upper bound."""

    def __init__(self) -> None:
        self.sleeps: list[float] = []
        self.draws: list[tuple[float, float]] = []

    def uniform(self, low: float, high: float) -> float:
        self.draws.append((low, high))
        return high

    async def async_sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)

    def policy(self, **kwargs: Any) -> RetryPolicy:
        return RetryPolicy(random=self.uniform, sleep=self.sleeps.append, async_sleep=self.async_sleep, **kwargs)


@pytest.fixture
def waits() -> Waits:
    return Waits()


def get(path: str = "Leads") -> Callable[[Any], Any]:
    return lambda session: session.request("GET", path)


# --- URLs --------------------------------------------------------------------------------------------------


def test_query_layer_urls_are_sent_byte_for_byte(mode: str) -> None:
    path = (
        Query(QLead)
        .filter((QLead.prospect.state == "a b+c&d/e'f é%20") & (QLead.score > 10))
        .expand(QLead.prospect)
        .top(5)
        .url("Leads")
    )
    assert "%20" in path and "+" not in path and "%2B" in path
    script = Script(reply())
    run(mode, script, get(path))
    (sent,) = script.requests
    assert sent.url.raw_path == b"/odata/V2/" + path.encode("ascii")
    assert str(sent.url) == f"{ROOT}/{path}"


@pytest.mark.parametrize(
    "path",
    [
        "Leads(114)?$expand=Prospect",
        "Leads('O''Neil')",
        "Leads?$filter=Name%20eq%20%27a%2Bb%27%20and%20Score%20gt%2010&$orderby=LeadDate%20desc",
        "Leads?$filter=contains(Name,%27%C3%A9%27)&$expand=Prospect($select=State;$expand=Company),Product",
        "Leads?$search=%22blue%20boat%22&$top=5&$skip=10&$count=true",
        "Leads?$filter=LeadDate%20ge%202024-01-01T00:00:00%2B05:00",
        "Leads?$skiptoken=a%2Fb%3D%3D",
    ],
)
def test_encoded_paths_are_not_re_encoded(mode: str, path: str) -> None:
    script = Script(reply())
    run(mode, script, get(path))
    assert script.requests[0].url.raw_path == b"/odata/V2/" + path.encode()


@pytest.mark.parametrize(
    ("base_url", "service_path", "root"),
    [
        ("https://acme.example.com", "/odata/V2", "https://acme.example.com/odata/V2"),
        ("https://acme.example.com/", "/odata/V2/", "https://acme.example.com/odata/V2"),
        ("https://acme.example.com//", "odata/V2", "https://acme.example.com/odata/V2"),
        ("https://acme.example.com/", "/", "https://acme.example.com"),
        ("https://acme.example.com/tenant/", "/odata", "https://acme.example.com/tenant/odata"),
        ("http://localhost:8080", "", "http://localhost:8080"),
    ],
)
def test_service_root_and_paths_below_it(mode: str, base_url: str, service_path: str, root: str) -> None:
    script = Script(reply())
    seen = run(
        mode,
        script,
        lambda s: _both(mode, s.service_root, s.url("Leads"), s.url("/Leads(1)"), s.request("GET", "/Leads(1)")),
        base_url=base_url,
        service_path=service_path,
    )
    assert seen[:3] == (root, f"{root}/Leads", f"{root}/Leads(1)")
    assert str(script.requests[0].url) == f"{root}/Leads(1)"


@pytest.mark.parametrize("base_url", ["acme.example.com", "ftp://acme.example.com", "https://", "https://h/x?a=1"])
def test_bad_base_urls_are_refused(base_url: str) -> None:
    with pytest.raises(ValueError, match="base_url"):
        Session(base_url)


def test_absolute_urls_on_the_service_origin_are_used_as_they_are(mode: str) -> None:
    script = Script(reply())
    run(mode, script, get("HTTPS://ACME.example.com:443/odata/V2/Leads?$skiptoken=%2B1"))
    assert script.requests[0].url.raw_path == b"/odata/V2/Leads?$skiptoken=%2B1"


@pytest.mark.parametrize(
    "url",
    [
        "https://evil.example.com/odata/V2/Leads",
        "http://acme.example.com/odata/V2/Leads",
        "https://acme.example.com:8443/odata/V2/Leads",
        "https://user:secret@other.example.com/x",
    ],
)
def test_absolute_urls_elsewhere_are_refused_before_sending(mode: str, url: str) -> None:
    script = Script(reply())
    with pytest.raises(ValueError, match="not on the service's origin") as caught:
        run(mode, script, get(url))
    assert script.requests == []
    assert "secret" not in str(caught.value)


# --- headers and bodies ------------------------------------------------------------------------------------


def test_default_odata_headers_and_no_body_headers_on_get(mode: str) -> None:
    script = Script(reply())
    run(mode, script, get())
    headers = script.requests[0].headers
    assert headers["Accept"] == "application/json"
    assert headers["OData-MaxVersion"] == "4.0"
    assert "Content-Type" not in headers and "OData-Version" not in headers and "Prefer" not in headers


def test_json_bodies_are_written_exactly_with_body_headers(mode: str) -> None:
    script = Script(reply(204, text=""))
    body = {"Latitude": Decimal("34.448123"), "Amount": Decimal("1E+2"), "Name": "Zoë", "Id": 10**20}
    response = run(mode, script, lambda s: s.request("patch", "Leads(114)", json=body))
    assert response.status_code == 204
    sent = script.requests[0]
    assert sent.method == "PATCH"
    assert sent.content == '{"Latitude":34.448123,"Amount":100,"Name":"Zoë","Id":100000000000000000000}'.encode()
    assert sent.headers["Content-Type"] == "application/json"
    assert sent.headers["OData-Version"] == "4.0"
    assert sent.headers["Content-Length"] == str(len(sent.content))


def test_session_headers_override_defaults_and_call_headers_override_both(mode: str) -> None:
    script = Script(reply())

    def call(session: Any) -> Any:
        return session.request(
            "POST", "Leads", json={}, headers={"prefer": "return=minimal", "content-type": "application/json;x=1"}
        )

    run(mode, script, call, headers={"accept": "application/json;odata.metadata=full", "X-Trace": "1"})
    headers = script.requests[0].headers
    assert headers.get_list("Accept") == ["application/json;odata.metadata=full"]
    assert headers.get_list("Content-Type") == ["application/json;x=1"]
    assert headers["Prefer"] == "return=minimal" and headers["X-Trace"] == "1"
    assert headers["OData-MaxVersion"] == "4.0"


def test_get_json_reads_decimals_and_empty_bodies(mode: str) -> None:
    script = Script(reply(200, text='{"value": [{"Latitude": 34.448123, "Id": 1}]}'), reply(204, text=""))
    first, second = run(mode, script, lambda s: _both(mode, s.get_json("Leads"), s.get_json("Leads(1)")))
    assert first == {"value": [{"Latitude": Decimal("34.448123"), "Id": 1}]}
    assert str(first["value"][0]["Latitude"]) == "34.448123"
    assert second is None


def _both(mode: str, *results: Any) -> Any:
    """The results of several calls on one session, awaited in order when async."""
    if mode == "sync":
        return results

    async def gather() -> tuple[Any, ...]:
        return tuple([await result if inspect.isawaitable(result) else result for result in results])

    return gather()


def test_get_json_refuses_a_body_that_is_not_json(mode: str) -> None:
    script = Script(reply(200, text="<html>maintenance</html>"))
    with pytest.raises(ODataError, match="not JSON") as caught:
        run(mode, script, lambda s: s.get_json("Leads"))
    assert isinstance(caught.value.__cause__, ValueError)
    assert caught.value.status == 200 and caught.value.url == f"{ROOT}/Leads"


def test_redirects_are_returned_by_request_and_refused_by_get_json(mode: str) -> None:
    script = Script(reply(302, text="", headers={"Location": "https://elsewhere.example.com/"}))
    assert run(mode, script, get()).status_code == 302
    with pytest.raises(HTTPError) as caught:
        run(mode, script, lambda s: s.get_json("Leads"))
    assert caught.value.status == 302


# --- clients and auth --------------------------------------------------------------------------------------


class HeaderAuth(httpx.Auth):
    def auth_flow(self, request: httpx.Request) -> Generator[httpx.Request, httpx.Response, None]:
        request.headers["Authenticate"] = "Test token"
        yield request


def test_auth_is_applied_to_every_attempt(mode: str, waits: Waits) -> None:
    script = Script(reply(503), reply())
    run(mode, script, get(), auth=HeaderAuth(), retry=waits.policy())
    assert [r.headers["Authenticate"] for r in script.requests] == ["Test token", "Test token"]


def test_a_client_passed_in_is_used_and_left_open(waits: Waits) -> None:
    script = Script(reply())
    client = httpx.Client(transport=httpx.MockTransport(script), headers={"X-Client": "yes"})
    with Session(BASE, service_path="/odata/V2", client=client, auth=HeaderAuth()) as session:
        session.request("GET", "Leads")
    assert not client.is_closed
    assert script.requests[0].headers["X-Client"] == "yes"
    assert script.requests[0].headers["Authenticate"] == "Test token"
    client.close()


def test_an_async_client_passed_in_is_used_and_left_open() -> None:
    script = Script(reply())

    async def main() -> httpx.AsyncClient:
        client = httpx.AsyncClient(transport=httpx.MockTransport(script))
        async with AsyncSession(BASE, client=client, auth=HeaderAuth()) as session:
            await session.request("GET", "Leads")
        return client

    client = asyncio.run(main())
    assert not client.is_closed
    assert script.requests[0].headers["Authenticate"] == "Test token"


def test_a_client_the_session_created_is_closed() -> None:
    session = Session(BASE, transport=httpx.MockTransport(Script(reply())))
    with session:
        pass
    assert session.client.is_closed

    async def main() -> AsyncSession:
        async with AsyncSession(BASE, transport=httpx.MockTransport(Script(reply()))) as session:
            return session

    assert asyncio.run(main()).client.is_closed


def test_the_timeout_configures_the_created_client() -> None:
    assert Session(BASE).client.timeout == DEFAULT_TIMEOUT
    assert Session(BASE, timeout=3.0).client.timeout == httpx.Timeout(3.0)
    assert AsyncSession(BASE, timeout=None).client.timeout == httpx.Timeout(None)


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"transport": httpx.MockTransport(Script(reply()))}, "client or transport"),
        ({"timeout": 5.0}, "timeout on the client"),
    ],
)
def test_options_that_belong_to_a_client_passed_in_are_refused(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        Session(BASE, client=httpx.Client(), **kwargs)


def test_a_client_with_default_params_is_refused() -> None:
    # httpx would replace every request's query string with the client's params.
    with pytest.raises(ValueError, match="params"):
        Session(BASE, client=httpx.Client(params={"a": "b"}))
    with pytest.raises(ValueError, match="params"):
        AsyncSession(BASE, client=httpx.AsyncClient(params={"a": "b"}))


# --- error statuses ----------------------------------------------------------------------------------------

STATUSES = [
    (400, BadRequestError),
    (401, AuthenticationError),
    (403, ForbiddenError),
    (404, NotFoundError),
    (405, HTTPError),
    (409, ConflictError),
    (412, PreconditionFailedError),
    (418, HTTPError),
    (422, HTTPError),
    (429, RateLimitedError),
    (500, ServerError),
    (501, ServerError),
    (502, ServerError),
    (503, ServerError),
    (504, ServerError),
]
ODATA_ERROR = {
    "error": {
        "code": "E42",
        "message": "The lead is locked.",
        "target": "LeadId",
        "details": [{"code": "D1", "message": "by another user"}],
    }
}


def _body_cases(status: int) -> list[tuple[Outcome, str, str | None]]:
    """(response, expected message, expected code) for each kind of error body."""
    return [
        (reply(status, ODATA_ERROR), "The lead is locked.", "E42"),
        (reply(status, text="Service Unavailable: try later\nsecond line"), "Service Unavailable: try later", None),
        (reply(status, text="<html><body>Bad gateway</body></html>"), "<html><body>Bad gateway</body></html>", None),
        (reply(status, text=""), httpx.codes.get_reason_phrase(status) or "error", None),
    ]


@pytest.mark.parametrize("body_kind", [0, 1, 2, 3], ids=["odata-json", "plain-text", "html", "empty"])
@pytest.mark.parametrize(("status", "cls"), STATUSES)
def test_error_statuses_raise_their_exception(
    mode: str, waits: Waits, status: int, cls: type[HTTPError], body_kind: int
) -> None:
    outcome, message, code = _body_cases(status)[body_kind]
    script = Script(outcome)
    with pytest.raises(HTTPError) as caught:
        run(mode, script, get("Leads(1)"), base_url="https://user:secret@acme.example.com", retry=waits.policy())
    error = caught.value
    assert type(error) is cls
    assert (error.status, error.message, error.code, error.method) == (status, message, code, "GET")
    assert error.url == f"{ROOT}/Leads(1)"
    assert "secret" not in str(error)
    if body_kind == 0:
        assert error.target == "LeadId" and error.details[0].message == "by another user"
    # GET retries 429 and 5xx gateway statuses: the error is that of the last of the 4 attempts.
    assert len(script.requests) == (4 if status in (429, 502, 503, 504) else 1)


def test_rate_limited_error_carries_retry_after(mode: str, waits: Waits) -> None:
    script = Script(reply(429, text="slow down", headers={"Retry-After": "30"}))
    with pytest.raises(RateLimitedError) as caught:
        run(mode, script, lambda s: s.request("POST", "Leads", json={}), retry=waits.policy())
    assert caught.value.retry_after == 30.0


# --- transport errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("error", "cls"),
    [
        (httpx.ConnectError, TransportError),
        (httpx.ReadError, TransportError),
        (httpx.RemoteProtocolError, TransportError),
        (httpx.UnsupportedProtocol, TransportError),
        (httpx.ConnectTimeout, RequestTimeoutError),
        (httpx.ReadTimeout, RequestTimeoutError),
        (httpx.WriteTimeout, RequestTimeoutError),
        (httpx.PoolTimeout, RequestTimeoutError),
    ],
)
def test_transport_failures_raise_transport_errors(
    mode: str, waits: Waits, error: type[httpx.RequestError], cls: type[TransportError]
) -> None:
    script = Script(fail(error))
    with pytest.raises(TransportError) as caught:
        run(
            mode,
            script,
            get("Leads(1)"),
            base_url="https://user:secret@acme.example.com",
            retry=waits.policy(max_attempts=1),
        )
    raised = caught.value
    assert type(raised) is cls
    assert isinstance(raised.__cause__, error)
    assert (raised.method, raised.url, raised.status) == ("GET", f"{ROOT}/Leads(1)", None)
    assert error.__name__ in raised.message and "secret" not in str(raised)


# --- retries -----------------------------------------------------------------------------------------------


@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_get_is_retried_on_retryable_statuses(mode: str, waits: Waits, status: int) -> None:
    script = Script(reply(status), reply(status), reply(200, {"ok": True}))
    response = run(mode, script, get(), retry=waits.policy())
    assert response.status_code == 200
    assert len(script.requests) == 3
    assert waits.sleeps == [0.5, 1.0]
    assert waits.draws == [(0.0, 0.5), (0.0, 1.0)]


@pytest.mark.parametrize("method", ["GET", "HEAD", "OPTIONS"])
def test_idempotent_methods_give_up_after_max_attempts_with_the_last_error(
    mode: str, waits: Waits, method: str
) -> None:
    script = Script(reply(503), reply(502), reply(504), reply(429, text="enough"))
    with pytest.raises(RateLimitedError) as caught:
        run(mode, script, lambda s: s.request(method, "Leads"), retry=waits.policy())
    assert caught.value.message == "enough"
    assert len(script.requests) == 4
    assert waits.sleeps == [0.5, 1.0, 2.0]


@pytest.mark.parametrize(
    "error",
    [
        httpx.ConnectError,
        httpx.ConnectTimeout,
        httpx.PoolTimeout,
        httpx.ReadTimeout,
        httpx.WriteTimeout,
        httpx.ReadError,
        httpx.WriteError,
        httpx.RemoteProtocolError,
    ],
)
def test_get_is_retried_on_connection_failures_and_timeouts(
    mode: str, waits: Waits, error: type[httpx.RequestError]
) -> None:
    script = Script(fail(error), fail(error), reply())
    assert run(mode, script, get(), retry=waits.policy()).status_code == 200
    assert len(script.requests) == 3
    assert waits.sleeps == [0.5, 1.0]


def test_get_gives_up_on_connection_failures_with_the_last_error(mode: str, waits: Waits) -> None:
    script = Script(
        fail(httpx.ConnectError), fail(httpx.ConnectTimeout), fail(httpx.ReadError), fail(httpx.ReadTimeout)
    )
    with pytest.raises(RequestTimeoutError) as caught:
        run(mode, script, get(), retry=waits.policy())
    assert isinstance(caught.value.__cause__, httpx.ReadTimeout)
    assert len(script.requests) == 4 and waits.sleeps == [0.5, 1.0, 2.0]


def test_failures_that_are_not_transient_are_not_retried(mode: str, waits: Waits) -> None:
    script = Script(fail(httpx.UnsupportedProtocol))
    with pytest.raises(TransportError):
        run(mode, script, get(), retry=waits.policy())
    assert len(script.requests) == 1 and waits.sleeps == []


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
@pytest.mark.parametrize("status", [429, 502, 503, 504])
def test_other_methods_are_never_retried_on_a_status(mode: str, waits: Waits, method: str, status: int) -> None:
    script = Script(reply(status), reply())
    with pytest.raises(HTTPError) as caught:
        run(mode, script, lambda s: s.request(method, "Leads(1)", json={"A": 1}), retry=waits.policy())
    assert caught.value.status == status
    assert len(script.requests) == 1 and waits.sleeps == []


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
@pytest.mark.parametrize(
    "error", [httpx.ReadTimeout, httpx.WriteTimeout, httpx.ReadError, httpx.WriteError, httpx.RemoteProtocolError]
)
def test_other_methods_are_not_retried_once_the_request_may_have_arrived(
    mode: str, waits: Waits, method: str, error: type[httpx.RequestError]
) -> None:
    script = Script(fail(error), reply())
    with pytest.raises(TransportError) as caught:
        run(mode, script, lambda s: s.request(method, "Leads(1)", json={"A": 1}), retry=waits.policy())
    assert isinstance(caught.value.__cause__, error)
    assert len(script.requests) == 1 and waits.sleeps == []


@pytest.mark.parametrize("method", ["POST", "PATCH", "PUT", "DELETE"])
@pytest.mark.parametrize("error", [httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout])
def test_other_methods_are_retried_when_the_request_never_left(
    mode: str, waits: Waits, method: str, error: type[httpx.RequestError]
) -> None:
    script = Script(fail(error), fail(error), reply(201, {"LeadId": 1}))
    body = {"Latitude": Decimal("34.448123")}
    response = run(mode, script, lambda s: s.request(method, "Leads", json=body), retry=waits.policy())
    assert response.status_code == 201
    assert [r.content for r in script.requests] == [b'{"Latitude":34.448123}'] * 3
    assert waits.sleeps == [0.5, 1.0]


def test_connect_failures_of_other_methods_give_up_after_max_attempts(mode: str, waits: Waits) -> None:
    script = Script(fail(httpx.ConnectError))
    with pytest.raises(TransportError) as caught:
        run(mode, script, lambda s: s.request("POST", "Leads", json={}), retry=waits.policy(max_attempts=3))
    assert isinstance(caught.value.__cause__, httpx.ConnectError)
    assert len(script.requests) == 3 and waits.sleeps == [0.5, 1.0]


@pytest.mark.parametrize("status", [429, 503])
def test_retry_after_seconds_is_honoured(mode: str, waits: Waits, status: int) -> None:
    script = Script(reply(status, headers={"Retry-After": "7"}), reply(status, headers={"Retry-After": "0"}), reply())
    assert run(mode, script, get(), retry=waits.policy()).status_code == 200
    assert waits.sleeps == [7.0, 0.0]
    assert waits.draws == []  # no jitter on the server's own advice


def test_retry_after_http_date_is_honoured(mode: str, waits: Waits) -> None:
    when = datetime.now(timezone.utc) + timedelta(seconds=10)
    script = Script(reply(503, headers={"Retry-After": format_datetime(when, usegmt=True)}), reply())
    assert run(mode, script, get(), retry=waits.policy()).status_code == 200
    (slept,) = waits.sleeps
    assert 8.0 < slept <= 10.0


def test_retry_after_in_the_past_means_now(mode: str, waits: Waits) -> None:
    script = Script(reply(503, headers={"Retry-After": "Wed, 21 Oct 2015 07:28:00 GMT"}), reply())
    run(mode, script, get(), retry=waits.policy())
    assert waits.sleeps == [0.0]


def test_unreadable_retry_after_falls_back_to_backoff(mode: str, waits: Waits) -> None:
    script = Script(reply(503, headers={"Retry-After": "soon"}), reply())
    run(mode, script, get(), retry=waits.policy())
    assert waits.sleeps == [0.5]


@pytest.mark.parametrize(
    "retry_after",
    ["61", "3600", format_datetime(datetime.now(timezone.utc) + timedelta(hours=1), usegmt=True)],
)
def test_a_retry_after_beyond_the_limit_is_raised_at_once(mode: str, waits: Waits, retry_after: str) -> None:
    script = Script(reply(429, text="quota exhausted", headers={"Retry-After": retry_after}), reply())
    with pytest.raises(RateLimitedError) as caught:
        run(mode, script, get(), retry=waits.policy())
    assert caught.value.retry_after is not None and caught.value.retry_after > 60
    assert caught.value.message == "quota exhausted"
    assert len(script.requests) == 1 and waits.sleeps == []


def test_a_long_503_retry_after_is_raised_at_once_as_server_error(mode: str, waits: Waits) -> None:
    script = Script(reply(503, headers={"Retry-After": "600"}), reply())
    with pytest.raises(ServerError):
        run(mode, script, get(), retry=waits.policy())
    assert len(script.requests) == 1


def test_retry_after_limit_is_configurable_and_inclusive(mode: str, waits: Waits) -> None:
    script = Script(reply(429, headers={"Retry-After": "60"}), reply(429, headers={"Retry-After": "120"}), reply())
    run(mode, script, get(), retry=waits.policy(max_retry_after=120))
    assert waits.sleeps == [60.0, 120.0]


def test_backoff_base_factor_and_cap_are_configurable(mode: str, waits: Waits) -> None:
    policy = waits.policy(max_attempts=6, backoff_base=1.0, backoff_factor=3.0, backoff_max=5.0)
    script = Script(reply(503))
    with pytest.raises(ServerError):
        run(mode, script, get(), retry=policy)
    assert len(script.requests) == 6
    assert waits.draws == [(0.0, 1.0), (0.0, 3.0), (0.0, 5.0), (0.0, 5.0), (0.0, 5.0)]


def test_jitter_is_drawn_from_the_injected_random(mode: str) -> None:
    sleeps: list[float] = []

    async def async_sleep(seconds: float) -> None:
        sleeps.append(seconds)

    policy = RetryPolicy(random=lambda low, high: (low + high) / 4, sleep=sleeps.append, async_sleep=async_sleep)
    script = Script(reply(503), reply(503), reply(503), reply())
    run(mode, script, get(), retry=policy)
    assert sleeps == [0.125, 0.25, 0.5]


@pytest.mark.parametrize("max_attempts", [1, 2, 7])
def test_max_attempts_is_configurable(mode: str, waits: Waits, max_attempts: int) -> None:
    script = Script(reply(503))
    with pytest.raises(ServerError):
        run(mode, script, get(), retry=waits.policy(max_attempts=max_attempts))
    assert len(script.requests) == max_attempts
    assert len(waits.sleeps) == max_attempts - 1


def test_retry_statuses_are_configurable(mode: str, waits: Waits) -> None:
    policy = waits.policy(retry_statuses=[500])
    script = Script(reply(500), reply())
    assert run(mode, script, get(), retry=policy).status_code == 200
    script = Script(reply(503), reply())
    with pytest.raises(ServerError):
        run(mode, script, get(), retry=policy)
    assert len(script.requests) == 1


def test_idempotent_methods_are_configurable(mode: str, waits: Waits) -> None:
    policy = waits.policy(idempotent_methods=["get", "put", "delete"])
    script = Script(reply(503), fail(httpx.ReadTimeout), reply(204, text=""))
    assert run(mode, script, lambda s: s.request("PUT", "Leads(1)", json={}), retry=policy).status_code == 204
    assert len(script.requests) == 3


def test_retries_are_logged_without_credentials(mode: str, waits: Waits, caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="codegen.runtime.http")
    run(mode, Script(reply(503), reply()), get(), base_url="https://u:secret@acme.example.com", retry=waits.policy())
    (record,) = caplog.records
    assert record.getMessage() == (f"retrying GET {ROOT}/Leads in 0.500 s after status 503 (attempt 1 of 4 failed)")


# --- the decisions on their own ----------------------------------------------------------------------------


def test_default_backoff_doubles_from_half_a_second_up_to_thirty() -> None:
    policy = RetryPolicy(random=lambda low, high: high)
    assert [backoff_delay(policy, n) for n in range(1, 10)] == [0.5, 1, 2, 4, 8, 16, 30, 30, 30]
    assert backoff_delay(policy, 100_000) == 30  # no overflow


def test_default_jitter_is_uniform_below_the_cap() -> None:
    policy = RetryPolicy()
    delays = [backoff_delay(policy, 3) for _ in range(200)]
    assert all(0 <= d <= 2 for d in delays) and len(set(delays)) > 100


def test_decisions_are_pure_functions_of_their_inputs() -> None:
    policy = RetryPolicy(random=lambda low, high: high)
    request = httpx.Request("GET", ROOT)
    response = httpx.Response(503, request=request)
    assert delay_after_response(policy, "get", response, 1) == 0.5
    assert delay_after_response(policy, "GET", response, 4) is None
    assert delay_after_response(policy, "POST", response, 1) is None
    assert delay_after_response(policy, "GET", httpx.Response(500, request=request), 1) is None
    assert delay_after_error(policy, "POST", httpx.ConnectError("x"), 2) == 1.0
    assert delay_after_error(policy, "POST", httpx.ReadTimeout("x"), 1) is None
    assert delay_after_error(policy, "GET", httpx.ReadTimeout("x"), 1) == 0.5
    assert delay_after_error(policy, "GET", httpx.ConnectError("x"), 4) is None


@pytest.mark.parametrize(
    ("kwargs", "match"),
    [
        ({"max_attempts": 0}, "max_attempts"),
        ({"backoff_base": -1}, "backoff_base"),
        ({"backoff_factor": 0.5}, "backoff_factor"),
        ({"backoff_max": -0.1}, "backoff_max"),
        ({"max_retry_after": float("nan")}, "max_retry_after"),
    ],
)
def test_retry_policy_refuses_nonsense(kwargs: dict[str, Any], match: str) -> None:
    with pytest.raises(ValueError, match=match):
        RetryPolicy(**kwargs)


def test_retry_policy_normalises_its_sets() -> None:
    policy = RetryPolicy(retry_statuses=[503, 503], idempotent_methods=("get", "Head"))
    assert policy.retry_statuses == frozenset({503})
    assert policy.idempotent_methods == frozenset({"GET", "HEAD"})
    assert RetryPolicy() == RetryPolicy(random=lambda low, high: 0.0)  # the injected functions are not compared
