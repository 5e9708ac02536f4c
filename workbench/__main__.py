"""``python -m workbench migrate`` applies migrations; ``revision`` writes a new one for an area.

Each feature area (workbench, watch, boards, translation, digest, monitoring, assessment,
exercises) is its own Alembic branch in ``workbench/migrations/versions/<area>/``.
"""

from __future__ import annotations

import argparse
import sys

from alembic import command
from alembic.script import ScriptDirectory

from workbench.db import MIGRATIONS_DIR, alembic_config, upgrade_database
from workbench.errors import UserError


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m workbench")
    sub = parser.add_subparsers(dest="cmd", required=True)
    mig = sub.add_parser("migrate", help="apply every pending migration")
    mig.add_argument("--db", help="database URL (default: settings)")
    rev = sub.add_parser("revision", help="autogenerate a migration for one area")
    rev.add_argument("--area", required=True)
    rev.add_argument("-m", "--message", required=True)
    rev.add_argument(
        "--depends-on", action="append", default=[], help="revision(s) of other areas needed first"
    )
    rev.add_argument("--db", default="sqlite:///data/_revision.db")
    args = parser.parse_args(argv)
    try:
        if args.cmd == "migrate":
            upgrade_database(args.db)
            print("Base de données à jour.")
            return 0
        upgrade_database(args.db)
        path = MIGRATIONS_DIR / "versions" / args.area
        new_branch = not path.is_dir()
        path.mkdir(parents=True, exist_ok=True)
        cfg = alembic_config(args.db)
        heads = ScriptDirectory.from_config(cfg).get_revisions("heads")
        area_head = [r.revision for r in heads if args.area in (r.branch_labels or ())]
        command.revision(
            cfg,
            message=args.message,
            autogenerate=True,
            head="base" if new_branch else area_head[0],
            branch_label=args.area if new_branch else None,
            version_path=str(path),
            depends_on=args.depends_on or None,
        )
        return 0
    except UserError as exc:
        print(exc, file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
