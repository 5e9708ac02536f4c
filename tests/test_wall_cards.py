"""A wall card drawn in few elements (a class opens 24 of them at once): its picture, badges and
text in one Markdown element, safely; its buttons in the card's own row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from curation.bundled_images import DEMO_IMAGE_URL
from curation.monitoring import rules as R
from tests.apptest import run_page
from tests.entry_factory import add_entry, add_feed
from workbench.db import session_scope

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _nodes(node) -> list:
    """Every element and block of a page (AppTest's tree)."""
    children = list(getattr(node, "children", {}).values())
    return [node, *(n for child in children for n in _nodes(child))]


def _card_texts(at) -> list[str]:
    return [m.value for m in at.markdown if "**" in m.value]


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


def test_a_cards_picture_and_badges_are_in_its_one_text_element(people):
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
    first, second = _card_texts(at)
    # an outside picture by its http(s) address, percent-encoded: nothing in it ends the Markdown
    assert first.startswith("![](https://img.example/une%281%29.png)\n\n")
    assert ":orange-badge[:material/star: Mis en évidence par «\u00a0Concu\\]rrence\u00a0»]" in first
    assert "**Offre SFR**" in first
    assert "![" not in second and "passwd" not in second  # a local path is never a picture:
    assert second.startswith(":small[:gray[:material/hide_image: Image indisponible]]")  # a placeholder

    at = run_page("screens/wall.py", people.bob)  # Bob follows nothing: the demo feeds
    assert not at.exception and not at.get("imgs")
    demo = [t for t in _card_texts(at) if t.startswith("![](")]
    assert demo and all(t.startswith(f"![]({DEMO_IMAGE_URL.removeprefix('/')}") for t in demo)
    assert all(":gray-badge[:material/school: démo]" in t for t in _card_texts(at))
    assert any(m.help and "démonstration" in m.help for m in at.markdown)  # the mark's explanation


def test_a_wall_page_draws_eight_elements_a_card(people):
    """A page of 24 cards, a picture on every other one: 28 nodes of the page's own (the filters,
    the counts, the columns), then per card the fragment's block and the card's, one text element
    and five buttons (« Lire », « Lu », « Garder », « Épingler », « Choisir le tableau »); a
    picture is no element more (there were ten a card)."""
    _wall_with_pictures(people, 30)
    at = run_page("screens/wall.py", people.alice)
    assert not at.exception
    cards = sum((b.key or "").startswith("open-") for b in at.button)
    assert cards == 24
    assert len(_nodes(at._tree)) <= 8 * cards + 28, len(_nodes(at._tree))
