"""The wall's cards drawn as one element (a class opens 24 of them at once): each card's picture,
badges and text are data of the card grid (``ui.card_grid``), its addresses checked."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from curation import pins
from curation.bundled_images import DEMO_IMAGE_URL
from curation.monitoring import rules as R
from tests.apptest import run_page, send_card_actions, wall_cards
from tests.entry_factory import add_entry, add_feed
from workbench.db import session_scope

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _nodes(node) -> list:
    """Every element and block of a page (AppTest's tree)."""
    children = list(getattr(node, "children", {}).values())
    return [node, *(n for child in children for n in _nodes(child))]


def _wall_with_pictures(people, cards: int) -> None:
    with session_scope() as s:
        feed = add_feed(s, "Média A", user_id=people.alice.id)
        for n in range(cards):
            add_entry(
                s,
                feed,
                f"Article {n}",
                "Un résumé.",
                published=T0 - timedelta(minutes=n),
                image_url="https://img.example/une(1).png" if n % 2 else "",
            )


def test_a_cards_picture_and_badges_are_data_of_the_card_grid(people):
    with session_scope() as s:
        feed = add_feed(s, "Média A", user_id=people.alice.id)
        add_entry(
            s, feed, "Offre SFR", "Un résumé.", published=T0, image_url="https://img.example/une(1).png"
        )
        add_entry(
            s, feed, "Sans image", "Un résumé.", published=T0 - timedelta(hours=1), image_url="/etc/passwd"
        )
        rule = R.create_rule(
            s, people.alice, name="Concu]rrence", query="sfr", actions=R.RuleActions(highlight=True)
        )
        R.apply_rule(s, people.alice, rule.id)
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    assert not at.get("imgs") and not at.get("badge")  # no element of their own
    first, second = wall_cards(at).values()
    assert first["img"] == "https://img.example/une(1).png"  # an outside picture by its http(s) address
    assert first["highlight"] == "Mis en évidence par «\u00a0Concu]rrence\u00a0»"  # text, as named
    assert (first["title"], first["demo"]) == ("Offre SFR", False)
    assert (second["img"], second["noimg"]) == ("", True)  # a local path is never a picture: « indisponible »

    at = run_page("screens/wall.py", people.bob)  # Bob follows nothing: the demo feeds
    assert not at.exception and not at.get("imgs")
    demo = wall_cards(at).values()
    assert demo and all(c["demo"] for c in demo)  # every card carries the « démo » mark
    assert all(c["img"].startswith(DEMO_IMAGE_URL.removeprefix("/")) for c in demo if c["img"])
    assert any(c["img"] for c in demo)


def test_a_wall_page_draws_its_cards_as_one_element(people):
    """A page of 24 cards, a picture on every other one: the page's own nodes (the filters, the
    counts, the page turns) and one element for all the cards (there were eight a card)."""
    _wall_with_pictures(people, 30)
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    assert len(wall_cards(at)) == 24
    assert len(_nodes(at._tree)) <= 30, len(_nodes(at._tree))  # 26; it was 220


def _pins(people) -> list[int]:
    with session_scope() as s:
        return [p.entry_id for p in pins.search_pins(s, people.alice)]


def test_a_click_is_done_once_even_sent_again_and_only_for_a_card_of_the_page(people):
    """The browser's script sends a click again until the server acknowledges it (a click while
    the server is busy can be merged away): each number is done once. Two clicks merged into one
    request are both done; a click naming an entry not on the page (another person's, made up)
    is dropped, and acknowledged all the same."""
    with session_scope() as s:
        feed = add_feed(s, "Média A", user_id=people.alice.id)
        first, second = (
            add_entry(s, feed, f"Article {n}", published=T0 - timedelta(minutes=n)).id for n in (1, 2)
        )
        hidden = add_entry(s, add_feed(s, "Média de Bob", user_id=people.bob.id), "À Bob").id
    at = run_page("screens/wall.py", people.alice)
    send_card_actions(at, [{"seq": 1, "entry": first, "do": "pin"}])
    assert [t.value for t in at.toast] == ["Épinglé dans votre tableau par défaut."]
    send_card_actions(
        at, [{"seq": 1, "entry": first, "do": "pin"}, {"seq": 2, "entry": second, "do": "save"}]
    )
    assert not at.exception
    assert not at.toast  # pin no. 1 not done again (it would say « Déjà épinglé »)
    assert wall_cards(at)[second]["saved"]
    send_card_actions(
        at, [{"seq": 3, "entry": hidden, "do": "pin"}, {"seq": 4, "entry": first, "do": "read"}]
    )
    assert not at.exception and not at.error  # Bob's entry: not asked of the library at all
    assert wall_cards(at)[first]["read"] and _pins(people) == [first]
    assert at.session_state["wall_card_acks"]["apptest"] == 4
    junk = [{"seq": "5", "entry": second, "do": "pin"}, {"seq": 6, "entry": str(second), "do": "pin"}]
    send_card_actions(at, [*junk, {"seq": 7, "entry": second, "do": "delete"}, "x"])
    assert not at.exception and _pins(people) == [first]  # malformed actions: nothing done
