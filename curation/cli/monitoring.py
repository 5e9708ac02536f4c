"""Subcommands ``rules`` (list, apply) and ``alerts`` (send): monitoring from a terminal or cron."""

from __future__ import annotations

import argparse

from sqlalchemy import func, select, update

from curation.cli import add_common_arguments, add_json_argument, print_json, resolve_actor
from curation.monitoring.alerts import deliver_pending_emails
from curation.monitoring.models import Alert
from curation.monitoring.rules import apply_rule, list_rules
from workbench.db import get_engine, session_scope
from workbench.errors import UserError


def register(subparsers: argparse._SubParsersAction) -> None:
    rules = subparsers.add_parser("rules", help="règles de veille\u00a0: lister, ré-appliquer")
    actions = rules.add_subparsers(dest="rules_command", required=True, metavar="ACTION")
    listing = actions.add_parser("list", help="lister les règles d’une personne")
    listing.add_argument(
        "--user", metavar="EMAIL", help="la personne (obligatoire s’il y a plusieurs comptes)"
    )
    add_json_argument(listing)
    add_common_arguments(listing)
    listing.set_defaults(handler=run_list)
    apply = actions.add_parser("apply", help="ré-appliquer ses règles aux articles déjà reçus")
    apply.add_argument("--user", metavar="EMAIL", help="la personne (obligatoire s’il y a plusieurs comptes)")
    apply.add_argument(
        "--rule", type=int, action="append", metavar="ID", help="seulement cette règle (répétable)"
    )
    add_json_argument(apply)
    add_common_arguments(apply)
    apply.set_defaults(handler=run_apply)

    alerts = subparsers.add_parser("alerts", help="alertes de veille")
    alert_actions = alerts.add_subparsers(dest="alerts_command", required=True, metavar="ACTION")
    send = alert_actions.add_parser("send", help="envoyer les e-mails d’alerte en attente")
    send.add_argument("--retry-failed", action="store_true", help="réessayer aussi les envois en échec")
    add_json_argument(send)
    add_common_arguments(send)
    send.set_defaults(handler=run_send)


def run_list(args: argparse.Namespace) -> int:
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        rules = list_rules(session, actor)
    if args.json:
        print_json(
            {
                "rules": [
                    {
                        "id": r.id,
                        "name": r.name,
                        "query": r.query,
                        "owner": r.owner,
                        "enabled": r.enabled,
                        "actions": r.actions.labels(),
                        "matches": r.match_count,
                    }
                    for r in rules
                ]
            }
        )
        return 0
    for r in rules:
        state = "" if r.enabled else " (en pause)"
        print(
            f"#{r.id} {r.name}{state} [{r.owner}] — {r.query} — {', '.join(r.actions.labels())} — {r.match_count} retenus"
        )
    if not rules:
        print("Aucune règle.")
    return 0


def run_apply(args: argparse.Namespace) -> int:
    results = []
    with session_scope() as session:
        actor = resolve_actor(session, args.user)
        rules = [r for r in list_rules(session, actor) if r.can_edit and r.enabled]
        if args.rule:
            wanted = set(args.rule)
            rules = [r for r in rules if r.id in wanted]
            if len(rules) != len(wanted):
                raise UserError(
                    "Règle introuvable, en pause ou non modifiable par cette personne\u00a0: vérifiez --rule."
                )
        for rule in rules:
            result = apply_rule(session, actor, rule.id)
            results.append(
                {"id": rule.id, "name": rule.name, "matched": result.matched, "new": result.new_matches}
            )
    if args.json:
        print_json({"rules": results})
    else:
        for r in results:
            print(
                f"#{r['id']} {r['name']}\u00a0: {r['matched']} article(s) retenu(s), {r['new']} nouvelle(s) action(s)."
            )
        if not results:
            print("Aucune règle active à appliquer.")
    return 0


def run_send(args: argparse.Namespace) -> int:
    if args.retry_failed:
        with session_scope() as session:
            session.execute(
                update(Alert).where(Alert.email_status == "failed").values(email_status="pending")
            )
    sent = 0
    while True:
        sent += deliver_pending_emails(get_engine())
        with session_scope() as session:
            pending = session.scalar(select(func.count(Alert.id)).where(Alert.email_status == "pending"))
            failed = session.scalar(select(func.count(Alert.id)).where(Alert.email_status == "failed"))
        if not pending:
            break
    if args.json:
        print_json({"sent": sent, "failed": failed})
    else:
        print(f"{sent} e-mail(s) d’alerte envoyé(s), {failed} en échec.")
    return 0
