"""Serving a sandbox app with uvicorn: in the foreground (`serve`), or in a background thread for tests
(`SandboxServer`, `running_sandbox`), on a port the OS picks when `port=0`.

    with running_sandbox(spec, rows=500, seed=1) as base_url:          # "http://127.0.0.1:53187"
        with AimbaseClient(base_url, username="demo", password="demo") as client:
            ...

The socket is bound before uvicorn starts, so the URL is known (and the port taken) as soon as `start()`
returns; `stop()` (or leaving the `with` block) shuts the server down and joins its thread.
"""

from __future__ import annotations

import contextlib
import ipaddress
import socket
import sys
import threading
import time
import warnings
from collections.abc import Callable, Iterator
from typing import Any

import uvicorn
from starlette.applications import Starlette

from ..errors import CodegenError
from ..spec import Spec
from .app import create_app
from .limits import MAX_HEADER_BYTES

__all__ = ["DEFAULT_ROWS", "DEFAULT_SEED", "SandboxServer", "is_loopback", "running_sandbox", "serve"]

DEFAULT_ROWS = 3000
DEFAULT_SEED = 20250604
LOOPBACK = "127.0.0.1"


def is_loopback(host: str) -> bool:
    """Whether every address `host` names is a loopback one (127.0.0.0/8, ::1); a ValueError for an empty
    host, which would bind every interface without anybody having asked for it."""
    if not host or not host.strip():
        raise ValueError("the sandbox host must be given (127.0.0.1 serves loopback only); '' binds every interface")
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        pass  # a name: look at what it resolves to
    try:
        found = socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)
    except OSError:
        return False
    return all(ipaddress.ip_address(str(info[4][0]).split("%")[0]).is_loopback for info in found)


def _exposure_warning(host: str) -> str:
    return (
        f"the sandbox is served on {host}, which is not a loopback address: anybody who can reach it can log in"
        " with the sandbox's demo credentials. It is a test server; serve it on 127.0.0.1 unless you mean this."
    )


def _uvicorn_config(app: Starlette, **options: Any) -> uvicorn.Config:
    # A larger buffer for the request line and headers than h11's 16 KiB, so that a long URL reaches the
    # sandbox and gets an OData 414 (see limits.MAX_URL_BYTES) rather than h11's plain-text 400.
    return uvicorn.Config(
        app,
        lifespan="off",
        http="h11",
        timeout_graceful_shutdown=2,
        h11_max_incomplete_event_size=MAX_HEADER_BYTES,
        **options,
    )


def _bind(host: str, port: int) -> socket.socket:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    # IPPROTO_TCP explicitly: asyncio sets TCP_NODELAY only on sockets that say so, and without it small
    # responses (headers and body written separately) wait ~40 ms for the client's delayed ACK.
    sock = socket.socket(family, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    try:
        sock.bind((host, port))
    except OSError:
        sock.close()
        raise
    sock.listen(128)  # connections made before uvicorn is up wait in the backlog instead of being refused
    return sock


def _url(sock: socket.socket) -> str:
    host, port = sock.getsockname()[:2]
    return f"http://[{host}]:{port}" if ":" in host else f"http://{host}:{port}"


class SandboxServer:
    """uvicorn serving `app` in a daemon thread; `url` is the base URL (no trailing slash)."""

    def __init__(self, app: Starlette, *, host: str = LOOPBACK, port: int = 0, log_level: str = "warning") -> None:
        self.app = app
        self.host = host
        self.port = port
        self.log_level = log_level
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None
        self._socket: socket.socket | None = None
        self.url = ""

    def start(self, timeout: float = 10.0) -> SandboxServer:
        if self._thread is not None:
            raise RuntimeError("the sandbox server is already running")
        if not is_loopback(self.host):
            warnings.warn(_exposure_warning(self.host), stacklevel=2)
        self._socket = _bind(self.host, self.port)
        self.url = _url(self._socket)
        config = _uvicorn_config(self.app, log_config=None, log_level=self.log_level, access_log=False, loop="asyncio")
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, name=f"sandbox {self.url}", daemon=True
        )
        self._thread.start()
        deadline = time.monotonic() + timeout
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"the sandbox server at {self.url} did not start")
            time.sleep(0.005)
        return self

    def stop(self, timeout: float = 10.0) -> None:
        server, thread, sock = self._server, self._thread, self._socket
        self._server = self._thread = self._socket = None
        if server is not None:
            server.should_exit = True
        if thread is not None:
            thread.join(timeout)
            if thread.is_alive() and server is not None:
                server.force_exit = True
                thread.join(timeout)
        if sock is not None:
            sock.close()

    def __enter__(self) -> SandboxServer:
        return self.start()

    def __exit__(self, *_: object) -> None:
        self.stop()


@contextlib.contextmanager
def running_sandbox(
    spec: Spec,
    *,
    host: str = LOOPBACK,
    port: int = 0,
    rows: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    **options: Any,
) -> Iterator[str]:
    """A sandbox for `spec` served in a background thread; yields its base URL (`http://127.0.0.1:PORT`).

    `options` go to `create_app` (username, password, page_size, token_ttl, faults, flavour, database,
    operations).
    """
    app = create_app(spec, rows=rows, seed=seed, **options)
    with SandboxServer(app, host=host, port=port) as server:
        yield server.url
    app.state.sandbox.store.close()


def serve(
    spec: Spec,
    host: str = LOOPBACK,
    port: int = 0,
    *,
    rows: int = DEFAULT_ROWS,
    seed: int = DEFAULT_SEED,
    log_level: str = "info",
    on_ready: Callable[[str], None] | None = None,
    **options: Any,
) -> None:
    """Serve a sandbox for `spec` in the foreground until interrupted (Ctrl-C).

    `on_ready(base_url)` is called once the port is bound (useful with `port=0`); `options` go to
    `create_app`. Only loopback is served unless another `host` is given explicitly.
    """
    try:
        loopback = is_loopback(host)  # before the seeding, which takes a while: a bad host fails at once
    except ValueError as error:
        raise CodegenError(str(error)) from None  # the command line prints it in one line, exit 2
    app = create_app(spec, rows=rows, seed=seed, **options)
    sock = _bind(host, port)
    try:
        if not loopback:
            print(f"sandbox: warning: {_exposure_warning(host)}", file=sys.stderr, flush=True)
        if on_ready is not None:
            on_ready(_url(sock))
        uvicorn.Server(_uvicorn_config(app, log_level=log_level)).run(sockets=[sock])
    finally:
        sock.close()
        app.state.sandbox.store.close()
