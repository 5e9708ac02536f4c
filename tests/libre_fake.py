"""A LibreTranslate-compatible server on 127.0.0.1 for the tests (the real one cannot run here).

It implements ``POST /translate`` (q, source, target, format, api_key; as query parameters like
deep-translator sends them, or as a form/JSON body) and ``GET /languages``. It "translates" word
by word with a small dictionary, counts calls and characters, and can be told to fail, to stall,
or to mangle placeholders the way real engines do (spacing, case, brackets).
"""

from __future__ import annotations

import json
import re
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

import pytest

from workbench.settings import get_settings

WORDS = {
    "the": "le",
    "reach": "couverture",
    "followers": "suiveurs",
    "community": "communauté",
    "manager": "gestionnaire",
    "sentence": "phrase",
    "paragraph": "paragraphe",
    "hello": "bonjour",
    "world": "monde",
    "and": "et",
    "our": "notre",
    "grew": "a augmenté",
    "rate": "taux",
    "new": "nouveau",
    "post": "publication",
    "read": "lisez",
    "this": "ceci",
    "see": "voir",
    "thanks": "merci",
    "code": "code",
    "run": "lancez",
}
_WORD = re.compile(r"[A-Za-z]+")
_PLACEHOLDER = re.compile(r"⟦T(\d+)⟧")
_MANGLED = ["⟦ t{} ⟧", "[T {}]", "⟦t{}⟧", "[ T{} ]"]


def fake_translate(text: str) -> str:
    def word(m: re.Match[str]) -> str:
        w = m.group()
        fr = WORDS.get(w.lower())
        if fr is None:
            return w
        return fr[0].upper() + fr[1:] if w[0].isupper() else fr

    # Placeholders are not words for the engine: translate around them.
    parts = _PLACEHOLDER.split(text)
    out = []
    for i, part in enumerate(parts):
        out.append(f"⟦T{part}⟧" if i % 2 else _WORD.sub(word, part))
    return "".join(out)


@dataclass
class FakeLibre:
    """Shared state of the server; tests change the knobs between calls."""

    api_key: str = ""
    fail_times: int = 0  # the next N calls fail with ``fail_status``
    fail_status: int = 503
    always_fail: bool = False
    delay_s: float = 0.0
    mangle: bool = False
    merge_blank_lines: bool = False  # like an engine that reflows paragraphs
    pages: dict[str, str] = field(default_factory=dict)  # HTML served on GET (pages to translate)
    calls: int = 0
    chars: int = 0
    queries: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)
    url: str = ""

    def reset_counts(self) -> None:
        with self.lock:
            self.calls, self.chars, self.queries = 0, 0, []


def _handler(state: FakeLibre) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: object) -> None:
            pass

        def _reply(self, status: int, payload: object) -> None:
            body = json.dumps(payload, ensure_ascii=False).encode("utf-8")
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:
            page = state.pages.get(urlsplit(self.path).path)
            if page is not None:
                body = page.encode("utf-8")
                self.send_response(200)
                self.send_header("Content-Type", "text/html; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            elif urlsplit(self.path).path.rstrip("/").endswith("/languages"):
                self._reply(200, [{"code": "en", "name": "English"}, {"code": "fr", "name": "French"}])
            else:
                self._reply(404, {"error": "Not found"})

        def do_POST(self) -> None:
            parts = urlsplit(self.path)
            params = {k: v[0] for k, v in parse_qs(parts.query).items()}
            length = int(self.headers.get("Content-Length") or 0)
            if length:
                raw = self.rfile.read(length).decode("utf-8")
                if self.headers.get("Content-Type", "").startswith("application/json"):
                    params.update(json.loads(raw))
                else:
                    params.update({k: v[0] for k, v in parse_qs(raw).items()})
            if not parts.path.rstrip("/").endswith("/translate"):
                self._reply(404, {"error": "Not found"})
                return
            q = params.get("q", "")
            with state.lock:
                state.calls += 1
                state.chars += len(q)
                state.queries.append(q)
                failing = state.always_fail or state.fail_times > 0
                if state.fail_times > 0:
                    state.fail_times -= 1
            if state.delay_s:
                time.sleep(state.delay_s)
            if state.api_key and params.get("api_key") != state.api_key:
                self._reply(403, {"error": "Invalid API key"})
                return
            if failing:
                self._reply(state.fail_status, {"error": "Service unavailable"})
                return
            if not params.get("source") or params.get("target") != "fr" or params.get("format") != "text":
                self._reply(400, {"error": "bad request"})
                return
            text = fake_translate(q)
            if state.mangle:
                counter = iter(range(10**6))
                text = _PLACEHOLDER.sub(
                    lambda m: _MANGLED[next(counter) % len(_MANGLED)].format(m.group(1)), text
                )
            if state.merge_blank_lines:
                text = re.sub(r"\n\s*\n", " ", text)
            self._reply(200, {"translatedText": text})

    return Handler


class FakeLibreServer:
    def __init__(self) -> None:
        self.state = FakeLibre()
        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), _handler(self.state))
        self.httpd.daemon_threads = True
        self.httpd.block_on_close = False
        self.state.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)

    def __enter__(self) -> FakeLibre:
        self.thread.start()
        return self.state

    def __exit__(self, *exc: object) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@contextmanager
def serve_libre(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeLibre]:
    """A running fake server, and the settings pointing at it (LibreTranslate, short timeouts)."""
    with FakeLibreServer() as state:
        monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "libre")
        monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER_URL", state.url)
        monkeypatch.setenv("ATELIER_TRANSLATION_TIMEOUT_S", "2")
        monkeypatch.setenv("ATELIER_TRANSLATION_DEADLINE_S", "20")
        monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "1")
        get_settings.cache_clear()
        yield state
