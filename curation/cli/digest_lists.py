"""``python -m curation digest lists add|list|remove``: recipient lists from the command line.

A list has recipients (addresses, or a training session its owner runs), sources (every source of
its owner by default, some folders, some boards), a sending hour (Europe/Paris) and a language
(titles and summaries translated into French, or left as they are).
"""

from __future__ import annotations

import argparse
from typing import Any

from curation.cli import add_common_arguments, add_json_argument, print_json, resolve_actor
from curation.digest.lists import (
    DigestListView,
    ListSettings,
    create_list,
    delete_list,
    my_lists,
    owned_list,
    recipients,
)
from curation.feeds import list_subscriptions
from workbench.db import session_scope
from workbench.errors import UserError
from workbench.localtime import zone_label
from workbench.numbers import quantity
from workbench.wording import quoted

LANGUAGES = {"fr": True, "original": False}


def register(digest: argparse.ArgumentParser) -> None:
    """``lists`` under the ``digest`` parser."""
    sub = digest.add_subparsers(dest="digest_command", metavar="ACTION")
    lists = sub.add_parser("lists", help="listes de diffusion\u00a0: créer, lister, supprimer")
    actions = lists.add_subparsers(dest="lists_command", required=True, metavar="ACTION")
    add = actions.add_parser(
        "add",
        help="créer une liste de diffusion",
        description=(
            "Crée une liste de diffusion\u00a0: ses destinataires (adresses, ou une session de formation que "
            "vous animez), ses sources (toutes par défaut, ou des dossiers, ou des tableaux), son heure "
            "d’envoi (heure du fuseau de l’installation, Europe/Paris par défaut) et sa langue."
        ),
    )
    add.add_argument(
        "name", metavar="NOM", help="le nom de la liste (par exemple «\u00a0Client Boulangerie\u00a0»)"
    )
    add.add_argument("--to", metavar="EMAIL", action="append", default=[], help="un destinataire (répétable)")
    add.add_argument("--cohort", metavar="ID", type=int, help="les membres de cette session de formation")
    add.add_argument(
        "--folder",
        metavar="DOSSIER",
        action="append",
        default=[],
        help="seulement les sources de ce dossier (répétable\u00a0; défaut\u00a0: toutes les sources)",
    )
    add.add_argument(
        "--board",
        metavar="ID",
        type=int,
        action="append",
        default=[],
        help="les épingles de ce tableau (répétable)",
    )
    add.add_argument(
        "--hour", metavar="H", type=int, default=7, help="heure d’envoi, de 0 à 23 (défaut\u00a0: 7)"
    )
    add.add_argument(
        "--language",
        choices=sorted(LANGUAGES),
        default="fr",
        help="fr\u00a0: titres et résumés traduits en français (défaut)\u00a0; original\u00a0: laissés dans leur langue",
    )
    add.add_argument("--max", metavar="N", type=int, default=10, help="nombre d’articles (défaut\u00a0: 10)")
    add.add_argument("--intro", metavar="TEXTE", default="", help="un mot d’introduction")
    add.add_argument("--user", metavar="EMAIL", help="la personne à qui appartient la liste")
    add_json_argument(add)
    add_common_arguments(add)
    add.set_defaults(handler=run_add)

    listing = actions.add_parser("list", help="lister ses listes de diffusion")
    listing.add_argument("--user", metavar="EMAIL", help="la personne dont lister les listes")
    add_json_argument(listing)
    add_common_arguments(listing)
    listing.set_defaults(handler=run_list)

    remove = actions.add_parser("remove", help="supprimer une liste de diffusion (et ses revues archivées)")
    remove.add_argument("name", metavar="NOM", help="le nom de la liste")
    remove.add_argument("--user", metavar="EMAIL", help="la personne à qui appartient la liste")
    add_json_argument(remove)
    add_common_arguments(remove)
    remove.set_defaults(handler=run_remove)


def _as_json(view: DigestListView, people: int) -> dict[str, Any]:
    s = view.settings
    return {
        "id": view.id,
        "name": view.name,
        "addresses": s.addresses,
        "cohort": view.cohort_name or None,
        "recipients": people,
        "sources": {"folders": s.folders, "boards": s.board_ids, "feeds": s.feed_ids},
        "hour": s.schedule_hour,
        "language": "fr" if s.translate else "original",
        "max_items": s.max_items,
    }


def _sources_label(s: ListSettings) -> str:
    parts = [f"dossier {quoted(f)}" for f in s.folders] + [f"tableau n° {b}" for b in s.board_ids]
    return ", ".join(parts) if parts else "toutes les sources"


def run_add(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        known = {sub.folder for sub in list_subscriptions(session, actor)}
        unknown = [f for f in args.folder if f.strip() not in known]
        if unknown:
            folders = ", ".join(quoted(f) for f in sorted(k for k in known if k)) or "aucun"
            raise UserError(
                f"Dossier inconnu\u00a0: {quoted(unknown[0])}. Dossiers de vos sources\u00a0: {folders}."
            )
        view = create_list(
            session,
            actor,
            ListSettings(
                name=args.name,
                cohort_id=args.cohort,
                addresses=args.to,
                folders=args.folder,
                board_ids=args.board,
                max_items=args.max,
                schedule_hour=args.hour,
                intro=args.intro,
                translate=LANGUAGES[args.language],
            ),
        )
        people = len(recipients(session, owned_list(session, actor, view.id)))
    if args.json:
        print_json(_as_json(view, people))
    else:
        print(
            f"Liste {quoted(view.name)} créée\u00a0: {quantity(people, 'destinataire')}, {_sources_label(view.settings)}, "
            f"envoi à {view.settings.schedule_hour}\u00a0h ({zone_label()})."
        )
    return 0


def run_list(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        views = my_lists(session, actor)
        counts = {v.id: len(recipients(session, owned_list(session, actor, v.id))) for v in views}
    if args.json:
        print_json({"lists": [_as_json(v, counts[v.id]) for v in views]})
        return 0
    if not views:
        print(
            "Aucune liste de diffusion\u00a0: créez-en une avec «\u00a0python -m curation digest lists add\u00a0»."
        )
    for v in views:
        s = v.settings
        who = ", ".join(([f"session {quoted(v.cohort_name)}"] if v.cohort_name else []) + s.addresses)
        language = "en français" if s.translate else "langue d’origine"
        print(
            f"{v.name}\u00a0: {counts[v.id]} destinataire(s) ({who}) — {_sources_label(s)} — "
            f"{s.schedule_hour}\u00a0h — {language} — {s.max_items} articles"
        )
    return 0


def run_remove(args: argparse.Namespace) -> int:
    wanted = " ".join(args.name.split())
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        view = next((v for v in my_lists(session, actor) if v.name == wanted), None)
        if view is None:
            raise UserError(
                f"Aucune liste {quoted(args.name)} à vous\u00a0: «\u00a0python -m curation digest lists list\u00a0» les montre."
            )
        delete_list(session, actor, view.id)
    if args.json:
        print_json({"removed": wanted})
    else:
        print(f"Liste {quoted(wanted)} supprimée.")
    return 0
