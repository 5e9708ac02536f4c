"""Reply to a difficult comment: rubric rules checked one by one, then the trainer's grid."""

from __future__ import annotations

import re

from pydantic import BaseModel

from curation.networks import grapheme_count
from training_modules.exercises.loader import lexicons
from training_modules.exercises.result import Check, GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import ReplyExercise
from training_modules.exercises.text import find_phrases, fold

EMAIL_RE = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
PHONE_RE = re.compile(r"(?:\+33\s?|\b0)[1-9](?:[\s.-]?\d{2}){4}\b")
LONG_NUMBER_RE = re.compile(r"\b(?:[A-Z]{1,4}-?)?\d{6,}\b")


class TextAnswer(BaseModel):
    text: str


def personal_data(text: str) -> list[str]:
    """E-mail addresses, phone numbers, order or card numbers written in a public text."""
    return EMAIL_RE.findall(text) + PHONE_RE.findall(text) + LONG_NUMBER_RE.findall(text)


def _list(items: list[str]) -> str:
    return ", ".join(f"«\u00a0{i}\u00a0»" for i in items)


def rubric_checks(text: str, exercise: ReplyExercise) -> list[Check]:
    rules, lex = exercise.rules, lexicons()
    n = grapheme_count(text.strip())
    checks = [
        check(
            "Longueur",
            rules.min_length <= n <= rules.max_length,
            f"{n} caractères\u202f; attendu entre {rules.min_length} et {rules.max_length}\u00a0: "
            + (
                "assez pour répondre, assez court pour être lu."
                if rules.min_length <= n <= rules.max_length
                else "trop court pour répondre vraiment."
                if n < rules.min_length
                else "trop long\u00a0: allez à l’essentiel."
            ),
        )
    ]
    if rules.greeting:
        opening = text.strip()[:60]
        found = find_phrases(opening, lex["greetings"])
        checks.append(
            check(
                "Salutation",
                bool(found),
                "La réponse commence par une salutation."
                if found
                else "Commencez par saluer la personne («\u00a0Bonjour\u00a0», «\u00a0Bonsoir\u00a0»…).",
            )
        )
    if rules.name:
        has_name = fold(rules.name) in fold(text)
        checks.append(
            check(
                "Prénom de la personne",
                has_name,
                f"Vous vous adressez à {rules.name} par son prénom."
                if has_name
                else f"Nommez la personne ({rules.name})\u00a0: la réponse devient personnelle, pas un modèle copié-collé.",
            )
        )
    for flag, key, label, missing in (
        (rules.thanks, "thanks", "Remerciement", "Remerciez la personne d’avoir pris le temps d’écrire."),
        (rules.apology, "apology", "Excuses", "Présentez des excuses claires pour le désagrément."),
        (rules.empathy, "empathy", "Empathie", "Montrez que vous comprenez ce que la personne ressent."),
    ):
        if flag:
            found = find_phrases(text, lex[key])
            checks.append(check(label, bool(found), f"Trouvé\u00a0: {_list(found)}." if found else missing))
    jargon = find_phrases(text, lex["jargon"] + rules.jargon)
    checks.append(
        check(
            "Sans jargon",
            not jargon,
            "Aucun terme interne ou technique."
            if not jargon
            else f"Termes à remplacer par des mots simples\u00a0: {_list(jargon)}.",
        )
    )
    if rules.no_blame:
        blame = find_phrases(text, lex["blame"])
        checks.append(
            check(
                "Sans reproche",
                not blame,
                "Vous ne renvoyez pas la faute à la personne."
                if not blame
                else f"Formulation culpabilisante à reformuler\u00a0: {_list(blame)}.",
            )
        )
    if rules.private_message:
        invite = find_phrases(text, lex["private_message"])
        leaked = personal_data(text)
        if leaked:
            detail = f"Données personnelles écrites en public\u00a0: {_list(leaked)}. Retirez-les et passez en message privé."
        elif not invite:
            detail = "Proposez de poursuivre en message privé pour traiter les données personnelles (commande, adresse…)."
        else:
            detail = "Vous proposez le message privé et n’exposez aucune donnée personnelle."
        checks.append(check("Données personnelles en message privé", bool(invite) and not leaked, detail))
    return checks


def grade(exercise: ReplyExercise, answer: object, user_id: int | None = None) -> GradeResult:
    text = parse_answer(TextAnswer, answer).text
    return build_result(
        exercise, rubric_checks(text, exercise), extra={"model_answer": exercise.model_answer}
    )
