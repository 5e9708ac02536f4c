"""Feed documents (RSS 0.9x/1.0/2.0, Atom, JSON Feed 1.0/1.1) → normalised entries.

``parse_feed(data, url=..., content_type=...)`` never touches the network: it takes the bytes the
fetch client returned (or a bundled file). Every entry is normalised the same way whatever the
format: a stable ``guid`` (the feed's id, else the canonical link, else a content hash), a canonical
link, plain-text title, sanitised summary and content with absolute links, an author, timezone-aware
dates, an image and the declared language. One odd entry is skipped (and logged), never the feed.

Entity declarations are refused before parsing (as defusedxml does): a "billion laughs" payload
fails at once with a French message instead of being expanded.
"""

from __future__ import annotations

import calendar
import hashlib
import json
import logging
import re
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from curation.bundled_images import stored_image
from curation.language import normalise_language
from curation.sanitize import sanitize_html, to_text
from curation.urls import canonical_url, web_url
from workbench.errors import UserError

if TYPE_CHECKING:
    from curation.story_text import StoryText
    from curation.xmlfeed import RawEntry, RawFeed

log = logging.getLogger("atelier.parse")

MAX_GUID = 2048
PROLOG_SCAN = 64 * 1024
_ENTITY_DECL = re.compile(rb"<!ENTITY", re.IGNORECASE)
_ROOT_START = re.compile(rb"<(?![?!])")
_IMG_SRC = re.compile(r"<img\b[^>]*?\ssrc=\"([^\"]+)\"", re.IGNORECASE)
_IMAGE_EXT = re.compile(r"\.(jpe?g|png|gif|webp|avif|svg)(\?|$)", re.IGNORECASE)
FUTURE_SLACK = timedelta(days=1)
TITLE_ENOUGH = 24  # characters of title from which language detection needs nothing else


class ParseError(UserError):
    """A document that is not a readable feed; ``str(exc)`` is the French message."""

    def __init__(self, kind: str, message: str) -> None:
        super().__init__(message)
        self.kind = kind

    def __reduce__(self) -> tuple[type[ParseError], tuple[str, str]]:  # back from a parsing process
        return ParseError, (self.kind, str(self))


@dataclass
class ParsedEntry:
    guid: str
    link: str = ""
    title: str = ""
    summary: str = ""  # sanitised HTML
    content: str = ""  # sanitised HTML
    author: str = ""
    published_at: datetime | None = None
    updated_at: datetime | None = None
    image_url: str = ""
    language: str = ""  # declared; detection happens at store time, for new or changed entries only…
    content_hash: str = ""
    # … unless the parsing process detected it (None: not tried; "" when it cannot be told).
    detected_language: str | None = None
    # The text half of its story fingerprint, when the parsing process computed it (stored with a new
    # entry: grouping then only matches it); None: grouping computes it from the stored text.
    story: StoryText | None = None

    def text_for_language(self) -> str:
        if len(self.title) >= TITLE_ENOUGH:  # measured on titles: they are enough, and cheap
            return self.title
        return f"{self.title}. {to_text((self.summary or self.content)[:600])[:200]}"


@dataclass
class ParsedFeed:
    title: str = ""
    site_url: str = ""
    description: str = ""
    language: str = ""
    ttl_minutes: int | None = None
    entries: list[ParsedEntry] = field(default_factory=list)
    warning: str = ""  # the document had flaws but its entries could be read
    skipped: int = 0  # entries that could not be read


# --- shared helpers -------------------------------------------------------------------------


def _hash(*parts: str) -> str:
    return hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass")).hexdigest()


def _stable_guid(raw_id: str, link: str, title: str, summary: str, content: str) -> str:
    guid = (raw_id or "").strip() or link or "sha256:" + _hash(title, summary, content)
    return guid if len(guid) <= MAX_GUID else "sha256:" + _hash(guid)


def _clamp(moment: datetime | None, now: datetime) -> datetime | None:
    """Dates far in the future are feed bugs: they would stick on top of the wall forever."""
    if moment is None:
        return None
    return now if moment > now + FUTURE_SLACK else moment


def _first_image(*html_parts: str) -> str:
    for part in html_parts:
        match = _IMG_SRC.search(part or "")
        if match:
            return stored_image(match.group(1).replace("&amp;", "&"))
    return ""


def _link(raw_link: str, base: str) -> str:
    """An entry's link: canonical, and an absolute http(s) address or nothing."""
    return web_url(canonical_url(raw_link, base)) if raw_link else ""


def _finish(entry: ParsedEntry) -> ParsedEntry:
    entry.content_hash = _hash(entry.title, entry.link, entry.summary, entry.content, entry.image_url)
    return entry


def refuse_entity_declarations(data: bytes) -> None:
    head = data[:PROLOG_SCAN]
    declaration = _ENTITY_DECL.search(head)
    if declaration is None:
        return
    root = _ROOT_START.search(head.split(b"]>", 1)[0] if b"]>" in head else head)
    if (
        root is None
        or declaration.start() < root.start()
        or b"<!DOCTYPE" in head[: declaration.start()].upper()
    ):
        raise ParseError(
            "entities",
            "Flux refusé\u00a0: il déclare des entités XML (une technique utilisée pour saturer les serveurs). "
            "Prévenez l’éditeur du site ou retirez cette source.",
        )


# --- JSON Feed ------------------------------------------------------------------------------


def _iso_date(value: Any) -> datetime | None:
    if not isinstance(value, str) or not value.strip():
        return None
    try:
        moment = datetime.fromisoformat(value.strip().replace("Z", "+00:00"))
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def _json_author(item: dict[str, Any]) -> str:
    authors = item.get("authors")
    if isinstance(authors, list) and authors and isinstance(authors[0], dict):
        return str(authors[0].get("name", ""))
    author = item.get("author")
    return str(author.get("name", "")) if isinstance(author, dict) else ""


def _json_entry(item: dict[str, Any], base: str, feed_language: str, now: datetime) -> ParsedEntry:
    if not isinstance(item, dict):
        raise TypeError("a JSON Feed item must be an object")
    raw_link = str(item.get("url") or item.get("external_url") or "")
    link = _link(raw_link, base)
    content_html = item.get("content_html") or ""
    content_text = item.get("content_text") or ""
    content = sanitize_html(str(content_html), link or base) if content_html else ""
    if not content and content_text:
        content = "".join(f"<p>{sanitize_html(p)}</p>" for p in str(content_text).split("\n\n") if p.strip())
    summary = sanitize_html(str(item.get("summary") or ""), link or base)
    title = to_text(str(item.get("title") or ""))
    image = str(item.get("image") or item.get("banner_image") or "")
    if not image:
        for attachment in item.get("attachments") or []:
            if isinstance(attachment, dict) and str(attachment.get("mime_type", "")).startswith("image/"):
                image = str(attachment.get("url", ""))
                break
    raw_id = item.get("id")
    entry = ParsedEntry(
        guid=_stable_guid("" if raw_id is None else str(raw_id), link, title, summary, content),
        link=link,
        title=title,
        summary=summary,
        content=content,
        author=_json_author(item),
        published_at=_clamp(_iso_date(item.get("date_published")), now),
        updated_at=_clamp(_iso_date(item.get("date_modified")), now),
        image_url=stored_image(image, link or base) if image else _first_image(content, summary),
        language=normalise_language(item.get("language")) or feed_language,
    )
    return _finish(entry)


def _parse_json_feed(data: bytes, url: str) -> ParsedFeed:
    try:
        doc = json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        raise ParseError(
            "malformed", "Ce flux JSON est illisible (JSON mal formé)\u00a0: vérifiez l’adresse."
        ) from exc
    if not isinstance(doc, dict) or not str(doc.get("version", "")).startswith(
        "https://jsonfeed.org/version/"
    ):
        raise ParseError(
            "not_a_feed", "Ce n’est pas un flux RSS, Atom ou JSON Feed\u00a0: vérifiez l’adresse."
        )
    base = str(doc.get("home_page_url") or url or "")
    language = normalise_language(doc.get("language"))
    feed = ParsedFeed(
        title=to_text(str(doc.get("title") or "")),
        site_url=_link(base, ""),
        description=to_text(str(doc.get("description") or "")),
        language=language,
    )
    now = datetime.now(UTC)
    for item in doc.get("items") or []:
        try:
            feed.entries.append(_json_entry(item, base, language, now))
        except Exception as exc:  # one odd entry never stops the feed
            log.warning("skipped an unreadable JSON Feed item in %s: %r", url, exc)
            feed.skipped += 1
    return feed


# --- RSS / Atom through feedparser ----------------------------------------------------------


def _struct_date(value: time.struct_time | None) -> datetime | None:
    if not value:
        return None
    try:
        return datetime.fromtimestamp(calendar.timegm(value), UTC)
    except (OverflowError, ValueError, OSError):
        return None


def _pick_image(images: list[tuple[str, str, str]], base: str, content: str, summary: str) -> str:
    """Enclosure image, else media:content image, else media:thumbnail, else itunes:image, else first <img>."""
    for wanted in ("enclosure", "media", "thumbnail", "itunes"):
        for kind, url, mime in images:
            if kind != wanted:
                continue
            if kind in ("thumbnail", "itunes") or mime.startswith("image") or _IMAGE_EXT.search(url):
                image = stored_image(url, base)
                if image:
                    return image
    return _first_image(content, summary)


def _html_base(detail: Any, document_url: str, fallback: str) -> str:
    """An explicit ``xml:base`` wins; otherwise relative links are read against the entry's page."""
    base = detail.get("base", "") if isinstance(detail, dict) else (detail or "")
    return base if base and base != document_url else fallback


def _from_feedparser(entry: Any) -> RawEntry:
    """feedparser's entry as the same raw fields the fast path gives."""
    from curation.xmlfeed import RawEntry

    contents = entry.get("content") or []
    images = [("enclosure", e.get("href", ""), str(e.get("type", ""))) for e in entry.get("enclosures") or []]
    images += [
        ("media", m.get("url", ""), str(m.get("type", "") or m.get("medium", "")))
        for m in entry.get("media_content") or []
    ]
    images += [("thumbnail", t.get("url", ""), "image/") for t in entry.get("media_thumbnail") or []]
    image = entry.get("image")
    if isinstance(image, dict) and image.get("href"):
        images.append(("itunes", image["href"], "image/"))
    language = ""
    for detail in (entry.get("title_detail"), *contents):
        if isinstance(detail, dict) and detail.get("language"):
            language = detail["language"]
            break
    author = entry.get("author", "") or next(
        (a.get("name", "") for a in entry.get("authors") or [] if isinstance(a, dict)), ""
    )
    published = _struct_date(entry.get("published_parsed") or entry.get("created_parsed"))
    return RawEntry(
        id=entry.get("id", ""),
        link=entry.get("link", ""),
        title=entry.get("title", ""),
        summary=entry.get("summary", ""),
        content="\n".join(c.get("value", "") for c in contents if c.get("value")),
        summary_base=(entry.get("summary_detail") or {}).get("base", ""),
        content_base=contents[0].get("base", "") if contents else "",
        author=author,
        published=published,
        updated=_struct_date(entry.get("updated_parsed")),
        images=[i for i in images if i[1]],
        language=language,
    )


def _normalise(
    raw: RawEntry, feed_base: str, document_url: str, feed_language: str, now: datetime
) -> ParsedEntry:
    link = _link(raw.link, feed_base)
    base = link or feed_base
    content = (
        sanitize_html(raw.content, _html_base(raw.content_base, document_url, base)) if raw.content else ""
    )
    summary = ""
    if raw.summary and raw.summary != raw.content:
        summary = sanitize_html(raw.summary, _html_base(raw.summary_base, document_url, base))
    title = to_text(raw.title)
    entry = ParsedEntry(
        guid=_stable_guid(raw.id, link, title, summary, content),
        link=link,
        title=title,
        summary=summary,
        content=content,
        author=to_text(raw.author)[:500],
        published_at=_clamp(raw.published or raw.updated, now),
        updated_at=_clamp(raw.updated, now),
        image_url=_pick_image(raw.images, base, content, summary),
        language=normalise_language(raw.language) or feed_language,
    )
    return _finish(entry)


def _build(meta: RawFeed, raw_entries: list[Any], url: str, convert: Any) -> ParsedFeed:
    language = normalise_language(meta.language)
    ttl = meta.ttl.strip()
    feed = ParsedFeed(
        title=to_text(meta.title)[:500],
        site_url=_link(meta.link, url),
        description=to_text(meta.description),
        language=language,
        ttl_minutes=int(ttl) if ttl.isdigit() and 0 < int(ttl) <= 7 * 24 * 60 else None,
    )
    feed_base = web_url(meta.link, url) or url
    now = datetime.now(UTC)
    for raw in raw_entries:
        try:
            feed.entries.append(_normalise(convert(raw), feed_base, url, language, now))
        except Exception as exc:  # one odd entry never stops the feed
            log.warning("skipped an unreadable entry in %s: %r", url, exc)
            feed.skipped += 1
    return feed


def _not_a_feed(data: bytes) -> ParseError:
    head = data[:2048].lower()
    if b"<html" in head or b"<!doctype html" in head:
        return ParseError(
            "not_a_feed",
            "Cette adresse mène à une page web, pas à un flux RSS\u00a0: ajoutez plutôt l’adresse du site, "
            "son flux sera cherché automatiquement.",
        )
    return ParseError(
        "not_a_feed",
        "Ce n’est pas un flux RSS, Atom ou JSON Feed (contenu illisible)\u00a0: vérifiez l’adresse.",
    )


def parse_feed(data: bytes, *, url: str = "", content_type: str = "") -> ParsedFeed:
    """Parse a feed document; raises ``ParseError`` (French message) when it is not a readable feed."""
    stripped = data.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not stripped:
        raise ParseError("empty", "Le flux est vide\u00a0: le site n’a rien envoyé, réessayez plus tard.")
    if stripped[:1] in (b"{", b"[") or "json" in content_type.lower():
        return _parse_json_feed(stripped, url)
    refuse_entity_declarations(data)
    # lxml (about 5 MB resident) loads with the first document parsed: a refresh that parses in its
    # parsing process never loads it, although it imports this module for its types.
    from curation.xmlfeed import RawFeed, read_xml_feed

    fast = read_xml_feed(data, url)
    if fast is not None and (fast.entries or fast.title):
        return _build(fast, fast.entries, url, lambda raw: raw)
    headers = {"content-type": content_type or "application/xml"}
    if url:
        headers["content-location"] = url
    import feedparser  # about 10 MB with the modules it imports: loaded for the documents lxml leaves

    parsed = feedparser.parse(
        data, response_headers=headers, resolve_relative_uris=False, sanitize_html=False
    )
    meta = parsed.get("feed", {})
    if not parsed.entries and not meta.get("title") and (parsed.bozo or not parsed.get("version")):
        raise _not_a_feed(data)
    raw_meta = RawFeed(
        title=meta.get("title", ""),
        link=meta.get("link", ""),
        description=meta.get("subtitle", "") or meta.get("description", ""),
        language=meta.get("language", ""),
        ttl=str(meta.get("ttl", "")),
    )
    feed = _build(raw_meta, parsed.entries, url, _from_feedparser)
    if parsed.bozo:
        feed.warning = "Ce flux contient des erreurs de format, mais ses articles ont pu être lus."
    return feed
