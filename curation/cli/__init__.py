"""``python -m curation``: one argparse program, each area adding its subcommands.

An area adds its module to ``COMMAND_MODULES``; the module has ``register(subparsers)`` and gives
each subcommand a ``handler(args) -> int``. Handlers raise ``UserError`` for anything a person
must fix: the message goes to stderr in French and the exit code is 1. The run itself completing
(even with some feeds in error) is exit code 0.
"""

from __future__ import annotations

import argparse
import importlib
import json
import logging
import os
import sys
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.access import Actor
from workbench.accounts import normalise_email
from workbench.errors import UserError
from workbench.models import User
from workbench.settings import get_settings

COMMAND_MODULES = [
    "curation.cli.feeds",
    "curation.cli.translate",
    "curation.cli.digest",
    "curation.cli.search",
    "curation.cli.monitoring",
]


def add_common_arguments(parser: argparse.ArgumentParser) -> None:
    """``--db`` and ``--allow-private-networks``, accepted by every subcommand."""
    parser.add_argument(
        "--db", metavar="URL", help="adresse de la base (sinon : réglages / ATELIER_DATABASE_URL)"
    )
    parser.add_argument(
        "--allow-private-networks",
        action="store_true",
        help="autoriser les adresses locales ou privées (démonstration locale, tests)",
    )


def apply_common_arguments(args: argparse.Namespace) -> None:
    """Make ``--db``/``--allow-private-networks`` the settings of this process, then migrate."""
    from workbench.db import ensure_database

    if getattr(args, "db", None):
        os.environ["ATELIER_DATABASE_URL"] = args.db
    if getattr(args, "allow_private_networks", False):
        os.environ["ATELIER_ALLOW_PRIVATE_NETWORKS"] = "1"
    get_settings.cache_clear()
    ensure_database()


def resolve_actor(session: Session, email: str | None, *, required: bool) -> Actor | None:
    """The person named by ``--user``, else the only account if there is just one."""
    if email:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise UserError(f"Aucun compte avec l’adresse {email}\u00a0: vérifiez --user.")
        return Actor.of(user)
    users = list(session.scalars(select(User).where(User.is_active.is_(True)).limit(2)))
    if len(users) == 1:
        return Actor.of(users[0])
    if required or users:
        raise UserError("Plusieurs comptes existent\u00a0: précisez la personne avec --user EMAIL.")
    return None


def print_json(data: dict[str, Any]) -> None:
    """The last line of a ``--json`` run: one JSON object."""
    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="python -m curation", description="Atelier CM — la veille : flux, actualisation, OPML."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)
    try:
        apply_common_arguments(args)
        return int(args.handler(args) or 0)
    except UserError as exc:
        print(f"Erreur\u00a0: {exc}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return 130
