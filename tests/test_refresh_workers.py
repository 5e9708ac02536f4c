"""Two refresh processes at once against one database: no feed fetched twice, crashed leases retaken.

Runs on PostgreSQL (row locks with SKIP LOCKED) when ``ATELIER_TEST_POSTGRES_URL`` is set, and on
SQLite (atomic UPDATE claims) always.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, select, update

from curation.feeds import get_or_create_feed
from curation.models import Entry, Feed
from tests.conftest import BACKENDS, _pg_drop, make_database
from tests.feedserver import FeedServer, Route
from workbench import db as wdb
from workbench.db import session_scope, utcnow

ROOT = Path(__file__).resolve().parent.parent
FEEDS = 40


def rss(i: int) -> bytes:
    items = "".join(
        f"<item><title>Article {i}-{j}</title><link>https://farm.example/{i}/{j}</link><guid>{i}-{j}</guid></item>"
        for j in range(5)
    )
    return f"<rss version='2.0'><channel><title>Feed {i}</title>{items}</channel></rss>".encode()


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_processes_share_the_work(backend: str, tmp_path, monkeypatch, feed_server: FeedServer) -> None:
    url, pg_name = make_database(backend, tmp_path)
    try:
        paths = [f"/w{i}.xml" for i in range(FEEDS)]
        with session_scope(url) as s:
            ids = [
                get_or_create_feed(s, feed_server.add(p, Route(body=rss(i), delay_s=0.1))).id
                for i, p in enumerate(paths)
            ]
            # A live lease held by another worker: skipped. An expired one (crashed worker): taken again.
            s.execute(
                update(Feed)
                .where(Feed.id == ids[0])
                .values(claimed_by="ghost", claimed_until=utcnow() + timedelta(minutes=10))
            )
            s.execute(
                update(Feed)
                .where(Feed.id == ids[1])
                .values(claimed_by="crashed", claimed_until=utcnow() - timedelta(seconds=1))
            )
        env = {
            **os.environ,
            "ATELIER_FETCH_GLOBAL_CONCURRENCY": "3",
            "ATELIER_FETCH_PER_HOST_CONCURRENCY": "3",
        }
        command = [
            sys.executable,
            "-m",
            "curation",
            "refresh",
            "--db",
            url,
            "--allow-private-networks",
            "--json",
        ]
        workers = [
            subprocess.Popen(
                command, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
            )
            for _ in range(2)
        ]
        results = []
        for worker in workers:
            out, err = worker.communicate(timeout=180)
            assert worker.returncode == 0, err
            results.append(json.loads(out.strip().splitlines()[-1]))
        assert sum(r["feeds"] for r in results) == FEEDS - 1
        assert all(r["feeds"] > 0 for r in results), results  # both did part of the work
        assert all(r["errors"] == 0 for r in results)
        assert feed_server.hits[paths[0]] == 0
        assert all(feed_server.hits[p] == 1 for p in paths[1:]), {
            p: feed_server.hits[p] for p in paths if feed_server.hits[p] != 1
        }
        with session_scope(url) as s:
            assert s.scalar(select(func.count(Entry.id))) == 5 * (FEEDS - 1)
            assert s.scalar(select(func.count(Feed.id)).where(Feed.claimed_by != "", Feed.id != ids[0])) == 0
    finally:
        wdb.dispose_engines()
        wdb._factories.clear()
        if pg_name:
            _pg_drop(pg_name)
