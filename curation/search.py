"""Full-text search over entries (title, summary, article text) that understands French.

Query syntax, as people type it: words (all must match), ``"exact phrase"``, ``OR`` (or ``OU``)
between alternatives, ``-word`` or ``-"phrase"`` to exclude. Results: the person's visible entries
only, best match first, then newest.

Very wide queries: when more than ``WIDE_QUERY`` (2,000) of the entries a person may see under
their filters match (a common word: « TikTok » matches one entry in nine), the ``WIDE_QUERY`` most
recently stored of them come first, best first, then the older ones, best first. Ranking every
match is what made such a search slow (bm25 scores each one), and in a news watch the best of the
2,000 latest matches (40 pages) is what people look for; older matches stay reachable on the next
pages, and a narrower query (one more word, a date range) ranks them all again.

Storage:
- SQLite: an FTS5 table ``entry_fts`` holds the text normalised by ``curation.textnorm`` (accents,
  elisions, plurals), and queries are normalised by the same function. SQLite triggers cannot run
  Python, so triggers on ``entries`` put every written entry id in ``entry_fts_queue`` (whoever
  writes: ORM, Core upserts, raw SQL) and ``sync_index`` turns the queue into index rows. It runs
  just before a session commits after writing entries (same transaction: the index never drifts
  from the entries) and before every search (catches writes made outside this library). Beside the
  index, the plain table ``entry_fts_meta`` copies each indexed entry's feed, sort date and language:
  a search filters, ranks and cuts its page over the index and that narrow table, and joins only
  the page to ``entries``. (Not UNINDEXED FTS5 columns: FTS5 reads those by fetching the whole
  stored row, text included, which cost twice the ranking on a query matching thousands of entries.)
- PostgreSQL: a generated ``tsvector`` column (French stemming with ``unaccent``) and a GIN index;
  the database keeps it in sync by itself.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import (
    Column,
    ColumnElement,
    Integer,
    MetaData,
    Select,
    Table,
    Text,
    event,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.orm import ORMExecuteState, Session

from curation.models import Entry, Feed
from curation.sanitize import to_text
from curation.textnorm import PHRASE_QUOTES, normalise_for_search, tokens
from curation.visibility import EntryColumns, EntryFilters, entry_columns, entry_date, filter_entries
from workbench.access import Actor
from workbench.db import UTCDateTime

__all__ = [
    "ParsedQuery",
    "SearchResult",
    "Term",
    "match_ranking",
    "parse_query",
    "rebuild_index",
    "search",
    "sync_index",
]

PG_CONFIG = "atelier_french"
TITLE_WEIGHT = 4.0  # a word in the title counts four times a word in the body (SQLite bm25)
# A query matching more entries than this ranks the most recently stored ones first.
WIDE_QUERY = 2000

# Not part of the ORM metadata: created by the "search" migrations, SQLite only.
_fts_metadata = MetaData()
entry_fts = Table(
    "entry_fts", _fts_metadata, Column("rowid", Integer), Column("title", Text), Column("body", Text)
)
# One row per indexed entry: what search filters and sorts by, read by rowid beside the index.
entry_fts_meta = Table(
    "entry_fts_meta",
    _fts_metadata,
    Column("entry_id", Integer, primary_key=True),
    Column("feed_id", Integer),
    Column("at", UTCDateTime),
    Column("language", Text),
)
entry_fts_queue = Table("entry_fts_queue", _fts_metadata, Column("entry_id", Integer, primary_key=True))

# a phrase in any of PHRASE_QUOTES (« … » with or without its non-breaking spaces), else a word
_QUERY_PART = re.compile(
    "-?(?:"
    + "|".join(f"{re.escape(o)}[^{re.escape(c)}]*{re.escape(c)}?" for o, c in PHRASE_QUOTES.items())
    + r")|\S+"
)
_OR_WORDS = {"OR", "OU", "|"}


@dataclass(frozen=True)
class Term:
    """One word or phrase of a query: as typed (for PostgreSQL) and normalised (for SQLite)."""

    raw: str
    tokens: tuple[str, ...]
    phrase: bool = False


@dataclass
class ParsedQuery:
    """All ``clauses`` must match (each clause: any of its terms); no ``excluded`` term may."""

    clauses: list[list[Term]] = field(default_factory=list)
    excluded: list[Term] = field(default_factory=list)

    @property
    def empty(self) -> bool:
        return not self.clauses and not self.excluded


def parse_query(query: str) -> ParsedQuery:
    """Parse what a person typed; anything unusual degrades to plain words, never to an error."""
    parsed = ParsedQuery()
    join_next = False
    for part in _QUERY_PART.findall(query or ""):
        if part in _OR_WORDS:
            join_next = bool(parsed.clauses)
            continue
        negative = part.startswith("-") and len(part) > 1
        body = part[1:] if negative else part
        phrase = body[:1] in PHRASE_QUOTES
        raw = body[1:].removesuffix(PHRASE_QUOTES[body[0]]).strip() if phrase else body
        term = Term(raw=raw, tokens=tuple(tokens(raw)), phrase=phrase)
        if not term.tokens:
            join_next = False
            continue
        if negative:
            parsed.excluded.append(term)
        elif join_next:
            parsed.clauses[-1].append(term)
        else:
            parsed.clauses.append([term])
        join_next = False
    return parsed


# --- SQLite index maintenance -------------------------------------------------------------


def _is_sqlite(session: Session) -> bool:
    return session.get_bind().dialect.name == "sqlite"


def _index_row(entry_id: int, title: str, summary: str, content: str, extracted: str | None) -> dict:
    body = f"{to_text(summary)}\n{extracted or to_text(content)}"
    return {"rowid": entry_id, "title": normalise_for_search(title or ""), "body": normalise_for_search(body)}


def sync_index(session: Session, batch: int = 500) -> int:
    """Index the entries written since the last sync (SQLite; no-op on PostgreSQL). Returns a count."""
    if not _is_sqlite(session):
        return 0
    done = 0
    while True:
        ids = list(session.scalars(select(entry_fts_queue.c.entry_id).limit(batch)))
        if not ids:
            return done
        rows = session.execute(
            select(
                Entry.id,
                Entry.feed_id,
                entry_date(),
                Entry.language,
                Entry.title,
                Entry.summary,
                Entry.content,
                Entry.extracted_text,
            ).where(Entry.id.in_(ids))
        ).all()
        session.execute(entry_fts.delete().where(entry_fts.c.rowid.in_(ids)))
        session.execute(entry_fts_meta.delete().where(entry_fts_meta.c.entry_id.in_(ids)))
        if rows:
            session.execute(entry_fts.insert(), [_index_row(row[0], *row[4:]) for row in rows])
            session.execute(
                entry_fts_meta.insert(),
                [{"entry_id": i, "feed_id": f, "at": at, "language": lang} for i, f, at, lang, *_ in rows],
            )
        session.execute(entry_fts_queue.delete().where(entry_fts_queue.c.entry_id.in_(ids)))
        done += len(ids)


def rebuild_index(session: Session) -> int:
    """Re-index every entry (after a change of the normalisation rules). Returns a count."""
    if not _is_sqlite(session):
        return 0
    session.execute(text("INSERT OR IGNORE INTO entry_fts_queue (entry_id) SELECT id FROM entries"))
    return sync_index(session)


_DIRTY = "atelier_search_dirty"


@event.listens_for(Session, "after_flush")
def _note_entry_flush(session: Session, _context: object) -> None:
    if any(isinstance(obj, Entry) for obj in (*session.new, *session.dirty)):
        session.info[_DIRTY] = True


@event.listens_for(Session, "do_orm_execute")
def _note_entry_statement(state: ORMExecuteState) -> None:
    if (state.is_insert or state.is_update) and getattr(state.statement, "table", None) is Entry.__table__:
        state.session.info[_DIRTY] = True


@event.listens_for(Session, "before_commit")
def _sync_before_commit(session: Session) -> None:
    if session.info.pop(_DIRTY, False):
        sync_index(session)


# --- Matching -----------------------------------------------------------------------------


def _fts_item(term: Term) -> str:
    return '"' + " ".join(term.tokens) + '"'  # tokens are [a-z0-9]+: nothing to escape


def _fts_any(terms: list[Term]) -> str:
    return "(" + " OR ".join(_fts_item(t) for t in terms) + ")"


def _pg_item(term: Term) -> ColumnElement:
    config = literal_column(f"'{PG_CONFIG}'::regconfig")
    fn = func.phraseto_tsquery if term.phrase else func.plainto_tsquery
    return fn(config, term.raw)


def _pg_any(terms: list[Term]) -> ColumnElement:
    query = _pg_item(terms[0])
    for term in terms[1:]:
        query = func.tsquery_or(query, _pg_item(term))
    return query


def _fts_expression(parsed: ParsedQuery) -> str:
    expr = " AND ".join(_fts_any(c) for c in parsed.clauses)
    return f"({expr}) NOT {_fts_any(parsed.excluded)}" if parsed.excluded else expr


def _bm25() -> ColumnElement[float]:
    """FTS5's bm25 (lower is better), weights for title and body."""
    return func.bm25(literal_column("entry_fts"), TITLE_WEIGHT, 1.0)


def match_ranking(session: Session, parsed: ParsedQuery):
    """A subquery ``(entry_id, rank)`` of the entries matching ``parsed``: lower rank is better."""
    if _is_sqlite(session):
        fts = literal_column("entry_fts")
        if parsed.clauses:
            expr = _fts_expression(parsed)
            rank = _bm25()
            # Materialised: SQLite must not fold bm25() into an outer GROUP BY (it cannot run there).
            return (
                select(entry_fts.c.rowid.label("entry_id"), rank.label("rank"))
                .where(fts.op("MATCH")(expr))
                .cte("fts_match")
                .prefix_with("MATERIALIZED")
            )
        excluded = select(entry_fts.c.rowid).where(fts.op("MATCH")(_fts_any(parsed.excluded)))
        return (
            select(Entry.id.label("entry_id"), literal_column("0.0").label("rank"))
            .where(Entry.id.not_in(excluded))
            .subquery()
        )
    vector = literal_column("entries.search_vector")
    query = None
    for clause in parsed.clauses:
        part = _pg_any(clause)
        query = part if query is None else func.tsquery_and(query, part)
    if query is not None:
        condition = vector.op("@@")(query)
        rank = -func.ts_rank_cd(vector, query)
    else:
        condition, rank = None, literal_column("0.0")
    if parsed.excluded:
        no = ~vector.op("@@")(_pg_any(parsed.excluded))
        condition = no if condition is None else condition & no
    return select(Entry.id.label("entry_id"), rank.label("rank")).where(condition).subquery()


@dataclass(frozen=True)
class SearchResult:
    entry_id: int
    title: str
    link: str
    feed_id: int
    feed_title: str
    published_at: datetime | None
    language: str
    story_id: int | None
    rank: float


def _matches(
    session: Session, actor: Actor, parsed: ParsedQuery, filters: EntryFilters | None
) -> tuple[Select, EntryColumns]:
    """``(entry_id, rank, at)`` of the actor's visible entries matching ``parsed`` and ``filters``,
    not sorted, and where the statement reads each entry's columns. On SQLite, read from the index
    and its metadata table only: the page is joined to ``entries`` afterwards."""
    if _is_sqlite(session) and parsed.clauses:
        meta = entry_fts_meta.c
        stmt = (
            select(entry_fts.c.rowid.label("entry_id"), _bm25().label("rank"), meta.at.label("at"))
            .select_from(entry_fts)
            .join(entry_fts_meta, meta.entry_id == entry_fts.c.rowid)
            .where(literal_column("entry_fts").op("MATCH")(_fts_expression(parsed)))
        )
        columns = EntryColumns(entry_fts.c.rowid, meta.feed_id, meta.at, meta.language)
    else:
        ranking = match_ranking(session, parsed)
        stmt = select(Entry.id.label("entry_id"), ranking.c.rank, entry_date().label("at")).join(
            ranking, ranking.c.entry_id == Entry.id
        )
        columns = entry_columns()
    return filter_entries(stmt, session, actor, filters, columns), columns


def _recent_window(session: Session, matches: Select, columns: EntryColumns) -> tuple[int, int, int]:
    """``(count, lowest id, highest id)`` of the ``WIDE_QUERY`` most recently stored ``matches``
    (all of them when fewer match). Walks the matches newest first and ranks none of them."""
    newest = (
        matches.with_only_columns(columns.id.label("id"))
        .order_by(columns.id.desc())
        .limit(WIDE_QUERY)
        .subquery()
    )
    count, low, high = session.execute(
        select(func.count(), func.min(newest.c.id), func.max(newest.c.id))
    ).one()
    return count, low, high


def _page(session: Session, matches: Select, limit: int, offset: int) -> list[SearchResult]:
    """One page of ``matches``, best first, then newest; only that page is joined to ``entries``."""
    if limit <= 0:
        return []
    found = matches.selected_columns
    page = (
        matches.order_by(found.rank, found.at.desc(), found.entry_id.desc())
        .limit(limit)
        .offset(offset)
        .cte("search_page")
        .prefix_with("MATERIALIZED")
    )
    stmt = (
        select(
            Entry.id,
            Entry.title,
            Entry.link,
            Entry.feed_id,
            Feed.title,
            Entry.published_at,
            Entry.language,
            Entry.story_id,
            page.c.rank,
        )
        .join(page, page.c.entry_id == Entry.id)
        .join(Feed, Feed.id == Entry.feed_id)
        .order_by(page.c.rank, page.c.at.desc(), Entry.id.desc())
    )
    return [SearchResult(*row) for row in session.execute(stmt)]


def search(
    session: Session,
    actor: Actor,
    query: str,
    filters: EntryFilters | None = None,
    *,
    limit: int = 50,
    offset: int = 0,
) -> list[SearchResult]:
    """The actor's visible entries matching ``query`` and ``filters``: best first, then newest.

    A query matching more than ``WIDE_QUERY`` entries ranks the most recent ones first (see the
    module docstring): ranking every match of a very common word is what made search slow."""
    parsed = parse_query(query)
    if parsed.empty:
        return []
    sync_index(session)
    matches, columns = _matches(session, actor, parsed, filters)
    if not parsed.clauses:
        return _page(session, matches, limit, offset)
    # Every match lies between the ids found by the cheap walk: the ranking reads no other part
    # of the index (what a date filter or a selective source filter cuts most).
    count, low, high = _recent_window(session, matches, columns)
    if count == 0:
        return []
    found = _page(session, matches.where(columns.id.between(low, high)), limit, offset)
    if count < WIDE_QUERY or len(found) == limit:
        return found
    # The page runs past the WIDE_QUERY recent matches: continue with the older ones, best first.
    older = matches.where(columns.id < low)
    return found + _page(session, older, limit - len(found), max(0, offset - WIDE_QUERY))
