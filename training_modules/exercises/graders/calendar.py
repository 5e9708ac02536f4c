"""Editorial calendar: a week of planned posts checked against the brief's rules, one by one."""

from __future__ import annotations

from collections import Counter

from pydantic import BaseModel

from curation.networks import get_network
from training_modules.exercises.result import Check, GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import (
    DAYS,
    CalendarExercise,
    FrequencyRule,
    MaxPerDayRule,
    MixMaxShareRule,
    MixMinCountRule,
    NoPostDaysRule,
    PlannedPost,
    ThemeDayRule,
    TimeWindowRule,
)
from workbench.errors import UserError
from workbench.numbers import fr_int, quantity

MAX_TOPIC = 300  # a post's subject in a plan: one sentence, not the post itself


class CalendarAnswer(BaseModel):
    posts: list[PlannedPost]


def planned_topic(typed: str) -> str:
    """The subject of a post added to the week, as typed without its outer spaces; an empty or
    over-long one is refused beside the « Sujet » field (``field="topic"``)."""
    topic = (typed or "").strip()
    if not topic:
        raise UserError(
            "Indiquez le sujet de la publication\u00a0: ce qu’elle annonce ou raconte.", field="topic"
        )
    if len(topic) > MAX_TOPIC:
        raise UserError(
            f"Le sujet est trop long ({fr_int(len(topic))} caractères, {MAX_TOPIC} au plus)\u00a0: "
            "résumez-le en une phrase.",
            field="topic",
        )
    return topic


def _hm(t: object) -> str:
    return f"{t.hour} h {t.minute:02d}"  # type: ignore[attr-defined]


def rule_check(rule: object, posts: list[PlannedPost], types: dict[str, str]) -> Check:
    if isinstance(rule, FrequencyRule):
        n = sum(p.network == rule.network for p in posts)
        name = get_network(rule.network).name
        return check(
            f"Fréquence {name}",
            rule.min <= n <= rule.max,
            f"{quantity(n, 'publication')}\u202f; le brief demande entre {rule.min} et {rule.max} par semaine.",
        )
    if isinstance(rule, MixMaxShareRule):
        n = sum(p.type == rule.type for p in posts)
        share = n / len(posts) if posts else 0
        return check(
            f"Part de «\u00a0{types[rule.type]}\u00a0»",
            share <= rule.max_share + 1e-9,
            f"{n} sur {len(posts)} ({share:.0%})\u202f; {rule.max_share:.0%} au plus.".replace(
                "%", "\u202f%"
            ),
        )
    if isinstance(rule, MixMinCountRule):
        n = sum(p.type == rule.type for p in posts)
        return check(
            f"Au moins {rule.min} «\u00a0{types[rule.type]}\u00a0»",
            n >= rule.min,
            f"{quantity(n, 'prévue')}.",
        )
    if isinstance(rule, ThemeDayRule):
        ok = any(
            p.day == rule.day and p.type == rule.type and (rule.network is None or p.network == rule.network)
            for p in posts
        )
        where = f" sur {get_network(rule.network).name}" if rule.network else ""
        return check(
            f"Rendez-vous {rule.label}",
            ok,
            f"Une publication «\u00a0{types[rule.type]}\u00a0»{where} est prévue le {rule.day}."
            if ok
            else f"Prévoyez une publication «\u00a0{types[rule.type]}\u00a0»{where} le {rule.day}.",
        )
    if isinstance(rule, TimeWindowRule):
        name = get_network(rule.network).name
        bad = [p for p in posts if p.network == rule.network and not rule.start <= p.time <= rule.end]
        return check(
            f"Horaires {name}",
            not bad,
            f"Toutes entre {_hm(rule.start)} et {_hm(rule.end)}."
            if not bad
            else "Hors créneau\u00a0: "
            + ", ".join(f"{p.day} {_hm(p.time)}" for p in bad)
            + f" (créneau\u00a0: {_hm(rule.start)}–{_hm(rule.end)}).",
        )
    if isinstance(rule, MaxPerDayRule):
        name = get_network(rule.network).name
        per_day = Counter(p.day for p in posts if p.network == rule.network)
        over = [d for d in DAYS if per_day[d] > rule.max]
        return check(
            f"Pas plus de {rule.max} par jour sur {name}",
            not over,
            "Respecté."
            if not over
            else "Trop chargé\u00a0: " + ", ".join(f"{d} ({per_day[d]})" for d in over) + ".",
        )
    if isinstance(rule, NoPostDaysRule):
        name = get_network(rule.network).name
        bad_days = sorted(
            {p.day for p in posts if p.network == rule.network and p.day in rule.days}, key=DAYS.index
        )
        return check(
            f"Jours sans {name}",
            not bad_days,
            f"Rien de prévu le {', '.join(rule.days)}."
            if not bad_days
            else f"À déplacer\u00a0: {'publication' if len(bad_days) < 2 else 'publications'} le {', '.join(bad_days)}.",
        )
    raise TypeError(f"unknown calendar rule {rule!r}")


def grade(exercise: CalendarExercise, answer: object, user_id: int | None = None) -> GradeResult:
    posts = parse_answer(CalendarAnswer, answer).posts
    types = {t.id: t.label for t in exercise.content_types}
    stray = [p for p in posts if p.network not in exercise.networks or p.type not in types]
    checks = [
        check(
            "Réseaux et types du brief",
            bool(posts) and not stray,
            "Calendrier vide."
            if not posts
            else "Tout correspond au brief."
            if not stray
            else f"{quantity(len(stray), 'publication')} sur un réseau ou avec un type hors brief.",
        )
    ]
    checks += [rule_check(rule, posts, types) for rule in exercise.rules]
    return build_result(exercise, checks)
