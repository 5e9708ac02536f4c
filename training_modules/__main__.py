"""``python -m training_modules``: the training content.

- ``catalog [--json]``: print the content (and check it loads);
- ``moodle export|import``: quizzes and situational items as Moodle XML;
- ``pack export|import``: exercises and their datasets as a content pack (zip), between installs.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from training_modules.catalog import catalog
from training_modules.exchange import moodle, pack
from workbench.__main__ import _trainer
from workbench.access import Actor
from workbench.cli import FrenchArgumentParser, add_json_argument, print_json, run_command
from workbench.db import session_scope
from workbench.errors import UserError
from workbench.wording import quoted

SHARINGS = ("private", "cohort", "trainers")


def _summary(data: dict) -> str:
    lines = [f"{len(data['competences'])} compétences :"]
    for c in data["competences"]:
        lines.append(
            f"  - {c['id']} ({c['name']}) : {len(c['statements'])} affirmations, "
            f"{len(c['situational'])} mises en situation, {len(c['resources'])} ressources"
        )
    lines.append(f"{len(data['missions'])} missions : " + ", ".join(m["id"] for m in data["missions"]))
    kinds = sorted({e["kind"] for e in data["exercises"]})
    lines.append(f"{len(data['exercises'])} exercices ({', '.join(kinds) or 'aucun'})")
    return "\n".join(lines)


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m training_modules", description="Atelier CM — le contenu de la formation."
    )
    sub = parser.add_subparsers(dest="cmd", required=True, metavar="COMMANDE")
    cat = sub.add_parser("catalog", help="afficher les compétences, missions et exercices (et les vérifier)")
    cat.add_argument("--json", action="store_true", help="tout le contenu en JSON sur la sortie standard")
    cat.set_defaults(handler=lambda args: _run_catalog(args.json))

    md = sub.add_parser("moodle", help="quiz et mises en situation au format Moodle XML").add_subparsers(
        dest="action", required=True, metavar="ACTION"
    )
    out = md.add_parser("export", help="écrire un fichier Moodle XML")
    what = out.add_mutually_exclusive_group(required=True)
    what.add_argument("--quiz", nargs="+", metavar="ID", help="les quiz à exporter (identifiants)")
    what.add_argument(
        "--items", nargs="*", metavar="COMPETENCE", help="les mises en situation (toutes sans liste)"
    )
    out.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FICHIER", help="le fichier .xml à écrire"
    )
    out.add_argument("--trainer", metavar="EMAIL", help="le formateur qui exporte (s’il y en a plusieurs)")
    add_json_argument(out)
    out.set_defaults(handler=_moodle_export)
    into = md.add_parser("import", help="lire un fichier Moodle XML")
    into.add_argument("file", type=Path, metavar="FICHIER", help="l’export Moodle XML")
    kind = into.add_mutually_exclusive_group(required=True)
    kind.add_argument("--quiz", action="store_true", help="en quiz de la bibliothèque (un par catégorie)")
    kind.add_argument(
        "--items", action="store_true", help="en mises en situation (une catégorie par compétence)"
    )
    into.add_argument(
        "--competence",
        nargs="+",
        default=[],
        metavar="ID",
        help="compétence(s) des quiz, ou des mises en situation dont la catégorie n’en nomme pas",
    )
    into.add_argument("--mission", nargs="+", default=[], metavar="ID", help="mission(s) des quiz")
    into.add_argument(
        "--trainer", metavar="EMAIL", help="l’auteur des quiz importés (s’il y a plusieurs formateurs)"
    )
    into.add_argument(
        "--sharing", choices=SHARINGS, default="private", help="partage des quiz (défaut : private)"
    )
    where = into.add_mutually_exclusive_group()
    where.add_argument(
        "--bank", action="store_true", help="ajouter les mises en situation aux fichiers de la banque"
    )
    where.add_argument(
        "-o", "--output", type=Path, metavar="FICHIER", help="écrire les mises en situation en YAML"
    )
    add_json_argument(into)
    into.set_defaults(handler=_moodle_import)

    pk = sub.add_parser(
        "pack", help="packs de contenu (exercices et jeux de données, en zip)"
    ).add_subparsers(dest="action", required=True, metavar="ACTION")
    pout = pk.add_parser("export", help="écrire un pack des exercices choisis")
    pout.add_argument("ids", nargs="+", metavar="ID", help="les exercices (identifiants)")
    pout.add_argument(
        "-o", "--output", type=Path, required=True, metavar="FICHIER", help="le fichier .zip à écrire"
    )
    pout.add_argument("--trainer", metavar="EMAIL", help="le formateur qui exporte (s’il y en a plusieurs)")
    add_json_argument(pout)
    pout.set_defaults(handler=_pack_export)
    pin = pk.add_parser("import", help="importer un pack dans la bibliothèque")
    pin.add_argument("file", type=Path, metavar="FICHIER", help="le pack (.zip)")
    pin.add_argument(
        "--trainer", metavar="EMAIL", help="l’auteur des exercices importés (s’il y a plusieurs formateurs)"
    )
    pin.add_argument(
        "--sharing", choices=SHARINGS, default="private", help="partage des exercices (défaut : private)"
    )
    add_json_argument(pin)
    pin.set_defaults(handler=_pack_import)
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: args.handler(args))


def _run_catalog(as_json: bool) -> int:
    data = catalog()
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_summary(data))
    return 0


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"Impossible de lire «\u00a0{path}\u00a0»\u00a0: {exc.strerror or exc}.") from None


def _write(args: argparse.Namespace, data: bytes, what: str) -> int:
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise UserError(
            f"Impossible d’écrire «\u00a0{args.output}\u00a0»\u00a0: {exc.strerror or exc}."
        ) from None
    if args.json:
        print_json({"output": str(args.output), "bytes": len(data)})
    else:
        print(f"{what} écrit dans {args.output}.")
    return 0


def _moodle_export(args: argparse.Namespace) -> int:
    if args.items is not None:
        return _write(args, moodle.export_items(args.items), "Fichier Moodle XML")
    with session_scope() as s:
        data = moodle.export_quizzes(s, Actor.of(_trainer(s, args.trainer)), args.quiz)
    return _write(args, data, "Fichier Moodle XML")


def _moodle_import(args: argparse.Namespace) -> int:
    data = _read(args.file)
    if args.items:
        if len(args.competence) > 1:
            raise UserError("Une seule compétence par défaut pour les mises en situation (--competence ID).")
        found = moodle.items_from_moodle(data, competence=args.competence[0] if args.competence else None)
        report = {
            "imported": found.report.imported,
            "skipped": dict(found.report.skipped),
            "notes": found.report.notes,
        }
        if args.bank:
            report["written"] = [str(p) for p in moodle.add_items_to_bank(found.items)]
        elif args.output:
            args.output.write_text(moodle.items_yaml(found.items), encoding="utf-8")
            report["written"] = [str(args.output)]
        if args.json:
            print_json(report)
            return 0
        print(found.report.summary(", ".join(found.items)))
        if "written" in report:
            print(f"Écrit dans\u00a0: {', '.join(report['written'])}.")
        else:
            sys.stdout.write(moodle.items_yaml(found.items))
        return 0
    if not args.competence or not args.mission:
        raise UserError(
            "Précisez la ou les compétences et missions des quiz\u00a0: --competence ID --mission ID."
        )
    with session_scope() as s:
        entries, report = moodle.import_quizzes(
            s,
            Actor.of(_trainer(s, args.trainer)),
            data,
            competences=args.competence,
            missions=args.mission,
            sharing=args.sharing,
        )
        if args.json:
            print_json(
                {
                    "exercises": [e.exercise.id for e in entries],
                    "imported": report.imported,
                    "skipped": dict(report.skipped),
                    "notes": report.notes,
                }
            )
        else:
            print(report.summary(", ".join(f"{quoted(e.exercise.title)} ({e.exercise.id})" for e in entries)))
    return 0


def _pack_export(args: argparse.Namespace) -> int:
    with session_scope() as s:
        data = pack.export_pack(s, Actor.of(_trainer(s, args.trainer)), args.ids)
    return _write(args, data, "Pack de contenu")


def _pack_import(args: argparse.Namespace) -> int:
    data = _read(args.file)
    with session_scope() as s:
        report = pack.import_pack(s, Actor.of(_trainer(s, args.trainer)), data, sharing=args.sharing)
        if args.json:
            print_json({"exercises": [e.exercise.id for e in report.entries]})
        else:
            print(report.summary)
    return 0


if __name__ == "__main__":
    sys.exit(main())
