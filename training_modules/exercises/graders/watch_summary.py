"""Watch summary: a French post summing up an English item, with the credit and the link.

The language is told by the watch library's ``detect_language`` (the one used for feed entries).
"""

from __future__ import annotations

from pydantic import BaseModel

from curation.language import detect_language
from curation.networks import count, extract_urls, grapheme_count
from training_modules.exercises.loader import lexicons
from training_modules.exercises.result import GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import WatchSummaryExercise
from training_modules.exercises.text import find_phrases, fold
from workbench.languages import language_name

COPY_WINDOW = 8  # this many consecutive words of the article = copied, not summarised


class WatchItem(BaseModel):
    title: str
    url: str
    source: str
    author: str = ""


class WatchSummaryAnswer(BaseModel):
    text: str
    item: WatchItem | None = None  # an item picked from the wall; default: the exercise's article


def _bare(url: str) -> str:
    u = fold(url).split("#")[0].split("?")[0]
    return u.removeprefix("https://").removeprefix("http://").removeprefix("www.").rstrip("/")


def copied_passage(text: str, source_text: str) -> str | None:
    """A run of ``COPY_WINDOW`` words also found in the source, if any."""
    src = fold(source_text).split()
    grams = {" ".join(src[i : i + COPY_WINDOW]) for i in range(len(src) - COPY_WINDOW + 1)}
    mine = fold(text).split()
    for i in range(len(mine) - COPY_WINDOW + 1):
        gram = " ".join(mine[i : i + COPY_WINDOW])
        if gram in grams:
            return gram
    return None


def grade(exercise: WatchSummaryExercise, answer: object, user_id: int | None = None) -> GradeResult:
    parsed = parse_answer(WatchSummaryAnswer, answer)
    art = exercise.article
    item = parsed.item or WatchItem(title=art.title, url=art.url, source=art.source, author=art.author)
    text, rules = parsed.text, exercise.rules
    language = detect_language(text)
    checks = [
        check(
            "Rédigé en français",
            language == "fr",
            "Langue détectée\u00a0: français."
            if language == "fr"
            else f"Langue détectée\u00a0: {language_name(language)}. Rédigez le post en français, avec vos mots.",
        )
    ]
    n = count(text, rules.network).length if rules.network else grapheme_count(text)
    ok_len = rules.min_length <= n <= rules.max_length
    if rules.network:
        ok_len = ok_len and count(text, rules.network).ok
    checks.append(
        check(
            "Longueur",
            ok_len,
            f"{n} caractères\u202f; attendu entre {rules.min_length} et {rules.max_length}.",
        )
    )
    names = [x for x in (item.source, item.author) if x]
    cited = [x for x in names if fold(x) in fold(text)]
    markers = find_phrases(text, lexicons()["credit"])
    checks.append(
        check(
            "Crédit de la source",
            bool(cited),
            f"Source citée\u00a0: {', '.join(cited)}"
            + (f" («\u00a0{markers[0]}\u00a0»)." if markers else ".")
            if cited
            else f"Citez la source ({' ou '.join(names)}), par exemple «\u00a0via {item.source}\u00a0».",
        )
    )
    has_link = any(_bare(u) == _bare(item.url) for u in extract_urls(fold(text)))
    checks.append(
        check(
            "Lien vers l’article",
            has_link,
            "Le lien de l’article est présent." if has_link else f"Ajoutez le lien\u00a0: {item.url}",
        )
    )
    if parsed.item is None:
        copied = copied_passage(text, art.text)
        checks.append(
            check(
                "Reformulation",
                copied is None,
                "Aucun passage recopié de l’article."
                if copied is None
                else f"Passage recopié de l’article\u00a0: «\u00a0{copied}\u00a0». Résumez avec vos mots.",
            )
        )
    return build_result(
        exercise, checks, extra={"model_answer": exercise.model_answer, "item": item.model_dump()}
    )
