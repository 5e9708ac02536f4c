"""The shape of the suggested course (``content/programme.yaml``): days of steps.

A step is the day's self-assessment campaign, an exercise to assign, the live crisis drill (run
from « Crise en direct », not assigned) or digest practice (« Revue de veille »). Which exercise
ids exist is checked by ``training_modules.programme`` against the bank.
"""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from training_modules.exercises.schema import Strict

Text = Annotated[str, Field(min_length=1)]


class AssessmentStep(Strict):
    type: Literal["assessment"]
    moment: Literal["entry", "exit"]
    campaign: Annotated[str, Field(min_length=1, max_length=120)]  # the campaign's name
    minutes: int = Field(default=30, gt=0, le=120)


class ExerciseStep(Strict):
    type: Literal["exercise"]
    exercise: Text


class CrisisDrillStep(Strict):
    type: Literal["crisis_drill"]
    exercise: Text  # a crisis scenario
    minutes: int = Field(default=60, gt=0, le=240)  # the live run and its debrief


class DigestStep(Strict):
    type: Literal["digest"]
    task: Text
    minutes: int = Field(default=30, gt=0, le=240)


Step = Annotated[AssessmentStep | ExerciseStep | CrisisDrillStep | DigestStep, Field(discriminator="type")]


class ProgrammeDay(Strict):
    title: Text
    aims: list[Text] = Field(min_length=1)
    theory_minutes: int = Field(ge=0, le=480)
    steps: list[Step] = Field(min_length=1)


class Programme(Strict):
    title: Text
    days: list[ProgrammeDay] = Field(min_length=1, max_length=10)
