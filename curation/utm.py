"""UTM-tagged links: the campaign parameters a CM adds so that the analytics tell which post brought
the visit (``utm_source``, ``utm_medium``, ``utm_campaign``, ``utm_content``)."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from curation.urls import canonical_url, web_url
from workbench.errors import UserError

UTM_KEYS = ("utm_source", "utm_medium", "utm_campaign", "utm_content")
_SEPARATORS = re.compile(r"[^a-z0-9._-]+")
_LINK = re.compile(r"https?://[^\s<>\"«»]+[^\s<>\"«».,;:!?)\]']", re.IGNORECASE)


@dataclass(frozen=True)
class Utm:
    source: str = ""  # the network: "linkedin", "x"…
    medium: str = "social"
    campaign: str = ""
    content: str = ""  # which post or visual


def utm_value(text: str) -> str:
    """A value analytics tools group reliably: lower case, no accents, words joined by ``-``."""
    bare = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii").lower()
    return _SEPARATORS.sub("-", bare).strip("-")


def utm_link(url: str, utm: Utm) -> str:
    """The canonical ``url`` (tracking parameters dropped) with the given UTM parameters appended;
    empty values are left out, the other query parameters keep their order."""
    if not web_url(url):
        raise UserError("Le lien à marquer doit être une adresse web en http:// ou https://.")
    parts = urlsplit(canonical_url(url))
    query = parse_qsl(parts.query, keep_blank_values=True)
    values = (utm.source, utm.medium, utm.campaign, utm.content)
    query += [
        (key, utm_value(value)) for key, value in zip(UTM_KEYS, values, strict=True) if utm_value(value)
    ]
    return urlunsplit((parts.scheme, parts.netloc, parts.path, urlencode(query), ""))


def retag_links(text: str, url: str, utm: Utm) -> str:
    """``text`` with every UTM-tagged link to ``url`` tagged with ``utm`` instead: a post drafted for
    one network keeps the right ``utm_source`` when the network changes (bare links stay bare)."""
    target = canonical_url(url)
    tagged = utm_link(url, utm)

    def retag(match: re.Match[str]) -> str:
        link = match.group()
        query = urlsplit(link).query
        is_tagged = any(key.lower() in UTM_KEYS for key, _ in parse_qsl(query, keep_blank_values=True))
        return tagged if is_tagged and canonical_url(link) == target else link

    return _LINK.sub(retag, text)
