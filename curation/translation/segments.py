"""Splitting texts under a provider's per-request limit, and packing short pieces together.

A text is cut on paragraph boundaries, then sentence boundaries, then spaces, and only as a
last resort inside a word; every cut keeps the whitespace it removed, so joining the pieces with
their separators gives the text back exactly, in order. Placeholders (``⟦T3⟧``) contain no
spaces, so protected spans are never cut.
"""

from __future__ import annotations

from dataclasses import dataclass

import regex

PACK_SEPARATOR = "\n\n"
_PARAGRAPHS = regex.compile(r"(\n[ \t]*\n\s*)")
_SENTENCES = regex.compile(r"(?<=[.!?…;][\"'»”’)\]]*)(\s+)(?=\S)")
_SPACES = regex.compile(r"(\s+)")
_SPLIT_BACK = regex.compile(r"\n[ \t]*\n\s*")


@dataclass(frozen=True)
class Piece:
    text: str  # non-empty, at most the limit
    separator: str  # the whitespace that followed it in the original


def _pieces(parts: list[str]) -> list[tuple[str, str]]:
    """``regex.split`` with a capturing group → (text, following separator) pairs."""
    pairs = []
    for i in range(0, len(parts), 2):
        sep = parts[i + 1] if i + 1 < len(parts) else ""
        pairs.append((parts[i], sep))
    return pairs


def _pack(pairs: list[tuple[str, str]], limit: int, finer: list[regex.Pattern[str]]) -> list[Piece]:
    """Greedily join consecutive pairs while under ``limit``; split oversize ones more finely."""
    out: list[Piece] = []
    current, current_sep = "", ""
    for text, sep in pairs:
        if not text:
            current_sep += sep
            continue
        if len(text) > limit:
            if current:
                out.append(Piece(current, current_sep))
                current, current_sep = "", ""
            sub = _split(text, limit, finer)
            out.extend(sub[:-1])
            out.append(Piece(sub[-1].text, sub[-1].separator + sep))
            continue
        if current and len(current) + len(current_sep) + len(text) <= limit:
            current += current_sep + text
            current_sep = sep
        else:
            if current:
                out.append(Piece(current, current_sep))
            current, current_sep = text, sep
    if current:
        out.append(Piece(current, current_sep))
    elif out and current_sep:
        out[-1] = Piece(out[-1].text, out[-1].separator + current_sep)
    return out


def _split(text: str, limit: int, patterns: list[regex.Pattern[str]]) -> list[Piece]:
    if len(text) <= limit:
        return [Piece(text, "")]
    if not patterns:
        return [Piece(text[i : i + limit], "") for i in range(0, len(text), limit)]
    pairs = _pieces(patterns[0].split(text))
    if len(pairs) == 1:
        return _split(text, limit, patterns[1:])
    return _pack(pairs, limit, patterns[1:])


def split_text(text: str, limit: int) -> list[Piece]:
    """Pieces of at most ``limit`` characters; ``"".join(p.text + p.separator)`` == ``text``."""
    if limit < 1:
        raise ValueError("limit must be positive")
    if not text:
        return []
    pairs = _pieces(_PARAGRAPHS.split(text))
    # Paragraphs stay separate pieces (packing below joins them across texts when they fit).
    pieces: list[Piece] = []
    for paragraph, sep in pairs:
        if not paragraph.strip():
            if pieces:
                pieces[-1] = Piece(pieces[-1].text, pieces[-1].separator + paragraph + sep)
            continue
        sub = _split(paragraph, limit, [_SENTENCES, _SPACES])
        pieces.extend(sub[:-1])
        pieces.append(Piece(sub[-1].text, sub[-1].separator + sep))
    return pieces


def pack_requests(texts: list[str], limit: int) -> list[list[int]]:
    """Group indexes of ``texts`` into requests of at most ``limit`` characters once joined with
    a blank line (the provider keeps blank lines, so the answer splits back the same way)."""
    groups: list[list[int]] = []
    size = 0
    for i, text in enumerate(texts):
        added = len(text) + (len(PACK_SEPARATOR) if groups and groups[-1] else 0)
        if groups and groups[-1] and size + added <= limit:
            groups[-1].append(i)
            size += added
        else:
            groups.append([i])
            size = len(text)
    return groups


def split_answer(answer: str, expected: int) -> list[str] | None:
    """The translated pieces of a packed request, or ``None`` if the provider merged or split some."""
    if expected == 1:
        return [answer.strip()]
    parts = [p.strip() for p in _SPLIT_BACK.split(answer.strip())]
    return parts if len(parts) == expected else None


def split_paragraphs(text: str) -> list[str]:
    """The paragraphs of a pasted text (blank-line separated), each the unit the memory keeps."""
    return [p.strip() for p in _SPLIT_BACK.split(text.replace("\r\n", "\n")) if p.strip()]
