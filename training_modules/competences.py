"""The competence framework as data: the 7 competences, the 14 missions and their scales.

Content lives in YAML under ``training_modules/content/`` so a trainer can edit it without Python;
it is validated here at load time, and an invalid file is refused with a message naming the file
and the field.
"""

from __future__ import annotations

import random
from pathlib import Path
from typing import Annotated, Literal

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator, model_validator

from workbench.errors import UserError
from workbench.once import cache_once

CONTENT_DIR = Path(__file__).resolve().parent / "content"

COMPETENCE_IDS = (
    "communication",
    "empathie",
    "assertivite",
    "creativite",
    "anglais",
    "relations_publiques",
    "collaboration",
)
MISSION_IDS = (
    "strategie",
    "reseaux",
    "veille",
    "e_reputation",
    "moderation",
    "relation_client",
    "animation",
    "visuels",
    "contenus",
    "redaction_web",
    "live_tweet",
    "live_video",
    "publicite",
    "kpi",
)
MASTERY_IDS = ("decouverte", "pratique_guidee", "autonome", "referent")
MIN_STATEMENTS = 6
MIN_SITUATIONAL = 3
OPTIONS_PER_ITEM = 4
BEST_OPTION_SCORE = 3

CompetenceId = Literal[COMPETENCE_IDS]  # type: ignore[valid-type]
Text = Annotated[str, Field(min_length=3)]


class ContentError(UserError):
    """A content file that cannot be used; the message names the file and the field."""


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class Anchors(_Model):
    """What answering 1 and answering 5 look like in practice."""

    low: Text
    high: Text


class Statement(_Model):
    """A self-rating statement on the 5-step scale; ``reverse`` items score 6 − rating."""

    id: Text
    text: Text
    reverse: bool = False
    anchors: Anchors


class Option(_Model):
    id: Literal["a", "b", "c", "d"]
    text: Text
    score: int = Field(ge=0, le=BEST_OPTION_SCORE)
    feedback: str = ""  # why this option scores what it does (kept from and given to Moodle)

    @property
    def quoted(self) -> str:
        """The option named by its text, in « » unless it already opens on a quoted reply."""
        return self.text if self.text.startswith("«") else f"«\u00a0{self.text}\u00a0»"


class SituationalItem(_Model):
    """A situational judgement item: options scored by how an experienced CM would act."""

    id: Text
    title: Text
    scenario: Text
    question: Text
    options: list[Option]
    explanation: Text

    @field_validator("options")
    @classmethod
    def _four_options(cls, options: list[Option]) -> list[Option]:
        if len(options) != OPTIONS_PER_ITEM:
            raise ValueError(f"il faut exactement {OPTIONS_PER_ITEM} réponses proposées (ici {len(options)})")
        if len({o.id for o in options}) != len(options):
            raise ValueError("chaque réponse proposée doit avoir son propre identifiant (a, b, c, d)")
        if max(o.score for o in options) != BEST_OPTION_SCORE:
            raise ValueError(f"une des réponses doit avoir la meilleure note ({BEST_OPTION_SCORE} points)")
        return options

    def option(self, option_id: str) -> Option | None:
        return next((o for o in self.options if o.id == option_id), None)

    def options_for(self, seed: int) -> list[Option]:
        """The options in the order one attempt shows them: shuffled per attempt (``seed``, its id),
        the same on every rerun and reload of that attempt, so the stored order gives nothing away."""
        order = list(self.options)
        random.Random(f"{seed}:{self.id}").shuffle(order)  # an order to show, not a secret
        return order

    @property
    def best(self) -> Option:
        return max(self.options, key=lambda o: o.score)


class Resource(_Model):
    title: Text
    publisher: str = ""
    url: str | None = None

    @field_validator("url")
    @classmethod
    def _https(cls, url: str | None) -> str | None:
        if url is not None and not url.startswith("https://"):
            raise ValueError("a resource URL must start with https://")
        return url


class Competence(_Model):
    id: CompetenceId
    name: Text
    summary: Text
    definition: Text
    order: int
    statements: list[Statement] = Field(min_length=MIN_STATEMENTS)
    situational: list[SituationalItem] = Field(min_length=MIN_SITUATIONAL)
    resources: list[Resource] = Field(min_length=1)
    exercise_kinds: list[str] = Field(default_factory=list)

    @model_validator(mode="after")
    def _keyed_both_ways(self) -> Competence:
        if not any(s.reverse for s in self.statements) or all(s.reverse for s in self.statements):
            raise ValueError("statements must mix direct and reverse-keyed items")
        return self


class Mission(_Model):
    id: Literal[MISSION_IDS]  # type: ignore[valid-type]
    name: Text
    description: Text
    competences: list[CompetenceId] = Field(min_length=1)
    levels: dict[Literal[MASTERY_IDS], Text]  # type: ignore[valid-type]

    @field_validator("levels")
    @classmethod
    def _every_level(cls, levels: dict[str, str]) -> dict[str, str]:
        missing = [m for m in MASTERY_IDS if m not in levels]
        if missing:
            raise ValueError(f"missing level description(s): {', '.join(missing)}")
        return levels


class MissionFile(_Model):
    missions: list[Mission]


class RatingStep(_Model):
    value: int = Field(ge=1, le=5)
    label: Text


class MasteryLevel(_Model):
    id: Literal[MASTERY_IDS]  # type: ignore[valid-type]
    label: Text
    description: Text


class Scales(_Model):
    rating: list[RatingStep] = Field(min_length=5, max_length=5)
    mastery: list[MasteryLevel] = Field(min_length=4, max_length=4)


class Framework(_Model):
    """Everything the self-assessment asks, in display order."""

    competences: list[Competence]
    missions: list[Mission]
    scales: Scales

    def competence(self, competence_id: str) -> Competence:
        for c in self.competences:
            if c.id == competence_id:
                return c
        raise KeyError(competence_id)

    def mission(self, mission_id: str) -> Mission:
        for m in self.missions:
            if m.id == mission_id:
                return m
        raise KeyError(mission_id)

    @property
    def names(self) -> dict[str, str]:
        return {c.id: c.name for c in self.competences}

    def rating_label(self, value: int) -> str:
        return next(s.label for s in self.scales.rating if s.value == value)

    def mastery_label(self, level_id: str) -> str:
        return next(m.label for m in self.scales.mastery if m.id == level_id)


def _read_yaml(path: Path) -> object:
    try:
        return yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark else ""
        raise ContentError(
            f"Fichier de contenu illisible « {path.name} »{where} : YAML mal formé. "
            f"Corrigez la syntaxe du fichier. / Unreadable content file {path.name}{where}: malformed YAML."
        ) from exc
    except OSError as exc:
        raise ContentError(
            f"Fichier de contenu introuvable « {path} ». / Missing content file {path}."
        ) from exc


def _validate(model: type[_Model], path: Path, data: object) -> _Model:
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        err = exc.errors()[0]
        field = ".".join(str(p) for p in err["loc"]) or "(racine)"
        raise ContentError(
            f"Fichier de contenu invalide « {path.name} », champ « {field} » : {err['msg']}. "
            f"Corrigez ce champ puis rechargez. / Invalid content file {path.name}, field {field}: {err['msg']}."
        ) from exc


def load_framework(content_dir: Path | None = None) -> Framework:
    """Read and validate every content file; refuse the first invalid one, naming file and field."""
    root = Path(content_dir) if content_dir is not None else CONTENT_DIR
    competences: list[Competence] = []
    for path in sorted((root / "competences").glob("*.yaml")):
        comp = _validate(Competence, path, _read_yaml(path))
        assert isinstance(comp, Competence)
        if comp.id != path.stem:
            raise ContentError(
                f"Fichier de contenu invalide « {path.name} », champ « id » : l’identifiant « {comp.id} » "
                f"doit être le nom du fichier. / Invalid content file {path.name}, field id: must match the file name."
            )
        competences.append(comp)
    found = {c.id for c in competences}
    missing = [c for c in COMPETENCE_IDS if c not in found]
    if missing:
        raise ContentError(
            f"Compétence(s) sans fichier dans « competences/ » : {', '.join(missing)}. "
            f"/ Missing competence file(s): {', '.join(missing)}."
        )
    item_ids = [s.id for c in competences for s in c.statements] + [
        j.id for c in competences for j in c.situational
    ]
    duplicates = sorted({i for i in item_ids if item_ids.count(i) > 1})
    if duplicates:
        raise ContentError(
            f"Identifiants d’items en double entre fichiers de compétences : {', '.join(duplicates)}. "
            f"/ Duplicate item ids: {', '.join(duplicates)}."
        )
    missions_path = root / "missions.yaml"
    mission_file = _validate(MissionFile, missions_path, _read_yaml(missions_path))
    assert isinstance(mission_file, MissionFile)
    mission_ids = [m.id for m in mission_file.missions]
    if sorted(mission_ids) != sorted(MISSION_IDS):
        raise ContentError(
            f"Fichier de contenu invalide « missions.yaml », champ « missions » : il faut exactement les "
            f"{len(MISSION_IDS)} missions du métier, une fois chacune. / Invalid content file missions.yaml, "
            f"field missions: expected each of the {len(MISSION_IDS)} missions once."
        )
    scales_path = root / "scales.yaml"
    scales = _validate(Scales, scales_path, _read_yaml(scales_path))
    assert isinstance(scales, Scales)
    competences.sort(key=lambda c: c.order)
    return Framework(competences=competences, missions=mission_file.missions, scales=scales)


@cache_once
def framework() -> Framework:
    """The shipped framework, loaded once per process."""
    return load_framework()
