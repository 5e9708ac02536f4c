"""Scores of a self-assessment: one 0–100 score per competence, level labels, strengths, priorities.

How a competence is scored (documented for trainees and trainers):

- Self-rating statements (1–5): a reverse-keyed statement counts ``6 − rating``; the mean keyed
  rating maps linearly to 0–100 (1 → 0, 3 → 50, 5 → 100).
- Situational judgement items: the chosen option's score over the best score (0–3 → 0–100);
  the mean over the answered items.
- The competence score is ``60 %`` self-rating + ``40 %`` judgement. When one part has no answer
  at all, the other part alone is used.
- Self-rating cannot lift the level above the evidence: the evidence is the judgement score,
  averaged with the measured exercise results when there are some (``measured``). When the blend
  would reach a higher level than the evidence's, the score is capped at the top of the evidence's
  level (34, 59 or 84); without any evidence the cap is the top of « En progression ». Rating
  oneself lower than the evidence still lowers the score.
- Incomplete answers: a competence is scored from what was answered when at least half of its
  items (statements and situations together) are answered, and flagged ``partial``; below half it
  is not scored (``None``) and shown as « Non évalué ».
- Levels: 0–34 « À découvrir », 35–59 « En progression », 60–84 « Maîtrisé », 85–100 « Expert ».
- Strengths: up to three scored competences at 60 or more, best first. Priorities: the scored
  competences below 60, lowest first, at most three; a mastered competence is never a priority.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from training_modules.competences import BEST_OPTION_SCORE, Competence, Framework
from workbench.wording import de

SELF_WEIGHT = 0.6
JUDGEMENT_WEIGHT = 0.4
MIN_COVERAGE = 0.5
STRENGTH_THRESHOLD = 60.0
MAX_STRENGTHS = 3
MAX_PRIORITIES = 3


@dataclass(frozen=True)
class Level:
    label: str
    floor: float
    description: str


LEVELS = (
    Level("À découvrir", 0, "Les bases restent à acquérir : commencez par les ressources proposées."),
    Level("En progression", 35, "Vous avez des acquis ; la pratique régulière vous fera progresser."),
    Level("Maîtrisé", 60, "Vous agissez avec assurance dans la plupart des situations."),
    Level("Expert", 85, "Vous pouvez servir de référence et transmettre cette compétence."),
)
NOT_SCORED = "Non évalué"


def levels_sentence() -> str:
    """The level thresholds, in French, for trainees and reports."""
    first, *others = LEVELS
    parts = [f"«\u00a0{first.label}\u00a0» en dessous de {others[0].floor:.0f}"]
    parts += [f"«\u00a0{lv.label}\u00a0» à partir de {lv.floor:.0f}" for lv in others]
    return "Niveaux\u00a0: " + "\u202f; ".join(parts) + "."


def scoring_rule(who: str | None = None) -> str:
    """How a score is made and capped, in French: to the trainee, or, with ``who`` (the trainee's
    name, as the caller shows it), about them to their trainer."""
    capped_level = LEVELS[1].label
    if who is None:
        answers, their = "vos réponses", "vos"
        limit = "Votre auto-évaluation ne peut pas vous placer à un niveau plus élevé"
    else:
        answers, their = f"les réponses {de(who)}", "ses"
        limit = "Son auto-évaluation ne peut pas lui donner un niveau plus élevé"
    return (
        f"Chaque score (sur 100) combine {answers} aux affirmations ({SELF_WEIGHT * 100:.0f}\u202f%) et aux "
        f"mises en situation ({JUDGEMENT_WEIGHT * 100:.0f}\u202f%). {limit} que celui que montrent {their} "
        f"réponses aux mises en situation et, s’il y en a, {their} résultats aux exercices\u00a0: le score est "
        "alors plafonné juste sous le niveau suivant. Sans mise en situation ni exercice, il ne dépasse pas "
        f"«\u00a0{capped_level}\u00a0»."
    )


def level_for(score: float) -> Level:
    """The level whose floor is the highest one not above ``score``."""
    if not 0 <= score <= 100:
        raise ValueError(f"score out of range: {score}")
    return [lv for lv in LEVELS if score >= lv.floor][-1]


def level_ceiling(evidence: float | None) -> float:
    """The highest score whose level is not above the evidence's level (no evidence: « En progression »)."""
    index = 1 if evidence is None else LEVELS.index(level_for(evidence))
    return 100.0 if index + 1 == len(LEVELS) else LEVELS[index + 1].floor - 1


def blend(self_score: float | None, judgement: float | None) -> float | None:
    """The weighted self-rating and judgement, one part alone when the other has no answer."""
    if self_score is not None and judgement is not None:
        return SELF_WEIGHT * self_score + JUDGEMENT_WEIGHT * judgement
    return self_score if self_score is not None else judgement


def keyed_rating(rating: int, reverse: bool) -> int:
    if rating not in (1, 2, 3, 4, 5):
        raise ValueError(f"rating out of the 1–5 scale: {rating}")
    return 6 - rating if reverse else rating


@dataclass(frozen=True)
class CompetenceScore:
    competence_id: str
    score: float | None  # 0–100, None when too few answers
    self_score: float | None
    judgement_score: float | None
    answered: int
    total: int

    @property
    def partial(self) -> bool:
        return self.answered < self.total

    @property
    def capped(self) -> bool:
        """Whether the self-rating asked for more than the evidence supports (the score was capped)."""
        blended = blend(self.self_score, self.judgement_score)
        return self.score is not None and blended is not None and self.score < round(blended, 1)

    @property
    def level(self) -> Level | None:
        return None if self.score is None else level_for(self.score)

    @property
    def level_label(self) -> str:
        return self.level.label if self.level else NOT_SCORED


@dataclass(frozen=True)
class Report:
    scores: dict[str, CompetenceScore]
    strengths: list[str] = field(default_factory=list)
    priorities: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every competence scored (possibly from partial answers)."""
        return all(s.score is not None for s in self.scores.values())

    @property
    def unscored(self) -> list[str]:
        return [cid for cid, s in self.scores.items() if s.score is None]

    def score_map(self) -> dict[str, float]:
        return {cid: s.score for cid, s in self.scores.items() if s.score is not None}


def _mean(values: list[float]) -> float | None:
    return sum(values) / len(values) if values else None


def score_competence(
    competence: Competence,
    ratings: Mapping[str, int],
    choices: Mapping[str, str],
    measured: float | None = None,
) -> CompetenceScore:
    """Score one competence from the answers given (unknown ids are ignored).

    ``measured`` is the trainee's exercise result for the competence (0–100), evidence beside the
    situations.
    """
    keyed = [keyed_rating(ratings[s.id], s.reverse) for s in competence.statements if s.id in ratings]
    judged: list[float] = []
    for item in competence.situational:
        option = item.option(choices.get(item.id, ""))
        if option is not None:
            judged.append(option.score / BEST_OPTION_SCORE * 100)
    mean_keyed = _mean([float(k) for k in keyed])
    self_score = None if mean_keyed is None else (mean_keyed - 1) / 4 * 100
    judgement = _mean(judged)
    answered = len(keyed) + len(judged)
    total = len(competence.statements) + len(competence.situational)
    score: float | None = None
    if answered / total >= MIN_COVERAGE:
        evidence = _mean([v for v in (judgement, measured) if v is not None])
        blended = blend(self_score, judgement)
        assert blended is not None
        score = min(blended, level_ceiling(evidence))
    return CompetenceScore(
        competence_id=competence.id,
        score=None if score is None else round(score, 1),
        self_score=None if self_score is None else round(self_score, 1),
        judgement_score=None if judgement is None else round(judgement, 1),
        answered=answered,
        total=total,
    )


def strengths_and_priorities(scores: Mapping[str, float], order: list[str]) -> tuple[list[str], list[str]]:
    """Strengths (best first) and up to 3 priorities below 60 (lowest first); ties follow the framework order."""
    ranked = sorted(scores, key=lambda cid: (scores[cid], order.index(cid)))
    priorities = [cid for cid in ranked if scores[cid] < STRENGTH_THRESHOLD][:MAX_PRIORITIES]
    best_first = sorted(scores, key=lambda cid: (-scores[cid], order.index(cid)))
    strengths = [cid for cid in best_first if scores[cid] >= STRENGTH_THRESHOLD]
    return strengths[:MAX_STRENGTHS], priorities


def score_answers(
    fw: Framework,
    ratings: Mapping[str, int],
    choices: Mapping[str, str],
    measured: Mapping[str, float] | None = None,
) -> Report:
    """The report of a set of answers, complete or not (``measured``: exercise results per competence)."""
    measured = measured or {}
    scores = {c.id: score_competence(c, ratings, choices, measured.get(c.id)) for c in fw.competences}
    return report_from_scores(fw, scores)


def report_from_scores(fw: Framework, scores: dict[str, CompetenceScore]) -> Report:
    order = [c.id for c in fw.competences]
    values = {cid: s.score for cid, s in scores.items() if s.score is not None}
    strengths, priorities = strengths_and_priorities(values, order)
    return Report(scores=scores, strengths=strengths, priorities=priorities)
