"""The reading view shows an article's lead image once, and every image inside its column."""

from __future__ import annotations

from curation.wall import reading_view
from tests.apptest import run_page
from tests.entry_factory import add_entry, add_feed
from workbench.db import session_scope

LEAD = "https://media.example/photos/reels.jpg"
BODY = (
    f'<p><img src="{LEAD}?utm_source=rss" width="1600" height="900" alt="Reels"></p>'
    "<p>Les Reels courts gagnent du terrain chez les marques.</p>"
    '<p><img src="https://media.example/photos/graphique.png" width="2400" alt="Graphique"></p>'
)


def _entry(people) -> int:
    with session_scope() as s:
        feed = add_feed(s, "Le Blog du CM", user_id=people.alice.id)
        return add_entry(s, feed, "Les Reels en 2026", BODY, image_url=LEAD).id


def test_the_lead_image_is_not_repeated_in_the_text(people) -> None:
    entry_id = _entry(people)
    with session_scope() as s:
        view = reading_view(s, people.alice, entry_id)
    assert view.image_url == LEAD
    assert "reels.jpg" not in view.html  # shown once, above the text
    assert "graphique.png" in view.html and "Les Reels courts" in view.html


def test_reading_view_keeps_images_inside_the_column(people) -> None:
    entry_id = _entry(people)
    at = run_page("screens/wall.py", people.alice, wall_reading=entry_id)
    assert not at.exception
    assert [i.proto.imgs[0].url for i in at.get("image")] == [LEAD]
    [body] = [h.proto.body for h in at.get("html") if "graphique.png" in h.proto.body]
    assert "max-width:100%" in body and "reels.jpg" not in body
