"""Post for a network: the network's own count (shared counter), hashtags, mention, link, call to action."""

from __future__ import annotations

from curation.networks import count, get_network
from training_modules.exercises.graders.reply import TextAnswer
from training_modules.exercises.loader import lexicons
from training_modules.exercises.result import Check, GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import PostExercise
from training_modules.exercises.text import find_phrases, fold
from workbench.numbers import fr_int, quantity
from workbench.wording import de


def _same_link(expected: str, urls: list[str]) -> bool:
    def bare(u: str) -> str:
        u = fold(u).removeprefix("https://").removeprefix("http://").removeprefix("www.")
        return u.rstrip("/")

    target = bare(expected)
    return any(bare(u).startswith(target) for u in urls)


def preview(text: str, network: str) -> dict[str, object]:
    """What the counter and the preview card show (also used while typing)."""
    c = count(text, network)
    return {
        "network": c.network.name,
        "length": c.length,
        "limit": c.limit,
        "remaining": c.remaining,
        "hashtags": c.hashtags,
        "mentions": c.mentions,
        "urls": c.urls,
        "problems": c.problems(),
        "unit": "pondérés (règle de X)" if c.network.unit == "weighted" else "caractères",
    }


def post_checks(text: str, exercise: PostExercise) -> list[Check]:
    rules = exercise.rules
    c = count(text, exercise.network)
    net = get_network(exercise.network)
    checks = [
        check(
            f"Limite {de(net.name)}",
            c.ok and bool(text.strip()),
            "Texte vide."
            if not text.strip()
            else " ".join(c.problems())
            or f"{fr_int(c.length)} sur {fr_int(c.limit)}\u00a0: la publication passe.",
        )
    ]
    if rules.max_length is not None or rules.min_length:
        top = rules.max_length if rules.max_length is not None else c.limit
        ok = rules.min_length <= c.length <= top
        checks.append(
            check(
                "Longueur demandée",
                ok,
                f"{fr_int(c.length)} caractères\u202f; le brief demande entre {fr_int(rules.min_length)} et {fr_int(top)}.",
            )
        )
    tags = {fold(h) for h in c.hashtags}
    if rules.required_hashtags:
        missing = [h for h in rules.required_hashtags if fold(h.lstrip("#")) not in tags]
        checks.append(
            check(
                "Hashtags du brief",
                not missing,
                "Tous présents."
                if not missing
                else ("Manquant" if len(missing) < 2 else "Manquants")
                + "\u00a0: "
                + ", ".join(f"#{h.lstrip('#')}" for h in missing)
                + ".",
            )
        )
    top = rules.max_hashtags
    if rules.min_hashtags or top is not None:
        n = len(c.hashtags)
        ok = n >= rules.min_hashtags and (top is None or n <= top)
        bounds = (
            f"entre {rules.min_hashtags} et {top}" if top is not None else f"au moins {rules.min_hashtags}"
        )
        checks.append(check("Nombre de hashtags", ok, f"{quantity(n, 'hashtag')}\u202f; attendu {bounds}."))
    if rules.mention:
        handle = rules.mention.lstrip("@")
        ok = fold(handle) in {fold(m) for m in c.mentions}
        checks.append(
            check(
                "Mention", ok, f"@{handle} est mentionné." if ok else f"Mentionnez @{handle} (compte exact)."
            )
        )
    if rules.link:
        ok = _same_link(rules.link, c.urls)
        checks.append(
            check(
                "Lien", ok, "Le lien demandé est présent." if ok else f"Ajoutez le lien\u00a0: {rules.link}."
            )
        )
    if rules.call_to_action:
        found = find_phrases(text, lexicons()["call_to_action"])
        checks.append(
            check(
                "Appel à l’action",
                bool(found),
                f"Trouvé\u00a0: «\u00a0{found[0]}\u00a0»."
                if found
                else "Dites à votre communauté quoi faire («\u00a0Réservez\u00a0», «\u00a0Dites-nous en commentaire\u00a0»…).",
            )
        )
    if rules.forbidden:
        bad = find_phrases(text, rules.forbidden)
        checks.append(
            check(
                "Mots à éviter",
                not bad,
                "Aucun."
                if not bad
                else "À retirer\u00a0: " + ", ".join(f"«\u00a0{b}\u00a0»" for b in bad) + ".",
            )
        )
    return checks


def grade(exercise: PostExercise, answer: object, user_id: int | None = None) -> GradeResult:
    text = parse_answer(TextAnswer, answer).text
    return build_result(
        exercise,
        post_checks(text, exercise),
        extra={"preview": preview(text, exercise.network), "model_answer": exercise.model_answer},
    )
