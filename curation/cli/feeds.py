"""Subcommands ``refresh``, ``import-opml`` and ``export-opml``."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from sqlalchemy import func, select

from curation.cli import add_common_arguments, add_json_argument, print_json, resolve_actor
from curation.feeds import get_or_create_feed, list_subscriptions, subscribe_feed
from curation.models import Feed
from curation.opml import export_opml, import_opml, parse_opml
from curation.refresh import FeedStatus, RefreshSummary, refresh_feeds
from workbench.db import session_scope
from workbench.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    refresh = subparsers.add_parser("refresh", help="actualiser les flux à échéance")
    which = refresh.add_mutually_exclusive_group()
    which.add_argument(
        "--opml", metavar="FICHIER", type=Path, help="ajouter puis actualiser les flux de ce fichier OPML"
    )
    which.add_argument(
        "--retry",
        metavar="ADRESSE",
        action="append",
        help="réessayer maintenant ce flux (son adresse, telle que la page Sources l’affiche), "
        "même en erreur\u00a0; peut être répété",
    )
    refresh.add_argument(
        "--all",
        action="store_true",
        help="tout actualiser maintenant, même ce qui n’est pas à échéance (sauf les flux en erreur qui "
        "attendent leur prochain essai\u00a0: voir --retry-errors)",
    )
    refresh.add_argument(
        "--retry-errors",
        action="store_true",
        help="réessayer maintenant tous les flux en erreur, sans attendre leur prochain essai",
    )
    refresh.add_argument(
        "--user",
        metavar="EMAIL",
        help="avec --opml\u00a0: la personne à abonner (obligatoire s’il y a plusieurs comptes)",
    )
    add_json_argument(refresh)
    add_common_arguments(refresh)
    refresh.set_defaults(handler=run_refresh)

    imp = subparsers.add_parser("import-opml", help="importer un fichier OPML (dossiers compris)")
    imp.add_argument("file", metavar="FICHIER", type=Path, help="le fichier OPML")
    imp.add_argument("--folder", metavar="DOSSIER", default="", help="dossier parent pour tout le fichier")
    imp.add_argument(
        "--user", metavar="EMAIL", help="la personne à abonner (obligatoire s’il y a plusieurs comptes)"
    )
    add_json_argument(imp)
    add_common_arguments(imp)
    imp.set_defaults(handler=run_import)

    exp = subparsers.add_parser("export-opml", help="exporter ses abonnements en OPML")
    exp.add_argument("--user", metavar="EMAIL", help="la personne dont exporter les abonnements")
    exp.add_argument(
        "-o",
        "--output",
        metavar="FICHIER",
        type=Path,
        help="fichier de sortie (sinon\u00a0: la sortie standard)",
    )
    exp.add_argument(
        "--json",
        action="store_true",
        help="avec --output\u00a0: dernière ligne, un objet JSON (nombre de flux, fichier écrit)",
    )
    add_common_arguments(exp)
    exp.set_defaults(handler=run_export)


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise UserError(f"Impossible de lire le fichier {path}\u00a0: {exc.strerror or exc}.") from exc


def _feeds_from_opml(path: Path, email: str | None) -> list[int]:
    document = parse_opml(_read(path))
    with session_scope() as session:
        actor = resolve_actor(session, email)
        ids = []
        for item in document.feeds:
            feed = get_or_create_feed(session, item.url)
            subscribe_feed(session, actor, feed, folder=item.folder)
            ids.append(feed.id)
    return ids


EMPTY_HINT = (
    "Aucun flux dans la base\u00a0: ajoutez-en avec «\u00a0python -m curation refresh --opml mes-flux.opml\u00a0» "
    "(ou import-opml), ou dans la page Sources de l’application."
)


def _known_feeds(urls: list[str]) -> list[int]:
    with session_scope() as session:
        found = dict(session.execute(select(Feed.url, Feed.id).where(Feed.url.in_(urls))).tuples().all())
    unknown = [url for url in urls if url not in found]
    if unknown:
        raise UserError(
            f"Flux inconnu\u00a0: {', '.join(unknown)}. Donnez son adresse telle que la page Sources l’affiche "
            "(colonne «\u00a0Adresse\u00a0»)."
        )
    return sorted(found.values())


def run_refresh(args: argparse.Namespace) -> int:
    if args.retry:
        feed_ids: list[int] | None = _known_feeds(args.retry)
        force = retry_failing = True
    else:
        feed_ids = _feeds_from_opml(args.opml, args.user) if args.opml else None
        force, retry_failing = args.all, args.retry_errors
    bar = None
    if sys.stderr.isatty() and not args.json:
        from tqdm import tqdm

        bar = tqdm(total=0, unit="flux", desc="Actualisation", file=sys.stderr)

    def progress(done: int, total: int, status: FeedStatus) -> None:
        if bar is not None:
            bar.total = total
            bar.update(1)

    try:
        summary = refresh_feeds(
            feed_ids=feed_ids, force=force, retry_failing=retry_failing, progress=progress
        )
    finally:
        if bar is not None:
            bar.close()
    with session_scope() as session:
        empty = not session.scalar(select(func.count(Feed.id)).where(Feed.last_status != "demo"))
    _report(summary, as_json=args.json, hint=EMPTY_HINT if empty else "")
    return 0


def _report(summary: RefreshSummary, *, as_json: bool, hint: str) -> None:
    failed = [s for s in summary.statuses if s.status == "error"]
    if as_json:
        print_json(
            {
                "hint": hint,
                "feeds": summary.feeds,
                "entries_total": summary.entries_total,
                "new_entries": summary.new_entries,
                "updated_entries": summary.updated_entries,
                "errors": summary.errors,
                "backing_off": summary.backing_off,
                "refresh_s": round(summary.refresh_s, 3),
                "failed": [{"url": s.url, "error": s.error, "kind": s.error_kind} for s in failed],
            }
        )
        return
    print(
        f"{summary.feeds} flux actualisés en {summary.refresh_s:.1f}\u00a0s\u00a0: {summary.new_entries} nouveaux "
        f"articles, {summary.updated_entries} mis à jour, {summary.entries_total} au total, "
        f"{summary.errors} flux en erreur"
        + (
            " (" + ", ".join(f"{kind}\u00a0: {n}" for kind, n in summary.error_kinds()) + ")."
            if failed
            else "."
        )
    )
    for status in failed:
        print(f"  ✗ {status.title or status.url} — {status.error}")
    if summary.backing_off:
        waiting = summary.backing_off
        print(
            f"{waiting} flux en erreur {'attendent leur' if waiting > 1 else 'attend son'} prochain essai\u00a0: "
            f"--retry-errors pour {'les' if waiting > 1 else 'le'} réessayer maintenant."
        )
    if hint:
        print(hint)


def run_import(args: argparse.Namespace) -> int:
    data = _read(args.file)
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        imported = import_opml(session, actor, data, folder=args.folder)
        result = {
            "feeds": imported.feeds,
            "added": imported.added,
            "already": imported.already,
            "folders": imported.folders,
            "skipped": imported.skipped,
            "duplicates": imported.duplicates,
        }
    if args.json:
        print_json(result)
    else:
        print(imported.message)
        for url in result["skipped"]:
            print(f"  ignoré (adresse non web)\u00a0: {url}")
    return 0


def run_export(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        data = export_opml(session, actor)
        count = len(list_subscriptions(session, actor))
    if not args.output:
        if args.json:
            raise UserError("--json s’utilise avec --output (sinon la sortie standard est le fichier OPML).")
        sys.stdout.buffer.write(data)
        return 0
    try:
        args.output.write_bytes(data)
    except OSError as exc:
        raise UserError(f"Impossible d’écrire {args.output}\u00a0: {exc.strerror or exc}.") from exc
    if args.json:
        print_json({"feeds": count, "output": str(args.output)})
    else:
        print(f"{count} abonnement(s) exporté(s) dans {args.output}.")
    return 0
