"""The house rule for the wall's card grid (``ui/card_grid.py`` and its script ``ui/card_grid.js``):
outside text reaches the page only as text, pictures only from an http(s) address or one of the
app's own, links only to an http(s) address, opened apart (``rel="noopener noreferrer"``).

The script is read as ``tests/test_outside_text_sinks.py`` reads the screens: no way to make
markup from a string (``innerHTML`` and its kin), text only through ``textContent`` and text
nodes, and each address sink behind its check. The data the page gives it is checked for a
hostile entry (an ``<img onerror>`` title, ``javascript:`` links and pictures); the browser test
``tests/browser/test_card_grid_dom.py`` runs the script itself on that data.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest

from curation.wall import Card, CardSource

ROOT = Path(__file__).resolve().parent.parent
SCRIPTS = sorted(ROOT.glob("ui/*.js"))
# What turns a string into markup or code in a page.
MARKUP_SINKS = re.compile(
    r"innerHTML|outerHTML|insertAdjacentHTML|document\.write|\beval\s*\(|\bFunction\s*\(|srcdoc"
    r"|createContextualFragment|DOMParser|setAttribute\(\s*[\"'](?:on\w+|href|src|style)[\"']"
)
ADDRESS_SINK = re.compile(r"\.(src|href|action|formAction)\s*=")
GUARDS = {"src": "PICTURE.test(", "href": "WEB.test("}  # the check each address sink sits behind
HOSTILE_TITLE = '<img src=x onerror="window.pwned=1">Titre'


def _problems(script: str) -> list[str]:
    problems = [f"markup sink {m.group(0)!r}" for m in MARKUP_SINKS.finditer(script)]
    for m in ADDRESS_SINK.finditer(script):
        before = script[max(0, m.start() - 300) : m.start()]
        guard = GUARDS.get(m.group(1))
        if guard is None or guard not in before:
            problems.append(f"address sink {m.group(0)!r} without its check")
    return problems


def test_the_card_grid_has_a_script_to_read() -> None:
    assert [p.name for p in SCRIPTS] == ["card_grid.js"]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.name)
def test_the_scripts_put_outside_text_in_the_page_as_text_only(path: Path) -> None:
    script = path.read_text(encoding="utf-8")
    assert _problems(script) == []
    assert "textContent" in script  # how its text goes in
    assert 'rel = "noopener noreferrer"' in script and 'target = "_blank"' in script


@pytest.mark.parametrize(
    "bad",
    [
        "box.innerHTML = card.title;",
        "box.insertAdjacentHTML('beforeend', card.snippet);",
        "a.href = src.url;",
        "img.src = card.img;",
        "a.setAttribute('href', src.url);",
        "el.setAttribute('onclick', card.title);",
    ],
)
def test_the_check_finds_a_sink_added_to_the_script(bad: str) -> None:
    """The check can fail: each of these, added to the script, is found."""
    assert _problems(f"function drawCard(card) {{\n  {bad}\n}}\n")


def test_a_hostile_entry_reaches_the_grid_as_text_and_checked_addresses(monkeypatch) -> None:
    from ui import card_grid

    card = Card(
        entry_id=7,
        story_id=7,
        title=HOSTILE_TITLE,
        snippet="<script>alert(1)</script> résumé",
        link="javascript:alert(1)",
        image_url='javascript:alert(1)" onerror="x',
        published_at=datetime(2026, 12, 7, 9, 5, tzinfo=UTC),
        language="<b>en</b>",
        sources=[
            CardSource(
                entry_id=7,
                feed_id=1,
                feed_title="<i>Média</i>",
                link="javascript:alert(1)",
                published_at=None,
            ),
            CardSource(
                entry_id=8, feed_id=2, feed_title="Média B", link="https://b.example/a?x=1", published_at=None
            ),
        ],
        read=False,
        saved=False,
    )
    data = card_grid.card_data(card, {}, {7: ["<img src=x onerror=alert(1)>"]}, {})
    assert data["title"] == HOSTILE_TITLE  # as given: the script puts it in as text
    assert (data["img"], data["noimg"]) == ("", True)  # not a web address: « Image indisponible »
    assert [s["url"] for s in data["sources"]] == ["", "https://b.example/a?x=1"]
    assert data["meta"] == "2\u00a0sources · 07/12/2026 10:05 · <b>en</b>"  # Paris time
    assert data["highlight"] == "Mis en évidence par «\u00a0<img src=x onerror=alert(1)>\u00a0»"
