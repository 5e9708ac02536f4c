"""AppTest of the Translation page for a trainee and a trainer, with the fake LibreTranslate."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.libre_fake import FakeLibre, serve_libre
from workbench.settings import get_settings

PAGE = str(Path(__file__).resolve().parent.parent / "screens" / "translate.py")
TEXT = "Hello world, @alice!\n\nOur reach grew, see https://ex.fr #cm"


@pytest.fixture
def libre(monkeypatch, db_url) -> Iterator[FakeLibre]:
    monkeypatch.setenv("ATELIER_TRANSLATION_RETRIES", "0")
    with serve_libre(monkeypatch) as state:
        yield state


def _page(actor) -> AppTest:
    at = AppTest.from_file(PAGE, default_timeout=30)
    at.session_state["actor"] = actor
    at.run()
    assert not at.exception
    return at


def _translate(at: AppTest, text: str = TEXT) -> AppTest:
    at.text_area[0].input(text)
    at.button[0].click()
    at.run()
    assert not at.exception
    return at


def _markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_trainee_translates_side_by_side_copies_and_corrects(people, libre) -> None:
    at = _translate(_page(people.alice))
    shown = _markdown(at)
    assert "Bonjour monde, @alice\\!" in shown and "Notre portée a augmenté" in shown
    assert "Hello world" in shown  # the original, in the left column
    assert at.code[0].value == "Bonjour monde, @alice!\n\nNotre portée a augmenté, voir https://ex.fr #cm"
    assert libre.calls == 1

    at.toggle[0].set_value(True).run()
    assert "Hello world" not in _markdown(at)

    at.text_area[1].input("Bonjour à tous, @alice !")
    next(b for b in at.button if b.label == "Enregistrer la traduction relue").click()
    at.run()
    assert not at.exception
    assert "Bonjour à tous, @alice \\!" in _markdown(at)
    assert any("personnelle" in c.value for c in at.caption)


def test_trainer_validates_a_trainee_correction(people, libre) -> None:
    at = _translate(_page(people.alice))
    at.text_area[1].input("Bonjour à tous !")
    next(b for b in at.button if b.label == "Enregistrer la traduction relue").click()
    at.run()

    trainer = _page(people.trainer)
    assert "Bonjour à tous \\!" in _markdown(trainer)
    next(b for b in trainer.button if b.label == "Valider").click()
    trainer.run()
    assert not trainer.exception
    assert any("Aucune" in c.value for c in trainer.caption)

    bob = _translate(_page(people.bob), "Hello world, @alice!")
    assert "Bonjour à tous \\!" in _markdown(bob)
    assert any("relue" in c.value for c in bob.caption)


def test_provider_down_shows_french_message_and_original(people, libre) -> None:
    libre.always_fail = True
    at = _translate(_page(people.bob))
    assert any("momentanément indisponible" in w.value for w in at.warning)
    assert "Hello world" in at.code[0].value


def test_misconfigured_provider_is_explained(people, monkeypatch, db_url) -> None:
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "deepl")
    get_settings.cache_clear()
    at = _page(people.alice)
    assert any("clé d’API" in e.value for e in at.error)
    assert at.button[0].disabled


def test_empty_text_asks_for_text(people, libre) -> None:
    at = _translate(_page(people.alice), "   ")
    assert any("Collez d’abord" in w.value for w in at.warning)


ARTICLE = """<html lang="en"><head><title>Reach report</title>
<meta property="og:site_name" content="CM Weekly"></head><body>
<nav>Home | About</nav>
<article><h1>Our reach grew</h1>
<p>Hello world, this is the first paragraph of a long article about the community manager job.</p>
<p>Read this new post and see how the followers of the brand grew during the whole campaign.</p>
<p>Thanks to every community manager who shared the post with the team this week.</p>
</article><footer>Copyright</footer></body></html>"""


def test_translate_a_web_page_by_its_address(people, libre) -> None:
    libre.pages["/article.html"] = ARTICLE
    at = _page(people.alice)
    at.radio[0].set_value("url").run()
    at.text_input[0].input(libre.url + "article.html")
    at.button[0].click()
    at.run()
    assert not at.exception
    shown = _markdown(at)
    assert "Bonjour monde, ceci is le first paragraphe" in shown
    assert "community manager" in shown
    assert "Copyright" not in shown  # boilerplate left out by the extractor


def test_unreachable_page_is_explained(people, libre) -> None:
    at = _page(people.alice)
    at.radio[0].set_value("url").run()
    at.text_input[0].input("http://page.atelier.invalid/article")
    at.button[0].click()
    at.run()
    assert not at.exception
    assert any("Nom de domaine introuvable" in e.value for e in at.error) and not at.code


@pytest.mark.parametrize("address", ["http://0177.0.0.1/article", "file:///etc/passwd"])
def test_refused_page_address_shows_only_the_french_error(people, libre, address) -> None:
    at = _page(people.alice)
    at.radio[0].set_value("url").run()
    at.text_input[0].input(address)
    at.button[0].click()
    at.run()
    assert not at.exception
    assert at.error and not at.code
    assert at.status and all("terminée" not in s.label and s.state == "error" for s in at.status)
    assert all(s.proto.expanded for s in at.status)  # the error inside is visible


def test_the_page_reads_french_with_french_typography(people, libre) -> None:
    """The text box said « Paste English text here… » and the page's own lines had plain spaces
    before « : », « ; » and « ? » (a line break could leave the mark alone at the start of a line)."""
    at = _page(people.alice)
    assert at.text_area[0].placeholder == "Collez ici le texte anglais…"
    own = [at.caption[0].value, at.radio[0].label]
    assert any("\u00a0:" in line for line in own) and "Que traduire\u00a0?" in own
    for line in own:
        assert not re.search(r" [:;!?]", line), line


def test_a_text_read_as_french_says_nothing_was_translated(people, libre) -> None:
    """French first, an English quote after: the whole text is detected French, nothing is sent,
    and the page said « Traduction terminée. » with the English paragraph left as it was."""
    text = "«\u00a0Réseaux des marques\u00a0»\u00a0: l’étude des community managers en France\u00a0!\n\nHello world, our reach grew."
    at = _translate(_page(people.alice), text)
    assert libre.calls == 0
    assert [s.label for s in at.status] == ["Rien à traduire."]
    assert any("semble déjà en français" in i.value and "«\u00a0Anglais\u00a0»" in i.value for i in at.info)
    at.selectbox[0].select("en")
    at.button[0].click().run()
    assert "Bonjour monde, notre portée a augmenté." in at.code[0].value and not at.info
