"""A hostile feed in a real browser: local-path pictures and a Markdown link breakout on the wall.

The feed names a picture by a path on the server (an SVG file the app could read) and gives a link
that, pasted into Markdown, would close « Toutes les sources » and load a tracking picture. In
Chromium the wall must show the cards, draw no server file, fetch no tracking picture and never
show Streamlit's English error.
"""

from __future__ import annotations

import base64
import re

import pytest

from tests.browser.conftest import wait_idle
from tests.browser.test_watch_sources_journey import enter, import_opml
from tests.feedserver import FeedServer, Route

pytestmark = pytest.mark.browser

MARKER = "FICHIER-DU-SERVEUR-42"
STORY = (
    "La coopérative rennaise Brindille ouvre « Voisins », un réseau social de quartier sans publicité : "
    "les associations de Bréquigny et du Blosne y publieront leurs agendas dès le 14 décembre."
)


def _rss(title: str, items: str) -> str:
    return (
        '<?xml version="1.0" encoding="utf-8"?>'
        '<rss version="2.0" xmlns:media="http://search.yahoo.com/mrss/"><channel>'
        f"<title>{title}</title><link>https://{title.lower()}.example/</link>{items}</channel></rss>"
    )


def _item(guid: str, link: str, title: str, image_tag: str, text: str = STORY) -> str:
    from xml.sax.saxutils import escape

    return (
        f"<item><guid>{guid}</guid><title>{escape(title)}</title><link>{escape(link)}</link>"
        f"<description>{escape(text)}</description><pubDate>Mon, 07 Dec 2026 07:00:00 +0000</pubDate>"
        f"{image_tag}</item>"
    )


def test_a_hostile_feed_leaves_the_wall_standing_and_inert(app_server, new_context, tmp_path) -> None:
    secret = tmp_path / "secret.svg"
    secret.write_text(
        f'<svg xmlns="http://www.w3.org/2000/svg" width="200" height="50"><text y="30">{MARKER}</text></svg>',
        encoding="utf-8",
    )
    feeds = FeedServer().start()
    try:
        tracker = feeds.add("/t.png", Route(body=b"GIF89a", content_type="image/gif"))
        breakout = f"http://h/a)![x]({tracker})"
        first = _rss(
            "Alpha",
            _item("a1", breakout, "Brindille ouvre « Voisins » à Rennes", f'<media:content url="{secret}" medium="image"/>')
            + _item("a2", "/etc/hostname", "Un lien qui n’en est pas un",
                    '<enclosure url="/etc/hostname" type="image/png" length="1"/>',
                    "Un autre sujet : le calendrier éditorial de décembre, sans rapport avec la coopérative."),
        )  # fmt: skip
        second = _rss(
            "Beta",
            _item("b1", "https://beta.example/jaime", "Brindille ouvre « Voisins » à Rennes",
                  '<media:content url="java&#9;script:alert(1)" medium="image"/>'),
        )  # fmt: skip
        alpha = feeds.add("/alpha.xml", Route(body=first.encode()))
        beta = feeds.add("/beta.xml", Route(body=second.encode()))
        opml = tmp_path / "hostile.opml"
        opml.write_text(
            '<?xml version="1.0"?><opml version="2.0"><head><title>H</title></head><body>'
            f'<outline text="Alpha" xmlUrl="{alpha}"/><outline text="Beta" xmlUrl="{beta}"/></body></opml>',
            encoding="utf-8",
        )
        page = new_context().new_page()
        enter(page, app_server.url)
        page.get_by_role("link", name="Sources").click()
        import_opml(page, opml, "2 flux lus")
        page.get_by_role("button", name="Actualiser maintenant").click()
        page.get_by_text(re.compile("Actualisation terminée en")).wait_for(timeout=60_000)

        page.get_by_role("link", name="Mur de veille", exact=True).click()
        page.get_by_text("Un lien qui n’en est pas un").first.wait_for()
        page.get_by_text("Brindille ouvre « Voisins » à Rennes").first.wait_for()
        for expander in page.get_by_text("Toutes les sources").all():
            expander.click()
        wait_idle(page)
        page.screenshot(path=str(tmp_path / "wall.png"), full_page=True)

        assert page.get_by_text("This app has encountered an error").count() == 0
        sources = page.locator(".atl-sources").filter(
            has_text="Alpha"
        )  # the card grid's « Toutes les sources »
        hrefs = [a.get_attribute("href") or "" for a in sources.locator("a").all()]
        assert hrefs and all(h.startswith(("http://", "https://")) for h in hrefs), hrefs
        images = [img.get_attribute("src") or "" for img in page.locator("img").all()]
        assert not [src for src in images if "/media/" in src], images
        for src in images:
            if src.startswith("data:image/svg+xml;base64,"):
                assert MARKER not in base64.b64decode(src.split(",", 1)[1]).decode("utf-8", "replace")
        assert feeds.hits["/t.png"] == 0  # no tracking picture was fetched by the browser
    finally:
        feeds.stop()
