"""``python -m curation translate``: stdin → stdout, French errors on stderr, exit codes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.libre_fake import FakeLibreServer

ROOT = Path(__file__).resolve().parent.parent


def _cli(*args: str, stdin: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "curation", "translate", *args],
        input=stdin,
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, **(env or {})},
        timeout=60,
    )


def test_translates_stdin_and_remembers(db_url) -> None:
    with FakeLibreServer() as libre:
        env: dict[str, str] = {}
        text = "Hello world\n\nOur reach grew, thanks @alice #cm 🎉\n"
        done = _cli(
            "--from",
            "en",
            "--provider",
            "libre",
            "--provider-url",
            libre.url,
            "--allow-private-networks",
            stdin=text,
            env=env,
        )
        assert done.returncode == 0, done.stderr
        assert done.stdout == "Bonjour monde\n\nNotre portée a augmenté, merci @alice #cm 🎉\n"
        assert libre.calls == 1
        again = _cli(
            "--from",
            "en",
            "--provider",
            "libre",
            "--provider-url",
            libre.url,
            "--allow-private-networks",
            stdin=text,
            env=env,
        )
        assert again.stdout == done.stdout and libre.calls == 1


def test_failures_exit_non_zero_with_french_message(db_url) -> None:
    with FakeLibreServer() as libre:
        libre.always_fail = True
        env = {"ATELIER_ALLOW_PRIVATE_NETWORKS": "1", "ATELIER_TRANSLATION_RETRIES": "0"}
        done = _cli("--provider", "libre", "--provider-url", libre.url, stdin="Hello", env=env)
    assert done.returncode == 1 and done.stdout == ""
    assert "LibreTranslate est momentanément indisponible" in done.stderr
    assert "Traceback" not in done.stderr
    empty = _cli(stdin="  \n")
    assert empty.returncode == 2 and "Rien à traduire" in empty.stderr
    missing_url = _cli("--provider", "libre", stdin="Hello")
    assert missing_url.returncode == 1 and "adresse de votre serveur" in missing_url.stderr
