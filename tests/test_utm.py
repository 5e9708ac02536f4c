"""The tracked link of a pin's post follows the network chosen, in the link and in the text."""

from __future__ import annotations

from curation import boards, pins
from curation.pins import PinData
from curation.utm import Utm, retag_links, utm_link
from tests.apptest import run_page
from workbench.db import session_scope


def test_retag_links_replaces_the_pins_tagged_link_only() -> None:
    url = "https://exemple.fr/article?id=3"
    old = utm_link(url, Utm(source="x", campaign="rentrée"))
    text = f"À lire\u00a0: {old}.\nAussi https://autre.fr/page?utm_source=x et {url}"
    new = retag_links(text, url, Utm(source="linkedin", campaign="rentrée"))
    tagged = "https://exemple.fr/article?id=3&utm_source=linkedin&utm_medium=social&utm_campaign=rentree"
    assert new == f"À lire\u00a0: {tagged}.\nAussi https://autre.fr/page?utm_source=x et {url}"


def test_switching_network_moves_the_utm_source_in_the_drafted_text(people) -> None:
    with session_scope() as s:
        board = boards.create_board(s, people.alice, "Veille")
        pin = pins.add_pin(
            s, people.alice, PinData(title="Chiffres", url="https://exemple.fr/a"), board_id=board.id
        )
    at = run_page("screens/boards.py", people.alice, boards_board=board.id, boards_pin=pin.id)
    at.selectbox(key=f"post_{pin.id}_net").set_value("x").run()
    assert "utm_source=x" in at.text_area(key=f"post_{pin.id}_text").value
    at.selectbox(key=f"post_{pin.id}_net").set_value("linkedin").run()
    assert not at.exception
    text = at.text_area(key=f"post_{pin.id}_text").value
    assert "utm_source=linkedin" in text and "utm_source=x" not in text
    assert any("utm_source=linkedin" in c.value for c in at.code)  # the link shown to copy
