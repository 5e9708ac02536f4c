"""``python -m curation search | stories | extract`` in-process, with --json for scripts."""

from __future__ import annotations

import io
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import select

from curation.cli import main
from curation.models import Entry
from curation.stories import group_new_entries
from tests.entry_factory import add_entry, add_feed
from tests.feedserver import Route
from tests.test_stories import REWORDED, STORY
from workbench.db import session_scope

FIXTURES = Path(__file__).parent / "fixtures" / "extract"
T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)


def _last_json(out: str) -> dict:
    return json.loads(out.strip().splitlines()[-1])


def test_search_and_stories(db_url, people, capsys):
    with session_scope() as s:
        a = add_feed(s, "Média A", user_id=people.alice.id)
        b = add_feed(s, "Média B", user_id=people.alice.id)
        add_entry(s, a, "TikTok interdit les moins de 15 ans en Australie", STORY, published=T0)
        add_entry(s, b, "TikTok bloque les moins de 15 ans", REWORDED, published=T0 + timedelta(hours=1))
        ids = list(s.scalars(select(Entry.id)))
    with session_scope() as s:
        group_new_entries(s, ids)
    assert (
        main(["search", "régulateurs australiens", "--user", "alice@example.fr", "--json", "--db", db_url])
        == 0
    )
    found = _last_json(capsys.readouterr().out)
    assert found["count"] == 2 and {r["source"] for r in found["results"]} == {"Média A", "Média B"}
    assert main(["stories", "--user", "alice@example.fr", "--json", "--db", db_url]) == 0
    stories = _last_json(capsys.readouterr().out)
    assert stories["count"] == 1 and stories["stories"][0]["source_count"] == 2
    assert all(src["link"].startswith("https://") for src in stories["stories"][0]["sources"])
    assert main(["stories", "--user", "alice@example.fr", "--db", db_url]) == 0
    assert "2\u00a0sources" in capsys.readouterr().out
    assert main(["search", "introuvable", "--user", "bob@example.fr", "--db", db_url]) == 0
    assert "Aucun article" in capsys.readouterr().out
    assert main(["search", "tiktok", "--db", db_url]) == 1  # several accounts: --user needed
    assert "--user" in capsys.readouterr().err


def test_extract_from_stdin_and_url(db_url, capsys, monkeypatch, feed_server):
    page = (FIXTURES / "news_jsonld.html").read_bytes()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(page)))
    assert main(["extract", "--stdin", "--url", "https://depeche.example/a", "--json", "--db", db_url]) == 0
    data = _last_json(capsys.readouterr().out)
    assert data["site_name"] == "La Dépêche Tech" and "registre des décisions" in data["text"]
    assert data["top_image"] == "https://depeche.example/images/moderation.jpg"
    url = feed_server.add("/article", Route(body=page, content_type="text/html; charset=utf-8"))
    assert main(["extract", url, "--text", "--db", db_url]) == 0
    out = capsys.readouterr().out
    assert "vingt-quatre heures" in out and "cookies" not in out
    assert main(["extract", "--db", db_url]) == 1
    assert "--stdin" in capsys.readouterr().err


def test_stories_json_gives_every_group_unless_limited(db_url, people, capsys):
    """Issue 20: the JSON listing stopped at 50 groups without saying so."""
    with session_scope() as s:
        a = add_feed(s, "Média A", user_id=people.alice.id)
        b = add_feed(s, "Média B", user_id=people.alice.id)
        for n in range(60):
            first = add_entry(
                s, a, f"Sujet {n}", published=T0 + timedelta(minutes=n), link=f"https://a.example/{n}"
            )
            first.story_id = first.id
            add_entry(
                s,
                b,
                f"Sujet {n} repris",
                published=T0 + timedelta(minutes=n, seconds=30),
                link=f"https://b.example/{n}",
                story_id=first.id,
            )
    assert main(["stories", "--user", "alice@example.fr", "--json", "--db", db_url]) == 0
    every = _last_json(capsys.readouterr().out)
    assert every["count"] == len(every["stories"]) == 60
    assert all(
        {src["link"] for src in story["sources"]} == {f"https://a.example/{n}", f"https://b.example/{n}"}
        for story in every["stories"]
        for n in [int(story["sources"][0]["title"].split()[1])]
    )
    assert main(["stories", "--user", "alice@example.fr", "--json", "--limit", "5", "--db", db_url]) == 0
    assert _last_json(capsys.readouterr().out)["count"] == 5
