"""``python -m curation rules list / rules apply / alerts send``."""

from __future__ import annotations

import json

from curation.cli import main
from curation.monitoring import rules as R
from curation.monitoring.models import Alert
from tests.monitoring_factory import store, subscribe
from tests.smtp_sink import smtp_sink_fixture  # noqa: F401 - the smtp_sink fixture
from workbench.db import session_scope, utcnow


def test_rules_list_and_apply(people, db_url, capsys) -> None:
    feed = subscribe(people.alice, "https://journal.example.fr/rss")
    store(feed, [{"title": "Orange en panne"}, {"title": "Un jus d’orange"}, {"title": "SFR"}])
    with session_scope() as s:
        rule = R.create_rule(
            s, people.alice, name="Orange", query="orange -jus", actions=R.RuleActions(mark_read=True)
        )
    assert main(["rules", "list", "--user", "alice@example.fr", "--db", db_url, "--json"]) == 0
    listed = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert listed["rules"][0]["query"] == "orange -jus" and listed["rules"][0]["matches"] == 0
    assert main(["rules", "apply", "--user", "alice@example.fr", "--db", db_url, "--json"]) == 0
    applied = json.loads(capsys.readouterr().out.strip().splitlines()[-1])
    assert applied == {"rules": [{"id": rule.id, "name": "Orange", "matched": 1, "new": 1}]}
    assert main(["rules", "apply", "--user", "alice@example.fr", "--rule", "999", "--db", db_url]) == 1
    assert "Règle introuvable" in capsys.readouterr().err
    assert main(["rules", "apply", "--db", db_url]) == 1  # several accounts: --user is needed
    assert "--user" in capsys.readouterr().err


def test_alerts_send_retries_failed(people, db_url, smtp_sink, capsys) -> None:
    with session_scope() as s:
        s.add(
            Alert(
                user_id=people.alice.id,
                subject="watch:1",
                kind="volume",
                title="Orange\u00a0: 5 mentions",
                message="5 mentions",
                period_start=utcnow(),
                email_status="failed",
            )
        )
    assert main(["alerts", "send", "--db", db_url]) == 0
    assert "0 e-mail(s) d’alerte envoyé(s), 1 en échec." in capsys.readouterr().out
    assert main(["alerts", "send", "--retry-failed", "--db", db_url]) == 0
    assert "1 e-mail(s) d’alerte envoyé(s), 0 en échec." in capsys.readouterr().out
    assert len(smtp_sink.messages) == 1 and smtp_sink.messages[0]["To"] == "alice@example.fr"
