"""The README's cron example, run as written on a copy of the repository: an OPML file of local
feeds, a local SMTP server, an empty database, nothing else — and the client receives the digest.

The copy holds what a clone would (the files git knows, no ``data/``, no secrets, no ``.venv``).
Three things differ from a real machine, each said where it happens: the install step links the
test's own virtual environment instead of downloading the requirements; the SMTP settings and
the crontab's directory point at the local servers and the copy; the list's hour is 0 (the test
does not choose the time of day).
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from tests.feedserver import FeedServer
from tests.smtpserver import smtp_server

ROOT = Path(__file__).resolve().parent.parent


def readme_blocks() -> tuple[list[str], list[str]]:
    """The one-time commands and the crontab of the README's « A client's daily digest from cron »."""
    section = (ROOT / "README.md").read_text().split("### A client's daily digest from cron", 1)[1]
    setup = re.search(r"```bash\n(.*?)```", section, re.DOTALL).group(1)
    crontab = re.search(r"```cron\n(.*?)```", section, re.DOTALL).group(1)
    return setup.strip().splitlines(), crontab.strip().splitlines()


def fresh_copy(target: Path) -> Path:
    listed = subprocess.run(
        ["git", "ls-files", "--cached", "--others", "--exclude-standard", "-z"],
        cwd=ROOT,
        capture_output=True,
        check=True,
    ).stdout.split(b"\0")
    for name in filter(None, (n.decode() for n in listed)):
        source = ROOT / name
        if source.is_file():
            (target / name).parent.mkdir(parents=True, exist_ok=True)
            (target / name).write_bytes(source.read_bytes())
    return target


def test_the_readme_cron_example_sends_the_client_its_digest(feed_server: FeedServer, tmp_path) -> None:
    setup, crontab = readme_blocks()
    clone = fresh_copy(tmp_path / "atelier")
    assert (
        not (clone / "data" / "atelier.db").exists() and not (clone / ".streamlit" / "secrets.toml").exists()
    )
    blog = feed_server.add_file("/blog.xml", "rss20_good.xml")
    atom = feed_server.add_file("/atom.xml", "atom_good.xml")
    (clone / "mes-flux.opml").write_text(
        f'<?xml version="1.0"?><opml version="2.0"><head><title>Client</title></head><body>'
        f'<outline text="Blog" xmlUrl="{blog}"/><outline text="Atom" xmlUrl="{atom}"/></body></opml>'
    )
    env = {k: v for k, v in os.environ.items() if not k.startswith("ATELIER_")}
    env |= {
        "ATELIER_ALLOW_PRIVATE_NETWORKS": "1",  # the feeds are on 127.0.0.1
        # Any translation stays on this machine (a closed local port): the test never reaches the internet.
        "ATELIER_TRANSLATION_PROVIDER": "libre",
        "ATELIER_TRANSLATION_PROVIDER_URL": "http://127.0.0.1:9",
        "ATELIER_TRANSLATION_ALLOW_PRIVATE_URL": "1",
    }

    def shell(line: str, extra: dict[str, str] | None = None) -> subprocess.CompletedProcess:
        done = subprocess.run(
            ["sh", "-c", line],
            cwd=clone,
            env=env | (extra or {}),
            capture_output=True,
            text=True,
            timeout=300,
        )
        assert done.returncode == 0, f"{line}\n{done.stdout}\n{done.stderr}"
        return done

    assert setup[0] == "make install"  # the README's install command: here, the test's own environment
    (clone / ".venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    for line in setup[1:]:
        shell(line.replace("--hour 7", "--hour 0"))
    cron_env = dict(line.split("=", 1) for line in crontab if re.match(r"^[A-Z_]+=", line))
    (job,) = [line for line in crontab if not re.match(r"^[A-Z_]+=", line)]
    command = job.split(None, 5)[5].replace("cd /srv/atelier", f"cd {clone}")
    with smtp_server(tmp_path, auth=True) as server:
        local = server.env()
        assert set(cron_env) <= set(local) | {"ATELIER_SMTP_PORT"}
        cron_env = {key: local.get(key, value) for key, value in cron_env.items()} | {
            "ATELIER_SMTP_PORT": str(server.port),
            "ATELIER_SMTP_SECURITY": "none",  # the local server speaks plain SMTP
        }
        shell(command, cron_env)
        received = list(server.received)
        shell(command, cron_env)  # the next hour: already sent today, nothing more
        assert len(server.received) == 1
    (message,) = [r.message for r in received]
    assert message["To"] == "client@example.org" and message["From"] == local["ATELIER_SMTP_SENDER"]
    assert message["List-Unsubscribe"].startswith("<mailto:")
    text = message.get_payload()[0].get_content()
    assert "Modérer sans censurer" in text and "Client" in text
    log = (clone / "data" / "digest.log").read_text()
    assert "1\u00a0envoi réussi" in log
