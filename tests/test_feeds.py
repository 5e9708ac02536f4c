"""Subscriptions: add by feed or site URL (autodiscovery), shared feeds, folders, access rules."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from curation.discover import discover_feeds
from curation.feeds import (
    add_feed,
    list_folders,
    list_subscriptions,
    move_many,
    normalise_feed_url,
    rename_subscription,
    unsubscribe_many,
)
from curation.models import Entry, Feed
from tests.feedserver import FIXTURES, FeedServer, Route
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError

HTML_WITH_FEED = b"""<!doctype html><html><head><title>Site</title>
<link rel="alternate" type="application/rss+xml" title="Le flux" href="/rss.xml"></head><body>Bonjour</body></html>"""


def test_discovery_reads_alternate_links() -> None:
    links = discover_feeds((FIXTURES / "html_page.html").read_bytes(), "https://site.example.fr/blog/")
    assert [(link.url, link.kind) for link in links] == [
        ("https://site.example.fr/feed.xml", "rss"),
        ("https://site.example.fr/atom.xml", "atom"),
        ("https://site.example.fr/blog/feed.json", "json"),
    ]
    assert links[0].title == "Articles"


def test_normalise_feed_url() -> None:
    assert normalise_feed_url("  exemple.fr/feed?utm_source=x ") == "https://exemple.fr/feed"
    assert normalise_feed_url("feed://exemple.fr/rss") == "https://exemple.fr/rss"
    for bad in ("", "javascript:alert(1)", "file:///etc/passwd"):
        with pytest.raises(UserError):
            normalise_feed_url(bad)


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("https://pas une adresse/", "n’est pas une adresse web"),
        ("pas une adresse", "n’est pas une adresse web"),
        ("https://exa mple.fr/rss", "n’est pas une adresse web"),
        ("https://exemple.fr/mon flux.xml", "n’est pas une adresse web"),
        ('https://exemple.fr"onmouseover=1', "n’est pas une adresse web"),
        ("http://exemple..fr/feed", "n’est pas une adresse web"),
        ("veille", "n’est pas une adresse web"),
        ("ftp://exemple.fr/feed.xml", "http:// ou https://"),
        ("javascript:alert(1)", "http:// ou https://"),
    ],
)
def test_an_address_that_is_no_web_address_is_refused_in_french(typed: str, words: str) -> None:
    """« https://pas une adresse/ » became a source that could only fail; a bare word became https://veille/."""
    with pytest.raises(UserError, match=words) as refused:
        normalise_feed_url(typed)
    assert "\u00a0:" in str(refused.value)  # French typography: what to do follows


@pytest.mark.parametrize(
    ("typed", "kept"),
    [
        ("https://www.exemple.fr/feed", "https://www.exemple.fr/feed"),
        ("exemple.fr", "https://exemple.fr/"),
        ("https://café-crème.fr/rss", "https://café-crème.fr/rss"),
        ("http://127.0.0.1:8080/feed.xml", "http://127.0.0.1:8080/feed.xml"),
        ("http://[::1]:8080/feed.xml", "http://[::1]:8080/feed.xml"),
        ("http://localhost:8080/feed.xml", "http://localhost:8080/feed.xml"),
        ("http://intranet/feed.xml", "http://intranet/feed.xml"),
    ],
)
def test_web_addresses_are_kept(typed: str, kept: str) -> None:
    """Accents in a site's name, IP literals and a one-word host typed with its scheme are addresses
    (whether a private one may be fetched is the fetcher's rule, said when the feed is read)."""
    assert normalise_feed_url(typed) == kept


def test_adding_a_host_with_spaces_subscribes_nothing(people, db_url) -> None:
    with pytest.raises(UserError, match="n’est pas une adresse web"), session_scope() as s:
        add_feed(s, people.alice, "https://pas une adresse/")
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(Feed)) == 0


def test_add_by_feed_url_stores_entries_at_once_and_shares_the_feed(
    people, db_url, feed_server: FeedServer
) -> None:
    url = feed_server.add_file("/rss.xml", "rss20_good.xml")
    with session_scope() as s:
        view = add_feed(s, people.alice, url, folder="Blogs")
    assert view.title == "Le Blog du CM" and view.folder == "Blogs" and view.status == "ok"
    assert view.entry_count == 3 and view.can_edit and view.owner == "Moi"
    with session_scope() as s:
        add_feed(s, people.bob, url)
        add_feed(s, people.alice, url)  # twice: still one subscription
    assert feed_server.hits["/rss.xml"] == 1  # the second person reuses the stored feed
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) == 1
        assert s.scalar(select(func.count(Entry.id))) == 3
        assert len(list_subscriptions(s, people.alice)) == 1


def test_add_by_site_url_discovers_the_feed(people, db_url, feed_server: FeedServer) -> None:
    feed_server.add("/", Route(body=HTML_WITH_FEED, content_type="text/html; charset=utf-8"))
    feed_server.add_file("/rss.xml", "atom_good.xml", content_type="application/atom+xml")
    with session_scope() as s:
        view = add_feed(s, people.alice, feed_server.url("/"))
    assert view.url == feed_server.url("/rss.xml") and view.title == "Atom CM Notes"


def test_add_site_without_declared_feed_tries_common_paths(people, db_url, feed_server: FeedServer) -> None:
    feed_server.add("/", Route(body=b"<html><head></head></html>", content_type="text/html"))
    feed_server.add_file("/feed/", "rss10_rdf.xml")
    with session_scope() as s:
        assert add_feed(s, people.alice, feed_server.url("/")).title == "RDF Watch"


def test_add_page_without_any_feed_says_so(people, db_url, feed_server: FeedServer) -> None:
    feed_server.add("/", Route(body=b"<html><head></head><body>rien</body></html>", content_type="text/html"))
    with pytest.raises(UserError, match="Aucun flux trouvé"), session_scope() as s:
        add_feed(s, people.alice, feed_server.url("/"))


def test_add_refuses_private_addresses_by_default(people, db_url) -> None:
    with pytest.raises(UserError, match="Adresse privée refusée"), session_scope() as s:
        add_feed(s, people.alice, "http://127.0.0.1:9/feed")


def test_rename_move_unsubscribe_and_pause(people, db_url, feed_server: FeedServer) -> None:
    url = feed_server.add_file("/rss.xml", "rss20_good.xml")
    with session_scope() as s:
        sub = add_feed(s, people.alice, url)
        rename_subscription(s, people.alice, sub.id, "  Mon   blog  ")
        move_many(s, people.alice, [sub.id], "Veille CM")
    with session_scope() as s:
        view = list_subscriptions(s, people.alice)[0]
        assert (view.title, view.folder) == ("Mon blog", "Veille CM")
        assert list_folders(s, people.alice) == ["Veille CM"]
        with pytest.raises(AccessDenied):
            rename_subscription(s, people.bob, sub.id, "pirate")
    with session_scope() as s:
        unsubscribe_many(s, people.alice, [sub.id])
    with session_scope() as s:
        assert list_subscriptions(s, people.alice) == []
        feed = s.scalar(select(Feed))
        assert feed.last_status == "paused" and s.scalar(select(func.count(Entry.id))) == 3  # entries kept
    with session_scope() as s:
        add_feed(s, people.bob, url)
    with session_scope() as s:
        assert s.scalar(select(Feed)).last_status == "new"  # followed again: back in the schedule


def test_cohort_subscriptions(people, db_url, feed_server: FeedServer) -> None:
    url = feed_server.add_file("/rss.xml", "rss20_good.xml")
    with pytest.raises(AccessDenied), session_scope() as s:
        add_feed(s, people.alice, url, cohort_id=people.cohort_id)
    with pytest.raises(AccessDenied), session_scope() as s:
        add_feed(s, people.other_trainer, url, cohort_id=people.cohort_id)
    with session_scope() as s:
        sub = add_feed(s, people.trainer, url, cohort_id=people.cohort_id, folder="Session")
    with session_scope() as s:
        alice = list_subscriptions(s, people.alice)
        assert [(v.owner, v.can_edit) for v in alice] == [("Promo CM 2026", False)]
        assert list_subscriptions(s, people.zoe) == []
        assert list_subscriptions(s, people.trainer)[0].can_edit
        with pytest.raises(AccessDenied, match="formateur"):
            unsubscribe_many(s, people.alice, [sub.id])
    with session_scope() as s:
        move_many(s, people.trainer, [sub.id], "Lectures")
        assert list_subscriptions(s, people.bob)[0].folder == "Lectures"
