"""Sending digests to a real SMTP server on 127.0.0.1: message structure, security modes,
once a day, --force, failures recorded and retried, and the CLI."""

from __future__ import annotations

import re
from datetime import timedelta

import feedparser
import lxml.etree as etree
import pytest
from sqlalchemy import select

from curation import boards, pins
from curation.board_models import COHORT
from curation.bundled_images import DEMO_IMAGE_DIR, DEMO_IMAGE_URL
from curation.cli import digest as digest_cli
from curation.cli import main as cli_main
from curation.digest.archive import publish
from curation.digest.compose import build_board_draft
from curation.digest.job import due_lists, run_list
from curation.digest.models import ABANDONED, FAILED, SENT, SKIPPED, Delivery
from curation.digest.send import MAX_ATTEMPTS, SmtpNotConfigured, deliver_pending
from curation.pins import PinData
from tests.digest_data import NOW, cohort_world
from tests.smtpserver import free_port, smtp_server
from workbench.accounts import update_profile
from workbench.db import session_scope
from workbench.settings import get_settings


def use_smtp(monkeypatch, env: dict[str, str]) -> None:
    for key, value in ({"ATELIER_SMTP_SENDER": "Atelier CM <veille@example.org>"} | env).items():
        monkeypatch.setenv(key, value)
    get_settings.cache_clear()


def deliveries() -> list[tuple[str, str, int, str]]:
    with session_scope() as s:
        rows = s.scalars(select(Delivery).order_by(Delivery.id)).all()
        return [(d.email, d.status, d.attempts, d.error) for d in rows]


@pytest.mark.parametrize(
    ("security", "auth"), [("none", False), ("none", True), ("starttls", True), ("ssl", True)]
)
def test_digest_reaches_the_server_as_multipart_alternative(
    db_url, people, monkeypatch, tmp_path, security, auth
):
    cohort_world(people, db_url, translate=False, addresses=["client@example.org"])
    with smtp_server(tmp_path, security=security, auth=auth) as server:
        use_smtp(monkeypatch, server.env())
        outcome = run_list("Promo CM 2026", now=NOW)
        assert outcome.status == "sent", outcome.message
        received = list(server.received)
    assert sorted(r.rcpt_tos[0] for r in received) == [
        "alice@example.fr",
        "bob@example.fr",
        "client@example.org",
    ]
    assert all(len(r.rcpt_tos) == 1 for r in received)  # one message each: nobody sees the others
    msg = received[0].message
    assert msg["Subject"] == "Revue de veille du samedi 21 novembre 2026"
    received[0].data.split(b"\r\n\r\n")[0].decode("ascii")  # headers are 7-bit: non-ASCII is encoded
    assert msg["From"] == "Atelier CM <veille@example.org>" and msg["Message-ID"]
    assert msg.get_content_type() == "multipart/alternative"
    text_part, html_part = msg.get_payload()
    assert text_part.get_content_type() == "text/plain" and html_part.get_content_type() == "text/html"
    assert text_part.get_content_charset() == "utf-8"
    assert text_part["Content-Transfer-Encoding"] in {"quoted-printable", "base64", "8bit"}
    text, html = text_part.get_content(), html_part.get_content()
    assert "Instagram et l’engagement des marques" in text and "Instagram et l’engagement des marques" in html
    etree.fromstring(html.encode("utf-8"))  # well-formed
    assert len(html.encode("utf-8")) < 100_000
    links = re.findall(r'href="([^"]+)"', html)
    assert links and all(link.startswith("http") for link in links)
    assert any(link.startswith("https://news.example/") for link in links)
    assert "https://news.example/" in text
    assert deliveries() and all(status == SENT for _, status, _, _ in deliveries())


def test_twice_the_same_day_sends_once_and_force_sends_again(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False)
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        assert run_list("Promo CM 2026", now=NOW).status == "sent"
        second = run_list("Promo CM 2026", now=NOW + timedelta(hours=3))
        assert second.status == "already_sent" and "--force" in second.message
        assert len(server.received) == 2
        forced = run_list("Promo CM 2026", now=NOW + timedelta(hours=3), force=True)
        assert forced.status == "sent" and forced.digest.revision == 1
        assert len(server.received) == 4
        assert run_list("Promo CM 2026", now=NOW + timedelta(days=1)).status == "sent"  # the next day
        assert len(server.received) == 6


def test_server_down_is_recorded_then_retried_at_the_next_run(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False)
    port = free_port()  # nothing listens there
    use_smtp(monkeypatch, {"ATELIER_SMTP_HOST": "127.0.0.1", "ATELIER_SMTP_PORT": str(port),
                           "ATELIER_SMTP_SECURITY": "none", "ATELIER_SMTP_TIMEOUT_S": "2"})  # fmt: skip
    outcome = run_list("Promo CM 2026", now=NOW)
    assert outcome.report.failed == 2 and outcome.report.sent == 0
    rows = deliveries()
    assert {status for _, status, _, _ in rows} == {FAILED}
    assert all(attempts == 1 for _, _, attempts, _ in rows)
    assert "injoignable" in rows[0][3] and f"127.0.0.1:{port}" in rows[0][3]
    # The cron run comes the same day, whatever the clock says.
    monkeypatch.setattr(digest_cli, "utcnow", lambda: NOW)
    assert cli_main(["digest", "--list", "Promo CM 2026", "--send"]) == 1  # cron sees the failure
    with smtp_server(tmp_path, security="none") as server:
        server_env = server.env() | {"ATELIER_SMTP_PORT": str(server.port)}
        use_smtp(monkeypatch, server_env)
        retried = run_list("Promo CM 2026", now=NOW + timedelta(hours=1))
        assert retried.status == "retried" and retried.report.sent == 2
        assert len(server.received) == 2  # the same digest, not a new one
    assert {status for _, status, _, _ in deliveries()} == {SENT}


def test_the_hourly_cron_line_retries_what_failed_earlier_the_same_day(
    db_url, people, monkeypatch, tmp_path, capsys
):
    """``digest --send`` without --list (deploy/cron): a list whose digest went out today with a
    failed delivery is due again for its retries, not only the next day beside a second digest."""
    cohort_world(people, db_url, translate=False, schedule_hour=7)
    use_smtp(monkeypatch, {"ATELIER_SMTP_HOST": "127.0.0.1", "ATELIER_SMTP_PORT": str(free_port()),
                           "ATELIER_SMTP_SECURITY": "none", "ATELIER_SMTP_TIMEOUT_S": "2"})  # fmt: skip
    monkeypatch.setattr(digest_cli, "utcnow", lambda: NOW)
    assert cli_main(["digest", "--send"]) == 1
    assert {status for _, status, _, _ in deliveries()} == {FAILED}
    capsys.readouterr()
    monkeypatch.setattr(digest_cli, "utcnow", lambda: NOW + timedelta(hours=1))
    with smtp_server(tmp_path, security="none") as server:
        use_smtp(monkeypatch, server.env())
        assert cli_main(["digest", "--send"]) == 0
        assert len(server.received) == 2  # the morning's digest, once each
    assert {status for _, status, _, _ in deliveries()} == {SENT}
    out = capsys.readouterr().out
    assert "Aucune liste à envoyer" not in out and "2\u00a0envois réussis" in out, out


@pytest.mark.parametrize(
    ("host", "words"),
    [("127.0.0.1", "connexion refusée"), ("smtp.invalid", "nom de serveur inconnu")],
)
def test_an_unreachable_server_is_explained_in_french(db_url, people, monkeypatch, host, words):
    """The system's reason (« Connection refused », « Name or service not known ») reached the
    trainer's page and the cron log in English."""
    cohort_world(people, db_url, translate=False)
    use_smtp(monkeypatch, {"ATELIER_SMTP_HOST": host, "ATELIER_SMTP_PORT": str(free_port()),
                           "ATELIER_SMTP_SECURITY": "none", "ATELIER_SMTP_TIMEOUT_S": "2"})  # fmt: skip
    outcome = run_list("Promo CM 2026", now=NOW)
    error = deliveries()[0][3]
    assert words in error and words in outcome.message, error
    assert not re.search(r"Connection|refused|Name|known|Errno", error), error


def test_the_cron_log_says_when_the_translation_service_was_unreachable(
    db_url, people, monkeypatch, tmp_path, capsys
):
    """The digest goes out with its English item untranslated, and the CM reading the cron log
    learns why (the notice was only shown by --dry-run, never by a real send)."""
    cohort_world(people, db_url, translate=True)
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "libre")
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER_URL", "http://translate.atelier.invalid/")
    monkeypatch.setattr(digest_cli, "utcnow", lambda: NOW)
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        assert cli_main(["digest", "--send"]) == 0
        assert len(server.received) == 2 and "Hello world" in server.received[0].message.as_string()
    out = capsys.readouterr().out
    (notice,) = [line.strip() for line in out.splitlines() if "traduction" in line.lower()]
    assert notice.startswith("La traduction n’a pas pu être faite\u00a0:"), notice  # said once, not twice


def test_force_without_a_list_sends_again_the_lists_whose_hour_has_come(
    db_url, people, monkeypatch, tmp_path, capsys
):
    """« digest --send --force » answered « Aucune liste à envoyer maintenant » and sent nothing:
    --force was ignored unless --list named the list."""
    cohort_world(people, db_url, translate=False, schedule_hour=7)
    monkeypatch.setattr(digest_cli, "utcnow", lambda: NOW)
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        assert cli_main(["digest", "--send"]) == 0
        assert cli_main(["digest", "--send"]) == 0
        assert len(server.received) == 2  # once a day
        capsys.readouterr()
        assert cli_main(["digest", "--send", "--force"]) == 0
        assert len(server.received) == 4
    assert "Aucune liste à envoyer" not in capsys.readouterr().out


def test_refused_recipient_fails_alone_and_is_abandoned_after_max_attempts(
    db_url, people, monkeypatch, tmp_path
):
    list_id = cohort_world(people, db_url, translate=False)
    with smtp_server(tmp_path, refuse={"bob@example.fr"}) as server:
        use_smtp(monkeypatch, server.env())
        outcome = run_list("Promo CM 2026", now=NOW)
        assert outcome.report.sent == 1 and outcome.report.failed == 1
        bob = next(d for d in deliveries() if d[0] == "bob@example.fr")
        assert bob[1] == FAILED and "a refusé l’adresse bob@example.fr" in bob[3] and "550" in bob[3]
        for _ in range(MAX_ATTEMPTS - 1):
            report = deliver_pending(list_id)
        assert report.abandoned == 1
        assert next(d for d in deliveries() if d[0] == "bob@example.fr")[1] == ABANDONED
        assert deliver_pending(list_id).failed == 0  # no longer retried, still shown
        assert len(server.received) == 1


def test_a_person_who_opts_out_before_the_retry_is_not_sent(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False)
    use_smtp(monkeypatch, {"ATELIER_SMTP_HOST": "127.0.0.1", "ATELIER_SMTP_PORT": str(free_port()),
                           "ATELIER_SMTP_SECURITY": "none", "ATELIER_SMTP_TIMEOUT_S": "2"})  # fmt: skip
    run_list("Promo CM 2026", now=NOW)
    with session_scope() as s:
        update_profile(s, people.bob, display_name="Bob", digest_opt_out=True)
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        report = run_list("Promo CM 2026", now=NOW).report
        assert report.sent == 1 and report.skipped == 1
        assert [r.rcpt_tos for r in server.received] == [["alice@example.fr"]]
    assert dict((email, status) for email, status, _, _ in deliveries())["bob@example.fr"] == SKIPPED


def test_wrong_password_and_missing_settings_say_what_to_do(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False)
    with pytest.raises(SmtpNotConfigured, match="ATELIER_SMTP_HOST"):
        run_list("Promo CM 2026", now=NOW)
    with smtp_server(tmp_path, security="starttls", auth=True) as server:
        use_smtp(monkeypatch, server.env() | {"ATELIER_SMTP_PASSWORD": "faux"})
        outcome = run_list("Promo CM 2026", now=NOW)
        assert outcome.report.failed == 2
        assert "identifiants refusés" in deliveries()[0][3]
        assert not server.received


def test_dry_run_sends_and_stores_nothing(db_url, people, capsys):
    cohort_world(people, db_url, translate=False)
    assert cli_main(["digest", "--list", "Promo CM 2026", "--send", "--dry-run", "--since", "48h"]) == 0
    out = capsys.readouterr().out
    assert "Essai à blanc" in out and "→ alice@example.fr" in out
    assert deliveries() == []


def test_cli_writes_html_markdown_and_atom(db_url, people, tmp_path, capsys):
    cohort_world(people, db_url, translate=False)
    html_file = tmp_path / "revue.html"
    assert cli_main(["digest", "--list", "Promo CM 2026", "--since", "24h", "--out", str(html_file)]) == 0
    etree.fromstring(html_file.read_bytes())
    assert cli_main(["digest", "--format", "md", "--since", "24h"]) == 0  # the only list
    assert "# Revue de veille du" in capsys.readouterr().out
    assert cli_main(["digest", "--format", "atom"]) == 0
    assert not feedparser.parse(capsys.readouterr().out).bozo
    assert cli_main(["digest", "--list", "Inconnue"]) == 1
    assert "Aucune liste de diffusion ne s’appelle" in capsys.readouterr().err
    assert cli_main(["digest", "--since", "demain"]) == 1


def test_due_lists_follow_the_schedule_hour_in_paris(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False, schedule_hour=8)
    assert due_lists(NOW) == []  # 7 h in Paris
    assert due_lists(NOW + timedelta(hours=1)) == ["Promo CM 2026"]
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        run_list("Promo CM 2026", now=NOW + timedelta(hours=1))
    assert due_lists(NOW + timedelta(hours=2)) == []  # sent today


def test_accented_subject_is_encoded_in_utf8(db_url, people, monkeypatch, tmp_path):
    cohort_world(people, db_url, translate=False)
    december = NOW + timedelta(days=10)  # mardi 1 décembre
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        run_list("Promo CM 2026", now=december, since=timedelta(days=11))
        raw_headers = server.received[0].data.split(b"\r\n\r\n")[0].decode("ascii")
        assert "=?utf-8?" in raw_headers.lower()
        assert server.received[0].message["Subject"] == "Revue de veille du mardi 1 décembre 2026"


def _send_board_digest(people, db_url, monkeypatch, tmp_path, base_url: str):
    """A board digest with a demo picture, an outside picture and a pin without one, as received."""
    use_smtp(monkeypatch, {"ATELIER_PUBLIC_BASE_URL": base_url})
    list_id = cohort_world(people, db_url, translate=False)
    with session_scope() as s:
        board = boards.create_board(s, people.trainer, "Démo", visibility=COHORT)
        for title, image in [("Chiffres", DEMO_IMAGE_URL + "analytics.svg"),
                             ("Photo", "https://img.example/photo.jpg"), ("Sans image", "")]:  # fmt: skip
            data = PinData(title=title, url=f"https://site.example/{len(image)}", image_url=image)
            pins.add_pin(s, people.trainer, data, board_id=board.id)
        publish(s, people.trainer, build_board_draft(s, people.trainer, list_id, board.id, now=NOW))
    with smtp_server(tmp_path) as server:
        use_smtp(monkeypatch, server.env())
        assert deliver_pending(list_id).sent == 2
        return server.received[0].message


def _html_and_pictures(msg):
    text_part, html_part = msg.get_payload()
    assert msg.get_content_type() == "multipart/alternative" and text_part.get_content_type() == "text/plain"
    if html_part.get_content_type() == "text/html":
        return html_part.get_content(), []
    assert html_part.get_content_type() == "multipart/related"
    html, *pictures = html_part.get_payload()
    return html.get_content(), pictures


def test_a_demo_picture_is_attached_and_referenced_by_cid_without_a_public_address(
    db_url, people, monkeypatch, tmp_path
):
    msg = _send_board_digest(people, db_url, monkeypatch, tmp_path, "http://localhost:8501")
    html, pictures = _html_and_pictures(msg)
    etree.fromstring(html.encode("utf-8"))
    sources = re.findall(r'<img[^>]*\bsrc="([^"]+)"', html)
    assert len(sources) == 2 and "https://img.example/photo.jpg" in sources  # outside pictures as before
    assert "/app/static/" not in html
    [picture] = pictures
    assert picture.get_content_type() == "image/svg+xml"
    assert picture.get_content_disposition() == "inline" and picture.get_filename() == "analytics.svg"
    assert picture.get_content() == (DEMO_IMAGE_DIR / "analytics.svg").read_bytes()
    assert "cid:" + picture["Content-ID"].strip("<>") in sources


def test_a_demo_picture_is_given_under_the_public_address(db_url, people, monkeypatch, tmp_path):
    msg = _send_board_digest(people, db_url, monkeypatch, tmp_path, "https://atelier.example.org/cm")
    html, pictures = _html_and_pictures(msg)
    assert pictures == []  # nothing attached: the picture is fetched from the app
    sources = re.findall(r'<img[^>]*\bsrc="([^"]+)"', html)
    assert sorted(sources) == [
        "https://atelier.example.org/cm/app/static/demo/analytics.svg",
        "https://img.example/photo.jpg",
    ]
