"""A class clicking in the same instant: 25 logins, or 24 « Terminer » of the self-assessment.

The two actions of ``load_bench.py`` that a whole class does together (the trainer says « connectez-
vous », then « terminez l'auto-évaluation »), alone on the server so that nothing else blurs them:

- ``login``: 25 people open the login page and log in at once;
- ``finish``: 24 trainees, each with an attempt answered up to « Vérifier et terminer », click
  « Terminer et voir mes résultats » at once.

Repeated ``--tries`` times on one warmed server (SQLite in a temporary folder, or PostgreSQL with
``--replicas`` processes behind nginx). Per try: the median and the last answer, and the server's
CPU seconds per action; then the median of the tries' medians. The server is the real one
(``streamlit run serve.py``), driven over its websocket as ``load_bench.py`` does.

    python benchmarks/burst_bench.py login|finish [--tries 5] [--database-url postgresql://… --replicas 2]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import load_bench as lb

WARM_UP = 8  # seconds for serve.py's warm-up before the first try


def answered_attempts(url: str, users: int) -> None:
    """Each trainee's new attempt, every step answered, waiting at « Vérifier et terminer »."""
    from tests.assessment_helpers import uniform_answers
    from training_modules import assessment
    from training_modules.competences import framework
    from workbench.access import Actor
    from workbench.db import dispose_engines, session_scope
    from workbench.models import User

    fw = framework()
    ratings, choices = uniform_answers(3, best=False)
    missions = {m.id: "autonome" for m in fw.missions}
    with session_scope(url) as s:
        for i in range(1, users):
            actor = Actor.of(s.query(User).filter_by(email=lb.email(i)).one())
            draft = assessment.start_attempt(s, actor)
            assessment.save_answers(
                s,
                actor,
                draft.id,
                ratings=ratings,
                choices=choices,
                missions=missions,
                step=len(fw.competences) + 1,
            )
    dispose_engines()


async def logins(server, users: int) -> lb.Ledger:
    ledger = lb.Ledger()
    people = [lb.make(i, server.url, ledger, None) for i in range(users)]
    await asyncio.gather(*(p.log_in() for p in people))
    await asyncio.gather(*(p.close() for p in people))
    return ledger


async def finishes(server, users: int, url: str) -> lb.Ledger:
    answered_attempts(url, users)
    ledger = lb.Ledger()
    people = [lb.make(i, server.url, lb.Ledger(), None) for i in range(1, users)]
    await asyncio.gather(*(p.log_in() for p in people))
    await asyncio.gather(*(p.tab.goto("auto-evaluation") for p in people))
    await asyncio.sleep(1)
    for p in people:
        p.ledger = ledger
    await asyncio.gather(
        *(p.act("finish", lambda p=p: p.tab.click(p.tab.widget(key="finish"))) for p in people)
    )
    await asyncio.gather(*(p.close() for p in people))
    return ledger


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("what", choices=["login", "finish"])
    parser.add_argument("--users", type=int, default=25, help="1 trainer + users-1 trainees")
    parser.add_argument("--tries", type=int, default=5)
    parser.add_argument("--database-url", default="", help="PostgreSQL database to empty and use")
    parser.add_argument("--replicas", type=int, default=1, help="app processes behind nginx (PostgreSQL)")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="burst-bench-") as tmp:
        data_dir = Path(tmp)
        url = args.database_url or f"sqlite:///{data_dir / 'atelier.db'}"
        os.environ.update(
            ATELIER_DATA_DIR=str(data_dir), ATELIER_DATABASE_URL=url, ATELIER_SECRET_KEY="burst-bench-secret"
        )
        if args.database_url:
            lb.empty_postgres(url)
        lb.seed(url, args.users)
        server = lb.Server(url, data_dir) if args.replicas == 1 else lb.Replicas(url, data_dir, args.replicas)
        medians = []
        with server:
            time.sleep(WARM_UP)
            asyncio.run(logins(server, args.users))  # every session's first run done once
            for t in range(args.tries):
                before = lb.cpu_seconds(server.process)
                if args.what == "login":
                    ledger = asyncio.run(logins(server, args.users))
                    name = "log in (home page)"
                else:
                    ledger = asyncio.run(finishes(server, args.users, url))
                    name = "finish"
                cpu = lb.cpu_seconds(server.process) - before
                times = ledger.times[name]
                failed = sum(len(f) for f in ledger.failures.values())
                medians.append(statistics.median(times))
                print(
                    f"try {t + 1}: {len(times)} {args.what}s, median {statistics.median(times):.2f} s, "
                    f"last {max(times):.2f} s, {failed} failed, server CPU {cpu / len(times) * 1000:.0f} ms each "
                    f"(load {os.getloadavg()[0]:.1f})",
                    flush=True,
                )
                time.sleep(2)
        print(f"median of the medians: {statistics.median(medians):.2f} s")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
