"""Stream leads from the sandbox through `client.leads.query().iter()`: leads/second and client-side memory.

    .venv/bin/python benchmarks/bench_stream.py [--rows N [N ...]] [--quick] [--page-size N]

For each row count a sandbox seeded with that many leads runs in a separate process (so its SQLite data and
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

import attrs
import httpx

from aimbase import AimbaseClient

SPEC = Path(__file__).resolve().parent.parent / "specs" / "aimbase" / "codegen.toml"
USERNAME = PASSWORD = "demo"
DEFAULT_ROWS = (10_000, 100_000)
QUICK_ROWS = (1_000, 10_000)
PAGE_SIZE = 1000  # the sandbox default
READY_TIMEOUT = 600.0  # seconds for the sandbox to seed its data and bind its port
MIB = 1024 * 1024
MAX_PAGES_HELD = 2.5  # peak, in one-page peaks, still called flat


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


@contextlib.contextmanager
def sandbox_process(rows: int, page_size: int) -> Iterator[tuple[str, float]]:
    """A sandbox with `rows` leads in a child process; yields (base URL, seconds it took to seed and bind)."""
    context = multiprocessing.get_context("spawn")
    receiver, sender = context.Pipe(duplex=False)
    process = context.Process(
        target=_serve_sandbox, args=(str(SPEC), rows, page_size, sender), name=f"sandbox-{rows}", daemon=True
    )
    process.start()
    sender.close()  # the child holds its own copy; closing ours lets recv() see the child dying
    try:
        yield _wait_ready(process, receiver)
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
    with sandbox_process(rows, page_size) as (url, seed_seconds):
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
    args = parser.parse_args(argv)
    if args.rows is None:
        args.rows = list(QUICK_ROWS if args.quick else DEFAULT_ROWS)
    if any(rows < 1 for rows in args.rows) or args.page_size < 1:
        parser.error("--rows and --page-size must be 1 or more")
    return args


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    print_header()

    def log(message: str) -> None:
        print(message, flush=True)

    results = [measure(rows, args.page_size, log) for rows in args.rows]
    print_table(results, args.page_size)
    print_verdict(results)
    return 0


if __name__ == "__main__":
    sys.exit(main())
