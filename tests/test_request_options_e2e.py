"""Per-request extras and previews end to end: the generated Aimbase client against the sandbox over real HTTP
on 127.0.0.1, sync and async, checked by what the server answered and by the rows it stored.

A sandbox of its own (the data of tests/e2e_support.py): the patches here change leads no other module reads.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from aimbase import AimbaseClient, AsyncAimbaseClient, QLead
from codegen.runtime.http import ClientValidationError, RequestOptions, RetryPolicy
from codegen.sandbox import Sandbox, SandboxServer, create_app
from e2e_support import PAGE, PASSWORD, ROWS, SEED, SPEC, USER, Recorder, lead, sql_ids

NO_WAIT = RetryPolicy(backoff_base=0.0, sleep=lambda _: None)
EXTRAS = RequestOptions(params={"trace": "e2e 1"}, headers={"X-Trace": "e2e"}, format="json", max_page_size=40)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    app = create_app(SPEC, rows=ROWS, seed=SEED, page_size=PAGE)
    with SandboxServer(app) as running:
        yield running
    app.state.sandbox.store.close()


@pytest.fixture(scope="module")
def sandbox(server: SandboxServer) -> Sandbox:
    found: Sandbox = server.app.state.sandbox
    return found


def sync_client(url: str, recorder: Recorder) -> AimbaseClient:
    http = httpx.Client(event_hooks={"request": [recorder]}, timeout=10)
    return AimbaseClient(url, client=http, username=USER, password=PASSWORD, retry=NO_WAIT)


def async_client(url: str, recorder: Recorder) -> AsyncAimbaseClient:
    http = httpx.AsyncClient(event_hooks={"request": [recorder.hook]}, timeout=10)
    return AsyncAimbaseClient(url, client=http, username=USER, password=PASSWORD, retry=NO_WAIT)


def check_pages(recorder: Recorder, ids: list[int], expected: list[int]) -> None:
    """The server applied the options' page size, and every page request carried the options' headers."""
    assert ids == expected
    requests = recorder.odata("GET")
    assert len(requests) == -(-len(expected) // 40) >= 2
    assert "trace=e2e%201&$format=json" in requests[0].url
    assert all(r.headers["X-Trace"] == "e2e" and r.headers["Prefer"] == "odata.maxpagesize=40" for r in requests)


def test_query_pages_with_options_sync(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    with sync_client(server.url, recorder) as client:
        query = client.leads.with_options(EXTRAS).query().filter(QLead.score >= 50).order_by(QLead.id)
        ids = [x.id for x in query.select(QLead.id).list()]
    check_pages(recorder, ids, sql_ids(sandbox, "Leads", "t.Score >= 50", order="t.Id"))


def test_query_pages_with_options_async(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()

    async def read() -> list[int]:
        async with async_client(server.url, recorder) as client:
            query = client.with_options(EXTRAS).leads.query().filter(QLead.score >= 50).order_by(QLead.id)
            return [x.id for x in await query.select(QLead.id).list()]

    ids = asyncio.run(read())
    check_pages(recorder, ids, sql_ids(sandbox, "Leads", "t.Score >= 50", order="t.Id"))


def test_patch_as_previewed_then_sent_sync(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    key = sql_ids(sandbox, "Leads", "1 = 1", order="t.Id")[-1]
    with sync_client(server.url, recorder) as client:
        leads = client.leads.with_options(RequestOptions(prefer_return="representation", params={"why": "e2e"}))
        preview = leads.preview(lambda s: s.patch(key, event="extras-sync", return_entity=True))
        assert recorder.seen == []  # a preview sends nothing, not even the login
        changed = leads.patch(key, event="extras-sync", return_entity=True)
    sent = recorder.odata("PATCH")[0]
    assert (preview.method, preview.url, preview.content) == (sent.method, sent.url, sent.content)
    assert all(sent.headers[name] == value for name, value in preview.headers)
    assert sent.headers["Prefer"] == "return=representation"  # the call's and the options', once
    assert "?why=e2e" in sent.url and recorder.odata("GET") == []  # the entity came in the answer
    assert changed is not None and changed.event == "extras-sync"
    assert lead(sandbox, key)["Event"] == "extras-sync"


def test_patch_with_return_minimal_async(server: SandboxServer, sandbox: Sandbox) -> None:
    recorder = Recorder()
    key = sql_ids(sandbox, "Leads", "1 = 1", order="t.Id")[-2]

    async def change() -> object:
        async with async_client(server.url, recorder) as client:
            item = client.leads.navigate(key).with_options(RequestOptions(prefer_return="minimal"))
            return await item.patch(event="extras-async")

    assert asyncio.run(change()) is None
    assert recorder.odata("PATCH")[0].headers["Prefer"] == "return=minimal"
    assert lead(sandbox, key)["Event"] == "extras-async"


def test_a_colliding_option_is_refused_before_anything_is_sent(server: SandboxServer) -> None:
    recorder = Recorder()
    with sync_client(server.url, recorder) as client:
        query = client.leads.query().filter(QLead.score > 1).with_options(RequestOptions(params={"$filter": "true"}))
        with pytest.raises(ClientValidationError, match=r"'\$filter' is already set by the call itself"):
            query.list()
    assert recorder.seen == []
