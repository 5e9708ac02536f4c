"""The trainer's « Sessions de formation » page as a French trainer uses it: names, days, renaming."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest

from tests.apptest import kept_toasts
from tests.apptest import run_page as page
from ui.text import plain
from workbench import localtime
from workbench.cohorts import create_cohort, get_cohort, rename_cohort
from workbench.collation import name_order
from workbench.db import session_scope
from workbench.errors import AccessDenied, UserError
from workbench.models import User

BREAKING_SPACE_BEFORE = re.compile(r" [:;!?]")  # French wants a non-breaking space there


def test_names_with_ligatures_sort_as_french_readers_expect():
    names = [
        "Zoé Martin",
        "Œdipe Roy",
        "Paul Vincent",
        "Océane Roux",
        "Ægir Lund",
        "Agathe Dupont",
        "Élodie Lefèvre-Şahin",
    ]
    assert sorted(names, key=name_order) == [
        "Ægir Lund",
        "Agathe Dupont",
        "Élodie Lefèvre-Şahin",
        "Océane Roux",
        "Œdipe Roy",
        "Paul Vincent",
        "Zoé Martin",
    ]


def test_a_new_session_starts_on_the_day_people_are_living(people, monkeypatch):
    monkeypatch.setattr(localtime, "today", lambda: date(2031, 3, 9))  # Paris, not the server's UTC day
    at = page("screens/cohorts.py", people.trainer)
    assert at.date_input[0].value == date(2031, 3, 9)
    assert at.date_input[1].value == date(2031, 3, 9) + timedelta(days=90)


def test_deactivating_a_trainee_names_them_as_plain_text(people):
    name = "Zoé *Star* [clic](https://evil.example)"
    with session_scope() as s:
        s.get(User, people.alice.id).display_name = name
    at = page("screens/cohorts.py", people.trainer)
    at.toggle(key=f"active-{people.cohort_id}-{people.alice.id}").set_value(False).run()
    assert not at.exception
    assert [t.value for t in at.toast] == [f"{plain(name)}\u00a0: accès désactivé."]


def test_the_sessions_page_puts_non_breaking_spaces_before_colons(people):
    def shown(at) -> list[str]:
        return [e.value for e in (*at.markdown, *at.caption, *at.success, *at.toast)]

    at = page("screens/cohorts.py", people.trainer)
    next(t for t in at.text_input if t.label == "Inviter par e-mail").input("nouvelle@example.fr")
    at.button(key=f"FormSubmitter:invite-{people.cohort_id}-0-Créer le lien d’invitation").click().run()
    texts = shown(at)
    next(t for t in at.text_input if t.label == "Nom de la session" and not t.value).input("Promo hiver")
    at.button(key="FormSubmitter:new_cohort-0-Créer la session").click().run()
    texts += shown(at)
    assert any("Promo hiver" in s for s in texts) and any("Code de session" in s for s in texts)
    assert any("Lien d’invitation créé" in s for s in texts)
    assert [s for s in texts if BREAKING_SPACE_BEFORE.search(s)] == []


def test_a_trainer_renames_a_session_with_guillemets(people):
    at = page("screens/cohorts.py", people.trainer)
    at.text_input(key=f"rename-{people.cohort_id}-name").input("Promo «\u00a0Printemps\u00a0» 2027")
    at.button(key=f"FormSubmitter:rename-{people.cohort_id}-Renommer").click().run()
    assert not at.exception and not at.error
    with session_scope() as s:
        assert get_cohort(s, people.trainer, people.cohort_id).name == "Promo «\u00a0Printemps\u00a0» 2027"
    assert any("Promo «\u00a0Printemps\u00a0» 2027" in e.label for e in at.expander)
    assert kept_toasts(at) == ["Session renommée."]


def test_renaming_is_checked_for_owner_and_content(people):
    with session_scope() as s:
        with pytest.raises(AccessDenied):
            rename_cohort(s, people.other_trainer, people.cohort_id, "Volée")
        with pytest.raises(AccessDenied):
            rename_cohort(s, people.alice, people.cohort_id, "Volée")
        with pytest.raises(UserError, match="Donnez un nom"):
            rename_cohort(s, people.trainer, people.cohort_id, "   ")
        with pytest.raises(UserError, match="trop long"):
            rename_cohort(s, people.trainer, people.cohort_id, "Promo " * 30)
        assert get_cohort(s, people.trainer, people.cohort_id).name == "Promo CM 2026"


def test_a_session_name_longer_than_its_column_is_refused_in_french(people):
    with session_scope() as s, pytest.raises(UserError, match="120 au plus"):
        create_cohort(s, people.trainer, name="Promotion des community managers " * 5)
