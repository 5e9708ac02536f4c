"""Hostile outside content, generated, and the oracle that says whether a page kept it inert.

The payloads are built here from the classic families of the public XSS cheat sheets (tags with
event handlers, ``javascript:``/``data:`` links, entity and case tricks) and from what Streamlit's
Markdown adds (images, links, autolinks, LaTeX, ``:color[]`` directives), plus local paths and
scheme tricks for addresses. ``inert_problems`` reads what a page sent to the browser the way a
Markdown parser would and lists anything that came alive.
"""

from __future__ import annotations

import base64
import itertools
import json
import re
from collections.abc import Iterator

from markdown_it import MarkdownIt

from curation.bundled_images import DEMO_IMAGE_DIR

TRACKER = "tracker.test"

_TAGS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "<svg onload=alert(1)>",
    "<iframe src=javascript:alert(1)></iframe>",
    "<a href=javascript:alert(1)>clic</a>",
    "<details open ontoggle=alert(1)>",
    "<body onload=alert(1)>",
    "<math><mtext><table><mglyph><style><img src=x onerror=alert(1)>",
    "<object data=data:text/html,<script>alert(1)</script>>",
    "<style>@import 'http://tracker.test/x.css';</style>",
    '"><script>alert(1)</script>',
    "'><img src=x onerror=alert(1)>",
    "<scr<script>ipt>alert(1)</script>",
]
_MARKDOWN = [
    f"![x](http://{TRACKER}/t.png)",
    f"[clic](http://{TRACKER}/c)",
    "[clic](javascript:alert(1))",
    "[clic](data:text/html,<script>alert(1)</script>)",
    f"<http://{TRACKER}/auto>",
    "<javascript:alert(1)>",
    f"http://h/a)![x](http://{TRACKER}/t.png)",
    f"[x]\n\n[x]: http://{TRACKER}/ref",
    r"$\href{javascript:alert(1)}{x}$",
    "$$\\unicode{x}$$",
    ":red[rouge] :material/warning:",
    "# Titre\n---\n> citation",
    f"www.{TRACKER}/nu",
    "&lt;script&gt;alert(1)&lt;/script&gt;",
    "&#106;avascript:alert(1)",
]
_ADDRESSES = [
    "/etc/hostname",
    "/some/file.svg",
    "file:///etc/passwd",
    "java\tscript:alert(1)",
    "JaVaScRiPt:alert(1)",
    "data:image/svg+xml;base64,PHN2ZyBvbmxvYWQ9YWxlcnQoMSk+",
    "data:text/html,<script>alert(1)</script>",
    "../../.streamlit/secrets.toml",
    "\\\\server\\share\\x.png",
    "gopher://127.0.0.1:70/x",
    f"http://h/a)![x](http://{TRACKER}/t.png)",
    f"http://{TRACKER}/a b.png",
    f'http://{TRACKER}/x.png" onerror="alert(1)',
]


def _variants(payload: str) -> Iterator[str]:
    yield payload
    yield f"Texte « avant » {payload} et après"
    yield payload.upper()
    yield payload.replace("<", "&lt;").replace(">", "&gt;")


def text_payloads() -> list[str]:
    """Every text payload once, in a stable order (a few hundred)."""
    seen: dict[str, None] = {}
    for payload in itertools.chain(_TAGS, _MARKDOWN, _ADDRESSES):
        for variant in _variants(payload):
            seen.setdefault(variant, None)
    return list(seen)


def address_payloads() -> list[str]:
    return list(dict.fromkeys(_ADDRESSES + [p for p in _MARKDOWN if "(" in p or "<" in p]))


_PARSER = MarkdownIt("commonmark").enable(["table", "strikethrough"])
_PARSER.validateLink = lambda url: True  # see every link a page writes, javascript: ones included
# What remark-gfm turns into a link in text after parsing (escapes do not stop it).
_AUTOLINK = re.compile(r"(?i)(?:https?|ftp)://|\bwww\.|[\w.+-]@[\w-]+\.\w")
_LIVE_DOLLAR = re.compile(r"(?<!\\)\$")
_LIVE_DIRECTIVE = re.compile(r"(?<!\\):[a-z]+(?<!\\)\[")


def inert_problems(markdown: str) -> list[str]:
    """What Streamlit's Markdown would make of ``markdown`` beyond text: images, raw HTML, links to
    anything but an http(s) address, LaTeX, colour directives. Empty when it is all inert."""
    problems = []
    for token in _PARSER.parse(markdown):
        for node in [token, *(token.children or [])]:
            if node.type == "image":
                problems.append(f"image {node.attrGet('src')!r}")
            elif node.type in ("html_inline", "html_block"):
                problems.append(f"HTML {node.content!r}")
            elif node.type == "text" and _AUTOLINK.search(node.content):
                problems.append(f"bare address {node.content!r} (remark-gfm makes it a link)")
            elif node.type == "link_open":
                href = str(node.attrGet("href") or "")
                if not re.match(r"https?://[^\s/]+", href, re.IGNORECASE) or "(" in href or ")" in href:
                    problems.append(f"link {href!r}")
    if _LIVE_DOLLAR.search(markdown):
        problems.append("LaTeX $")
    if _LIVE_DIRECTIVE.search(markdown):
        problems.append("directive :x[")
    return problems


_TEXT_ELEMENTS = (
    "markdown",
    "caption",
    "title",
    "header",
    "subheader",
    "info",
    "warning",
    "error",
    "success",
)


def as_read(markdown: str) -> str:
    """What a person reads of Markdown text escaped by ``markdown_text``: escapes and the invisible
    word joiners gone."""
    return re.sub(r"\\(.)", r"\1", markdown).replace("\u2060", "")


def _bundled(url: str) -> bool:
    """Whether ``url`` is one of the app's own pictures as ``st.image`` inlines a bundled SVG file."""
    prefix = "data:image/svg+xml;base64,"
    if not url.startswith(prefix):
        return False
    shown = base64.b64decode(url[len(prefix) :]).decode("utf-8", "replace")
    return any(shown == path.read_text(encoding="utf-8") for path in DEMO_IMAGE_DIR.glob("*.svg"))


def page_problems(at, *, own_markup: tuple[str, ...] = ()) -> list[str]:
    """Every Markdown string an AppTest page sent (texts, labels) that is not inert, and every image
    that is not an http(s) address or one of the app's own pictures. ``own_markup``: substrings of
    the page's own deliberate Markdown (its links to its own pages, say) to leave out."""
    problems = []
    texts = [(kind, element.value) for kind in _TEXT_ELEMENTS for element in at.get(kind)]
    texts += [("expander", e.label) for e in at.get("expandable")]
    texts += [("button", b.label) for b in at.get("button")]
    texts += [("tab", t.label) for t in at.get("tab")]
    for kind, value in texts:
        if not isinstance(value, str) or any(mark in value for mark in own_markup):
            continue
        problems += [f"{kind} {value[:80]!r}: {p}" for p in inert_problems(value)]
    for image in at.get("image"):
        for shown in image.proto.imgs:
            if not (re.match(r"https?://[^\s/]+", shown.url) or _bundled(shown.url)):
                problems.append(f"image from {shown.url!r}")
    problems += [
        f"card {p}" for grid in at.get("bidi_component") for p in card_grid_problems(grid.proto.json)
    ]
    return problems


_WEB = re.compile(r"(?i)https?://[^\s/\"'<>\\]+[^\s\"'<>\\]*")  # a host, nothing to break out with
_BUNDLED_SRC = re.compile(r"app/static/demo/([\w.-]+\.svg)")


def card_grid_problems(data: str) -> list[str]:
    """What is wrong in the wall's card grid data (``ui.card_grid``): a picture that is not an
    http(s) address or one of the app's own, a link that is not an http(s) address. Its text is
    text wherever it goes (``textContent``, tests/test_card_grid_sinks.py)."""
    problems = []
    bundled = {p.name for p in DEMO_IMAGE_DIR.glob("*.svg")}
    for card in json.loads(data)["cards"]:
        src = card["img"]
        own = _BUNDLED_SRC.fullmatch(src)
        if src and not (_WEB.fullmatch(src) or (own and own.group(1) in bundled)):
            problems.append(f"image {src!r}")
        for source in card["sources"]:
            if source["url"] and not _WEB.fullmatch(source["url"]):
                problems.append(f"link {source['url']!r}")
    return problems
