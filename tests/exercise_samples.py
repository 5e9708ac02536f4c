"""One handed-in answer per exercise kind, each with a phrase that only the trainee's answer holds.

Used to check that a trainer (and the export) sees every kind's answer whole.
"""

from __future__ import annotations

from typing import Any

from training_modules.exercises.graders.crisis import walk
from training_modules.exercises.loader import get_exercise


def crisis_path(exercise_id: str, first: str) -> list[str]:
    """A whole path through a crisis scenario: ``first`` at the start, then the first choice each time."""
    ex = get_exercise(exercise_id)
    path = [first]
    while (nxt := walk(ex, path)[1]) is not None:
        path.append(nxt.choices[0].id)
    return path


# exercise id → (answer as submitted, a phrase that must be readable wherever the answer is shown)
SAMPLES: dict[str, tuple[dict[str, Any], str]] = {
    "quiz-indicateurs": (
        {q.id: [q.options[-1].id] for q in get_exercise("quiz-indicateurs").questions},
        get_exercise("quiz-indicateurs").questions[0].options[-1].text,
    ),
    "moderation-fournil-concours": (
        {
            c.id: {"action": "masquer", "reason": f"Raison du tri n° {i}"}
            for i, c in enumerate(get_exercise("moderation-fournil-concours").comments, 1)
        },
        "Raison du tri n° 2",
    ),
    "reply-client-colis-perdu": (
        {"text": "Bonjour Sandrine, réponse témoin au colis perdu."},
        "réponse témoin",
    ),
    "post-fournil-nouveaute": ({"text": "Publication témoin #MaisonFournil"}, "Publication témoin"),
    "kpi-veloce-mars": (
        {
            "engagement_rate": 6.88,
            "ctr": 1.5,
            "audience_growth": -0.5,
            "share_of_voice": 31.25,
            "response_rate": 90.0,
            "avg_response_time": 42.0,
        },
        "6,88",
    ),
    "calendar-fournil-semaine": (
        {
            "posts": [
                {
                    "day": "mercredi",
                    "time": "10:30",
                    "network": "instagram",
                    "type": "conseil",
                    "topic": "Sujet témoin",
                },
                {
                    "day": "lundi",
                    "time": "08:00",
                    "network": "instagram",
                    "type": "produit",
                    "topic": "Galette",
                },
            ]
        },
        "Sujet témoin",
    ),
    "crisis-fournil-rumeur": (
        {"choices": crisis_path("crisis-fournil-rumeur", "b")},
        "Demander à l’administrateur du groupe de supprimer le message.",
    ),
    "live-tweet-salon-gastronomie": (
        {"posts": [{"at": 75.0, "text": "Message témoin du live #FinaleCroissant"}]},
        "Message témoin du live",
    ),
    "watch-summary-creator-economy": ({"text": "Synthèse témoin de l’article."}, "Synthèse témoin"),
    "seo-fiche-conseil-pain": (
        {
            "title": "Titre témoin",
            "meta_description": "Méta témoin",
            "body": "# Titre\n\nCorps témoin de la page.",
        },
        "Corps témoin",
    ),
}
