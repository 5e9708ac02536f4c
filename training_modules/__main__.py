"""``python -m training_modules catalog [--json]``: print the training content (and check it loads)."""

from __future__ import annotations

import json
import sys

from training_modules.catalog import catalog
from workbench.cli import FrenchArgumentParser, run_command


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
    return parser


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: _run_catalog(args.json))


def _run_catalog(as_json: bool) -> int:
    data = catalog()
    if as_json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_summary(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
