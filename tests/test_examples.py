"""The README's client example runs: examples/sync_leads.py against a MockTransport standing in for Aimbase."""

from __future__ import annotations

import json
from pathlib import Path

import httpx
import pytest

from aimbase import AimbaseClient

ROOT = Path(__file__).resolve().parents[1]
EXAMPLES = ROOT / "specs" / "aimbase" / "examples"


def _aimbase(requests: list[httpx.Request]) -> httpx.MockTransport:
    lead = json.loads((EXAMPLES / "lead-82540-expand-all.json").read_text(encoding="utf-8"))

    def handle(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        if request.url.path == "/api/Security/Login":
            return httpx.Response(200, json="me:1ea0934d-ef65-4ae2-b513-8ed5d8a64e52")
        if request.method == "PATCH":
            return httpx.Response(204)
        if request.url.path == "/odata/V2/Leads" and "skiptoken" not in str(request.url):
            return httpx.Response(200, json={"value": [lead], "@odata.nextLink": "Leads?$skiptoken=1"})
        if request.url.path == "/odata/V2/Leads":
            return httpx.Response(200, json={"value": [lead]})
        return httpx.Response(200, json=lead)

    return httpx.MockTransport(handle)


def test_example_logs_in_streams_reads_and_patches(capsys: pytest.CaptureFixture[str]) -> None:
    from examples.sync_leads import run

    requests: list[httpx.Request] = []
    with AimbaseClient(
        "https://acme.aimbase.com", username="me", password="pw", transport=_aimbase(requests)
    ) as client:
        run(client, lead_id=82540)
    sent = [(r.method, str(r.url).removeprefix("https://acme.aimbase.com")) for r in requests]
    assert sent[0] == ("POST", "/api/Security/Login")
    assert sent[1][1].startswith("/odata/V2/Leads?$filter=LeadDate%20ge%202025-01-01T00:00:00-06:00%20and%20")
    assert sent[2] == ("GET", "/odata/V2/Leads?$skiptoken=1")
    assert sent[3] == ("GET", "/odata/V2/Leads(82540)?$expand=Product($expand=Brand,ProductCategory)")
    assert sent[4] == ("PATCH", "/odata/V2/Leads(82540)")
    assert json.loads(requests[4].content) == {"FollowUpStatusCode": "Contacted"}
    assert capsys.readouterr().out.count("lead 82540 from example@rollick.io for Aaron's Yachts") == 2


def test_readme_shows_the_example() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    source = (ROOT / "examples" / "sync_leads.py").read_text(encoding="utf-8")
    body = source[source.index("def run(") : source.index('if __name__ == "__main__":')].strip()
    assert body in readme


def test_iter_holds_no_earlier_page_while_fetching_the_next() -> None:
    """Streaming keeps memory at about one page: when page k+1 is fetched, no lead of page k is alive."""
    import gc
    import weakref

    lead = json.loads((EXAMPLES / "lead-114-expand-prospect.json").read_text(encoding="utf-8"))
    refs: list[weakref.ref[object]] = []
    alive_at_fetch: list[int] = []

    def handle(request: httpx.Request) -> httpx.Response:
        page = int(request.url.params.get("$skiptoken", "0"))
        alive_at_fetch.append(sum(ref() is not None for ref in refs))
        body: dict[str, object] = {"value": [dict(lead, Id=page * 50 + i) for i in range(50)]}
        if page < 4:
            body["@odata.nextLink"] = f"Leads?$skiptoken={page + 1}"
        return httpx.Response(200, json=body)

    client = AimbaseClient("https://acme.aimbase.com", username="me", token="t", transport=httpx.MockTransport(handle))
    gc.disable()  # reference counting alone must free each page
    try:
        count = 0
        for entity in client.leads.query().iter():
            refs.append(weakref.ref(entity))
            count += 1
        del entity
    finally:
        gc.enable()
    assert count == 250
    # At most the caller's own loop variable (the last lead handed out) is alive, never the page's others.
    assert alive_at_fetch[0] == 0 and max(alive_at_fetch) <= 1
