"""What every command-line tool of the project shares: a French argparse, JSON output, exit codes.

``FrenchArgumentParser`` speaks French in its own strings too (« utilisation », « options »,
« afficher cette aide et quitter », error messages): argparse looks its strings up through
``gettext`` at the moment it uses them, so the parser swaps argparse's lookup for a French one
while it builds, parses or formats, and puts the original back afterwards (other argparse users
in the same process, pytest for one, keep their English).

Exit codes (the README states them): 0 the run completed (even with some feeds in error, which
are listed), 1 the run could not happen (a French message on stderr), 2 the command line is
wrong (argparse), 130 interrupted.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

from workbench.errors import UserError

EXIT_OK = 0
EXIT_FAILED = 1
EXIT_USAGE = 2
EXIT_INTERRUPTED = 130
NBSP = "\u00a0"

# argparse's own strings (Python 3.11 and 3.12) in French. A heading is printed followed by « : »,
# hence the non-breaking space that ends the section titles.
FRENCH: dict[str, str] = {
    "usage: ": f"utilisation{NBSP}: ",
    "positional arguments": f"arguments{NBSP}",
    "options": f"options{NBSP}",
    "optional arguments": f"options{NBSP}",
    "subcommands": f"sous-commandes{NBSP}",
    "show this help message and exit": "afficher cette aide et quitter",
    "%(prog)s: error: %(message)s\n": f"%(prog)s{NBSP}: erreur{NBSP}: %(message)s\n",
    "argument %(argument_name)s: %(message)s": f"argument %(argument_name)s{NBSP}: %(message)s",
    "unrecognized arguments: %s": f"arguments non reconnus{NBSP}: %s",
    "the following arguments are required: %s": f"arguments obligatoires manquants{NBSP}: %s",
    "one of the arguments %s is required": f"l’un de ces arguments est obligatoire{NBSP}: %s",
    "not allowed with argument %s": "incompatible avec l’argument %s",
    "ignored explicit argument %r": "valeur %r ignorée (cette option n’en prend pas)",
    "expected one argument": "une valeur attendue",
    "expected at most one argument": "au plus une valeur attendue",
    "expected at least one argument": "au moins une valeur attendue",
    "expected %s argument": "%s valeur attendue",
    "expected %s arguments": "%s valeurs attendues",
    "ambiguous option: %(option)s could match %(matches)s": (
        f"option ambiguë{NBSP}: %(option)s peut désigner %(matches)s"
    ),
    "unexpected option string: %s": f"option inattendue{NBSP}: %s",
    "invalid %(type)s value: %(value)r": f"valeur invalide{NBSP}: %(value)r",
    "invalid choice: %(value)r (choose from %(choices)s)": (
        f"choix invalide{NBSP}: %(value)r (valeurs possibles{NBSP}: %(choices)s)"
    ),
    "unknown parser %(parser_name)r (choices: %(choices)s)": (
        f"commande inconnue{NBSP}: %(parser_name)r (commandes{NBSP}: %(choices)s)"
    ),
    "can't open '%(filename)s': %(error)s": f"impossible d’ouvrir « %(filename)s »{NBSP}: %(error)s",
    "cannot have multiple subparser arguments": "une seule liste de sous-commandes par commande",
}


@contextmanager
def _french() -> Iterator[None]:
    saved = argparse._, argparse.ngettext  # type: ignore[attr-defined]
    argparse._ = lambda message: FRENCH.get(message, message)  # type: ignore[attr-defined]
    argparse.ngettext = lambda one, many, n: FRENCH.get(one if n == 1 else many, one if n == 1 else many)
    try:
        yield
    finally:
        argparse._, argparse.ngettext = saved  # type: ignore[attr-defined]


class FrenchArgumentParser(argparse.ArgumentParser):
    """An ``ArgumentParser`` whose own words are French (its subparsers are French too)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        with _french():
            super().__init__(*args, **kwargs)

    def add_subparsers(self, **kwargs: Any) -> argparse._SubParsersAction:
        with _french():
            return super().add_subparsers(**kwargs)

    def parse_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _french():
            return super().parse_args(args, namespace)

    def parse_known_args(self, args: Any = None, namespace: Any = None) -> Any:
        with _french():
            return super().parse_known_args(args, namespace)

    def format_usage(self) -> str:
        with _french():
            return super().format_usage()

    def format_help(self) -> str:
        with _french():
            return super().format_help()

    def error(self, message: str) -> Any:
        with _french():
            return super().error(message)


def print_json(data: dict[str, Any]) -> None:
    """The last line of a ``--json`` run: one JSON object."""
    print(json.dumps(data, ensure_ascii=False, default=str), flush=True)


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--json", action="store_true", help="dernière ligne : un objet JSON (pour les scripts)"
    )


def run_command(handler: Callable[[], int | None]) -> int:
    """Run a parsed command: a ``UserError`` is a French line on stderr and exit code 1."""
    try:
        return int(handler() or EXIT_OK)
    except UserError as exc:
        print(f"Erreur{NBSP}: {exc}", file=sys.stderr)
        return EXIT_FAILED
    except KeyboardInterrupt:
        print("Interrompu.", file=sys.stderr)
        return EXIT_INTERRUPTED
