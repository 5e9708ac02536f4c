"""``python -m curation refresh / import-opml / export-opml``: exit codes, --json, French errors."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from curation.cli import main
from tests.feedserver import FeedServer, Route

ROOT = Path(__file__).resolve().parent.parent


def local_opml(server: FeedServer) -> bytes:
    ok = server.add_file("/ok.xml", "rss20_good.xml", etag='"a"')
    atom = server.add_file("/atom.xml", "atom_good.xml")
    broken = server.add("/broken.xml", Route(status=500))
    return f"""<?xml version="1.0"?><opml version="2.0"><head><title>Local</title></head><body>
    <outline text="Veille"><outline text="OK" xmlUrl="{ok}"/><outline text="Atom" xmlUrl="{atom}"/></outline>
    <outline text="Cassé" xmlUrl="{broken}"/></body></opml>""".encode()


def test_refresh_with_opml_json_and_failures_listed(
    db_url, feed_server: FeedServer, tmp_path, capsys
) -> None:
    opml = tmp_path / "local.opml"
    opml.write_bytes(local_opml(feed_server))
    code = main(["refresh", "--opml", str(opml), "--db", db_url, "--allow-private-networks", "--json"])
    result = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert code == 0
    assert {k: result[k] for k in ("feeds", "entries_total", "new_entries", "errors")} == {
        "feeds": 3,
        "entries_total": 5,
        "new_entries": 5,
        "errors": 1,
    }
    assert result["refresh_s"] > 0 and "en panne" in result["failed"][0]["error"]
    assert result["failed"][0]["kind"] == "site en panne"
    assert main(["refresh", "--db", db_url, "--all", "--json"]) == 0
    again = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert again["new_entries"] == 0 and again["entries_total"] == 5


def test_import_then_export(people, db_url, tmp_path, capsys) -> None:
    source = Path(__file__).resolve().parent / "fixtures" / "opml" / "feedly.opml"
    assert main(["import-opml", str(source), "--db", db_url, "--user", "alice@example.fr", "--json"]) == 0
    assert json.loads(capsys.readouterr().out.strip().splitlines()[-1])["added"] == 3
    out = tmp_path / "export.opml"
    assert main(["export-opml", "--db", db_url, "--user", "alice@example.fr", "-o", str(out)]) == 0
    assert b"Community management" in out.read_bytes() and b"blogdumoderateur" in out.read_bytes()


def test_user_errors_are_french_and_exit_non_zero(people, db_url, tmp_path, capsys) -> None:
    broken = Path(__file__).resolve().parent / "fixtures" / "opml" / "broken.opml"
    assert main(["import-opml", str(broken), "--db", db_url, "--user", "alice@example.fr"]) == 1
    assert "rien n’a été importé" in capsys.readouterr().err
    assert main(["import-opml", str(broken), "--db", db_url]) == 1
    assert "--user" in capsys.readouterr().err  # several accounts: who?
    assert main(["import-opml", str(tmp_path / "absent.opml"), "--db", db_url]) == 1
    assert "Impossible de lire" in capsys.readouterr().err


def test_module_entry_point_runs(tmp_path) -> None:
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    done = subprocess.run(
        [sys.executable, "-m", "curation", "refresh", "--db", db, "--json"],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout.strip().splitlines()[-1])["feeds"] == 0


def test_failing_feeds_wait_unless_retried_one_or_all(
    db_url, feed_server: FeedServer, tmp_path, capsys
) -> None:
    opml = tmp_path / "local.opml"
    opml.write_bytes(local_opml(feed_server))
    assert main(["refresh", "--opml", str(opml), "--db", db_url, "--allow-private-networks", "--json"]) == 0

    def run(*args: str) -> dict:
        assert main(["refresh", "--db", db_url, "--allow-private-networks", "--json", *args]) == 0
        return json.loads(capsys.readouterr().out.strip().splitlines()[-1])

    forced = run("--all")
    assert forced["feeds"] == 2 and forced["backing_off"] == 1 and feed_server.hits["/broken.xml"] == 1
    assert main(["refresh", "--db", db_url, "--allow-private-networks", "--all"]) == 0
    assert (
        "1 flux en erreur attend son prochain essai\u00a0: --retry-errors pour le réessayer"
        in capsys.readouterr().out
    )
    retried = run("--retry-errors")
    assert retried["feeds"] == 1 and retried["errors"] == 1 and feed_server.hits["/broken.xml"] == 2
    assert (
        run("--retry", feed_server.url("/broken.xml"))["feeds"] == 1 and feed_server.hits["/broken.xml"] == 3
    )
    assert feed_server.hits["/ok.xml"] == 3
    assert main(["refresh", "--db", db_url, "--retry", "https://inconnu.example/feed"]) == 1
    assert "Flux inconnu\u00a0: https://inconnu.example/feed" in capsys.readouterr().err
