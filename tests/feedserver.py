"""A local HTTP server on 127.0.0.1 serving feeds the way real servers misbehave.

Used by the fetch/refresh tests (``feed_server`` fixture: import it into a test module) and by the
benchmark feed farm. Each path is a ``Route``: a body, a status, optional ETag/Last-Modified
(conditional GET answered with 304), a delay, an endless body, an endless slow drip or trickle, gzip,
a redirect or a ``Retry-After``. The server counts hits and the bytes it managed to send.
"""

from __future__ import annotations

import gzip
import socket
import threading
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "feeds"


@dataclass
class Route:
    body: bytes = b""
    status: int = 200
    content_type: str = "application/rss+xml; charset=utf-8"
    headers: dict[str, str] = field(default_factory=dict)
    etag: str | None = None
    last_modified: str | None = None
    delay_s: float = 0.0
    hold: threading.Event | None = None  # the answer waits until the test sets it (at most 20 s)
    endless: bool = False  # 64 KiB chunks, forever, as fast as the client reads
    drip_s: float | None = None  # one byte (``drip_bytes``) every drip_s seconds, forever
    drip_bytes: int = 1  # more than 1: a trickle (a steady but slow stream)
    stream_for_s: float = 120.0  # how long "forever" lasts (endless and drip routes)
    stream_bytes: int | None = None  # a huge body of this size, streamed without Content-Length
    gzip: bool = False
    redirect: str | None = None


class _Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: _Server

    def log_message(self, format: str, *args: object) -> None:  # quiet
        pass

    def do_GET(self) -> None:
        path = self.path
        self.server.owner.hits[path] += 1
        self.server.owner.requests.append((path, dict(self.headers)))
        route = self.server.owner.routes.get(path)
        if route is None:
            self._send(404, b"not found", "text/plain", {})
            return
        if route.delay_s:
            time.sleep(route.delay_s)
        if route.hold is not None:
            route.hold.wait(20)
        if route.redirect:
            self._send(route.status or 302, b"", "text/plain", {"Location": route.redirect})
            return
        validators = {}
        if route.etag:
            validators["ETag"] = route.etag
        if route.last_modified:
            validators["Last-Modified"] = route.last_modified
        if (route.etag and self.headers.get("If-None-Match") == route.etag) or (
            route.last_modified and self.headers.get("If-Modified-Since") == route.last_modified
        ):
            self._send(304, b"", None, validators)
            return
        if route.endless or route.drip_s or route.stream_bytes:
            self._stream_forever(route)
            return
        body = route.body
        headers = {**validators, **route.headers}
        if route.gzip:
            body = gzip.compress(body)
            headers["Content-Encoding"] = "gzip"
        self._send(route.status, body, route.content_type, headers)

    def _send(self, status: int, body: bytes, ctype: str | None, headers: dict[str, str]) -> None:
        self.send_response(status)
        if ctype:
            self.send_header("Content-Type", ctype)
        for name, value in headers.items():
            self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        try:
            self.wfile.write(body)
            self.server.owner.sent[self.path] += len(body)
        except OSError:
            pass

    def _stream_forever(self, route: Route) -> None:
        self.send_response(route.status)
        self.send_header("Content-Type", route.content_type)
        self.send_header("Connection", "close")
        self.end_headers()
        self.close_connection = True
        chunk = b" " * route.drip_bytes if route.drip_s else b"<rss><channel>" + b"x" * (64 * 1024 - 14)
        deadline = time.monotonic() + route.stream_for_s
        budget = route.stream_bytes
        try:
            while time.monotonic() < deadline and not self.server.owner.stopping.is_set():
                if budget is not None:
                    if budget <= 0:
                        break
                    chunk = chunk[:budget]
                    budget -= len(chunk)
                self.wfile.write(chunk)
                self.wfile.flush()
                self.server.owner.sent[self.path] += len(chunk)
                if route.drip_s:
                    time.sleep(route.drip_s)
                chunk = b"x" * len(chunk)
        except OSError:
            pass


class _Server(ThreadingHTTPServer):
    daemon_threads = True
    request_queue_size = 256
    owner: FeedServer


class FeedServer:
    """Start with ``start()``; ``add(path, Route(...))`` returns the URL of the route."""

    def __init__(self, host: str = "127.0.0.1") -> None:
        self.routes: dict[str, Route] = {}
        self.hits: Counter[str] = Counter()
        self.sent: Counter[str] = Counter()
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.stopping = threading.Event()
        self._httpd = _Server((host, 0), _Handler)
        self._httpd.owner = self
        self._httpd.socket.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, 64 * 1024)
        self.port = self._httpd.server_address[1]
        self.base = f"http://{host}:{self.port}"
        self._thread = threading.Thread(target=self._httpd.serve_forever, daemon=True)

    def start(self) -> FeedServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.stopping.set()
        self._httpd.shutdown()
        self._httpd.server_close()

    def add(self, path: str, route: Route) -> str:
        self.routes[path] = route
        return self.url(path)

    def add_file(self, path: str, name: str, **kwargs: object) -> str:
        return self.add(path, Route(body=(FIXTURES / name).read_bytes(), **kwargs))  # type: ignore[arg-type]

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def feed_server(monkeypatch) -> Iterator[FeedServer]:
    """A running local server; private networks allowed so the client may reach 127.0.0.1."""
    from workbench.settings import get_settings

    monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "1")
    get_settings.cache_clear()
    server = FeedServer().start()
    yield server
    server.stop()
