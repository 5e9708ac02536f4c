"""Pictures the app serves itself: the demo feeds' SVG files, under Streamlit's static serving.

A pin or a board cover shows an outside image only from an http(s) address. The one other
address it accepts is a bundled picture, by its exact app-relative URL (``/app/static/demo/<file>``,
``server.enableStaticServing`` in ``.streamlit/config.toml``): pinning a demo entry keeps its
picture, while ``data:`` URIs, other local paths and unknown files are still refused.

Outside the app (the digest e-mail, a CSV export) a relative address leads nowhere: there a bundled
picture is given under the public base URL (``shareable_image``), or, in an e-mail when the app
has no public address, attached to the message (``curation.digest.send``).
"""

from __future__ import annotations

import base64
from functools import cache
from pathlib import Path

from curation.urls import web_url

STATIC_DIR = Path(__file__).resolve().parents[1] / "static"  # next to app.py: Streamlit serves it
DEMO_IMAGE_DIR = STATIC_DIR / "demo"
DEMO_IMAGE_URL = "/app/static/demo/"


@cache
def demo_image_names() -> frozenset[str]:
    return frozenset(p.name for p in DEMO_IMAGE_DIR.glob("*.svg"))


@cache
def data_uri(name: str) -> str:
    """A bundled picture inlined (the demo feeds' HTML, a standalone HTML export)."""
    data = (DEMO_IMAGE_DIR / name).read_bytes()
    return "data:image/svg+xml;base64," + base64.b64encode(data).decode("ascii")


@cache
def _names_by_data_uri() -> dict[str, str]:
    return {data_uri(name): name for name in demo_image_names()}


def bundled_name(url: str) -> str | None:
    """The file name of a bundled picture's app URL (``None`` for any other address)."""
    name = url.removeprefix(DEMO_IMAGE_URL)
    return name if url.startswith(DEMO_IMAGE_URL) and name in demo_image_names() else None


def stored_image(url: str | None, base_url: str | None = None) -> str:
    """What an entry, a pin or a cover keeps as its image: an http(s) address (resolved against
    ``base_url``), or a bundled picture by its static URL (a demo entry inlines it as ``data:``);
    ``""`` for anything else — a local path, another ``data:`` URI, ``file:``, junk."""
    url = (url or "").strip()
    name = _names_by_data_uri().get(url)
    return DEMO_IMAGE_URL + name if name else web_url(url, base_url) or (url if bundled_name(url) else "")


def image_file(url: str | None) -> str | Path:
    """What ``st.image`` may be given for a stored image: the http(s) address, or the bundled file
    itself (read by the app from its own folder); ``""`` for anything else, which must never reach
    ``st.image`` (it opens any other string as a file on the server)."""
    address = stored_image(url)
    name = bundled_name(address)
    return DEMO_IMAGE_DIR / name if name else address


def image_src(url: str | None, *, standalone: bool = False) -> str:
    """The ``src`` of an ``<img>`` for a stored image address (``""``: no image).

    In the app a bundled picture is given relative to the page (``app/static/…``), which also holds
    under ``server.baseUrlPath``; in a standalone file (the HTML export) it is inlined.
    """
    url = stored_image(url)
    name = bundled_name(url)
    if name is None:
        return url
    return data_uri(name) if standalone else url.removeprefix("/")


def shareable_image(url: str | None, base_url: str = "") -> str:
    """An image address for a reader outside the app (e-mail, CSV): an absolute http(s) address as
    is; a bundled picture (its app URL, or inlined as ``data:`` in a demo entry) under ``base_url``
    when one is given, else by its app-relative URL; ``""`` for anything else."""
    address = stored_image(url)
    if bundled_name(address) is None:
        return web_url(address)
    base = web_url(base_url).rstrip("/")
    return base + address if base else address
