"""OPML: real-world exports import with their folders; a broken file imports nothing."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import func, select

from curation.feeds import list_subscriptions
from curation.models import Feed, Subscription
from curation.opml import OpmlError, export_opml, import_opml, parse_opml
from workbench.db import session_scope
from workbench.errors import AccessDenied

OPML = Path(__file__).resolve().parent / "fixtures" / "opml"


def test_feedly_export_folders() -> None:
    doc = parse_opml((OPML / "feedly.opml").read_bytes())
    assert [(f.title, f.folder) for f in doc.feeds] == [
        ("Le Blog du Modérateur", "Community management"),
        ("Social Media Today", "Community management"),
        ("Buffer", "Marketing"),
    ]


def test_inoreader_export_nested_folders_and_odd_attributes() -> None:
    doc = parse_opml((OPML / "inoreader.opml").read_bytes())
    folders = {f.title: f.folder for f in doc.feeds}
    assert folders == {
        "Hootsuite Blog": "Veille / Réseaux sociaux",
        "Later Blog": "Veille",
        "Sans dossier": "",
        "Podcast": "",
    }
    assert doc.feeds[-1].url == "https://podcast.example.com/rss"  # lower-case xmlurl, feed:// scheme


def test_freshrss_export_skips_non_web_addresses() -> None:
    doc = parse_opml((OPML / "freshrss.opml").read_bytes())
    assert [(f.title, f.folder) for f in doc.feeds] == [
        ("Presse-citron", "Sans catégorie"),
        ("Influencia", "CM & RP"),
    ]
    assert doc.skipped == ["javascript:alert(1)"]


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ((OPML / "broken.opml").read_bytes(), "XML mal formé"),
        ((OPML / "no_feeds.opml").read_bytes(), "Aucun flux"),
        (b"<html><body>not opml</body></html>", "pas un fichier OPML"),
        (b"<opml version='2.0'><head/></opml>", "<body>"),
        (
            b'<?xml version="1.0"?><!DOCTYPE opml [<!ENTITY a "aaaa">]><opml><body><outline xmlUrl="https://a.fr/&a;"/></body></opml>',
            "entités XML",
        ),
    ],
)
def test_broken_opml_gets_a_french_message(data: bytes, words: str) -> None:
    with pytest.raises(OpmlError) as err:
        parse_opml(data)
    assert words in str(err.value) and "rien n’a été importé" in str(err.value)


def test_import_subscribes_with_folders_and_is_idempotent(people, db_url) -> None:
    with session_scope() as s:
        result = import_opml(s, people.alice, (OPML / "inoreader.opml").read_bytes(), folder="Import")
    assert (result.feeds, result.added, result.already) == (4, 4, 0)
    assert "Import / Veille / Réseaux sociaux" in result.folders
    with session_scope() as s:
        again = import_opml(s, people.alice, (OPML / "inoreader.opml").read_bytes())
        bob = import_opml(s, people.bob, (OPML / "inoreader.opml").read_bytes())
    assert (again.added, again.already) == (0, 4) and bob.added == 4
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) == 4  # stored once per URL, shared
        assert s.scalar(select(func.count(Subscription.id))) == 8


def test_broken_opml_imports_nothing(people, db_url) -> None:
    with pytest.raises(OpmlError), session_scope() as s:
        import_opml(s, people.alice, (OPML / "broken.opml").read_bytes())
    with session_scope() as s:
        assert s.scalar(select(func.count(Feed.id))) == 0


def test_cohort_import_is_for_its_trainer_only(people, db_url) -> None:
    data = (OPML / "feedly.opml").read_bytes()
    with pytest.raises(AccessDenied), session_scope() as s:
        import_opml(s, people.alice, data, cohort_id=people.cohort_id)
    with pytest.raises(AccessDenied), session_scope() as s:
        import_opml(s, people.other_trainer, data, cohort_id=people.cohort_id)
    with session_scope() as s:
        assert import_opml(s, people.trainer, data, cohort_id=people.cohort_id).added == 3
    with session_scope() as s:
        alice = list_subscriptions(s, people.alice)
        zoe = list_subscriptions(s, people.zoe)
    assert len(alice) == 3 and not any(v.can_edit for v in alice) and alice[0].owner == "Promo CM 2026"
    assert zoe == []


def test_export_round_trip(people, db_url) -> None:
    with session_scope() as s:
        import_opml(s, people.alice, (OPML / "inoreader.opml").read_bytes())
        exported = export_opml(s, people.alice)
    doc = parse_opml(exported)
    assert sorted((f.url, f.folder) for f in doc.feeds) == sorted(
        (f.url, f.folder) for f in parse_opml((OPML / "inoreader.opml").read_bytes()).feeds
    )


def _opml(*urls: str) -> bytes:
    outlines = "".join(f'<outline type="rss" text="Ligne {n}" xmlUrl="{u}"/>' for n, u in enumerate(urls))
    return f'<?xml version="1.0"?><opml version="2.0"><body>{outlines}</body></opml>'.encode()


def test_a_line_that_is_no_address_is_skipped_not_followed() -> None:
    """« pas une adresse » became the feed https://pas une adresse/ (a source that could only fail)."""
    doc = parse_opml(_opml("https://a.example.fr/feed", "pas une adresse", "https://exa mple.fr/rss"))
    assert [f.url for f in doc.feeds] == ["https://a.example.fr/feed"]
    assert doc.skipped == ["pas une adresse", "https://exa mple.fr/rss"]


def test_the_file_and_the_add_form_refuse_the_same_addresses() -> None:
    """One rule (``normalise_feed_url``): a bare word or a quote in the site's name is no source either."""
    doc = parse_opml(_opml("https://a.example.fr/feed", "veille", "https://exemple.fr&quot;x/rss"))
    assert [f.url for f in doc.feeds] == ["https://a.example.fr/feed"]
    assert doc.skipped == ["veille", 'https://exemple.fr"x/rss']


def test_a_feed_twice_in_the_file_is_counted_once_and_said(people, db_url) -> None:
    """A duplicate line was counted as « déjà suivi » though nobody followed it before the import."""
    data = _opml("https://a.example.fr/feed", "https://b.example.fr/feed", "https://A.example.fr/feed")
    with session_scope() as s:
        result = import_opml(s, people.alice, data)
    assert (result.feeds, result.added, result.already, result.duplicates) == (2, 2, 0, 1)
    assert result.message == (
        "2\u00a0flux lus\u00a0: 2\u00a0nouveaux abonnements, 0\u00a0déjà suivi\u00a0; 1\u00a0adresse en double "
        "dans le fichier, suivie une fois. Ils seront lus à la prochaine actualisation."
    )


def test_the_import_message_writes_numbers_the_french_way(people, db_url) -> None:
    data = _opml(*(f"https://source-{n}.example.fr/feed" for n in range(1200)))
    with session_scope() as s:
        result = import_opml(s, people.alice, data)
    assert result.message.startswith("1\u202f200\u00a0flux lus\u00a0: 1\u202f200\u00a0nouveaux abonnements, ")


def test_a_file_already_imported_promises_no_reading(people, db_url) -> None:
    """« 0 nouvel abonnement, 4 déjà suivis. Ils seront lus à la prochaine actualisation. »: nothing new to read."""
    data = (OPML / "inoreader.opml").read_bytes()
    with session_scope() as s:
        import_opml(s, people.alice, data)
    with session_scope() as s:
        again = import_opml(s, people.alice, data)
    assert again.message == (
        "4\u00a0flux lus\u00a0: 0\u00a0nouvel abonnement, 4\u00a0déjà suivis. Rien de nouveau à lire\u00a0: "
        "vous suiviez déjà tous ces flux."
    )


def test_a_site_address_that_is_no_web_address_is_not_kept(people, db_url) -> None:
    """The one address rule (``web_url``) for a feed's site, as for every address from outside."""
    data = (
        b'<?xml version="1.0"?><opml version="2.0"><body>'
        b'<outline type="rss" text="A" xmlUrl="https://a.example.fr/feed" htmlUrl="https://a.example.fr/&quot;&gt;x"/>'
        b'<outline type="rss" text="B" xmlUrl="https://b.example.fr/feed" htmlUrl="https://b.example.fr/"/>'
        b"</body></opml>"
    )
    with session_scope() as s:
        import_opml(s, people.alice, data)
        assert sorted(s.scalars(select(Feed.site_url))) == ["", "https://b.example.fr/"]
