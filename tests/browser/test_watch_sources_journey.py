"""Sources in a real browser: demo feeds for a newcomer, import an OPML of local feeds, refresh with progress."""

from __future__ import annotations

import re

import pytest

from tests.browser.conftest import wait_idle
from tests.feedserver import FeedServer, Route

pytestmark = pytest.mark.browser


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
        page.goto(app_server.url)
        page.get_by_text("Créez le premier compte").wait_for()
        page.get_by_label("Nom affiché", exact=True).fill("Claire Formatrice")
        page.get_by_label("Adresse e-mail", exact=True).fill("claire@example.fr")
        page.get_by_label("Mot de passe", exact=True).fill("atelier-2026")
        page.get_by_role("button", name="Créer le compte formateur").click()
        page.get_by_text("Bonjour Claire Formatrice").wait_for()

        page.get_by_role("link", name="Sources").click()
        page.get_by_text("7 sources suivies").wait_for()  # the bundled demo feeds, offline
        page.get_by_role("tab", name="Importer (OPML)").click()
        page.locator("input[type=file]").set_input_files(str(opml))
        wait_idle(page)
        page.get_by_role("button", name="Importer le fichier").click()
        page.get_by_text("3 flux lus").wait_for()
        page.get_by_role("button", name="Actualiser maintenant").click()
        page.get_by_text(re.compile("Actualisation terminée en .*3 flux lus")).wait_for(timeout=60_000)
        wait_idle(page)
        page.get_by_text("10 sources suivies").wait_for()
        page.get_by_text("Le Blog du CM").first.wait_for()
        page.get_by_text(
            re.compile("Le site est en panne")
        ).first.wait_for()  # the broken feed's French error
        assert feeds.hits["/blog.xml"] == 1 and feeds.hits["/atom.xml"] == 1
    finally:
        feeds.stop()
