"""Content packs: exercises (bundled or trainer-made) and their datasets in one zip, between installs.

A pack holds ``pack.yaml`` (what it is and lists), ``exercises/<id>.yaml`` in the very schema of
the bundled files, and ``datasets/<name>.csv`` (the KPI datasets they use). Reading one checks
everything before anything is kept: the sizes (a zip bomb stops at the first byte over the limit,
whatever the archive claims), the entry names (no path leaves the pack's two folders), every
exercise against the schema and every dataset it uses; the first fault is refused in French,
naming the file and the field, and nothing is imported.
"""

from __future__ import annotations

import io
import re
import zipfile
import zlib
from dataclasses import dataclass
from typing import Any

import yaml
from sqlalchemy.orm import Session

from training_modules.exercises.kpi import check_datasets
from training_modules.exercises.loader import ID_RE, ContentError, dataset_bytes, parse_exercise
from training_modules.exercises.schema import Exercise
from training_modules.library import (
    DATASET_NAME_RE,
    MAX_DATASET_BYTES,
    LibraryEntry,
    editable_data,
    exercise_entry,
    save_exercise,
)
from workbench.access import Actor, require_trainer
from workbench.errors import UserError
from workbench.numbers import quantity
from workbench.wording import quoted

FORMAT = "atelier-cm-pack"
VERSION = 1
MANIFEST = "pack.yaml"
MAX_PACK_BYTES = 20 * 1024 * 1024  # the zip as uploaded
MAX_TOTAL_BYTES = 50 * 1024 * 1024  # everything in it, uncompressed
MAX_YAML_BYTES = 512 * 1024  # an exercise file: the longest bundled one is under 20 KB
MAX_ENTRIES = 500
_EXERCISE = re.compile(r"^exercises/([^/]+)\.yaml$")
_DATASET = re.compile(r"^datasets/([^/]+)$")


class PackError(UserError):
    """A pack that cannot be imported; nothing was imported."""


@dataclass(frozen=True)
class Pack:
    """A checked pack: each exercise's data (what its file holds) and the datasets, by name."""

    exercises: dict[str, dict[str, Any]]  # file name without .yaml → data
    datasets: dict[str, bytes]

    def datasets_for(self, exercise: Exercise) -> dict[str, bytes]:
        names = {getattr(exercise, a, None) for a in ("posts_csv", "messages_csv")}
        return {n: b for n, b in self.datasets.items() if n in names}


# --- export -------------------------------------------------------------------------------


def pack_bytes(exercises: list[Exercise]) -> bytes:
    """The zip of these exercises (their files' YAML) and every dataset they use."""
    out = io.BytesIO()
    datasets: dict[str, bytes] = {}
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zf:
        for ex in exercises:
            text = yaml.safe_dump(editable_data(ex), allow_unicode=True, sort_keys=False, width=100)
            zf.writestr(f"exercises/{ex.id}.yaml", text)
            for attr in ("posts_csv", "messages_csv"):
                name = getattr(ex, attr, None)
                if name is not None:
                    datasets[name] = dataset_bytes(ex, name)
        for name, content in sorted(datasets.items()):
            zf.writestr(f"datasets/{name}", content)
        manifest = {
            "format": FORMAT,
            "version": VERSION,
            "exercises": [ex.id for ex in exercises],
            "datasets": sorted(datasets),
        }
        zf.writestr(MANIFEST, yaml.safe_dump(manifest, allow_unicode=True, sort_keys=False))
    return out.getvalue()


def export_pack(session: Session, actor: Actor, exercise_ids: list[str]) -> bytes:
    """The pack of the exercises a trainer chose, each one only if they may see it."""
    require_trainer(actor)
    if not exercise_ids:
        raise UserError("Choisissez au moins un exercice à exporter.", field="exercises")
    return pack_bytes([exercise_entry(session, actor, i).exercise for i in exercise_ids])


# --- import -------------------------------------------------------------------------------


class _NoAliasLoader(yaml.SafeLoader):
    """YAML without anchors and aliases: a few lines of them can stand for billions of nodes."""

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            raise yaml.YAMLError("alias")
        return super().compose_node(parent, index)


def _read(zf: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int, total: list[int]) -> bytes:
    """The entry's bytes, stopping at ``limit`` whatever its header says (a zip bomb lies)."""
    if info.flag_bits & 0x1:
        raise PackError(
            f"Pack refusé\u00a0: «\u00a0{info.filename}\u00a0» est chiffré\u00a0; rien n’a été importé."
        )
    try:
        with zf.open(info) as stream:
            content = stream.read(limit + 1)
    except (zipfile.BadZipFile, zlib.error, EOFError, NotImplementedError) as exc:
        raise PackError(
            f"Pack refusé\u00a0: «\u00a0{info.filename}\u00a0» est abîmé dans l’archive ({exc})\u00a0; "
            "rien n’a été importé. Exportez le pack de nouveau."
        ) from None
    total[0] += len(content)
    if len(content) > limit or total[0] > MAX_TOTAL_BYTES:
        raise PackError(
            f"Pack refusé\u00a0: «\u00a0{info.filename}\u00a0» est trop volumineux une fois décompressé "
            f"(plus de {limit // 1024}\u00a0Ko)\u00a0; rien n’a été importé."
        )
    return content


def _yaml(name: str, content: bytes) -> object:
    try:
        return yaml.load(content.decode("utf-8"), Loader=_NoAliasLoader)
    except UnicodeDecodeError:
        raise PackError(
            f"Pack refusé\u00a0: «\u00a0{name}\u00a0» n’est pas en UTF-8\u00a0; rien n’a été importé."
        ) from None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (ligne {mark.line + 1})" if mark is not None else ""
        raise PackError(
            f"Pack refusé\u00a0: «\u00a0{name}\u00a0» est un YAML illisible{where} (les ancres et alias YAML ne "
            "sont pas acceptés)\u00a0; rien n’a été importé."
        ) from None


def read_pack(data: bytes) -> Pack:
    """Every file of the pack read and checked; ``PackError``/``ContentError`` at the first fault."""
    if len(data) > MAX_PACK_BYTES:
        raise PackError(
            f"Pack refusé\u00a0: plus de {MAX_PACK_BYTES // (1024 * 1024)}\u00a0Mo\u00a0; rien n’a été importé. "
            "Exportez moins d’exercices à la fois."
        )
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        infos = zf.infolist()
    except (zipfile.BadZipFile, ValueError, OSError):
        raise PackError(
            "Ce fichier n’est pas un pack de contenu (archive zip illisible)\u00a0: rien n’a été importé."
        ) from None
    if len(infos) > MAX_ENTRIES:
        raise PackError(f"Pack refusé\u00a0: plus de {MAX_ENTRIES} fichiers\u00a0; rien n’a été importé.")
    names = [i.filename for i in infos]
    if len(set(names)) != len(names):
        raise PackError(
            "Pack refusé\u00a0: il contient deux fois le même fichier\u00a0; rien n’a été importé."
        )
    total = [0]
    exercises: dict[str, dict[str, Any]] = {}
    datasets: dict[str, bytes] = {}
    manifest: object = None
    with zf:
        for info in infos:
            name = info.filename
            if info.is_dir() and name in ("exercises/", "datasets/"):
                continue
            exercise, dataset = _EXERCISE.match(name), _DATASET.match(name)
            if name == MANIFEST:
                manifest = _yaml(name, _read(zf, info, MAX_YAML_BYTES, total))
            elif exercise and ID_RE.match(exercise.group(1)):
                body = _yaml(name, _read(zf, info, MAX_YAML_BYTES, total))
                if not isinstance(body, dict):
                    raise ContentError(
                        f"Exercice refusé\u00a0: {name} — le fichier doit contenir des champs (clé: valeur)."
                    )
                exercises[exercise.group(1)] = body
            elif dataset and DATASET_NAME_RE.match(dataset.group(1)):
                datasets[dataset.group(1)] = _read(zf, info, MAX_DATASET_BYTES, total)
            else:
                raise PackError(
                    f"Pack refusé\u00a0: «\u00a0{name}\u00a0» n’a pas sa place dans un pack (seuls {MANIFEST}, "
                    "exercises/<nom>.yaml et datasets/<nom>.csv, noms en minuscules sans accents)\u00a0; "
                    "rien n’a été importé."
                )
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise PackError(
            f"Ce fichier n’est pas un pack de contenu de l’atelier ({MANIFEST} absent ou d’un autre format)\u00a0: "
            "rien n’a été importé."
        )
    if manifest.get("version") != VERSION:
        raise PackError(
            f"Ce pack a été fait par une autre version de l’atelier (version {manifest.get('version')})\u00a0: "
            "rien n’a été importé. Mettez l’atelier à jour."
        )
    if not exercises:
        raise PackError("Ce pack ne contient aucun exercice\u00a0: rien n’a été importé.")
    pack = Pack(exercises, datasets)
    for stem, body in exercises.items():
        _check(pack, stem, body)
    return pack


def _check(pack: Pack, stem: str, body: dict[str, Any]) -> Exercise:
    """The exercise validated as its file would be (the message names it: « exercises/x.yaml »)."""
    try:
        exercise = parse_exercise(body, name=stem, uploads=pack.datasets)
        if exercise.kind == "kpi":
            check_datasets(exercise)  # type: ignore[arg-type]
    except ContentError as exc:
        message = str(exc).replace(f"{stem}.yaml", f"exercises/{stem}.yaml", 1)
        if f"exercises/{stem}.yaml" not in message:
            message = f"Exercice refusé\u00a0: exercises/{stem}.yaml — {message}"
        raise ContentError(f"{message} Rien n’a été importé.", field=exc.field) from exc
    return exercise


@dataclass(frozen=True)
class PackImport:
    entries: list[LibraryEntry]

    @property
    def summary(self) -> str:
        titles = ", ".join(f"{quoted(e.exercise.title)}" for e in self.entries)
        return f"{quantity(len(self.entries), 'exercice importé', 'exercices importés')}\u00a0: {titles}."


def import_pack(session: Session, actor: Actor, data: bytes, *, sharing: str = "private") -> PackImport:
    """Every exercise of the pack saved as the actor's own (new ids), or none: everything is
    checked first, and the saves run in one savepoint of the caller's transaction."""
    require_trainer(actor)
    pack = read_pack(data)
    entries = []
    with session.begin_nested():
        for stem, body in pack.exercises.items():
            exercise = _check(pack, stem, body)
            data_only = {k: v for k, v in body.items() if k != "id"}
            entries.append(
                save_exercise(
                    session, actor, data_only, sharing=sharing, datasets=pack.datasets_for(exercise)
                )
            )
    return PackImport(entries)
