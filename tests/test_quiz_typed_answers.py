"""Short-answer and numerical quiz questions: schema, grading, the trainee's screen, the answer rows."""

from __future__ import annotations

import pytest
import yaml
from streamlit.testing.v1 import AppTest

from training_modules.exercises.answers import answer_rows
from training_modules.exercises.graders import grade
from training_modules.exercises.loader import CONTENT_DIR, ContentError, parse_exercise
from workbench.errors import UserError

SHORT = {
    "id": "q-short",
    "prompt": "Quel réseau a popularisé le format « stories » ?",
    "type": "short",
    "accepted": [
        {"text": "Snapchat", "feedback": "Oui, en 2013."},
        {"text": "*instagram*", "credit": 50, "feedback": "Instagram l’a repris en 2016."},
        {"text": "*", "credit": 0, "feedback": "Pensez au fantôme jaune."},
    ],
    "explanation": "Snapchat a lancé les stories en 2013.",
}
ACCENTS = {
    "id": "q-accents",
    "prompt": "Comment appelle-t-on la surveillance de ce qui se dit d’une marque ?",
    "type": "short",
    "accepted": [{"text": "veille d’e-réputation"}, {"text": "e-réputation"}],
    "explanation": "La veille d’e-réputation suit ce qui se dit de la marque.",
}
NUMBER = {
    "id": "q-number",
    "prompt": "Taux d’engagement (en %) pour 344 interactions et 5 000 personnes atteintes ?",
    "type": "numerical",
    "numbers": [{"value": 6.88, "tolerance": 0.01}, {"value": 0.0688, "credit": 50, "feedback": "En %."}],
    "explanation": "344 ÷ 5 000 × 100 = 6,88.",
}


def quiz(*questions: dict) -> object:
    data = yaml.safe_load((CONTENT_DIR / "quiz-indicateurs.yaml").read_text(encoding="utf-8"))
    return parse_exercise({**data, "questions": list(questions)}, name="quiz-typed")


def points(ex, answer: dict) -> list[float]:
    return [c.points for c in grade(ex, answer).checks]


def test_existing_quizzes_still_load_and_grade_the_same():
    data = yaml.safe_load((CONTENT_DIR / "quiz-indicateurs.yaml").read_text(encoding="utf-8"))
    ex = parse_exercise(data, name="quiz-indicateurs")
    assert grade(ex, {q.id: q.answer for q in ex.questions}).score == 100
    assert grade(ex, {}).score == 0


def test_short_answer_matches_case_accents_spaces_and_wildcard_in_order():
    ex = quiz(SHORT, ACCENTS)
    assert points(ex, {"q-short": ["  snapCHAT "]})[0] == 1
    assert points(ex, {"q-short": ["Sur Instagram je crois"]})[0] == 0.5
    assert points(ex, {"q-short": ["TikTok"]})[0] == 0  # the `*` catch-all: no credit, its feedback
    detail = grade(ex, {"q-short": ["TikTok"]}).checks[0].detail
    assert "Pensez au fantôme jaune." in detail and "«\u00a0Snapchat\u00a0»" in detail
    assert points(ex, {"q-accents": ["Veille d'E-REPUTATION"]})[1] == 1  # accents, apostrophe, case
    assert points(ex, {"q-accents": ["veille d’e-réputation en ligne"]})[1] == 0  # no wildcard: whole


def test_short_answer_case_sensitive_and_literal_star():
    ex = quiz({**SHORT, "case_sensitive": True, "accepted": [{"text": "SNCF\\*"}]}, ACCENTS)
    assert points(ex, {"q-short": ["SNCF*"]})[0] == 1
    assert points(ex, {"q-short": ["sncf*"]})[0] == 0
    assert points(ex, {"q-short": ["SNCF connect"]})[0] == 0


def test_numerical_answer_reads_french_numbers_within_tolerance():
    ex = quiz(NUMBER, SHORT)
    assert points(ex, {"q-number": ["6,88"]})[0] == 1
    assert points(ex, {"q-number": ["6,875 %"]})[0] == 1
    assert points(ex, {"q-number": ["6.87"]})[0] == 1
    assert points(ex, {"q-number": ["0,0688"]})[0] == 0.5
    assert points(ex, {"q-number": ["7"]})[0] == 0
    assert "6,88 (±\u00a00,01)" in grade(ex, {"q-number": ["7"]}).checks[0].detail
    with pytest.raises(UserError, match="n’est pas un nombre lisible"):
        grade(ex, {"q-number": ["six virgule huit"]})


def test_choice_option_feedback_is_shown_when_ticked():
    choice = {
        "id": "q1",
        "prompt": "Où publier une offre d’emploi ?",
        "type": "single",
        "options": [{"id": "a", "text": "LinkedIn"}, {"id": "b", "text": "Pinterest", "feedback": "Peu lu."}],
        "answer": ["a"],
        "explanation": "LinkedIn est le réseau de l’emploi.",
    }
    detail = grade(quiz(choice), {"q1": ["b"]}).checks[0].detail
    assert "Peu lu. LinkedIn est le réseau de l’emploi." in detail


@pytest.mark.parametrize(
    ("question", "message"),
    [
        ({**SHORT, "accepted": []}, "réponse qui rapporte tout le point"),
        ({**SHORT, "accepted": [{"text": "x", "credit": 50}]}, "réponse qui rapporte tout le point"),
        ({**NUMBER, "numbers": [{"value": 1, "tolerance": -1}]}, "numbers.0.tolerance"),
        ({**SHORT, "options": [{"id": "a", "text": "A"}]}, "n’a pas de champ «\u00a0options\u00a0»"),
        ({**NUMBER, "accepted": [{"text": "six"}]}, "n’a pas de champ «\u00a0accepted\u00a0»"),
        ({**NUMBER, "type": "single"}, "n’a pas de champ «\u00a0numbers\u00a0»"),
    ],
)
def test_typed_questions_refuse_a_wrong_key_naming_the_field(question, message):
    with pytest.raises(ContentError, match=message):
        quiz(question)


def test_answer_rows_show_what_was_typed_and_what_was_expected():
    ex = quiz(SHORT, NUMBER)
    rows = answer_rows(ex, {"q-short": ["snapchat"], "q-number": ["6,9"]})
    assert [(r.value, r.note) for r in rows] == [
        ("snapchat", "Attendu\u00a0: «\u00a0Snapchat\u00a0»"),
        ("6,9", "Attendu\u00a0: 6,88 (±\u00a00,01)"),
    ]
    assert answer_rows(ex, {})[0].value == "Sans réponse"


def _workspace() -> None:
    import streamlit as st
    import yaml

    from training_modules.exercises.loader import CONTENT_DIR, parse_exercise
    from ui.exercises import quiz_workspace

    data = yaml.safe_load((CONTENT_DIR / "quiz-indicateurs.yaml").read_text(encoding="utf-8"))
    ex = parse_exercise({**data, "questions": st.session_state["questions"]}, name="quiz-typed")
    st.session_state["answer"] = quiz_workspace(ex, st.session_state.get("draft", {}), {})


def test_trainee_types_a_short_answer_and_a_french_number():
    at = AppTest.from_function(_workspace)
    at.session_state["questions"] = [SHORT, NUMBER]
    at.session_state["draft"] = {"q-short": ["insta"]}
    at.run()
    assert at.text_input(key="ex:quiz-typed:q-short").value == "insta"  # the draft comes back
    at.text_input(key="ex:quiz-typed:q-short").set_value("Snapchat")
    at.text_input(key="ex:quiz-typed:q-number").set_value("6,88").run()
    assert at.session_state["answer"] == {"q-short": ["Snapchat"], "q-number": ["6,88"]}
    assert not at.error and not at.exception
    at.text_input(key="ex:quiz-typed:q-number").set_value("6,8,8").run()
    assert "n’est pas un nombre lisible" in at.error[0].value  # refused beside the field
    assert at.session_state["answer"]["q-number"] == ["6,8,8"]  # kept as typed, for the grader to refuse


def test_the_scoring_rule_shown_speaks_of_the_quizs_own_questions():
    """A quiz of typed answers only is not told about boxes to tick; a question where capitals
    count is not told that they do not."""
    typed = grade(quiz(NUMBER, ACCENTS), {}).extra["partial_credit_rule"]
    assert "cases cochées" not in typed and "choix unique" not in typed
    assert "majuscules et accents ne comptent pas" in typed and "6,88" in typed
    capitals = grade(quiz({**SHORT, "case_sensitive": True}), {}).extra["partial_credit_rule"]
    assert "majuscules" not in capitals.replace("majuscules comptent", "")
    assert "nombre" not in capitals
    choices = parse_exercise(
        yaml.safe_load((CONTENT_DIR / "quiz-indicateurs.yaml").read_text(encoding="utf-8")),
        name="quiz-choices",
    )
    rule = grade(choices, {}).extra["partial_credit_rule"]
    assert "choix multiples" in rule and "Réponses à écrire" not in rule


def _preview() -> None:
    from types import SimpleNamespace

    import streamlit as st
    import yaml

    from training_modules.exercises.loader import CONTENT_DIR, parse_exercise
    from ui.exercises import workspace

    data = yaml.safe_load((CONTENT_DIR / "quiz-indicateurs.yaml").read_text(encoding="utf-8"))
    ex = parse_exercise({**data, "questions": st.session_state["questions"]}, name="quiz-typed")
    workspace(ex, SimpleNamespace(id=7), None, preview=True)


def test_an_unreadable_number_is_refused_once_beside_its_field():
    """Checking (or handing in) a quiz whose numerical answer cannot be read showed the refusal
    beside the field and again under the button."""
    at = AppTest.from_function(_preview, default_timeout=60)
    at.session_state["questions"] = [NUMBER]
    at.run()
    at.text_input(key="ex:quiz-typed:q-number").set_value("6,8,8").run()
    next(b for b in at.button if b.label == "Vérifier (aperçu formateur)").click().run()
    assert not at.exception
    assert len([e for e in at.error if "n’est pas un nombre lisible" in e.value]) == 1
