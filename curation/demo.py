"""Bundled demo content: French and English feeds about the CM job, loaded without network.

The feeds under ``content/demo/`` were written for this project; their illustrations are small
SVG files (``static/demo/``, see ``curation.bundled_images``) inlined as ``data:`` URIs (which the
sanitiser keeps for images), so the wall shows pictures offline; a pin of a demo entry refers to
the same file by its static URL. Dates are moved forward on the first load so that the newest item is two hours
old. Demo feeds have the status "demo": the refresh never fetches them.

Who sees them: a person with no subscription at all (neither their own nor their cohort's) gets
the demo feeds in a "Démonstration" folder (``ensure_starter_subscriptions``, called by the watch
pages), so a newcomer finds a live wall; following a source of their own unsubscribes them from
the demo feeds (``curation.feeds.subscribe_feed``). Demo content is kept apart from real work: its
links are under ``DEMO_HOST`` (``is_demo_link`` marks it « démo » on cards, pins and sources), it
never goes into a digest or an alert, and a trainer removes it from the install in one action
(``remove_demo_content``, which also turns ``demo_content`` off so it does not come back).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import Select, delete, func, select
from sqlalchemy.orm import Session

from curation.board_models import Pin
from curation.bundled_images import data_uri, demo_image_names
from curation.feeds import get_or_create_feed, list_subscriptions, subscribe_feed
from curation.models import Entry, Feed, Subscription
from curation.parse import ParsedFeed, parse_feed
from curation.store import store_entries
from workbench.access import Actor, require_trainer
from workbench.db import utcnow
from workbench.install_settings import save_settings
from workbench.settings import get_settings

DEMO_DIR = Path(__file__).resolve().parent / "content" / "demo"
DEMO_URL_PREFIX = "demo://atelier-cm/"
DEMO_STATUS = "demo"
DEMO_FOLDER = "Démonstration"
DEMO_HOST = "demo.atelier-cm.example"  # every link of the demo feeds is under this name
DEMO_MARK = "démo"
DEMO_HELP = (
    "Contenu de démonstration fourni avec l’application\u00a0: il n’entre jamais dans une revue envoyée "
    "et disparaît de vos sources dès que vous suivez les vôtres."
)
REAL_SOURCES_OPML = Path(__file__).resolve().parent / "content" / "sources_cm_fr.opml"
NEWEST_AGE = timedelta(hours=2)


def _document(path: Path) -> bytes:
    data = path.read_bytes()
    for name in demo_image_names():
        data = data.replace(b"demo-image:" + name.encode(), data_uri(name).encode("ascii"))
    return data


def demo_files() -> list[Path]:
    return sorted(p for p in DEMO_DIR.iterdir() if p.suffix in (".xml", ".json"))


def demo_url(path: Path) -> str:
    return DEMO_URL_PREFIX + path.stem


def _shift_dates(parsed: ParsedFeed, delta: timedelta) -> None:
    for entry in parsed.entries:
        if entry.published_at:
            entry.published_at += delta
        if entry.updated_at:
            entry.updated_at += delta


def load_demo_content(session: Session, *, now: datetime | None = None) -> int:
    """Store the demo feeds (once; re-running stores nothing twice). Returns the new entries."""
    now = now or utcnow()
    documents = [(path, parse_feed(_document(path), url=demo_url(path))) for path in demo_files()]
    newest = max(
        (e.published_at for _, doc in documents for e in doc.entries if e.published_at), default=None
    )
    delta = (now - NEWEST_AGE - newest) if newest else timedelta(0)
    added = 0
    for path, parsed in documents:
        feed = get_or_create_feed(session, demo_url(path))
        if feed.last_status not in (DEMO_STATUS, "new"):
            continue  # someone turned it into something else: leave it alone
        if delta > timedelta(0):
            _shift_dates(parsed, delta)
        added += len(store_entries(session, feed, parsed, now=now).new_ids)
        feed.last_status, feed.last_error, feed.next_fetch_at = DEMO_STATUS, "", None
        feed.last_fetched_at = feed.last_fetched_at or now
    return added


def prepare_demo(session: Session) -> None:
    """Startup step: the demo feeds, unless the installation turned them off (``demo_content``)."""
    if get_settings().demo_content:
        load_demo_content(session)


def _demo_feed_ids() -> Select:
    return select(Feed.id).where(Feed.url.startswith(DEMO_URL_PREFIX))


def demo_feeds(session: Session) -> list[Feed]:
    return list(
        session.scalars(select(Feed).where(Feed.url.startswith(DEMO_URL_PREFIX)).order_by(Feed.title))
    )


def is_demo_link(url: str) -> bool:
    """An address of the bundled demo content (its entries, a pin made from one)."""
    host = (urlsplit(url or "").hostname or "").lower()
    return host == DEMO_HOST or host.endswith("." + DEMO_HOST)


def demo_entry_ids(session: Session, entry_ids: Iterable[int]) -> set[int]:
    """Those of ``entry_ids`` that belong to a demo feed."""
    ids = list(set(entry_ids))
    if not ids:
        return set()
    return set(
        session.scalars(select(Entry.id).where(Entry.id.in_(ids), Entry.feed_id.in_(_demo_feed_ids())))
    )


def ensure_starter_subscriptions(session: Session, actor: Actor) -> int:
    """Give a person without any subscription the demo feeds (unless the install turned them
    off); returns how many were added."""
    if not get_settings().demo_content or list_subscriptions(session, actor):
        return 0
    feeds = demo_feeds(session)
    if not feeds:
        load_demo_content(session)
        feeds = demo_feeds(session)
    return sum(subscribe_feed(session, actor, feed, folder=DEMO_FOLDER)[1] for feed in feeds)


@dataclass(frozen=True)
class DemoRemoval:
    feeds: int
    entries: int
    subscriptions: int
    pins: int


def _demo_pin_ids(session: Session) -> set[int]:
    """Pins made from a demo entry, or of a demo address (pinned by URL)."""
    demo_entries = select(Entry.id).where(Entry.feed_id.in_(_demo_feed_ids()))
    from_entries = set(session.scalars(select(Pin.id).where(Pin.entry_id.in_(demo_entries))))
    by_address = session.execute(select(Pin.id, Pin.url).where(Pin.url.contains(DEMO_HOST))).all()
    return from_entries | {pin_id for pin_id, url in by_address if is_demo_link(url)}


def demo_content_summary(session: Session) -> DemoRemoval:
    """What ``remove_demo_content`` removes (the page's confirmation says it)."""
    feeds = _demo_feed_ids()
    return DemoRemoval(
        feeds=session.scalar(select(func.count()).select_from(feeds.subquery())) or 0,
        entries=session.scalar(select(func.count(Entry.id)).where(Entry.feed_id.in_(feeds))) or 0,
        subscriptions=session.scalar(
            select(func.count(Subscription.id)).where(Subscription.feed_id.in_(feeds))
        )
        or 0,
        pins=len(_demo_pin_ids(session)),
    )


def remove_demo_content(session: Session, actor: Actor) -> DemoRemoval:
    """A trainer removes the demo content from the install: the demo feeds with their entries and
    everyone's subscriptions to them, the pins made from them; and the demo is turned off, so it
    is not loaded again at the next start nor given to newcomers."""
    require_trainer(actor)
    summary = demo_content_summary(session)
    pin_ids = _demo_pin_ids(session)
    if pin_ids:
        session.execute(delete(Pin).where(Pin.id.in_(pin_ids)))
    # The database removes the entries (and what hangs on them) and the subscriptions with the feeds.
    session.execute(delete(Feed).where(Feed.id.in_(_demo_feed_ids())))
    save_settings(session, actor, {"demo_content": "false"})
    return summary
