"""Duplicate-story grouping: hard positives (rewording, decorations, boilerplate, lead only) and
hard negatives (same topic, similar titles), incrementally through the database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from curation.models import Entry, Feed
from curation.plugins import run_scope
from curation.stories import clean_title, group_new_entries, list_stories, regroup_all
from curation.story_models import StoryFingerprint
from tests.entry_factory import add_entry, add_feed
from workbench.db import session_scope

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)

STORY = (
    "TikTok va interdire les comptes des moins de quinze ans en Australie à partir du 10 décembre, a annoncé "
    "la plateforme mardi dans un communiqué. La mesure concerne environ 200 000 comptes selon le régulateur "
    "australien, qui avait donné six mois aux réseaux sociaux pour se conformer à la loi. Les parents pourront "
    "signaler un compte suspect depuis un formulaire. Julie Inman Grant, commissaire à la sécurité en ligne, "
    "salue une décision « attendue par les familles » et annonce des contrôles dès janvier."
)
REWORDED = (
    "TikTok va bloquer les comptes des moins de quinze ans en Australie dès le 10 décembre, a indiqué "
    "la plateforme mardi dans un message. La mesure touche environ 200 000 comptes d’après le régulateur "
    "australien, qui avait laissé six mois aux réseaux sociaux pour se conformer à la loi. Les parents pourront "
    "signaler un compte depuis un formulaire. Julie Inman Grant, commissaire à la sécurité en ligne, "
    "salue une décision « attendue par les familles » et prévoit des contrôles en janvier."
)
LEAD_ONLY = (
    "TikTok va interdire les comptes des moins de quinze ans en Australie à partir du 10 décembre, a annoncé "
    "la plateforme mardi. La mesure concerne environ 200 000 comptes selon le régulateur australien."
)
SAME_TOPIC = (
    "TikTok va interdire les lives aux moins de dix-huit ans en France à partir de janvier, a annoncé la "
    "plateforme jeudi. L’Arcom avait demandé des garanties après plusieurs signalements de cadeaux virtuels "
    "versés à des mineurs. Les créateurs concernés recevront une notification et pourront faire appel. "
    "Selon l’entreprise, 30 000 diffusions par jour sont concernées en France."
)
BOILER = " Abonnez-vous à la newsletter du Média pour ne rien manquer de l’actualité des réseaux sociaux."


def test_clean_title():
    assert clean_title("EXCLUSIF : TikTok interdit les moins de 15 ans | Le Média") == (
        "TikTok interdit les moins de 15 ans"
    )
    assert (
        clean_title("[VIDÉO] Meta lance Threads en Europe - Le Blog du CM") == "Meta lance Threads en Europe"
    )
    assert clean_title("Meta : ce qui change") == "Meta : ce qui change"


def test_story_grouping_hard_cases(db_url, people):
    with session_scope() as s:
        feeds = [add_feed(s, f"Média {i}", user_id=people.alice.id) for i in range(6)]
        # The outlet with boilerplate carries other stories too: its boilerplate is learned from them.
        for i in range(3):
            add_entry(
                s,
                feeds[4],
                f"Autre sujet numéro {i}",
                f"Un tout autre article, le numéro {i}." + BOILER,
                published=T0 - timedelta(hours=10 - i),
            )
        original = add_entry(
            s, feeds[0], "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0
        )
        reworded = add_entry(
            s,
            feeds[1],
            "EXCLUSIF : TikTok bloque les moins de 15 ans en Australie | Le Média",
            REWORDED,
            published=T0 + timedelta(hours=3),
        )
        lead = add_entry(
            s,
            feeds[2],
            "Australie : TikTok interdit aux moins de 15 ans",
            LEAD_ONLY,
            published=T0 + timedelta(hours=5),
        )
        boiler = add_entry(
            s,
            feeds[4],
            "TikTok interdit les moins de 15 ans en Australie",
            LEAD_ONLY + BOILER,
            published=T0 + timedelta(hours=6),
        )
        other = add_entry(
            s,
            feeds[3],
            "TikTok interdit les lives aux moins de 18 ans en France",
            SAME_TOPIC,
            published=T0 + timedelta(hours=4),
        )
        late = add_entry(
            s,
            feeds[5],
            "TikTok interdit les moins de 15 ans en Australie",
            STORY,
            published=T0 + timedelta(days=9),
        )
        ids = list(s.scalars(select(Entry.id)))
    with session_scope() as s:
        group_new_entries(s, ids)
    with session_scope() as s:
        story = {e.id: e.story_id for e in s.query(Entry)}
        assert story[original.id] == original.id
        assert story[reworded.id] == story[lead.id] == story[boiler.id] == original.id
        assert story[other.id] == other.id  # same topic, similar title: another story
        assert story[late.id] == late.id  # outside the time window
        assert s.query(StoryFingerprint).count() == len(ids)
        stories = list_stories(s, people.alice)
        assert len(stories) == 1 and stories[0].source_count == 4
        assert stories[0].sources[0].entry_id == original.id
        assert {src.link for src in stories[0].sources} == {
            e.link for e in s.query(Entry).where(Entry.story_id == original.id)
        }
        assert list_stories(s, people.bob) == []  # not his feeds


def test_grouping_is_incremental_and_idempotent(db_url, people):
    with session_scope() as s:
        a, b = add_feed(s, "A", user_id=people.alice.id), add_feed(s, "B", user_id=people.alice.id)
        first = add_entry(s, a, "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0)
        first_id = first.id
    with session_scope() as s:
        group_new_entries(s, [first_id])
    with session_scope() as s:
        second = add_entry(
            s, b, "TikTok bloque les moins de 15 ans", REWORDED, published=T0 + timedelta(hours=2)
        )
        second_id = second.id
    with session_scope() as s:
        group_new_entries(s, [second_id])
        group_new_entries(s, [first_id, second_id])  # twice: nothing changes
    with session_scope() as s:
        assert s.get(Entry, second_id).story_id == first_id
        assert s.query(StoryFingerprint).count() == 2
        assert regroup_all(s) == 2
    with session_scope() as s:
        assert s.get(Entry, second_id).story_id == first_id


def test_index_kept_during_a_run_follows_rollbacks_and_other_writers(db_url, people):
    """Within ``run_scope`` the window's index is kept between feeds: it must still see what another
    writer grouped meanwhile, and forget an entry whose transaction was rolled back (even when its
    id is given again to another entry)."""
    with session_scope() as s:
        a, b, c = (add_feed(s, name, user_id=people.alice.id) for name in ("A", "B", "C"))
        feeds = a.id, b.id, c.id
    with run_scope():
        with session_scope() as s:
            # Another story: SQLite gives its id again to the next entry once this is rolled back.
            ghost = add_entry(
                s, s.get(Feed, feeds[0]), "Instagram et les adolescents", SAME_TOPIC, published=T0
            )
            group_new_entries(s, [ghost.id])
            s.rollback()  # the feed failed: neither the entry nor its grouping exist
        with session_scope() as s:
            first = add_entry(
                s, s.get(Feed, feeds[1]), "TikTok bloque les moins de 15 ans", REWORDED, published=T0
            )
            first_id = first.id
        with run_scope(), session_scope() as s:  # another run in this process (someone else's refresh)
            group_new_entries(s, [first_id])
        with session_scope() as s:
            late = add_entry(
                s,
                s.get(Feed, feeds[2]),
                "TikTok interdit les moins de 15 ans en Australie",
                STORY,
                published=T0 + timedelta(hours=1),
            )
            group_new_entries(s, [late.id])
            late_id = late.id
    with session_scope() as s:
        assert s.get(Entry, late_id).story_id == first_id  # not the rolled-back ghost's id
