"""English items of a trainee's watch wall, to summarise in a watch-summary exercise.

A small read of the watch tables (the trainee's own subscriptions and their cohorts'); replace
with the watch library's wall query once it offers a language filter.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from curation.models import Entry, Feed, Subscription
from workbench.access import Actor, member_cohort_ids, trainer_cohort_ids


@dataclass(frozen=True)
class WallItem:
    entry_id: int
    title: str
    url: str
    source: str
    author: str


def english_items(session: Session, actor: Actor, limit: int = 30) -> list[WallItem]:
    """Newest English entries of the feeds the actor (or one of their cohorts) follows."""
    cohorts = trainer_cohort_ids(session, actor) if actor.is_trainer else member_cohort_ids(session, actor.id)
    followed = select(Subscription.feed_id).where(
        or_(Subscription.user_id == actor.id, Subscription.cohort_id.in_(cohorts or [-1]))
    )
    rows = session.execute(
        select(Entry, Feed.title)
        .join(Feed, Feed.id == Entry.feed_id)
        .where(Entry.feed_id.in_(followed), Entry.language.like("en%"), Entry.link != "")
        .order_by(Entry.first_seen_at.desc())
        .limit(limit)
    ).all()
    return [WallItem(e.id, e.title, e.link, feed_title or "", e.author) for e, feed_title in rows]
