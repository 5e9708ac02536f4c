"""AppTest of the wall page, for a trainee and a trainer: cards, story groups, filters, reading view."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import select

from curation.demo import DEMO_FOLDER
from curation.feeds import list_subscriptions
from curation.models import Entry, EntryState
from curation.stories import group_new_entries
from tests.apptest import click_card, run_page, wall_cards
from tests.entry_factory import add_entry, add_feed
from tests.test_stories import REWORDED, STORY
from workbench.db import session_scope

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _world(people) -> dict[str, int]:
    with session_scope() as s:
        a = add_feed(s, "Média A", user_id=people.alice.id, folder="Presse")
        b = add_feed(s, "Média B", cohort_id=people.cohort_id, folder="Promo")
        first = add_entry(s, a, "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0)
        add_entry(
            s, b, "TikTok bloque les moins de 15 ans | Média B", REWORDED, published=T0 + timedelta(hours=1)
        )
        other = add_entry(
            s,
            b,
            "Ten tips for <b>community</b> managers",
            "<p>Useful tips.</p><script>alert(1)</script>",
            published=T0 - timedelta(hours=3),
            language="en",
        )
        ids = list(s.scalars(select(Entry.id)))
    with session_scope() as s:
        group_new_entries(s, ids)
    return {"first": first.id, "other": other.id}


def _texts(at) -> str:
    """The page's text: its Markdown and captions, then its cards' text (data of the card grid)."""
    cards = [" ".join([c["meta"], c["title"], c["snippet"]]) for c in wall_cards(at).values()]
    return " ".join([*(m.value for m in at.markdown), *(c.value for c in at.caption), *cards])


def test_trainee_sees_one_card_per_story(db_url, people):
    ids = _world(people)
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    texts = _texts(at)
    assert "2\u00a0sujets" in texts and "2\u00a0sources" in texts
    assert "TikTok interdit les moins de 15 ans en Australie" in texts
    assert "<script" not in texts
    # search box, then a filter that matches nothing
    at.text_input(key="wall_query").input("communauté OR community").run()
    assert not at.exception and "1\u00a0sujet" in _texts(at)
    at.text_input(key="wall_query").input("").run()
    at.selectbox(key="wall_language").select("en").run()
    assert "1\u00a0sujet" in _texts(at)
    at.selectbox(key="wall_language").select("").run()
    # mark the story read: its card says so, and it leaves the « unread » wall on the next page run
    click_card(at, ids["first"], "read")
    assert not at.exception and wall_cards(at)[ids["first"]]["read"]
    assert wall_cards(at)[ids["first"]]["meta"].endswith(" · lu")
    at.run()
    assert "1\u00a0sujet" in _texts(at)
    with session_scope() as s:
        assert s.query(EntryState).filter_by(user_id=people.alice.id, read=True).count() == 2


def test_reading_view_and_back(db_url, people):
    ids = _world(people)
    at = run_page("screens/wall.py", people.bob)  # Bob sees the cohort feed only
    assert not at.exception and "2\u00a0sujets" in _texts(at)
    click_card(at, ids["other"], "open")
    assert not at.exception
    assert any("Ten tips" in h.value for h in at.header)
    assert "Récupérer le texte de l’article" in [b.label for b in at.button]
    at.button[0].click().run()  # « Retour au mur »
    assert not at.exception and not at.header


def test_trainer_and_empty_wall(db_url, people):
    at = run_page("screens/wall.py", people.other_trainer)
    assert not at.exception
    _world(people)
    at = run_page("screens/wall.py", people.trainer)  # runs the cohort: sees its feed
    assert not at.exception and "Média B" in _texts(at)


def test_newcomer_opening_the_wall_first_sees_the_demo(db_url, people):
    at = run_page("screens/wall.py", people.zoe)  # no subscription yet, Sources never opened
    assert not at.exception
    with session_scope() as s:
        demo = list_subscriptions(s, people.zoe)
    assert demo and {v.folder for v in demo} == {DEMO_FOLDER}
    assert "sujets" in _texts(at) and any(v.title in _texts(at) for v in demo)


def test_mark_all_read_under_the_current_filter(db_url, people):
    """« Tout marquer comme lu » with the English filter: only the English entry becomes read."""
    ids = _world(people)
    at = run_page("screens/wall.py", people.alice)
    at.selectbox(key="wall_language").select("en").run()
    at.button(key="wall_mark_all").click().run()
    assert not at.exception
    with session_scope() as s:
        read = set(s.scalars(select(EntryState.entry_id).where(EntryState.read.is_(True))))
    assert read == {ids["other"]}
    at.selectbox(key="wall_language").select("").run()
    assert "1\u00a0sujet" in _texts(at)  # the story is still unread


def test_a_cards_language_is_shown_as_text(db_url, people):
    """The language comes from the feed (outside text): never Markdown; on the card, text."""
    with session_scope() as s:
        feed = add_feed(s, "Média A", user_id=people.alice.id)
        add_entry(s, feed, "Un titre", "Un résumé.", published=T0, language="x**gras**")
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    [card] = wall_cards(at).values()
    assert card["meta"].endswith(" · x**gras**")  # drawn as text (ui/card_grid.js: textContent)
    assert not any("gras" in m.value for m in at.markdown)


def test_a_cards_language_is_named_in_french(db_url, people):
    """A card said « · en » where the wall's language filter and charts say « anglais »."""
    _world(people)
    at = run_page("screens/wall.py", people.alice)
    metas = [c["meta"] for c in wall_cards(at).values()]
    assert any(m.endswith(" · anglais") for m in metas) and any(m.endswith(" · français") for m in metas), (
        metas
    )


def test_the_count_of_stories_reads_the_french_way_in_the_thousands(db_url, people):
    """« 2910 sujets · page 1 sur 122 » on a wall of 600 sources: « 1 001 sujets » as elsewhere."""
    with session_scope() as s:
        feed = add_feed(s, "Média nombreux", user_id=people.alice.id)
        for n in range(1001):
            add_entry(s, feed, f"Sujet numéro {n}", published=T0 - timedelta(minutes=n))
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    assert "1\u202f001\u00a0sujets · page 1 sur 42" in _texts(at)
