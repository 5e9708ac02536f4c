"""Article text from a web page: title, main text, top image, date, site name, language.

trafilatura is the default, with ``favor_precision``, tables kept, and without its fallback
extractors: on three sets of real pages with expected bodies (``benchmarks/extract_bench.py
--real``) that scores best of the candidates measured at the speed asked (README, « Article
text »). newspaper3k stays selectable (``extractor="newspaper"``) for comparison; it is
configured never to reach the network (no image fetching, no NLTK downloads: only ``parse()`` is
used, never ``nlp()``).
"""

from __future__ import annotations

import json
import logging
import re
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from typing import Any, Literal
from urllib.parse import urljoin

import lxml.html
import trafilatura
from htmldate import find_date
from sqlalchemy import select
from sqlalchemy.orm import Session
from trafilatura.metadata import (
    examine_meta,
    extract_meta_json,
    extract_sitename,
    extract_title,
    extract_url,
)
from trafilatura.settings import Document, set_date_params
from trafilatura.utils import decode_file, load_html

from curation.fetch import fetch_url
from curation.language import detect_language, normalise_language
from curation.models import Entry
from curation.page_preview import site_of
from curation.urls import web_url
from curation.visibility import EntryFilters, filter_entries
from workbench.access import Actor
from workbench.errors import NotFound, UserError

__all__ = ["Article", "extract_article", "extract_entry"]

log = logging.getLogger("atelier.extract")
Extractor = Literal["trafilatura", "newspaper"]
MAX_HTML_CHARS = 5_000_000  # the fetch cap already bounds bodies; this bounds pasted input
_COPYRIGHT = re.compile(
    r"(?:©|&copy;|&#169;|\bcopyright\b|\(c\))\D{0,99}?(\d{4})(?:\s*[-–]\s*(\d{4}))?", re.I
)


@dataclass
class Article:
    title: str = ""
    text: str = ""
    top_image: str = ""
    published: datetime | None = None
    site_name: str = ""
    language: str = ""
    url: str = ""

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["published"] = self.published.isoformat() if self.published else None
        return data


# --- Page metadata (the same for both extractors) ----------------------------------------


def _json_ld(doc: lxml.html.HtmlElement) -> list[dict]:
    """Every JSON-LD object of the page (``@graph`` flattened), invalid blocks skipped."""
    objects: list[dict] = []
    for node in doc.xpath('//script[@type="application/ld+json"]'):
        try:
            data = json.loads(node.text_content() or "null")
        except ValueError:
            continue
        stack = data if isinstance(data, list) else [data]
        while stack:
            item = stack.pop(0)
            if isinstance(item, dict):
                objects.append(item)
                graph = item.get("@graph")
                if isinstance(graph, list):
                    stack.extend(graph)
    return objects


def _ld_image(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, list) and value:
        return _ld_image(value[0])
    if isinstance(value, dict):
        return str(value.get("url") or value.get("contentUrl") or "")
    return ""


def _meta_index(doc: lxml.html.HtmlElement) -> dict[tuple[str, str], str]:
    """The first ``content`` of each ``<meta property|name|itemprop=…>``, in one walk of the page
    (an XPath per name and attribute walked the whole page each time: 0.8 → 0.3 ms a page)."""
    index: dict[tuple[str, str], str] = {}
    for node in doc.iter("meta"):
        content = node.get("content")
        if content is None:
            continue
        for attr in ("property", "name", "itemprop"):
            key = node.get(attr)
            if key is not None:
                index.setdefault((attr, key), content)
    return index


def _meta(index: dict[tuple[str, str], str], *names: str) -> str:
    for name in names:
        for attr in ("property", "name", "itemprop"):
            found = index.get((attr, name), "").strip()
            if found:
                return found
    return ""


def _parse_date(value: str) -> datetime | None:
    value = (value or "").strip()
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


@dataclass
class _PageMeta:
    image: str
    published: datetime | None
    site_name: str
    language: str


def _page_meta(doc: lxml.html.HtmlElement | None, url: str | None) -> _PageMeta:
    if doc is None:
        return _PageMeta("", None, "", "")
    ld = _json_ld(doc)
    metas = _meta_index(doc)
    image = _meta(metas, "og:image", "og:image:url", "twitter:image", "twitter:image:src")
    if not image:
        image = next((_ld_image(o.get("image") or o.get("thumbnailUrl")) for o in ld if o.get("image")), "")
    published = _parse_date(_meta(metas, "article:published_time", "datePublished", "date")) or next(
        (_parse_date(str(o["datePublished"])) for o in ld if o.get("datePublished")), None
    )
    publisher = next((o["publisher"] for o in ld if isinstance(o.get("publisher"), dict)), {})
    site = _meta(metas, "og:site_name", "application-name") or str(publisher.get("name") or "")
    lang = (doc.xpath("/html/@lang") or [""])[0] or _meta(metas, "og:locale", "language")
    lang = lang or next((str(o["inLanguage"]) for o in ld if o.get("inLanguage")), "")
    return _PageMeta(urljoin(url or "", image) if image else "", published, site, normalise_language(lang))


def _copyright_guess(published: datetime | None, html: str) -> bool:
    """True when ``published`` is only the year of a « © 2026 » notice: the date finder's last
    resort on a page without a date, which would show a footer's year as the publication day."""
    if published is None or (published.month, published.day, published.hour, published.minute) != (
        1,
        1,
        0,
        0,
    ):
        return False
    return any(str(published.year) in match.groups() for match in _COPYRIGHT.finditer(html))


# --- Extractors ---------------------------------------------------------------------------


def _trafilatura_metadata(tree: lxml.html.HtmlElement, url: str | None) -> Document:
    """trafilatura's ``extract_metadata`` without what the project never shows (author,
    categories, tags, licence): a third of the extraction time on real pages (PERFORMANCE.md)."""
    found = examine_meta(tree)
    try:
        found = extract_meta_json(tree, found)
    except Exception:  # trafilatura guards its JSON-LD reader the same way
        log.debug("JSON-LD metadata unreadable", exc_info=True)
    found.title = found.title or extract_title(tree)
    found.url = found.url or extract_url(tree, url)
    found.date = find_date(tree, **{**set_date_params(True), "url": found.url})
    site = found.sitename or extract_sitename(tree)
    if site:
        site = site.lstrip("@")
        found.sitename = site.title() if site and "." not in site and not site[0].isupper() else site
    else:  # the host as people name a site: no port, login or « www. » (trafilatura keeps them)
        found.sitename = site_of(web_url(found.url))
    found.clean_and_trim()
    return found


def _article_text(tree: lxml.html.HtmlElement, url: str | None) -> str | None:
    """favor_precision's text, or None when trafilatura finds no article. Its fallbacks off (its
    readability port and jusText add boilerplate more than they find text); tables kept: facts in
    a table between the paragraphs are the article's (README). ``benchmarks/extract_bench.py``
    swaps this step to measure other texts with the same metadata."""
    doc = trafilatura.bare_extraction(
        tree,
        url=url,
        favor_precision=True,  # real pages: F1 0.965 against 0.927 by default (README)
        fast=True,
        include_comments=False,
        include_tables=True,
        include_images=False,
    )
    return None if doc is None else doc.text or ""


def _trafilatura(page: str | lxml.html.HtmlElement, url: str | None) -> Article:
    tree = load_html(page)
    if tree is None:
        return Article()
    meta = _trafilatura_metadata(tree, url)
    return Article(
        title=meta.title or "",
        text=_article_text(tree, url) or "",  # a page without an article (a home page) keeps its metadata
        top_image=meta.image or "",
        published=_parse_date(meta.date) if meta.date else None,
        site_name=meta.sitename or "",
        language=normalise_language(meta.language),
    )


def _newspaper(html: str, url: str | None) -> Article:
    from newspaper import Article as NewspaperArticle
    from newspaper import Config

    config = Config()
    config.fetch_images = False  # it would download every image to pick the largest
    config.memoize_articles = False
    config.follow_meta_refresh = False
    page = NewspaperArticle(url or "http://localhost/", config=config)
    page.download(input_html=html)
    page.parse()  # never page.nlp(): that needs NLTK data downloaded from the internet
    return Article(
        title=page.title or "",
        text=page.text or "",
        top_image=page.top_image or page.meta_img or "",
        published=page.publish_date.astimezone(UTC) if page.publish_date else None,
        site_name=str(page.meta_data.get("og", {}).get("site_name", "")) if page.meta_data else "",
        language=normalise_language(page.meta_lang),
    )


def extract_article(html: str, url: str | None = None, *, extractor: Extractor = "trafilatura") -> Article:
    """The article of an HTML page; missing image, date, site name or language completed from the
    page's metadata (og:, twitter:, JSON-LD), then the language detected from the text."""
    if extractor not in ("trafilatura", "newspaper"):
        raise UserError("Extracteur inconnu : choisissez « trafilatura » ou « newspaper ».")
    html = (html or "")[:MAX_HTML_CHARS]
    if not html.strip():
        return Article(url=url or "")
    try:
        doc = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        doc = None
    meta = _page_meta(doc, url)  # before trafilatura, which is handed the same tree (parsed once)
    if extractor == "trafilatura":
        article = _trafilatura(html if doc is None else doc, url)
    else:
        article = _newspaper(html, url)
    article.url = url or ""
    if _copyright_guess(article.published, html):
        article.published = None
    article.top_image = urljoin(url or "", article.top_image) if article.top_image else meta.image
    article.published = article.published or meta.published
    if meta.published and article.published and meta.published.date() == article.published.date():
        article.published = meta.published  # same day: keep the precise time
    article.site_name = article.site_name or meta.site_name
    article.language = (
        meta.language or article.language or detect_language(f"{article.title}\n{article.text}")
    )
    return article


def extract_entry(session: Session, actor: Actor, entry_id: int) -> Article:
    """Fetch an entry's page (the one HTTP client), extract it and keep its text for search."""
    visible = filter_entries(
        select(Entry).where(Entry.id == entry_id), session, actor, EntryFilters(include_hidden=True)
    )
    entry = session.scalars(visible).first()
    if entry is None:
        raise NotFound("Cet article n’existe pas ou ne fait pas partie de vos sources.")
    if not entry.link:
        raise UserError("Cet article n’a pas de lien vers une page web : il n’y a rien à extraire.")
    result = fetch_url(entry.link, accept="text/html,application/xhtml+xml")
    article = extract_article(decode_file(result.content), result.final_url or entry.link)
    if not article.text:
        raise UserError(
            "Impossible de trouver le texte de cet article sur sa page. Ouvrez l’original pour le lire."
        )
    entry.extracted_text = article.text
    if not entry.image_url and article.top_image:
        entry.image_url = article.top_image
    return article
