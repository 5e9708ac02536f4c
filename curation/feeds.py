"""Subscriptions: a feed is stored and fetched once per URL, followed by people or by cohorts.

Every function takes ``session, actor`` and applies the access rules: a person manages their own
subscriptions; a trainer also manages their cohorts' subscriptions, which every member sees but
cannot change.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from curation.discover import COMMON_PATHS, discover_feeds
from curation.fetch import FEED_ACCEPT, FetchError, FetchResult, check_url, fetch_url
from curation.models import Entry, Feed, Subscription
from curation.parse import ParsedFeed, ParseError, parse_feed
from curation.schedule import next_fetch_after_success
from curation.store import store_entries
from curation.urls import canonical_url
from curation.visibility import visible_subscriptions
from workbench.access import Actor, member_cohort_ids, require_cohort_trainer, trainer_cohort_ids
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import Cohort

STATUS_LABELS = {
    "new": "Pas encore actualisé",
    "ok": "À jour",
    "not_modified": "À jour (inchangé)",
    "error": "En erreur",
    "paused": "En pause (plus aucun abonné)",
    "demo": "démo (contenu d’exemple, hors ligne)",
}
Fetcher = Callable[..., FetchResult]
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)  # "javascript:", not "site.fr:8080"


@dataclass(frozen=True)
class SubscriptionView:
    """One line of "my sources", with the shared feed's status for display."""

    id: int
    feed_id: int
    title: str
    url: str
    site_url: str
    folder: str
    owner: str  # "Moi" or the cohort's name
    cohort_id: int | None
    can_edit: bool
    status: str
    status_label: str
    last_error: str
    last_fetched_at: datetime | None
    next_fetch_at: datetime | None
    entry_count: int


def normalise_feed_url(url: str) -> str:
    """What people paste: spaces, a missing scheme, ``feed://``; tracking parameters dropped."""
    url = (url or "").strip()
    if not url:
        raise UserError("Indiquez l’adresse d’un flux ou d’un site (par exemple https://exemple.fr/feed).")
    if url.startswith("feed://"):
        url = "https://" + url[len("feed://") :]
    elif url.startswith("feed:"):
        url = url[len("feed:") :]
    if "://" not in url and not _SCHEME.match(url):
        url = "https://" + url
    check_url(url)  # http(s) with a host name, else a French refusal
    return canonical_url(url)


def _cohort_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(ids))).tuples().all())


def list_subscriptions(session: Session, actor: Actor) -> list[SubscriptionView]:
    """My own subscriptions and those of my cohorts (run or joined), by folder then title."""
    rows = session.execute(
        visible_subscriptions(session, actor).add_columns(Feed).join(Feed, Feed.id == Subscription.feed_id)
    ).all()
    counts = (
        dict(
            session.execute(
                select(Entry.feed_id, func.count(Entry.id))
                .where(Entry.feed_id.in_({feed.id for _, feed in rows}))
                .group_by(Entry.feed_id)
            )
            .tuples()
            .all()
        )
        if rows
        else {}
    )
    names = _cohort_names(session, {s.cohort_id for s, _ in rows if s.cohort_id})
    runs = set(trainer_cohort_ids(session, actor))
    views = [
        SubscriptionView(
            id=sub.id,
            feed_id=feed.id,
            title=sub.title or feed.title or feed.url,
            url=feed.url,
            site_url=feed.site_url,
            folder=sub.folder,
            owner=names.get(sub.cohort_id, "Session") if sub.cohort_id else "Moi",
            cohort_id=sub.cohort_id,
            can_edit=sub.user_id == actor.id or (sub.cohort_id in runs),
            status=feed.last_status,
            status_label=STATUS_LABELS.get(feed.last_status, feed.last_status),
            last_error=feed.last_error,
            last_fetched_at=feed.last_fetched_at,
            next_fetch_at=feed.next_fetch_at,
            entry_count=counts.get(feed.id, 0),
        )
        for sub, feed in rows
    ]
    return sorted(views, key=lambda v: (v.folder.casefold(), v.title.casefold()))


def list_folders(session: Session, actor: Actor) -> list[str]:
    return sorted({v.folder for v in list_subscriptions(session, actor) if v.folder}, key=str.casefold)


def subscribed_feed_ids(session: Session, actor: Actor) -> list[int]:
    return sorted({v.feed_id for v in list_subscriptions(session, actor)})


def _editable(session: Session, actor: Actor, subscription_id: int) -> Subscription:
    sub = session.get(Subscription, subscription_id)
    if sub is None:
        raise NotFound("Abonnement introuvable\u00a0: il a peut-être déjà été supprimé.")
    if sub.user_id == actor.id:
        return sub
    if sub.cohort_id is not None and sub.cohort_id in trainer_cohort_ids(session, actor):
        return sub
    if sub.cohort_id is not None and sub.cohort_id in member_cohort_ids(session, actor.id):
        raise AccessDenied("Cette source est partagée par votre formateur\u00a0: seul lui peut la modifier.")
    raise AccessDenied("Vous ne pouvez modifier que vos propres abonnements.")


def subscribe_feed(
    session: Session,
    actor: Actor,
    feed: Feed,
    *,
    folder: str = "",
    title: str = "",
    cohort_id: int | None = None,
) -> tuple[Subscription, bool]:
    """Subscribe ``actor`` (or a cohort they run) to a stored feed: ``(subscription, created)``.

    A person who follows a source of their own no longer needs the demo feeds: their own
    subscriptions to them are removed (nobody else's)."""
    if cohort_id is not None:
        require_cohort_trainer(session, actor, cohort_id)
        owner = Subscription.cohort_id == cohort_id
    else:
        owner = Subscription.user_id == actor.id
    existing = session.scalar(select(Subscription).where(Subscription.feed_id == feed.id, owner))
    if existing is not None:
        return existing, False
    sub = Subscription(
        feed_id=feed.id,
        user_id=None if cohort_id is not None else actor.id,
        cohort_id=cohort_id,
        folder=" ".join(folder.split())[:200],
        title=" ".join(title.split())[:500],
    )
    session.add(sub)
    if feed.last_status == "paused":
        feed.last_status, feed.next_fetch_at = "new", None
    if cohort_id is None and feed.last_status != "demo":
        demo_feeds = select(Feed.id).where(Feed.last_status == "demo")
        session.execute(
            delete(Subscription).where(Subscription.user_id == actor.id, Subscription.feed_id.in_(demo_feeds))
        )
    session.flush()
    return sub, True


def get_or_create_feed(session: Session, url: str) -> Feed:
    """The one row for this URL (created empty, fetched at the next refresh)."""
    feed = session.scalar(select(Feed).where(Feed.url == url))
    if feed is None:
        feed = Feed(url=url)
        session.add(feed)
        session.flush()
    return feed


def _locate_feed(url: str, fetch: Fetcher) -> tuple[str, FetchResult, ParsedFeed]:
    """The feed behind ``url``: the URL itself, else what its page declares, else common paths."""
    result = fetch(url, accept=FEED_ACCEPT)
    try:
        return (
            result.final_url,
            result,
            parse_feed(result.content, url=result.final_url, content_type=result.content_type),
        )
    except ParseError as exc:
        if exc.kind != "not_a_feed":
            raise
        page_error = exc
    candidates = [link.url for link in discover_feeds(result.content, result.final_url)]
    if not candidates:
        candidates = [canonical_url(path, result.final_url) for path in COMMON_PATHS]
    for candidate in candidates[:6]:
        try:
            found = fetch(candidate, accept=FEED_ACCEPT)
            return (
                found.final_url,
                found,
                parse_feed(found.content, url=found.final_url, content_type=found.content_type),
            )
        except (FetchError, ParseError):
            continue
    if "page web" in str(page_error):
        raise UserError(
            "Aucun flux trouvé sur cette page\u00a0: le site n’en déclare pas. Cherchez un lien « RSS » "
            "sur le site et collez son adresse."
        )
    raise page_error


def add_feed(
    session: Session,
    actor: Actor,
    url: str,
    *,
    folder: str = "",
    title: str = "",
    cohort_id: int | None = None,
    fetch: Fetcher = fetch_url,
) -> SubscriptionView:
    """Subscribe by a feed's URL or a site's URL; a new feed is fetched at once to show its entries."""
    url = normalise_feed_url(url)
    if cohort_id is not None:
        require_cohort_trainer(session, actor, cohort_id)
    feed = session.scalar(select(Feed).where(Feed.url == url))
    if feed is None:
        feed_url, result, parsed = _locate_feed(url, fetch)
        feed_url = canonical_url(feed_url)
        feed = session.scalar(select(Feed).where(Feed.url == feed_url))
        if feed is None:
            feed = get_or_create_feed(session, feed_url)
            store_entries(session, feed, parsed)
            now = utcnow()
            feed.etag, feed.last_modified = result.etag[:500], result.last_modified[:100]
            feed.body_sha256 = hashlib.sha256(result.content).hexdigest()
            feed.last_status, feed.last_error, feed.error_count = "ok", parsed.warning, 0
            feed.last_fetched_at = now
            feed.next_fetch_at = next_fetch_after_success(now, parsed.ttl_minutes, result.max_age_s)
    sub, _ = subscribe_feed(session, actor, feed, folder=folder, title=title, cohort_id=cohort_id)
    return next(v for v in list_subscriptions(session, actor) if v.id == sub.id)


def rename_subscription(session: Session, actor: Actor, subscription_id: int, title: str) -> None:
    _editable(session, actor, subscription_id).title = " ".join((title or "").split())[:500]


def move_subscription(session: Session, actor: Actor, subscription_id: int, folder: str) -> None:
    _editable(session, actor, subscription_id).folder = " ".join((folder or "").split())[:200]


def unsubscribe(session: Session, actor: Actor, subscription_id: int) -> bool:
    """Remove a subscription (True when done); a feed nobody follows any more is paused.

    Its entries stay: boards may cite them.
    """
    sub = _editable(session, actor, subscription_id)
    feed_id = sub.feed_id
    session.delete(sub)
    session.flush()
    if session.scalar(select(func.count(Subscription.id)).where(Subscription.feed_id == feed_id)) == 0:
        feed = session.get(Feed, feed_id)
        if feed is not None and feed.last_status != "demo":
            feed.last_status, feed.next_fetch_at = "paused", None
    return True
