"""A real HTTP server on 127.0.0.1 for tests: routes map a path to a canned or computed answer."""

from __future__ import annotations

import contextlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer


@dataclass
class Response:
    status: int = 200
    body: bytes = b""
    headers: dict[str, str] = field(default_factory=dict)
    delay: float = 0.0  # seconds to sleep before answering (timeouts)


@dataclass
class Hit:
    path: str
    method: str
    headers: dict[str, str]
    at: float


Handler = Callable[[Hit], Response]


class RouteServer:
    """Serves `routes`; records every request in `hits` (with its monotonic arrival time)."""

    def __init__(self) -> None:
        self.routes: dict[str, Response | Handler] = {}
        self.hits: list[Hit] = []
        self._lock = threading.Lock()
        outer = self

        class _Handler(BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"
            disable_nagle_algorithm = True  # else delayed ACKs add ~40 ms to every answer

            def handle(self) -> None:
                # A client may stop reading on purpose (size caps, bombs, timeouts).
                with contextlib.suppress(ConnectionResetError, BrokenPipeError):
                    super().handle()

            def log_message(self, *args: object) -> None:
                pass

            def _answer(self, send_body: bool) -> None:
                hit = Hit(self.path, self.command, {k.lower(): v for k, v in self.headers.items()},
                          time.monotonic())
                with outer._lock:
                    outer.hits.append(hit)
                route = outer.routes.get(self.path) or outer.routes.get(self.path.split("?")[0])
                if route is None:
                    resp = Response(404, b"not found", {"Content-Type": "text/plain"})
                elif callable(route):
                    resp = route(hit)
                else:
                    resp = route
                if resp.delay:
                    time.sleep(resp.delay)
                try:
                    self.send_response(resp.status)
                    headers = {"Content-Length": str(len(resp.body)), **resp.headers}
                    for key, value in headers.items():
                        self.send_header(key, value)
                    self.end_headers()
                    if send_body and resp.status not in (204, 304):
                        self.wfile.write(resp.body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def do_GET(self) -> None:
                self._answer(True)

            def do_HEAD(self) -> None:
                self._answer(False)

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _Handler)
        self.httpd.daemon_threads = True
        self.port = self.httpd.server_address[1]
        self.base = f"http://127.0.0.1:{self.port}"

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Hit]:
        with self._lock:
            return [h for h in self.hits if h.path == path]


@contextmanager
def route_server() -> Iterator[RouteServer]:
    server = RouteServer()
    thread = threading.Thread(target=server.httpd.serve_forever, args=(0.05,), daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.httpd.shutdown()
        server.httpd.server_close()
