"""A handed-in answer as readable rows, one renderer per kind: what a trainer reads in Corrections,
what a trainee reads in their history, and the « réponse » column of the results export.

Each row pairs what was asked (a question, a comment, a metric, a step, a time) with what the
trainee gave, and a note beside it (the key, the expected value, the consequence). The rows are
plain text: whoever shows them escapes them (the trainee wrote them).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from curation.networks import get_network
from training_modules.exercises.graders.crisis import reaction_time, step_map
from training_modules.exercises.graders.live_tweet import mmss
from training_modules.exercises.graders.quiz import expected_text
from training_modules.exercises.kpi import METRIC_LABELS, dataset_for, expected_values
from training_modules.exercises.schema import ACTION_LABELS, DAYS
from workbench.numbers import fr_number

NO_ANSWER = "Sans réponse"


@dataclass(frozen=True)
class AnswerRow:
    label: str  # what was asked
    value: str  # what the trainee gave, as text
    note: str = ""  # beside it: the key, the expected value, the consequence
    long: bool = False  # a text written by the trainee, shown whole in a box


def _text(value: object) -> str:
    return str(value).strip() if value not in (None, "") else ""


def _quiz(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    rows = []
    for q in ex.questions:
        given = [str(g) for g in answer.get(q.id) or [] if str(g).strip()]
        if q.type in ("short", "numerical"):
            value = given[0] if given else ""
        else:
            texts = {o.id: o.text for o in q.options}
            value = "\u202f; ".join(texts.get(o, o) for o in given)
        rows.append(AnswerRow(q.prompt, value or NO_ANSWER, f"Attendu\u00a0: {expected_text(q)}"))
    return rows


def _moderation(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    rows = []
    for c in ex.comments:
        decision = answer.get(c.id) or {}
        action = ACTION_LABELS.get(decision.get("action"), NO_ANSWER)
        reason = _text(decision.get("reason"))
        value = f"{action}\u00a0— «\u00a0{reason}\u00a0»" if reason else action
        accepted = [ACTION_LABELS[a] for a in (c.key.action, *c.key.also_accepted)]
        rows.append(
            AnswerRow(f"{c.author}\u00a0: {c.text}", value, f"Attendu\u00a0: {' ou '.join(accepted)}")
        )
    return rows


def _written(label: str) -> Callable[[Any, dict[str, Any], int | None], list[AnswerRow]]:
    def rows(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
        out = [AnswerRow(label, _text(answer.get("text")) or NO_ANSWER, long=True)]
        item = answer.get("item")
        if isinstance(item, dict):
            parts = [_text(item.get(k)) for k in ("title", "source", "url")]
            out.append(AnswerRow("Article choisi sur le mur", "\u00a0— ".join(p for p in parts if p)))
        return out

    return rows


def _reply(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    label = "Réponse en message privé" if ex.private else "Réponse publique"
    return _written(label)(ex, answer, user_id)


def _seo(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    return [
        AnswerRow("Balise title", _text(answer.get("title")) or NO_ANSWER),
        AnswerRow("Méta-description", _text(answer.get("meta_description")) or NO_ANSWER),
        AnswerRow("Corps de la page", _text(answer.get("body")) or NO_ANSWER, long=True),
    ]


def _kpi(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    expected = expected_values(ex, dataset_for(ex, user_id)) if user_id is not None else {}

    def shown(metric: str, value: object) -> str:
        if not isinstance(value, int | float):
            return NO_ANSWER
        unit = "\u00a0min" if metric == "avg_response_time" else "\u202f%"
        return f"{fr_number(value, 2)}{unit}"

    return [
        AnswerRow(
            METRIC_LABELS[m],
            shown(m, answer.get(m)),
            f"Attendu\u00a0: {shown(m, expected[m])}" if m in expected else "",
        )
        for m in ex.metrics
    ]


def _calendar(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    types = {t.id: t.label for t in ex.content_types}
    posts = [p for p in answer.get("posts") or [] if isinstance(p, dict)]

    def when(p: dict[str, Any]) -> tuple[int, str]:
        return (DAYS.index(p["day"]) if p.get("day") in DAYS else len(DAYS), str(p.get("time", "")))

    rows = []
    for p in sorted(posts, key=when):
        network = p.get("network", "")
        name = get_network(network).name if network in ex.networks else str(network)
        kind = types.get(p.get("type"), str(p.get("type", "")))
        topic = _text(p.get("topic"))
        rows.append(
            AnswerRow(
                f"{p.get('day', '')} {p.get('time', '')} · {name}",
                f"{kind}\u00a0— {topic}" if topic else kind,
            )
        )
    return rows or [AnswerRow("Calendrier", "Aucune publication prévue")]


def _crisis(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    steps = step_map(ex)
    seconds = answer.get("response_seconds") or []
    rows = []
    step = steps[ex.start]
    for i, choice_id in enumerate(answer.get("choices") or []):
        choice = next((c for c in step.choices if c.id == choice_id), None)
        if choice is None:
            break
        top = max(c.points for c in step.choices)
        bits = [f"{choice.points} / {top} points"]
        if i < len(seconds):
            bits.append(reaction_time(seconds[i]))
        bits += [f"Événement\u00a0: {step.event}", f"Conséquence\u00a0: {choice.consequence}"]
        rows.append(AnswerRow(f"{step.at} · {step.channel}", choice.text, " · ".join(bits)))
        if choice.next is None:
            break
        step = steps[choice.next]
    return rows or [AnswerRow("Parcours", "Aucune décision")]


def _live_tweet(ex: Any, answer: dict[str, Any], user_id: int | None) -> list[AnswerRow]:
    posts = sorted(
        (p for p in answer.get("posts") or [] if isinstance(p, dict)), key=lambda p: float(p.get("at", 0))
    )
    rows = []
    for p in posts:
        at = float(p.get("at", 0))
        before = [e.text for e in ex.script if e.at <= at]
        rows.append(
            AnswerRow(
                mmss(at), _text(p.get("text")), f"Dernière annonce\u00a0: {before[-1]}" if before else ""
            )
        )
    return rows or [AnswerRow("Messages", "Aucun message publié")]


RENDERERS: dict[str, Callable[[Any, dict[str, Any], int | None], list[AnswerRow]]] = {
    "quiz": _quiz,
    "moderation": _moderation,
    "reply": _reply,
    "post": _written("Publication"),
    "kpi": _kpi,
    "calendar": _calendar,
    "crisis": _crisis,
    "live_tweet": _live_tweet,
    "watch_summary": _written("Synthèse"),
    "seo": _seo,
}


def answer_rows(exercise: Any, answer: dict[str, Any], *, user_id: int | None = None) -> list[AnswerRow]:
    """The answer as rows; ``user_id`` (the trainee's) adds the expected values of personal datasets."""
    return RENDERERS[exercise.kind](exercise, answer if isinstance(answer, dict) else {}, user_id)


def answer_text(exercise: Any, answer: dict[str, Any], *, user_id: int | None = None) -> str:
    """The answer as lines of text, for a spreadsheet cell."""
    return "\n".join(f"{r.label}\u00a0: {r.value}" for r in answer_rows(exercise, answer, user_id=user_id))
