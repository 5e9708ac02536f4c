"""Spans a translation must never touch: URLs, e-mails, @mentions, #hashtags, emoji, brand
names and kept terms, `inline` and fenced code.

Each span is swapped for a short placeholder ``⟦T<n>⟧`` before the text is sent, and put back
afterwards. Providers do odd things to unknown tokens (``⟦ t3 ⟧``, ``[T3]``, ``⟦T 3⟧``), so the
restoring pattern tolerates spacing, case and bracket changes; a placeholder the provider dropped
is appended at the end rather than lost. Text that already looks like a placeholder is itself
protected, so it can never be confused with one.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

PLACEHOLDER = "⟦T{}⟧"
_RESTORE = regex.compile(r"[⟦\[]\s*[Tt]\s*(\d{1,4})\s*[⟧\]]")

_TRAILING_PUNCT = ".,;:!?…»\"'”’)]"

_URL = regex.compile(r"\b(?:https?://|www\.)[^\s<>]+", regex.IGNORECASE)
_PATTERNS: list[regex.Pattern[str]] = [
    regex.compile(r"(?ms)^[ \t]*(```|~~~).*?^[ \t]*\1[ \t]*$"),  # fenced code
    regex.compile(r"`[^`\n]+`"),  # inline code
    _URL,
    regex.compile(r"\b[\w.+-]+@[\w-]+(?:\.[\w-]+)+\b"),  # e-mail addresses
    _RESTORE,  # text that already looks like a placeholder
    regex.compile(r"(?<![\w@.])@[\p{L}\p{N}_](?:[\p{L}\p{N}_.]*[\p{L}\p{N}_])?"),  # @mentions
    regex.compile(r"(?<![\w&#])#[\p{L}\p{N}_]+"),  # #hashtags
    # Emoji, with skin tones, variation selectors, ZWJ sequences and flags.
    regex.compile(
        r"[\p{Extended_Pictographic}\p{Regional_Indicator}]"
        r"(?:[\p{Extended_Pictographic}\p{Regional_Indicator}\p{Emoji_Modifier}\u200d\ufe0f\u20e3])*"
    ),
]


@dataclass(frozen=True)
class Protected:
    """The text to send (with placeholders) and the original spans, by placeholder number."""

    text: str
    spans: tuple[str, ...]


def _trim_url(match: str) -> str:
    """A URL does not end with the sentence's punctuation (but keeps balanced parentheses)."""
    while match and match[-1] in _TRAILING_PUNCT:
        if match[-1] == ")" and match.count("(") >= match.count(")"):
            break
        match = match[:-1]
    return match


def find_spans(text: str, keep: regex.Pattern[str] | None = None) -> list[tuple[int, int]]:
    """Non-overlapping protected (start, end) ranges, in order; earlier and longer spans win."""
    candidates: list[tuple[int, int]] = []
    patterns = [*_PATTERNS, keep] if keep is not None else _PATTERNS
    for pattern in patterns:
        for m in pattern.finditer(text):
            start, end = m.span()
            if pattern is _URL:
                end = start + len(_trim_url(m.group()))
            if end > start:
                candidates.append((start, end))
    candidates.sort(key=lambda se: (se[0], -se[1]))
    chosen: list[tuple[int, int]] = []
    for start, end in candidates:
        if chosen and start < chosen[-1][1]:
            continue
        # Spans separated by spaces only ("#veille #CM 🎉") travel as one placeholder.
        if chosen and text[chosen[-1][1] : start].strip(" \t") == "":
            chosen[-1] = (chosen[-1][0], end)
        else:
            chosen.append((start, end))
    return chosen


def protect(text: str, keep: regex.Pattern[str] | None = None) -> Protected:
    parts: list[str] = []
    spans: list[str] = []
    last = 0
    for start, end in find_spans(text, keep):
        parts.append(text[last:start])
        parts.append(PLACEHOLDER.format(len(spans)))
        spans.append(text[start:end])
        last = end
    parts.append(text[last:])
    return Protected("".join(parts), tuple(spans))


def restore(translated: str, spans: tuple[str, ...]) -> str:
    """Put the spans back, whatever the provider did to the placeholders' spacing and case."""
    if not spans:
        return translated
    seen: set[int] = set()

    def put_back(m: regex.Match[str]) -> str:
        n = int(m.group(1))
        if n >= len(spans):
            return m.group()
        seen.add(n)
        return spans[n]

    restored = _RESTORE.sub(put_back, translated)
    missing = [span for n, span in enumerate(spans) if n not in seen]
    return f"{restored} {' '.join(missing)}" if missing else restored
