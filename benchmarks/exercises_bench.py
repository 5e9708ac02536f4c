"""Speed of the shared network counter and of each grader (issue 8).

The counter runs on every rerun of a page while a person types; graders run on « Rendre ».
Anchors measured in the same run: ``len(text)`` and a bare grapheme count (``regex`` \\X) for the
counter; the quiz grader for the graders. Usage: ``python benchmarks/exercises_bench.py``.
"""

from __future__ import annotations

import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from curation.networks import GRAPHEME_RE, count
from training_modules.exercises.graders import grade
from training_modules.exercises.kpi import dataset_for, expected_values
from training_modules.exercises.loader import load_exercises


def median_us(fn: Callable[[], object], repeat: int = 7, number: int = 200) -> float:
    runs = []
    for _ in range(repeat):
        start = time.perf_counter()
        for _ in range(number):
            fn()
        runs.append((time.perf_counter() - start) / number * 1e6)
    return statistics.median(runs)


TEXTS = {
    "X, 270 caractères": (
        "Nouveau 🎉 chez @maisonfournil : le pain au levain et sarrasin, https://maisonfournil.fr/pain "
        "#MaisonFournil #PainAuLevain 👨‍👩‍👧 🇫🇷 " + "café crème " * 14,
        "x",
    ),
    "Instagram, 2 150 caractères": (
        ("Une légende avec des émojis 🌾 et des #hashtags #Pain #Fournil. " * 34),
        "instagram",
    ),
    "Facebook, 12 000 caractères": (
        ("Un long texte de page avec https://exemple.fr/lien et des accents éèà. " * 170),
        "facebook",
    ),
}


def main() -> None:
    print("| texte | len() (µs) | regex \\X seul (µs) | count() (µs) | ratio count / \\X |")
    print("|---|---:|---:|---:|---:|")
    for label, (text, network) in TEXTS.items():
        a = median_us(lambda t=text: len(t))
        g = median_us(lambda t=text: len(GRAPHEME_RE.findall(t)))
        c = median_us(lambda t=text, n=network: count(t, n))
        print(f"| {label} | {a:.2f} | {g:.1f} | {c:.1f} | {c / g:.2f} |")

    exercises = load_exercises()
    answers: dict[str, object] = {}
    for ex in exercises.values():
        if ex.kind == "quiz":
            answers[ex.id] = {q.id: q.answer for q in ex.questions}
        elif ex.kind == "moderation":
            answers[ex.id] = {c.id: {"action": c.key.action} for c in ex.comments}
        elif ex.kind in ("reply", "post", "watch_summary"):
            answers[ex.id] = {"text": ex.model_answer}
        elif ex.kind == "kpi":
            answers[ex.id] = expected_values(ex, dataset_for(ex, 1))
        elif ex.kind == "calendar":
            answers[ex.id] = {"posts": [p.model_dump(mode="json") for p in ex.model_plan]}
        elif ex.kind == "crisis":
            answers[ex.id] = {"choices": ["a"] * 4 if ex.id == "crisis-lumen-lampe" else ["a"] * 3}
        elif ex.kind == "live_tweet":
            answers[ex.id] = {
                "posts": [{"at": e.at + 5, "text": f"{e.text[:200]} #{ex.hashtag}"} for e in ex.script]
            }
        elif ex.kind == "seo":
            body = (
                f"# {ex.keyword.capitalize()}\n\n{ex.keyword} "
                + "mot " * 300
                + "\n\n## Un\n\ntexte\n\n## Deux\n\ntexte\n\n## Trois\n\ntexte"
            )
            answers[ex.id] = {"title": ex.model_title, "meta_description": ex.model_meta, "body": body}
    anchor = median_us(
        lambda: grade(exercises["quiz-indicateurs"], answers["quiz-indicateurs"], user_id=1), number=50
    )
    print()
    print("| exercice | type | grade() (ms) | ratio vs quiz |")
    print("|---|---|---:|---:|")
    for ex_id, answer in answers.items():
        ex = exercises[ex_id]
        t = median_us(lambda e=ex, a=answer: grade(e, a, user_id=1), number=20)
        print(f"| {ex_id} | {ex.kind} | {t / 1000:.2f} | {t / anchor:.1f} |")
    kpi = exercises["kpi-fournil-mars"]
    t = median_us(lambda: dataset_for(kpi, 1), number=20)
    print(f"\nJeu de données KPI personnel (dataset_for) : {t / 1000:.2f} ms")


if __name__ == "__main__":
    main()
