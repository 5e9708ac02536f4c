"""Who sees which feed, in which folder: the access rule that rules and watches match within.

A person sees the feeds they subscribe to and those of the cohorts they belong to (trainee) or
run (trainer) — ``curation.visibility``, the wall's rule; a cohort's rule sees the cohort's
subscriptions. ``viewers_of`` answers the same rule the other way round (who sees these feeds?)
for the refresh. Folders come with the subscription
that makes the feed visible.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.models import Subscription
from curation.visibility import visible_subscriptions
from workbench.access import Actor
from workbench.models import TRAINEE, Cohort, Membership, User

FeedFolders = dict[int, list[str]]


def _add(scope: FeedFolders, feed_id: int, folder: str) -> None:
    folders = scope.setdefault(feed_id, [])
    if folder and folder not in folders:
        folders.append(folder)


def person_scope(session: Session, user_id: int, feed_ids: Iterable[int] | None = None) -> FeedFolders:
    """Feeds this person sees (restricted to ``feed_ids`` if given) → their folders.

    The wall's and search's rule (``curation.visibility``), so that rules and watches never match
    what the person could not read.
    """
    role = session.scalar(select(User.role).where(User.id == user_id)) or TRAINEE
    subs = visible_subscriptions(session, Actor(user_id, role)).subquery()
    stmt = select(subs.c.feed_id, subs.c.folder)
    if feed_ids is not None:
        stmt = stmt.where(subs.c.feed_id.in_(list(feed_ids)))
    scope: FeedFolders = {}
    for feed_id, folder in session.execute(stmt):
        _add(scope, feed_id, folder)
    return scope


def cohort_scope(session: Session, cohort_id: int, feed_ids: Iterable[int] | None = None) -> FeedFolders:
    """Feeds a cohort subscribes to → their folders."""
    stmt = select(Subscription.feed_id, Subscription.folder).where(Subscription.cohort_id == cohort_id)
    if feed_ids is not None:
        stmt = stmt.where(Subscription.feed_id.in_(list(feed_ids)))
    scope: FeedFolders = {}
    for feed_id, folder in session.execute(stmt):
        _add(scope, feed_id, folder)
    return scope


def cohort_members(session: Session, cohort_ids: Iterable[int]) -> dict[int, list[int]]:
    """The active members cohort rules act for, per cohort (one query for every rule of a pass)."""
    members: dict[int, list[int]] = {cohort_id: [] for cohort_id in cohort_ids}
    if members:
        for cohort_id, user_id in session.execute(
            select(Membership.cohort_id, Membership.user_id)
            .where(Membership.cohort_id.in_(list(members)), Membership.active.is_(True))
            .order_by(Membership.cohort_id, Membership.user_id)
        ):
            members[cohort_id].append(user_id)
    return members


def viewers_of(
    session: Session, feed_ids: Iterable[int]
) -> tuple[dict[int, FeedFolders], dict[int, FeedFolders]]:
    """For new entries of ``feed_ids``: each person's and each cohort's visible feeds among them.

    One pass over the subscriptions of these feeds (the refresh calls this once per feed stored).
    """
    ids = list(set(feed_ids))
    people: dict[int, FeedFolders] = defaultdict(dict)
    cohorts: dict[int, FeedFolders] = defaultdict(dict)
    if not ids:
        return {}, {}
    rows = session.execute(
        select(Subscription.feed_id, Subscription.user_id, Subscription.cohort_id, Subscription.folder).where(
            Subscription.feed_id.in_(ids)
        )
    ).all()
    for feed_id, user_id, cohort_id, folder in rows:
        if user_id is not None:
            _add(people[user_id], feed_id, folder)
        if cohort_id is not None:
            _add(cohorts[cohort_id], feed_id, folder)
    if cohorts:
        seen_by: list[tuple[int, int]] = list(
            session.execute(
                select(Membership.cohort_id, Membership.user_id).where(
                    Membership.cohort_id.in_(list(cohorts)), Membership.active.is_(True)
                )
            )
            .tuples()
            .all()
        )
        seen_by += list(
            session.execute(select(Cohort.id, Cohort.trainer_id).where(Cohort.id.in_(list(cohorts))))
            .tuples()
            .all()
        )
        for cohort_id, user_id in seen_by:
            for feed_id, folders in cohorts[cohort_id].items():
                for folder in folders or [""]:
                    _add(people[user_id], feed_id, folder)
    return dict(people), dict(cohorts)
