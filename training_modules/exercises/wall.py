"""English items of a trainee's watch wall, to summarise in a watch-summary exercise.

A thin view over the watch library's wall (``curation.wall.wall``), filtered on English.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy.orm import Session

from curation.visibility import EntryFilters
from curation.wall import wall
from workbench.access import Actor


@dataclass(frozen=True)
class WallItem:
    entry_id: int
    title: str
    url: str
    source: str  # the feed's title: the credit expected in the summary


def english_items(session: Session, actor: Actor, limit: int = 30) -> list[WallItem]:
    """Newest English stories the actor can see on their wall (own and cohort subscriptions)."""
    page = wall(session, actor, EntryFilters(language="en"), per_page=limit)
    return [
        WallItem(card.entry_id, card.title, card.link, card.sources[0].feed_title if card.sources else "")
        for card in page.cards
        if card.link
    ]
