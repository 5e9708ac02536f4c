"""The wall's translation pieces (ui.translation) in a small AppTest script: « Traduire » on a
card (what the card grid's button does), « Traduire les titres » for the visible wall,
translations remembered across people."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from streamlit.testing.v1 import AppTest

from curation.feeds import get_or_create_feed, subscribe_feed
from curation.models import Entry
from tests.libre_fake import FakeLibre, serve_libre
from workbench.db import session_scope


@pytest.fixture
def libre(monkeypatch, db_url) -> Iterator[FakeLibre]:
    with serve_libre(monkeypatch) as state:
        yield state


def mini_wall(entry_ids: list[int], languages: dict[int, str]) -> None:
    import streamlit as st

    from ui.session import require_actor
    from ui.translation import (
        card_translation_parts,
        card_translation_wanted,
        translate_card,
        wall_translations,
    )

    actor = require_actor()
    known = wall_translations(actor, entry_ids)
    for entry_id in entry_ids:  # what the wall's card grid shows of them (ui.card_grid)
        language = languages[entry_id]
        parts = card_translation_parts(entry_id, language, known)
        if parts:
            st.text(f"{parts['title']}\n{parts['summary']}\n{parts['note']}")
        if card_translation_wanted(entry_id, language, known) and st.button(
            "Traduire", key=f"translate-card-{entry_id}"
        ):
            translate_card(actor, entry_id, known)
            st.rerun()


@pytest.fixture
def wall(people) -> tuple[list[int], dict[int, str]]:
    with session_scope() as s:
        feed = get_or_create_feed(s, "https://cm.example.org/feed.xml")
        subscribe_feed(s, people.trainer, feed, cohort_id=people.cohort_id)
        rows = [
            Entry(
                feed_id=feed.id, guid="1", title="Our reach grew", summary="<p>Hello world</p>", language="en"
            ),
            Entry(feed_id=feed.id, guid="2", title="Read this new post", summary="", language="en"),
            Entry(feed_id=feed.id, guid="3", title="La portée en hausse", language="fr"),
        ]
        s.add_all(rows)
        s.flush()
        return [e.id for e in rows], {e.id: e.language for e in rows}


def _app(actor, wall) -> AppTest:
    at = AppTest.from_function(mini_wall, args=wall, default_timeout=30)
    at.session_state["actor"] = actor
    at.run()
    assert not at.exception
    return at


def _shown(at: AppTest) -> str:
    return "\n".join([*(m.value for m in at.markdown), *(t.value for t in at.text)])


def test_translate_one_card_then_the_titles_of_the_wall(people, wall, libre) -> None:
    at = _app(people.alice, wall)
    labels = [b.label for b in at.button]
    assert labels.count("Traduire") == 2  # the French card has no button
    assert "Traduire les titres" in labels

    next(b for b in at.button if b.key == f"translate-card-{wall[0][0]}").click().run()
    assert not at.exception
    assert "Notre portée a augmenté\nBonjour monde\nTraduit de «\u00a0en\u00a0» en français" in _shown(at)

    next(b for b in at.button if b.label == "Traduire les titres").click().run()
    assert not at.exception
    assert "Lisez ceci nouveau publication" in _shown(at)
    assert libre.calls == 2

    # Bob opens the same wall: everything comes from the memory, nothing is sent.
    bob = _app(people.bob, wall)
    assert "Notre portée a augmenté" in _shown(bob) and "Lisez ceci nouveau publication" in _shown(bob)
    assert "Traduire les titres" not in [b.label for b in bob.button]
    assert libre.calls == 2


def test_provider_down_keeps_the_wall_readable(people, wall, libre) -> None:
    libre.always_fail = True
    at = _app(people.alice, wall)
    next(b for b in at.button if b.label == "Traduire les titres").click().run()
    assert not at.exception
    assert any("momentanément indisponible" in w.value for w in at.warning)
    assert "Traduire les titres" in [b.label for b in at.button]


def mini_reading(entry_id: int, language: str) -> None:
    import streamlit as st

    from ui.session import require_actor
    from ui.translation import reading_translation

    actor = require_actor()
    if not reading_translation(actor, entry_id, language):
        st.markdown("ORIGINAL LAYOUT")


def test_reading_view_side_by_side_and_back_to_the_original(people, wall, libre) -> None:
    entry_id = wall[0][0]
    at = AppTest.from_function(mini_reading, args=(entry_id, "en"), default_timeout=30)
    at.session_state["actor"] = people.alice
    at.run()
    assert "ORIGINAL LAYOUT" in _shown(at)
    next(b for b in at.button if b.label == "Lire en français").click().run()
    assert not at.exception
    shown = _shown(at)
    assert "Our reach grew" in shown and "Notre portée a augmenté" in shown and "Bonjour monde" in shown
    assert "ORIGINAL LAYOUT" not in shown
    at.toggle[0].set_value(True).run()
    assert "Our reach grew" not in _shown(at) and "Bonjour monde" in _shown(at)
    next(b for b in at.button if b.label == "Voir l’original").click().run()
    assert "ORIGINAL LAYOUT" in _shown(at)

    french = AppTest.from_function(mini_reading, args=(wall[0][2], "fr"), default_timeout=30)
    french.session_state["actor"] = people.alice
    french.run()
    assert "Lire en français" not in [b.label for b in french.button]
