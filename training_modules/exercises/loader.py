"""Reading exercise files: YAML validated by the schema, refused with a French message otherwise."""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from training_modules.exercises.schema import KINDS, Exercise
from workbench.errors import NotFound, UserError

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content" / "exercises"
DATASETS_DIR = CONTENT_DIR / "datasets"
LEXICONS_FILE = Path(__file__).resolve().parents[1] / "content" / "lexicons.yaml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{2,79}$")
_ADAPTER: TypeAdapter[Exercise] = TypeAdapter(Exercise)

_FRENCH = {
    "missing": "champ obligatoire absent",
    "extra_forbidden": "champ inconnu (faute de frappe\u202f?)",
    "literal_error": "valeur non autorisée",
    "union_tag_invalid": "type d’exercice inconnu",
    "union_tag_not_found": "champ «\u00a0kind\u00a0» absent",
    "string_too_short": "texte trop court",
    "too_short": "liste trop courte",
    "int_parsing": "nombre entier attendu",
    "int_type": "nombre entier attendu",
    "int_from_float": "nombre entier attendu (sans virgule)",
    "float_parsing": "nombre attendu",
    "float_type": "nombre attendu",
    "bool_type": "oui ou non attendu",
    "time_type": "heure attendue (HH:MM)",
    "greater_than": "valeur trop petite",
    "greater_than_equal": "valeur trop petite",
    "less_than_equal": "valeur trop grande",
    "less_than": "valeur trop grande",
    "time_parsing": "heure attendue (HH:MM)",
    "string_type": "texte attendu",
    "list_type": "liste attendue",
    "dict_type": "dictionnaire attendu",
    "model_type": "bloc de champs attendu",
}


class ContentError(UserError):
    """An exercise file that does not follow the schema."""


def _field(loc: tuple[object, ...]) -> str:
    # The discriminated union puts the kind first in the location: drop it.
    parts = [str(p) for p in loc]
    if parts and parts[0] in _KIND_TAGS:
        parts = parts[1:]
    return ".".join(parts) or "(racine)"


_KIND_TAGS = set(KINDS)


def reason(err: ErrorDetails) -> str:
    """Why pydantic refused a value, in French (the schema's own checks already speak French)."""
    if err["type"] in ("value_error", "assertion_error"):
        return str(err["msg"]).removeprefix("Value error, ")
    return _FRENCH.get(err["type"], err["msg"])


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Every schema error in French by field path (``questions.0.prompt``; ``(racine)`` for the whole)."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        errors.setdefault(_field(err["loc"]), reason(err))
    return errors


def explain(exc: ValidationError) -> str:
    """The first schema error in French, naming its field: « champ « x » : raison. Corrigez… »."""
    err = exc.errors()[0]
    more = f" (et {exc.error_count() - 1} autre(s) erreur(s))" if exc.error_count() > 1 else ""
    return (
        f"champ «\u00a0{_field(err['loc'])}\u00a0»\u00a0: {reason(err)}{more}. Corrigez le fichier puis rechargez."
    )


def parse_exercise(data: object, *, name: str) -> Exercise:
    """Validate raw data (already read from YAML) as the exercise ``name``."""
    if not ID_RE.match(name):
        raise ContentError(
            f"Exercice refusé\u00a0: {name}.yaml — nom de fichier invalide (minuscules, chiffres et tirets, "
            "3 à 80 caractères)."
        )
    if not isinstance(data, dict):
        raise ContentError(
            f"Exercice refusé\u00a0: {name}.yaml — le fichier doit contenir des champs (clé: valeur)."
        )
    if data.get("id", name) != name:
        raise ContentError(
            f"Exercice refusé\u00a0: {name}.yaml, champ «\u00a0id\u00a0»\u00a0: il doit être égal au nom du fichier."
        )
    try:
        exercise = _ADAPTER.validate_python({**data, "id": name})
    except ValidationError as exc:
        raise ContentError(f"Exercice refusé\u00a0: {name}.yaml, {explain(exc)}") from exc
    _check_files(exercise)
    return exercise


def _check_files(exercise: Exercise) -> None:
    for attr in ("posts_csv", "messages_csv"):
        file = getattr(exercise, attr, None)
        if file is not None and not (DATASETS_DIR / file).is_file():
            raise ContentError(
                f"Exercice refusé\u00a0: {exercise.id}.yaml, champ «\u00a0{attr}\u00a0»\u00a0: le fichier datasets/{file} est introuvable."
            )


def load_exercise_file(path: Path) -> Exercise:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise ContentError(f"Exercice refusé\u00a0: {path.name} — YAML illisible{where}.") from exc
    return parse_exercise(data, name=path.stem)


@cache
def _load_all(directory: Path) -> dict[str, Exercise]:
    return {p.stem: load_exercise_file(p) for p in sorted(directory.glob("*.yaml"))}


def load_exercises(directory: Path = CONTENT_DIR) -> dict[str, Exercise]:
    """Every exercise by id (cached: content changes need a restart or ``reload_exercises()``)."""
    return _load_all(directory)


def reload_exercises() -> None:
    _load_all.cache_clear()


def get_exercise(exercise_id: str) -> Exercise:
    try:
        return load_exercises()[exercise_id]
    except KeyError:
        raise NotFound(
            f"Exercice introuvable\u00a0: «\u00a0{exercise_id}\u00a0». Il a peut-être été retiré du catalogue."
        ) from None


@cache
def lexicons() -> dict[str, list[str]]:
    """Word lists used by the rubric checks (greetings, apologies, jargon…), editable as content."""
    return yaml.safe_load(LEXICONS_FILE.read_text(encoding="utf-8"))
