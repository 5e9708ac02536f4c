"""``python -m workbench``: migrations, accounts and training sessions from the command line.

``migrate`` applies migrations; ``revision`` writes a new one for an area (each feature area —
workbench, watch, boards, translation, digest, monitoring, assessment, exercises — is its own
Alembic branch in ``workbench/migrations/versions/<area>/``). ``account add`` creates an account
(the password from a prompt, or from stdin with ``--password-stdin``); the first account takes
over what the command line made on an install without any account. ``cohort add`` opens a
training session and prints its join code.
"""

from __future__ import annotations

import argparse
import getpass
import sys
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from workbench.access import Actor
from workbench.accounts import LOCAL_OWNER_EMAIL, create_user, has_any_user, has_local_owner, normalise_email
from workbench.cli import FrenchArgumentParser, add_json_argument, print_json, run_command
from workbench.cohorts import create_cohort, sign_up_with_code
from workbench.db import MIGRATIONS_DIR, alembic_config, ensure_database, session_scope, upgrade_database
from workbench.errors import UserError
from workbench.models import TRAINEE, TRAINER, User

ROLES = {"trainer": TRAINER, "trainee": TRAINEE, "formateur": TRAINER, "stagiaire": TRAINEE}


def build_parser() -> argparse.ArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m workbench",
        description="Atelier CM — base de données, comptes et sessions de formation.",
    )
    sub = parser.add_subparsers(dest="cmd", required=True, metavar="COMMANDE")
    mig = sub.add_parser("migrate", help="appliquer les migrations de la base en attente")
    mig.add_argument("--db", metavar="URL", help="adresse de la base (sinon : réglages)")
    add_json_argument(mig)
    mig.set_defaults(handler=run_migrate)

    rev = sub.add_parser("revision", help="écrire une migration pour un domaine (développement)")
    rev.add_argument("--area", metavar="DOMAINE", required=True, help="le domaine (watch, digest…)")
    rev.add_argument("-m", "--message", metavar="TEXTE", required=True, help="ce que fait la migration")
    rev.add_argument(
        "--depends-on",
        metavar="RÉVISION",
        action="append",
        default=[],
        help="révision(s) d’autres domaines nécessaires avant (répétable)",
    )
    rev.add_argument(
        "--db", metavar="URL", default="sqlite:///data/_revision.db", help="base de travail à comparer"
    )
    add_json_argument(rev)
    rev.set_defaults(handler=run_revision)

    account = sub.add_parser("account", help="comptes")
    account_actions = account.add_subparsers(dest="account_command", required=True, metavar="ACTION")
    add = account_actions.add_parser(
        "add",
        help="créer un compte",
        description=(
            "Crée un compte. Le mot de passe est demandé (sans écho) ou lu sur l’entrée standard avec "
            "--password-stdin. Le premier compte d’une installation reprend ce que la ligne de commande "
            "a créé (sources, listes de diffusion, règles)."
        ),
    )
    add.add_argument("--email", metavar="EMAIL", required=True, help="l’adresse e-mail (identifiant)")
    add.add_argument("--name", metavar="NOM", required=True, help="le nom affiché")
    add.add_argument(
        "--role", choices=sorted(ROLES), default="trainer", help="formateur (trainer, défaut) ou stagiaire"
    )
    add.add_argument(
        "--cohort", metavar="CODE", help="stagiaire : le code de la session de formation à rejoindre"
    )
    add.add_argument(
        "--password-stdin", action="store_true", help="lire le mot de passe sur l’entrée standard"
    )
    add.add_argument("--db", metavar="URL", help="adresse de la base (sinon : réglages)")
    add_json_argument(add)
    add.set_defaults(handler=run_account_add)

    cohort = sub.add_parser("cohort", help="sessions de formation")
    cohort_actions = cohort.add_subparsers(dest="cohort_command", required=True, metavar="ACTION")
    cadd = cohort_actions.add_parser("add", help="ouvrir une session de formation (affiche son code)")
    cadd.add_argument("--name", metavar="NOM", required=True, help="le nom de la session")
    cadd.add_argument("--trainer", metavar="EMAIL", help="le formateur (obligatoire s’il y en a plusieurs)")
    cadd.add_argument("--start", metavar="AAAA-MM-JJ", type=_day, help="premier jour")
    cadd.add_argument("--end", metavar="AAAA-MM-JJ", type=_day, help="dernier jour")
    cadd.add_argument("--db", metavar="URL", help="adresse de la base (sinon : réglages)")
    add_json_argument(cadd)
    cadd.set_defaults(handler=run_cohort_add)
    return parser


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"date invalide « {text} » : écrivez AAAA-MM-JJ") from None


def run_migrate(args: argparse.Namespace) -> int:
    upgrade_database(args.db)
    if args.json:
        print_json({"migrated": True})
    else:
        print("Base de données à jour.")
    return 0


def run_revision(args: argparse.Namespace) -> int:
    from alembic import command
    from alembic.script import ScriptDirectory

    upgrade_database(args.db)
    path = MIGRATIONS_DIR / "versions" / args.area
    new_branch = not path.is_dir()
    path.mkdir(parents=True, exist_ok=True)
    cfg = alembic_config(args.db)
    heads = ScriptDirectory.from_config(cfg).get_revisions("heads")
    area_head = [r.revision for r in heads if args.area in (r.branch_labels or ())]
    script = command.revision(
        cfg,
        message=args.message,
        autogenerate=True,
        head="base" if new_branch else area_head[0],
        branch_label=args.area if new_branch else None,
        version_path=str(path),
        depends_on=args.depends_on or None,
    )
    if args.json:
        print_json({"revision": getattr(script, "revision", None), "area": args.area})
    return 0


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\r\n")
    if not sys.stdin.isatty():
        raise UserError(
            "Pas de terminal pour demander le mot de passe : passez-le sur l’entrée standard avec "
            "--password-stdin (par exemple : printf '%s\\n' \"$MOT_DE_PASSE\" | python -m workbench account add …)."
        )
    first = getpass.getpass("Mot de passe : ")
    if getpass.getpass("Mot de passe (encore) : ") != first:
        raise UserError("Les deux mots de passe diffèrent : rien n’a été créé, recommencez.")
    return first


def run_account_add(args: argparse.Namespace) -> int:
    ensure_database(args.db)
    password = _read_password(args.password_stdin)
    role = ROLES[args.role]
    if args.cohort and role != TRAINEE:
        raise UserError("--cohort s’utilise avec --role trainee : un formateur crée ses sessions.")
    with session_scope(args.db) as session:
        takes_over = not has_any_user(session) and has_local_owner(session)
        if args.cohort:
            user = sign_up_with_code(
                session, code=args.cohort, email=args.email, display_name=args.name, password=password
            )
        else:
            user = create_user(
                session, email=args.email, display_name=args.name, password=password, role=role
            )
        result = {"id": user.id, "email": user.email, "role": user.role, "took_over_cli": takes_over}
    if args.json:
        print_json(result)
        return 0
    label = "formateur" if role == TRAINER else "stagiaire"
    print(f"Compte {label} créé\u00a0: {result['email']}.")
    if takes_over:
        print(
            "Les sources, listes de diffusion et règles créées en ligne de commande sont désormais à ce compte."
        )
    return 0


def run_cohort_add(args: argparse.Namespace) -> int:
    ensure_database(args.db)
    with session_scope(args.db) as session:
        trainer = _trainer(session, args.trainer)
        cohort = create_cohort(
            session, Actor.of(trainer), name=args.name, starts_on=args.start, ends_on=args.end
        )
        result = {
            "id": cohort.id,
            "name": cohort.name,
            "join_code": cohort.join_code,
            "trainer": trainer.email,
        }
    if args.json:
        print_json(result)
    else:
        print(
            f"Session « {result['name']} » ouverte\u00a0: code à donner aux stagiaires\u00a0: {result['join_code']}."
        )
    return 0


def _trainer(session: Session, email: str | None) -> User:
    stmt = select(User).where(User.role == TRAINER, User.is_active.is_(True), User.email != LOCAL_OWNER_EMAIL)
    if email:
        user = session.scalar(stmt.where(User.email == normalise_email(email)))
        if user is None:
            raise UserError(f"Aucun compte formateur actif avec l’adresse {email}\u00a0: vérifiez --trainer.")
        return user
    trainers = list(session.scalars(stmt.limit(2)))
    if len(trainers) != 1:
        raise UserError(
            "Précisez le formateur avec --trainer EMAIL (plusieurs comptes formateurs existent)."
            if trainers
            else "Aucun compte formateur\u00a0: créez-en un avec « python -m workbench account add --role trainer »."
        )
    return trainers[0]


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
