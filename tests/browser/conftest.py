"""Real-browser journeys: ``streamlit run serve.py`` (the app with its cookie routes) on 127.0.0.1 driven by Playwright in Debian's Chromium.

Each test module gets a fresh installation (its own data folder and SQLite database); a
screenshot of every open page is saved to ``test-artifacts/`` when a test fails.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy.orm import Session

from deploy.replicas import stop, streamlit_command, wait_healthy
from tests.ports import free_port
from ui.session_cookie import COOKIE
from workbench.access import Actor
from workbench.accounts import create_first_trainer
from workbench.cohorts import create_cohort, sign_up_with_code
from workbench.db import session_scope, upgrade_database

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
CHROMIUM = os.environ.get("ATELIER_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]

pytestmark = pytest.mark.browser


class AppServer:
    def __init__(self, data_dir: Path, env: dict[str, str] | None = None) -> None:
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir
        self.env = {
            **os.environ,
            "ATELIER_DATA_DIR": str(data_dir),
            "ATELIER_DATABASE_URL": f"sqlite:///{data_dir / 'atelier.db'}",
            "ATELIER_SECRET_KEY": "browser-test-secret",
            "ATELIER_PUBLIC_BASE_URL": self.url,
            "ATELIER_ALLOW_PRIVATE_NETWORKS": "1",
            **(env or {}),
        }
        self.log = data_dir / "streamlit.log"
        self.proc: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.data_dir.mkdir(parents=True, exist_ok=True)
        self.proc = subprocess.Popen(
            streamlit_command(self.port),
            cwd=ROOT,
            env=self.env,
            stdout=self.log.open("wb"),
            stderr=subprocess.STDOUT,
        )
        wait_healthy(self.url, self.proc, self.log, timeout=60)

    def stop(self) -> None:
        if self.proc:
            stop(self.proc)


@contextlib.contextmanager
def class_of_one(app_server: AppServer, cohort_name: str) -> Iterator[tuple[Session, Actor, Any, Actor]]:
    """In the app's database: Claire the trainer (``log_in``'s default), a cohort and Alice
    (alice@example.fr, alice-pass-1) who joined it; the session stays open for more."""
    url = f"sqlite:///{app_server.data_dir / 'atelier.db'}"
    upgrade_database(url)
    with session_scope(url) as s:
        trainer = Actor.of(
            create_first_trainer(s, email=TRAINER_EMAIL, display_name=TRAINER_NAME, password=TRAINER_PASSWORD)
        )
        cohort = create_cohort(s, trainer, name=cohort_name)
        alice = sign_up_with_code(
            s, code=cohort.join_code, email="alice@example.fr", display_name="Alice", password="alice-pass-1"
        )
        assert alice is not None
        yield s, trainer, cohort, Actor.of(alice)


@pytest.fixture(scope="module")
def app_server(tmp_path_factory) -> Iterator[AppServer]:
    server = AppServer(tmp_path_factory.mktemp("app-data"))
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not Path(CHROMIUM).exists():
        pytest.skip(f"Chromium not found at {CHROMIUM} (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        chromium = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.hookimpl(tryfirst=True, hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    if report.when == "call" and report.failed:
        contexts = item.funcargs.get("_open_contexts") or []
        ARTIFACTS.mkdir(exist_ok=True)
        name = re.sub(r"[^\w.-]+", "_", item.nodeid)
        for i, ctx in enumerate(contexts):
            for j, page in enumerate(ctx.pages):
                with contextlib.suppress(Exception):  # a crashed page: nothing to capture
                    page.screenshot(path=str(ARTIFACTS / f"{name}-{i}-{j}.png"), full_page=True)
        server = item.funcargs.get("app_server")
        if isinstance(server, AppServer) and server.log.exists():  # the page only says « an error »
            shutil.copyfile(server.log, ARTIFACTS / f"{name}-streamlit.log")


@pytest.fixture
def _open_contexts() -> list:
    return []


@pytest.fixture
def new_context(browser, _open_contexts):
    """Open a fresh browser context (its own cookies) at a given viewport; closed after the test."""

    def make(width: int = 1280, height: int = 900):
        ctx = browser.new_context(viewport={"width": width, "height": height}, locale="fr-FR")
        ctx.set_default_timeout(20_000)
        _open_contexts.append(ctx)
        return ctx

    yield make
    for ctx in _open_contexts:
        ctx.close()


def wait_idle(page) -> None:
    """Wait until Streamlit has finished the current run (no "running" indicator)."""
    page.wait_for_load_state("networkidle")
    page.wait_for_function(
        "() => !document.querySelector('[data-testid=\"stStatusWidget\"]')", timeout=30_000
    )


def open_sidebar(page) -> None:
    """On a phone the sidebar starts collapsed: open it as a person would."""
    expand = page.get_by_test_id("stExpandSidebarButton")
    if expand.count() and expand.is_visible():
        expand.click()


TRAINER_NAME = "Claire Formatrice"
TRAINER_EMAIL = "claire@example.fr"
TRAINER_PASSWORD = "atelier-2026"
GREETING = re.compile("^Bonjour")


def sign_up_first_trainer(page, url: str) -> None:
    """On a fresh installation: the first trainer's account (Claire), through the app's form."""
    page.goto(url)
    page.get_by_text("Créez le premier compte").wait_for()
    page.get_by_label("Nom affiché", exact=True).fill(TRAINER_NAME)
    page.get_by_label("Adresse e-mail", exact=True).fill(TRAINER_EMAIL)
    page.get_by_label("Mot de passe", exact=True).fill(TRAINER_PASSWORD)
    page.get_by_role("button", name="Créer le compte formateur").click()
    page.get_by_text(f"Bonjour {TRAINER_NAME}").wait_for()
    wait_login_cookie(page)


def login_cookie(page) -> dict | None:
    """The login cookie as the browser keeps it (HttpOnly: invisible to the page's scripts)."""
    return next((c for c in page.context.cookies() if c["name"] == COOKIE and c["value"]), None)


def wait_login_cookie(page) -> None:
    """The login cookie is set by our route, which the page calls after logging in: a reload or a
    ``goto`` before it has answered would land logged out."""
    deadline = time.monotonic() + 20
    while login_cookie(page) is None:
        if time.monotonic() > deadline:
            raise AssertionError("the login cookie was never set")
        page.wait_for_timeout(100)


def log_in(
    page,
    url: str,
    email: str = TRAINER_EMAIL,
    password: str = TRAINER_PASSWORD,
    *,
    landing: str | re.Pattern[str] = GREETING,
) -> None:
    """Open ``url`` and log in with the login form; wait for ``landing`` (the home page's greeting)."""
    page.goto(url)
    wait_idle(page)
    form = page.get_by_test_id("stForm").first
    form.get_by_label("Adresse e-mail").fill(email)
    form.get_by_label("Mot de passe").fill(password)
    page.get_by_role("button", name="Se connecter").click()
    page.get_by_text(landing).first.wait_for()
    wait_login_cookie(page)
