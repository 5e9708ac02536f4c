"""Bundled content is read once per process even when a whole class arrives at the same moment.

After a restart, 25 sessions ran their first page at once and each read and parsed every exercise
file and the competence framework (``functools.cache`` computes a value in every thread that asks
before the first one has finished): 25 logins took 8 s of the server's CPU (1.6 s on a warm
process; ``benchmarks/restart_bench.py``).
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from training_modules import competences, programme
from training_modules.exercises import loader
from ui import warm_up
from workbench.once import cache_once

THREADS = 12
ROOT = Path(__file__).resolve().parent.parent


def _at_once(func) -> list:
    """``func`` called by THREADS threads released together; their results."""
    start = threading.Barrier(THREADS)
    results: list = [None] * THREADS

    def one(i: int) -> None:
        start.wait()
        results[i] = func()

    threads = [threading.Thread(target=one, args=(i,)) for i in range(THREADS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    return results


def test_a_value_asked_by_many_threads_at_once_is_computed_once() -> None:
    calls = []

    @cache_once
    def slow(x: int) -> list[int]:
        calls.append(x)
        time.sleep(0.05)
        return [x]

    results = _at_once(lambda: slow(3))
    assert len(calls) == 1
    assert all(r is results[0] for r in results)  # the one value, shared
    assert slow(4) == [4] and len(calls) == 2  # another argument is another value
    slow.cache_clear()
    slow(3)
    assert len(calls) == 3


def test_a_failure_is_not_cached_and_reaches_every_caller() -> None:
    attempts = []

    @cache_once
    def flaky() -> str:
        attempts.append(1)
        if len(attempts) == 1:
            raise ValueError("fichier illisible")
        return "ok"

    with pytest.raises(ValueError):
        flaky()
    assert flaky() == "ok"


@pytest.mark.parametrize(
    ("load", "clear", "target", "name"),
    [
        (loader.load_exercises, loader.reload_exercises, loader, "load_exercise_file"),
        (competences.framework, competences.framework.cache_clear, competences, "load_framework"),
        (programme.load_programme, programme.load_programme.cache_clear, programme, "load_programme_file"),
    ],
    ids=["exercises", "framework", "programme"],
)
def test_bundled_content_is_read_once_when_a_class_arrives_together(
    load, clear, target, name, monkeypatch
) -> None:
    real = getattr(target, name)
    reads = []

    def counted(*args, **kwargs):
        reads.append(args)
        time.sleep(0.02)  # a file read and parsed: long enough for the others to ask meanwhile
        return real(*args, **kwargs)

    monkeypatch.setattr(target, name, counted)
    clear()
    try:
        results = _at_once(load)
    finally:
        monkeypatch.undo()
        clear()
    expected = len(results[0]) if name == "load_exercise_file" else 1  # each file once
    assert len(reads) == expected, f"{len(reads)} reads for {expected}"
    assert all(r is results[0] for r in results)


def test_the_warm_up_leaves_a_fresh_process_with_the_first_pages_modules_and_the_content_read(
    tmp_path,
) -> None:
    """``serve.py`` starts ``ui.warm_up``: afterwards the first page imports nothing new and no
    content file is read again (here the exercise reader fails if it is called)."""
    script = """
import sys
from ui import warm_up
warm_up.start().join()
missing = [m for m in warm_up.first_imports() if m not in sys.modules]
from training_modules.exercises import loader
from ui import warm_up
from training_modules import competences
def refuse(*a, **k):
    raise AssertionError("read again")
loader.load_exercise_file = competences.load_framework = refuse
from babel import localedata
from workbench import db
print(len(missing), len(loader.load_exercises()) > 0, len(competences.framework().competences),
      len(db._ready), "fr" in localedata._cache)
"""
    env = {
        **os.environ,
        "ATELIER_DATA_DIR": str(tmp_path),
        "ATELIER_DATABASE_URL": f"sqlite:///{tmp_path / 'atelier.db'}",
    }
    out = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    ).stdout.split()
    # the database migrated and prepared (the app's first run finds it ready), Babel's French read
    assert out == ["0", "True", "7", "1", "True"], out
    assert "curation.wall" in warm_up.first_imports() and "ui.auth" in warm_up.first_imports()


def test_two_threads_preparing_a_new_database_at_once_migrate_it_once(tmp_path, monkeypatch):
    """The app's first run and the server's warm-up both call ``ensure_database`` on a new install."""
    from workbench import db

    url = f"sqlite:///{tmp_path / 'new.db'}"
    upgrades = []
    real = db.upgrade_database
    monkeypatch.setattr(db, "upgrade_database", lambda u=None: upgrades.append(u) or real(u))
    errors = []

    def prepare() -> None:
        try:
            db.ensure_database(url)
        except Exception as exc:
            errors.append(exc)

    threads = [threading.Thread(target=prepare) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert errors == [] and len(upgrades) == 1
    db._ready.discard(db.normalise_url(url))
    db.dispose_engines()
