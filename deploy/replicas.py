"""Several app processes behind nginx: the nginx configuration, and the processes for a local run.

The production set-up (README « Production »): N processes ``streamlit run serve.py`` on
127.0.0.1 ports, nginx in front with sticky sessions (``nginx/atelier.conf.template``), one
PostgreSQL, the scheduled jobs in their own process (``systemd/``). ``running()`` starts the same
thing for one machine without installing anything as a service: ``python -m deploy run``, and the
two-replica test.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx

from workbench.errors import UserError

ROOT = Path(__file__).resolve().parent.parent
SITE_TEMPLATE = Path(__file__).resolve().parent / "nginx" / "atelier.conf.template"
HEALTH = "/_stcore/health"
ROUTE_COOKIE = "atelier_route"


def nginx_path() -> str | None:
    """Debian's nginx (in /usr/sbin, which a user's PATH may lack), or None when not installed."""
    found = shutil.which("nginx") or "/usr/sbin/nginx"
    return found if Path(found).exists() else None


def nginx_site(servers: Sequence[str], listen: str, access_log: str = "/var/log/nginx/atelier.log") -> str:
    """The http-level nginx file for the app processes at ``servers`` (``host:port``)."""
    if not servers:
        raise UserError("Indiquez au moins un processus de l’application (--server 127.0.0.1:8501).")
    lines = "\n".join(f"    server {server} max_fails=3 fail_timeout=10s;" for server in servers)
    values = {"ATELIER_LISTEN": listen, "ATELIER_SERVERS": lines, "ATELIER_ACCESS_LOG": access_log}
    # Only the ${ATELIER_…} placeholders: every other $name is nginx's own variable.
    return re.sub(r"\$\{(ATELIER_[A-Z_]+)\}", lambda m: values[m.group(1)], SITE_TEMPLATE.read_text())


def nginx_main(site: Path, run_dir: Path) -> str:
    """A whole nginx.conf for a private nginx (no root, nothing under /etc or /var) serving ``site``."""
    return (
        f"pid {run_dir / 'nginx.pid'};\n"
        f"error_log {run_dir / 'error.log'} warn;\n"
        "worker_processes 1;\n"
        "events { worker_connections 1024; }\n"
        "http {\n"
        + "".join(
            f"    {kind}_temp_path {run_dir / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        + f"    include {site};\n"
        "}\n"
    )


def streamlit_command(port: int, address: str = "127.0.0.1") -> list[str]:
    """One app process, as production runs it (``serve.py``: the app and its login cookie routes)."""
    return [
        sys.executable,
        "-m",
        "streamlit",
        "run",
        "serve.py",
        "--server.port",
        str(port),
        "--server.address",
        address,
        "--server.headless",
        "true",
        "--browser.gatherUsageStats",
        "false",
        "--server.fileWatcherType",
        "none",
    ]


def wait_healthy(url: str, proc: subprocess.Popen, log: Path, timeout: float = 90) -> None:
    """Return once ``url`` answers Streamlit's health check; fail with the log's end if it never does."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            if httpx.get(url + HEALTH, timeout=2).status_code == 200:
                return
        except httpx.HTTPError:
            pass
        if proc.poll() is not None:
            break
        time.sleep(0.3)
    raise RuntimeError(f"{proc.args[:4]} did not answer on {url}:\n{log.read_text()[-3000:]}")


def stop(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


@dataclass(frozen=True)
class Stack:
    """What ``running()`` started: the proxy's address, the app processes' and nginx's access log."""

    url: str
    replicas: tuple[str, ...]
    access_log: Path


def _start(cmd: list[str], log: Path, env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=log.open("wb"), stderr=subprocess.STDOUT)


@contextmanager
def running(
    replica_ports: Sequence[int], port: int, run_dir: Path, env: dict[str, str] | None = None
) -> Iterator[Stack]:
    """App processes on 127.0.0.1 at ``replica_ports``, nginx on ``port``; all stopped on leaving.
    The processes share ``env``'s database (PostgreSQL) and data folder (the secret key)."""
    nginx = nginx_path()
    if nginx is None:
        raise UserError("nginx est introuvable\u00a0: installez-le (Debian\u00a0: apt-get install nginx).")
    env = {**os.environ, **(env or {})}
    env.setdefault("ATELIER_PROXY_HOPS", "1")  # nginx appends the visitor to X-Forwarded-For
    # Streamlit signs its own cookies with a key drawn per process unless given: one for all of them.
    env.setdefault("STREAMLIT_SERVER_COOKIE_SECRET", secrets.token_urlsafe(32))
    run_dir.mkdir(parents=True, exist_ok=True)
    ports = list(replica_ports)
    urls = tuple(f"http://127.0.0.1:{p}" for p in ports)
    site = run_dir / "atelier.conf"
    site.write_text(
        nginx_site([f"127.0.0.1:{p}" for p in ports], f"127.0.0.1:{port}", str(run_dir / "access.log"))
    )
    (run_dir / "nginx.conf").write_text(nginx_main(site, run_dir))
    with ExitStack() as stack:
        procs = []
        for replica_port in ports:
            log = run_dir / f"replica-{replica_port}.log"
            proc = _start(streamlit_command(replica_port), log, env)
            stack.callback(stop, proc)
            procs.append((proc, log))
        for url, (proc, log) in zip(urls, procs, strict=True):
            wait_healthy(url, proc, log)
        log = run_dir / "nginx.log"
        conf = ["-p", str(run_dir), "-c", str(run_dir / "nginx.conf"), "-e", str(run_dir / "error.log")]
        proxy = _start([nginx, *conf, "-g", "daemon off;"], log, env)
        stack.callback(stop, proxy)
        stack_url = f"http://127.0.0.1:{port}"
        wait_healthy(stack_url, proxy, run_dir / "error.log", timeout=20)
        yield Stack(stack_url, urls, run_dir / "access.log")
