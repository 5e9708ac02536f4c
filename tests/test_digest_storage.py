"""Lists, drafts from stored entries, publication, history and Atom, on each database backend."""

from __future__ import annotations

from datetime import timedelta

import feedparser
import pytest
from sqlalchemy import select

from curation.digest.archive import AlreadySent, get_digest, history, publish
from curation.digest.atom import atom_feed
from curation.digest.compose import build_draft
from curation.digest.lists import (
    ListSettings,
    create_list,
    delete_list,
    find_list,
    my_lists,
    recipients,
    update_list,
)
from curation.digest.models import PENDING, DigestList
from curation.models import Entry
from tests.digest_data import NOW, add_entry, add_feed, cohort_world
from workbench.accounts import update_profile
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError


def test_list_rules(db_url, people):
    with session_scope() as s:
        with pytest.raises(UserError, match="à qui envoyer"):
            create_list(s, people.trainer, ListSettings(name="Vide"))
        with pytest.raises(AccessDenied):  # not their cohort
            create_list(s, people.other_trainer, ListSettings(name="X", cohort_id=people.cohort_id))
        with pytest.raises(AccessDenied):  # a trainee cannot target a cohort
            create_list(s, people.alice, ListSettings(name="X", cohort_id=people.cohort_id))
        with pytest.raises(UserError, match="Adresse e-mail invalide"):
            create_list(s, people.alice, ListSettings(name="Client", addresses=["pas-une-adresse"]))
        mine = create_list(
            s,
            people.alice,
            ListSettings(name=" Client  Boulangerie ", addresses=["Client@Example.fr", "client@example.fr"],
                         keywords=["pain, viennoiserie", "Pain"], tags=["#local"], max_items=5),
        )  # fmt: skip
        assert mine.name == "Client Boulangerie"
        assert mine.settings.addresses == ["client@example.fr"]
        assert mine.settings.keywords == ["pain", "viennoiserie"] and mine.settings.tags == ["local"]
        with pytest.raises(UserError, match="déjà"):
            create_list(s, people.trainer, ListSettings(name="Client Boulangerie", addresses=["a@b.fr"]))
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            update_list(s, people.bob, mine.id, ListSettings(name="Volée", addresses=["a@b.fr"]))
        with pytest.raises(UserError, match="entre 1 et 50"):
            update_list(s, people.alice, mine.id, ListSettings(name="C", addresses=["a@b.fr"], max_items=0))
        assert [v.name for v in my_lists(s, people.alice)] == ["Client Boulangerie"]
        assert my_lists(s, people.bob) == []
        delete_list(s, people.alice, mine.id)
        assert my_lists(s, people.alice) == []


@pytest.mark.parametrize(
    "address",
    [
        "<script>@x.fr",
        "a<b>@x.fr",
        '"x"@x.fr',
        "a@x.fr>",
        "a@-x.fr",
        "a@x_y.fr",
        "a..b@x.fr",
        "a@x",
        "a@x.f-",
    ],
)
def test_recipient_addresses_are_strictly_checked(db_url, people, address):
    with pytest.raises(UserError, match="Adresse e-mail invalide"), session_scope() as s:
        create_list(s, people.alice, ListSettings(name="Client", addresses=["ok@example.fr", address]))


def test_recipients_are_active_members_who_did_not_opt_out_plus_addresses(db_url, people):
    with session_scope() as s:
        update_profile(s, people.bob, display_name="Bob", digest_opt_out=True)
        view = create_list(
            s, people.trainer,
            ListSettings(name="Promo", cohort_id=people.cohort_id, addresses=["direction@ecole.fr", "ALICE@example.fr"]),
        )  # fmt: skip
        row = s.get(DigestList, view.id)
        emails = [r.email for r in recipients(s, row)]
    assert emails == ["alice@example.fr", "direction@ecole.fr"]  # Bob opted out, Zoé is elsewhere


def test_draft_takes_the_window_ranks_groups_and_uses_extracted_text(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        feed = add_feed(s, "Sans résumé", cohort_id=people.cohort_id)
        add_entry(s, feed, "Un article sans résumé", "", extracted_text="Première phrase. " + "Suite. " * 80)
        draft = build_draft(s, people.trainer, list_id, now=NOW)
    titles = [i.title for i in draft.items]
    assert "Vieil article" not in titles  # older than the default 24 hours
    assert titles[0] == "Instagram et l’engagement des marques"  # the keyword wins
    assert draft.candidate_count == 4
    by_title = {i.title: i for i in draft.items}
    tiktok = by_title["TikTok teste les publications longues"]
    assert tiktok.summary == "Le réseau teste un format."  # plain text of the sanitised summary
    assert tiktok.image_url == "https://img.example/tiktok.jpg"
    assert tiktok.sources[0].name == "Le Blog du Modérateur"
    assert by_title["Un article sans résumé"].summary.startswith("Première phrase. Suite.")
    assert len(by_title["Un article sans résumé"].summary) <= 300
    assert draft.sections()[0][0] == "Réseaux sociaux"
    with session_scope() as s:
        longer = build_draft(s, people.trainer, list_id, now=NOW, since=timedelta(hours=72))
    assert "Vieil article" in [i.title for i in longer.items]


def test_duplicates_across_sources_are_one_item_with_every_source(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        other = add_feed(s, "Presse-citron", cohort_id=people.cohort_id)
        add_entry(
            s, other, "TikTok teste des posts longs", "Reprise.", link="https://pc.example/1", story_id=42
        )
        tiktok = s.scalar(select(Entry).where(Entry.title.like("TikTok teste les%")))
        tiktok.story_id = 42
        s.flush()
        draft = build_draft(s, people.trainer, list_id, now=NOW)
    items = [i for i in draft.items if i.title.startswith("TikTok")]
    assert len(items) == 1
    assert {src.name for src in items[0].sources} == {"Le Blog du Modérateur", "Presse-citron"}


def test_english_items_are_translated_through_the_shared_memory(db_url, people, monkeypatch):
    from tests.libre_fake import FakeLibreServer
    from workbench.settings import get_settings

    list_id = cohort_world(people, db_url)
    with FakeLibreServer() as libre:
        monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "libre")
        monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER_URL", libre.url)
        monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "1")
        get_settings.cache_clear()
        with session_scope() as s:
            draft = build_draft(s, people.trainer, list_id, now=NOW)
        calls = libre.calls
        with session_scope() as s:  # the second time, everything comes from the memory
            build_draft(s, people.trainer, list_id, now=NOW)
        assert libre.calls == calls
    item = next(i for i in draft.items if i.language == "en")
    assert item.title == "Bonjour monde"
    assert item.original_title == "Hello world"
    assert item.summary == "Notre portée a augmenté."  # the CM glossary applied
    assert not draft.notices


def test_publish_is_once_a_day_unless_forced_and_history_and_atom(db_url, people):
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        draft = build_draft(s, people.trainer, list_id, now=NOW)
        first = publish(s, people.trainer, draft)
    assert first.counts == {PENDING: 2} and first.item_count == 3
    with session_scope() as s, pytest.raises(AlreadySent, match="déjà été envoyée"):
        publish(s, people.trainer, build_draft(s, people.trainer, list_id, now=NOW))
    with session_scope() as s:
        again = publish(s, people.trainer, build_draft(s, people.trainer, list_id, now=NOW), force=True)
        assert again.revision == 1 and again.item_count == 3  # the same day again: the same window
        # the next day's window starts where the last digest ended
        tomorrow = build_draft(s, people.trainer, list_id, now=NOW + timedelta(days=1))
        assert tomorrow.window_start == NOW and tomorrow.items == []
    with session_scope() as s:
        past = history(s, people.trainer, list_id)
        assert [d.id for d in past] == [again.id, first.id]
        assert past[1].label.startswith("Samedi 21 novembre 2026 — Promo CM 2026")
        view = get_digest(s, people.trainer, first.id)
        assert view.summary.subject == "Revue de veille du samedi 21 novembre 2026"
        assert {d.email for d in view.deliveries} == {"alice@example.fr", "bob@example.fr"}
        member_view = get_digest(s, people.alice, first.id)  # a member reads it, not the recipients
        assert member_view.html == view.html and member_view.deliveries == []
        assert [d.id for d in history(s, people.alice)] == [again.id, first.id]
        with pytest.raises(AccessDenied):
            get_digest(s, people.zoe, first.id)
        with pytest.raises(AccessDenied):
            history(s, people.other_trainer, list_id)
        row, owner = find_list(s, "Promo CM 2026")
        assert owner == people.trainer
        feed_xml = atom_feed(s, row)
    parsed = feedparser.parse(feed_xml)
    assert not parsed.bozo, parsed.get("bozo_exception")
    assert parsed.feed.title == "Revue de veille — Promo CM 2026"
    assert len(parsed.entries) == 2
    assert parsed.entries[0].title == "Revue de veille du samedi 21 novembre 2026"
    assert "Instagram et l’engagement des marques" in parsed.entries[0].content[0].value
    assert len({e.id for e in parsed.entries}) == 2


def test_find_list_explains_unknown_names(db_url, people):
    cohort_world(people, db_url)
    with session_scope() as s, pytest.raises(UserError, match="Listes existantes : « Promo CM 2026 »"):
        find_list(s, "Inconnue")
