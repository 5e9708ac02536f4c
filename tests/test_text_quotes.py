"""A name a person gave, quoted in a sentence: French quotes once, the name's own « » as “ ”."""

from __future__ import annotations

from tests.apptest import run_page
from ui.text import plain, quoted
from workbench.db import session_scope
from workbench.models import Cohort

NESTED = "Promo « Printemps » 2026"


def test_a_name_holding_guillemets_is_not_wrapped_in_guillemets_again():
    assert quoted(NESTED) == "«\u00a0Promo “Printemps” 2026\u00a0»"
    assert (
        quoted("Promo\u00a0«\u00a0Printemps\u00a0»\u00a02026")
        == "«\u00a0Promo\u00a0“Printemps”\u00a02026\u00a0»"
    )
    assert quoted("Veille TikTok") == "«\u00a0Veille TikTok\u00a0»"
    assert quoted(plain("[x](y) « z »")) == "«\u00a0\\[x\\]\\(y\\) “z”\u00a0»"  # escaped first, quoted after


def test_a_page_quotes_a_session_named_with_guillemets_once(db_url, people):
    """The digest page offered « Créer la liste de la session « Promo « Printemps » 2026 » »."""
    with session_scope() as s:
        s.get(Cohort, people.cohort_id).name = NESTED
    at = run_page("screens/digest.py", people.trainer)
    label = at.button(key=f"digest-first-{people.cohort_id}").label
    assert label == "Créer la liste de la session «\u00a0Promo “Printemps” 2026\u00a0»", label


def test_the_command_line_quotes_a_list_name_once_and_counts_in_french(db_url, capsys) -> None:
    """The freelance CM's terminal printed « Liste « Veille « Luxe » » créée : 2 destinataire(s) »:
    now the list's own guillemets nest as “ ” and the count agrees (no account needed)."""
    from curation.cli import main as curation_main

    name = "Veille «\u00a0Luxe\u00a0»"
    base = ["digest", "lists", "add", "--db", db_url, name, "--to", "a@exemple.fr"]
    assert curation_main([*base, "--to", "b@exemple.fr"]) == 0
    out = capsys.readouterr().out
    assert "Liste «\u00a0Veille “Luxe”\u00a0» créée\u00a0: 2\u00a0destinataires" in out, out
    assert curation_main(["digest", "lists", "remove", name, "--db", db_url]) == 0
    assert "Liste «\u00a0Veille “Luxe”\u00a0» supprimée." in capsys.readouterr().out
