"""Live-tweet drill: updates posted while a timed script runs; cadence, key moments, hashtag, limits."""

from __future__ import annotations

import itertools

from pydantic import BaseModel, Field

from curation.networks import count, extract_hashtags, extract_mentions
from training_modules.exercises.result import GradeResult, build_result, check, parse_answer
from training_modules.exercises.schema import LiveTweetExercise
from training_modules.exercises.text import fold
from workbench.numbers import fr_int, quantity


class TimedPost(BaseModel):
    at: float = Field(ge=0)  # seconds since the drill started
    text: str


class LiveTweetAnswer(BaseModel):
    posts: list[TimedPost]


def mmss(seconds: float) -> str:
    s = int(seconds)
    return f"{s // 60:02d}:{s % 60:02d}"


def event_at(exercise: LiveTweetExercise, elapsed: float) -> list[str]:
    """The script lines revealed after ``elapsed`` seconds (what the trainee sees on screen)."""
    return [f"{mmss(e.at)} — {e.text}" for e in exercise.script if e.at <= elapsed]


def counts(exercise: LiveTweetExercise, at: float) -> bool:
    """Whether a message posted ``at`` seconds into the live counts: until the end of the live
    plus the longest silence allowed (a last message just after the final whistle)."""
    return at <= exercise.duration_seconds + exercise.rules.max_gap_seconds


def grade(exercise: LiveTweetExercise, answer: object, user_id: int | None = None) -> GradeResult:
    posts = sorted(parse_answer(LiveTweetAnswer, answer).posts, key=lambda p: p.at)
    rules = exercise.rules
    posts_in = [p for p in posts if counts(exercise, p.at)]
    checks = [
        check(
            "Nombre de messages",
            len(posts_in) >= rules.min_posts,
            f"{quantity(len(posts_in), 'message')} pendant l’événement\u202f; il en faut au moins "
            f"{fr_int(rules.min_posts)}.",
        )
    ]
    times = [0.0, *(p.at for p in posts_in), float(exercise.duration_seconds)]
    gaps = [b - a for a, b in itertools.pairwise(times)]
    worst = max(gaps) if gaps else float(exercise.duration_seconds)
    checks.append(
        check(
            "Cadence",
            bool(posts_in) and worst <= rules.max_gap_seconds,
            f"Plus long silence\u00a0: {mmss(worst)}\u202f; {mmss(rules.max_gap_seconds)} au plus entre deux messages.",
        )
    )
    keys = [e for e in exercise.script if e.key]
    covered = [e for e in keys if any(e.at <= p.at <= e.at + rules.react_within_seconds for p in posts_in)]
    missed = [e for e in keys if e not in covered]
    if keys:
        share = len(covered) / len(keys)
        c = check(
            "Temps forts couverts",
            not missed,
            f"{len(covered)} sur {len(keys)} relayés dans les {fr_int(rules.react_within_seconds)}\u00a0s."
            + (
                ""
                if not missed
                else (" Manqué\u00a0: " if len(missed) == 1 else " Manqués\u00a0: ")
                + "\u202f; ".join(f"{mmss(e.at)} — {e.text.rstrip().rstrip('.')}" for e in missed)
                + ("" if missed[-1].text.rstrip()[-1:] in "!?…" else ".")
            ),
        )
        c.points = round(share, 3)
        checks.append(c)
    tag = fold(exercise.hashtag)
    without = [
        i + 1 for i, p in enumerate(posts_in) if tag not in {fold(h) for h in extract_hashtags(p.text)}
    ]
    variants = sorted(
        {
            f"#{h}"
            for p in posts_in
            for h in extract_hashtags(p.text)
            if fold(h) != tag and (tag in fold(h) or fold(h) in tag)
        }
    )
    checks.append(
        check(
            f"Hashtag #{exercise.hashtag}",
            bool(posts_in) and not without and not variants,
            "Présent dans chaque message, toujours orthographié pareil."
            if posts_in and not without and not variants
            else ("Absent des messages n° " + ", ".join(map(str, without)) + ". " if without else "")
            + ("Variantes à éviter\u00a0: " + ", ".join(variants) + "." if variants else ""),
        )
    )
    limit = rules.max_length
    too_long = [
        i + 1
        for i, p in enumerate(posts_in)
        if not count(p.text, exercise.network).ok
        or (limit is not None and count(p.text, exercise.network).length > limit)
    ]
    checks.append(
        check(
            "Limites du réseau",
            not too_long,
            "Chaque message tient dans la limite."
            if not too_long
            else ("Message trop long" if len(too_long) == 1 else "Messages trop longs")
            + "\u00a0: n° "
            + ", ".join(map(str, too_long))
            + ".",
        )
    )
    if exercise.speakers:
        handles = {fold(h) for h in exercise.speakers.values()}
        wrong = sorted(
            {f"@{m}" for p in posts_in for m in extract_mentions(p.text) if fold(m) not in handles}
        )
        checks.append(
            check(
                "Mentions des intervenants",
                not wrong,
                "Comptes des intervenants correctement cités."
                if not wrong
                else "Comptes inconnus de la fiche de l’événement\u00a0: " + ", ".join(wrong) + ".",
            )
        )
    return build_result(exercise, checks, extra={"posts": len(posts_in), "longest_gap_seconds": worst})
