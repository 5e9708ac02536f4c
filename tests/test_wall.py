"""The wall: one card per story with all its sources, states per person, pagination, reading view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event, select

from curation.models import Entry
from curation.stories import group_new_entries
from curation.visibility import EntryFilters
from curation.wall import (
    entries_dataframe,
    hide,
    mark_all_read,
    mark_read,
    reading_view,
    set_saved,
    stories_dataframe,
    wall,
)
from tests.entry_factory import add_entry, add_feed
from tests.test_stories import REWORDED, STORY
from workbench import db as wdb
from workbench.db import session_scope
from workbench.errors import NotFound

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


@pytest.fixture
def world(db_url, people):
    with session_scope() as s:
        a = add_feed(s, "Média A", user_id=people.alice.id, folder="Presse")
        b = add_feed(s, "Média B", cohort_id=people.cohort_id, folder="Promo")
        bob = add_feed(s, "Bob privé", user_id=people.bob.id)
        story1 = add_entry(s, a, "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0)
        story2 = add_entry(
            s,
            b,
            "EXCLUSIF : TikTok bloque les moins de 15 ans | Média B",
            REWORDED,
            published=T0 + timedelta(hours=2),
            image_url="https://img.example/tiktok.jpg",
        )
        singles = [
            add_entry(
                s,
                a if i % 2 else b,
                f"Brève numéro {i} sur les réseaux sociaux",
                f"<p>Texte de la brève {i}.</p><script>alert(1)</script>",
                published=T0 - timedelta(hours=i + 1),
                language="en" if i == 3 else "fr",
            )
            for i in range(5)
        ]
        secret = add_entry(s, bob, "Secret de Bob", "Rien à voir", published=T0)
        ids = list(s.scalars(select(Entry.id)))
    with session_scope() as s:
        group_new_entries(s, ids)
    return {"story": [story1.id, story2.id], "singles": [e.id for e in singles], "secret": secret.id}


def test_story_is_one_card_with_every_source(world, people):
    with session_scope() as s:
        page = wall(s, people.alice)
    assert page.total == 6  # one story + five singles
    first = page.cards[0]
    assert first.entry_ids == world["story"] and first.source_count == 2
    assert first.title == "TikTok interdit les moins de 15 ans en Australie"
    assert first.image_url == "https://img.example/tiktok.jpg"  # from the other source
    assert world["secret"] not in [i for c in page.cards for i in c.entry_ids]
    with session_scope() as s:
        bob_page = wall(s, people.bob)
    assert world["secret"] in [c.entry_id for c in bob_page.cards]
    assert world["story"][0] not in [c.entry_id for c in bob_page.cards]  # Alice's own feed
    assert [len(c.sources) for c in bob_page.cards if c.entry_id == world["story"][1]] == [1]


def test_pagination_filters_and_search(world, people):
    with session_scope() as s:
        p1 = wall(s, people.alice, per_page=4)
        p2 = wall(s, people.alice, per_page=4, page=2)
        assert p1.pages == 2 and len(p1.cards) == 4 and len(p2.cards) == 2
        assert not {c.story_id for c in p1.cards} & {c.story_id for c in p2.cards}
        assert [c.language for c in wall(s, people.alice, EntryFilters(language="en")).cards] == ["en"]
        assert wall(s, people.alice, EntryFilters(folder="Promo")).total == 4
        assert wall(s, people.alice, query="brèves").total == 5
        assert wall(s, people.alice, query="brève -numéro").total == 0
        found = wall(s, people.alice, query="Australie")
        assert found.total == 1 and found.cards[0].source_count == 2


def test_states_are_per_person_and_cover_the_story(world, people):
    story = world["story"]
    with session_scope() as s:
        mark_read(s, people.alice, story[1])
    with session_scope() as s:
        unread = wall(s, people.alice, EntryFilters(read=False))
        assert story[0] not in [i for c in unread.cards for i in c.entry_ids]  # whole story read
        assert wall(s, people.alice, EntryFilters(read=True)).cards[0].read
        assert story[1] in [c.entry_id for c in wall(s, people.bob, EntryFilters(read=False)).cards]
        set_saved(s, people.alice, world["singles"][0])
        hide(s, people.alice, world["singles"][1])
    with session_scope() as s:
        cards = wall(s, people.alice).cards
        assert world["singles"][1] not in [c.entry_id for c in cards]
        assert [c.saved for c in cards if c.entry_id == world["singles"][0]] == [True]
        mark_read(s, people.alice, story[0], read=False)
    with session_scope() as s:
        assert wall(s, people.alice, EntryFilters(read=False)).total == 5
    with session_scope() as s, pytest.raises(NotFound):
        mark_read(s, people.alice, world["secret"])


def test_mark_all_read_marks_only_the_filtered_entries(world, people):
    """« Tout marquer comme lu » under the folder filter: the Presse entries only (one of them was
    already read), not the other outlet's copy of the story, not Bob's states; then under a search."""
    singles, story = world["singles"], world["story"]
    with session_scope() as s:
        mark_read(s, people.alice, singles[1])
        set_saved(s, people.alice, singles[3])  # a state row that exists, unread
    with session_scope() as s:
        assert mark_all_read(s, people.alice, EntryFilters(folder="Presse", read=False)) == 2
    with session_scope() as s:
        unread = entries_dataframe(s, people.alice, EntryFilters(read=False))
        assert sorted(unread["entry_id"]) == sorted([story[1], *singles[0::2]])
        assert [c.saved for c in wall(s, people.alice, EntryFilters(saved=True)).cards] == [True]
        assert wall(s, people.bob, EntryFilters(read=False)).total == 5  # Bob's wall is untouched
        assert mark_all_read(s, people.alice, EntryFilters(read=False), query="Australie") == 1
    with session_scope() as s:
        assert wall(s, people.alice, EntryFilters(read=False)).total == 3
        assert mark_all_read(s, people.alice, EntryFilters(read=False), query="Australie") == 0


def test_reading_view_is_sanitised_and_prefers_extracted_text(world, people):
    single = world["singles"][0]
    with session_scope() as s:
        view = reading_view(s, people.alice, single)
        assert "<script" not in view.html and "Texte de la brève 0" in view.html and not view.extracted
        s.get(Entry, single).extracted_text = "Premier paragraphe <b>brut</b>.\nSecond paragraphe."
    with session_scope() as s:
        view = reading_view(s, people.alice, single)
        assert view.extracted and view.html.count("<p>") == 2 and "&lt;b&gt;" in view.html
        assert len(reading_view(s, people.alice, world["story"][0]).sources) == 2
    with session_scope() as s, pytest.raises(NotFound):
        reading_view(s, people.alice, world["secret"])


def test_dataframes(world, people):
    with session_scope() as s:
        entries = entries_dataframe(s, people.alice)
        stories = stories_dataframe(s, people.alice)
        empty = entries_dataframe(s, people.alice, EntryFilters(language="de"))
    assert len(entries) == 7 and world["secret"] not in set(entries["entry_id"])
    assert {"source", "title", "text", "published_at", "language", "story_id", "read"} <= set(entries.columns)
    assert "<p>" not in " ".join(entries["text"]) and str(entries["published_at"].dt.tz) == "UTC"
    assert list(stories["entry_id"]) == world["story"] and set(stories["source_count"]) == {2}
    assert empty.empty and "title" in empty.columns


def test_a_story_card_shows_the_telling_that_matches_the_filters(world, people):
    """A story told in French and in English, the wall filtered on English: the card shows the
    English telling (its « Lire » opens it), and still lists every source."""
    with session_scope() as s:
        s.get(Entry, world["story"][1]).language = "en"
    with session_scope() as s:
        english = wall(s, people.alice, EntryFilters(language="en"))
        everything = wall(s, people.alice)
    card = next(c for c in english.cards if c.story_id == everything.cards[0].story_id)
    assert card.entry_id == world["story"][1] and card.language == "en"
    assert card.entry_ids == world["story"]  # both tellings stay listed
    assert everything.cards[0].entry_id == world["story"][0]  # unfiltered: the first telling


def test_a_page_is_read_in_four_statements_its_cohorts_once(world, people, db_url):
    """A class opens the wall at once: the person's cohorts were read twice per page, the total
    apart from the page, the states apart from the cards (seven statements)."""
    seen: list[str] = []

    def count(_conn, _cursor, statement, *_args) -> None:
        seen.append(statement)

    engine = wdb.get_engine(db_url)
    with session_scope() as s:
        event.listen(engine, "before_cursor_execute", count)
        try:
            page = wall(s, people.alice, per_page=4)
        finally:
            event.remove(engine, "before_cursor_execute", count)
        past = wall(s, people.alice, per_page=4, page=3)  # past the last page: still counted
    assert page.total == 6 and len(page.cards) == 4 and page.pages == 2
    assert past.total == 6 and past.cards == []
    assert len(seen) <= 4, seen
    assert sum("FROM memberships" in statement for statement in seen) == 1, seen
