"""The production set-up (README « Production », ``deploy/``): two app processes behind nginx with
sticky sessions, sharing a fresh PostgreSQL database and one data folder, started at the same moment.

Which process served what is read from nginx's access log (``upstream=… route=…`` on every line):
each browser stays on one process, browsers spread over both, the websocket is upgraded through
the proxy, and a login made on one process holds on the other.
"""

from __future__ import annotations

import os
import re
import time
import uuid
from collections import defaultdict
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor

import httpx
import pytest
from websockets.sync.client import connect as ws_connect

from deploy.replicas import ROUTE_COOKIE, Stack, nginx_path, running
from tests.browser.conftest import (
    TRAINER_NAME,
    _free_port,
    login_cookie,
    sign_up_first_trainer,
    wait_idle,
    wait_login_cookie,
)
from tests.conftest import PG_URL, _pg_create, _pg_database, _pg_drop
from workbench import db as wdb
from workbench.accounts import create_user
from workbench.db import session_scope

pytestmark = [
    pytest.mark.browser,
    pytest.mark.skipif(
        nginx_path() is None, reason="nginx not installed (apt-get install nginx; .ci/run does)"
    ),
    pytest.mark.skipif(not PG_URL, reason="replicas share PostgreSQL: set ATELIER_TEST_POSTGRES_URL"),
]

LINE = re.compile(
    r'"(?P<method>\S+) (?P<path>\S+) [^"]*" (?P<status>\d{3}) .* upstream="(?P<up>[^"]*)" route=(?P<route>\S+)'
)
TRAINEE_PASSWORD = "stagiaire-2026"


class Proxy:
    def __init__(self, stack: Stack, database_url: str) -> None:
        self.stack = stack
        self.url = stack.url
        self.database_url = database_url

    def log(self) -> list[dict[str, str]]:
        return [m.groupdict() for m in map(LINE.search, self.stack.access_log.read_text().splitlines()) if m]

    def upstreams_by_route(self) -> dict[str, set[str]]:
        seen: dict[str, set[str]] = defaultdict(set)
        for line in self.log():
            seen[line["route"]].add(line["up"])
        return seen

    def lines_of(self, route: str, path: str | None = None) -> list[dict[str, str]]:
        """The log lines of ``route`` (nginx writes a line once the answer is sent: wait for it)."""
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            lines = [x for x in self.log() if x["route"] == route and path in (None, x["path"])]
            if lines:
                return lines
            time.sleep(0.1)
        raise AssertionError(f"no request of route {route} {path or ''} in nginx's log")

    def new_route(self) -> tuple[str, str]:
        """A route cookie nginx hands out, and the process it leads to."""
        route = httpx.get(self.url + "/_stcore/health", timeout=10).cookies[ROUTE_COOKIE]
        return route, self.lines_of(route)[0]["up"]


@pytest.fixture(scope="module")
def proxy(tmp_path_factory) -> Iterator[Proxy]:
    name = f"atelier_replicas_{uuid.uuid4().hex[:10]}"
    _pg_create(name)  # empty: the two processes migrate it and store the demo content, at once
    url = wdb.normalise_url(_pg_database(name))
    env = {
        k: v for k, v in os.environ.items() if not k.startswith("ATELIER_") or k.startswith("ATELIER_TEST_")
    }
    data_dir = tmp_path_factory.mktemp("replicas-data")  # shared: the first process writes the secret key
    env |= {"ATELIER_DATABASE_URL": url, "ATELIER_DATA_DIR": str(data_dir)}
    run_dir = tmp_path_factory.mktemp("replicas-run")
    try:
        with running([_free_port(), _free_port()], _free_port(), run_dir, env) as stack:
            yield Proxy(stack, url)
    finally:
        wdb.dispose_engines()
        _pg_drop(name)


def test_the_proxy_answers_and_gives_each_browser_a_route(proxy) -> None:
    health = httpx.get(proxy.url + "/_stcore/health", timeout=10)
    assert health.status_code == 200 and health.text == "ok"
    page = httpx.get(proxy.url + "/", timeout=10)
    assert page.status_code == 200 and '<div id="root">' in page.text
    cookie = page.headers["set-cookie"]
    assert re.fullmatch(rf"{ROUTE_COOKIE}=[0-9a-f]{{32}}; Path=/; HttpOnly; SameSite=Lax", cookie)
    again = httpx.get(proxy.url + "/", cookies={ROUTE_COOKIE: page.cookies[ROUTE_COOKIE]}, timeout=10)
    assert "set-cookie" not in again.headers  # a browser keeps its route
    forged = httpx.get(proxy.url + "/", cookies={ROUTE_COOKIE: "../../x"}, timeout=10)
    assert forged.cookies[ROUTE_COOKIE] != "../../x"  # only nginx's own values are routes


def test_each_client_stays_on_one_process_and_clients_spread_over_both(proxy) -> None:
    routes = []
    for _ in range(20):
        with httpx.Client(base_url=proxy.url, timeout=10) as client:
            for path in ("/", "/_stcore/health", "/_stcore/host-config", "/"):
                assert client.get(path).status_code == 200
            routes.append(client.cookies[ROUTE_COOKIE])
    proxy.lines_of(routes[-1])  # nginx has written the last request's line
    seen = proxy.upstreams_by_route()
    assert all(len(seen[route]) == 1 for route in routes), {r: seen[r] for r in routes}
    served = {next(iter(seen[route])) for route in routes}
    assert served == {url.removeprefix("http://") for url in proxy.stack.replicas}


def test_the_websocket_is_upgraded_through_the_proxy_on_the_clients_process(proxy) -> None:
    route, process = proxy.new_route()
    ws_url = proxy.url.replace("http://", "ws://") + "/_stcore/stream"
    with ws_connect(
        ws_url,
        origin=proxy.url,
        subprotocols=["streamlit"],
        additional_headers={"Cookie": f"{ROUTE_COOKIE}={route}"},
        open_timeout=20,
    ) as ws:
        assert ws.response.status_code == 101
    streams = proxy.lines_of(route, "/_stcore/stream")
    assert [(s["status"], s["up"]) for s in streams] == [("101", process)]


def test_a_login_through_the_proxy_is_kept_and_holds_on_the_other_process(proxy, new_context) -> None:
    first = new_context()
    page = first.new_page()
    sign_up_first_trainer(page, proxy.url)  # the login cookie comes from /auth/session, through nginx
    page.reload()
    page.get_by_text(f"Bonjour {TRAINER_NAME}").wait_for()
    route = next(c["value"] for c in first.cookies() if c["name"] == ROUTE_COOKIE)
    (process,) = proxy.upstreams_by_route()[route]

    other_route, other = proxy.new_route()
    while other == process:
        other_route, other = proxy.new_route()
    second = new_context()
    second.add_cookies(
        [
            login_cookie(page),
            {"name": ROUTE_COOKIE, "value": other_route, "url": proxy.url},
        ]
    )
    elsewhere = second.new_page()
    elsewhere.goto(proxy.url)
    elsewhere.get_by_text(f"Bonjour {TRAINER_NAME}").wait_for()  # same login, other process
    wait_idle(elsewhere)
    first.close()
    second.close()
    seen = proxy.upstreams_by_route()
    assert seen[route] == {process} and seen[other_route] == {other}


def test_a_class_logging_in_at_once_through_the_proxy(proxy, new_context) -> None:
    """A handful of trainees log in at the same moment, then reload: each stays logged in as
    themselves, on one process; meanwhile anonymous page loads all answer."""
    wdb.ensure_database(proxy.database_url)
    names = [f"Stagiaire {i}" for i in range(5)]
    with session_scope(proxy.database_url) as session:
        for i, name in enumerate(names):
            create_user(
                session,
                email=f"stagiaire{i}@example.fr",
                display_name=name,
                password=TRAINEE_PASSWORD,
                role="trainee",
            )
    pages = [new_context().new_page() for _ in names]
    for page in pages:
        page.goto(proxy.url)
    with ThreadPoolExecutor(8) as pool:
        loads = [
            pool.submit(httpx.get, proxy.url + path, timeout=30) for path in ["/", "/_stcore/health"] * 20
        ]
        for i, page in enumerate(pages):  # every login sent before any answer is awaited
            wait_idle(page)
            form = page.get_by_test_id("stForm").first
            form.get_by_label("Adresse e-mail").fill(f"stagiaire{i}@example.fr")
            form.get_by_label("Mot de passe").fill(TRAINEE_PASSWORD)
            page.get_by_role("button", name="Se connecter").click()
        assert [f.result().status_code for f in loads] == [200] * len(loads)
    for name, page in zip(names, pages, strict=True):
        page.get_by_text(f"Bonjour {name}").first.wait_for()
        wait_login_cookie(page)
    for name, page in zip(names, pages, strict=True):
        page.reload()
        page.get_by_text(f"Bonjour {name}").first.wait_for()
        for someone_else in set(names) - {name}:
            assert page.get_by_text(someone_else).count() == 0
    routes = [next(c["value"] for c in p.context.cookies() if c["name"] == ROUTE_COOKIE) for p in pages]
    seen = proxy.upstreams_by_route()
    moved = [line for line in proxy.log() if line["route"] in routes and len(seen[line["route"]]) > 1]
    assert not moved, (moved, (proxy.stack.access_log.parent / "error.log").read_text()[-3000:])
    assert not [line for line in proxy.log() if line["status"].startswith("5")]
