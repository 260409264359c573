"""Sandbox throughput: leads per second of the server's own CPU, expanded and plain, in-process and over HTTP.

    .venv/bin/python benchmarks/bench_sandbox.py [--rows N] [--page-size N] [--repeat N]

Two queries, each paged through to the end (following `@odata.nextLink`):

- expanded: `Leads?$expand=Prospect($expand=Company),Dealer,Product($expand=Brand,ProductCategory)` (the
  issue's stream: seven entities per lead);
- plain: `Leads`.

In-process: the Starlette app is called directly as ASGI (no sockets, no HTTP parsing), so the figure is the
app's own work: `time.process_time` of this process, worker threads included, divided into the leads
served. Each query is also served with `Store.page_json` switched off, i.e. through the Python path
(`Store.page` and `entities.entity_json`) every shape used before SQLite wrote the JSON: the same data, the
same run, so "x python" is a like-for-like speed-up.

Over HTTP: the sandbox runs in its own process under uvicorn (as `bench_stream.py` starts it) and a raw
httpx loop reads the pages; the figure is the server process's CPU (user + system, from /proc, Linux only)
per lead served, so the client's own parsing is not counted. Each figure is the best of `--repeat` rounds.
"""

from __future__ import annotations

import argparse
import asyncio
import math
import os
import platform
import shlex
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import httpx

from codegen.runtime.http.jsonio import dumps, loads
from codegen.sandbox import create_app
from codegen.sandbox.app import Sandbox
from codegen.spec import load_spec

sys.path.insert(0, str(Path(__file__).resolve().parent))
from bench_stream import USERNAME, PASSWORD, login_headers, sandbox_process  # noqa: E402  # a sibling script

SPEC = Path(__file__).resolve().parent.parent / "specs" / "aimbase" / "codegen.toml"
QUERIES = {
    "expanded": "$expand=Prospect($expand=Company),Dealer,Product($expand=Brand,ProductCategory)",
    "plain": "",
}
DEFAULT_ROWS = 20_000
PAGE_SIZE = 1000
REPEAT = 3

# --- in-process: the ASGI app called directly ----------------------------------------------------------------


class AsgiDriver:
    """Sends GETs straight into the app, as uvicorn would, and collects the answer."""

    def __init__(self, app: Any, headers: dict[str, str]) -> None:
        self.app = app
        self.headers = [(name.lower().encode("latin-1"), value.encode("latin-1")) for name, value in headers.items()]

    async def request(self, method: str, path: str, query: str = "", body: bytes = b"") -> tuple[int, bytes]:
        scope = {
            "type": "http",
            "asgi": {"version": "3.0"},
            "http_version": "1.1",
            "method": method,
            "scheme": "http",
            "path": path,
            "raw_path": path.encode("ascii"),
            "query_string": query.encode("ascii"),
            "root_path": "",
            "headers": self.headers,
            "client": ("127.0.0.1", 50000),
            "server": ("127.0.0.1", 80),
        }
        pending = [{"type": "http.request", "body": body, "more_body": False}]
        status = 0
        chunks: list[bytes] = []

        async def receive() -> dict[str, Any]:
            if pending:
                return pending.pop()
            await asyncio.Event().wait()  # the client never goes away
            raise AssertionError("unreachable")

        async def send(message: dict[str, Any]) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = message["status"]
            elif message["type"] == "http.response.body":
                chunks.append(message.get("body", b""))

        await self.app(scope, receive, send)
        return status, b"".join(chunks)


async def _login(app: Any, login_path: str) -> dict[str, str]:
    credentials = dumps({"Username": USERNAME, "Password": PASSWORD})
    status, body = await AsgiDriver(app, {"content-type": "application/json"}).request(
        "POST", login_path, body=credentials
    )
    if status != 200:
        raise RuntimeError(f"the login answered {status}: {body[:200]!r}")
    return {"Authenticate": f"Avala-Api {loads(body)}"}


async def _stream(driver: AsgiDriver, path: str, query: str) -> tuple[int, float]:
    """Every page of `path?query`, following the nextLinks: the entities served, and the CPU seconds the
    driver spent parsing the pages (not the server's work)."""
    served, parsing = 0, 0.0
    url: str | None = f"{path}?{query}" if query else path
    while url is not None:
        target = httpx.URL(url)
        status, body = await driver.request("GET", target.path, target.query.decode("ascii"))
        if status != 200:
            raise RuntimeError(f"GET {url} answered {status}: {body[:200]!r}")
        started = time.process_time()
        page = loads(body)
        parsing += time.process_time() - started
        served += len(page["value"])
        url = page.get("@odata.nextLink")
    return served, parsing


def in_process(rows: int, page_size: int, repeat: int, log: Callable[[str], None]) -> dict[str, float]:
    """ "{query} {sqlite|python}" -> the best leads/s of this process's CPU (the driver's parsing not counted)."""
    spec = load_spec(SPEC)
    app = create_app(spec, rows=rows, seed=1, page_size=page_size)
    sandbox: Sandbox = app.state.sandbox
    path = f"{sandbox.service_path}/Leads"
    written = sandbox.store.page_json
    best: dict[str, float] = {}

    async def run() -> None:
        driver = AsgiDriver(app, await _login(app, sandbox.login_path))
        for round_ in range(repeat):
            for name, query in QUERIES.items():
                for way in ("sqlite", "python"):
                    sandbox.store.page_json = written if way == "sqlite" else _declined  # type: ignore[method-assign]
                    seconds = await _timed(driver, path, query, rows)
                    key = f"{name} {way}"
                    best[key] = max(best.get(key, 0.0), rows / seconds)
            log(f"in-process: round {round_ + 1} of {repeat} done")

    asyncio.run(run())
    sandbox.store.close()
    return best


def _declined(*_: object, **__: object) -> None:
    """`Store.page_json` declining every shape: the Python path serves them all."""
    return None


async def _timed(driver: AsgiDriver, path: str, query: str, rows: int) -> float:
    """The app's CPU seconds for streaming the whole query."""
    started = time.process_time()
    served, parsing = await _stream(driver, path, query)
    seconds = time.process_time() - started
    if served != rows:
        raise RuntimeError(f"served {served} leads, expected {rows}")
    return seconds - parsing


# --- over HTTP: the server's process CPU ---------------------------------------------------------------------


def process_cpu(pid: int) -> float:
    """User + system CPU seconds of process `pid` so far (Linux /proc)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    ticks = int(fields[11]) + int(fields[12])  # utime, stime: fields 14 and 15 of stat(5)
    return ticks / os.sysconf("SC_CLK_TCK")


def over_http(rows: int, page_size: int, repeat: int, log: Callable[[str], None]) -> dict[str, float]:
    if not Path("/proc/self/stat").exists():
        log("over HTTP: skipped, /proc is not here")
        return {}
    service_path = "/" + load_spec(SPEC).service_path.strip("/")
    best: dict[str, float] = {}
    with sandbox_process(rows, page_size) as served, httpx.Client(timeout=120) as http:
        headers = login_headers(served.url)
        for round_ in range(repeat):
            for name, query in QUERIES.items():
                url: str | None = f"{served.url}{service_path}/Leads" + (f"?{query}" if query else "")
                before = process_cpu(served.pid)
                count = 0
                while url is not None:
                    page = loads(http.get(url, headers=headers).content)
                    count += len(page["value"])
                    url = page.get("@odata.nextLink")
                seconds = process_cpu(served.pid) - before
                if count != rows:
                    raise RuntimeError(f"served {count} leads, expected {rows}")
                best[name] = max(best.get(name, 0.0), rows / seconds if seconds else math.inf)
            log(f"over HTTP: round {round_ + 1} of {repeat} done")
    return best


# --- report --------------------------------------------------------------------------------------------------


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--rows", type=int, default=DEFAULT_ROWS, help=f"leads seeded; default {DEFAULT_ROWS}")
    parser.add_argument("--page-size", type=int, default=PAGE_SIZE, help=f"sandbox page size; default {PAGE_SIZE}")
    parser.add_argument("--repeat", type=int, default=REPEAT, help=f"rounds, the best is shown; default {REPEAT}")
    args = parser.parse_args(argv)
    if min(args.rows, args.page_size, args.repeat) < 1:
        parser.error("--rows, --page-size and --repeat must be 1 or more")
    print(f"$ {shlex.join(sys.orig_argv)}")
    print(f"python {platform.python_version()}, {platform.system()} {platform.machine()}, cpu_count {os.cpu_count()}")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")

    def log(message: str) -> None:
        print(message, flush=True)

    inside = in_process(args.rows, args.page_size, args.repeat, log)
    http = over_http(args.rows, args.page_size, args.repeat, log)
    print()
    print(f"{args.rows} leads, page size {args.page_size}; leads/s of the server's CPU, best of {args.repeat}")
    for name in QUERIES:
        sqlite, python = inside[f"{name} sqlite"], inside[f"{name} python"]
        print(
            f"  {name:>8} in-process: {sqlite:>9,.0f} (SQLite writes the JSON)  {python:>9,.0f} (Python path)"
            f"  x{sqlite / python:.1f} python"
        )
    for name, rate in http.items():
        print(f"  {name:>8} over HTTP:  {rate:>9,.0f} (server process CPU, uvicorn included)")
    print(f"load average {' '.join(f'{x:.2f}' for x in os.getloadavg())}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
