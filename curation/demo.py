"""Bundled demo content: French and English feeds about the CM job, loaded without network.

The feeds under ``content/demo/`` were written for this project; their illustrations are small
SVG files (``static/demo/``, see ``curation.bundled_images``) inlined as ``data:`` URIs (which the
sanitiser keeps for images), so the wall shows pictures offline; a pin of a demo entry refers to
the same file by its static URL. Dates are moved forward on the first load so that the newest item is two hours
old. Demo feeds have the status "demo": the refresh never fetches them.

Who sees them: a person with no subscription at all (neither their own nor their cohort's) gets
the demo feeds in a "Démonstration" folder (``ensure_starter_subscriptions``, called by the watch
pages), so a newcomer finds a live wall and can unsubscribe feed by feed once they add their own.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from pathlib import Path

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.bundled_images import data_uri, demo_image_names
from curation.feeds import get_or_create_feed, list_subscriptions, subscribe_feed
from curation.models import Feed
from curation.parse import ParsedFeed, parse_feed
from curation.store import store_entries
from workbench.access import Actor
from workbench.db import utcnow
from workbench.settings import get_settings

DEMO_DIR = Path(__file__).resolve().parent / "content" / "demo"
DEMO_URL_PREFIX = "demo://atelier-cm/"
DEMO_STATUS = "demo"
DEMO_FOLDER = "Démonstration"
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


def demo_feeds(session: Session) -> list[Feed]:
    return list(
        session.scalars(select(Feed).where(Feed.url.startswith(DEMO_URL_PREFIX)).order_by(Feed.title))
    )


def ensure_starter_subscriptions(session: Session, actor: Actor) -> int:
    """Give a person without any subscription the demo feeds; returns how many were added."""
    if list_subscriptions(session, actor):
        return 0
    feeds = demo_feeds(session)
    if not feeds:
        load_demo_content(session)
        feeds = demo_feeds(session)
    return sum(subscribe_feed(session, actor, feed, folder=DEMO_FOLDER)[1] for feed in feeds)
