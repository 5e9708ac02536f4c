"""What a pasted URL gives for a pin: fetched through the one HTTP client, then extracted.

Never raises for a page that cannot be read: a blocked address, a timeout, an error status, a file
that is not a web page or a page without an image each leave a preview with what is known (the
address, the site's name) and a French message saying what happened and what to do.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime
from urllib.parse import urlsplit

from curation.fetch import FetchError, check_url, fetch_url
from curation.urls import canonical_url, web_url

HTML_ACCEPT = "text/html, application/xhtml+xml;q=0.9, */*;q=0.5"
HTML_TYPES = ("text/html", "application/xhtml+xml")
DESCRIPTION_CHARS = 400
_META_CHARSET = re.compile(rb"""<meta[^>]+charset=["']?([\w-]+)""", re.IGNORECASE)


@dataclass
class PagePreview:
    url: str
    title: str = ""
    image_url: str = ""
    description: str = ""
    site_name: str = ""
    published_at: datetime | None = None
    language: str = ""
    messages: list[str] = field(default_factory=list)


def site_of(url: str) -> str:
    """The site's name from its address (``blogdumoderateur.com``), ``""`` when there is none."""
    try:
        host = urlsplit(url).hostname or ""
    except ValueError:  # e.g. an unclosed IPv6 bracket
        return ""
    return host.removeprefix("www.")


def decode_html(content: bytes, content_type: str) -> str:
    """The page's text by its declared charset (header, then ``<meta>``), else UTF-8, else cp1252."""
    candidates = []
    if "charset=" in content_type.lower():
        candidates.append(content_type.lower().split("charset=", 1)[1].split(";")[0].strip(" \"'"))
    if found := _META_CHARSET.search(content[:4096]):
        candidates.append(found.group(1).decode("ascii", "ignore"))
    for encoding in [*candidates, "utf-8"]:
        try:
            return content.decode(encoding)
        except (LookupError, UnicodeDecodeError):
            continue
    return content.decode("cp1252", errors="replace")


_SPACES = re.compile(r"[ \t\r\n\f\v]+")


def shorten(text: str, limit: int = DESCRIPTION_CHARS) -> str:
    """At most ``limit`` characters, cut at a word, with an ellipsis when cut.

    Only ordinary white space is folded and cut at: French non-breaking spaces (« texte », « ! »)
    stay glued to their word."""
    text = _SPACES.sub(" ", text).strip()
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0]
    return cut + "…"


def preview_page(url: str, *, allow_private: bool | None = None) -> PagePreview:
    """Fetch and extract ``url``; an address that is not a web address at all is refused (``FetchError``)."""
    from curation.extract import extract_article

    check_url(url)
    url = canonical_url(url.strip())
    site = site_of(url)
    preview = PagePreview(url=url, title=site, site_name=site)
    try:
        result = fetch_url(url, accept=HTML_ACCEPT, allow_private=allow_private)
    except FetchError as exc:
        preview.messages.append(
            f"La page n’a pas pu être lue. {exc} L’épingle est créée avec son adresse\u00a0: "
            "complétez le titre, l’image et la note à la main."
        )
        return preview
    final_url = canonical_url(result.final_url) or url
    preview.url, preview.site_name = final_url, site_of(final_url) or site
    media_type = result.content_type.split(";")[0].strip().lower()
    if media_type.startswith("image/"):
        preview.image_url = web_url(result.final_url)
        preview.title = preview.site_name
        preview.messages.append(
            "Ce lien mène à une image, pas à un article\u00a0: elle sert d’illustration. Ajoutez un titre à la main."
        )
        return preview
    if media_type and media_type not in HTML_TYPES:
        preview.messages.append(
            f"Ce lien n’est pas une page web (contenu «\u00a0{media_type}\u00a0»)\u00a0: l’épingle garde l’adresse, "
            "complétez le titre et la description à la main."
        )
        return preview
    article = extract_article(decode_html(result.content, result.content_type), final_url)
    preview.title = article.title or preview.title
    preview.site_name = article.site_name or preview.site_name
    text = " ".join((article.text or "").split())
    if article.title and text.startswith(article.title):  # extractors often repeat the headline
        text = text[len(article.title) :].lstrip(" :.—-")
    preview.description = shorten(text)
    preview.image_url = web_url(article.top_image)
    preview.published_at = article.published
    preview.language = article.language or ""
    if not preview.image_url:
        preview.messages.append(
            "Aucune image trouvée sur la page\u00a0: la carte affichera un aperçu coloré. "
            "Vous pouvez coller l’adresse d’une image dans l’épingle."
        )
    return preview
