"""The one HTML sanitiser: every piece of outside HTML goes through ``sanitize_html`` before display.

An nh3 (ammonia) allow-list: text structure, links, images and tables survive; scripts, styles,
event handlers, forms, iframes and ``javascript:`` links do not. Relative links are made absolute
against the page or feed they came from, links open without referrer or opener, and images keep
only their safe attributes (``data:`` sources only for raster or SVG images, which never run
scripts inside ``<img>``).
"""

from __future__ import annotations

import html as htmllib
import re
import string
import threading
import unicodedata
from urllib.parse import quote

import nh3

from curation.networks import url_spans
from curation.urls import absolutise, web_url

ALLOWED_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "caption", "cite", "code", "dd", "del", "details", "dl",
        "dt", "em", "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img",
        "ins", "kbd", "li", "mark", "ol", "p", "pre", "q", "s", "small", "span", "strong", "sub",
        "summary", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "time", "tr", "u", "ul",
    }
)  # fmt: skip
ALLOWED_ATTRIBUTES = {
    "a": {"href", "title", "hreflang"},
    "img": {"src", "alt", "title", "width", "height", "loading"},
    "abbr": {"title"},
    "blockquote": {"cite"},
    "q": {"cite"},
    "time": {"datetime"},
    "td": {"colspan", "rowspan"},
    "th": {"colspan", "rowspan", "scope"},
    "ol": {"start"},
}
URL_ATTRIBUTES = {("a", "href"), ("img", "src"), ("blockquote", "cite"), ("q", "cite")}
SAFE_DATA_IMAGE = re.compile(r"^data:image/(png|jpeg|gif|webp|svg\+xml)[;,]", re.IGNORECASE)
DROPPED_WITH_CONTENT = {"script", "style", "iframe", "object", "embed", "noscript", "template", "svg", "math"}
_BLOCK_END = re.compile(r"<\s*(br|/p|/div|/li|/h[1-6]|/tr|/blockquote|/pre|/dd|/dt)\b[^>]*>", re.IGNORECASE)
# Runs of blanks become one space; a lone space is left alone (matching every space is slow).
_SPACES = re.compile(r"[ \t\r\f\v\u00a0]{2,}|[\t\r\f\v\u00a0]")
_TAG = re.compile(r"</?([a-zA-Z][a-zA-Z0-9]*)(?:\s[^<>]*)?/?>")
# Tags a parser only opens and closes (no reordering, no raw text, no whitespace rule of its own).
_TEXT_TAGS = frozenset(
    {
        "a", "abbr", "b", "blockquote", "br", "cite", "code", "dd", "del", "div", "dl", "dt", "em",
        "figcaption", "figure", "h1", "h2", "h3", "h4", "h5", "h6", "hr", "i", "img", "ins", "kbd",
        "li", "mark", "ol", "p", "q", "s", "small", "span", "strong", "sub", "sup", "time", "u", "ul",
    }
)  # fmt: skip


# The page or feed the fragment being cleaned came from, for its relative links: the cleaners below
# are built once (building nh3's configuration for each call cost seven times the cleaning of a
# short summary), so the base is handed to their link filter here; nh3 calls it in the caller's thread.
_base = threading.local()


def _absolute_links(tag: str, attr: str, value: str) -> str | None:
    if (tag, attr) not in URL_ATTRIBUTES:
        return value
    value = value.strip()
    if value.lower().startswith("data:"):
        return value if tag == "img" and SAFE_DATA_IMAGE.match(value) else None
    if value.startswith("#") and tag == "a":
        return None  # in-page anchors lead nowhere once the content is shown elsewhere
    return absolutise(value, getattr(_base, "url", None))


_HTML = nh3.Cleaner(
    tags=set(ALLOWED_TAGS),
    clean_content_tags=DROPPED_WITH_CONTENT,
    attributes={k: set(v) for k, v in ALLOWED_ATTRIBUTES.items()},
    attribute_filter=_absolute_links,
    url_schemes={"http", "https", "mailto", "data"},
    link_rel="noopener noreferrer nofollow",
    strip_comments=True,
)
_TEXT = nh3.Cleaner(tags=set(), clean_content_tags=DROPPED_WITH_CONTENT)


def sanitize_html(html: str | None, base_url: str | None = None) -> str:
    """Safe HTML to show: allow-listed tags and attributes, absolute links, ``rel`` on every link."""
    if not html:
        return ""
    _base.url = base_url
    try:
        return _HTML.clean(html).strip()
    finally:
        _base.url = None


def _strip_simple(html: str) -> str | None:
    """``html`` without its tags when a parser would only drop them, else ``None``.

    Stored entries hold sanitised HTML: mostly paragraphs, links and emphasis. For those, removing
    the tags gives the text nh3 would give, ten times faster. Anything a parser treats specially
    (comments, tables and their foster-parenting, ``<pre>``'s first newline, raw-text elements,
    stray ``<`` or ``>``, carriage returns, NUL) goes to nh3.
    """
    if "\r" in html or "\x00" in html:
        return None
    for match in _TAG.finditer(html):
        if match.group(1).lower() not in _TEXT_TAGS:
            return None
    bare = _TAG.sub("", html)
    return None if "<" in bare or ">" in bare else bare


def to_text(html: str | None) -> str:
    """Plain text of an HTML fragment (paragraph breaks kept as new lines), for search and previews."""
    if not html:
        return ""
    if "<" not in html and "&" not in html:  # plain text already (most titles)
        return _lines(_blanks(html))
    marked = _BLOCK_END.sub("\n", html)
    bare = _strip_simple(marked)
    if bare is None:
        bare = _TEXT.clean(marked)
    return _lines(_blanks(htmllib.unescape(bare)))


def _blanks(text: str) -> str:
    """Runs of spaces, tabs and no-break spaces as one space (the scan only when there is one)."""
    if "  " in text or any(blank in text for blank in "\t\r\f\v\u00a0"):
        return _SPACES.sub(" ", text)
    return text


def _lines(text: str) -> str:
    """Lines stripped, blank ones dropped: any whitespace around a line break becomes one break."""
    return "\n".join(line for line in (part.strip() for part in text.split("\n")) if line)


_ASCII_SPACES = re.compile(r"[ \t\n\r\f\v]+")


def squeeze(text: str) -> str:
    """Runs of spaces and line breaks as one space, ends trimmed; non-breaking spaces (French
    typography: « », before : ; ! ?) are kept, unlike ``" ".join(text.split())``."""
    return _ASCII_SPACES.sub(" ", text).strip()


# Everything Streamlit's Markdown (CommonMark, GFM, LaTeX ``$``, ``:emoji:`` and ``:color[…]``
# directives, entities) or the digest's Markdown could read as syntax.
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=&])")
# Kept in a link target; everything else (parentheses, brackets, spaces…) is percent-encoded.
_TARGET_SAFE = "/:?#&=%+,;@~!'"


# Streamlit's Markdown (remark-gfm) turns bare addresses in text into links after parsing, so
# escapes cannot stop it: an invisible word joiner breaks « http:// », « www. » and « x@y ».
_AUTOLINKED = re.compile(r"(?i)(?<=:)(?=//)|(?<=\bwww)(?=\.)|(?<=[\w.+-])(?=@)")
_WORD_JOINER = "\u2060"


def markdown_text(text: str | None) -> str:
    """Outside or user-written text as Markdown that shows it verbatim: every character Markdown
    could read as syntax escaped (no link, image, heading, HTML, LaTeX or emoji), bare addresses
    kept from becoming links; lines kept."""
    text = _AUTOLINKED.sub(_WORD_JOINER, text or "")
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def markdown_code(text: str | None) -> str:
    """Text as an inline code span: shown and copied exactly as written (an address stays
    « www.site.com », with no escape and no hidden character) and never a link."""
    text = (text or "").replace("\n", " ")
    if not text:
        return ""
    fence = "`" * (max((len(run) for run in re.findall(r"`+", text)), default=0) + 1)
    pad = " " if text[0] == "`" or text[-1] == "`" else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def markdown_readable(text: str | None) -> str:
    """``markdown_text``, but each web address (http, https) as a code span (``markdown_code``):
    a person reads and copies it as written; it is still not a link."""
    text = text or ""
    parts, cursor = [], 0
    for start, end in url_spans(text, require_scheme=True):
        parts += [markdown_text(text[cursor:start]), markdown_code(text[start:end])]
        cursor = end
    return "".join([*parts, markdown_text(text[cursor:])])


def markdown_link(label: str | None, url: str | None) -> str:
    """A Markdown link to an outside address: the label escaped, the target kept only when it is an
    absolute http(s) address (``web_url``) and percent-encoded so nothing can end it early; the
    label alone when the address is not a web address."""
    text = markdown_text(label) or markdown_text(url)
    target = web_url(url)
    return f"[{text}]({quote(target, safe=_TARGET_SAFE)})" if target else text


# Markdown read outside the app (the digest in a chat tool, a board exported to a notes app): CommonMark
# with GFM's tables and strikethrough. Slack shows every backslash, so a character is escaped only
# where it would be markup (mdformat's rules, by position); nothing else needs hiding there (no LaTeX,
# no directives), and an address written out in the text may become a link showing itself.
_ENTITY = re.compile(r"&(?:#[0-9]{1,7}|#[xX][0-9a-fA-F]{1,6}|[A-Za-z][A-Za-z0-9]{1,31});")
_LINE_MARK = re.compile(
    r"(?:#{1,6}|[-+*])(?=\s|$)|>|```|~~~|(?:=+|-+)\s*$|([-*_])(?:\s*\1){2,}\s*$|(?=[^-]*-)[\s|:-]*\|[\s|:-]*$"
)
_ORDERED_MARK = re.compile(r"\d{1,9}([.)])(?=\s|$)")
_HEADING_END = re.compile(r"(?:^|\s)(#+)\s*$")


def _neighbour(char: str | None) -> tuple[str, ...]:
    """What an emphasis delimiter's neighbour counts as; a text's end may meet a space or the
    punctuation around it (``[``, ``**``…)."""
    if char is None:
        return ("space", "punct")
    if char.isspace():
        return ("space",)
    if char in string.punctuation or unicodedata.category(char)[0] in "PS":
        return ("punct",)
    return ("other",)


def _delimits(char: str, before: str | None, after: str | None) -> bool:
    """Whether a run of ``*``, ``_`` or ``~`` could open or close emphasis (CommonMark's flanking rules)."""
    for b in _neighbour(before):
        for a in _neighbour(after):
            left = a != "space" and (a != "punct" or b != "other")
            right = b != "space" and (b != "punct" or a != "other")
            if char == "_":  # inside a word, an underscore is a letter
                left, right = left and (not right or b == "punct"), right and (not left or a == "punct")
            if left or right:
                return True
    return False


def _bracket_escapes(text: str) -> set[int]:
    """Brackets that would make a link or an image: a ``]`` right before ``(`` or ``[``, and any
    bracket left without its pair (a link label keeps the balanced ones: « [Vidéo] »)."""
    escaped, opened = set(), []
    for index, char in enumerate(text):
        if char == "[":
            opened.append(index)
        elif char == "]":
            if text[index + 1 : index + 2] in ("(", "[") or not opened:
                escaped.add(index)
            else:
                opened.pop()
    return escaped | set(opened)


def commonmark_text(text: str | None, *, at: str = "inline") -> str:
    """Outside text as one line of Markdown for other tools that shows it as written, with a
    backslash only before what would be markup there: emphasis that could open or close, a
    backtick, a bracket making a link, ``<`` opening a tag or an autolink, ``&`` starting an entity,
    a backslash escaping. ``at="line"``: the text starts a line (a heading, list, quote, rule or
    table mark there is escaped too); ``at="heading"``: it ends a heading (closing ``#`` kept)."""
    text = squeeze(text or "")
    escaped = _bracket_escapes(text)
    for match in re.finditer(r"\*+|_+|~+", text):
        before = text[match.start() - 1] if match.start() else None
        after = text[match.end()] if match.end() < len(text) else None
        if _delimits(match.group()[0], before, after):
            escaped.update(range(match.start(), match.end()))
    for index, char in enumerate(text):
        following = text[index + 1 : index + 2]
        if (
            char == "`"
            or (char == "\\" and (not following or following in string.punctuation))
            or (
                char == "<"
                and ((following.isascii() and following.isalpha()) or following in ("/", "!", "?"))
            )
            or (char == "&" and _ENTITY.match(text, index))
        ):
            escaped.add(index)
    if at == "line":
        if _LINE_MARK.match(text) or (text.startswith("[") and "]:" in text):
            escaped.add(0)
        ordered = _ORDERED_MARK.match(text)
        if ordered:
            escaped.add(ordered.start(1))
    if at == "heading" and (closing := _HEADING_END.search(text)):
        escaped.add(closing.start(1))
    return "".join(f"\\{char}" if index in escaped else char for index, char in enumerate(text))


def commonmark_link(label: str | None, url: str | None) -> str:
    """``markdown_link`` for Markdown read outside the app: the label escaped by ``commonmark_text``."""
    text = commonmark_text(label) or commonmark_text(url)
    target = web_url(url)
    return f"[{text}]({quote(target, safe=_TARGET_SAFE)})" if target else text
