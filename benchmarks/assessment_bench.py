"""Speed of the self-assessment's storage and reports on a realistic cohort.

A temporary SQLite database holds a trainer, a cohort of ``--trainees`` trainees and
``--campaigns`` campaigns; every trainee completes one attempt per campaign through the library,
step by step as the page saves it (7 competence steps, the missions, then completion). Then the
trainer's views and exports are timed. The anchor is one plain SQL query reading every stored
score of the cohort (the least any cohort view must do). Medians of ``--repeat`` runs.

    python benchmarks/assessment_bench.py --trainees 30 --campaigns 3 --repeat 5
"""

from __future__ import annotations

import argparse
import os
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


def _timed(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--trainees", type=int, default=30)
    parser.add_argument("--campaigns", type=int, default=3)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()

    tmp = Path(tempfile.mkdtemp(prefix="assessment-bench-"))
    os.environ["ATELIER_DATA_DIR"] = str(tmp)
    os.environ["ATELIER_DATABASE_URL"] = f"sqlite:///{tmp / 'atelier.db'}"
    os.environ.setdefault("ATELIER_SECRET_KEY", "bench")

    from sqlalchemy import text

    from training_modules import assessment
    from training_modules import assessment_reports as reports
    from training_modules.competences import framework
    from workbench.access import Actor
    from workbench.accounts import create_first_trainer, create_user
    from workbench.cohorts import create_cohort
    from workbench.db import session_scope, upgrade_database
    from workbench.models import Membership

    upgrade_database()
    fw = framework()
    with session_scope() as s:
        trainer = Actor.of(
            create_first_trainer(s, email="t@example.fr", display_name="Formatrice", password="bench-pass-1")
        )
        cohort_id = create_cohort(s, trainer, name="Promo bench").id
        trainees = []
        for i in range(args.trainees):
            user = create_user(
                s,
                email=f"s{i}@example.fr",
                display_name=f"Stagiaire {i:02d}",
                password="bench-pass-1",
                role="trainee",
            )
            s.add(Membership(cohort_id=cohort_id, user_id=user.id))
            trainees.append(Actor.of(user))
    today = date.today()
    with session_scope() as s:
        campaign_ids = [
            assessment.open_campaign(
                s,
                trainer,
                cohort_id,
                name=f"Campagne {k + 1}",
                starts_on=today - timedelta(days=1),
                ends_on=today,
            ).id
            for k in range(args.campaigns)
        ]

    def take(actor: Actor, campaign_id: int, level: int) -> None:
        """One attempt as the page saves it: one transaction per step."""
        with session_scope() as s:
            attempt_id = assessment.start_attempt(s, actor, campaign_id).id
        for step, comp in enumerate(fw.competences):
            ratings = {st.id: (6 - level if st.reverse else level) for st in comp.statements}
            choices = {j.id: j.options[level % 4].id for j in comp.situational}
            with session_scope() as s:
                assessment.save_answers(s, actor, attempt_id, ratings=ratings, choices=choices, step=step + 1)
        with session_scope() as s:
            assessment.save_answers(
                s,
                actor,
                attempt_id,
                missions={m.id: "autonome" for m in fw.missions},
                step=len(fw.competences) + 1,
            )
        with session_scope() as s:
            assessment.complete_attempt(s, actor, attempt_id)

    attempt_times = []
    for k, campaign_id in enumerate(campaign_ids):
        for i, actor in enumerate(trainees):
            start = time.perf_counter()
            take(actor, campaign_id, 1 + (i + k) % 5)
            attempt_times.append(time.perf_counter() - start)

    def anchor() -> None:
        with session_scope() as s:
            s.execute(
                text(
                    "SELECT a.user_id, r.competence_id, r.score FROM assessment_results r "
                    "JOIN assessment_attempts a ON a.id = r.attempt_id "
                    "JOIN memberships m ON m.user_id = a.user_id WHERE m.cohort_id = :c"
                ),
                {"c": cohort_id},
            ).all()

    def heatmap_rows() -> None:
        with session_scope() as s:
            assessment.cohort_scores(s, trainer, cohort_id)

    def progress() -> None:
        with session_scope() as s:
            assessment.campaign_progress(s, trainer, cohort_id)

    def history() -> None:
        with session_scope() as s:
            assessment.list_attempts(s, trainees[0])

    def xlsx() -> None:
        with session_scope() as s:
            reports.cohort_xlsx(s, trainer, cohort_id)

    def pdf() -> None:
        with session_scope() as s:
            attempts = assessment.list_attempts(s, trainees[0])
            reports.attempt_pdf(attempts[-1], assessment.previous_of(attempts, attempts[-1].id))

    results = [("anchor: one SQL query for every score of the cohort", _timed(anchor, args.repeat))]
    results += [
        ("cohort heatmap rows (`cohort_scores`)", _timed(heatmap_rows, args.repeat)),
        (f"progress between {args.campaigns} campaigns (`campaign_progress`)", _timed(progress, args.repeat)),
        (
            f"a trainee's history ({args.campaigns} attempts with answers, `list_attempts`)",
            _timed(history, args.repeat),
        ),
        ("cohort XLSX export", _timed(xlsx, args.repeat)),
        ("PDF report of one attempt", _timed(pdf, args.repeat)),
    ]
    base = results[0][1]
    print(f"{args.trainees} trainees, {args.campaigns} campaigns, {len(attempt_times)} attempts")
    print(f"taking one attempt (9 transactions): median {statistics.median(attempt_times) * 1000:.0f} ms")
    print("| operation | median (ms) | ratio vs anchor |")
    print("|---|---:|---:|")
    for name, seconds in results:
        print(f"| {name} | {seconds * 1000:.1f} | {seconds / base:.1f} |")


if __name__ == "__main__":
    main()
