"""``python -m deploy``: the nginx configuration of the production set-up, or the whole set-up on this machine.

python -m deploy nginx-config --listen 80 --server 127.0.0.1:8501 --server 127.0.0.1:8502 > /etc/nginx/conf.d/atelier.conf
python -m deploy run --replicas 2 --port 8080      # 2 app processes + nginx, until Ctrl+C
"""

from __future__ import annotations

import argparse
import sys
import time

from deploy.replicas import nginx_site, running
from workbench.cli import FrenchArgumentParser, run_command
from workbench.db import ensure_database
from workbench.errors import UserError
from workbench.settings import get_settings, load_settings


def build_parser() -> FrenchArgumentParser:
    parser = FrenchArgumentParser(
        prog="python -m deploy", description="Plusieurs processus de l’application derrière nginx."
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMANDE")
    config = sub.add_parser("nginx-config", help="écrire la configuration nginx (sortie standard)")
    config.add_argument(
        "--server",
        action="append",
        required=True,
        metavar="HÔTE:PORT",
        help="un processus de l’application (répéter l’option pour chacun)",
    )
    config.add_argument("--listen", default="80", help="ce qu’écoute nginx (défaut : 80)")
    config.add_argument(
        "--access-log", default="/var/log/nginx/atelier.log", metavar="FICHIER", help="journal des requêtes"
    )
    config.set_defaults(handler=run_config)
    run = sub.add_parser("run", help="démarrer N processus et nginx sur cette machine (Ctrl+C arrête tout)")
    run.add_argument("--replicas", type=int, default=2, help="nombre de processus (défaut : 2)")
    run.add_argument("--port", type=int, default=8080, help="port de nginx sur 127.0.0.1 (défaut : 8080)")
    run.add_argument(
        "--first-port", type=int, default=8501, help="port du premier processus, puis +1… (défaut : 8501)"
    )
    run.set_defaults(handler=run_local)
    return parser


def run_config(args: argparse.Namespace) -> int:
    sys.stdout.write(nginx_site(args.server, args.listen, args.access_log))
    return 0


def run_local(args: argparse.Namespace) -> int:
    if not load_settings().database_url.startswith("postgres"):  # not get_settings(): it opens the database
        raise UserError(
            "Plusieurs processus partagent une base PostgreSQL\u00a0: définissez "
            "ATELIER_DATABASE_URL=postgresql://… (SQLite ne sert qu’un seul processus)."
        )
    ensure_database()  # migrated once here, so that a bad address is said now, in this terminal
    run_dir = get_settings().data_dir / "deploy"  # configuration and logs, kept after the run
    with running(range(args.first_port, args.first_port + args.replicas), args.port, run_dir) as stack:
        print(f"Atelier CM : {stack.url} ({len(stack.replicas)} processus). Ctrl+C pour arrêter.", flush=True)
        print(f"Journaux : {run_dir}", flush=True)
        while True:
            time.sleep(3600)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    return run_command(lambda: args.handler(args))


if __name__ == "__main__":
    sys.exit(main())
