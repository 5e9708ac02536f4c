"""A list's public Atom feed: a secret address, written on publication after the commit, rebuilt
when missing, removed when turned off; only the owner turns it on or off."""

from __future__ import annotations

import feedparser
import pytest

from curation.digest.archive import publish
from curation.digest.atom import disable_feed, enable_feed, feed_path, subscription_url
from curation.digest.compose import build_draft
from tests.digest_data import NOW, cohort_world
from workbench.db import session_scope
from workbench.errors import AccessDenied
from workbench.settings import get_settings


@pytest.fixture
def feeds_dir(tmp_path, monkeypatch):
    folder = tmp_path / "static" / "digest"
    monkeypatch.setenv("ATELIER_DIGEST_FEEDS_DIR", str(folder))
    monkeypatch.setenv("ATELIER_PUBLIC_BASE_URL", "https://atelier.example")
    get_settings.cache_clear()
    yield folder
    get_settings.cache_clear()


def test_feed_is_published_at_a_secret_address_and_follows_publications(db_url, people, feeds_dir):
    list_id = cohort_world(people, db_url, translate=False)
    with pytest.raises(RuntimeError), session_scope() as s:  # rolled back: no address, no file
        enable_feed(s, people.trainer, list_id)
        raise RuntimeError
    assert not feeds_dir.exists()
    with session_scope() as s:
        assert subscription_url(s, people.trainer, list_id) is None
        url = enable_feed(s, people.trainer, list_id)
        token = url.rsplit("/", 1)[1].removesuffix(".xml")
        assert url == f"https://atelier.example/app/static/digest/{token}.xml"
        assert len(token) >= 32
        assert not feed_path(token).exists()  # written once the transaction commits
    path = feed_path(token)
    assert path.parent == feeds_dir
    assert feedparser.parse(path.read_bytes()).entries == []

    with session_scope() as s:
        publish(s, people.trainer, build_draft(s, people.trainer, list_id, now=NOW))
    parsed = feedparser.parse(path.read_bytes())
    assert not parsed.bozo
    assert [e.title for e in parsed.entries] == ["Revue de veille du samedi 21 novembre 2026"]
    assert "TikTok teste les publications longues" in parsed.entries[0].content[0].value

    path.unlink()  # a wiped disk: the address still works once the page shows it
    with session_scope() as s:
        assert subscription_url(s, people.trainer, list_id) == url
    assert len(feedparser.parse(path.read_bytes()).entries) == 1

    with session_scope() as s:
        with pytest.raises(AccessDenied):
            enable_feed(s, people.other_trainer, list_id)
        with pytest.raises(AccessDenied):
            disable_feed(s, people.alice, list_id)
        disable_feed(s, people.trainer, list_id)
    assert not path.exists()
    with session_scope() as s:
        assert subscription_url(s, people.trainer, list_id) is None
        assert enable_feed(s, people.trainer, list_id) != url  # a new address: the old one is dead
