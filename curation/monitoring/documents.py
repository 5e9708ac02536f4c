"""Entries as rules and watches see them: plain-text fields, normalised once, computed on demand.

A refresh may test 50 rules against 10,000 entries: each field of an entry is turned into plain
text and normalised (``curation.textnorm``) at most once, and only if some rule looks at it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from functools import cached_property
from urllib.parse import urlsplit

from sqlalchemy import Row, select
from sqlalchemy.orm import Session

from curation.models import Entry, Feed
from curation.sanitize import to_text
from curation.textnorm import tokens

ENTRY_BATCH = 500
_RAW = {"title": "title", "content": "text", "author": "author", "source": "source"}
_WORD = re.compile(r"\w+(?:['’]\w+)*")


@dataclass
class TextField:
    raw: str

    @cached_property
    def tokens(self) -> list[str]:
        return tokens(self.raw)

    @cached_property
    def token_set(self) -> frozenset[str]:
        return frozenset(self.tokens)

    @cached_property
    def joined(self) -> str:
        return f" {' '.join(self.tokens)} "


@dataclass
class EntryText:
    """One stored entry's text and metadata (no ORM object: cheap to build by thousands)."""

    id: int
    feed_id: int
    title: str
    summary_html: str
    content_html: str
    author: str
    language: str
    link: str
    feed_title: str
    feed_url: str
    published_at: datetime | None
    first_seen_at: datetime
    _fields: dict[str, TextField] = field(default_factory=dict, repr=False)

    def text_field(self, name: str) -> TextField:
        """The normalised view of ``title``, ``content``, ``author`` or ``source`` (cached)."""
        found = self._fields.get(name)
        if found is None:
            found = self._fields[name] = TextField(getattr(self, _RAW[name]))
        return found

    @cached_property
    def text(self) -> str:
        """The article's plain text: summary, then content when it says more."""
        summary, content = to_text(self.summary_html), to_text(self.content_html)
        if not content or content.startswith(summary[:200]):
            return content or summary
        return f"{summary}\n{content}" if summary else content

    @cached_property
    def source(self) -> str:
        host = urlsplit(self.feed_url).hostname or ""
        return f"{self.feed_title} {host}"

    @property
    def mentioned_at(self) -> datetime:
        """When it was said: published, but never later than when the watch first saw it."""
        if self.published_at is None or self.published_at > self.first_seen_at:
            return self.first_seen_at
        return self.published_at


@dataclass
class EntryDocument:
    """An entry as one rule owner sees it: with their folders for it."""

    entry: EntryText
    folders: Sequence[str] = ()

    @cached_property
    def _folder(self) -> TextField:
        return TextField(" | ".join(self.folders))

    def _field(self, name: str) -> TextField:
        return self._folder if name == "folder" else self.entry.text_field(name)

    def raw(self, name: str) -> str:
        return self._field(name).raw

    def joined(self, name: str) -> str:
        return self._field(name).joined

    def token_set(self, name: str) -> frozenset[str]:
        return self._field(name).token_set

    @property
    def language(self) -> str:
        return self.entry.language or ""


class EntryBatch:
    """Entries matched together (a refresh's new entries, a dry run's stored ones).

    Answers « which entries hold this token in this field? » once per (field, token) for every
    rule of the pass: the pre-filter that spares evaluating most (rule, entry) pairs.
    """

    def __init__(self, entries: Sequence[EntryText]) -> None:
        self.entries = list(entries)
        self._sets: dict[str, list[frozenset[str]]] = {}
        self._positions: dict[tuple[str, str], set[int]] = {}

    def positions(self, name: str, token: str) -> set[int]:
        key = (name, token)
        found = self._positions.get(key)
        if found is None:
            sets = self._sets.get(name)
            if sets is None:
                sets = self._sets[name] = [e.text_field(name).token_set for e in self.entries]
            found = self._positions[key] = {i for i, tokens in enumerate(sets) if token in tokens}
        return found


@dataclass(frozen=True)
class Located:
    """A normalised token and where its word sits in the original text."""

    token: str
    start: int
    end: int


def locate_tokens(text: str) -> list[Located]:
    """The tokens of ``text`` with the character span of the word each comes from (for snippets)."""
    found: list[Located] = []
    for match in _WORD.finditer(text):
        for token in tokens(match.group()):
            found.append(Located(token, match.start(), match.end()))
    return found


def _columns() -> tuple:
    return (
        Entry.id,
        Entry.feed_id,
        Entry.title,
        Entry.summary,
        Entry.content,
        Entry.author,
        Entry.language,
        Entry.link,
        Feed.title,
        Feed.url,
        Entry.published_at,
        Entry.first_seen_at,
    )


def _text(row: Row) -> EntryText:
    *texts, published_at, first_seen_at = row
    return EntryText(*(value or "" for value in texts), published_at, first_seen_at)


def load_entries(session: Session, entry_ids: Iterable[int]) -> list[EntryText]:
    """The entries with these ids, in id order, by batches."""
    ids = sorted(set(entry_ids))
    found: list[EntryText] = []
    for start in range(0, len(ids), ENTRY_BATCH):
        chunk = ids[start : start + ENTRY_BATCH]
        rows = session.execute(
            select(*_columns())
            .join(Feed, Feed.id == Entry.feed_id)
            .where(Entry.id.in_(chunk))
            .order_by(Entry.id)
        )
        found.extend(_text(row) for row in rows)
    return found


def iter_feed_entries(
    session: Session, feed_ids: Iterable[int], *, limit: int | None = None
) -> list[EntryText]:
    """Stored entries of these feeds, newest first (dry runs and re-application)."""
    ids = sorted(set(feed_ids))
    if not ids:
        return []
    stmt = (
        select(*_columns())
        .join(Feed, Feed.id == Entry.feed_id)
        .where(Entry.feed_id.in_(ids))
        .order_by(Entry.first_seen_at.desc(), Entry.id.desc())
    )
    if limit is not None:
        stmt = stmt.limit(limit)
    return [_text(row) for row in session.execute(stmt)]
