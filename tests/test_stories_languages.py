"""Issue 20: one story told in French by one outlet and in English by another is grouped when the
translation memory already holds the English title's French translation; the grouping reads the
memory only (never a provider), and names alone do not merge two stories across languages."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select

from curation.models import Entry
from curation.stories import group_new_entries
from curation.translation import providers
from curation.translation.memory import normalise_text, store_memory, text_hash
from tests.entry_factory import add_entry, add_feed
from workbench.db import session_scope

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
FRENCH_TITLE = "Vinted rachète le studio lituanien Trendyol pour 80 millions d’euros"
FRENCH = (
    "Vinted rachète le studio lituanien Trendyol pour 80 millions d’euros, a annoncé mercredi la plateforme "
    "de seconde main. L’opération doit être finalisée en juillet, selon Thomas Plantenga, directeur général "
    "de Vinted."
)
ENGLISH_TITLE = "Vinted buys Lithuanian studio Trendyol for 80 million euros"
DECOY_TITLE = "Vinted buys Lithuanian studio Trendyol"
DECOY = (
    "Vinted is buying Trendyol's Lithuanian studio for 35 million euros, the company said in Vilnius on "
    "Monday, with Adams Hale joining its board in March."
)


@pytest.fixture(autouse=True)
def _no_provider(monkeypatch):
    """Grouping reads the memory only: any call to a translation provider fails the test."""

    def refuse(*args, **kwargs):
        raise AssertionError("story grouping called a translation provider")

    monkeypatch.setattr(providers, "translate_one", refuse)


def _remember(session, title: str, translated: str) -> None:
    normalised = normalise_text(title)
    store_memory(session, "libre", "en", "fr", [(text_hash(normalised), normalised, translated, len(title))])


def _stories(people, tellings: list[tuple[str, str, str, float]], *, together: bool = True) -> list[int]:
    """Story ids of (title, text, language, hours after T0) entries of one outlet each, grouped in
    one run (``together``) or one run per entry, in time order."""
    with session_scope() as s:
        entries = [
            add_entry(
                s,
                add_feed(s, f"Média {n}", user_id=people.alice.id),
                title,
                text,
                language=language,
                published=T0 + timedelta(hours=hours),
            )
            for n, (title, text, language, hours) in enumerate(tellings)
        ]
        ids = [e.id for e in entries]
    for batch in [ids] if together else [[i] for i in ids]:
        with session_scope() as s:
            group_new_entries(s, batch)
    with session_scope() as s:
        story = dict(s.execute(select(Entry.id, Entry.story_id)).all())
    return [story[i] for i in ids]


@pytest.mark.parametrize("together", [True, False])
def test_english_title_known_in_the_memory_joins_the_french_story(db_url, people, together):
    with session_scope() as s:
        _remember(s, ENGLISH_TITLE, "Vinted rachète le studio lituanien Trendyol pour 80 millions d’euros")
    ids = _stories(people, [(FRENCH_TITLE, FRENCH, "fr", 0), (ENGLISH_TITLE, "", "en", 4)], together=together)
    assert ids[0] == ids[1]


def test_the_french_telling_after_the_english_one_finds_it_through_the_memory(db_url, people):
    """The English entry is grouped first (alone); the French one, a run later, meets its translation."""
    with session_scope() as s:
        _remember(s, ENGLISH_TITLE, "Vinted rachète le studio lituanien Trendyol pour 80 millions d’euros")
    ids = _stories(people, [(ENGLISH_TITLE, "", "en", 0), (FRENCH_TITLE, FRENCH, "fr", 4)], together=False)
    assert ids[0] == ids[1]


def test_without_the_translation_the_languages_stay_apart(db_url, people):
    ids = _stories(people, [(FRENCH_TITLE, FRENCH, "fr", 0), (ENGLISH_TITLE, "", "en", 4)])
    assert ids[0] != ids[1]


def test_a_translated_title_that_fits_does_not_merge_other_facts(db_url, people):
    """The translation fits the French title, but figures, place, date and person differ: a decoy."""
    with session_scope() as s:
        _remember(s, DECOY_TITLE, "Vinted rachète le studio lituanien Trendyol")
    ids = _stories(people, [(FRENCH_TITLE, FRENCH, "fr", 0), (DECOY_TITLE, DECOY, "en", 6)])
    assert ids[0] != ids[1]
