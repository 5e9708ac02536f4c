"""Exports (Markdown, self-contained HTML, CSV), the masonry HTML and the UTM link builder."""

from __future__ import annotations

import csv
import io
import re
from datetime import UTC, datetime

import pytest
from markdown_it import MarkdownIt

from curation import board_export, boards, pins
from curation.bundled_images import DEMO_IMAGE_URL
from curation.masonry import card_html, group_by_section, wall_html
from curation.pins import PinData, PinView
from curation.utm import Utm, utm_link, utm_value
from workbench.db import session_scope
from workbench.errors import UserError

HOSTILE = '<script>alert("x")</script><img src=x onerror=alert(1)>'


def run(fn, *args, **kwargs):
    with session_scope() as s:
        return fn(s, *args, **kwargs)


@pytest.fixture
def board(people):
    b = run(boards.create_board, people.alice, "Veille [TikTok]", "Idées *pour* la rentrée")
    section = run(boards.add_section, people.alice, b.id, "Chiffres clés")
    run(
        pins.add_pin,
        people.alice,
        PinData(
            title="Sans section",
            url="https://exemple.fr/a",
            note=HOSTILE,
            tags=["tuto"],
            reliability=4,
            angle="tuto",
            credit='=HYPERLINK("http://evil")',
            image_url="https://img.exemple.fr/a.jpg",
        ),
        board_id=b.id,
    )
    run(
        pins.add_pin,
        people.alice,
        PinData(
            title="Dans la section",
            url="https://exemple.fr/b",
            site_name="Exemple",
            published_at=datetime(2026, 11, 3, tzinfo=UTC),
        ),
        board_id=b.id,
        section_id=section.id,
    )
    view = run(boards.get_board, people.alice, b.id)
    return view, run(pins.board_pins, people.alice, b.id)


def test_markdown_export(board) -> None:
    view, items = board
    text = board_export.to_markdown(view, items)
    assert text.startswith("# Veille [TikTok]\n")  # a notes app would show a needless backslash
    assert "Idées \\*pour\\* la rentrée" in text
    assert "_2 épingles" in text
    assert "### [Sans section](https://exemple.fr/a)" in text
    assert "- **Angle\u00a0:** Tuto" in text and "- **Fiabilité\u00a0:** 4/5 (Bonne)" in text
    assert text.index("Sans section") < text.index("## Chiffres clés") < text.index("Dans la section")
    assert "- **Source\u00a0:** Exemple, 03/11/2026" in text
    assert "\\<script>" in text  # what would be markup is escaped
    tokens = [t for block in MarkdownIt("commonmark").parse(text) for t in [block, *(block.children or [])]]
    assert not [t for t in tokens if t.type in ("html_inline", "html_block", "image")]
    assert [t.attrGet("href") for t in tokens if t.type == "link_open"] == [
        "https://exemple.fr/a",
        "https://exemple.fr/b",
    ]
    assert board_export.export_filename(view, "md") == "tableau-veille-tiktok.md"


def test_html_export_is_self_contained_and_sanitised(board) -> None:
    view, items = board
    page = board_export.to_html(view, items)
    assert page.startswith("<!DOCTYPE html>")
    assert "<script" not in page.lower() and "<img src=x" not in page
    assert "&lt;script&gt;" in page  # the note is shown as text
    assert 'class="atl-cols' in page and "columns:" in page  # the masonry layout travels with it
    assert 'loading="lazy"' in page and 'src="https://img.exemple.fr/a.jpg"' in page
    assert "atl-ph" in page  # the pin without image gets the placeholder
    assert "<link" not in page and "@import" not in page  # no outside stylesheet
    assert "Content-Security-Policy" in page


def csv_rows(text: str) -> list[list[str]]:
    """As a French spreadsheet opens it: a BOM says UTF-8 (else « Ã© » for « é »), cells split at « ; »."""
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text.removeprefix("\ufeff")), delimiter=";"))


def test_csv_export(board) -> None:
    """A board's CSV opened in French Excel was one column of « Ã© »: comma-separated, no BOM, unlike
    every other export of the app (semicolons, BOM, French dates)."""
    view, items = board
    rows = csv_rows(board_export.to_csv(view, items, "https://atelier.example.org"))
    assert rows[0] == board_export.CSV_COLUMNS
    by_title = {r[0]: dict(zip(rows[0], r, strict=True)) for r in rows[1:]}
    assert by_title["Dans la section"]["section"] == "Chiffres clés"
    assert by_title["Dans la section"]["date"] == "03/11/2026"
    assert by_title["Sans section"]["note"] == HOSTILE  # data kept as typed in a CSV
    assert by_title["Sans section"]["crédit"].startswith("'=")  # no formula injection
    assert by_title["Sans section"]["étiquettes"] == "tuto"


def _image_column(board, base_url: str) -> dict[str, str]:
    view, items = board
    demo = _pin(title="Démo", image_url=DEMO_IMAGE_URL + "analytics.svg")
    unknown = _pin(title="Inconnue", image_url=DEMO_IMAGE_URL + "absent.svg")
    rows = csv_rows(board_export.to_csv(view, [*items, demo, unknown], base_url))
    return {r[0]: r[rows[0].index("image")] for r in rows[1:]}


def test_csv_gives_a_bundled_picture_under_the_public_address(board) -> None:
    images = _image_column(board, "https://atelier.example.org/cm/")
    assert images["Démo"] == "https://atelier.example.org/cm/app/static/demo/analytics.svg"
    assert images["Sans section"] == "https://img.exemple.fr/a.jpg"  # outside pictures as they are
    assert images["Inconnue"] == "" and images["Dans la section"] == ""


def test_csv_keeps_the_app_address_without_a_public_base_url(board) -> None:
    images = _image_column(board, "")
    assert images["Démo"] == "/app/static/demo/analytics.svg"
    assert images["Sans section"] == "https://img.exemple.fr/a.jpg"


def _pin(**kw) -> PinView:
    base = dict(
        id=1, board_id=1, section_id=None, position=0, url="https://exemple.fr/a", title="T", image_url="",
        description="", site_name="Le Monde", published_at=None, note="", tags=(), reliability=None,
        angle="", credit="", fetch_note="", created_at=datetime.now(UTC),
    )  # fmt: skip
    base.update(kw)
    return PinView(**base)


def test_card_escapes_everything_and_checks_addresses() -> None:
    html = card_html(
        _pin(title=HOSTILE, url="javascript:alert(1)", image_url="data:text/html,x", tags=("<b>",))
    )
    assert "<script" not in html and "javascript:" not in html and "data:" not in html
    assert "href=" not in html  # no valid link: no anchor
    assert "#&lt;b&gt;" in html
    assert 'class="atl-ph' in html and ">L</div>" in html  # placeholder with the site's initial


def test_card_with_image_is_lazy_and_links_out_safely() -> None:
    html = card_html(_pin(image_url="https://img.example/x.png?a=1&b=2"), number=3)
    assert 'loading="lazy"' in html and 'src="https://img.example/x.png?a=1&amp;b=2"' in html
    assert 'rel="noopener noreferrer nofollow"' in html
    assert "n°\u00a03" in html
    hostile = card_html(_pin(image_url='https://img.example/x.png?a=1&b=2"onload="x'), number=3)
    assert "onload" not in hostile and 'class="atl-ph' in hostile  # such an address is not an address


def test_wall_groups_sections_and_numbers_pins() -> None:
    a, b, c = _pin(id=1), _pin(id=2, section_id=7), _pin(id=3, section_id=99)
    groups = group_by_section([a, b, c], [(7, "Tutos")])
    assert [(g.title, [p.id for p in g.pins]) for g in groups] == [("", [1, 3]), ("Tutos", [2])]
    html = wall_html(groups, numbered=True)
    assert re.findall(r"n°\u00a0(\d)", html) == ["1", "2", "3"]
    assert "Aucune" in wall_html([], empty="Aucune épingle")


def test_utm_link() -> None:
    link = utm_link(
        "https://Exemple.fr/article?id=3&utm_source=old&fbclid=zz#top",
        Utm(source="LinkedIn", medium="social", campaign="Rentrée 2026 — Été", content="post n°1"),
    )
    assert link == (
        "https://exemple.fr/article?id=3&utm_source=linkedin&utm_medium=social"
        "&utm_campaign=rentree-2026-ete&utm_content=post-n1"
    )
    assert (
        utm_link("https://exemple.fr", Utm(source="x", medium="", campaign=""))
        == "https://exemple.fr/?utm_source=x"
    )
    assert utm_value("  Black Friday!! ") == "black-friday"
    with pytest.raises(UserError):
        utm_link("javascript:alert(1)", Utm(source="x"))


def test_first_pins_cuts_long_walls_in_wall_order() -> None:
    from curation.masonry import WallGroup, first_pins

    groups = [WallGroup("", [_pin(id=1), _pin(id=2)]), WallGroup("A", [_pin(id=3)]), WallGroup("B", [])]
    assert [(g.title, [p.id for p in g.pins]) for g in first_pins(groups, 2)] == [("", [1, 2])]
    assert [(g.title, [p.id for p in g.pins]) for g in first_pins(groups, 10)] == [
        ("", [1, 2]),
        ("A", [3]),
        ("B", []),
    ]


def test_board_tiles_escape_titles_and_check_covers() -> None:
    from curation.masonry import boards_html

    html = boards_html(
        [("<i>Veille</i>", "javascript:x", 1, "Privé"), ("Idées", "https://img.example/c.png", 3, "")]
    )
    assert "<i>" not in html and "&lt;i&gt;Veille" in html and "javascript:" not in html
    assert 'src="https://img.example/c.png"' in html and "3 épingles" in html and "1 épingle · Privé" in html
