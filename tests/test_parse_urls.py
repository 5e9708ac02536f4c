"""The parsing path's shortcut for plain absolute links gives exactly what ``urljoin`` and the full
checks of ``web_url`` give (seeded differential test over tricky pieces of addresses)."""

from __future__ import annotations

import contextlib
import random
import re
from urllib.parse import urljoin, urlsplit

from curation import urls
from curation.urls import join_url, web_url

SCHEMES = [
    "http://",
    "https://",
    "HTTP://",
    "https:",
    "ftp://",
    "javascript:",
    "//",
    "",
    " https://",
    "\thttp://",
]
HOSTS = [
    "site.example",
    "a.b-c.example",
    "x",
    "Exemple.FR",
    "h.example:8080",
    "h.example:99999",
    "u:p@h.example",
    "[::1]",
    "[bad",
    "ex\u00e9mple.fr",
    "h.example.",
    "",
    "h\x00.example",
    "h.example\n",
]
PATHS = [
    "",
    "/",
    "/a/b.html",
    "//double",
    "/a;b",
    "/a;",
    "/x y",
    "/é",
    "/%20",
    '/"q"',
    "/a\\b",
    "/<b>",
    "/`",
    "/a\tb",
    "/../up",
    "/./here",
    "relative/path",
    "../x",
]
QUERIES = ["", "?", "?a=1", "?utm_source=rss&b=2", "?a?b", "?x=1;y=2", "?q=é", "? "]
FRAGMENTS = ["", "#", "#top", "#a#b", "#x?y", "# "]
BASES = ["", "https://base.example/dir/page", "http://base.example", "https://[bad/", "ftp://f.example/"]


def _reference_web_url(url: str | None, base_url: str | None = None) -> str:
    """``web_url`` as it was, every address parsed."""
    url = (url or "").strip()
    if base_url:
        with contextlib.suppress(ValueError):
            url = urljoin(base_url, url)
    if not url or re.search(r'[\s\x00-\x1f\x7f"<>\\`]', url):
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018
    except ValueError:
        return ""
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        return ""
    return url


def _outcome(fn, *args):
    try:
        return fn(*args)
    except ValueError as exc:
        return ("ValueError", str(exc))


def _addresses(seed: int, n: int) -> list[str]:
    rng = random.Random(seed)
    return [
        "".join(rng.choice(part) for part in (SCHEMES, HOSTS, PATHS, QUERIES, FRAGMENTS)) for _ in range(n)
    ]


def test_join_url_equals_urljoin() -> None:
    plain = 0
    for url in _addresses(20261207, 6000):
        for base in BASES:
            assert _outcome(join_url, base, url) == _outcome(urljoin, base, url), (base, url)
        plain += bool(urls._PLAIN.fullmatch(url))
    assert plain > 100  # the shortcut is really taken


def test_web_url_equals_the_full_checks() -> None:
    for url in _addresses(7, 6000):
        for base in (None, *BASES):
            assert web_url(url, base) == _reference_web_url(url, base), (base, url)
