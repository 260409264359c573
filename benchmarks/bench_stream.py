"""Stream leads from the sandbox through `client.leads.query().iter()`: client CPU against a raw loop, leads/second
and client-side memory.

    .venv/bin/python benchmarks/bench_stream.py [--rows N [N ...]] [--quick] [--page-size N]
                                                [--cpu-rows N] [--cpu-only] [--repeat N]

First, client CPU (`time.process_time` in this process, the sandbox serving from its own) for `--cpu-rows`
expanded leads (`$expand=Prospect($expand=Company),Dealer,Product($expand=Brand,ProductCategory)`), in the
same run and against the same sandbox, each pass repeated `--repeat` times (the minimum is shown):

- raw: `httpx.Client` GETs of the same URLs, following `@odata.nextLink`, each body through `json.loads`;
- jsonio: the same loop parsing with the runtime's `jsonio.loads` (Decimals, the nesting-depth scan);
- paging: the runtime's session and `paging.iter_items`, dicts as parsed (`jsonio.loads`, no typed objects);
- client: `client.leads.query().expand(...).iter()`, typed `Lead` objects.

"client / raw" is the issue's figure. "jsonio - raw" is the runtime's JSON parsing beyond `json.loads`,
"paging - jsonio" the session and paging layer (requests, limits, checks of each page), "client - paging"
structuring the dicts into typed objects.

Then the memory passes. For each row count (`--rows`) a sandbox seeded with that many leads runs in a separate process (so its SQLite data and
JSON encoding are not part of the client's memory), serving loopback only, and is always terminated at the
end. In this process the generated `AimbaseClient` logs in, then streams every lead with `.iter()` (server
pages of `--page-size` leads, the sandbox default 1000), counting the leads and dropping each one:

- seconds and leads/s come from a pass without tracing (tracemalloc slows every allocation);
- the memory figures come from a second, traced pass: `tracemalloc` peak of the Python allocations made
  during the iteration, and the same measured for a one-page query (`$top=page size`), so "x 1 page" says
  how many pages' worth of memory the full stream needed at its peak. It should stay flat as rows grow 10x;
- maxrss (`getrusage`) is this process's lifetime peak RSS, for context only (it never goes down).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import math
import multiprocessing
import os
import platform
import resource
import shlex
import sys
import time
import tracemalloc
from collections.abc import Callable, Iterator
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

import attrs
import httpx

from aimbase import AimbaseClient
from aimbase.models.lead import QLead
from aimbase.models.product import QProduct
from aimbase.models.prospect import QProspect
from codegen.runtime.http import jsonio, paging
from codegen.runtime.query import expand

SPEC = Path(__file__).resolve().parent.parent / "specs" / "aimbase" / "codegen.toml"
USERNAME = PASSWORD = "demo"
DEFAULT_ROWS = (10_000, 100_000)
QUICK_ROWS = (1_000, 10_000)
PAGE_SIZE = 1000  # the sandbox default
READY_TIMEOUT = 600.0  # seconds for the sandbox to seed its data and bind its port
MIB = 1024 * 1024
MAX_PAGES_HELD = 2.5  # peak, in one-page peaks, still called flat
CPU_ROWS = 20_000
REPEAT = 3


# --- the sandbox, in its own process -------------------------------------------------------------------------


def _serve_sandbox(spec_path: str, rows: int, page_size: int, conn: Connection) -> None:
    """Child process: seed and serve a sandbox; send (base URL, seconds to get ready) once the port is bound."""
    from codegen.sandbox import serve
    from codegen.spec import load_spec

    started = time.perf_counter()
    spec = load_spec(Path(spec_path))

    def ready(url: str) -> None:
        conn.send((url, time.perf_counter() - started))
        conn.close()

    serve(spec, port=0, rows=rows, page_size=page_size, log_level="warning", on_ready=ready)


@attrs.frozen
class Served:
    url: str  # the base URL
    seed_seconds: float  # seeding and binding the port
    pid: int


@contextlib.contextmanager
def sandbox_process(rows: int, page_size: int) -> Iterator[Served]:
    """A sandbox with `rows` leads in a child process, serving until the block ends."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_serve_sandbox, args=(str(SPEC), rows, page_size, sender), name=f"sandbox-{rows}", daemon=True
    )
    process.start()
    sender.close()  # the child holds its own copy; closing ours lets recv() see the child dying
    try:
        url, seconds = _wait_ready(process, receiver)
        assert process.pid is not None  # started
        yield Served(url, seconds, process.pid)
    finally:
        receiver.close()
        _stop(process)


def _wait_ready(process: multiprocessing.process.BaseProcess, receiver: Connection) -> tuple[str, float]:
    deadline = time.monotonic() + READY_TIMEOUT
    while not receiver.poll(0.1):
        if not process.is_alive():
            raise RuntimeError(f"the sandbox process exited with code {process.exitcode} before it was ready")
        if time.monotonic() > deadline:
            raise RuntimeError(f"the sandbox was not ready after {READY_TIMEOUT:.0f} s")
    try:
        url, seconds = receiver.recv()
    except EOFError:  # the child closed the pipe without a URL: it failed while starting
        process.join(5)
        raise RuntimeError(f"the sandbox process exited with code {process.exitcode} before it was ready") from None
    return str(url), float(seconds)


def _stop(process: multiprocessing.process.BaseProcess) -> None:
    """SIGTERM (uvicorn shuts down gracefully), then SIGKILL if it lingers; always reaped."""
    if process.is_alive():
        process.terminate()
        process.join(10)
    if process.is_alive():
        process.kill()
    process.join()


# --- the client side -----------------------------------------------------------------------------------------


class CountingTransport(httpx.HTTPTransport):
    """The default transport, counting the requests it sends (a page is one GET)."""

    def __init__(self) -> None:
        super().__init__()
        self.requests = 0

    def handle_request(self, request: httpx.Request) -> httpx.Response:
        self.requests += 1
        return super().handle_request(request)


@attrs.frozen
class Pass:
    leads: int
    pages: int
    seconds: float
    peak_bytes: int | None  # tracemalloc peak during the pass; None when not traced


@attrs.frozen
class Result:
    rows: int
    seed_seconds: float
    timed: Pass
    traced: Pass
    one_page_peak_bytes: int
    maxrss_bytes: int


def count_leads(client: AimbaseClient, top: int | None = None) -> int:
    """Iterate the leads (all, or the first `top`), keeping none of them."""
    query = client.leads.query()
    if top is not None:
        query = query.top(top)
    leads = 0
    for _ in query.iter():
        leads += 1
    return leads


def run_pass(client: AimbaseClient, transport: CountingTransport, *, traced: bool, top: int | None = None) -> Pass:
    requests_before = transport.requests
    if traced:
        tracemalloc.start()
    try:
        started = time.perf_counter()
        leads = count_leads(client, top)
        seconds = time.perf_counter() - started
        peak = tracemalloc.get_traced_memory()[1] if traced else None
    finally:
        if traced:
            tracemalloc.stop()
    return Pass(leads, transport.requests - requests_before, seconds, peak)


def measure(rows: int, page_size: int, log: Callable[[str], None]) -> Result:
    log(f"rows={rows}: starting the sandbox (separate process) ...")
    with sandbox_process(rows, page_size) as served:
        url, seed_seconds = served.url, served.seed_seconds
        log(f"rows={rows}: sandbox seeded and listening at {url} in {seed_seconds:.1f} s")
        transport = CountingTransport()
        with AimbaseClient(url, username=USERNAME, password=PASSWORD, transport=transport) as client:
            client.leads.query().first()  # log in, import the Lead modules, open the connection
            one_page = run_pass(client, transport, traced=True, top=page_size)
            timed = run_pass(client, transport, traced=False)
            log(f"rows={rows}: untraced pass {timed.seconds:.1f} s; traced pass ...")
            traced = run_pass(client, transport, traced=True)
    for done in (timed, traced):
        if done.leads != rows:
            raise RuntimeError(f"streamed {done.leads} leads, expected {rows}")
    assert one_page.peak_bytes is not None
    return Result(rows, seed_seconds, timed, traced, one_page.peak_bytes, _maxrss_bytes())


def _maxrss_bytes() -> int:
    maxrss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return maxrss if sys.platform == "darwin" else maxrss * 1024  # Linux reports KiB, macOS bytes


# --- client CPU against a raw loop ---------------------------------------------------------------------------


@attrs.frozen
class CpuResult:
    rows: int
    seconds: dict[str, float]  # pass name -> least client CPU seconds over the repeats


def expanded_leads(client: AimbaseClient) -> Any:
    """The issue's query: every lead with its prospect (and company), dealer and product (brand, category)."""
    return client.leads.query().expand(
        expand(QLead.prospect, QProspect.company),
        QLead.dealer,
        expand(QLead.product, QProduct.brand, QProduct.product_category),
    )


def raw_pass(http: httpx.Client, url: str | None, headers: dict[str, str], parse: Callable[[bytes], Any]) -> int:
    """The floor: GET each page, parse it, follow the nextLink; no checks, no typed objects."""
    leads = 0
    while url is not None:
        body = parse(http.get(url, headers=headers).content)
        leads += len(body["value"])
        url = body.get("@odata.nextLink")
    return leads


def login_headers(base_url: str) -> dict[str, str]:
    """The Aimbase login by hand, for the raw loop: POST the credentials, send the token back."""
    response = httpx.post(f"{base_url}/api/Security/Login", json={"Username": USERNAME, "Password": PASSWORD})
    response.raise_for_status()
    return {"Authenticate": f"Avala-Api {response.json()}", "Accept": "application/json"}


def cpu_seconds(count: Callable[[], int], rows: int) -> float:
    started = time.process_time()
    leads = count()
    seconds = time.process_time() - started
    if leads != rows:
        raise RuntimeError(f"streamed {leads} leads, expected {rows}")
    return seconds


def measure_cpu(rows: int, page_size: int, repeat: int, log: Callable[[str], None]) -> CpuResult:
    log(f"cpu: starting a sandbox of {rows} leads (separate process) ...")
    with sandbox_process(rows, page_size) as served:
        with AimbaseClient(served.url, username=USERNAME, password=PASSWORD) as client, httpx.Client() as http:
            query = expanded_leads(client)
            first_url = client.session.url(query.url())
            headers = login_headers(served.url)
            passes: dict[str, Callable[[], int]] = {
                "raw": lambda: raw_pass(http, first_url, headers, json.loads),
                "jsonio": lambda: raw_pass(http, first_url, headers, jsonio.loads),
                "paging": lambda: sum(1 for _ in paging.iter_items(client.session, query.url())),
                "client": lambda: sum(1 for _ in query.iter()),
            }
            for run in passes.values():
                run()  # warm up: log in, import and resolve the model classes, open the connections
            best = {name: math.inf for name in passes}
            for index in range(repeat):
                for name, run in passes.items():  # interleaved, so a burst of load hits every pass alike
                    best[name] = min(best[name], cpu_seconds(run, rows))
                log(f"cpu: round {index + 1} of {repeat} done")
    return CpuResult(rows, best)


def print_cpu(result: CpuResult) -> None:
    raw, parsed, paged, typed = (result.seconds[name] for name in ("raw", "jsonio", "paging", "client"))
    print()
    print(f"client CPU for {result.rows} expanded leads (time.process_time, least of the repeats)")
    for name, seconds in result.seconds.items():
        print(f"  {name:>7}: {seconds:7.3f} s  {result.rows / seconds:>9,.0f} leads/s  x{seconds / raw:.2f} raw")
    print(f"client / raw = {typed / raw:.2f}; of the client's CPU:")
    parts = [
        ("the raw loop's own work (HTTP, json.loads)", raw),
        ("jsonio.loads beyond json.loads (jsonio - raw)", parsed - raw),
        ("session and paging layer (paging - jsonio)", paged - parsed),
        ("structuring into typed objects (client - paging)", typed - paged),
    ]
    for what, seconds in parts:
        print(f"  {seconds:7.3f} s  {100 * seconds / typed:3.0f}%  {what}")


# --- report --------------------------------------------------------------------------------------------------


def print_header() -> None:
    print(f"$ {shlex.join(sys.orig_argv)}")
    affinity = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(
        f"python {platform.python_version()} ({platform.python_implementation()}), {platform.system()} "
        f"{platform.machine()}, cpu_count {os.cpu_count()} ({affinity} usable), httpx {httpx.__version__}"
    )


def print_table(results: list[Result], page_size: int) -> None:
    header = (
        "rows",
        "pages",
        "seconds",
        "leads/s",
        "tracemalloc peak MiB",
        "1-page peak MiB",
        "peak x 1 page",
        "maxrss MiB",
    )
    lines = [
        (
            f"{r.rows}",
            f"{r.timed.pages}",
            f"{r.timed.seconds:.2f}",
            f"{r.rows / r.timed.seconds:,.0f}",
            f"{_mib(r.traced.peak_bytes):.1f}",
            f"{_mib(r.one_page_peak_bytes):.1f}",
            f"{_ratio(r.traced.peak_bytes, r.one_page_peak_bytes):.2f}",
            f"{_mib(r.maxrss_bytes):.0f}",
        )
        for r in results
    ]
    widths = [max(len(cell) for cell in column) for column in zip(header, *lines)]
    print()
    print(f"page size {page_size}; seconds and leads/s untraced, memory from a separate tracemalloc pass")
    for row in (header, *lines):
        print("  ".join(cell.rjust(width) for cell, width in zip(row, widths)))
    print()
    for r in results:
        print(
            f"rows={r.rows}: seeding {r.seed_seconds:.1f} s (separate process, not in the table); traced pass "
            f"{r.traced.seconds:.1f} s"
        )


def print_verdict(results: list[Result]) -> None:
    """Flat means: at every size the peak is a fixed few pages' worth (MAX_PAGES_HELD), whatever the rows."""
    pages_held = max(_ratio(r.traced.peak_bytes, r.one_page_peak_bytes) for r in results)
    flat = pages_held <= MAX_PAGES_HELD
    if len(results) > 1:
        small, large = min(results, key=lambda r: r.rows), max(results, key=lambda r: r.rows)
        growth = _ratio(large.traced.peak_bytes, small.traced.peak_bytes)
        print(
            f"rows x{large.rows / small.rows:g}: tracemalloc peak x{growth:.2f} "
            f"({_mib(small.traced.peak_bytes):.1f} -> {_mib(large.traced.peak_bytes):.1f} MiB)"
        )
    print(
        f"largest peak = {pages_held:.2f} one-page peaks -> "
        + ("flat (bounded by a page or two)" if flat else f"GROWS with the row count (over {MAX_PAGES_HELD:g} pages)")
    )


def _mib(value: int | None) -> float:
    return (value or 0) / MIB


def _ratio(value: int | None, reference: int | None) -> float:
    return (value or 0) / reference if reference else math.nan


def parse_args(argv: list[str] | None = None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    sizes = parser.add_mutually_exclusive_group()
    sizes.add_argument(
        "--rows",
        type=int,
        nargs="+",
        metavar="N",
        help=f"lead counts to stream; default {' '.join(map(str, DEFAULT_ROWS))}",
    )
    sizes.add_argument("--quick", action="store_true", help=f"rows {' '.join(map(str, QUICK_ROWS))}")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help=f"sandbox page size; default {PAGE_SIZE}")
    parser.add_argument(
        "--cpu-rows", type=int, default=CPU_ROWS, help=f"expanded leads for the CPU figures; default {CPU_ROWS}"
    )
    parser.add_argument("--cpu-only", action="store_true", help="the CPU figures only, no memory passes")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"rounds of the CPU passes; default {REPEAT}")
    args = parser.parse_args(argv)
    if args.rows is None:
        args.rows = list(QUICK_ROWS if args.quick else DEFAULT_ROWS)
    if any(n < 1 for n in (*args.rows, args.page_size, args.cpu_rows, args.repeat)):
        parser.error("--rows, --page-size, --cpu-rows and --repeat must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print_header()

    def log(message: str) -> None:
        print(message, flush=True)

    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    cpu = measure_cpu(args.cpu_rows, args.page_size, args.repeat, log)
    print_cpu(cpu)
    if not args.cpu_only:
        results = [measure(rows, args.page_size, log) for rows in args.rows]
        print_table(results, args.page_size)
        print_verdict(results)
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
