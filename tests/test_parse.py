"""Feed parsing: paired good and broken fixtures, every format, normalised the same way."""

from __future__ import annotations

import time
from datetime import UTC, datetime
from pathlib import Path

import pytest

from curation.language import detect_language, normalise_language
from curation.parse import ParseError, parse_feed
from curation.sanitize import sanitize_html, to_text
from curation.urls import canonical_url

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "feeds"


def load(name: str, url: str = "https://fixture.example/feed"):
    return parse_feed((FIXTURES / name).read_bytes(), url=url)


def test_rss20_entries_are_normalised() -> None:
    feed = load("rss20_good.xml")
    assert (feed.title, feed.language, feed.ttl_minutes) == ("Le Blog du CM", "fr", 90)
    first, podcast, threads = feed.entries
    assert first.guid == "blog-cm-12"
    assert first.link == "https://blog-cm.example.fr/charte-moderation?id=12"  # utm_* and fragment gone
    assert first.author == "Camille Martin"
    assert first.published_at == datetime(2026, 11, 20, 7, 30, tzinfo=UTC)
    assert first.image_url == "https://blog-cm.example.fr/media/charte-large.jpg"  # media:content
    assert "<script" not in first.summary and "alert" not in first.summary
    assert 'href="https://blog-cm.example.fr/guide"' in first.summary  # relative link made absolute
    assert "onclick" not in first.content and "javascript:" not in first.content
    assert 'src="https://blog-cm.example.fr/images/charte.png"' in first.content
    assert podcast.image_url == "https://cdn.example.fr/cover-12.jpg"  # image enclosure
    assert threads.link == "https://blog-cm.example.fr/threads-europe"  # fbclid, gclid gone
    assert threads.image_url == "https://blog-cm.example.fr/thumbs/threads.png"  # media:thumbnail
    assert all(e.content_hash and len(e.content_hash) == 64 for e in feed.entries)


def test_entries_without_ids_or_dates_get_stable_ids() -> None:
    feed = load("rss20_no_ids_no_dates.xml")
    assert len(feed.entries) == 3
    only_link, no_link, bare = feed.entries
    assert only_link.guid == "https://noid.example.com/a" and only_link.published_at is None
    assert no_link.guid.startswith("sha256:") and no_link.link == ""
    assert bare.guid.startswith("sha256:") and bare.guid != no_link.guid
    assert [e.guid for e in load("rss20_no_ids_no_dates.xml").entries] == [e.guid for e in feed.entries]


def test_rss091_with_netscape_doctype_is_read() -> None:
    feed = load("rss091.xml")
    assert feed.title == "Old School News" and feed.language == "en" and len(feed.entries) == 2


def test_rss10_rdf_is_read() -> None:
    feed = load("rss10_rdf.xml")
    assert [e.title for e in feed.entries] == ["Brands and memes", "Community building tips"]
    assert feed.entries[1].published_at == datetime(2026, 11, 18, 8, 0, tzinfo=UTC)
    assert feed.entries[0].author == "Sam"


def test_atom_with_xml_base_and_languages() -> None:
    feed = load("atom_good.xml")
    first, second = feed.entries
    assert first.title == "Writing short posts"  # HTML title reduced to text
    assert first.link == "https://atom.example.net/blog/posts/short-posts"
    assert first.image_url == "https://atom.example.net/blog/img/short.png"  # first <img> of the content
    assert first.published_at == datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
    assert first.updated_at == datetime(2026, 11, 20, 10, 0, tzinfo=UTC)
    assert first.language == "en" and second.language == "fr"  # xml:lang on the entry wins


def test_itunes_image_and_author() -> None:
    entry = load("itunes_podcast.xml").entries[0]
    assert entry.image_url == "https://podcast.example.com/ep1.jpg" and entry.author == "Léa"


def test_json_feed_11_and_10() -> None:
    feed = load("jsonfeed_11.json")
    assert feed.title == "JSON Veille" and feed.language == "fr"
    assert feed.skipped == 1  # the item that is not an object
    first, second, odd = feed.entries
    assert first.link == "https://json.example.org/un" and first.author == "Inès"
    assert first.image_url == "https://json.example.org/img/un.png" and "<script" not in first.content
    assert second.guid == "2" and second.language == "en" and second.content.count("<p>") == 2
    assert odd.published_at is None and odd.image_url == "https://json.example.org/a.png"
    old = load("jsonfeed_10.json")
    assert old.entries[0].author == "Kim" and old.entries[0].summary == "A summary"


@pytest.mark.parametrize("name", ["latin1_declared.xml", "latin1_mislabeled.xml"])
def test_encodings_declared_or_wrong_are_read(name: str) -> None:
    feed = load(name)
    assert feed.title == "Réseaux et société"
    assert feed.entries[0].title == "Les élèves découvrent la modération"


def test_latin1_mislabeled_gets_a_warning_only() -> None:
    assert load("latin1_mislabeled.xml").warning and not load("latin1_declared.xml").warning


def test_malformed_but_salvageable_keeps_its_entries() -> None:
    feed = load("malformed_salvageable.xml")
    assert [e.title for e in feed.entries] == ["Premier & dernier", "Second"]
    assert "erreurs de format" in feed.warning


def test_odd_entries_never_stop_the_feed() -> None:
    feed = load("odd_entry.xml")
    assert len(feed.entries) == 4
    future = feed.entries[1]
    assert future.published_at is not None and future.published_at <= datetime.now(UTC)
    assert feed.entries[2].published_at is None


@pytest.mark.parametrize("name", ["entity_expansion.xml", "external_entity.xml"])
def test_entity_declarations_fail_fast_in_french(name: str) -> None:
    started = time.monotonic()
    with pytest.raises(ParseError) as err:
        load(name)
    assert err.value.kind == "entities" and "entités XML" in str(err.value)
    assert time.monotonic() - started < 0.5


@pytest.mark.parametrize(
    ("name", "kind", "words"),
    [
        ("garbage.xml", "not_a_feed", "pas un flux RSS"),
        ("html_page.html", "not_a_feed", "page web"),
    ],
)
def test_not_a_feed(name: str, kind: str, words: str) -> None:
    with pytest.raises(ParseError) as err:
        load(name)
    assert err.value.kind == kind and words in str(err.value)


def test_empty_and_broken_json() -> None:
    with pytest.raises(ParseError, match="vide"):
        parse_feed(b"  \n")
    with pytest.raises(ParseError, match="JSON mal formé"):
        parse_feed(b'{"version": "https://jsonfeed.org/version/1.1", ')
    with pytest.raises(ParseError, match="pas un flux"):
        parse_feed(b'{"hello": "world"}')


def test_canonical_urls() -> None:
    assert (
        canonical_url("HTTPS://Example.COM:443/a/b?utm_source=x&id=3&fbclid=y&mc_cid=1#top")
        == "https://example.com/a/b?id=3"
    )
    assert canonical_url("http://example.com:8080") == "http://example.com:8080/"
    assert canonical_url("/relative?gclid=1&q=ok", "https://site.fr/blog/") == "https://site.fr/relative?q=ok"
    assert canonical_url("mailto:someone@example.com") == "mailto:someone@example.com"


def test_sanitiser_allow_list() -> None:
    dirty = (
        '<p style="x" onclick="y">Hi<iframe src="https://evil"></iframe><form><input></form>'
        '<a href="javascript:alert(1)">j</a><a href="page.html" target="_blank">ok</a>'
        '<img src="data:image/svg+xml;base64,PHN2Zz4=" onerror="x"><img src="data:text/html,<script>">'
        "<svg><script>alert(1)</script></svg></p>"
    )
    clean = sanitize_html(dirty, "https://site.fr/blog/")
    for forbidden in (
        "onclick",
        "style=",
        "iframe",
        "<form",
        "<input",
        "javascript:",
        "onerror",
        "text/html",
        "<svg",
        "target=",
    ):
        assert forbidden not in clean, forbidden
    assert '<a href="https://site.fr/blog/page.html" rel="noopener noreferrer nofollow">ok</a>' in clean
    assert 'src="data:image/svg+xml;base64,PHN2Zz4="' in clean
    assert to_text("<p>Un&nbsp;texte &amp; <b>gras</b></p><p>Suite</p>") == "Un texte & gras\nSuite"


def test_language_detection_and_normalisation() -> None:
    assert detect_language("Le boom des newsletters") == "fr"
    assert detect_language("LinkedIn changes its algorithm") == "en"
    assert detect_language("La nueva red social de los jóvenes") == "es"
    assert detect_language("42 !") == ""
    assert (
        normalise_language("fr-FR") == "fr"
        and normalise_language("EN_us") == "en"
        and normalise_language("??") == ""
    )


@pytest.mark.parametrize(
    "name",
    [
        "rss20_good.xml",
        "rss20_no_ids_no_dates.xml",
        "rss091.xml",
        "rss10_rdf.xml",
        "atom_good.xml",
        "itunes_podcast.xml",
        "latin1_declared.xml",
    ],
)
def test_fast_path_gives_what_feedparser_gives(name: str, monkeypatch) -> None:
    """Same ids, links, text, images and dates whichever reader handled the document."""
    from curation import xmlfeed

    assert xmlfeed.read_xml_feed((FIXTURES / name).read_bytes(), "https://fixture.example/feed") is not None
    fast = load(name)
    monkeypatch.setattr(xmlfeed, "read_xml_feed", lambda data, url: None)  # parse_feed imports it when called
    slow = load(name)
    assert (fast.title, fast.site_url, fast.language, fast.ttl_minutes) == (
        slow.title,
        slow.site_url,
        slow.language,
        slow.ttl_minutes,
    )
    assert [e.__dict__ for e in fast.entries] == [e.__dict__ for e in slow.entries]
