"""Entries as rules and watches see them: plain-text fields, normalised once, computed on demand.

A refresh may test 50 rules against 10,000 entries: the batch's postings (which entries hold which
token in which field) are built in one walk per field over the entries' texts, for every word the
pass's rules ask about; the few entries a phrase or a regular expression must still be checked
on get their field's normalised forms on demand (``TextField``).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from collections.abc import Set as AbstractSet
from dataclasses import dataclass, field
from datetime import datetime
from functools import lru_cache
from typing import NamedTuple
from urllib.parse import urlsplit

from sqlalchemy import Row, bindparam, select
from sqlalchemy.orm import Session

from curation.models import Entry, Feed
from curation.sanitize import to_text
from curation.textnorm import token_set, tokens

ENTRY_BATCH = 500
_WORD = re.compile(r"\w+(?:['’]\w+)*")


class TextField:
    """One field's plain text and its normalised forms, each computed at most once.

    Plain attributes rather than ``cached_property`` (which takes a lock on every first access in
    Python 3.11). Built for the entries a rule or a watch looks at one by one (phrases, regular
    expressions, folders, mentions); the batch's postings need none.
    """

    __slots__ = ("_folded", "_joined", "_token_set", "_tokens", "raw")

    def __init__(self, raw: str) -> None:
        self.raw = raw
        self._tokens: list[str] | None = None
        self._token_set: AbstractSet[str] | None = None
        self._joined: str | None = None
        self._folded: str | None = None

    @property
    def tokens(self) -> list[str]:
        if self._tokens is None:
            self._tokens = tokens(self.raw)
        return self._tokens

    @property
    def token_set(self) -> AbstractSet[str]:
        if self._token_set is None:
            self._token_set = token_set(self.raw) if self._tokens is None else frozenset(self._tokens)
        return self._token_set

    @property
    def joined(self) -> str:
        if self._joined is None:
            self._joined = f" {' '.join(self.tokens)} "
        return self._joined

    @property
    def folded(self) -> str:
        """The raw text case-folded: what a regex's required literal is looked for in."""
        if self._folded is None:
            self._folded = self.raw.casefold()
        return self._folded


@dataclass(slots=True)
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
    _text: str | None = field(default=None, repr=False, compare=False)
    _fields: dict[str, TextField] | None = field(default=None, repr=False, compare=False)

    def raw(self, name: str) -> str:
        """The plain text of ``title``, ``content``, ``author`` or ``source``."""
        if name == "content":
            return self.text
        if name == "source":
            return self.source
        return self.title if name == "title" else self.author

    def text_field(self, name: str) -> TextField:
        """The normalised view of ``title``, ``content``, ``author`` or ``source`` (cached)."""
        if name == "source":  # the feed's: one for every entry of the feed
            return _shared_field(self.source)
        if self._fields is None:
            self._fields = {}
        found = self._fields.get(name)
        if found is None:
            found = self._fields[name] = TextField(self.raw(name))
        return found

    @property
    def text(self) -> str:
        """The article's plain text: summary, then content when it says more."""
        if self._text is None:
            summary, content = to_text(self.summary_html), to_text(self.content_html)
            if not content or content.startswith(summary[:200]):
                self._text = content or summary
            else:
                self._text = f"{summary}\n{content}" if summary else content
        return self._text

    @property
    def source(self) -> str:
        return _source(self.feed_title, self.feed_url)

    @property
    def mentioned_at(self) -> datetime:
        """When it was said: published, but never later than when the watch first saw it."""
        if self.published_at is None or self.published_at > self.first_seen_at:
            return self.first_seen_at
        return self.published_at


@lru_cache(maxsize=1024)
def _source(feed_title: str, feed_url: str) -> str:
    """The ``source`` field: the feed's title and host (computed once per feed)."""
    return f"{feed_title} {urlsplit(feed_url).hostname or ''}"


@lru_cache(maxsize=1024)
def _shared_field(text: str) -> TextField:
    """A field shared by many entries (a feed's source, an owner's folders), normalised once."""
    return TextField(text)


@dataclass
class EntryDocument:
    """An entry as one rule owner sees it: with their folders for it."""

    entry: EntryText
    folders: Sequence[str] = ()

    def _field(self, name: str) -> TextField:
        return _shared_field(" | ".join(self.folders)) if name == "folder" else self.entry.text_field(name)

    def raw(self, name: str) -> str:
        return self._field(name).raw

    def joined(self, name: str) -> str:
        return self._field(name).joined

    def token_set(self, name: str) -> AbstractSet[str]:
        return self._field(name).token_set

    def folded(self, name: str) -> str:
        return self._field(name).folded

    @property
    def language(self) -> str:
        return self.entry.language or ""


class EntryBatch:
    """Entries matched together (a refresh's new entries, a dry run's stored ones).

    Answers « which entries hold this token in this field? » once per (field, token) for every
    rule of the pass, so that a rule is evaluated with set operations (``query.Node.select``) and
    only the entries a phrase or a regular expression may match are looked at one by one.
    ``index`` builds the postings of every token the pass's rules ask for in one walk per field;
    a feed's ``source`` field is normalised once for all its entries.
    """

    def __init__(self, entries: Sequence[EntryText]) -> None:
        self.entries = list(entries)
        self._by_feed: dict[int, list[int]] = {}
        for i, entry in enumerate(self.entries):
            self._by_feed.setdefault(entry.feed_id, []).append(i)
        self._positions: dict[tuple[str, str], set[int]] = {}
        self._containing: dict[tuple[str, str], set[int]] = {}
        self._folded: dict[str, list[str]] = {}

    def in_feeds(self, feed_ids: Iterable[int]) -> set[int]:
        """Positions of the entries of these feeds."""
        found: set[int] = set()
        for feed_id in feed_ids:
            found.update(self._by_feed.get(feed_id, ()))
        return found

    def document(self, position: int, scope: Mapping[int, Sequence[str]]) -> EntryDocument:
        """The entry at ``position`` as an owner with these folders per feed sees it."""
        entry = self.entries[position]
        return EntryDocument(entry, scope.get(entry.feed_id, ()))

    def index(self, pairs: Iterable[tuple[str, str]]) -> None:
        """Postings of these (field, token) pairs, in one walk per field.

        Each text contributes ``its tokens ∩ the wanted ones`` (a C-level set operation); its
        token list is not kept.
        """
        wanted: dict[str, set[str]] = {}
        for name, word in pairs:
            if (name, word) not in self._positions:
                wanted.setdefault(name, set()).add(word)
        for name, words in wanted.items():
            todo = frozenset(words)
            postings: dict[str, set[int]] = {w: set() for w in todo}
            if name == "source":
                for positions in self._by_feed.values():
                    for word in todo.intersection(tokens(self.entries[positions[0]].source)):
                        postings[word].update(positions)
            else:
                for i, entry in enumerate(self.entries):
                    for word in todo.intersection(tokens(entry.raw(name))):
                        postings[word].add(i)
            self._positions.update(((name, w), found) for w, found in postings.items())

    def positions(self, name: str, token: str) -> set[int]:
        found = self._positions.get((name, token))
        if found is None:
            self.index([(name, token)])
            found = self._positions[(name, token)]
        return found

    def containing(self, name: str, literal: str) -> set[int]:
        """Positions of the entries whose case-folded ``name`` field contains ``literal``."""
        key = (name, literal)
        found = self._containing.get(key)
        if found is None:
            folded = self._folded.get(name)
            if folded is None:
                folded = self._folded[name] = [e.raw(name).casefold() for e in self.entries]
            found = self._containing[key] = {i for i, text in enumerate(folded) if literal in text}
        return found


class Located(NamedTuple):
    """A normalised token and where its word sits in the original text."""

    token: str
    start: int
    end: int


class _WordTokens(dict):
    """Word of a text → its tokens, normalised once per distinct word (emptied when full)."""

    def __missing__(self, word: str) -> tuple[str, ...]:
        if len(self) >= 100_000:
            self.clear()
        found = self[word] = tuple(tokens(word))
        return found


_WORD_TOKENS = _WordTokens()


def locate_tokens(text: str) -> list[Located]:
    """The tokens of ``text`` with the character span of the word each comes from (for snippets)."""
    known = _WORD_TOKENS
    return [Located(token, *m.span()) for m in _WORD.finditer(text) for token in known[m.group()]]


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
    i, feed_id, title, summary, content, author, language, link, feed_title, url, published, seen = row
    return EntryText(
        i,
        feed_id,
        title or "",
        summary or "",
        content or "",
        author or "",
        language or "",
        link or "",
        feed_title or "",
        url or "",
        published,
        seen,
    )


_BY_IDS = (
    select(*_columns())
    .join(Feed, Feed.id == Entry.feed_id)
    .where(Entry.id.in_(bindparam("ids", expanding=True)))
    .order_by(Entry.id)
)


def load_entries(session: Session, entry_ids: Iterable[int]) -> list[EntryText]:
    """The entries with these ids, in id order, by batches.

    Read through the session's connection: plain rows, without the ORM's result layer (ids exist
    only once their entries are flushed, so there is nothing to autoflush first).
    """
    ids = sorted(set(entry_ids))
    connection = session.connection()
    found: list[EntryText] = []
    for start in range(0, len(ids), ENTRY_BATCH):
        rows = connection.execute(_BY_IDS, {"ids": ids[start : start + ENTRY_BATCH]})
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
