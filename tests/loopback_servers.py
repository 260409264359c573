"""Loopback HTTP servers that answer what a test tells them, for answers the sandbox cannot give."""

from __future__ import annotations

import http.server
import socket
import threading
from collections.abc import Callable

Answer = tuple[int, dict[str, str], bytes]


class Canned:
    """A loopback HTTP server answering every GET with `answer(path)`; it records the requests' headers."""

    def __init__(self, answer: Callable[[str], Answer], *, send_length: bool = True) -> None:
        self.answer = answer
        self.seen: list[tuple[str, dict[str, str]]] = []
        owner = self

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:
                owner.seen.append((self.path, dict(self.headers)))
                status, headers, body = owner.answer(self.path)
                self.send_response(status)
                length = {"Content-Length": str(len(body))} if send_length else {}  # else: the body ends at close
                for name, value in {**length, **headers}.items():
                    self.send_header(name, value)
                self.end_headers()
                try:
                    self.wfile.write(body)
                except OSError:
                    pass  # the client stopped reading: it refused the answer

            def log_message(self, *_: object) -> None:
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self) -> Canned:
        self.thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self.server.shutdown()
        self.server.server_close()


def canned(status: int, body: bytes, content_type: str = "application/xml", **headers: str) -> Canned:
    return Canned(lambda _path: (status, {"Content-Type": content_type, **headers}, body))


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port
