"""Canonical links: one spelling per article, so the same link found twice is stored once.

Tracking parameters (``utm_*``, ``fbclid``…) and fragments are dropped, the scheme and host are
lower-cased, default ports removed; the remaining query keeps its order.
"""

from __future__ import annotations

import functools
import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

TRACKING_PARAMS = frozenset(
    {
        "fbclid",
        "gclid",
        "dclid",
        "gbraid",
        "wbraid",
        "msclkid",
        "yclid",
        "twclid",
        "igshid",
        "mc_cid",
        "mc_eid",
        "_hsenc",
        "_hsmi",
        "mkt_tok",
        "oly_anon_id",
        "oly_enc_id",
        "vero_id",
        "wt_mc",
        "xtor",
        "at_medium",
        "at_campaign",
        "ref_src",
        "spm",
        "cmpid",
        "s_cid",
    }
)
TRACKING_PREFIXES = ("utm_", "pk_", "mtm_", "at_", "hsa_")
DEFAULT_PORTS = {"http": 80, "https": 443}
# Whitespace, control characters and what would end an attribute or a Markdown link target.
_UNSAFE = re.compile(r'[\s\x00-\x1f\x7f"<>\\`]')


def is_tracking_param(name: str) -> bool:
    lowered = name.lower()
    return lowered in TRACKING_PARAMS or lowered.startswith(TRACKING_PREFIXES)


# An absolute http(s) address that ``urljoin`` gives back unchanged whatever the base, and that
# ``web_url`` keeps as it is: a lower-case scheme, a host of letters, digits, dots and hyphens (no
# port, user or brackets), a path without parameters (``;``), a query or a fragment only when not
# empty, and nothing ``urlsplit`` strips or removes (spaces, control characters) nor anything
# ``web_url`` refuses. Most links of a feed are such: checking costs a tenth of parsing them.
_UNSAFE_CHARS = r'\s\x00-\x1f\x7f"<>\\`'
_PLAIN = re.compile(
    rf"https?://[A-Za-z0-9.-]+(?:/[^?#;{_UNSAFE_CHARS}]*)?(?:\?[^#{_UNSAFE_CHARS}]+)?(?:#[^{_UNSAFE_CHARS}]+)?"
)


@functools.lru_cache(maxsize=64)
def _readable_base(base: str) -> bool:
    """``urljoin`` raises ``ValueError`` on a base it cannot split (a feed's few bases: remembered)."""
    try:
        urlsplit(base)
    except ValueError:
        return False
    return True


def join_url(base: str, url: str) -> str:
    """``urljoin(base, url)``; a plain absolute ``url`` (see ``_PLAIN``) is its own result, unparsed."""
    return url if _PLAIN.fullmatch(url) and _readable_base(base) else urljoin(base, url)


def absolutise(url: str, base_url: str | None) -> str:
    """``url`` resolved against ``base_url`` (unchanged when there is no base or it is absolute)."""
    url = (url or "").strip()
    if not base_url:
        return url
    try:
        return join_url(base_url, url)
    except ValueError:
        return url


# Already canonical: lower-case host, no port, no query, no fragment.
_SIMPLE = re.compile(r"^https?://[a-z0-9-]+(?:\.[a-z0-9-]+)*/[^?#\s]*$")


def canonical_url(url: str, base_url: str | None = None) -> str:
    """The canonical form of a link; anything that is not http(s) is returned stripped only."""
    url = (url or "").strip()
    if _SIMPLE.match(url):
        return url  # already canonical: the common case, kept cheap
    url = absolutise(url, base_url)
    try:
        parts = urlsplit(url)
        port = parts.port
    except ValueError:
        return url
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        return url
    host = parts.hostname.lower().rstrip(".")
    if ":" in host:  # IPv6 literal
        host = f"[{host}]"
    netloc = host if port in (None, DEFAULT_PORTS[scheme]) else f"{host}:{port}"
    if parts.username:
        userinfo = parts.username + (f":{parts.password}" if parts.password else "")
        netloc = f"{userinfo}@{netloc}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not is_tracking_param(k)]
    path = parts.path or "/"
    return urlunsplit((scheme, netloc, path, urlencode(query, doseq=True), ""))


def web_url(url: str | None, base_url: str | None = None) -> str:
    """The one rule for every address outside content gives (entry link, image, enclosure, pin,
    page preview, e-mail link): ``url`` resolved against ``base_url``, kept only when it is then an
    absolute http(s) address with a host and nothing that could break out of an attribute, a
    Markdown link or a header (spaces, control characters, quotes, angle brackets, backslashes);
    ``""`` for anything else (``javascript:``, ``data:``, ``file:``, a local path, junk).

    Enforced where entries are normalised and again where anything is shown or fetched: a string
    that is not a web address must never reach ``st.image`` (it would open a file on the server).
    """
    url = absolutise(url or "", base_url)
    if _PLAIN.fullmatch(url):
        return url
    if not url or _UNSAFE.search(url):
        return ""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - raises ValueError on a malformed port
    except ValueError:
        return ""
    if parts.scheme.lower() not in DEFAULT_PORTS or not parts.hostname:
        return ""
    return url
