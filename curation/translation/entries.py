"""Translating wall entries (titles, summaries, article text) for a person, or for the digest.

The wall, the reading view and the digest all go through ``translate_texts``, so they share the
translation memory: a title translated on the wall costs nothing in the evening's digest.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.models import Entry
from curation.sanitize import to_text
from curation.translation.memory import TARGET, needs_translation
from curation.translation.providers import ProviderConfig
from curation.translation.service import Progress, TranslationRun, translate_texts
from curation.visibility import EntryFilters, filter_entries
from workbench.access import Actor
from workbench.errors import NotFound


@dataclass
class EntryTranslation:
    """The French title (and summary) of one entry; ``None`` where it could not be translated."""

    entry_id: int
    title: str | None
    summary: str | None = None
    error: str | None = None


@dataclass
class EntriesRun:
    entries: dict[int, EntryTranslation] = field(default_factory=dict)
    run: TranslationRun | None = None

    @property
    def message(self) -> str | None:
        return self.run.message if self.run else None


def _visible_entries(session: Session, actor: Actor | None, entry_ids: list[int]) -> list[Entry]:
    """The entries ``actor`` sees (the wall's rule); ``None``: the digest, which selected them."""
    if not entry_ids:
        return []
    stmt = select(Entry).where(Entry.id.in_(entry_ids))
    if actor is not None:
        stmt = filter_entries(stmt, session, actor, EntryFilters(include_hidden=True))
    rows = {e.id: e for e in session.scalars(stmt)}
    return [rows[i] for i in entry_ids if i in rows]


def translate_entries(
    session: Session,
    actor: Actor | None,
    entry_ids: list[int],
    *,
    summaries: bool = False,
    memory_only: bool = False,
    config: ProviderConfig | None = None,
    progress: Progress | None = None,
) -> EntriesRun:
    """French titles (and summaries) of the entries not in French, in one batched run.

    ``memory_only`` shows what is already known (by anyone) without calling the provider: the
    wall uses it on every display, and "Traduire les titres" without it.
    """
    entries = [e for e in _visible_entries(session, actor, entry_ids) if needs_translation(e.language)]
    if not entries:
        return EntriesRun()
    texts: list[str] = []
    languages: list[str] = []
    for entry in entries:
        texts.append(entry.title)
        languages.append(entry.language or "auto")
        if summaries:
            texts.append(to_text(entry.summary))
            languages.append(entry.language or "auto")
    run = translate_texts(
        session,
        texts,
        source=languages,
        target=TARGET,
        actor=actor,
        config=config,
        memory_only=memory_only,
        progress=progress,
    )
    result = EntriesRun(run=run)
    step = 2 if summaries else 1
    for n, entry in enumerate(entries):
        title = run.items[n * step]
        summary = run.items[n * step + 1] if summaries else None
        error = title.error or (summary.error if summary else None)
        result.entries[entry.id] = EntryTranslation(
            entry.id,
            title.translated if title.source.strip() else "",
            (summary.translated if summary.source.strip() else "") if summary else None,
            error,
        )
    return result


def translate_entry_article(
    session: Session,
    actor: Actor,
    entry_id: int,
    *,
    config: ProviderConfig | None = None,
    progress: Progress | None = None,
) -> TranslationRun:
    """The reading view's text (title, then the extracted article, else the feed's content or
    summary), paragraph by paragraph, for side-by-side reading."""
    entries = _visible_entries(session, actor, [entry_id])
    if not entries:
        raise NotFound("Cet article n’existe pas ou ne fait pas partie de vos sources.")
    entry = entries[0]
    body = entry.extracted_text or to_text(entry.content or entry.summary)
    paragraphs = [line.strip() for line in body.split("\n") if line.strip()]
    return translate_texts(
        session,
        [entry.title, *paragraphs],
        source=entry.language or "auto",
        target=TARGET,
        actor=actor,
        config=config,
        progress=progress,
    )
