"""Character counting by each social network's own rule, plus hashtags, mentions and URLs.

Shared by the post exercises (training) and pin-to-post (boards), so that a trainee sees the
same count everywhere. The limits live in one dated content file, ``content/networks.yaml``;
this module only knows the counting units: twitter-text weighting for X, graphemes elsewhere.
"""

from __future__ import annotations

import bisect
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from pathlib import Path

import regex
import yaml

from workbench.numbers import fr_int, quantity
from workbench.once import cache_once

NETWORKS_FILE = Path(__file__).resolve().parent / "content" / "networks.yaml"

# Common top-level domains: a bare « exemple.fr » is a link on X (as in twitter-text).
_TLDS = (
    "com|fr|org|net|io|co|eu|be|ch|ca|lu|mc|info|biz|me|app|dev|ly|tv|uk|de|es|it|nl|pt|shop|store|"
    "news|blog|online|site|tech|ai|gg|link|social"
)
URL_RE = re.compile(
    r"(?<![\w@.\-/])(?:https?://[^\s<>\"«»]+|(?:www\.)?(?:[a-z0-9](?:[a-z0-9\-]{0,61}[a-z0-9])?\.)+"
    rf"(?:{_TLDS})(?![\w\-])(?::\d{{2,5}})?(?:/[^\s<>\"«»]*)?)",
    re.IGNORECASE,
)
SCHEME_URL_RE = re.compile(r"(?<![\w@.\-/])https?://[^\s<>\"«»]+", re.IGNORECASE)
# A link never spans a space: only the tokens holding a dot are searched (much faster on long texts).
_TOKEN_RE = re.compile(r"(?<![^\s<>\"«»])[^\s<>\"«»]*\.[^\s<>\"«»]*")
# Characters that are always a grapheme of their own (and, for X, weigh 1): plain text takes a fast path.
_NOT_SIMPLE = re.compile(r"[^\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2010-\u201f\u202f\u2032-\u2037]")
_NOT_SIMPLE_X = re.compile(r"[^\t\n\x20-\x7e\u00a0-\u00ac\u00ae-\u024f\u2010-\u201f\u2032-\u2037]")
HASHTAG_RE = regex.compile(r"(?<![\p{L}\p{M}\p{N}_&#/])[#＃]([\p{L}\p{M}\p{N}_]+)")
MENTION_RE = regex.compile(
    r"(?<![\p{L}\p{N}_@.])@([A-Za-z0-9_](?:[A-Za-z0-9_.]*[A-Za-z0-9_])?)(?:@([A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)+))?"
)
GRAPHEME_RE = regex.compile(r"\X")
# One emoji as twitter-text counts it: a flag, a keycap, or a pictograph with its modifiers, tags and
# zero-width-joined companions (a ZWJ family is one emoji). Text-style symbols without U+FE0F are text.
_PICTO = r"(?:\p{Emoji_Presentation}|\p{Extended_Pictographic}\uFE0F)\p{Emoji_Modifier}?\uFE0F?"
EMOJI_RE = regex.compile(
    r"\p{Regional_Indicator}{2}|[0-9#*]\uFE0F?\u20E3"
    rf"|{_PICTO}(?:[\U000E0020-\U000E007E]+\U000E007F)?(?:\u200D(?:{_PICTO}|\p{{Extended_Pictographic}}))*"
)
_TRAILING = ".,;:!?'\"’»…"
_OPENING = "([{'‘’“"


@dataclass(frozen=True)
class Network:
    """One network's text rule (from ``networks.yaml``)."""

    id: str
    name: str
    max_length: int
    unit: str  # "weighted" (twitter-text) or "graphemes"
    source: str
    checked_on: date  # when the limit was last checked against the source
    note: str = ""
    url_length: int | None = None
    url_requires_scheme: bool = True
    mention_local_part: bool = False
    max_hashtags: int | None = None
    emoji_weight: int = 2
    weights: tuple[tuple[int, int], ...] = ()


@dataclass(frozen=True)
class TextCount:
    """What a counter shows under a text area: length by the network's rule, and the entities."""

    network: Network
    length: int
    hashtags: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    urls: list[str] = field(default_factory=list)

    @property
    def limit(self) -> int:
        return self.network.max_length

    @property
    def remaining(self) -> int:
        return self.limit - self.length

    @property
    def over_limit(self) -> bool:
        return self.length > self.limit

    @property
    def too_many_hashtags(self) -> bool:
        return self.network.max_hashtags is not None and len(self.hashtags) > self.network.max_hashtags

    @property
    def ok(self) -> bool:
        return not self.over_limit and not self.too_many_hashtags

    def problems(self) -> list[str]:
        """What would stop the post from being published, in French."""
        out = []
        if self.over_limit:
            out.append(
                f"Texte trop long pour {self.network.name}\u00a0: {fr_int(self.length)} caractères pour "
                f"{fr_int(self.limit)} autorisés\u202f; retirez-en {fr_int(-self.remaining)}."
            )
        if self.too_many_hashtags:
            out.append(
                f"{quantity(len(self.hashtags), 'hashtag')}\u00a0: {self.network.name} en accepte "
                f"{fr_int(self.network.max_hashtags)} au plus."
            )
        return out


@cache_once
def load_networks(path: Path = NETWORKS_FILE) -> dict[str, Network]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    networks: dict[str, Network] = {}
    for key, raw in data["networks"].items():
        weights = tuple((int(a), int(b)) for a, b in raw.pop("weights", []))
        checked_on = date.fromisoformat(
            str(raw.pop("checked_on", data["checked_on"]))
        )  # the file's unless its own
        networks[key] = Network(id=key, weights=weights, checked_on=checked_on, **raw)
    return networks


def get_network(network_id: str) -> Network:
    try:
        return load_networks()[network_id]
    except KeyError:
        known = ", ".join(load_networks())
        raise ValueError(f"Unknown network {network_id!r} (known: {known})") from None


def _trim_url(url: str) -> str:
    """Drop sentence punctuation glued to a link, and a closing parenthesis it did not open."""
    while url and url[-1] in _TRAILING:
        url = url[:-1]
    while url.endswith(")") and url.count(")") > url.count("("):
        url = url[:-1]
    return url


def _url_spans(text: str, pattern: re.Pattern[str] = URL_RE) -> list[tuple[int, int]]:
    """Where the links are: tried at the start of each dotted token, after opening punctuation."""
    spans = []
    for token in _TOKEN_RE.finditer(text):
        start = token.start()
        while start < token.end() and text[start] in _OPENING:
            start += 1
        m = pattern.match(text, start, token.end())
        if m:
            url = _trim_url(m.group(0))
            if url and "." in url:
                spans.append((m.start(), m.start() + len(url)))
    return spans


def extract_urls(text: str, *, require_scheme: bool = False) -> list[str]:
    """Links in the order written; bare domains (``exemple.fr/page``) count unless a scheme is required."""
    return [text[a:b] for a, b in url_spans(text, require_scheme=require_scheme)]


def url_spans(text: str, *, require_scheme: bool = False) -> list[tuple[int, int]]:
    """Where ``extract_urls`` finds the links: (start, end) positions."""
    return _url_spans(text, SCHEME_URL_RE if require_scheme else URL_RE)


def _outside(spans: list[tuple[int, int]], pos: int) -> bool:
    """Whether ``pos`` falls outside every link (``spans`` are sorted and disjoint)."""
    i = bisect.bisect_right(spans, (pos, float("inf"))) - 1
    return i < 0 or pos >= spans[i][1]


def extract_hashtags(text: str, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """Hashtags without ``#``, in order, duplicates kept; ``#123`` (digits only) and URL anchors are not."""
    spans = _url_spans(text) if spans is None else spans
    return [
        m.group(1)
        for m in HASHTAG_RE.finditer(text)
        if _outside(spans, m.start()) and not m.group(1).isdigit()
    ]


def extract_mentions(text: str, spans: list[tuple[int, int]] | None = None) -> list[str]:
    """Mentions as written without the first ``@`` (``nom`` or ``nom@instance.fr``); e-mails are not."""
    spans = _url_spans(text) if spans is None else spans
    out = []
    for m in MENTION_RE.finditer(text):
        if _outside(spans, m.start()):
            out.append(m.group(1) + (f"@{m.group(2)}" if m.group(2) else ""))
    return out


def grapheme_count(text: str) -> int:
    if _NOT_SIMPLE.search(text) is None:
        return len(text)
    return len(GRAPHEME_RE.findall(text))


@cache
def _heavy_chars(weights: tuple[tuple[int, int], ...]) -> re.Pattern[str]:
    """Characters outside the weight-1 ranges (they count 2 on X)."""
    return re.compile("[^" + "".join(f"\\U{lo:08x}-\\U{hi:08x}" for lo, hi in weights) + "]")


def _weighted_length(text: str, net: Network) -> int:
    """twitter-text v3: NFC text, URLs count ``url_length``, emoji 2, code points 1 or 2 by range."""
    text = unicodedata.normalize("NFC", text)
    spans = _url_spans(text, SCHEME_URL_RE if net.url_requires_scheme else URL_RE)
    heavy = _heavy_chars(net.weights)
    total, pos = 0, 0
    for a, b in [*spans, (len(text), len(text))]:
        segment = text[pos:a]
        if _NOT_SIMPLE_X.search(segment) is not None:
            emoji = EMOJI_RE.findall(segment)
            total += net.emoji_weight * len(emoji)
            if emoji:
                segment = EMOJI_RE.sub("", segment)
            total += len(heavy.findall(segment))  # the extra 1 of each character weighing 2
        total += len(segment)
        if b > a:
            total += net.url_length or (b - a)
        pos = b
    return total


def _grapheme_length(text: str, net: Network) -> int:
    if net.url_length is not None:
        pattern = SCHEME_URL_RE if net.url_requires_scheme else URL_RE
        pieces, pos = [], 0
        for a, b in _url_spans(text, pattern):
            pieces.append(text[pos:a])
            pieces.append("x" * net.url_length)
            pos = b
        pieces.append(text[pos:])
        text = "".join(pieces)
    if net.mention_local_part:
        text = MENTION_RE.sub(lambda m: "@" + m.group(1), text)
    return grapheme_count(text)


def count(text: str, network: str | Network) -> TextCount:
    """The length of ``text`` by ``network``'s rule, with its hashtags, mentions and links."""
    net = get_network(network) if isinstance(network, str) else network
    length = _weighted_length(text, net) if net.unit == "weighted" else _grapheme_length(text, net)
    spans = _url_spans(text)
    return TextCount(
        network=net,
        length=length,
        hashtags=extract_hashtags(text, spans),
        mentions=extract_mentions(text, spans),
        urls=[text[a:b] for a, b in spans],
    )
