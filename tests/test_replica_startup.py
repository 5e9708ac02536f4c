"""Several app processes starting at once on one installation (the production set-up, `deploy/`):
they end up with one secret key and one copy of the start-up content, and none of them fails."""

from __future__ import annotations

import threading

from sqlalchemy import func, select

from curation.demo import DEMO_URL_PREFIX, demo_files
from curation.models import Feed
from workbench import settings as settings_module
from workbench.db import session_scope
from workbench.settings import get_settings
from workbench.startup import prepare_installation


def test_processes_generating_the_key_at_once_keep_the_first_one(tmp_path, monkeypatch) -> None:
    """Another replica writes the key between this one's look and its write: both use that key."""
    key_file = tmp_path / ".secret_key"
    real_token = settings_module.secrets.token_urlsafe

    def another_process_first(n: int) -> str:
        key_file.write_text("the-other-replica-key")
        return real_token(n)

    monkeypatch.setattr(settings_module.secrets, "token_urlsafe", another_process_first)
    assert settings_module._secret_key(tmp_path, "") == "the-other-replica-key"
    assert key_file.read_text() == "the-other-replica-key"


def test_a_new_key_is_never_read_half_written(tmp_path) -> None:
    key = settings_module._secret_key(tmp_path, "")
    assert len(key) >= 64 and (tmp_path / ".secret_key").read_text() == key
    assert [p.name for p in tmp_path.iterdir()] == [".secret_key"]  # no temporary file left behind
    assert settings_module._secret_key(tmp_path, "") == key


def test_replicas_preparing_a_new_database_at_once_all_succeed(db_url) -> None:
    """Two processes open a fresh installation at the same moment (their first page views):
    the demo content is stored once and neither start fails."""
    assert get_settings().demo_content
    start = threading.Barrier(3)
    errors: list[BaseException] = []

    def replica() -> None:
        start.wait()
        try:
            prepare_installation()
        except BaseException as exc:  # what the visitor of that replica would have seen
            errors.append(exc)

    threads = [threading.Thread(target=replica) for _ in range(3)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    with session_scope() as session:
        feeds = session.scalar(select(func.count(Feed.id)).where(Feed.url.startswith(DEMO_URL_PREFIX)))
    assert feeds == len(demo_files())
