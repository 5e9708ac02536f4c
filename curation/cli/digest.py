"""Subcommand ``digest``: build a list's watch digest, write it (HTML, Markdown, Atom) or send it.

python -m curation digest --list "Promo CM 2026" --format md            # Markdown on stdout
python -m curation digest --list "Promo CM 2026" --send --dry-run       # what would be sent
python -m curation digest --send                                        # every list due now (cron)
python -m curation digest lists add "Client" --to client@example.fr --hour 7
python -m curation digest lists list | remove NAME

Without any list, ``digest`` writes the digest of every source (and says so).
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy.orm import Session

from curation.cli import add_common_arguments, add_json_argument, digest_lists, print_json, resolve_actor
from curation.digest.atom import atom_feed
from curation.digest.compose import build_draft, draft_of_list
from curation.digest.draft import DigestDraft
from curation.digest.job import all_list_names, due_lists, run_list
from curation.digest.lists import (
    every_source_list,
    find_list,
)
from curation.digest.render import render_html, render_markdown
from curation.digest.selection import parse_since
from workbench.access import Actor
from workbench.db import session_scope, utcnow
from workbench.errors import UserError
from workbench.wording import quoted

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
    add_json_argument(parser)
    add_common_arguments(parser)
    parser.set_defaults(handler=run)
    digest_lists.register(parser)


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


def _single_list(name: str | None) -> str | None:
    """The list to write: the one named, else the only one, else none (every source)."""
    if name:
        return name
    names = all_list_names()
    if len(names) > 1:
        raise UserError(
            "Précisez la liste avec --list. Listes existantes\u00a0: "
            + ", ".join(quoted(n) for n in names)
            + "."
        )
    return names[0] if names else None


EVERY_SOURCE_NOTICE = (
    "Aucune liste de diffusion\u00a0: revue de toutes les sources. Pour choisir destinataires, sources et "
    "heure d’envoi\u00a0: python -m curation digest lists add NOM --to EMAIL."
)


def _every_source_draft(session: Session, actor: Actor, since) -> DigestDraft:
    return draft_of_list(session, actor, every_source_list(actor), since=since, now=utcnow())


def run(args: argparse.Namespace) -> int:
    since = parse_since(args.since) if args.since else None
    if args.send:
        return _send(args, since)
    if args.dry_run or args.force:
        raise UserError("--dry-run et --force s’utilisent avec --send.")
    name = _single_list(args.list_name)
    with session_scope() as session:
        if name is None:
            if args.format == "atom":
                raise UserError(
                    "Le format atom suit les revues envoyées d’une liste\u00a0: créez d’abord une liste "
                    "(python -m curation digest lists add)."
                )
            print(EVERY_SOURCE_NOTICE, file=sys.stderr)
            draft = _every_source_draft(session, resolve_actor(session, None), since)
        else:
            row, owner = find_list(session, name)
            if args.format == "atom":
                _write(atom_feed(session, row), args.out)
                return 0
            draft = build_draft(session, owner, row.id, since=since, now=utcnow())
    for notice in draft.notices:
        print(notice, file=sys.stderr)
    _write(render_html(draft) if args.format == "html" else render_markdown(draft), args.out)
    if args.json:
        print_json(
            {
                "list": None if name is None else draft.list_name,
                "every_source": name is None,
                "items": len(draft.items),
                "candidates": draft.candidate_count,
            }
        )
    return 0


def _send(args: argparse.Namespace, since) -> int:
    now = utcnow()
    names = [args.list_name] if args.list_name else due_lists(now, force=args.force)
    if not names:
        print(
            "Aucune liste à envoyer maintenant (heure d’envoi pas encore venue, ou déjà envoyée aujourd’hui)."
            if all_list_names()
            else "Aucune liste de diffusion, donc personne à qui envoyer la revue\u00a0: créez-en une avec "
            "«\u00a0python -m curation digest lists add NOM --to EMAIL\u00a0»."
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
