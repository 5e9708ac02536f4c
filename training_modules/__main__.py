"""``python -m training_modules catalog [--json]``: print the training content (and check it loads)."""

from __future__ import annotations

import argparse
import json
import sys

from training_modules.catalog import catalog
from workbench.errors import UserError


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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m training_modules")
    sub = parser.add_subparsers(dest="cmd", required=True)
    cat = sub.add_parser("catalog", help="print the competences, missions and exercises")
    cat.add_argument("--json", action="store_true", help="machine-readable JSON on stdout")
    args = parser.parse_args(argv)
    try:
        data = catalog()
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2
    if args.json:
        json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    else:
        print(_summary(data))
    return 0


if __name__ == "__main__":
    sys.exit(main())
