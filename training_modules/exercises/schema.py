"""The shape of an exercise file (YAML under ``content/exercises/``), one pydantic model per kind.

A trainer adds an exercise by writing a file; ``loader.load_exercise`` validates it against these
models and refuses it with a French message naming the file and the field.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import time
from typing import Annotated, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    ConfigDict,
    Field,
    PrivateAttr,
    field_validator,
    model_validator,
)

from training_modules.competences import framework


def _known(what: str, ids: Callable[[], list[str]]) -> Callable[[str], str]:
    """A check that a value is one of ``ids``: the framework's content is the one list of them."""

    def check(value: str) -> str:
        allowed = ids()
        if value not in allowed:
            raise ValueError(
                f"{what} inconnue «\u00a0{value}\u00a0»\u00a0; choisissez parmi\u00a0: {', '.join(allowed)}"
            )
        return value

    return check


CompetenceId = Annotated[
    str, AfterValidator(_known("compétence", lambda: [c.id for c in framework().competences]))
]
MissionId = Annotated[str, AfterValidator(_known("mission", lambda: [m.id for m in framework().missions]))]
NetworkId = Literal[
    "x",
    "bluesky",
    "threads",
    "mastodon",
    "linkedin",
    "instagram",
    "tiktok",
    "facebook",
    "youtube",
    "pinterest",
]
KINDS = (
    "quiz",
    "moderation",
    "reply",
    "post",
    "kpi",
    "calendar",
    "crisis",
    "live_tweet",
    "watch_summary",
    "seo",
)
KIND_LABELS = {
    "quiz": "Quiz",
    "moderation": "Modération",
    "reply": "Réponse à un commentaire",
    "post": "Publication",
    "kpi": "Calcul de KPI",
    "calendar": "Calendrier éditorial",
    "crisis": "Gestion de crise",
    "live_tweet": "Live-tweet",
    "watch_summary": "Synthèse de veille",
    "seo": "Rédaction web et SEO",
}
DAYS = ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche")
Day = Literal[DAYS]  # type: ignore[valid-type]


class Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class RubricLevel(Strict):
    """One level of a criterion: the points it earns and what the trainer sees in the answer."""

    points: int = Field(ge=0, le=100)
    description: str = Field(min_length=3)


class RubricCriterion(Strict):
    """One line of the trainer's grid: a criterion and its levels, lowest first."""

    label: str = Field(min_length=3)
    levels: list[RubricLevel] = Field(min_length=2)

    @model_validator(mode="after")
    def _levels_ordered(self) -> RubricCriterion:
        points = [lv.points for lv in self.levels]
        if points != sorted(set(points)):
            raise ValueError(
                "les niveaux d’un critère vont du plus faible au plus fort, sans doublon de points"
            )
        if points[-1] == 0:
            raise ValueError("le niveau le plus fort d’un critère rapporte des points")
        return self

    @property
    def max_points(self) -> int:
        return self.levels[-1].points

    @property
    def points(self) -> list[int]:
        return [lv.points for lv in self.levels]


class Feedback(Strict):
    success: str  # shown when the automatic score reaches pass_mark
    failure: str  # shown below it: what to work on


class ExerciseBase(Strict):
    id: str = ""  # the file name without extension, set by the loader
    title: str = Field(min_length=3)
    brief: str = Field(min_length=10)
    competences: list[CompetenceId] = Field(min_length=1)  # ids of training_modules/content/competences/
    missions: list[MissionId] = Field(min_length=1)  # ids of training_modules/content/missions.yaml
    duration_minutes: int = Field(default=15, gt=0, le=240)
    review: Literal["none", "optional", "required"] = "none"
    rubric: list[RubricCriterion] = Field(default_factory=list)  # the trainer's grid
    pass_mark: int = Field(default=60, ge=0, le=100)
    feedback: Feedback
    # Set by the lookup, never read from a file: a trainer-made exercise's version (None: bundled)
    # and the bytes of the datasets uploaded with it, by the file name the body uses.
    _version: int | None = PrivateAttr(default=None)
    _uploads: dict[str, bytes] = PrivateAttr(default_factory=dict)

    @model_validator(mode="after")
    def _rubric_when_reviewed(self) -> ExerciseBase:
        if self.review != "none" and not self.rubric:
            raise ValueError(
                "un exercice relu par un formateur («\u00a0review\u00a0»\u00a0: «\u00a0optional\u00a0» ou "
                "«\u00a0required\u00a0») a une grille («\u00a0rubric\u00a0»)\u00a0: des critères et leurs niveaux"
            )
        return self


# --- quiz ---------------------------------------------------------------------------------


class Option(Strict):
    id: str
    text: str
    feedback: str = ""  # shown after grading when this option was ticked (Moodle's per-answer feedback)


class TypedAnswer(Strict):
    """An answer a short-answer question accepts: compared without case (unless the question is
    ``case_sensitive``), accents or extra spaces; ``*`` stands for any characters, as in Moodle."""

    text: str = Field(min_length=1)
    credit: float = Field(default=100, ge=0, le=100)  # percent of the question's point
    feedback: str = ""


class NumberAnswer(Strict):
    """A value a numerical question accepts, give or take ``tolerance``."""

    value: float
    tolerance: float = Field(default=0, ge=0)
    credit: float = Field(default=100, ge=0, le=100)
    feedback: str = ""


QUESTION_TYPES = {
    "single": "choix unique",
    "multiple": "choix multiple",
    "short": "réponse courte",
    "numerical": "réponse numérique",
}


# What each type of question is answered and keyed with (the others stay empty).
QUESTION_FIELDS = {
    "single": ("options", "answer"),
    "multiple": ("options", "answer"),
    "short": ("accepted", "case_sensitive"),
    "numerical": ("numbers",),
}


class Question(Strict):
    """One quiz question: options to tick (``single``, ``multiple``), a short text to type
    (``short``, its accepted answers) or a number to type (``numerical``, its values)."""

    id: str
    prompt: str
    type: Literal["single", "multiple", "short", "numerical"]
    options: list[Option] = Field(default_factory=list)
    answer: list[str] = Field(default_factory=list)  # the key: correct option ids
    accepted: list[TypedAnswer] = Field(default_factory=list)  # short: tried in order, first match counts
    case_sensitive: bool = False
    numbers: list[NumberAnswer] = Field(default_factory=list)  # numerical: tried in order
    explanation: str

    @model_validator(mode="after")
    def _key_fits_the_type(self) -> Question:
        fields = {
            "options": self.options,
            "answer": self.answer,
            "accepted": self.accepted,
            "numbers": self.numbers,
        }
        needed = QUESTION_FIELDS[self.type]
        stray = [name for name, value in fields.items() if value and name not in needed]
        if stray:
            raise ValueError(
                f"une question à {QUESTION_TYPES[self.type]} n’a pas de champ «\u00a0{stray[0]}\u00a0»"
            )
        if self.type in ("short", "numerical"):
            answers = self.accepted or self.numbers
            if not answers or max(a.credit for a in answers) != 100:
                raise ValueError(
                    f"une question à {QUESTION_TYPES[self.type]} a au moins une réponse qui rapporte "
                    f"tout le point («\u00a0credit\u00a0»\u00a0: 100) dans «\u00a0{needed[0]}\u00a0»"
                )
            return self
        if len(self.options) < 2:
            raise ValueError("une question à choix a au moins deux options")
        ids = [o.id for o in self.options]
        if len(set(ids)) != len(ids):
            raise ValueError("deux options ont le même identifiant (id)")
        if not self.answer:
            raise ValueError("aucune bonne option\u00a0: nommez-la dans «\u00a0answer\u00a0»")
        unknown = [a for a in self.answer if a not in ids]
        if unknown:
            raise ValueError(f"«\u00a0answer\u00a0» nomme des options inconnues\u00a0: {', '.join(unknown)}")
        if self.type == "single" and len(self.answer) != 1:
            raise ValueError("une question à choix unique a exactement une bonne option")
        return self


class QuizExercise(ExerciseBase):
    kind: Literal["quiz"]
    questions: list[Question] = Field(min_length=1)


# --- moderation ---------------------------------------------------------------------------

ModerationAction = Literal["repondre", "masquer", "supprimer", "signaler", "escalader", "ignorer"]
ACTION_LABELS = {
    "repondre": "Répondre",
    "masquer": "Masquer",
    "supprimer": "Supprimer",
    "signaler": "Signaler",
    "escalader": "Escalader vers le service client",
    "ignorer": "Ignorer",
}


class ModerationKey(Strict):
    action: ModerationAction
    reason: str  # why, citing the charter: shown after grading
    also_accepted: list[ModerationAction] = Field(default_factory=list)


class ModeratedComment(Strict):
    id: str
    author: str
    text: str
    context: str = ""
    weight: int = Field(default=1, ge=1, le=3)  # 2–3 for comments that must not be missed
    key: ModerationKey


class ModerationExercise(ExerciseBase):
    kind: Literal["moderation"]
    network: NetworkId
    post: str  # the brand's post under which the comments appear
    charter: str
    comments: list[ModeratedComment] = Field(min_length=4)


# --- reply --------------------------------------------------------------------------------


class ReplyRules(Strict):
    min_length: int = Field(default=120, ge=0)
    max_length: int = Field(default=600, gt=0)
    greeting: bool = True
    name: str | None = None  # the commenter's first name, expected in the reply
    thanks: bool = False
    apology: bool = False
    empathy: bool = True
    jargon: list[str] = Field(default_factory=list)  # added to the lexicon's list
    no_blame: bool = True
    private_message: bool = False  # personal data must move to private messages


class ReplyExercise(ExerciseBase):
    kind: Literal["reply"]
    network: NetworkId
    private: bool = False  # the message came in private messages (DM), and so does the reply
    author: str
    comment: str
    context: str = ""
    rules: ReplyRules
    model_answer: str
    review: Literal["none", "optional", "required"] = "required"

    @model_validator(mode="after")
    def _private_reply_stays_private(self) -> ReplyExercise:
        if self.private and self.rules.private_message:
            raise ValueError(
                "une réponse en message privé n’a pas à proposer le message privé\u00a0: "
                "désactivez «\u00a0private_message\u00a0» ou «\u00a0private\u00a0»"
            )
        return self


# --- post ---------------------------------------------------------------------------------


class PostRules(Strict):
    min_length: int = Field(default=0, ge=0)
    max_length: int | None = None  # a target shorter than the network's limit
    required_hashtags: list[str] = Field(default_factory=list)  # without '#', case-insensitive
    min_hashtags: int = Field(default=0, ge=0)
    max_hashtags: int | None = None
    mention: str | None = None  # handle expected, without '@'
    link: str | None = None  # URL or domain expected
    call_to_action: bool = True
    forbidden: list[str] = Field(default_factory=list)


class PostExercise(ExerciseBase):
    kind: Literal["post"]
    network: NetworkId
    rules: PostRules
    model_answer: str
    review: Literal["none", "optional", "required"] = "optional"


# --- KPI ----------------------------------------------------------------------------------

MetricId = Literal[
    "engagement_rate",
    "reach_rate",
    "ctr",
    "conversion_rate",
    "audience_growth",
    "share_of_voice",
    "response_rate",
    "avg_response_time",
]


class KpiContext(Strict):
    followers_start: int = Field(gt=0)
    followers_end: int = Field(gt=0)
    brand_mentions: int = Field(ge=0)
    competitor_mentions: dict[str, int] = Field(min_length=1)


class KpiExercise(ExerciseBase):
    kind: Literal["kpi"]
    posts_csv: str  # file under content/exercises/datasets/
    messages_csv: str
    context: KpiContext
    engagement_denominator: Literal["reach", "impressions", "followers"]
    metrics: list[MetricId] = Field(min_length=1)
    tolerance_points: float = Field(default=0.1, gt=0)  # for percentages, in points
    tolerance_minutes: float = Field(default=1.0, gt=0)
    variation: float = Field(default=0.2, ge=0, lt=0.5)  # per-trainee spread of the dataset


# --- editorial calendar ---------------------------------------------------------------------


class ContentType(Strict):
    id: str
    label: str


class FrequencyRule(Strict):
    rule: Literal["frequency"]
    network: NetworkId
    min: int = Field(ge=0)
    max: int = Field(ge=0)


class MixMaxShareRule(Strict):
    rule: Literal["mix_max_share"]
    type: str
    max_share: float = Field(gt=0, le=1)


class MixMinCountRule(Strict):
    rule: Literal["mix_min_count"]
    type: str
    min: int = Field(ge=1)


class ThemeDayRule(Strict):
    rule: Literal["theme_day"]
    day: Day  # type: ignore[valid-type]
    type: str
    network: NetworkId | None = None
    label: str  # e.g. « #MercrediAstuce »


class TimeWindowRule(Strict):
    rule: Literal["time_window"]
    network: NetworkId
    start: time
    end: time


class MaxPerDayRule(Strict):
    rule: Literal["max_per_day"]
    network: NetworkId
    max: int = Field(ge=1)


class NoPostDaysRule(Strict):
    rule: Literal["no_post_days"]
    network: NetworkId
    days: list[Day] = Field(min_length=1)  # type: ignore[valid-type]


CalendarRule = Annotated[
    FrequencyRule
    | MixMaxShareRule
    | MixMinCountRule
    | ThemeDayRule
    | TimeWindowRule
    | MaxPerDayRule
    | NoPostDaysRule,
    Field(discriminator="rule"),
]


class PlannedPost(Strict):
    day: Day  # type: ignore[valid-type]
    time: time
    network: NetworkId
    type: str
    topic: str = ""


class CalendarExercise(ExerciseBase):
    kind: Literal["calendar"]
    networks: list[NetworkId] = Field(min_length=1)
    content_types: list[ContentType] = Field(min_length=2)
    rules: list[CalendarRule] = Field(min_length=3)
    model_plan: list[PlannedPost] = Field(min_length=1)

    @model_validator(mode="after")
    def _types_known(self) -> CalendarExercise:
        known = {t.id for t in self.content_types}
        for rule in self.rules:
            if getattr(rule, "type", None) and rule.type not in known:  # type: ignore[union-attr]
                raise ValueError(f"une contrainte nomme un type de contenu inconnu\u00a0: {rule.type}")  # type: ignore[union-attr]
        for post in self.model_plan:
            if post.type not in known:
                raise ValueError(f"le planning modèle nomme un type de contenu inconnu\u00a0: {post.type}")
        return self


# --- crisis -------------------------------------------------------------------------------


class CrisisChoice(Strict):
    id: str
    text: str
    points: int = Field(ge=0, le=10)
    consequence: str
    next: str | None = None  # the next step id; None ends the scenario


class CrisisStep(Strict):
    id: str
    at: str  # when on the timeline, e.g. « Mardi 9 h 12 »
    channel: str
    event: str
    choices: list[CrisisChoice] = Field(min_length=2)


class CrisisExercise(ExerciseBase):
    kind: Literal["crisis"]
    brand: str
    start: str
    steps: list[CrisisStep] = Field(min_length=3)
    debrief: str  # what an experienced CM would have done

    @model_validator(mode="after")
    def _graph(self) -> CrisisExercise:
        ids = [s.id for s in self.steps]
        if len(set(ids)) != len(ids):
            raise ValueError("deux étapes ont le même identifiant")
        if self.start not in ids:
            raise ValueError(f"la première étape est inconnue\u00a0: {self.start}")
        for step in self.steps:
            for choice in step.choices:
                if choice.next is not None and choice.next not in ids:
                    raise ValueError(
                        f"étape {step.id}, choix {choice.id}\u00a0: l’étape suivante {choice.next} est inconnue"
                    )
        return self


# --- live-tweet ---------------------------------------------------------------------------


class ScriptEvent(Strict):
    at: int = Field(ge=0)  # seconds from the start
    text: str
    key: bool = False  # a moment that deserves its own update


class LiveTweetRules(Strict):
    min_posts: int = Field(default=4, ge=1)
    max_gap_seconds: int = Field(default=180, gt=0)
    react_within_seconds: int = Field(default=120, gt=0)
    max_length: int | None = None


class LiveTweetExercise(ExerciseBase):
    kind: Literal["live_tweet"]
    network: NetworkId = "x"
    event_name: str
    hashtag: str  # without '#'
    speakers: dict[str, str] = Field(default_factory=dict)  # name → handle without '@'
    duration_seconds: int = Field(gt=0, le=3600)
    script: list[ScriptEvent] = Field(min_length=3)
    rules: LiveTweetRules = LiveTweetRules()

    @field_validator("hashtag")
    @classmethod
    def _no_hash(cls, v: str) -> str:
        return v.lstrip("#")


# --- watch summary ------------------------------------------------------------------------


class Article(Strict):
    title: str
    url: str
    source: str
    author: str = ""
    published: str = ""
    text: str = Field(min_length=200)


class WatchSummaryRules(Strict):
    min_length: int = Field(default=200, ge=0)
    max_length: int = Field(default=1300, gt=0)
    network: NetworkId | None = "linkedin"


class WatchSummaryExercise(ExerciseBase):
    kind: Literal["watch_summary"]
    article: Article  # the given article (the trainee may pick one from the wall instead)
    allow_wall: bool = True
    rules: WatchSummaryRules = WatchSummaryRules()
    model_answer: str
    review: Literal["none", "optional", "required"] = "required"


# --- web / SEO ----------------------------------------------------------------------------


class SeoRules(Strict):
    title_min: int = 30
    title_max: int = 60
    meta_min: int = 120
    meta_max: int = 158
    min_h2: int = Field(default=2, ge=0)
    min_words: int = Field(default=250, ge=0)


class SeoExercise(ExerciseBase):
    kind: Literal["seo"]
    keyword: str
    rules: SeoRules = SeoRules()
    model_title: str
    model_meta: str
    review: Literal["none", "optional", "required"] = "optional"


Exercise = Annotated[
    QuizExercise
    | ModerationExercise
    | ReplyExercise
    | PostExercise
    | KpiExercise
    | CalendarExercise
    | CrisisExercise
    | LiveTweetExercise
    | WatchSummaryExercise
    | SeoExercise,
    Field(discriminator="kind"),
]
# The model of each kind: a form for a new exercise of that kind is drawn from it.
KIND_MODELS: dict[str, type[ExerciseBase]] = {
    "quiz": QuizExercise,
    "moderation": ModerationExercise,
    "reply": ReplyExercise,
    "post": PostExercise,
    "kpi": KpiExercise,
    "calendar": CalendarExercise,
    "crisis": CrisisExercise,
    "live_tweet": LiveTweetExercise,
    "watch_summary": WatchSummaryExercise,
    "seo": SeoExercise,
}
