"""``python -m curation``: one argparse program, each area adding its subcommands.

An area adds its module to ``COMMAND_MODULES``; the module has ``register(subparsers)`` and gives
each subcommand a ``handler(args) -> int``. Handlers raise ``UserError`` for anything a person
must fix: the message goes to stderr in French and the exit code is 1. The run itself completing
(even with some feeds in error) is exit code 0 (``workbench.cli``: the French parser, exit codes).

Without ``--user``, a command acts for the only account, or, on an install without any account
(a freelance CM's cron), for the CLI's local owner (``workbench.accounts.local_owner``), which the
first account created takes over. Either way the feeds nobody follows (stored without anyone to
subscribe, by an older version) become that person's subscriptions: every stored feed counts.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import os

from sqlalchemy import select
from sqlalchemy.orm import Session

from curation.feeds import adopt_unfollowed_feeds
from workbench.access import Actor
from workbench.accounts import LOCAL_OWNER_EMAIL, has_any_user, local_owner, normalise_email
from workbench.cli import FrenchArgumentParser, add_json_argument, print_json, run_command
from workbench.errors import UserError
from workbench.models import User
from workbench.settings import get_settings

__all__ = ["add_common_arguments", "add_json_argument", "main", "print_json", "resolve_actor"]

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
        "--db", metavar="URL", help="adresse de la base (sinon\u00a0: réglages / ATELIER_DATABASE_URL)"
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


def resolve_actor(session: Session, email: str | None) -> Actor:
    """The person named by ``--user``, else the only account, else (no account at all) the CLI's
    local owner; the feeds nobody follows become theirs."""
    if email:
        user = session.scalar(select(User).where(User.email == normalise_email(email)))
        if user is None:
            raise UserError(f"Aucun compte avec l’adresse {email}\u00a0: vérifiez --user.")
        return Actor.of(user)
    if not has_any_user(session):
        actor = Actor.of(local_owner(session))
    else:
        users = list(
            session.scalars(
                select(User).where(User.is_active.is_(True), User.email != LOCAL_OWNER_EMAIL).limit(2)
            )
        )
        if len(users) != 1:
            raise UserError(
                "Plusieurs comptes existent\u00a0: précisez la personne avec --user EMAIL."
                if users
                else "Aucun compte actif\u00a0: réactivez un compte ou précisez --user EMAIL."
            )
        actor = Actor.of(users[0])
    adopt_unfollowed_feeds(session, actor)
    return actor


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m curation", description="Atelier CM — la veille\u00a0: flux, actualisation, OPML."
    )
    subparsers = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    for name in COMMAND_MODULES:
        importlib.import_module(name).register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    args = build_parser().parse_args(argv)

    def handle() -> int:
        apply_common_arguments(args)
        return args.handler(args)

    return run_command(handle)
