"""Subcommand ``digest``: build a list's watch digest, write it (HTML, Markdown, Atom) or send it.

python -m curation digest --list "Promo CM 2026" --format md            # Markdown on stdout
python -m curation digest --list "Promo CM 2026" --send --dry-run       # what would be sent
python -m curation digest --send                                        # every list due now (cron)
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from curation.cli import add_common_arguments, print_json
from curation.digest.atom import atom_feed
from curation.digest.compose import build_draft
from curation.digest.job import all_list_names, due_lists, run_list
from curation.digest.lists import find_list
from curation.digest.render import render_html, render_markdown
from curation.digest.selection import parse_since
from workbench.db import session_scope, utcnow
from workbench.errors import UserError

FORMATS = ("html", "md", "atom")


def register(subparsers: argparse._SubParsersAction) -> None:
    parser = subparsers.add_parser(
        "digest",
        help="revue de veille : écrire (HTML, Markdown, Atom) ou envoyer par e-mail",
        description=(
            "Construit la revue de veille d’une liste de diffusion (nouveaux articles depuis la dernière "
            "revue, classés, traduits). Sans --send, l’écrit sur la sortie standard ou dans --out ; avec --send, "
            "l’archive et l’envoie (une fois par jour et par liste, sauf --force)."
        ),
    )
    parser.add_argument("--list", dest="list_name", metavar="NOM", help="la liste de diffusion")
    parser.add_argument(
        "--since", metavar="DURÉE", help="fenêtre : 24h, 2j… (défaut : depuis la dernière revue)"
    )
    parser.add_argument(
        "--format", choices=FORMATS, default="html", help="sortie sans --send (défaut : html)"
    )
    parser.add_argument(
        "--out", metavar="FICHIER", type=Path, help="fichier de sortie (défaut : sortie standard)"
    )
    parser.add_argument("--send", action="store_true", help="archiver et envoyer par e-mail (SMTP)")
    parser.add_argument(
        "--dry-run", action="store_true", help="avec --send : montrer sans rien envoyer ni archiver"
    )
    parser.add_argument(
        "--force", action="store_true", help="avec --send : renvoyer même si déjà envoyée aujourd’hui"
    )
    parser.add_argument(
        "--json", action="store_true", help="dernière ligne : un objet JSON (pour les scripts)"
    )
    add_common_arguments(parser)
    parser.set_defaults(handler=run)


def _write(text: str, out: Path | None) -> None:
    if out is None:
        sys.stdout.write(text)
        return
    try:
        out.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise UserError(
            f"Impossible d’écrire « {out} » ({exc.strerror}) : vérifiez le dossier et les droits."
        ) from exc
    print(f"Écrit : {out}", file=sys.stderr)


def _single_list(name: str | None) -> str:
    if name:
        return name
    names = all_list_names()
    if len(names) == 1:
        return names[0]
    if not names:
        raise UserError(
            "Aucune liste de diffusion : créez-en une dans la page « Revue de veille » de l’application."
        )
    raise UserError(
        "Précisez la liste avec --list. Listes existantes : " + ", ".join(f"« {n} »" for n in names) + "."
    )


def run(args: argparse.Namespace) -> int:
    since = parse_since(args.since) if args.since else None
    if args.send:
        return _send(args, since)
    if args.dry_run or args.force:
        raise UserError("--dry-run et --force s’utilisent avec --send.")
    name = _single_list(args.list_name)
    with session_scope() as session:
        row, owner = find_list(session, name)
        if args.format == "atom":
            _write(atom_feed(session, row), args.out)
            return 0
        draft = build_draft(session, owner, row.id, since=since, now=utcnow())
    for notice in draft.notices:
        print(notice, file=sys.stderr)
    _write(render_html(draft) if args.format == "html" else render_markdown(draft), args.out)
    if args.json:
        print_json({"list": draft.list_name, "items": len(draft.items), "candidates": draft.candidate_count})
    return 0


def _send(args: argparse.Namespace, since) -> int:
    now = utcnow()
    names = [args.list_name] if args.list_name else due_lists(now)
    if not names:
        print(
            "Aucune liste à envoyer maintenant (heure d’envoi pas encore venue, ou déjà envoyée aujourd’hui)."
        )
    failed = False
    results = []
    for name in names:
        outcome = run_list(name, since=since, dry_run=args.dry_run, force=args.force, now=now)
        print(f"[{outcome.list_name}] {outcome.message}")
        if outcome.draft is not None:
            for notice in outcome.draft.notices:
                print(f"  {notice}")
            for person in outcome.recipients:
                print(f"  → {person.email}")
        if outcome.report is not None and (outcome.report.failed or outcome.report.abandoned):
            failed = True
        results.append(
            {
                "list": outcome.list_name,
                "status": outcome.status,
                "digest_id": outcome.digest.id if outcome.digest else None,
                "sent": outcome.report.sent if outcome.report else 0,
                "failed": outcome.report.failed if outcome.report else 0,
                "abandoned": outcome.report.abandoned if outcome.report else 0,
            }
        )
    if args.json:
        print_json({"lists": results})
    return 1 if failed else 0
