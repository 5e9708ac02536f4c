"""The command line alone on a fresh install: every command on an empty database, the CLI's
sources taken over by the first account, accounts, cohorts and digest lists from the command line,
French help with no English word of argparse left."""

from __future__ import annotations

import argparse
import io
import json
import subprocess
import sys
from pathlib import Path

import pytest

from curation.cli import build_parser as curation_parser
from curation.cli import main
from tests.apptest import run_page
from tests.feedserver import FeedServer
from training_modules.__main__ import build_parser as training_parser
from workbench.__main__ import build_parser as workbench_parser
from workbench.__main__ import main as workbench_main
from workbench.access import Actor
from workbench.accounts import create_first_trainer, has_any_user
from workbench.db import session_scope
from workbench.models import User

ROOT = Path(__file__).resolve().parent.parent
ENGLISH = ("usage:", "options:", "show this help", "positional arguments", "error:", "the following")


def french_opml(server: FeedServer) -> bytes:
    blog = server.add_file("/blog.xml", "rss20_good.xml")
    atom = server.add_file("/atom.xml", "atom_good.xml")
    return f"""<?xml version="1.0"?><opml version="2.0"><head><title>Client</title></head><body>
    <outline text="Veille"><outline text="Blog" xmlUrl="{blog}"/><outline text="Atom" xmlUrl="{atom}"/></outline>
    </body></opml>""".encode()


def last_json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "communauté"],
        ["stories"],
        ["digest", "--format", "md"],
        ["digest", "--send"],
        ["digest", "lists", "list"],
        ["rules", "list"],
        ["rules", "apply"],
        ["alerts", "send"],
        ["export-opml", "-o", "OUT"],
    ],
)
def test_each_command_works_on_an_empty_database(argv, db_url, tmp_path, capsys) -> None:
    argv = [str(tmp_path / "out.opml") if a == "OUT" else a for a in argv]
    assert main([*argv, "--db", db_url, "--json"]) == 0, capsys.readouterr().err
    out = last_json(capsys)
    assert "Plusieurs comptes" not in json.dumps(out)
    with session_scope(db_url) as s:
        assert not has_any_user(s)  # the CLI's owner is not an account: the app still asks for one


def test_refresh_on_an_empty_database_says_how_to_add_feeds(db_url, capsys) -> None:
    assert main(["refresh", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "0 flux actualisés" in out and "--opml" in out and "Sources" in out
    assert main(["refresh", "--db", db_url, "--json"]) == 0
    assert "--opml" in last_json(capsys)["hint"]


def test_digest_without_any_list_uses_every_source_and_says_so(db_url, feed_server, tmp_path, capsys) -> None:
    opml = tmp_path / "flux.opml"
    opml.write_bytes(french_opml(feed_server))
    assert main(["refresh", "--opml", str(opml), "--db", db_url]) == 0
    capsys.readouterr()
    assert main(["digest", "--format", "md", "--db", db_url, "--json"]) == 0
    captured = capsys.readouterr()
    assert "toutes les sources" in captured.err
    assert "Modérer sans censurer" in captured.out
    result = json.loads(captured.out.strip().splitlines()[-1])
    assert result["every_source"] is True and result["items"] >= 3


def test_digest_on_an_empty_database_says_how_to_add_feeds_not_which_list(db_url, capsys) -> None:
    """Without any list nor feed, it said « Cette liste n’a aucune source » (there is no list) and
    pointed at the app's pages and list settings to someone using the command line."""
    assert main(["digest", "--format", "md", "--db", db_url]) == 0
    err = capsys.readouterr().err
    assert "Cette liste" not in err and "Aucune source suivie" in err and "--opml" in err, err


def test_cli_sources_without_account_then_the_first_account_takes_them_over(
    db_url, feed_server, tmp_path, capsys
) -> None:
    opml = tmp_path / "flux.opml"
    opml.write_bytes(french_opml(feed_server))
    assert main(["refresh", "--opml", str(opml), "--db", db_url]) == 0
    assert main(["search", "charte", "--db", db_url, "--json"]) == 0
    assert last_json(capsys)["count"] >= 1
    assert main(["digest", "lists", "add", "Client", "--to", "client@example.org", "--db", db_url]) == 0
    with session_scope(db_url) as s:  # the app's first visit: the first trainer
        trainer = Actor.of(
            create_first_trainer(s, email="cm@example.fr", display_name="Camille", password="motdepasse-1")
        )
    with session_scope(db_url) as s:
        assert s.query(User).count() == 1  # the CLI's owner became this account: nothing left behind
    assert main(["search", "charte", "--user", "cm@example.fr", "--db", db_url, "--json"]) == 0
    assert last_json(capsys)["count"] >= 1
    assert main(["digest", "lists", "list", "--user", "cm@example.fr", "--db", db_url, "--json"]) == 0
    lists = last_json(capsys)["lists"]
    assert [(x["name"], x["addresses"]) for x in lists] == [("Client", ["client@example.org"])]
    assert main(["export-opml", "--user", trainer.email, "-o", str(tmp_path / "x.opml"), "--db", db_url]) == 0
    assert b"/blog.xml" in (tmp_path / "x.opml").read_bytes()


def test_the_apps_first_trainer_is_offered_and_takes_over_what_the_cli_made(
    db_url, feed_server, tmp_path, capsys
) -> None:
    opml = tmp_path / "flux.opml"
    opml.write_bytes(french_opml(feed_server))
    assert main(["import-opml", str(opml), "--db", db_url]) == 0
    at = run_page("app.py")
    assert not at.exception
    assert "ligne de commande" in at.info[0].value and "reprend" in at.info[0].value
    for field, value in zip(at.text_input, ["Camille", "cm@example.fr", "atelier-2026"], strict=True):
        field.input(value)
    at.button[0].click().run()
    assert not at.exception and at.title[0].value == "Bonjour Camille"
    capsys.readouterr()
    assert main(["export-opml", "--db", db_url]) == 0  # the only account: no --user needed
    assert "/blog.xml" in capsys.readouterr().out


def test_feeds_stored_without_anyone_become_the_only_accounts(db_url, capsys) -> None:
    """An older version stored the feeds of ``import-opml`` without --user for nobody."""
    from curation.feeds import get_or_create_feed

    with session_scope(db_url) as s:
        get_or_create_feed(s, "https://blog-cm.example.fr/feed.xml")
        create_first_trainer(s, email="cm@example.fr", display_name="Camille", password="motdepasse-1")
    assert main(["export-opml", "--db", db_url]) == 0
    assert "blog-cm.example.fr/feed.xml" in capsys.readouterr().out


def test_account_and_cohort_from_the_command_line(db_url, feed_server, tmp_path, capsys, monkeypatch) -> None:
    opml = tmp_path / "flux.opml"
    opml.write_bytes(french_opml(feed_server))
    assert main(["import-opml", str(opml), "--db", db_url]) == 0
    capsys.readouterr()
    monkeypatch.setattr(sys, "stdin", io.StringIO("motdepasse-fort-1\n"))
    argv = ["account", "add", "--email", "Cam@Example.fr", "--name", "Camille", "--password-stdin"]
    assert workbench_main([*argv, "--role", "trainer", "--db", db_url, "--json"]) == 0
    account = last_json(capsys)
    assert account["email"] == "cam@example.fr" and account["role"] == "trainer" and account["took_over_cli"]
    assert workbench_main(["cohort", "add", "--name", "Promo 2027", "--db", db_url, "--json"]) == 0
    cohort = last_json(capsys)
    assert len(cohort["join_code"]) == 8 and cohort["trainer"] == "cam@example.fr"
    monkeypatch.setattr(sys, "stdin", io.StringIO("motdepasse-fort-2\n"))
    argv = ["account", "add", "--email", "lea@example.fr", "--name", "Léa", "--password-stdin"]
    assert workbench_main([*argv, "--role", "trainee", "--cohort", cohort["join_code"], "--db", db_url]) == 0
    assert "stagiaire" in capsys.readouterr().out
    assert main(["stories", "--db", db_url]) == 1  # two accounts now: who?
    assert "--user" in capsys.readouterr().err
    assert main(["export-opml", "--user", "cam@example.fr", "--db", db_url]) == 0
    assert "/blog.xml" in capsys.readouterr().out  # imported before the account: now theirs
    monkeypatch.setattr(sys, "stdin", io.StringIO("court\n"))
    assert workbench_main([*argv[:3], "x@example.fr", *argv[4:], "--db", db_url]) == 1
    assert "10 caractères" in capsys.readouterr().err


def test_digest_lists_add_list_remove(db_url, feed_server, tmp_path, capsys) -> None:
    opml = tmp_path / "flux.opml"
    opml.write_bytes(french_opml(feed_server))
    assert main(["import-opml", str(opml), "--db", db_url]) == 0
    base = ["digest", "lists", "add", "--db", db_url]
    assert main([*base, "Client", "--to", "a@client.fr", "--to", "b@client.fr", "--folder", "Veille"]) == 0
    assert (
        main([*base, "Matin", "--to", "c@client.fr", "--hour", "6", "--language", "original", "--json"]) == 0
    )
    capsys.readouterr()
    assert main([*base, "Faux", "--to", "c@client.fr", "--folder", "Inconnu"]) == 1
    assert "Dossier inconnu" in capsys.readouterr().err
    assert main([*base, "Heure", "--to", "c@client.fr", "--hour", "25"]) == 1
    assert "entre 0 et 23" in capsys.readouterr().err
    assert main(["digest", "lists", "list", "--db", db_url, "--json"]) == 0
    lists = {x["name"]: x for x in last_json(capsys)["lists"]}
    assert lists["Client"]["recipients"] == 2 and lists["Client"]["sources"]["folders"] == ["Veille"]
    assert (lists["Matin"]["hour"], lists["Matin"]["language"]) == (6, "original")
    assert main(["digest", "lists", "remove", "Matin", "--db", db_url]) == 0
    assert main(["digest", "lists", "remove", "Matin", "--db", db_url]) == 1
    assert main(["digest", "lists", "list", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "Client" in out and "Matin :" not in out


def _parsers(parser: argparse.ArgumentParser, argv: list[str]):
    yield argv, parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for name, child in action.choices.items():
                yield from _parsers(child, [*argv, name])


@pytest.mark.parametrize(
    "build", [curation_parser, workbench_parser, training_parser], ids=["curation", "workbench", "training"]
)
def test_every_help_and_usage_error_is_french(build, capsys) -> None:
    seen = 0
    for argv, parser in _parsers(build(), []):
        with pytest.raises(SystemExit) as done:
            parser.parse_args(["--help"])
        assert done.value.code == 0
        with pytest.raises(SystemExit) as done:
            parser.parse_args(["--inconnue"])
        assert done.value.code == 2
        captured = capsys.readouterr()
        text = captured.out + captured.err
        assert "utilisation\u00a0:" in text and "afficher cette aide" in text and "erreur\u00a0:" in text
        left = [word for word in ENGLISH if word in text]
        assert not left, f"{' '.join(argv)}: {left}"
        if not any(isinstance(a, argparse._SubParsersAction) for a in parser._actions) or argv == ["digest"]:
            assert "--json" in parser._option_string_actions, f"{' '.join(argv)}: no --json"
        seen += 1
    assert seen >= 2


def test_module_help_is_french_from_a_shell() -> None:
    for module in ("workbench", "curation", "training_modules"):
        done = subprocess.run(
            [sys.executable, "-m", module, "--help"], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert done.returncode == 0 and "utilisation\u00a0:" in done.stdout
        assert not [w for w in ENGLISH if w in done.stdout]
        bad = subprocess.run(
            [sys.executable, "-m", module, "inconnue"], cwd=ROOT, capture_output=True, text=True, timeout=60
        )
        assert bad.returncode == 2 and "choix invalide" in bad.stderr and "error" not in bad.stderr
