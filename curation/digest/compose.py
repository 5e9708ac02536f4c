"""Building a list's draft: select the window's entries, rank them, keep the best N, translate.

Translation goes through the shared translation service (memory first, provider for the rest):
the wall and the digest share the memory, so a title translated on the wall costs nothing here.
When translation fails, the original stays and the draft carries a French notice.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.bundled_images import shareable_image
from curation.digest.board_sources import board_candidates, board_items, pin_source
from curation.digest.draft import DigestDraft, DigestItem, SourceLink
from curation.digest.lists import owned_list
from curation.digest.models import DigestList
from curation.digest.queue import QUEUED_SECTION, queued_in_window
from curation.digest.ranking import Source, Story, Topics, rank_stories, top_stories
from curation.digest.selection import list_sources, load_candidates, window_start
from curation.models import Entry
from curation.sanitize import squeeze, to_text
from curation.translation.providers import ProviderConfig, TranslationError, provider_config
from curation.translation.service import translate_texts
from curation.urls import web_url
from workbench.access import Actor
from workbench.db import utcnow
from workbench.localtime import local
from workbench.models import Cohort
from workbench.numbers import quantity
from workbench.public_address import public_base_url

SUMMARY_CHARS = 300
TITLE_CHARS = 300
MAX_SOURCES_SHOWN = 5
_SENTENCE_END = re.compile(r"(?<=[.!?…])\s+")


def short_summary(text: str, limit: int = SUMMARY_CHARS) -> str:
    """The first sentences of ``text`` within ``limit`` characters (a cut sentence ends with « … »)."""
    text = squeeze(text or "")
    if len(text) <= limit:
        return text
    kept = ""
    for sentence in _SENTENCE_END.split(text):
        if len(kept) + len(sentence) + 1 > limit:
            break
        kept = f"{kept} {sentence}".strip()
    if kept:
        return kept
    return text[:limit].rsplit(" ", 1)[0].rstrip(",;:") + "…"


def paris_day(moment: datetime):
    """The day ``moment`` falls on where people are (the installation's time zone)."""
    return local(moment).date()


def _sources_of(story: Story, sources: dict[int, Source]) -> list[SourceLink]:
    links: dict[int | str, SourceLink] = {}
    for c in [story.lead, *story.entries]:
        if c.feed_id in sources:
            links.setdefault(c.feed_id, SourceLink(sources[c.feed_id].name or "Source", web_url(c.link)))
        else:  # a pin, or an entry of a feed the list does not draw from
            link = pin_source(c)
            links.setdefault(link.name.casefold(), link)
    return list(links.values())


def _items(session: Session, stories: list[Story], sources: dict[int, Source]) -> list[DigestItem]:
    """The kept stories as items: summaries read whole for these few entries only (the plain text
    of the summary, else of the extracted article)."""
    texts = {
        entry_id: to_text(summary) or to_text(extracted or "")
        for entry_id, summary, extracted in session.execute(
            select(Entry.id, Entry.summary, Entry.extracted_text).where(
                Entry.id.in_([s.lead.entry_id for s in stories if s.lead.entry_id is not None])
            )
        )
    }
    items = []
    for story in stories:
        lead = story.lead
        text = texts.get(lead.entry_id, "") if lead.entry_id is not None else ""
        items.append(
            DigestItem(
                entry_id=lead.entry_id,
                title=(lead.title or "Sans titre")[:TITLE_CHARS],
                summary=short_summary(text or to_text(lead.summary)),
                link=web_url(lead.link),
                section=story.section,
                sources=_sources_of(story, sources),
                image_url=shareable_image(lead.image_url),
                language=lead.language,
                published_at=lead.published_at,
                score=story.score,
                topics=story.topics,
                note=story.note,
                pick=story.pick,
            )
        )
    return items


def _queued_stories(
    session: Session, list_id: int, feed_ids: list[int], start: datetime, now: datetime, limit: int
) -> tuple[list[Story], int]:
    """Entries queued for the list in this window (from its sources), first come first; and how
    many did not fit in ``limit``."""
    queued = queued_in_window(session, list_id, start, now)
    if not queued:
        return [], 0
    found = {c.entry_id: c for c in load_candidates(session, feed_ids, start, now, entry_ids=list(queued))}
    chosen = [found[i] for i in queued if i in found]
    stories = [
        Story(key=f"q{c.entry_id}", entries=[c], lead=c, section=QUEUED_SECTION) for c in chosen[:limit]
    ]
    return stories, max(0, len(chosen) - limit)


def translate_items(
    session: Session, actor: Actor | None, items: list[DigestItem], config: ProviderConfig | None
) -> list[str]:
    """Titles and summaries of items in another language, into French; French notices returned."""
    foreign = [i for i in items if i.language and not i.language.startswith("fr")]
    if not foreign:
        return []
    try:
        config = config or provider_config()
    except TranslationError as exc:
        return [f"Titres et résumés laissés dans leur langue : {exc}"]
    notices: list[str] = []
    by_language: dict[str, list[DigestItem]] = {}
    for item in foreign:
        by_language.setdefault(item.language if item.language == "en" else "auto", []).append(item)
    for source, group in by_language.items():
        texts = [t for item in group for t in (item.title, item.summary)]
        run = translate_texts(session, texts, source=source, actor=actor, config=config)
        for k, item in enumerate(group):
            title, summary = run.items[2 * k], run.items[2 * k + 1]
            if title.ok and title.translated and title.translated != item.title:
                item.original_title, item.title = item.title, title.translated
            if summary.ok and summary.translated:
                item.summary = summary.translated
        if run.message:
            notices.append(run.message)  # how many texts, why, and who can fix it
    return notices


def build_draft(
    session: Session,
    actor: Actor,
    list_id: int,
    *,
    since: timedelta | None = None,
    now: datetime | None = None,
    translation: ProviderConfig | None = None,
    translate: bool | None = None,
) -> DigestDraft:
    """The digest ``actor``'s list would send now (nothing stored, nothing sent): the window's new
    entries of its feeds and new pins of its boards, ranked; the trainer's picks first."""
    row = owned_list(session, actor, list_id)
    return draft_of_list(
        session, actor, row, since=since, now=now, translation=translation, translate=translate
    )


def draft_of_list(
    session: Session,
    actor: Actor,
    row: DigestList,
    *,
    since: timedelta | None = None,
    now: datetime | None = None,
    translation: ProviderConfig | None = None,
    translate: bool | None = None,
) -> DigestDraft:
    """``build_draft`` for a list row the caller checked ``actor`` owns; the row may be unsaved
    (``curation.digest.lists.every_source_list``: the CLI's digest when no list exists)."""
    now = now or utcnow()
    sources = list_sources(session, actor, row)
    start = window_start(session, row, now, since, paris_day(now))
    candidates = load_candidates(session, list(sources), start, now)
    queued, left_out = _queued_stories(session, row.id, list(sources), start, now, row.max_items)
    taken = {story.lead.entry_id for story in queued}
    candidates = [c for c in candidates if c.entry_id not in taken]
    pinned, notices = board_candidates(session, actor, list(row.board_ids or []), start, now)
    stories = rank_stories(
        candidates + pinned,
        sources=sources,
        topics=Topics(tuple(row.keywords or ()), tuple(row.tags or ())),
        weights={int(k): float(v) for k, v in (row.source_weights or {}).items()},
        now=now,
        section_by=row.section_by,
    )
    items = _items(session, queued + top_stories(stories, row.max_items - len(queued)), sources)
    if left_out:
        notices.append(
            f"{quantity(left_out, 'autre article sélectionné', 'autres articles sélectionnés')} par une règle "
            f"{'n’a' if left_out < 2 else 'n’ont'} pas trouvé de place\u00a0: "
            "augmentez le nombre d’articles de la liste pour les voir."
        )
    if not sources and not row.board_ids:
        notices.append(
            "Aucune source suivie\u00a0: abonnez-vous à des flux (page Sources, ou "
            "python -m curation refresh --opml mes-flux.opml)."
            if row.id is None  # no list yet: the digest of every source
            else "Cette liste n’a aucune source\u00a0: abonnez-vous à des flux (page Sources) "
            "ou choisissez des sources dans les réglages de la liste."
        )
    if translate if translate is not None else row.translate:
        notices += translate_items(session, actor, items, translation)
    return _draft(session, row, now, start, items, len(candidates) + len(pinned) + len(queued), notices)


def build_board_draft(
    session: Session,
    actor: Actor,
    list_id: int,
    board_id: int,
    *,
    now: datetime | None = None,
    translation: ProviderConfig | None = None,
    translate: bool | None = None,
) -> DigestDraft:
    """A digest of one board's pins (board order, its sections, the notes), for the list's
    recipients: what « composer à partir d’un tableau » previews, reorders and sends."""
    row = owned_list(session, actor, list_id)
    now = now or utcnow()
    start = window_start(session, row, now, None, paris_day(now))
    board_title, items = board_items(session, actor, board_id, now)
    for item in items:
        item.summary = short_summary(item.summary)
    notices = (
        translate_items(session, actor, items, translation)
        if (translate if translate is not None else row.translate)
        else []
    )
    draft = _draft(session, row, now, start, items, len(items), notices)
    draft.board_title = board_title
    return draft


def _draft(
    session: Session,
    row: DigestList,
    now: datetime,
    start: datetime,
    items: list[DigestItem],
    candidate_count: int,
    notices: list[str],
) -> DigestDraft:
    cohort_name = (
        session.scalar(select(Cohort.name).where(Cohort.id == row.cohort_id)) if row.cohort_id else ""
    )
    return DigestDraft(
        list_id=row.id,
        list_name=row.name,
        day=paris_day(now),
        window_start=start,
        window_end=now,
        items=items,
        intro=row.intro,
        candidate_count=candidate_count,
        notices=notices,
        app_url=web_url(public_base_url(session)),
        cohort_name=cohort_name or "",
    )
