"""A pin made from a demo entry keeps its picture: a bundled file served by Streamlit, nothing looser."""

from __future__ import annotations

import tomllib
from dataclasses import replace

import pytest
from sqlalchemy import select

from curation import boards, pins
from curation.board_export import to_html
from curation.bundled_images import DEMO_IMAGE_DIR, DEMO_IMAGE_URL, STATIC_DIR, image_src, stored_image
from curation.demo import ensure_starter_subscriptions
from curation.models import Entry
from curation.pins import PinData
from tests.apptest import ROOT, run_page
from tests.test_boards_pages import html_of
from workbench.db import session_scope
from workbench.errors import UserError


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


def _demo_entry_with_image(actor) -> Entry:
    run(ensure_starter_subscriptions, actor)
    with session_scope() as s:
        entry = s.scalars(
            select(Entry).where(Entry.image_url.startswith(DEMO_IMAGE_URL)).order_by(Entry.id)
        ).first()
        s.expunge(entry)
    return entry


def test_the_demo_pictures_are_served_as_static_files():
    config = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text(encoding="utf-8"))
    assert config["server"]["enableStaticServing"] is True
    assert STATIC_DIR == ROOT / "static" and len(list(DEMO_IMAGE_DIR.glob("*.svg"))) >= 7


def test_pinning_a_demo_entry_keeps_its_picture(people):
    entry = _demo_entry_with_image(people.alice)
    pin = run(pins.pin_entry, people.alice, entry.id)
    assert pin.image_url.startswith(DEMO_IMAGE_URL) and pin.image_url.endswith(".svg")
    assert (DEMO_IMAGE_DIR / pin.image_url.removeprefix(DEMO_IMAGE_URL)).is_file()
    # Editing the pin (the form sends the stored address back) keeps it too.
    kept = run(pins.update_pin, people.alice, pin.id, replace(pins.pin_data(pin), note="À reprendre"))
    assert kept.image_url == pin.image_url and kept.note == "À reprendre"
    # The board page's masonry shows it, from the static folder, relative to the page.
    at = run_page("screens/boards.py", people.alice, boards_board=pin.board_id)
    assert not at.exception
    assert f'<img src="{pin.image_url.removeprefix("/")}"' in html_of(at)
    # The « Mes tableaux » tiles use it as the board's cover.
    tiles = run_page("screens/boards.py", people.alice)
    assert f'<img src="app/static/demo/{pin.image_url.rsplit("/", 1)[1]}"' in html_of(tiles)
    # The standalone HTML export cannot reach the app: the picture is inlined there.
    board = run(boards.get_board, people.alice, pin.board_id)
    exported = to_html(board, run(pins.board_pins, people.alice, pin.board_id))
    assert '<img src="data:image/svg+xml;base64,' in exported and "app/static" not in exported


@pytest.mark.parametrize(
    "image",
    [
        "data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=",  # any data: URI, even an image
        "/app/static/demo/absent.svg",  # not one of the bundled files
        "/app/static/demo/../../.streamlit/secrets.toml",
        "/app/static/digest/feed.xml",  # the static folder holds other things
        "app/static/demo/writing.svg",  # only the exact app-relative form is stored
        "/etc/passwd",
        "javascript:alert(1)",
    ],
)
def test_other_local_or_data_images_are_still_refused(people, image):
    board = run(boards.create_board, people.alice, "Veille")
    with pytest.raises(UserError, match="L’image doit être une adresse web"):
        run(pins.add_pin, people.alice, PinData(title="Un article", image_url=image), board_id=board.id)
    assert image_src(image) == "" and stored_image(image) == ""


def test_a_bundled_picture_is_accepted_by_its_exact_address(people):
    board = run(boards.create_board, people.alice, "Veille", cover_image_url=DEMO_IMAGE_URL + "writing.svg")
    pin = run(
        pins.add_pin,
        people.alice,
        PinData(title="Un article", image_url="/app/static/demo/writing.svg"),
        board_id=board.id,
    )
    assert pin.image_url == "/app/static/demo/writing.svg" and board.cover_image_url == pin.image_url
    assert stored_image("https://exemple.fr/a.png") == "https://exemple.fr/a.png"
