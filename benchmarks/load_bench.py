"""A class at once: 1 trainer and N-1 trainees on one server, over Streamlit's own websocket.

Starts the real server (``streamlit run serve.py`` on 127.0.0.1) on a seeded database (SQLite in
a temporary folder, or the PostgreSQL database given by ``--database-url``, emptied first), then
drives it at the protocol level (``tests/streamlit_ws.py``: the BackMsg/ForwardMsg protobufs a
browser sends and receives) — never AppTest:

- each trainee logs in through the login form, then does rounds of: open the wall, next page,
  search, open a reading view and go back, mark a card read, pin two cards to the default board (a
  card's button is the card grid's trigger value, as its script sends it: ``ui/card_grid.js``), one
  self-assessment step (starting or finishing an attempt when it is due), open an exercise and
  hand it in;
- the trainer logs in, then does rounds of: the competence map, its heatmap tab, the review queue.

First one trainee and the trainer alone (the single-user figures, with the server's CPU time per
action, the mean of the rounds after the first: what one rerun of each page costs alone), then
everyone at once until ``--duration`` seconds have passed (each person stops before their next
action then). Per action: median, p95, max,
failures (an error shown, a missing widget or no answer), the server's CPU seconds per action and
its peak memory. Then integrity, counted in the database: every pin, submission, self-assessment
start, step and completion exactly once, and each person's answers (with a per-person marker)
shown to nobody else.

    python benchmarks/load_bench.py [--users 25] [--duration 120] [--think 0] [--arrivals 0] [--database-url postgresql://…]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import defaultdict
from contextlib import ExitStack
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path
from types import SimpleNamespace

import psutil

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from deploy.replicas import running, stop, streamlit_command, wait_healthy  # noqa: E402
from tests.ports import free_port  # noqa: E402
from tests.streamlit_ws import ProtocolError, Shown, Tab  # noqa: E402

PASSWORD = "banc-essai-2026"
EXERCISE = "reply-client-colis-perdu"
SEARCH_WORDS = ["influence", "marque", "réseaux", "audience", "campagne"]
TOPICS = ["influence", "marque", "réseaux", "audience", "campagne", "communauté", "crise", "vidéo"]
FEEDS = 4
ENTRIES_PER_FEED = 40


@cache
def exercise_title() -> str:
    """How the catalogue names the exercise the trainees do (its option starts with it)."""
    from training_modules.exercises.loader import get_exercise

    return get_exercise(EXERCISE).title


def email(i: int) -> str:
    return "formatrice@banc.example" if i == 0 else f"stagiaire{i:02d}@banc.example"


def marker(i: int) -> str:
    """Written in each person's exercise answers: shown to anyone else, it is a leak."""
    return f"jeton{i:03d}confidentiel"  # no punctuation: Markdown escaping leaves it whole


# -- the installation ---------------------------------------------------------------------------
def seed(url: str, users: int) -> None:
    """A trainer, her cohort of ``users - 1`` trainees, 4 feeds of 40 entries each followed by all."""
    from datetime import UTC, datetime, timedelta

    from tests.entry_factory import add_entry, add_feed, subscribe
    from workbench.access import Actor
    from workbench.accounts import create_first_trainer
    from workbench.cohorts import create_cohort, sign_up_with_code
    from workbench.db import dispose_engines, session_scope, upgrade_database
    from workbench.startup import prepare_installation

    upgrade_database(url)
    prepare_installation()  # on the settings' database: ``url``
    start = datetime.now(UTC) - timedelta(days=2)
    with session_scope(url) as s:
        trainer = create_first_trainer(s, email=email(0), display_name="Formatrice Banc", password=PASSWORD)
        s.flush()
        cohort = create_cohort(s, Actor.of(trainer), name="Classe de 25")
        people = [trainer.id]
        for i in range(1, users):
            user = sign_up_with_code(
                s, code=cohort.join_code, email=email(i), display_name=f"Stagiaire {i:02d}", password=PASSWORD
            )
            s.flush()
            people.append(user.id)
        for f in range(FEEDS):
            feed = add_feed(s, f"Source banc {f + 1}")
            for uid in people:
                subscribe(s, feed, user_id=uid)
            for n in range(ENTRIES_PER_FEED):
                topic = TOPICS[(f * ENTRIES_PER_FEED + n) % len(TOPICS)]
                add_entry(
                    s,
                    feed,
                    f"Article {f + 1}-{n + 1} sur la {topic} des marques",
                    f"Un résumé qui parle de {topic} et de community management, numéro {n + 1}.",
                    published=start + timedelta(minutes=17 * (f * ENTRIES_PER_FEED + n)),
                    language="en" if n % 3 == 0 else "fr",
                )
    dispose_engines()


def empty_postgres(url: str) -> None:
    from sqlalchemy import create_engine, text

    from workbench.db import normalise_url

    engine = create_engine(normalise_url(url))
    with engine.begin() as conn:
        conn.execute(text("DROP SCHEMA public CASCADE"))
        conn.execute(text("CREATE SCHEMA public"))
    engine.dispose()


def app_env(url: str, data_dir: Path, public_url: str) -> dict[str, str]:
    """The environment of the app processes the benchmark starts (this process's, plus theirs)."""
    return {
        **os.environ,
        "ATELIER_DATA_DIR": str(data_dir),
        "ATELIER_DATABASE_URL": url,
        "ATELIER_SECRET_KEY": "load-bench-secret",
        "ATELIER_PUBLIC_BASE_URL": public_url,
    }


class Server:
    """``streamlit run serve.py`` as production and the browser journeys start it (deploy/replicas.py)."""

    def __init__(self, url: str, data_dir: Path) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = app_env(url, data_dir, self.url)
        self.log = data_dir / "streamlit.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> Server:
        self.proc = subprocess.Popen(
            streamlit_command(self.port),
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.url, self.proc, self.log)
        return self

    def __exit__(self, *exc: object) -> None:
        if self.proc:
            stop(self.proc)

    @property
    def process(self) -> psutil.Process:
        assert self.proc is not None
        return psutil.Process(self.proc.pid)


class ProcessGroup:
    """Several app processes counted as one server: CPU times and resident memory summed."""

    def __init__(self, processes: list[psutil.Process]) -> None:
        self.processes = processes

    def cpu_times(self) -> SimpleNamespace:
        times = [p.cpu_times() for p in self.processes]
        return SimpleNamespace(user=sum(t.user for t in times), system=sum(t.system for t in times))

    def memory_info(self) -> SimpleNamespace:
        return SimpleNamespace(rss=sum(p.memory_info().rss for p in self.processes))


class Replicas:
    """``replicas`` app processes behind nginx, as production runs them (``deploy.replicas.running``:
    sticky by cookie, sharing the PostgreSQL database at ``url``)."""

    def __init__(self, url: str, data_dir: Path, replicas: int) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = app_env(url, data_dir, self.url)
        self.run_dir = data_dir / "replicas"
        self.ports = [free_port() for _ in range(replicas)]
        self._running = ExitStack()

    def __enter__(self) -> Replicas:
        self._running.enter_context(running(self.ports, self.port, self.run_dir, self.env))
        return self

    def __exit__(self, *exc: object) -> None:
        self._running.close()

    @property
    def process(self) -> ProcessGroup:
        apps = [c for c in psutil.Process().children() if "serve.py" in c.cmdline()]
        return ProcessGroup(apps)


class Sampler:
    """The server's resident memory, sampled every 50 ms in a thread: the peak and the start."""

    def __init__(self, process: psutil.Process) -> None:
        self.process = process
        self.start_mb = process.memory_info().rss / 2**20
        self.peak_mb = self.start_mb
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(0.05):
            try:
                self.peak_mb = max(self.peak_mb, self.process.memory_info().rss / 2**20)
            except psutil.Error:
                return

    def __enter__(self) -> Sampler:
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()


def cpu_seconds(process: psutil.Process) -> float:
    t = process.cpu_times()
    return t.user + t.system


# -- the journeys -------------------------------------------------------------------------------
@dataclass
class Ledger:
    """What the client did and saw, to compare with the database afterwards."""

    times: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    failures: dict[str, list[str]] = field(default_factory=lambda: defaultdict(list))
    cpu: dict[str, list[float]] = field(default_factory=lambda: defaultdict(list))
    runs: dict[str, list[int]] = field(default_factory=lambda: defaultdict(list))
    pins: dict[int, set[int]] = field(default_factory=lambda: defaultdict(set))
    submissions: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    started: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    completed: dict[int, int] = field(default_factory=lambda: defaultdict(int))
    step: dict[int, int] = field(default_factory=dict)
    seen: dict[int, bytes] = field(default_factory=dict)


class TimeUp(Exception):
    """The load's duration is over: the person stops before their next action."""


class Person:
    """One person's tab and journey; each action timed, failures recorded, never raised."""

    def __init__(self, index: int, base_url: str, ledger: Ledger, process: psutil.Process | None) -> None:
        self.index = index
        self.deadline = float("inf")
        self.tab = Tab(base_url)
        self.ledger = ledger
        self.process = process  # when set (alone on the server): the CPU of each action
        self.round = 0
        self.think = 0.0  # mean seconds a person reads before their next click (0: none)
        self.arrival = 0.0  # seconds after the start this person logs in
        self.pauses = random.Random(index)
        self.clicks = 0  # the card grid's action numbers (``ui.card_grid``)

    async def act(self, name: str, coro_fn, check=None) -> bool:
        if self.think:  # a person reads what came before clicking again (half to one and a half the mean)
            await asyncio.sleep(self.pauses.uniform(0.5, 1.5) * self.think)
        if time.monotonic() > self.deadline:
            raise TimeUp
        cpu_before = cpu_seconds(self.process) if self.process else 0.0
        try:
            result = await coro_fn()
        except ProtocolError as exc:
            self.ledger.failures[name].append(f"{self.index}: {exc}")
            return False
        if self.process:
            self.ledger.cpu[name].append(cpu_seconds(self.process) - cpu_before)
        self.ledger.times[name].append(result.seconds)
        self.ledger.runs[name].append(result.runs)
        problem = "; ".join(result.errors) or (check() if check else "")
        if problem:
            self.ledger.failures[name].append(f"{self.index}: {problem}")
            return False
        return True

    async def log_in(self) -> bool:
        await self.tab.open()
        self.tab.set(self.tab.widget(key="login_email"), email(self.index))
        self.tab.set(self.tab.widget(key="login_password"), PASSWORD)
        submit = self.tab.widget(label="Se connecter", kind="button")
        return await self.act(
            "log in (home page)",
            lambda: self.tab.click(submit),
            lambda: (
                ""
                if any(t.startswith("Bonjour") for t in self._headings()) or self.tab.pages
                else "not logged in"
            ),
        )

    def _headings(self) -> list[str]:
        return [getattr(e.proto, "body", "") for e in self.tab.elements.values() if e.kind == "heading"]

    def close(self) -> asyncio.Future:
        return self.tab.close()


class Trainee(Person):
    async def round_(self) -> None:
        tab, i = self.tab, self.index
        await self.act("open the wall", lambda: tab.goto("mur"), self._cards_shown)
        if tab.has(label="Suivant"):
            await self.act(
                "wall, next page", lambda: tab.click(tab.widget(label="Suivant")), self._cards_shown
            )
        word = SEARCH_WORDS[(i + self.round) % len(SEARCH_WORDS)]
        tab.set(tab.widget(key="wall_query"), word)
        await self.act("wall search", tab.rerun, self._cards_shown)
        tab.set(tab.widget(key="wall_query"), "")
        await self.act("wall, all again", tab.rerun, self._cards_shown)
        cards = list(self._cards())
        if cards:
            await self.act("open a reading view", lambda: self._card_action(cards[0], "open"))
            if tab.has(label="Retour au mur"):
                await self.act("back to the wall", lambda: tab.click(tab.widget(label="Retour au mur")))
        cards = list(self._cards())
        if cards:  # « Lu » reruns the cards alone, the card then offers « Non lu »
            read = cards[-1]
            await self.act(
                "mark a card read",
                lambda: self._card_action(read, "read"),
                lambda: "" if self._cards().get(read, {}).get("read") else "the card still says « Lu »",
            )
        for entry_id in [c for c in self._cards() if c not in self.ledger.pins[i]][:2]:
            if await self.act("pin to a board", lambda e=entry_id: self._card_action(e, "pin")):
                self.ledger.pins[i].add(entry_id)
        await self.assessment_step()
        await self.exercise()
        self.round += 1

    def _grid(self) -> Shown | None:
        return next((e for e in self.tab.elements.values() if e.kind == "bidi_component"), None)

    def _cards(self) -> dict[int, dict]:
        """The wall's cards by entry, in page order, as the page gave them to its card grid."""
        grid = self._grid()
        return {c["id"]: c for c in json.loads(grid.proto.json)["cards"]} if grid else {}

    def _card_action(self, entry_id: int, action: str):
        """A card's button, as the card grid's script sends it (``ui/card_grid.js``)."""
        self.clicks += 1
        value = {
            "token": f"bench{self.index}",
            "actions": [{"seq": self.clicks, "entry": entry_id, "do": action}],
        }
        return self.tab.trigger(self._grid(), "action", value)

    def _cards_shown(self) -> str:
        return "" if self._cards() else "no card on the wall"

    async def assessment_step(self) -> None:
        tab, i = self.tab, self.index
        if not await self.act("open the self-assessment", lambda: tab.goto("auto-evaluation")):
            return
        if tab.has(key="start"):
            if await self.act("self-assessment: start", lambda: tab.click(tab.widget(key="start"))):
                self.ledger.started[i] += 1
                self.ledger.step[i] = 0
            return
        if tab.has(key="finish"):
            if getattr(tab.widget(key="finish").proto, "disabled", False):  # a person cannot click it
                self.ledger.failures["self-assessment: finish"].append(
                    f"{i}: « Terminer » disabled (a competence has fewer than half of its answers)"
                )
                return
            if await self.act("self-assessment: finish", lambda: tab.click(tab.widget(key="finish"))):
                self.ledger.completed[i] += 1
                self.ledger.step.pop(i, None)
            return
        for radio in tab.widgets("radio"):
            tab.choose(radio, (i + self.round) % 3)
        forward = tab.widget(label="Enregistrer et continuer")
        if await self.act("self-assessment step", lambda: tab.click(forward)):
            self.ledger.step[i] = self.ledger.step.get(i, 0) + 1

    async def exercise(self) -> None:
        tab, i = self.tab, self.index
        if not await self.act("open my exercises", lambda: tab.goto("exercices")):
            return
        catalogue = tab.widget(key="catalogue")  # choosing in it opens the exercise
        tab.set(catalogue, next(o for o in catalogue.proto.options if o.startswith(f"{exercise_title()} · ")))
        if not await self.act("open an exercise", tab.rerun):
            return
        answer = (
            f"Bonjour Madame, je suis vraiment désolé pour ce colis perdu. Je lance une enquête "
            f"auprès du transporteur et je reviens vers vous en message privé. {marker(i)} n° {self.round}"
        )
        tab.set(tab.widget(kind="text_area"), answer)
        submit = tab.widget(label="Rendre")
        if await self.act("hand in an exercise", lambda: tab.click(submit)):
            self.ledger.submissions[i] += 1
        handed_in = [w for w in tab.widgets("button") if re.search(r"-detail:\d+$", w.widget_id)]
        if handed_in:  # the newest attempt's « Détail »: the answer as stored, shown back
            newest = max(handed_in, key=lambda w: int(w.widget_id.rsplit(":", 1)[1]))
            await self.act("read my handed-in answer", lambda: tab.click(newest))
        await self.act("back to my exercises", lambda: tab.click(tab.widget(label="← Mes exercices")))


class Trainer(Person):
    async def round_(self) -> None:
        tab = self.tab
        await self.act("trainer: competence map", lambda: tab.goto("carte-competences"))
        tab.set(tab.widget(key="tab"), "Carte de la session")
        await self.act("trainer: heatmap", tab.rerun)
        tab.set(tab.widget(key="tab"), "Campagnes")
        await self.act("trainer: review queue", lambda: tab.goto("corrections"))
        self.round += 1


async def journey(person: Person, deadline: float, rounds: int | None = None) -> None:
    if rounds is None:
        person.deadline = deadline
    try:
        await asyncio.sleep(person.arrival)
        if not await person.log_in():
            return
        while (rounds is None and time.monotonic() < deadline) or (
            rounds is not None and person.round < rounds
        ):
            try:
                await person.round_()
            except ProtocolError as exc:  # a widget the page should have shown is missing
                person.ledger.failures["journey"].append(f"{person.index}: {exc}")
                person.round += 1
    except (ProtocolError, OSError) as exc:
        person.ledger.failures["journey"].append(f"{person.index}: {exc}")
    except TimeUp:
        pass
    finally:
        person.ledger.seen[person.index] = person.tab.take_seen()
        await person.close()


def make(index: int, base_url: str, ledger: Ledger, process: psutil.Process | None) -> Person:
    return (Trainer if index == 0 else Trainee)(index, base_url, ledger, process)


async def alone(server: Server | Replicas, users: int, rounds: int) -> Ledger:
    """The trainer and one trainee, one after the other, nobody else on the server."""
    ledger = Ledger()
    for index in (0, users - 1):
        await journey(make(index, server.url, ledger, server.process), 0, rounds)
    return ledger


async def together(
    server: Server | Replicas,
    users: int,
    duration: float,
    steps: dict[int, int] | None = None,
    rounds: int | None = None,
    think: float = 0.0,
    arrivals: float = 0.0,
) -> Ledger:
    """Everyone at once, for ``duration`` seconds or ``rounds`` rounds each; ``steps``: where the
    people alone left their self-assessment; ``think``: mean pause before each click; ``arrivals``:
    people log in over that many seconds (0: the same instant)."""
    ledger = Ledger(step=dict(steps or {}))
    deadline = time.monotonic() + duration
    people = [make(i, server.url, ledger, None) for i in range(users)]
    for person in people:
        person.think = think
        person.arrival = person.pauses.uniform(0, arrivals)
    await asyncio.gather(*(journey(person, deadline, rounds) for person in people))
    return ledger


# -- integrity ---------------------------------------------------------------------------------
def integrity(url: str, users: int, ledgers: list[Ledger]) -> list[str]:
    """What the database holds against what the people did: each write once, no one else's data."""
    from sqlalchemy import func, select

    from curation.board_models import Board, Pin
    from training_modules.assessment_models import AssessmentAttempt
    from training_modules.exercises.models import Submission
    from workbench.db import session_scope
    from workbench.models import User

    problems = []
    with session_scope(url) as s:
        ids = {s.scalar(select(User.id).where(User.email == email(i))): i for i in range(users)}
        by_user = {i: uid for uid, i in ids.items()}
        for i in range(1, users):
            uid = by_user[i]
            pins = list(
                s.execute(
                    select(Pin.entry_id).join(Board, Pin.board_id == Board.id).where(Board.owner_id == uid)
                )
            )
            pinned = [row[0] for row in pins if row[0] is not None]
            expected = set().union(*(ledger.pins[i] for ledger in ledgers))
            if sorted(pinned) != sorted(expected):
                problems.append(f"trainee {i}: pins stored {sorted(pinned)} ≠ pinned {sorted(expected)}")
            subs = s.scalar(
                select(func.count())
                .select_from(Submission)
                .where(Submission.user_id == uid, Submission.status != "in_progress")
            )
            if subs != sum(ledger.submissions[i] for ledger in ledgers):
                problems.append(
                    f"trainee {i}: {subs} submissions stored, {sum(lg.submissions[i] for lg in ledgers)} handed in"
                )
            attempts = list(s.scalars(select(AssessmentAttempt).where(AssessmentAttempt.user_id == uid)))
            started = sum(ledger.started[i] for ledger in ledgers)
            done = sum(ledger.completed[i] for ledger in ledgers)
            if len(attempts) != started or sum(a.completed_at is not None for a in attempts) != done:
                problems.append(
                    f"trainee {i}: {len(attempts)} attempts ({started} started), completions ≠ {done}"
                )
            open_steps = [a.step for a in attempts if a.completed_at is None]
            step = ledgers[-1].step.get(i)
            if step is not None and open_steps != [step]:
                problems.append(f"trainee {i}: open attempt at step {open_steps}, expected [{step}]")
    for ledger in ledgers:  # the trainer (0) reviews everyone's answers: trainees only
        for i, seen in ledger.seen.items():
            others = [j for j in range(1, users) if j != i and marker(j).encode() in seen]
            if i and others:
                problems.append(f"trainee {i} was shown the answers of {others}")
            if i and ledger.submissions[i] and marker(i).encode() not in seen:
                problems.append(f"trainee {i} was not shown their own answer: the check is blind")
    return problems


# -- the report --------------------------------------------------------------------------------
def p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]


def warm_mean(values: list[float]) -> float | None:
    """The mean of the rounds after the first (which imports the page's modules): the process's CPU
    clock ticks by 1/100 s, so a mean over rounds says more than one action's figure."""
    warm = values[1:] or values
    return sum(warm) / len(warm) if warm else None


def report(single: Ledger, load: Ledger, load_cpu: float, memory: dict[str, float]) -> dict:
    names = list(dict.fromkeys([*single.times, *load.times, *load.failures]))
    total_actions = sum(len(v) for v in load.times.values())
    rows = {}
    print(
        f"{'action':30} {'alone':>7} {'cpu':>6} | {'n':>4} {'median':>7} {'p95':>7} {'max':>7} {'fail':>4} {'runs':>4}"
    )
    for name in names:
        t, a = load.times.get(name, []), single.times.get(name, [])
        row = {
            "alone_median": statistics.median(a) if a else None,
            "alone_cpu": warm_mean(single.cpu.get(name, [])),
            "n": len(t),
            "median": statistics.median(t) if t else None,
            "p95": p95(t) if t else None,
            "max": max(t) if t else None,
            "failed": len(load.failures.get(name, [])),
            "runs": max(load.runs[name]) if load.runs.get(name) else None,
        }
        rows[name] = row

        def f(x: float | None, digits: int = 2) -> str:
            return "—" if x is None else f"{x:.{digits}f}"

        print(
            f"{name:30} {f(row['alone_median']):>7} {f(row['alone_cpu'], 3):>6} | {row['n']:>4} {f(row['median']):>7} "
            f"{f(row['p95']):>7} {f(row['max']):>7} {row['failed']:>4} {row['runs'] or 0:>4}"
        )
    failed = sum(len(v) for v in load.failures.values())
    cpu_per = load_cpu / total_actions if total_actions else 0.0
    print(
        f"{total_actions} actions timed, {failed} failed; server CPU {load_cpu:.1f} s = {cpu_per:.3f} s/action"
    )
    print(f"server memory: {memory['start']:.0f} MB before the logins, peak {memory['peak']:.0f} MB")
    for name, failures in load.failures.items():
        for line in failures[:3]:
            print(f"  failed {name}: {line[:300]}")
    return {
        "actions": rows,
        "total": total_actions,
        "failed": failed,
        "cpu_per_action": cpu_per,
        "memory": memory,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--users", type=int, default=25, help="1 trainer + users-1 trainees")
    parser.add_argument("--duration", type=float, default=120, help="seconds of load")
    parser.add_argument(
        "--rounds-alone",
        type=int,
        default=5,
        help="rounds of each journey alone (CPU: the mean of those after the first)",
    )
    parser.add_argument(
        "--database-url", default="", help="PostgreSQL database to empty and use (default: SQLite)"
    )
    parser.add_argument(
        "--think",
        type=float,
        default=0.0,
        help="mean seconds a person pauses before each click under load (default 0: as fast as the server answers)",
    )
    parser.add_argument(
        "--replicas",
        type=int,
        default=1,
        help="app processes behind nginx (deploy.replicas; needs --database-url); default 1, no proxy",
    )
    parser.add_argument(
        "--arrivals",
        type=float,
        default=0.0,
        help="people log in at random moments over the first ARRIVALS seconds (default 0: all in the same instant)",
    )
    parser.add_argument("--json", type=Path, help="write the figures to this file")
    args = parser.parse_args(argv)
    if args.replicas > 1 and not args.database_url:
        parser.error("--replicas above 1 shares one PostgreSQL database: give --database-url")

    with tempfile.TemporaryDirectory(prefix="load-bench-") as tmp:
        data_dir = Path(tmp)
        os.environ["ATELIER_DATA_DIR"] = str(data_dir)
        os.environ.setdefault("ATELIER_SECRET_KEY", "load-bench-secret")
        url = args.database_url or f"sqlite:///{data_dir / 'atelier.db'}"
        os.environ["ATELIER_DATABASE_URL"] = url
        if args.database_url:
            empty_postgres(url)
        seed(url, args.users)
        print(f"seeded {args.users} people on {url.split(':')[0]}; load {os.getloadavg()[0]:.1f}", flush=True)
        with (
            Server(url, data_dir) if args.replicas == 1 else Replicas(url, data_dir, args.replicas) as server
        ):
            single = asyncio.run(alone(server, args.users, args.rounds_alone))
            process = server.process
            cpu_before, client_before = cpu_seconds(process), cpu_seconds(psutil.Process())
            started = time.monotonic()
            with Sampler(process) as sampler:
                load = asyncio.run(
                    together(
                        server,
                        args.users,
                        args.duration,
                        single.step,
                        think=args.think,
                        arrivals=args.arrivals,
                    )
                )
            load_cpu = cpu_seconds(process) - cpu_before
            memory = {"start": sampler.start_mb, "peak": sampler.peak_mb}
            print(
                f"load: {time.monotonic() - started:.0f} s; this client's CPU "
                f"{cpu_seconds(psutil.Process()) - client_before:.1f} s; load average {os.getloadavg()[0]:.1f}"
            )
        figures = report(single, load, load_cpu, memory)
        problems = integrity(url, args.users, [single, load])
        figures["integrity"] = problems or "every write once, nobody shown another's answers"
        figures["load_average"] = os.getloadavg()
        print("integrity:", "; ".join(problems) if problems else figures["integrity"])
        if args.json:
            args.json.write_text(json.dumps(figures, indent=1, ensure_ascii=False))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
