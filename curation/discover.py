"""Feed autodiscovery: from a site's page to its feeds (``<link rel="alternate" type=…>``)."""

from __future__ import annotations

from dataclasses import dataclass
from html.parser import HTMLParser

from curation.urls import absolutise

FEED_TYPES = {
    "application/rss+xml": "rss",
    "application/atom+xml": "atom",
    "application/feed+json": "json",
    "application/json": "json",
    "application/rdf+xml": "rdf",
    "text/xml": "rss",
    "application/xml": "rss",
}
# Where common publishing tools put their feed, tried when a page declares none.
COMMON_PATHS = ("/feed/", "/rss.xml", "/feed.xml", "/atom.xml", "/index.xml", "/rss/")


@dataclass(frozen=True)
class FeedLink:
    url: str
    title: str
    kind: str  # rss, atom, json, rdf


class _LinkCollector(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[dict[str, str]] = []
        self.base: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k.lower(): (v or "") for k, v in attrs}
        if tag == "base" and values.get("href") and self.base is None:
            self.base = values["href"]
        elif tag == "link":
            self.links.append(values)

    def handle_endtag(self, tag: str) -> None:
        if tag == "head":
            self.links.append({"__end__": "1"})


def discover_feeds(html: bytes | str, base_url: str) -> list[FeedLink]:
    """Feeds a page declares, in page order, absolute and without duplicates."""
    text = html.decode("utf-8", "replace") if isinstance(html, bytes) else html
    collector = _LinkCollector()
    collector.feed(text[: 512 * 1024])
    base = absolutise(collector.base, base_url) if collector.base else base_url
    found: dict[str, FeedLink] = {}
    for link in collector.links:
        rels = link.get("rel", "").lower().split()
        kind = FEED_TYPES.get(link.get("type", "").split(";")[0].strip().lower())
        href = link.get("href", "").strip()
        if "alternate" in rels and kind and href:
            url = absolutise(href, base)
            if url.startswith(("http://", "https://")) and url not in found:
                found[url] = FeedLink(url=url, title=link.get("title", "").strip(), kind=kind)
    return list(found.values())
