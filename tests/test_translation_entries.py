"""Wall entries in French: titles and summaries, one batched run, memory shared with the digest,
only for entries the person follows."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from curation.feeds import get_or_create_feed, subscribe_feed
from curation.models import Entry
from curation.translation.entries import translate_entries, translate_entry_article
from tests.libre_fake import FakeLibre, serve_libre
from workbench.db import session_scope
from workbench.errors import NotFound


@pytest.fixture
def libre(monkeypatch) -> Iterator[FakeLibre]:
    with serve_libre(monkeypatch) as state:
        yield state


@pytest.fixture
def wall(people) -> dict[str, int]:
    """A cohort feed (English and French entries) and Zoé's own feed."""
    with session_scope() as s:
        shared = get_or_create_feed(s, "https://cm.example.org/feed.xml")
        subscribe_feed(s, people.trainer, shared, cohort_id=people.cohort_id)
        other = get_or_create_feed(s, "https://zoe.example.org/feed.xml")
        subscribe_feed(s, people.zoe, other)
        rows = {
            "en": Entry(
                feed_id=shared.id,
                guid="1",
                title="Our reach grew",
                summary="<p>Hello <b>world</b></p><p>Thanks @alice</p>",
                language="en",
            ),
            "fr": Entry(feed_id=shared.id, guid="2", title="La portée en hausse", language="fr"),
            "unknown": Entry(feed_id=shared.id, guid="3", title="Read this new post", language=""),
            "zoe": Entry(feed_id=other.id, guid="4", title="Hello world", language="en"),
        }
        s.add_all(rows.values())
        s.flush()
        return {k: e.id for k, e in rows.items()}


def test_titles_of_the_visible_wall_in_one_request(people, wall, libre) -> None:
    with session_scope() as s:
        result = translate_entries(s, people.alice, list(wall.values()))
    assert {i: t.title for i, t in result.entries.items()} == {
        wall["en"]: "Notre portée a augmenté",
        wall["unknown"]: "Lisez ceci nouveau publication",
    }
    assert libre.calls == 1  # French entries and Zoé's feed are left out


def test_card_title_and_summary_then_digest_from_memory(people, wall, libre) -> None:
    with session_scope() as s:
        card = translate_entries(s, people.alice, [wall["en"]], summaries=True).entries[wall["en"]]
    assert card.summary == "Bonjour monde\nMerci @alice"
    calls = libre.calls
    with session_scope() as s:
        digest = translate_entries(s, None, [wall["en"]], summaries=True)
    assert digest.entries[wall["en"]] == card and libre.calls == calls
    with session_scope() as s:
        known = translate_entries(s, people.bob, [wall["en"], wall["unknown"]], memory_only=True)
    assert known.entries[wall["unknown"]].title is None and known.entries[wall["unknown"]].error is None
    assert libre.calls == calls


def test_reading_view_text_needs_a_followed_entry(people, wall, libre) -> None:
    with session_scope() as s:
        s.get(Entry, wall["en"]).extracted_text = "Hello world\nRead this"
    with session_scope() as s:
        run = translate_entry_article(s, people.alice, wall["en"])
    assert [i.translated for i in run.items] == ["Notre portée a augmenté", "Bonjour monde", "Lisez ceci"]
    with session_scope() as s, pytest.raises(NotFound):
        translate_entry_article(s, people.alice, wall["zoe"])
