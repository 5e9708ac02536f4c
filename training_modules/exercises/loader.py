"""Reading exercises: YAML files (bundled) or trainer-made versions (stored), both validated by the
schema and refused with a French message naming the field otherwise."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from datetime import datetime
from pathlib import Path

import yaml
from pydantic import TypeAdapter, ValidationError
from pydantic_core import ErrorDetails
from sqlalchemy import select
from sqlalchemy.orm import Session

from training_modules.exercises.models import ExerciseDataset, TrainerExerciseVersion
from training_modules.exercises.schema import KINDS, Exercise
from workbench.errors import NotFound, UserError
from workbench.numbers import fr_number, quantity
from workbench.once import cache_once

CONTENT_DIR = Path(__file__).resolve().parents[1] / "content" / "exercises"
DATASETS_DIR = CONTENT_DIR / "datasets"
LEXICONS_FILE = Path(__file__).resolve().parents[1] / "content" / "lexicons.yaml"
ID_RE = re.compile(r"^[a-z0-9][a-z0-9\-]{2,79}$")
# Ids of exercises made in the app start with this; no bundled file may: they never collide.
TRAINER_PREFIX = "f-"
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
    """An exercise (a file or a trainer's form) that does not follow the schema; ``field`` is the
    dotted path of the field at fault (``rules.max_length``), None when the whole is refused."""


def _field(loc: tuple[object, ...]) -> str:
    # The discriminated union puts the kind first in the location: drop it.
    parts = [str(p) for p in loc]
    if parts and parts[0] in _KIND_TAGS:
        parts = parts[1:]
    return ".".join(parts) or "(racine)"


_KIND_TAGS = set(KINDS)


# The limit a refused value missed, said so that the person knows what to type.
_LIMITS: dict[str, tuple[str, Callable[[float], str]]] = {
    "string_too_short": ("min_length", lambda n: f"au moins {quantity(int(n), 'caractère')}"),
    "too_short": ("min_length", lambda n: f"au moins {quantity(int(n), 'élément')}"),
    "greater_than": ("gt", lambda n: f"plus de {_number(n)}"),
    "greater_than_equal": ("ge", lambda n: f"au moins {_number(n)}"),
    "less_than": ("lt", lambda n: f"moins de {_number(n)}"),
    "less_than_equal": ("le", lambda n: f"au plus {_number(n)}"),
}


def _number(n: float) -> str:
    return fr_number(n, 0 if float(n).is_integer() else 2)


def reason(err: ErrorDetails) -> str:
    """Why pydantic refused a value, in French, with the limit it missed."""
    if err["type"] in ("value_error", "assertion_error"):
        return str(err["msg"]).removeprefix("Value error, ")
    text = _FRENCH.get(err["type"], err["msg"])
    limit = _LIMITS.get(err["type"])
    value = (err.get("ctx") or {}).get(limit[0]) if limit else None
    if limit is not None and isinstance(value, int | float):
        text += f" ({limit[1](value)})"
    return text


def field_errors(exc: ValidationError) -> dict[str, str]:
    """Every schema error in French by field path (``questions.0.prompt``; ``(racine)`` for the whole)."""
    errors: dict[str, str] = {}
    for err in exc.errors():
        errors.setdefault(_field(err["loc"]), reason(err))
    return errors


def _reason(exc: ValidationError) -> tuple[str, str]:
    """The first schema error: its field path and the reason in French."""
    err = exc.errors()[0]
    more = f" (et {exc.error_count() - 1} autre(s) erreur(s))" if exc.error_count() > 1 else ""
    # The kind decides the model: an unknown or missing one is the « kind » field's fault.
    field = "kind" if err["type"].startswith("union_tag") else _field(err["loc"])
    return field, f"{reason(err)}{more}"


def explain(exc: ValidationError) -> str:
    """The first schema error in French, naming its field: « champ « x » : raison. Corrigez… »."""
    field, reason = _reason(exc)
    return f"champ «\u00a0{field}\u00a0»\u00a0: {reason}. Corrigez le fichier puis rechargez."


def parse_exercise(
    data: object, *, name: str, uploads: Mapping[str, bytes] | None = None, in_app: bool = False
) -> Exercise:
    """Validate raw data (read from YAML, or a trainer's form when ``in_app``) as the exercise ``name``.

    ``uploads``: the datasets stored with a trainer-made exercise, by the file name its body uses;
    other names are looked for among the bundled datasets."""
    head = "Exercice refusé" if in_app else f"Exercice refusé\u00a0: {name}.yaml"
    if not ID_RE.match(name):
        raise ContentError(
            f"{head} — nom de fichier invalide (minuscules, chiffres et tirets, 3 à 80 caractères)."
        )
    if not isinstance(data, dict):
        raise ContentError(f"{head} — le fichier doit contenir des champs (clé: valeur).")
    if data.get("id", name) != name:
        raise ContentError(
            f"{head}, champ «\u00a0id\u00a0»\u00a0: il doit être égal au nom du fichier.",
            field="id",
        )
    try:
        exercise = _ADAPTER.validate_python({**data, "id": name})
    except ValidationError as exc:
        field, reason = _reason(exc)
        fix = "Corrigez ce champ puis enregistrez." if in_app else "Corrigez le fichier puis rechargez."
        raise ContentError(
            f"{head}, champ «\u00a0{field}\u00a0»\u00a0: {reason}. {fix}",
            field=None if field == "(racine)" else field,
        ) from exc
    exercise._uploads = dict(uploads or {})
    _check_files(exercise, head)
    return exercise


def _check_files(exercise: Exercise, head: str) -> None:
    for attr in ("posts_csv", "messages_csv"):
        file = getattr(exercise, attr, None)
        if file is not None and file not in exercise._uploads and _bundled_dataset(file) is None:
            raise ContentError(
                f"{head}, champ «\u00a0{attr}\u00a0»\u00a0: le fichier datasets/{file} est introuvable.",
                field=attr,
            )


def _bundled_dataset(name: str) -> Path | None:
    # A plain file name only: a name from a form never reaches outside the datasets folder.
    path = DATASETS_DIR / name
    return path if Path(name).name == name and path.is_file() else None


def dataset_bytes(exercise: Exercise, name: str) -> bytes:
    """A dataset the exercise uses: uploaded with its version, or bundled with the application."""
    uploaded = exercise._uploads.get(name)
    if uploaded is not None:
        return uploaded
    path = _bundled_dataset(name)
    if path is None:
        raise NotFound(f"Jeu de données introuvable\u00a0: «\u00a0{name}\u00a0».")
    return path.read_bytes()


def load_exercise_file(path: Path) -> Exercise:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise ContentError(f"Exercice refusé\u00a0: {path.name} — YAML illisible{where}.") from exc
    if path.stem.startswith(TRAINER_PREFIX):
        raise ContentError(
            f"Exercice refusé\u00a0: {path.name} — les noms commençant par «\u00a0{TRAINER_PREFIX}\u00a0» "
            "sont réservés aux exercices créés dans l’application."
        )
    return parse_exercise(data, name=path.stem)


@cache_once
def _load_all(directory: Path) -> dict[str, Exercise]:
    return {p.stem: load_exercise_file(p) for p in sorted(directory.glob("*.yaml"))}


def load_exercises(directory: Path = CONTENT_DIR) -> dict[str, Exercise]:
    """Every bundled exercise by id (cached: content changes need a restart or ``reload_exercises()``)."""
    return _load_all(directory)


def reload_exercises() -> None:
    _load_all.cache_clear()


def get_exercise(exercise_id: str, version: int | None = None, *, session: Session | None = None) -> Exercise:
    """The one lookup of an exercise: bundled (a file), or trainer-made (stored, with ``session``)
    at ``version`` — the one a piece of work was done on — or else its latest version."""
    found = find_exercises(session, [(exercise_id, version)]).get((exercise_id, version))
    if found is None:
        raise NotFound(
            f"Exercice introuvable\u00a0: «\u00a0{exercise_id}\u00a0». Il a peut-être été retiré du catalogue."
        )
    return found


Key = tuple[str, int | None]


def find_exercises(session: Session | None, keys: Iterable[Key]) -> dict[Key, Exercise]:
    """``get_exercise`` for many (exercise id, version) at once, in three queries whatever their
    number (lists of work); those that do not exist are left out."""
    bundled = load_exercises()
    keys = set(keys)
    found = {k: bundled[k[0]] for k in keys if k[0] in bundled}
    wanted = [k for k in keys if k not in found and k[0].startswith(TRAINER_PREFIX)]
    if session is None or not wanted:
        return found
    rows = session.scalars(
        select(TrainerExerciseVersion)
        .where(TrainerExerciseVersion.exercise_id.in_({i for i, _ in wanted}))
        .order_by(TrainerExerciseVersion.exercise_id, TrainerExerciseVersion.version)
    ).all()
    by_key: dict[Key, TrainerExerciseVersion] = {(r.exercise_id, r.version): r for r in rows}
    by_key.update({(r.exercise_id, None): r for r in rows})  # ordered by version: the latest stays
    chosen = {k: by_key[k] for k in wanted if k in by_key}
    found.update({k: _parsed[_stamp(r)] for k, r in chosen.items() if _stamp(r) in _parsed})
    fresh = {k: r for k, r in chosen.items() if k not in found}
    blobs = dataset_contents(session, {d for r in fresh.values() for d in r.datasets.values()})
    for key, r in fresh.items():
        uploads = {name: blobs[d] for name, d in r.datasets.items() if d in blobs}
        exercise = parse_exercise(r.body, name=r.exercise_id, uploads=uploads, in_app=True)
        exercise._version = r.version
        if len(_parsed) >= PARSED_KEPT:
            _parsed.clear()
        found[key] = _parsed[_stamp(r)] = exercise
    return found


# Trainer-made versions already validated, with their datasets, by (id, version, last change): a
# page listing them does not validate them again on each rerun; an edit changes the key.
PARSED_KEPT = 512
_parsed: dict[tuple[str, int, datetime], Exercise] = {}


def _stamp(r: TrainerExerciseVersion) -> tuple[str, int, datetime]:
    return (r.exercise_id, r.version, r.updated_at)


def dataset_contents(session: Session, digests: set[str]) -> dict[str, bytes]:
    """Uploaded datasets' bytes by digest."""
    if not digests:
        return {}
    rows = session.execute(
        select(ExerciseDataset.digest, ExerciseDataset.content).where(ExerciseDataset.digest.in_(digests))
    )
    return dict(rows.tuples().all())


def version_of(exercise: Exercise) -> int | None:
    """The trainer-made version this exercise object is (None: a bundled exercise)."""
    return exercise._version


@cache_once
def lexicons() -> dict[str, list[str]]:
    """Word lists used by the rubric checks (greetings, apologies, jargon…), editable as content."""
    return yaml.safe_load(LEXICONS_FILE.read_text(encoding="utf-8"))
