"""Bytes -> typed objects and back, for one page of expanded Aimbase leads, against json, pydantic and msgspec.

    .venv/bin/python benchmarks/bench_structure.py [--rows 1000] [--rounds 9]

The page is what the sandbox (codegen/sandbox, seeded data) answers to
`Leads?$expand=Prospect($expand=Company),Dealer,Product($expand=Brand,ProductCategory)&$top=N`; every contender
reads the same bytes. Contenders, reading:

- json.loads: the bytes to plain dicts, no types (the baseline of the ratios);
- ours: what the client does with a response body: `codegen.runtime.http.jsonio.loads`, then `structure`
  of each item of `value` as the generated `aimbase.Lead`;
- pydantic: `TypeAdapter(Page).validate_json`, where Page holds `value: list[Lead]`;
- msgspec: `msgspec.json.Decoder(Page).decode` with `msgspec.Struct` models.

and writing the objects each one read: `json.dumps` of the dicts, ours `jsonio.dumps` of `unstructure` of each
lead (the PATCH/POST path), pydantic `dump_json(by_alias=True)`, msgspec `Encoder.encode`.

The pydantic and msgspec models have the shape of the generated classes, field by field (wire names as
aliases, Decimal/datetime/UUID fields as ours, nullable where ours are, nested models for navigations): they
are derived from the generated classes here rather than written out, so they cannot drift from them.

Each round times every contender once, in turn, so that load on the machine hits them alike; the figures are
medians over the rounds. Not a test: it prints figures and exits 0. Needs the `bench` extra (pydantic, msgspec).
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time
import typing
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

import httpx
import msgspec
import pydantic

from aimbase import Lead
from codegen.runtime import ODataModel, structure, unstructure
from codegen.runtime.http import jsonio
from codegen.runtime.model import field_hint, wire_fields

ROOT = Path(__file__).resolve().parents[1]
SPEC = ROOT / "specs" / "aimbase" / "codegen.toml"
EXPAND = "Prospect($expand=Company),Dealer,Product($expand=Brand,ProductCategory)"


# --- the data ---------------------------------------------------------------------------------------------


def fetch_page(rows: int) -> bytes:
    """The body of one page of `rows` expanded leads, from a sandbox served on loopback in this process."""
    from codegen.sandbox import SandboxServer, create_app
    from codegen.spec import load_spec

    app = create_app(load_spec(SPEC), rows=rows, seed=11, page_size=rows)
    try:
        with SandboxServer(app) as running, httpx.Client(base_url=running.url, timeout=300) as http:
            token = http.post("/api/Security/Login", json={"Username": "demo", "Password": "demo"}).json()
            http.headers["Authenticate"] = f"Avala-Api {token}"
            response = http.get("/odata/V2/Leads", params={"$expand": EXPAND, "$top": str(rows)})
            response.raise_for_status()
            return response.content
    finally:
        app.state.sandbox.store.close()


# --- peer models of the same shape ----------------------------------------------------------------------------


def _peer_type(hint: Any, model_of: Callable[[type[ODataModel]], Any]) -> Any:
    """`hint` with every generated class replaced by its peer model (Aimbase's classes do not refer to
    themselves, so no forward references are needed)."""
    if isinstance(hint, type) and issubclass(hint, ODataModel):
        return model_of(hint)
    args = typing.get_args(hint)
    if not args:
        return hint
    mapped = tuple(_peer_type(arg, model_of) for arg in args)
    origin = typing.get_origin(hint)
    return list[mapped[0]] if origin is list else typing.Union[mapped]  # type: ignore[valid-type]


def pydantic_models(root: type[ODataModel]) -> Any:
    made: dict[type, Any] = {}

    def model_of(cls: type[ODataModel]) -> Any:
        if cls not in made:
            fields: dict[str, Any] = {}
            for field in wire_fields(cls):
                hint = _peer_type(field_hint(field, load=True), model_of)
                default = None if field.default_none else ...
                fields[field.attribute] = (hint, pydantic.Field(default, alias=field.wire_name))
            config = pydantic.ConfigDict(extra="allow", populate_by_name=True)
            made[cls] = pydantic.create_model(f"P{cls.__name__}", __config__=config, **fields)
        return made[cls]

    lead = model_of(root)
    return pydantic.create_model("PPage", value=(list[lead], ...))  # type: ignore[valid-type]


def msgspec_models(root: type[ODataModel]) -> Any:
    made: dict[type, Any] = {}

    def model_of(cls: type[ODataModel]) -> Any:
        if cls not in made:
            fields = [
                (
                    field.attribute,
                    _peer_type(field_hint(field, load=True), model_of),
                    (
                        msgspec.field(default=None, name=field.wire_name)
                        if field.default_none
                        else msgspec.field(name=field.wire_name)
                    ),
                )
                for field in wire_fields(cls)
            ]
            made[cls] = msgspec.defstruct(f"M{cls.__name__}", fields, kw_only=True)
        return made[cls]

    lead = model_of(root)
    return msgspec.defstruct("MPage", [("value", list[lead])])  # type: ignore[valid-type]


# --- timing ---------------------------------------------------------------------------------------------------


def rounds(contenders: dict[str, Callable[[], Any]], count: int) -> dict[str, float]:
    """Median seconds of each contender over `count` rounds; each round runs them all in turn."""
    times: dict[str, list[float]] = {name: [] for name in contenders}
    for _ in range(count):
        for name, run in contenders.items():
            gc.collect()
            started = time.perf_counter()
            run()
            times[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in times.items()}


def report(title: str, medians: dict[str, float], baseline: str, peer: str) -> None:
    print(f"\n{title}")
    print(f"  {'':<34} {'median ms':>10} {'x ' + baseline:>14} {'x ' + peer:>12}")
    for name, seconds in medians.items():
        print(
            f"  {name:<34} {seconds * 1e3:>10.1f} {seconds / medians[baseline]:>14.2f}"
            f" {seconds / medians[peer]:>12.2f}"
        )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description="Time bytes -> typed objects -> bytes against json, pydantic, msgspec."
    )
    parser.add_argument("--rows", type=int, default=1000, help="leads on the page (default 1000)")
    parser.add_argument("--rounds", type=int, default=9, help="timed rounds; figures are medians (default 9)")
    args = parser.parse_args(argv)

    body = fetch_page(args.rows)
    pydantic_page = pydantic.TypeAdapter(pydantic_models(Lead))
    msgspec_page = msgspec_models(Lead)
    msgspec_decoder = msgspec.json.Decoder(msgspec_page)
    msgspec_encoder = msgspec.json.Encoder()

    def ours_read() -> list[Lead]:
        return [structure(item, Lead) for item in jsonio.loads(body)["value"]]

    plain = json.loads(body)["value"]
    leads = ours_read()
    pydantic_read = pydantic_page.validate_json(body)
    msgspec_read = msgspec_decoder.decode(body)
    counts = {len(plain), len(leads), len(pydantic_read.value), len(msgspec_read.value)}
    if counts != {args.rows}:
        raise SystemExit(f"the contenders read different numbers of leads: {counts}")
    pydantic_list = pydantic.TypeAdapter(list[type(pydantic_read.value[0])])  # type: ignore[misc]

    print(
        f"{args.rows} expanded leads, {len(body) / 1e6:.2f} MB; Python {platform.python_version()}, "
        f"pydantic {pydantic.VERSION}, msgspec {msgspec.__version__}"
    )
    print(f"load average before: {' '.join(f'{load:.2f}' for load in os.getloadavg())}")
    read = rounds(
        {
            "json.loads": lambda: json.loads(body),
            "ours: jsonio.loads + structure": ours_read,
            "pydantic validate_json": lambda: pydantic_page.validate_json(body),
            "msgspec typed decode": lambda: msgspec_decoder.decode(body),
        },
        args.rounds,
    )
    write = rounds(
        {
            "json.dumps": lambda: json.dumps(plain),
            "ours: unstructure + jsonio.dumps": lambda: jsonio.dumps([unstructure(lead) for lead in leads]),
            "pydantic dump_json": lambda: pydantic_list.dump_json(pydantic_read.value, by_alias=True),
            "msgspec encode": lambda: msgspec_encoder.encode(msgspec_read.value),
        },
        args.rounds,
    )
    report("bytes -> objects", read, "json.loads", "pydantic validate_json")
    report("objects -> bytes", write, "json.dumps", "pydantic dump_json")
    print(
        f"\nload average after: {' '.join(f'{load:.2f}' for load in os.getloadavg())}; medians of {args.rounds} rounds"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
