"""Sources in a real browser: demo feeds for a newcomer, import an OPML of local feeds, refresh with progress."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.browser.conftest import log_in, sign_up_first_trainer, wait_idle
from tests.feedserver import FeedServer, Route

pytestmark = pytest.mark.browser


def enter(page, url: str) -> None:
    """Create the first trainer's account on a fresh installation, else log in with it."""
    page.goto(url)
    page.get_by_role("textbox", name="Mot de passe", exact=True).first.wait_for()
    if page.get_by_text("Créez le premier compte").count():
        sign_up_first_trainer(page, url)
    else:
        log_in(page, url)


def import_opml(page, path, confirmation: str) -> None:
    """On the Sources page: upload an OPML file, import it, wait for the confirmation."""
    page.get_by_role("tab", name="Importer (OPML)").click()
    page.locator("input[type=file]").set_input_files(str(path))
    wait_idle(page)
    page.get_by_role("button", name="Importer le fichier").click()
    page.get_by_text(confirmation).wait_for()


def test_import_local_opml_and_refresh(app_server, new_context, tmp_path) -> None:
    feeds = FeedServer().start()
    try:
        ok = feeds.add_file("/blog.xml", "rss20_good.xml", etag='"1"')
        atom = feeds.add_file("/atom.xml", "atom_good.xml")
        broken = feeds.add("/broken.xml", Route(status=500))
        opml = tmp_path / "local.opml"
        opml.write_text(
            f"""<?xml version="1.0"?><opml version="2.0"><head><title>Local</title></head><body>
            <outline text="Veille locale"><outline text="Blog" xmlUrl="{ok}"/><outline text="Atom" xmlUrl="{atom}"/>
            <outline text="Cassé" xmlUrl="{broken}"/></outline></body></opml>""",
            encoding="utf-8",
        )
        page = new_context().new_page()
        enter(page, app_server.url)

        page.get_by_role("link", name="Sources").click()
        page.get_by_text("7 sources suivies").wait_for()  # the bundled demo feeds, offline
        import_opml(page, opml, "3 flux lus")
        # The state filter counts the imported sources at once (it kept « Toutes (7) », the demo's).
        expect(page.get_by_role("combobox", name="État")).to_have_value("Toutes (3)")
        page.get_by_role("button", name="Actualiser maintenant").click()
        # Failures in proportion and by kind (the table's cells are drawn on a canvas: not read here).
        page.get_by_text(
            re.compile(
                "Actualisation terminée en .*2\u00a0flux actualisés, 1 en erreur sur 3 \\(site en panne"
            )
        ).wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_text("3 sources suivies · 1 en erreur").wait_for()  # the demo feeds gave way
        assert feeds.hits["/blog.xml"] == 1 and feeds.hits["/atom.xml"] == 1
    finally:
        feeds.stop()


ARTICLE = """<!doctype html><html lang="fr"><head><meta charset="utf-8">
<title>Animer des communautés en ligne — Le Labo CM</title>
<meta property="og:site_name" content="Le Labo CM"></head><body>
<nav>Accueil · Podcasts · Contact</nav><article><h1>Animer des communautés en ligne</h1>
<p>Les communautés en ligne vivent de questions ouvertes, de réponses rapides et de règles claires
que chaque membre peut relire à tout moment dans la charte affichée en tête du groupe.</p>
<p>Un rituel hebdomadaire, comme le fil du vendredi où chacun partage une réussite, installe
l’habitude de revenir et donne aux plus discrets une occasion simple de prendre la parole.</p>
<p>Remerciez publiquement les contributions utiles\u00a0: la reconnaissance fait plus pour
l’engagement que n’importe quel concours doté de cadeaux.</p></article>
<footer>© 2026 Le Labo CM</footer></body></html>"""


def _rss(base: str) -> str:
    items = [
        ("Animer des communautés en ligne", "/articles/communautes", "Rituels et règles du groupe."),
        ("Le calendrier éditorial de décembre", "/articles/calendrier", "Planifier les fêtes."),
    ]
    body = "".join(
        f"<item><title>{title}</title><link>{base}{path}</link><guid>{path}</guid>"
        f"<pubDate>Fri, 20 Nov 2026 0{i}:00:00 GMT</pubDate><description>{summary}</description></item>"
        for i, (title, path, summary) in enumerate(items)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>Le Labo CM</title>'
        f"<link>{base}/</link><language>fr</language>{body}</channel></rss>"
    )


def test_import_refresh_search_and_read(app_server, new_context, tmp_path) -> None:
    """The issue's journey: import an OPML of local feeds, refresh with visible progress, search in
    French (« communauté » finds « communautés »), open the item and read the article's text."""
    feeds = FeedServer().start()
    try:
        labo = feeds.add("/labo.xml", Route(body=_rss(feeds.base).encode(), delay_s=3.0))
        feeds.add(
            "/articles/communautes", Route(body=ARTICLE.encode(), content_type="text/html; charset=utf-8")
        )
        opml = tmp_path / "labo.opml"
        opml.write_text(
            f'<?xml version="1.0"?><opml version="2.0"><head><title>Labo</title></head><body>'
            f'<outline text="Animation"><outline text="Le Labo CM" xmlUrl="{labo}"/></outline></body></opml>',
            encoding="utf-8",
        )
        page = new_context().new_page()
        enter(page, app_server.url)

        page.get_by_role("link", name="Sources").click()
        import_opml(page, opml, "1 flux lu : 1 nouvel abonnement")
        page.get_by_role("button", name="Actualiser maintenant").click()
        # The feed answers after 3 s: the progress shows while the run goes on.
        page.get_by_text("Actualisation des flux…").wait_for()
        page.get_by_test_id("stProgress").wait_for()
        page.get_by_text(re.compile("Actualisation terminée en")).wait_for(timeout=60_000)
        wait_idle(page)

        page.get_by_role("link", name="Mur de veille", exact=True).click()
        search = page.get_by_label("Rechercher", exact=True)
        search.fill("communauté")
        search.press("Enter")
        wait_idle(page)
        page.get_by_text("Animer des communautés en ligne").first.wait_for()
        # The search reruns the page: wait until the other item has left (not just until idle).
        expect(page.get_by_text("Le calendrier éditorial de décembre")).to_have_count(0, timeout=30_000)
        card = page.locator(".atl-card", has_text="Animer des communautés en ligne")  # ui.card_grid
        card.get_by_role("button", name="Lire", exact=True).click()
        page.get_by_role("heading", name="Animer des communautés en ligne").wait_for()
        page.get_by_role("button", name="Récupérer le texte de l’article").click()
        page.get_by_text(re.compile("Un rituel hebdomadaire, comme le fil du vendredi")).wait_for(
            timeout=30_000
        )
        assert feeds.hits["/articles/communautes"] == 1
    finally:
        feeds.stop()
