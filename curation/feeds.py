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

from sqlalchemy import ColumnElement, Select, delete, func, select, update
from sqlalchemy.orm import Session

from curation.discover import COMMON_PATHS, discover_feeds
from curation.fetch import FEED_ACCEPT, FetchError, FetchResult, check_url, fetch_url
from curation.models import Entry, Feed, Subscription
from curation.parse import ParsedFeed, ParseError, parse_feed
from curation.schedule import next_fetch_after_success
from curation.store import store_entries
from curation.textnorm import fold
from curation.urls import canonical_url, web_url
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
# The Sources page's status filter: feed statuses grouped as people read them.
STATUS_GROUPS: dict[str, tuple[str, ...]] = {
    "error": ("error",),
    "pending": ("new",),
    "ok": ("ok", "not_modified"),
}
LATER_TRY = "un nouvel essai aura lieu plus tard."  # the fetcher's words for a feed it will read again
GONE = "Abonnement introuvable\u00a0: il a peut-être déjà été supprimé. Rechargez la page."
Fetcher = Callable[..., FetchResult]
_SCHEME = re.compile(r"^[a-z][a-z0-9+.-]*:(?!\d)", re.IGNORECASE)  # "javascript:", not "site.fr:8080"
# A site's name: labels of letters (accents too), digits, hyphens and underscores between single dots;
# or an IP address (IPv6 without its brackets, as urlsplit gives it).
_HOST = re.compile(r"[\w-]+(?:\.[\w-]+)*\.?|[0-9a-f:.]*:[0-9a-f:.]*", re.IGNORECASE)


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
    typed = url
    bare = "://" not in url and not _SCHEME.match(url)
    if bare:
        url = "https://" + url
    _, host = check_url(url)  # http(s) with a host name, else a French refusal
    url = canonical_url(url)
    if (
        not web_url(url)  # spaces, quotes, angle brackets…
        or not _HOST.fullmatch(host)
        or (bare and "." not in host and host != "localhost")  # a word, not a site's name
    ):
        raise UserError(
            f"«\u00a0{typed}\u00a0» n’est pas une adresse web\u00a0: vérifiez le lien (sans espace, "
            "par exemple https://www.exemple.fr/feed)."
        )
    return url


def _cohort_names(session: Session, ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(ids))).tuples().all())


@dataclass(frozen=True)
class SubscriptionFilter:
    """What the Sources page narrows subscriptions by; ``None`` means « no filter »."""

    status: str | None = None  # a key of STATUS_GROUPS
    folder: str | None = None  # "" = no folder
    search: str = ""  # in the displayed name or the address, any case and accents


@dataclass(frozen=True)
class SubscriptionPage:
    views: list[SubscriptionView]
    total: int  # subscriptions matching, over all pages
    page: int
    per_page: int

    @property
    def pages(self) -> int:
        return max(1, -(-self.total // self.per_page))


def _display_name() -> ColumnElement[str]:
    """The subscriber's name for the feed, else the feed's title, else its address."""
    return func.coalesce(func.nullif(Subscription.title, ""), func.nullif(Feed.title, ""), Feed.url)


def _visible(session: Session, actor: Actor, *columns: object) -> Select:
    """``columns`` of the subscriptions ``actor`` sees, joined to their feed."""
    return (
        select(*columns)
        .select_from(Subscription)
        .join(Feed, Feed.id == Subscription.feed_id)
        .where(visible_subscriptions(session, actor).whereclause)
    )


def _filtered(session: Session, actor: Actor, filters: SubscriptionFilter, *columns: object) -> Select:
    """``columns`` of the visible subscriptions (joined to their feed) that match ``filters``."""
    stmt = _visible(session, actor, *columns)
    if filters.status is not None:
        stmt = stmt.where(Feed.last_status.in_(STATUS_GROUPS[filters.status]))
    if filters.folder is not None:
        stmt = stmt.where(Subscription.folder == filters.folder)
    words = " ".join(fold(filters.search).split())
    if words:  # typed text, not a pattern; accents and case ignored as on the wall (folded in Python)
        names = session.execute(_visible(session, actor, Subscription.id, _display_name(), Feed.url))
        found = [sub_id for sub_id, name, url in names if words in fold(name) or words in fold(url)]
        stmt = stmt.where(Subscription.id.in_(found))
    return stmt


def _views(session: Session, actor: Actor, rows: list) -> list[SubscriptionView]:
    """``(subscription, feed)`` rows as views: entry counts and cohort names in one query each."""
    feed_ids = {feed.id for _, feed in rows}
    counts = (
        dict(
            session.execute(
                select(Entry.feed_id, func.count(Entry.id))
                .where(Entry.feed_id.in_(feed_ids))
                .group_by(Entry.feed_id)
            )
            .tuples()
            .all()
        )
        if rows
        else {}
    )
    names = _cohort_names(session, {s.cohort_id for s, _ in rows if s.cohort_id})
    runs = set(trainer_cohort_ids(session, actor)) if any(s.cohort_id for s, _ in rows) else set()
    return [
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


def list_subscriptions(session: Session, actor: Actor) -> list[SubscriptionView]:
    """My own subscriptions and those of my cohorts (run or joined), by folder then title."""
    rows = session.execute(_filtered(session, actor, SubscriptionFilter(), Subscription, Feed)).all()
    views = _views(session, actor, rows)
    return sorted(views, key=lambda v: (v.folder.casefold(), v.title.casefold()))


def subscription_page(
    session: Session, actor: Actor, filters: SubscriptionFilter, *, page: int = 1, per_page: int = 100
) -> SubscriptionPage:
    """One page of the visible subscriptions matching ``filters``, by folder then name: a few
    queries whatever the number of subscriptions."""
    page, per_page = max(1, page), max(1, min(per_page, 500))
    total = session.scalar(_filtered(session, actor, filters, func.count(Subscription.id))) or 0
    page = min(page, max(1, -(-total // per_page)))
    rows = session.execute(
        _filtered(session, actor, filters, Subscription, Feed)
        .order_by(func.lower(Subscription.folder), func.lower(_display_name()), Subscription.id)
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return SubscriptionPage(_views(session, actor, rows), total, page, per_page)


def subscription_counts(session: Session, actor: Actor, filters: SubscriptionFilter) -> dict[str, int]:
    """How many visible subscriptions match ``filters`` in each status group (its own status aside),
    and in all (``"all"``)."""
    by_status = dict(
        session.execute(
            _filtered(
                session,
                actor,
                SubscriptionFilter(folder=filters.folder, search=filters.search),
                Feed.last_status,
                func.count(Subscription.id),
            ).group_by(Feed.last_status)
        )
        .tuples()
        .all()
    )
    counts = {"all": sum(by_status.values())}
    for group, statuses in STATUS_GROUPS.items():
        counts[group] = sum(by_status.get(status, 0) for status in statuses)
    return counts


def subscription_ids(session: Session, actor: Actor, filters: SubscriptionFilter) -> list[int]:
    """The subscriptions matching ``filters`` that ``actor`` may change (for « every one of the filter »)."""
    stmt = _filtered(session, actor, filters, Subscription.id)
    runs = trainer_cohort_ids(session, actor)
    mine = Subscription.user_id == actor.id
    return list(session.scalars(stmt.where(mine | Subscription.cohort_id.in_(runs) if runs else mine)))


def list_folders(session: Session, actor: Actor) -> list[str]:
    folders = session.scalars(
        _filtered(session, actor, SubscriptionFilter(), Subscription.folder)
        .where(Subscription.folder != "")
        .distinct()
    )
    return sorted(folders, key=str.casefold)


def subscribed_feed_ids(
    session: Session, actor: Actor, subscription_ids: list[int] | None = None, *, failing: bool = False
) -> list[int]:
    """The feeds of every visible subscription (``failing``: of those in error), or of
    ``subscription_ids`` (all of them visible)."""
    filters = SubscriptionFilter("error" if failing else None)
    stmt = _filtered(session, actor, filters, Subscription.id, Subscription.feed_id)
    if subscription_ids is None:
        return sorted({feed_id for _, feed_id in session.execute(stmt)})
    wanted = set(subscription_ids)
    rows = session.execute(stmt.where(Subscription.id.in_(wanted))).all() if wanted else []
    if len(rows) != len(wanted):
        raise NotFound(GONE)
    return sorted({feed_id for _, feed_id in rows})


def _editable(session: Session, actor: Actor, subscription_ids: list[int]) -> list[Subscription]:
    """The subscriptions, if ``actor`` may change every one of them; else nothing is returned."""
    wanted = set(subscription_ids)
    subs = list(session.scalars(select(Subscription).where(Subscription.id.in_(wanted)))) if wanted else []
    if len(subs) != len(wanted):
        raise NotFound(GONE)
    others = [s for s in subs if s.user_id != actor.id]
    runs = set(trainer_cohort_ids(session, actor)) if others else set()
    refused = [s for s in others if s.cohort_id is None or s.cohort_id not in runs]
    if not refused:
        return subs
    members = set(member_cohort_ids(session, actor.id))
    if all(s.cohort_id in members for s in refused):
        raise AccessDenied(
            "Cette source est partagée par votre formateur\u00a0: seul lui peut la modifier."
            if len(subs) == 1
            else f"{len(refused)} de ces sources sont partagées par votre formateur\u00a0: seul lui peut les "
            "modifier. Rien n’a été changé\u00a0; décochez-les et recommencez."
        )
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
            "Aucun flux trouvé sur cette page\u00a0: le site n’en déclare pas. Cherchez un lien «\u00a0RSS\u00a0» "
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
        try:
            feed_url, result, parsed = _locate_feed(url, fetch)
        except FetchError as exc:  # nothing is stored, so no later try can come: say so
            message = str(exc).removesuffix(LATER_TRY)
            if message == str(exc):
                raise
            raise FetchError(
                exc.kind,
                f"{message}la source n’a pas été ajoutée, réessayez plus tard.",
                status_code=exc.status_code,
            ) from exc
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
    return _views(session, actor, [(sub, feed)])[0]


def rename_subscription(session: Session, actor: Actor, subscription_id: int, title: str) -> str:
    """The subscriber's own name for the feed (empty: the feed's title); returns the name stored."""
    sub = _editable(session, actor, [subscription_id])[0]
    sub.title = " ".join((title or "").split())[:500]
    return sub.title


def move_many(session: Session, actor: Actor, subscription_ids: list[int], folder: str) -> int:
    """Put subscriptions in one folder (all of them or, if one is not the actor's, none)."""
    ids = [s.id for s in _editable(session, actor, subscription_ids)]
    folder = " ".join((folder or "").split())[:200]
    session.execute(
        update(Subscription).where(Subscription.id.in_(ids)).values(folder=folder),
        execution_options={"synchronize_session": False},
    )
    session.expire_all()
    return len(ids)


def unsubscribe_many(session: Session, actor: Actor, subscription_ids: list[int]) -> int:
    """Remove subscriptions (all of them or, if one is not the actor's, none); a feed nobody
    follows any more is paused. Their entries stay: boards may cite them."""
    subs = _editable(session, actor, subscription_ids)
    feed_ids = {s.feed_id for s in subs}
    session.execute(
        delete(Subscription).where(Subscription.id.in_([s.id for s in subs])),
        execution_options={"synchronize_session": False},
    )
    followed = select(Subscription.feed_id).where(Subscription.feed_id.in_(feed_ids))
    session.execute(
        update(Feed)
        .where(Feed.id.in_(feed_ids), Feed.id.not_in(followed), Feed.last_status != "demo")
        .values(last_status="paused", next_fetch_at=None),
        execution_options={"synchronize_session": False},
    )
    session.expire_all()
    return len(subs)


def adopt_unfollowed_feeds(session: Session, actor: Actor) -> int:
    """Subscribe ``actor`` to every stored feed nobody follows (stored by a command without
    anyone to subscribe); paused feeds (someone stopped following them) and demo feeds stay out.
    Returns how many were adopted."""
    followed = select(Subscription.id).where(Subscription.feed_id == Feed.id).exists()
    feeds = session.scalars(
        select(Feed).where(~followed, Feed.last_status.not_in(("paused", "demo"))).order_by(Feed.id)
    ).all()
    for feed in feeds:
        subscribe_feed(session, actor, feed)
    return len(feeds)
