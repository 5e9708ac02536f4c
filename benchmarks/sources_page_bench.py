"""The Sources page with 1,000 subscriptions: page load and each action, through Streamlit's AppTest.

A trainer follows 1,000 feeds in 8 folders, as a refreshed OPML import leaves them: 541 in error,
100 not fetched yet, the rest OK with 2 entries each (SQLite in a temporary folder, seeded with
bulk inserts). Each step is the median of ``--runs`` runs; each run starts from the same
database (copied back from a snapshot) so that an unsubscribe always has something to remove.

Anchor: the same AppTest run of a page that only shows a title (what any page costs here).
Steps: the first run of the page, a rerun, the « En erreur » filter, a search by name, the next
page, ticking 3 rows, moving them, and the two bulk actions on every subscription in error (541):
move to a folder, unsubscribe. Each action's time includes the rerun that shows its result.
(« Réessayer maintenant » is a refresh: its time is the feeds' servers', see ``refresh_bench``.)

    python benchmarks/sources_page_bench.py [--subscriptions 1000] [--errors 541] [--runs 5]
"""

from __future__ import annotations

import argparse
import os
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

PAGE = "screens/sources.py"


def seed(subscriptions: int, errors: int):
    """The trainer (as an Actor) following ``subscriptions`` feeds."""
    from tests.entry_factory import add_many_subscriptions
    from workbench.access import Actor
    from workbench.accounts import create_first_trainer
    from workbench.db import session_scope, upgrade_database

    upgrade_database()
    with session_scope() as s:
        actor = Actor.of(
            create_first_trainer(
                s, email="bench@example.fr", display_name="Banc d’essai", password="banc-essai-2026"
            )
        )
        add_many_subscriptions(s, actor.id, subscriptions, errors=errors, pending=100)
    return actor


class Results(dict):
    """Each step's times, printed as soon as the step is measured."""

    def __setitem__(self, name: str, times: list[float]) -> None:
        super().__setitem__(name, times)
        print(
            f"{name:<45} {statistics.median(times):>8.3f} {min(times):>8.3f} {max(times):>8.3f}", flush=True
        )


def timed(step: Callable[[], object], runs: int, restore: Callable[[], None]) -> list[float]:
    times = []
    for _ in range(runs):
        restore()
        start = time.perf_counter()
        step()
        times.append(time.perf_counter() - start)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--subscriptions", type=int, default=1000)
    parser.add_argument("--errors", type=int, default=541)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    data_dir = Path(tempfile.mkdtemp(prefix="sources-bench-"))
    db_file = data_dir / "atelier.db"
    os.environ.update(
        ATELIER_DATA_DIR=str(data_dir),
        ATELIER_DATABASE_URL=f"sqlite:///{db_file}",
        ATELIER_SECRET_KEY="bench-secret",
        ATELIER_DEMO_CONTENT="0",
    )
    from streamlit.testing.v1 import AppTest

    from workbench.db import dispose_engines

    actor = seed(args.subscriptions, args.errors)
    dispose_engines()
    snapshot = data_dir / "snapshot.db"
    with closing(sqlite3.connect(db_file)) as source, closing(sqlite3.connect(snapshot)) as target:
        source.backup(target)
    anchor_page = data_dir / "anchor.py"
    anchor_page.write_text('import streamlit as st\nst.title("Sources")\n', encoding="utf-8")

    def restore() -> None:
        """The seeded database again, through SQLite's backup API (safe beside open connections)."""
        dispose_engines()
        with closing(sqlite3.connect(snapshot)) as source, closing(sqlite3.connect(db_file)) as target:
            source.backup(target)

    def load(path: str = PAGE) -> AppTest:
        at = AppTest.from_file(path if path.startswith("/") else str(ROOT / path), default_timeout=600)
        at.session_state["actor"] = actor
        return at.run()

    def loaded() -> AppTest:
        restore()
        return load()

    results = Results()
    print(f"{args.subscriptions} subscriptions, {args.errors} in error; median of {args.runs} runs (s)")
    print(f"{'step':<45} {'median':>8} {'min':>8} {'max':>8}", flush=True)
    results["anchor: a page with a title only"] = timed(lambda: load(str(anchor_page)), args.runs, restore)
    results["page load (first run of a session)"] = timed(load, args.runs, restore)

    def act(step: Callable[[AppTest], object], prepare: Callable[[AppTest], object] = lambda at: None):
        times = []
        for _ in range(args.runs):
            at = loaded()
            prepare(at)
            start = time.perf_counter()
            step(at)
            times.append(time.perf_counter() - start)
            assert not at.exception, at.exception
        return times

    def errors_only(at: AppTest) -> None:
        at.selectbox(key="sources_status").select("error").run()

    def whole_filter(at: AppTest) -> None:
        errors_only(at)
        at.radio(key="sources_scope").set_value("filter").run()

    def tick(at: AppTest) -> None:
        at.session_state[at.dataframe[0].key] = {"selection": {"rows": [0, 1, 2], "columns": [], "cells": []}}
        at.run()

    results["rerun (a click that changes nothing)"] = act(lambda at: at.run())
    results["filter « En erreur »"] = act(errors_only)
    results["search by name"] = act(lambda at: at.text_input(key="sources_search").input("source 0042").run())
    results["next page"] = act(lambda at: at.get("pagination")[0].select(2).run())
    results["tick 3 rows"] = act(tick)
    results["move the 3 ticked rows"] = act(
        lambda at: (
            at.text_input(key="sources_move_to").input("Ailleurs"),
            at.button(key="sources_move").click().run(),
        ),
        tick,
    )
    results["move every one in error (541)"] = act(
        lambda at: (
            at.text_input(key="sources_move_to").input("Archives"),
            at.button(key="sources_move").click().run(),
        ),
        whole_filter,
    )

    def unsubscribe(at: AppTest) -> None:
        at.button(key="sources_unsubscribe").click().run()
        assert any("541 sources" in m.value for m in at.success), "nothing unsubscribed: seeded data lost?"

    results["unsubscribe every one in error (541)"] = act(unsubscribe, whole_filter)

    shutil.rmtree(data_dir, ignore_errors=True)


if __name__ == "__main__":
    main()
