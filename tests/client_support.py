"""Shared harness of tests/test_client.py and tests/test_client_async.py (not a test module).

- `Script`: an `httpx.MockTransport` handler answering with prepared outcomes in turn and recording every
  request it saw; a request beyond the script fails the test. It is a plain function, so the same script
  serves `httpx.Client` and `httpx.AsyncClient`.
- Bodies: the Aimbase example responses (`specs/aimbase/examples`), pages of leads, OData error bodies.
- `generated_client_module`: generates a package from a CSDL file with the real CLI into a temporary
  directory and imports its `client` module (TripPin, and a tiny CSDL declaring optimistic concurrency).
"""

from __future__ import annotations

import importlib
import json
import subprocess
import sys
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from types import ModuleType
from typing import Any

import httpx
import pytest

from codegen.runtime.http import RetryPolicy

REPO = Path(__file__).resolve().parents[1]
FIXTURES = Path(__file__).resolve().parent / "fixtures"
TRIPPIN_CSDL = FIXTURES / "csdl" / "trippin-sampleservice.xml"
EXAMPLES = REPO / "specs" / "aimbase" / "examples"

BASE = "https://acme.aimbase.com"
ROOT = f"{BASE}/odata/V2"
LOGIN_URL = f"{BASE}/api/Security/Login"
USERNAME = "u"
PASSWORD = "Hunter2-correct-horse"
GUID = "0f8fad5b-d9cb-469f-a165-70867728950e"
TOKEN = "7d444840-9dc0-11d1-b245-5ffdce74fad2"

LEAD_114 = (EXAMPLES / "lead-114-expand-prospect.json").read_text(encoding="utf-8")
LEAD_82540 = (EXAMPLES / "lead-82540-expand-all.json").read_text(encoding="utf-8")

Outcome = httpx.Response | Exception | Callable[[httpx.Request], httpx.Response]


class Script:
    """A MockTransport handler answering with `outcomes` in order, recording each request (body read)."""

    def __init__(self, *outcomes: Outcome) -> None:
        self.outcomes = list(outcomes)
        self.requests: list[httpx.Request] = []

    def __call__(self, request: httpx.Request) -> httpx.Response:
        # A copy: an auth flow may send the same request object again with other headers.
        self.requests.append(
            httpx.Request(request.method, request.url, headers=request.headers, content=request.read())
        )
        assert self.outcomes, f"unexpected request: {request.method} {request.url}"
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, Exception):
            raise outcome
        if isinstance(outcome, httpx.Response):
            return outcome
        return outcome(request)

    @property
    def transport(self) -> httpx.MockTransport:
        return httpx.MockTransport(self)

    @property
    def urls(self) -> list[str]:
        return [str(r.url) for r in self.requests]

    @property
    def methods(self) -> list[str]:
        return [r.method for r in self.requests]

    def body(self, index: int = -1) -> Any:
        """The JSON body of a request, parsed (Decimal for non-integers)."""
        return json.loads(self.requests[index].content, parse_float=Decimal)


def ok(body: str | dict[str, Any] | list[Any], status: int = 200, **headers: str) -> httpx.Response:
    """A JSON response; a `str` body is sent as it is (the examples keep their Decimal digits)."""
    text = body if isinstance(body, str) else json.dumps(body)
    return httpx.Response(status, content=text.encode("utf-8"), headers={"Content-Type": "application/json", **headers})


def no_content() -> httpx.Response:
    return httpx.Response(204)


def error(status: int, message: str = "went wrong", code: str = "E1", **headers: str) -> httpx.Response:
    return ok({"error": {"code": code, "message": message}}, status, **headers)


def login_ok(guid: str = GUID) -> httpx.Response:
    """What Aimbase's login answers: a bare JSON string holding `username:GUID`."""
    return ok(json.dumps(f"{USERNAME}:{guid}"))


def lead_json(lead_id: int, **changes: Any) -> dict[str, Any]:
    """Lead 114's example body (without its expanded Prospect) under another Id."""
    data: dict[str, Any] = json.loads(LEAD_114)
    del data["Prospect"]
    data.update({"Id": lead_id, **changes})
    return data


def leads_page(ids: list[int], next_link: str | None = None, count: int | None = None) -> dict[str, Any]:
    page: dict[str, Any] = {"@odata.context": f"{ROOT}/$metadata#Leads", "value": [lead_json(i) for i in ids]}
    if count is not None:
        page["@odata.count"] = count
    if next_link is not None:
        page["@odata.nextLink"] = next_link
    return page


class Waits:
    """A RetryPolicy's `sleep` and `random` that record instead of sleeping (`random` returns its cap)."""

    def __init__(self) -> None:
        self.slept: list[float] = []
        self.drawn: list[tuple[float, float]] = []

    def sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    async def async_sleep(self, seconds: float) -> None:
        self.slept.append(seconds)

    def random(self, low: float, high: float) -> float:
        self.drawn.append((low, high))
        return high

    def policy(self, **kwargs: Any) -> RetryPolicy:
        return RetryPolicy(sleep=self.sleep, async_sleep=self.async_sleep, random=self.random, **kwargs)


# --- generated packages beyond aimbase ------------------------------------------------------------------------

CONCURRENCY_CSDL = """<?xml version="1.0" encoding="utf-8"?>
<edmx:Edmx Version="4.0" xmlns:edmx="http://docs.oasis-open.org/odata/ns/edmx">
  <edmx:Reference Uri="https://oasis-tcs.github.io/odata-vocabularies/vocabularies/Org.OData.Core.V1.xml">
    <edmx:Include Namespace="Org.OData.Core.V1" Alias="Core"/>
  </edmx:Reference>
  <edmx:DataServices>
    <Schema Namespace="Shop" xmlns="http://docs.oasis-open.org/odata/ns/edm">
      <EntityType Name="Order">
        <Key><PropertyRef Name="Id"/></Key>
        <Property Name="Id" Type="Edm.Int32" Nullable="false"/>
        <Property Name="Note" Type="Edm.String" MaxLength="20"/>
        <Property Name="Version" Type="Edm.Int64" Nullable="false">
          <Annotation Term="Core.Computed" Bool="true"/>
        </Property>
        <Property Name="ModifiedAt" Type="Edm.DateTimeOffset">
          <Annotation Term="Core.Computed" Bool="true"/>
        </Property>
      </EntityType>
      <EntityContainer Name="Container">
        <EntitySet Name="Orders" EntityType="Shop.Order">
          <Annotation Term="Core.OptimisticConcurrency">
            <Collection><PropertyPath>Version</PropertyPath></Collection>
          </Annotation>
        </EntitySet>
      </EntityContainer>
    </Schema>
  </edmx:DataServices>
</edmx:Edmx>
"""

SHOP_ROOT = "https://shop.example.com"
TRIPPIN_ROOT = "https://services.odata.org/V4/TripPinServiceRW"


def generated_client_module(tmp_path_factory: pytest.TempPathFactory, package: str, metadata: Path | str) -> ModuleType:
    """`{package}`, generated by `python -m codegen generate --metadata ...` and imported: its root exports
    the models and the client package's classes alike.

    `metadata` is a CSDL file, or CSDL text written to a temporary file first. A package already imported
    (by the other client test module) is reused: one process cannot import two packages of one name.
    """
    if package not in sys.modules:
        out = tmp_path_factory.mktemp(package)
        if isinstance(metadata, str):
            source = out / "metadata.xml"
            source.write_text(metadata, encoding="utf-8")
            metadata = source
        command = [sys.executable, "-m", "codegen", "generate", "--metadata", str(metadata)]
        result = subprocess.run(
            [*command, "--package", package, "--out", str(out), "--package-only"],
            cwd=REPO,
            capture_output=True,
            text=True,
        )
        assert result.returncode == 0, result.stderr
        sys.path.insert(0, str(out))
    return importlib.import_module(package)


def shop_client_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(tmp_path_factory, "shop_client_tests", CONCURRENCY_CSDL)


def trippin_client_module(tmp_path_factory: pytest.TempPathFactory) -> ModuleType:
    return generated_client_module(tmp_path_factory, "trippin_client_tests", TRIPPIN_CSDL)


def order_json(order_id: int, etag: str | None = None, **changes: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"Id": order_id, "Note": "first", "Version": 7, "ModifiedAt": "2024-05-01T10:00:00Z"}
    if etag is not None:
        data = {"@odata.etag": etag, **data}
    data.update(changes)
    return data


AIRPORT_KSFO = {
    "@odata.context": f"{TRIPPIN_ROOT}/$metadata#Airports/$entity",
    "IcaoCode": "KSFO",
    "Name": "San Francisco International Airport",
    "IataCode": "SFO",
    "Location": {
        "Address": "South McDonnell Road, San Francisco, CA 94128",
        "City": {"CountryRegion": "United States", "Name": "San Francisco", "Region": "California"},
        "Loc": {"type": "Point", "coordinates": [-122.374722222222, 37.6188888888889]},
    },
}

TRIPS = {
    "@odata.context": f"{TRIPPIN_ROOT}/$metadata#Collection(Microsoft.OData.SampleService.Models.TripPin.Trip)",
    "value": [
        {
            "TripId": 1001,
            "ShareId": "9d9b2fa0-efbf-490e-a5e3-bac8f7d47354",
            "Description": "Trip from San Francisco to New York City",
            "Name": "Trip in US",
            "Budget": 3000,
            "StartsAt": "2014-01-01T00:00:00Z",
            "EndsAt": "2014-01-04T00:00:00Z",
            "Tags": ["Trip in New York", "business", "sightseeing"],
        },
        {
            "TripId": 1007,
            "ShareId": "f94e9116-8bdd-4dac-ab61-08438d0d9a71",
            "Description": "Trip from Shanghai to Beijing",
            "Name": "Trip in Beijing",
            "Budget": 800,
            "StartsAt": "2014-02-01T00:00:00Z",
            "EndsAt": "2014-02-04T00:00:00Z",
            "Tags": ["Travel", "Beijing"],
        },
    ],
}

AIRLINE = {
    "@odata.context": f"{TRIPPIN_ROOT}/$metadata#Airlines/$entity",
    "AirlineCode": "AA",
    "Name": "American Airlines",
}
