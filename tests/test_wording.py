"""Issue 18: « Limite de Instagram » — « de » elides before a vowel."""

from __future__ import annotations

from tests.apptest import run_app, run_page
from tests.assessment_helpers import complete_attempt
from training_modules.exercises import get_exercise
from training_modules.exercises.graders import grade
from workbench.wording import de


def test_de_elides_before_a_vowel_only():
    assert de("Instagram") == "d’Instagram"
    assert de("Alice") == "d’Alice"
    assert de("Écho") == "d’Écho"
    assert de("Facebook") == "de Facebook"
    assert de("YouTube") == "de YouTube"
    assert de("") == "de "


def test_the_network_limit_check_reads_the_french_way():
    post = get_exercise("post-fournil-nouveaute")  # an Instagram post
    labels = [c.label for c in grade(post, {"text": "x" * 3000}).checks]
    assert "Limite d’Instagram" in labels and "Limite de Instagram" not in labels


def test_counts_are_singular_or_plural_not_both(people):
    """« 1 stagiaire(s) »: a count agrees with its noun."""
    at = run_app(people.alice, "screens/home.py")
    assert not at.exception
    shown = "\n".join([c.value for c in at.caption] + [m.value for m in at.markdown])
    assert "2\u00a0stagiaires dans la session" in shown and "(s)" not in shown


def test_a_trainer_reads_a_trainees_results_in_the_third_person(people):
    """The trainer viewing Alice's results read « vos réponses », « Votre auto-évaluation », « Votre réponse »."""
    complete_attempt(people.alice, 5)
    at = run_page("screens/assessment_cohort.py", people.trainer, tab="Stagiaire")
    assert not at.exception
    shown = "\n".join(
        [m.value for m in at.markdown]
        + [c.value for c in at.caption]
        + [str(e.value) for kind in (at.success, at.warning, at.info) for e in kind]
    )
    assert "les réponses d’Alice" in shown and "Son auto-évaluation ne peut pas" in shown  # the scoring rule
    assert "Sa réponse" in shown
    assert not any(
        words in shown
        for words in ("vos compétences", "vos réponses", "Votre réponse", "Votre auto-évaluation")
    )
