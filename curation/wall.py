"""The wall: a person's visible entries as cards, one card per story, with per-person states.

A story carried by several outlets is one card listing every source (« 3 sources »); marking
the card read marks every entry of the story read. ``entries_dataframe`` and
``stories_dataframe`` give the same data to notebooks.
"""

from __future__ import annotations

import html
import re
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime

import pandas as pd
from sqlalchemy import Select, and_, func, literal, select, true
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session, aliased

from curation.models import Entry, EntryState, Feed
from curation.sanitize import sanitize_html, to_text
from curation.search import match_ranking, parse_query, sync_index
from curation.stories import clean_title, list_stories
from curation.urls import canonical_url
from curation.visibility import EntryFilters, entry_date, filter_entries
from workbench.access import Actor, visible_cohort_ids
from workbench.db import UTCDateTime, utcnow
from workbench.errors import NotFound

__all__ = [
    "Card",
    "CardSource",
    "Reading",
    "WallPage",
    "entries_dataframe",
    "hide",
    "mark_all_read",
    "mark_read",
    "reading_view",
    "set_saved",
    "stories_dataframe",
    "wall",
]

SNIPPET_CHARS = 280


@dataclass(frozen=True)
class CardSource:
    entry_id: int
    feed_id: int
    feed_title: str
    link: str
    published_at: datetime | None


@dataclass(frozen=True)
class Card:
    """One story on the wall (a single entry is a story with one source)."""

    entry_id: int  # the entry shown: the story's first telling that matches the filters
    story_id: int
    title: str
    snippet: str
    link: str
    image_url: str
    published_at: datetime | None
    language: str
    sources: list[CardSource]
    read: bool
    saved: bool

    @property
    def source_count(self) -> int:
        return len({s.feed_id for s in self.sources})

    @property
    def entry_ids(self) -> list[int]:
        return [s.entry_id for s in self.sources]


@dataclass(frozen=True)
class WallPage:
    cards: list[Card]
    total: int  # stories matching, over all pages
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _story_key():
    return func.coalesce(Entry.story_id, Entry.id)


def _visible(
    session: Session,
    actor: Actor,
    filters: EntryFilters | None,
    query: str,
    cohorts: list[int] | None = None,
) -> tuple[Select, object]:
    """Visible, filtered entries (and the search ranking subquery when there is a query)."""
    stmt = select(Entry.id)
    ranking = None
    parsed = parse_query(query)
    if not parsed.empty:
        sync_index(session)
        ranking = match_ranking(session, parsed)
        stmt = stmt.join(ranking, ranking.c.entry_id == Entry.id)
    return filter_entries(stmt, session, actor, filters, cohorts=cohorts), ranking


def wall(
    session: Session,
    actor: Actor,
    filters: EntryFilters | None = None,
    query: str = "",
    *,
    page: int = 1,
    per_page: int = 30,
) -> WallPage:
    """One page of story cards: newest first, or best match first when searching."""
    page, per_page = max(1, page), max(1, min(per_page, 200))
    cohorts = visible_cohort_ids(session, actor)  # read once for the page and its cards
    base, ranking = _visible(session, actor, filters, query, cohorts)
    matching = base.add_columns(_story_key().label("story"), entry_date().label("at"))
    if ranking is not None:
        matching = matching.add_columns(ranking.c.rank.label("rank"))
    sub = matching.subquery()
    order = [func.max(sub.c.at).desc(), sub.c.story.desc()]
    if ranking is not None:
        order.insert(0, func.min(sub.c.rank))
    rows = session.execute(  # the page's stories and, beside each, how many stories match in all
        select(sub.c.story, func.count().over().label("total"))
        .group_by(sub.c.story)
        .order_by(*order)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    keys = [row.story for row in rows]
    # past the last page (or nothing matches): counted apart
    total = rows[0].total if rows else session.scalar(select(func.count(func.distinct(sub.c.story)))) or 0
    matched = set(session.scalars(select(sub.c.id).where(sub.c.story.in_(keys)))) if keys else set()
    return WallPage(_cards(session, actor, keys, matched, cohorts), total, page, per_page)


_CARD_COLUMNS = (  # what a card shows: not the entries' content, never loaded as objects
    Entry.id,
    Entry.story_id,
    Entry.feed_id,
    Entry.title,
    Entry.summary,
    Entry.extracted_text,
    Entry.link,
    Entry.image_url,
    Entry.published_at,
    Entry.first_seen_at,
    Entry.language,
)


def _cards(
    session: Session, actor: Actor, keys: list[int], matched: set[int], cohorts: list[int]
) -> list[Card]:
    """The cards of these stories; each shows its first telling among the ``matched`` entries
    (those the filters and search kept: on a wall filtered on English, the English telling)."""
    if not keys:
        return []
    state = aliased(EntryState)  # apart from the states the visibility rule reads in subqueries
    visible = filter_entries(
        select(*_CARD_COLUMNS, Feed.title.label("feed_title"), state.read, state.saved)
        .join(Feed, Feed.id == Entry.feed_id)
        .outerjoin(state, and_(state.entry_id == Entry.id, state.user_id == actor.id))
        .where(_story_key().in_(keys)),
        session,
        actor,
        EntryFilters(include_hidden=False),
        cohorts=cohorts,
    )
    rows = session.execute(visible).all()
    states = {e.id: (bool(e.read), bool(e.saved)) for e in rows}
    groups: dict[int, list] = defaultdict(list)
    for entry in rows:
        groups[entry.story_id or entry.id].append((entry, entry.feed_title))
    cards = []
    for key in keys:
        members = sorted(
            groups.get(key, []), key=lambda m: (m[0].published_at or m[0].first_seen_at, m[0].id)
        )
        if not members:
            continue
        first = next((e for e, _ in members if e.id in matched), members[0][0])
        sources = [CardSource(e.id, e.feed_id, t or "", e.link, e.published_at) for e, t in members]
        member_states = [states.get(e.id, (False, False)) for e, _ in members]
        snippet = to_text(first.summary) or (first.extracted_text or "")
        cards.append(
            Card(
                entry_id=first.id,
                story_id=key,
                title=clean_title(first.title) if len(members) > 1 else first.title,
                snippet=snippet[:SNIPPET_CHARS] + ("…" if len(snippet) > SNIPPET_CHARS else ""),
                link=first.link,
                image_url=next((e.image_url for e, _ in members if e.image_url), ""),
                published_at=first.published_at or first.first_seen_at,
                language=first.language,
                sources=sources,
                read=all(read for read, _ in member_states),
                saved=any(saved for _, saved in member_states),
            )
        )
    return cards


# --- States -------------------------------------------------------------------------------


def _require_visible(session: Session, actor: Actor, entry_ids: list[int]) -> list[int]:
    found = list(
        session.scalars(
            filter_entries(
                select(Entry.id).where(Entry.id.in_(entry_ids)),
                session,
                actor,
                EntryFilters(include_hidden=True),
            )
        )
    )
    if len(set(found)) != len(set(entry_ids)):
        raise NotFound("Cet article n’existe pas ou ne fait pas partie de vos sources.")
    return found


def _set_state(session: Session, actor: Actor, entry_ids: list[int], **values: bool) -> None:
    ids = _require_visible(session, actor, entry_ids)
    existing = {
        s.entry_id: s
        for s in session.scalars(
            select(EntryState).where(EntryState.user_id == actor.id, EntryState.entry_id.in_(ids))
        )
    }
    for entry_id in ids:
        state = existing.get(entry_id)
        if state is None:
            state = EntryState(user_id=actor.id, entry_id=entry_id, read=False, saved=False, hidden=False)
            session.add(state)
        for name, value in values.items():
            setattr(state, name, value)
    session.flush()


def _story_members(session: Session, actor: Actor, entry_id: int) -> list[int]:
    """The entry and the other entries of its story that the actor sees."""
    entry = session.get(Entry, entry_id)
    if entry is None:
        raise NotFound("Cet article n’existe pas ou ne fait pas partie de vos sources.")
    _require_visible(session, actor, [entry_id])
    if entry.story_id is None:
        return [entry_id]
    stmt = select(Entry.id).where(Entry.story_id == entry.story_id)
    return list(session.scalars(filter_entries(stmt, session, actor, EntryFilters(include_hidden=True))))


def mark_read(session: Session, actor: Actor, entry_id: int, read: bool = True) -> None:
    """Mark an entry — and the rest of its story — read (or unread) for this person."""
    _set_state(session, actor, _story_members(session, actor, entry_id), read=read)


def mark_all_read(
    session: Session, actor: Actor, filters: EntryFilters | None = None, query: str = ""
) -> int:
    """« Tout marquer comme lu »: every entry the wall shows under ``filters`` and ``query`` (all
    pages), in one statement; returns how many entries became read."""
    base, _ = _visible(session, actor, filters, query)
    now = utcnow()
    rows = select(
        literal(actor.id), Entry.id, true(), literal(False), literal(False), literal(now, UTCDateTime)
    ).where(Entry.id.in_(base))
    insert = pg_insert if session.get_bind().dialect.name == "postgresql" else sqlite_insert
    stmt = insert(EntryState).from_select(
        ["user_id", "entry_id", "read", "saved", "hidden", "updated_at"], rows
    )
    stmt = stmt.on_conflict_do_update(
        index_elements=["user_id", "entry_id"],
        set_={"read": True, "updated_at": now},
        where=EntryState.read.is_(False),
    )
    # Counted from RETURNING: SQLite's rowcount is -1 when the search's WITH comes first.
    return len(session.execute(stmt.returning(EntryState.entry_id)).all())


def set_saved(session: Session, actor: Actor, entry_id: int, saved: bool = True) -> None:
    _set_state(session, actor, [entry_id], saved=saved)


def hide(session: Session, actor: Actor, entry_id: int, hidden: bool = True) -> None:
    """Take a story off this person's wall (every source of it)."""
    _set_state(session, actor, _story_members(session, actor, entry_id), hidden=hidden)


# --- Reading view -------------------------------------------------------------------------


@dataclass(frozen=True)
class Reading:
    entry_id: int
    title: str
    link: str
    feed_title: str
    published_at: datetime | None
    language: str
    image_url: str
    html: str  # sanitised: safe to render
    extracted: bool  # the article's text (True) or only the feed's summary/content (False)
    sources: list[CardSource] = field(default_factory=list)


_IMG_TAG = re.compile(r'<img(?:\s+[\w:-]+(?:="[^"]*")?)*\s*/?>')  # as the sanitiser writes them
_IMG_SRC = re.compile(r'\ssrc="([^"]*)"')


def without_image(safe_html: str, image_url: str) -> str:
    """Sanitised HTML without its copies of ``image_url``: feeds repeat their lead image in the
    text, and the reading view already shows it above."""
    if not image_url:
        return safe_html
    lead = canonical_url(image_url)

    def keep(tag: re.Match[str]) -> str:
        src = _IMG_SRC.search(tag.group())
        return "" if src and canonical_url(html.unescape(src.group(1))) == lead else tag.group()

    return _IMG_TAG.sub(keep, safe_html)


def reading_view(session: Session, actor: Actor, entry_id: int) -> Reading:
    """What the reading view shows: the extracted text when there is one, sanitised."""
    members = _story_members(session, actor, entry_id)
    entry = session.get(Entry, entry_id)
    assert entry is not None  # _story_members checked it
    feed = session.get(Feed, entry.feed_id)
    if entry.extracted_text:  # plain text: escaped into paragraphs, then through the sanitiser all the same
        body = "".join(
            f"<p>{html.escape(p.strip())}</p>" for p in entry.extracted_text.split("\n") if p.strip()
        )
    else:
        body = entry.content or entry.summary
    others = session.execute(
        select(Entry, Feed.title).join(Feed, Feed.id == Entry.feed_id).where(Entry.id.in_(members))
    ).all()
    return Reading(
        entry_id=entry.id,
        title=entry.title,
        link=entry.link,
        feed_title=feed.title if feed else "",
        published_at=entry.published_at or entry.first_seen_at,
        language=entry.language,
        image_url=entry.image_url,
        html=without_image(sanitize_html(body, base_url=entry.link or None), entry.image_url),
        extracted=bool(entry.extracted_text),
        sources=[CardSource(e.id, e.feed_id, t or "", e.link, e.published_at) for e, t in others],
    )


# --- DataFrames for notebooks -------------------------------------------------------------


def entries_dataframe(
    session: Session,
    actor: Actor,
    filters: EntryFilters | None = None,
    query: str = "",
    *,
    limit: int = 100_000,
) -> pd.DataFrame:
    """One row per visible entry: ids, source, title, text, dates, language, story, states."""
    base, _ = _visible(session, actor, filters, query)
    read = and_(EntryState.entry_id == Entry.id, EntryState.user_id == actor.id)
    stmt = (
        select(
            Entry.id.label("entry_id"),
            Entry.feed_id,
            Feed.title.label("source"),
            Entry.title,
            Entry.link,
            Entry.summary,
            Entry.extracted_text,
            Entry.published_at,
            Entry.first_seen_at,
            Entry.language,
            _story_key().label("story_id"),
            func.coalesce(EntryState.read, False).label("read"),
            func.coalesce(EntryState.saved, False).label("saved"),
        )
        .join(Feed, Feed.id == Entry.feed_id)
        .outerjoin(EntryState, read)
        .where(Entry.id.in_(base))
        .order_by(entry_date().desc())
        .limit(limit)
    )
    frame = pd.DataFrame(session.execute(stmt).mappings().all())
    if frame.empty:
        return pd.DataFrame(
            columns=[
                "entry_id",
                "feed_id",
                "source",
                "title",
                "link",
                "text",
                "published_at",
                "language",
                "story_id",
                "read",
                "saved",
            ]
        )
    frame["text"] = [
        extracted or to_text(summary)
        for summary, extracted in zip(frame["summary"], frame["extracted_text"], strict=True)
    ]
    frame["published_at"] = pd.to_datetime(frame["published_at"].fillna(frame["first_seen_at"]), utc=True)
    frame["read"] = frame["read"].astype(bool)
    frame["saved"] = frame["saved"].astype(bool)
    return frame.drop(columns=["summary", "extracted_text", "first_seen_at"])


def stories_dataframe(
    session: Session, actor: Actor, filters: EntryFilters | None = None, *, min_sources: int = 2
) -> pd.DataFrame:
    """One row per (story, source): the duplicate-story groups with each source's link."""
    rows = [
        {
            "story_id": story.story_id,
            "story_title": story.title,
            "source_count": story.source_count,
            "entry_id": src.entry_id,
            "source": src.feed_title,
            "title": src.title,
            "link": src.link,
            "published_at": src.published_at,
        }
        for story in list_stories(session, actor, filters, min_sources=min_sources)
        for src in story.sources
    ]
    columns = [
        "story_id",
        "story_title",
        "source_count",
        "entry_id",
        "source",
        "title",
        "link",
        "published_at",
    ]
    frame = pd.DataFrame(rows, columns=columns)
    frame["published_at"] = pd.to_datetime(frame["published_at"], utc=True)
    return frame
