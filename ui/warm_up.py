"""Warm a fresh server process before the first people arrive (``serve.py`` starts it).

After a restart the whole class reconnects at once, and each session's first run waited for what
the first page imports and for the bundled content (competences, exercises, programme) to be read:
25 people logging in on a fresh process took 8 s each (``benchmarks/restart_bench.py``). A thread
started with the server does that work once, while the first people are still on their way; the
modules are those the login and home scripts import (read from their source, so the list follows
the code), the content the loaders cached once per process (``workbench.once.cache_once``), Babel's
French data, and the installation check every first run waits for (``app._prepare``: migrations
checked, demo content in place; ``ensure_database`` takes a lock, so the two never migrate at once).
"""

from __future__ import annotations

import ast
import importlib
import logging
import threading
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
FIRST_SCRIPTS = ("app.py", "screens/home.py")  # what every person runs first

log = logging.getLogger("atelier.warm_up")


def first_imports() -> list[str]:
    """The absolute modules the first scripts import."""
    names: set[str] = set()
    for script in FIRST_SCRIPTS:
        for node in ast.walk(ast.parse((ROOT / script).read_text(encoding="utf-8"))):
            if isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return sorted(names - {"__future__"})


def warm_up() -> None:
    """Import the first pages' modules and read the bundled content; a problem is only logged (the
    page that needs it says it to the person)."""
    try:
        for name in first_imports():
            importlib.import_module(name)
        from curation.monitoring.tone import load_lexicon
        from curation.networks import load_networks
        from curation.translation.glossary import load_glossary
        from training_modules.competences import framework
        from training_modules.exercises.loader import lexicons, load_exercises
        from training_modules.programme import load_programme

        for load in (
            framework,
            load_exercises,
            load_programme,
            lexicons,
            load_networks,
            load_glossary,
            load_lexicon,
        ):
            load()
        from workbench.db import ensure_database, utcnow
        from workbench.localtime import fr_datetime
        from workbench.numbers import fr_int
        from workbench.startup import prepare_installation

        fr_int(1_000)  # Babel's French data and the people's time zone, read once (0.2 s)
        fr_datetime(utcnow())
        ensure_database()  # what the app's first run does (``_prepare``), which every first run waits for
        prepare_installation()
    except Exception:
        log.exception("warm-up of the server process failed")


def start() -> threading.Thread:
    thread = threading.Thread(target=warm_up, name="atelier-warm-up", daemon=True)
    thread.start()
    return thread
