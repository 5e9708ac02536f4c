"""Boards in a real browser: pin three wall items and URLs, build a board with a section, look at
the masonry on a phone and a desktop, export Markdown, draft an X post that is too long."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tests.browser.conftest import ARTIFACTS, log_in, open_sidebar, sign_up_first_trainer, wait_idle
from tests.feedserver import FeedServer, Route

pytestmark = pytest.mark.browser

ARTICLE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8">
<title>Instagram : les chiffres de la rentrée</title>
<meta property="og:title" content="Instagram : les chiffres de la rentrée">
<meta property="og:site_name" content="Le Journal du CM">
<meta property="og:image" content="/cover.png">
</head><body><article><h1>Instagram : les chiffres de la rentrée</h1>
<p>Instagram compte 28 millions d’utilisateurs actifs en France, dont une majorité de 25-34 ans,
selon l’étude publiée ce matin. Les Reels représentent désormais la moitié du temps passé.</p>
<p>Les marques qui publient trois Reels par semaine gagnent en moyenne deux fois plus d’abonnés.</p>
</article></body></html>"""
NO_IMAGE = """<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1><p>Un article sans image, assez long pour que l’extraction y trouve
un vrai paragraphe : calendrier éditorial, créneaux de publication, formats courts et retours.</p>
</article></body></html>"""


def _png(width: int, height: int) -> bytes:
    import struct
    import zlib

    raw = b"".join(b"\x00" + b"\xc8\x78\x50" * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw))
        + chunk(b"IEND", b"")
    )


@pytest.fixture(scope="module")
def pages_server():
    server = FeedServer().start()
    server.add("/article", Route(body=ARTICLE.encode(), content_type="text/html; charset=utf-8"))
    server.add("/cover.png", Route(body=_png(120, 80), content_type="image/png"))
    for path, title in (
        ("/tuto", "Tuto : programmer ses Reels"),
        ("/etude", "Étude de cas : la crise d’une marque"),
    ):
        body = NO_IMAGE.format(title=title).encode()
        server.add(path, Route(body=body, content_type="text/html; charset=utf-8"))
    yield server
    server.stop()


def _nav(page, title: str) -> None:
    """Follow a link of the sidebar menu (the home page has links of the same name)."""
    page.get_by_test_id("stSidebarNavItems").get_by_role("link", name=title).click()


def _choose(page, label: str, option: str) -> None:
    """Pick an option of a Streamlit selectbox by typing it, as a keyboard user would."""
    box = page.get_by_label(label, exact=True).first
    box.click()
    box.fill(option)
    page.keyboard.press("Enter")
    page.wait_for_timeout(700)  # let the rerun start before waiting for it to end
    wait_idle(page)


def _no_toast(page) -> None:
    page.wait_for_function("() => !document.querySelector('[data-testid=\"stToast\"]')", timeout=15_000)


def _shoot_wall(page, name: str) -> None:
    """A screenshot of the whole masonry block at the page's width (a tall viewport, so that
    Streamlit's scrolling container does not cut it), once the toasts have gone."""
    _no_toast(page)
    width = page.viewport_size["width"]
    page.set_viewport_size({"width": width, "height": 2600})
    wall = page.locator(".atl-wall", has=page.locator(".atl-cols")).last
    wall.scroll_into_view_if_needed()
    wall.screenshot(path=str(ARTIFACTS / name))
    page.set_viewport_size({"width": width, "height": 844 if width < 500 else 900})


def _columns_used(page) -> int:
    return page.evaluate(
        """() => Math.max(...[...document.querySelectorAll('.atl-cols')].map(c =>
            new Set([...c.querySelectorAll('.atl-pin')].map(e => Math.round(e.getBoundingClientRect().x))).size))"""
    )


def test_boards_journey(app_server, new_context, pages_server):
    page = new_context(1280, 900).new_page()
    sign_up_first_trainer(page, app_server.url)
    _nav(page, "Mes tableaux")
    page.get_by_text("Aucune épingle pour l’instant").wait_for()

    # A board with a section.
    page.get_by_label("Titre du tableau").fill("Veille Instagram")
    page.get_by_role("button", name="Créer le tableau").click()
    page.get_by_text("Paramètres du tableau, sections et partage").wait_for()  # the new board is selected
    wait_idle(page)
    page.get_by_text("Paramètres du tableau, sections et partage").click()
    page.get_by_label("Nouvelle section").wait_for()
    page.get_by_label("Nouvelle section").fill("Chiffres")
    page.get_by_role("button", name="Ajouter la section").click()
    page.get_by_label("Nom de la section").first.wait_for()  # the new section's row
    wait_idle(page)

    # Three wall items, one click each, into this board made the default one.
    make_default = page.get_by_role("button", name="En faire mon tableau par défaut (épingles en un clic)")
    make_default.click()
    make_default.wait_for(state="detached")  # shown only while the board is not the default one
    wait_idle(page)
    _nav(page, "Mur de veille")
    page.locator(".atl-card").first.wait_for(timeout=60_000)  # first visit: demo feeds
    assert page.locator(".atl-card").count() >= 3
    for index in range(3):
        _no_toast(page)  # so that the next toast is this click's own
        page.locator(".atl-card").nth(index).get_by_role("button", name="Épingler", exact=True).click()
        page.get_by_text("Épinglé dans votre tableau par défaut.").first.wait_for()
        page.mouse.move(0, 0)  # away from the button's tooltip
        wait_idle(page)
    _nav(page, "Mes tableaux")
    page.wait_for_function("() => document.querySelectorAll('.atl-pin').length === 3", timeout=60_000)

    # One URL, into the section.
    page.get_by_text("Épingler une adresse web").click()
    _choose(page, "Section", "Chiffres")
    page.get_by_label("Adresse de la page").fill(pages_server.url("/article"))
    page.get_by_label("Pourquoi c’est utile pour ma communauté").first.fill(
        "Des chiffres pour le post du lundi"
    )
    page.get_by_role("button", name="Épingler", exact=True).click()
    page.get_by_text("Épinglé.").wait_for()
    wait_idle(page)
    card = page.locator(".atl-pin", has_text="Instagram : les chiffres de la rentrée")
    card.wait_for()
    assert card.locator("img[loading=lazy]").count() == 1
    page.locator("h2.atl-section", has_text="Chiffres").wait_for()

    # More pins, outside the section: pages without image get the placeholder, a missing page
    # still gives a pin with a message.
    _choose(page, "Section", "(aucune)")
    for path, shown in (
        ("/tuto", page.locator(".atl-pin", has_text="Tuto : programmer ses Reels")),
        ("/etude", page.locator(".atl-pin", has_text="Étude de cas : la crise d’une marque")),
        ("/disparu", page.get_by_text(re.compile("La page n’a pas pu être lue.*404")).first),
    ):
        page.get_by_label("Adresse de la page").first.fill(pages_server.url(path))
        page.get_by_role("button", name="Épingler", exact=True).click()
        shown.wait_for()
        wait_idle(page)
    page.wait_for_function("() => document.querySelectorAll('.atl-pin').length === 7", timeout=60_000)
    assert page.locator(".atl-ph").count() >= 3  # no image: the coloured placeholder
    assert page.locator(".atl-pin", has_text="Tuto : programmer ses Reels").count() == 1

    ARTIFACTS.mkdir(exist_ok=True)
    _shoot_wall(page, "boards-desktop.png")
    assert _columns_used(page) >= 3  # cards side by side in columns, not a list

    # Export Markdown.
    page.get_by_text("Exporter", exact=True).click()
    markdown = page.get_by_role("button", name="Markdown")
    markdown.wait_for()
    wait_idle(page)
    with page.expect_download(timeout=60_000) as download:  # the file is prepared by the server
        markdown.click()
    text = Path(download.value.path()).read_text(encoding="utf-8")
    assert text.startswith("# Veille Instagram")
    assert "## Chiffres" in text and "Des chiffres pour le post du lundi" in text

    # Draft an X post that is too long: flagged.
    page.get_by_role("tab", name="Rédiger un post").click()
    _choose(page, "Réseau", "X (Twitter)")
    post = page.get_by_label("Texte du post")
    post.fill("Instagram, les chiffres à connaître avant la rentrée ! " * 8)
    post.press("Control+Enter")
    page.get_by_text(re.compile("Texte trop long pour X")).wait_for()
    post.fill("Instagram : 28 millions d’utilisateurs en France #CM")
    post.press("Control+Enter")
    page.get_by_text("Longueur correcte pour X (Twitter).").wait_for()

    # The same board on a phone.
    phone = new_context(390, 844).new_page()
    log_in(phone, app_server.url)
    open_sidebar(phone)
    _nav(phone, "Mes tableaux")
    wait_idle(phone)
    collapse = phone.get_by_test_id("stSidebarCollapseButton")
    if collapse.count() and collapse.first.is_visible():
        collapse.first.click()
    phone.locator(".atl-pin").first.wait_for()
    _shoot_wall(phone, "boards-phone.png")
    assert _columns_used(phone) == 2
