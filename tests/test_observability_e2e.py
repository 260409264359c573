"""Observing the generated clients (`observer=`, DEBUG logging) against the sandbox over real HTTP on 127.0.0.1:
a 503 then a 200, an expired token's second login, an error status; sync and async alike."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import pytest

from aimbase import AimbaseClient, AsyncAimbaseClient
from codegen.runtime.http import Exchange, NotFoundError, Observer, RetryPolicy
from codegen.sandbox import Faults, Sandbox, SandboxServer, create_app
from e2e_support import PAGE, PASSWORD, SEED, SERVICE, SPEC, USER

NO_WAIT = RetryPolicy(backoff_base=0.0, sleep=lambda _: None)
LEAD = 80001


class Recording(Observer):
    def __init__(self) -> None:
        self.answers: list[Exchange] = []

    def on_response(self, exchange: Exchange) -> None:
        self.answers.append(exchange)

    def summary(self, server: SandboxServer) -> list[tuple[str, str, int, int | None]]:
        return [(e.method, e.url.removeprefix(server.url), e.attempt, e.status) for e in self.answers]


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    app = create_app(SPEC, rows=50, seed=SEED, page_size=PAGE)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


@pytest.fixture
def sandbox(server: SandboxServer) -> Iterator[Sandbox]:
    found: Sandbox = server.app.state.sandbox
    clock, ttl = found.tokens.clock, found.tokens.ttl
    yield found
    found.faults = None
    found.tokens.clock, found.tokens.ttl = clock, ttl


@pytest.fixture(params=["sync", "async"])
def mode(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def get_leads(mode: str, server: SandboxServer, observer: Observer | None, *ids: int) -> list[int]:
    """`client.leads.get(id)` for each id, on a new sync or async client; the ids read back."""
    if mode == "sync":
        with AimbaseClient(server.url, username=USER, password=PASSWORD, retry=NO_WAIT, observer=observer) as c:
            return [c.leads.get(i).id for i in ids]

    async def main() -> list[int]:
        async with AsyncAimbaseClient(
            server.url, username=USER, password=PASSWORD, retry=NO_WAIT, observer=observer
        ) as c:
            return [(await c.leads.get(i)).id for i in ids]

    return asyncio.run(main())


def test_hooks_see_a_503_and_the_retry_that_succeeds(mode: str, server: SandboxServer, sandbox: Sandbox) -> None:
    sandbox.faults = Faults(status=503, status_every=2)  # the service's second request is answered 503
    observer = Recording()
    assert get_leads(mode, server, observer, LEAD, LEAD) == [LEAD, LEAD]
    lead = f"{SERVICE}/Leads({LEAD})"
    assert observer.summary(server) == [
        ("POST", "/api/Security/Login", 1, 200),
        ("GET", lead, 1, 200),
        ("GET", lead, 1, 503),
        ("GET", lead, 2, 200),
    ]
    assert all(e.elapsed is not None and 0 <= e.elapsed < 10 for e in observer.answers)


def test_hooks_see_the_second_login_after_the_token_expired(mode: str, server: SandboxServer, sandbox: Sandbox) -> None:
    moment = [1000.0]
    sandbox.tokens.clock = lambda: moment[0]
    sandbox.tokens.ttl = 60
    observer = Recording()

    class Expiring(Recording):
        def on_response(self, exchange: Exchange) -> None:
            observer.on_response(exchange)
            if exchange.method == "GET":
                moment[0] += 61  # the token expires after each read

    assert get_leads(mode, server, Expiring(), LEAD, LEAD) == [LEAD, LEAD]
    lead = f"{SERVICE}/Leads({LEAD})"
    assert observer.summary(server) == [
        ("POST", "/api/Security/Login", 1, 200),
        ("GET", lead, 1, 200),
        ("GET", lead, 1, 401),
        ("POST", "/api/Security/Login", 1, 200),
        ("GET", lead, 1, 200),
    ]


def test_an_error_status_is_seen_then_raised(mode: str, server: SandboxServer, sandbox: Sandbox) -> None:
    observer = Recording()
    with pytest.raises(NotFoundError):
        get_leads(mode, server, observer, 9_999_999)
    assert observer.summary(server)[-1] == ("GET", f"{SERVICE}/Leads(9999999)", 1, 404)


def test_debug_log_of_a_real_login_holds_no_credential(
    mode: str, server: SandboxServer, sandbox: Sandbox, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.DEBUG, logger="codegen.runtime.http"):
        get_leads(mode, server, None, LEAD)
    lines = [r.getMessage() for r in caplog.records if r.name == "codegen.runtime.http"]
    assert [line.split(" (attempt")[0] for line in lines if line.startswith("request")] == [
        f"request POST {server.url}/api/Security/Login",
        f"request GET {server.url}{SERVICE}/Leads({LEAD})",
    ]
    text = "\n".join(lines)
    assert USER not in text and "Avala-Api" not in text and "'authenticate': '***'" in text
