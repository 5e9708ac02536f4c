"""Refresh: idempotent upserts, whole feeds per transaction, statuses, schedule, claims, plugins."""

from __future__ import annotations

import asyncio
import contextlib
import os
import subprocess
import sys
import threading
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from itertools import pairwise

import pytest
from sqlalchemy import func, select, update

from curation import plugins, refresh, store
from curation.feeds import get_or_create_feed
from curation.fetch import FetchResult
from curation.models import Entry, Feed, PendingEntry
from curation.parse import ParseError
from curation.parse_worker import WorkerError, read_frame, write_frame
from curation.refresh import claim_feeds, refresh_feeds
from curation.schedule import MAX_BACKOFF, next_fetch_after_error
from tests.feedserver import FIXTURES, FeedServer, Route
from workbench.db import session_scope, utcnow
from workbench.settings import FetchSettings, get_settings

RSS_V1 = (FIXTURES / "rss20_good.xml").read_bytes()
FETCHED = FetchResult(  # RSS_V1 as fetched, for the parsing process
    url="https://example.org/f",
    final_url="https://example.org/f",
    status_code=200,
    content=RSS_V1,
    headers={"content-type": "application/rss+xml"},
)


def add_feeds(*urls: str) -> list[int]:
    with session_scope() as s:
        return [get_or_create_feed(s, url).id for url in urls]


def feed_row(feed_id: int) -> Feed:
    with session_scope() as s:
        return s.get(Feed, feed_id)


def entry_count(feed_id: int | None = None) -> int:
    with session_scope() as s:
        stmt = select(func.count(Entry.id))
        if feed_id is not None:
            stmt = stmt.where(Entry.feed_id == feed_id)
        return s.scalar(stmt)


def test_first_and_second_refresh(db_url, feed_server: FeedServer) -> None:
    good = feed_server.add("/good.xml", Route(body=RSS_V1, etag='"1"'))
    atom = feed_server.add_file("/atom.xml", "atom_good.xml", last_modified="Sat, 21 Nov 2026 10:00:00 GMT")
    ids = add_feeds(good, atom)
    seen: list[tuple[int, int]] = []
    first = refresh_feeds(progress=lambda done, total, status: seen.append((done, total)))
    assert (first.feeds, first.new_entries, first.entries_total, first.errors) == (2, 5, 5, 0)
    assert seen == [(1, 2), (2, 2)]
    assert feed_row(ids[0]).etag == '"1"' and feed_row(ids[0]).last_status == "ok"
    assert feed_row(ids[0]).ttl_minutes == 90
    # Nothing due: nothing fetched.
    assert refresh_feeds().feeds == 0 and feed_server.hits["/good.xml"] == 1
    # Forced: conditional GET, 304, nothing parsed, nothing stored twice.
    second = refresh_feeds(force=True)
    assert (second.feeds, second.new_entries, second.entries_total) == (2, 0, 5)
    assert {s.status for s in second.statuses} == {"not_modified"}
    assert (
        feed_server.requests[-1][1].get("If-None-Match") == '"1"'
        or feed_server.requests[-2][1].get("If-None-Match") == '"1"'
    )
    assert entry_count() == 5


def test_changed_entries_are_updated_not_duplicated(db_url, feed_server: FeedServer) -> None:
    url = feed_server.add("/f.xml", Route(body=RSS_V1))
    (feed_id,) = add_feeds(url)
    refresh_feeds()
    changed = RSS_V1.replace(b"Threads d\xc3\xa9colle en Europe", b"Threads d\xc3\xa9colle partout").replace(
        b"</channel>",
        b"<item><title>Nouveau</title><link>https://blog-cm.example.fr/nouveau</link></item></channel>",
    )
    feed_server.routes["/f.xml"] = Route(body=changed)
    summary = refresh_feeds(force=True)
    assert (summary.new_entries, summary.updated_entries, summary.entries_total) == (1, 1, 4)
    with session_scope() as s:
        titles = set(s.scalars(select(Entry.title).where(Entry.feed_id == feed_id)))
    assert "Threads décolle partout" in titles and "Threads décolle en Europe" not in titles


@pytest.mark.parametrize("parse_worker", [False, True], ids=["parse-here", "parse-worker"])
def test_language_is_declared_or_detected(
    db_url, feed_server: FeedServer, monkeypatch, parse_worker: bool
) -> None:
    """Detected at store time for new entries, or by the parsing process, which this process then
    trusts (it never loads the detector)."""
    if parse_worker:
        monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
        monkeypatch.setattr(store, "detect_languages", lambda texts: pytest.fail("detected here"))
    no_language = b"""<rss version="2.0"><channel><title>T</title>
    <item><title>Les community managers face \xc3\xa0 la mod\xc3\xa9ration des commentaires</title><link>https://x.fr/1</link></item>
    <item><title>How to build a social media watch routine</title><link>https://x.fr/2</link></item>
    </channel></rss>"""
    add_feeds(
        feed_server.add("/nolang.xml", Route(body=no_language)),
        feed_server.add_file("/fr.xml", "rss20_good.xml"),
    )
    refresh_feeds()
    with session_scope() as s:
        languages = dict(s.execute(select(Entry.link, Entry.language)).tuples().all())
    assert languages["https://x.fr/1"] == "fr" and languages["https://x.fr/2"] == "en"
    assert languages["https://blog-cm.example.fr/threads-europe"] == "fr"


@pytest.mark.parametrize("parse_worker", [False, True], ids=["parse-here", "parse-worker"])
def test_broken_feeds_get_french_errors_and_back_off_others_unaffected(
    db_url, feed_server: FeedServer, monkeypatch, parse_worker: bool
) -> None:
    """Whether feeds are parsed here or in a worker process (large runs), the same outcome."""
    asked: list[str] = []
    if parse_worker:
        monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
        ask = refresh._Parser._ask
        monkeypatch.setattr(
            refresh._Parser,
            "_ask",
            staticmethod(lambda worker, request: asked.append(request[1]) or ask(worker, request)),
        )
    urls = [
        feed_server.add_file("/ok.xml", "rss20_good.xml"),
        feed_server.add_file("/lol.xml", "entity_expansion.xml"),
        feed_server.add_file("/garbage.xml", "garbage.xml"),
        feed_server.add("/down.xml", Route(status=500)),
        feed_server.url("/missing.xml"),
        feed_server.add("/big.xml", Route(endless=True)),
    ]
    ids = add_feeds(*urls)
    summary = refresh_feeds()
    assert summary.feeds == 6 and summary.errors == 5 and summary.new_entries == 3
    errors = {feed_row(i).url.rsplit("/", 1)[-1]: feed_row(i).last_error for i in ids[1:]}
    assert "entités XML" in errors["lol.xml"]
    assert "pas un flux RSS" in errors["garbage.xml"]
    assert "en panne" in errors["down.xml"]
    assert "introuvable" in errors["missing.xml"]
    assert "trop volumineux" in errors["big.xml"]
    assert len(asked) == (3 if parse_worker else 0)  # the good feed, the entities, the garbage
    failing = feed_row(ids[3])
    assert failing.error_count == 1 and failing.last_status == "error"
    first_delay = failing.next_fetch_at - failing.last_fetched_at
    refresh_feeds(feed_ids=[ids[3]], force=True, retry_failing=True)
    failing = feed_row(ids[3])
    assert failing.error_count == 2 and failing.next_fetch_at - failing.last_fetched_at > first_delay * 1.9


def test_retry_after_sets_the_next_fetch(db_url, feed_server: FeedServer) -> None:
    (feed_id,) = add_feeds(feed_server.add("/busy.xml", Route(status=429, headers={"Retry-After": "7200"})))
    refresh_feeds()
    row = feed_row(feed_id)
    assert row.next_fetch_at - utcnow() > timedelta(minutes=119)
    assert "patienter" in row.last_error


def test_cache_control_lengthens_the_interval(db_url, feed_server: FeedServer) -> None:
    (feed_id,) = add_feeds(
        feed_server.add("/cc.xml", Route(body=RSS_V1, headers={"Cache-Control": "max-age=10800"}))
    )
    refresh_feeds()
    row = feed_row(feed_id)
    assert (
        timedelta(hours=2, minutes=59)
        < row.next_fetch_at - row.last_fetched_at
        <= timedelta(hours=3, seconds=1)
    )


def test_a_crash_while_storing_leaves_whole_feeds(db_url, feed_server: FeedServer, monkeypatch) -> None:
    good = feed_server.add_file("/good.xml", "atom_good.xml")
    bad = feed_server.add("/bad.xml", Route(body=RSS_V1))
    good_id, bad_id = add_feeds(good, bad)
    real_store = refresh.store_entries

    def store_then_crash(session, feed, parsed, **kwargs):
        result = real_store(session, feed, parsed, **kwargs)
        if feed.id == bad_id:
            raise RuntimeError("disk full")  # after the entries were written in the transaction
        return result

    monkeypatch.setattr(refresh, "store_entries", store_then_crash)
    summary = refresh_feeds()
    assert summary.errors == 1 and entry_count(good_id) == 2 and entry_count(bad_id) == 0
    assert feed_row(bad_id).last_status == "error" and feed_row(bad_id).claimed_by == ""


def test_post_store_plugins_run_and_a_failing_one_is_contained(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    calls = RECORDED
    calls.clear()
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", [])
    plugins.register("tests.test_refresh.recording_plugin")
    plugins.register("tests.test_refresh.failing_plugin")
    add_feeds(feed_server.add("/f.xml", Route(body=RSS_V1, etag='"x"')))
    summary = refresh_feeds()
    assert summary.errors == 0 and summary.new_entries == 3
    assert len(calls) == 1 and len(calls[0]) == 3
    with session_scope() as s:
        assert (
            s.scalar(select(func.count(Entry.id)).where(Entry.story_id == 99)) == 3
        )  # the good plugin's writes
        assert (
            s.scalar(select(func.count(Entry.id)).where(Entry.title == "hacked")) == 0
        )  # the failing one undone
    refresh_feeds(force=True)  # 304: no new entries, no plugin call
    assert len(calls) == 1


def test_plugins_run_once_over_many_feeds_and_after_a_crash(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """A refresh defers the plugins and runs them over every feed's entries together; entries a
    crashed run left pending are taken by the next run."""
    calls = RECORDED
    calls.clear()
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", ["tests.test_refresh.recording_plugin"])
    one = feed_server.add("/one.xml", Route(body=RSS_V1))
    two = feed_server.add_file("/two.xml", "atom_good.xml")
    one_id, _ = add_feeds(one, two)
    monkeypatch.setattr(refresh, "drain", lambda *args, **kwargs: 0)  # the run dies before its drain
    refresh_feeds(feed_ids=[one_id])
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(PendingEntry)) == 3 and calls == []
    monkeypatch.setattr(refresh, "drain", plugins.drain)
    summary = refresh_feeds()  # the other feed: its entries and the crashed run's, in one call
    assert summary.new_entries == 2
    assert [len(ids) for ids in calls] == [5]
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(PendingEntry)) == 0
        assert s.scalar(select(func.count(Entry.id)).where(Entry.story_id == 99)) == 5


def test_plugins_run_while_the_run_waits_for_its_slowest_feed(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """Once every feed is being fetched, what is stored is drained (from DRAIN_MIN_ENTRIES entries):
    the plugins do not wait for a slow server (here 3 s) to run over the other feeds' entries."""
    RECORDED.clear()
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", ["tests.test_refresh.recording_plugin"])
    monkeypatch.setattr(refresh, "DRAIN_MIN_ENTRIES", 9)
    fast = [feed_server.add(f"/fast{i}.xml", Route(body=RSS_V1)) for i in range(3)]
    slow = feed_server.add("/slow.xml", Route(body=(FIXTURES / "atom_good.xml").read_bytes(), delay_s=3.0))
    *_, slow_id = add_feeds(*fast, slow)
    pending_when_slow_stored: list[int] = []

    def progress(done: int, total: int, status: refresh.FeedStatus) -> None:
        if status.feed_id == slow_id:
            with session_scope() as s:
                pending_when_slow_stored.append(s.scalar(select(func.count()).select_from(PendingEntry)))

    summary = refresh_feeds(progress=progress)
    assert summary.errors == 0 and summary.new_entries == 11
    # When the slow feed was stored, the 9 entries of the fast feeds had been drained: only its 2 waited.
    assert pending_when_slow_stored == [2]
    assert [len(ids) for ids in RECORDED] == [9, 2]
    with session_scope() as s:
        assert s.scalar(select(func.count()).select_from(PendingEntry)) == 0


def test_once_every_feed_is_stored_the_rest_is_grouped_in_one_batch(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """While feeds are in flight, the plugins run batch by batch (the stores go on between them);
    once every feed is stored, nothing waits for the database: the rest is one batch (grouping then
    builds its index of the window once, not once per batch)."""
    RECORDED.clear()
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", ["tests.test_refresh.recording_plugin"])
    monkeypatch.setattr(plugins, "DRAIN_BATCH", 2)
    monkeypatch.setattr(refresh, "DRAIN_MIN_ENTRIES", 9)
    fast = [feed_server.add(f"/fast{i}.xml", Route(body=RSS_V1)) for i in range(3)]
    add_feeds(*fast, feed_server.add("/slow.xml", Route(body=RSS_V1, delay_s=2.0)))
    summary = refresh_feeds()
    assert summary.errors == 0 and summary.new_entries == 12
    assert [len(ids) for ids in RECORDED] == [2, 2, 2, 2, 1, 3]


def test_a_large_run_loads_its_plugins_while_it_fetches(db_url, feed_server: FeedServer, monkeypatch) -> None:
    """Importing the plugins (the story grouping's numerical libraries: a fraction of a second of
    CPU) is done while a large run waits for the network, not in its first drain."""
    RECORDED.clear()
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", ["tests.test_refresh.recording_plugin"])
    events: list[str] = []
    load, store_feed = plugins._load, refresh._store
    monkeypatch.setattr(plugins, "_load", lambda name: events.append("load") or load(name))
    monkeypatch.setattr(refresh, "_store", lambda *args: events.append("store") or store_feed(*args))
    fast = [feed_server.add(f"/fast{i}.xml", Route(body=RSS_V1)) for i in range(2)]
    add_feeds(*fast, feed_server.add("/slow.xml", Route(body=RSS_V1, delay_s=1.5)))
    assert refresh_feeds().new_entries == 9 and [len(ids) for ids in RECORDED] == [9]
    assert events.count("store") == 3 and events.index("load") < len(events) - 1 - events[::-1].index("store")


def test_drain_can_stop_after_one_batch(db_url, feed_server: FeedServer, monkeypatch) -> None:
    RECORDED.clear()
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", ["tests.test_refresh.recording_plugin"])
    monkeypatch.setattr(refresh, "drain", lambda *args, **kwargs: 0)
    add_feeds(feed_server.add("/one.xml", Route(body=RSS_V1)))
    refresh_feeds()
    assert plugins.drain(batch=2, batches=1) == 2 and [len(ids) for ids in RECORDED] == [2]
    assert plugins.drain(batch=2) == 1 and [len(ids) for ids in RECORDED] == [2, 1]


def test_the_parsing_process_ends_before_the_last_drain(db_url, feed_server: FeedServer, monkeypatch) -> None:
    """Once every feed is parsed, the parsing process is not kept (nor its memory) through the final
    drain of the plugins."""
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    workers: list[object] = []
    start = refresh._Parser._start

    def recording_start(self):
        worker = start(self)
        if worker not in workers:
            workers.append(worker)
        return worker

    drained_while: list[int | None] = []
    drain = refresh.drain

    def recording_drain(*args, **kwargs) -> int:
        drained_while.append(workers[0].poll())  # None: the parsing process is still running
        return drain(*args, **kwargs)

    monkeypatch.setattr(refresh._Parser, "_start", recording_start)
    monkeypatch.setattr(refresh, "drain", recording_drain)
    add_feeds(*(feed_server.add(f"/f{i}.xml", Route(body=RSS_V1)) for i in range(2)))
    assert refresh_feeds().new_entries == 6
    assert workers[0] is not None and drained_while and drained_while[-1] == 0


def _recording_drains(
    monkeypatch, *, min_entries: int
) -> tuple[list[subprocess.Popen[bytes]], list[list[bool]]]:
    """Parsing processes from the first feed, drains from ``min_entries`` with ``recording_plugin``:
    the parsing processes started, and for each drain which of them were running as it began."""
    RECORDED.clear()
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    monkeypatch.setattr(refresh, "DRAIN_MIN_ENTRIES", min_entries)
    monkeypatch.setattr(plugins, "POST_STORE_PLUGINS", ["tests.test_refresh.recording_plugin"])
    started: list[subprocess.Popen[bytes]] = []
    start = refresh._Parser._start

    def recording_start(self):
        worker = start(self)
        if worker is not None and worker not in started:
            started.append(worker)
        return worker

    running_while_draining: list[list[bool]] = []
    drain = refresh.drain

    def recording_drain(*args, **kwargs) -> int:
        running_while_draining.append([worker.poll() is None for worker in started])
        return drain(*args, **kwargs)

    monkeypatch.setattr(refresh._Parser, "_start", recording_start)
    monkeypatch.setattr(refresh, "drain", recording_drain)
    return started, running_while_draining


def test_a_drain_while_feeds_are_in_flight_ends_an_idle_parsing_process_first(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """A drain that starts while the last feeds are in flight (slow servers) does not keep an idle
    parsing process beside it: the two memories do not add up; a feed that comes later starts another."""
    started, running_while_draining = _recording_drains(monkeypatch, min_entries=6)
    fast = [feed_server.add(f"/fast{i}.xml", Route(body=RSS_V1)) for i in range(2)]
    add_feeds(*fast, feed_server.add("/slow.xml", Route(body=RSS_V1, delay_s=1.0)))
    assert refresh_feeds().new_entries == 9 and [len(ids) for ids in RECORDED] == [6, 3]
    assert running_while_draining[0] == [False]  # the first drain, the slow feed in flight
    assert len(started) == 2  # the slow feed had a new one


def test_a_drain_ends_a_busy_parsing_process_as_soon_as_it_has_answered(monkeypatch) -> None:
    """A drain that starts while the parsing process still has feeds to parse (the run's first
    drain, the last fast feeds queued) ends it with its last reply, not ``PARSE_IDLE_S`` later: the
    drain's memory and the parsing process's are not added up longer than its work lasts."""
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    parser = refresh._Parser(1)
    started: list[subprocess.Popen[bytes]] = []

    async def run() -> list[object]:
        loop = asyncio.get_running_loop()
        in_db = lambda fn, *args: loop.run_in_executor(None, fn, *args)  # noqa: E731
        parses = [asyncio.ensure_future(parser.parse(in_db, FETCHED)) for _ in range(4)]
        while parser.asking < 4:
            await asyncio.sleep(0)
        started.append(parser.worker)  # started with the first feed to parse
        await parser.end_if_idle()  # what a drain does as it starts
        assert parser.worker is started[0]  # still parsing what it was given
        return await asyncio.gather(*parses)

    try:
        assert [len(parsed.entries) for parsed in asyncio.run(run())] == [3] * 4
        (worker,) = started
        assert parser.worker is None
        worker.wait(timeout=5)  # ended with its last reply: nothing here waits PARSE_IDLE_S
    finally:
        parser.close()


def test_the_first_drain_waits_for_the_parsing_process_to_answer_what_it_was_given(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """Every feed claimed and the last ones in flight: the first drain starts once the parsing process
    has answered what it was given (it is then ended), not while it still parses beside the drain —
    the two memories would add up, and the feeds it answers meanwhile wait for the drain to be stored."""
    _, running_while_draining = _recording_drains(monkeypatch, min_entries=3)

    def slow_reading(stream):  # each reply read late: the second feed is still being parsed
        time.sleep(0.4)
        return read_frame(stream)

    monkeypatch.setattr(refresh, "read_frame", slow_reading)
    fast = [feed_server.add(f"/fast{i}.xml", Route(body=RSS_V1)) for i in range(2)]
    add_feeds(*fast, feed_server.add("/slow.xml", Route(body=RSS_V1, delay_s=2.5)))
    assert refresh_feeds().new_entries == 9
    assert [len(ids) for ids in RECORDED] == [6, 3]
    assert running_while_draining[0] == [False]  # ended as the drain started


RECORDED: list[list[int]] = []


def recording_plugin(session, new_entry_ids: list[int]) -> None:
    RECORDED.append(new_entry_ids)
    session.execute(update(Entry).where(Entry.id.in_(new_entry_ids)).values(story_id=99))


def failing_plugin(session, new_entry_ids: list[int]) -> None:
    session.execute(update(Entry).where(Entry.id.in_(new_entry_ids)).values(title="hacked"))
    raise ValueError("plugin bug")


def test_claims_lease_and_expired_leases(db_url) -> None:
    ids = add_feeds(*(f"https://feeds.example.org/{i}.xml" for i in range(5)))
    with session_scope() as s:
        first = claim_feeds(s, "worker-a", limit=3, lease=timedelta(minutes=5))
    with session_scope() as s:
        second = claim_feeds(s, "worker-b", limit=10, lease=timedelta(minutes=5))
    assert len(first) == 3 and len(second) == 2
    assert {c.id for c in first} | {c.id for c in second} == set(ids)
    with session_scope() as s:
        assert claim_feeds(s, "worker-c", limit=10, lease=timedelta(minutes=5)) == []
        # worker-a crashed: its lease expires, its feeds are claimable again
        s.execute(
            update(Feed)
            .where(Feed.claimed_by == "worker-a")
            .values(claimed_until=datetime.now(UTC) - timedelta(seconds=1))
        )
    with session_scope() as s:
        again = claim_feeds(s, "worker-c", limit=10, lease=timedelta(minutes=5))
    assert {c.id for c in again} == {c.id for c in first}


def test_paused_feeds_are_not_refreshed(db_url, feed_server: FeedServer) -> None:
    (feed_id,) = add_feeds(feed_server.add("/f.xml", Route(body=RSS_V1)))
    with session_scope() as s:
        s.get(Feed, feed_id).last_status = "paused"
    assert refresh_feeds().feeds == 0
    assert refresh_feeds(feed_ids=[feed_id]).feeds == 1  # explicitly asked for


@pytest.mark.parametrize("body", [b"", b"<rss"])
def test_empty_or_truncated_bodies(db_url, feed_server: FeedServer, body: bytes) -> None:
    (feed_id,) = add_feeds(feed_server.add("/t.xml", Route(body=body)))
    assert refresh_feeds().errors == 1
    assert feed_row(feed_id).last_error


def test_same_body_without_validators_is_not_parsed_again(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    add_feeds(feed_server.add("/plain.xml", Route(body=RSS_V1)))  # no ETag, no Last-Modified
    assert refresh_feeds().new_entries == 3
    calls: list[str] = []
    real_parse = refresh.parse_feed
    monkeypatch.setattr(refresh, "parse_feed", lambda *a, **k: calls.append("parse") or real_parse(*a, **k))
    second = refresh_feeds(force=True)
    assert [s.status for s in second.statuses] == ["not_modified"] and calls == []
    feed_server.routes["/plain.xml"] = Route(body=RSS_V1.replace(b"Podcast", b"Balado"))
    assert refresh_feeds(force=True).updated_entries == 1 and calls == ["parse"]


def test_parse_worker_answers_frames_and_survives_bad_input() -> None:
    """The parsing process: a feed, a broken document (its French error) and an unexpected failure,
    one after the other; it stops at the end of its input."""
    worker = subprocess.Popen(
        [sys.executable, "-m", "curation.parse_worker"], stdin=subprocess.PIPE, stdout=subprocess.PIPE
    )
    try:
        write_frame(worker.stdin, (RSS_V1, "https://example.org/feed", "application/rss+xml"))
        assert [e.title for e in read_frame(worker.stdout).entries][:1]
        write_frame(worker.stdin, ((FIXTURES / "garbage.xml").read_bytes(), "", ""))
        error = read_frame(worker.stdout)
        assert isinstance(error, ParseError) and "pas un flux RSS" in str(error)
        write_frame(worker.stdin, (None, "", ""))  # not bytes: a bug, reported, not fatal
        assert isinstance(read_frame(worker.stdout), WorkerError)
        write_frame(worker.stdin, (RSS_V1, "", ""))
        assert len(read_frame(worker.stdout).entries) == 3
    finally:
        worker.stdin.close()
        assert worker.wait(timeout=10) == 0


def test_a_waiting_parsing_process_gives_freed_pages_back(monkeypatch) -> None:
    """While no feed waits to be parsed, the parsing process trims its heap (what a large document
    freed), not between requests already there."""
    from curation import parse_worker

    trims: list[int] = []
    monkeypatch.setattr(parse_worker, "trim", lambda: trims.append(1) or True)
    requests_r, requests_w = os.pipe()
    replies_r, replies_w = os.pipe()
    with (
        open(requests_r, "rb") as requests,
        open(replies_w, "wb") as replies,
        open(replies_r, "rb") as answers,
    ):
        writer = open(requests_w, "wb")  # noqa: SIM115 - closed below, to end the worker
        serving = threading.Thread(target=parse_worker.serve, args=(requests, replies))
        serving.start()
        time.sleep(0.2)
        assert trims == [1]  # nothing to parse yet
        write_frame(writer, (RSS_V1, "https://example.org/feed", ""))
        assert len(read_frame(answers).entries) == 3
        deadline = time.monotonic() + 5
        while len(trims) < 2 and time.monotonic() < deadline:
            time.sleep(0.01)
        assert trims == [1, 1]  # waiting again
        writer.close()
        serving.join(timeout=5)
    assert not serving.is_alive()


def test_a_run_with_nothing_to_parse_starts_no_parsing_process(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """A second refresh of feeds that answer 304 (or send the same bytes) parses nothing: starting
    a parsing process (a second interpreter, its imports) would be its largest CPU cost."""
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    add_feeds(
        feed_server.add("/etag.xml", Route(body=RSS_V1, etag='"v1"')),
        feed_server.add("/same.xml", Route(body=(FIXTURES / "atom_good.xml").read_bytes())),
    )
    assert refresh_feeds().new_entries == 5
    started: list[object] = []
    popen = refresh.subprocess.Popen
    monkeypatch.setattr(refresh.subprocess, "Popen", lambda *a, **k: started.append(a) or popen(*a, **k))
    summary = refresh_feeds(force=True)
    assert [s.status for s in summary.statuses] == ["not_modified", "not_modified"]
    assert started == []


def test_an_idle_parsing_process_is_ended_and_the_next_feed_starts_another(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """No feed to parse for PARSE_IDLE_S: the parsing process ends (the run is grouping and waiting
    for its slowest servers); a feed that comes later gets a new one."""
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    monkeypatch.setattr(refresh, "PARSE_IDLE_S", 0.3)
    started: list[subprocess.Popen[bytes]] = []
    start = refresh._Parser._start

    def recording_start(self):
        worker = start(self)
        if worker is not None and worker not in started:
            started.append(worker)
        return worker

    alive_when_slow_came: list[list[bool]] = []
    ask = refresh._Parser._ask

    def recording_ask(worker, request):
        if request[1].endswith("/slow.xml"):
            alive_when_slow_came.append([w.poll() is None for w in started])
        return ask(worker, request)

    monkeypatch.setattr(refresh._Parser, "_start", recording_start)
    monkeypatch.setattr(refresh._Parser, "_ask", staticmethod(recording_ask))
    fast = [feed_server.add(f"/fast{i}.xml", Route(body=RSS_V1)) for i in range(2)]
    # The slow server answers once the first parsing process has ended (however long a loaded
    # machine takes to start it and to parse the fast feeds), not after a fixed delay.
    first_ended = threading.Event()

    def end_of_the_first() -> None:
        deadline = time.monotonic() + 20
        while not started and time.monotonic() < deadline:
            time.sleep(0.05)
        if started:
            with contextlib.suppress(subprocess.TimeoutExpired):
                started[0].wait(timeout=20)
        first_ended.set()

    threading.Thread(target=end_of_the_first, daemon=True).start()
    slow = feed_server.add(
        "/slow.xml", Route(body=(FIXTURES / "atom_good.xml").read_bytes(), hold=first_ended)
    )
    add_feeds(*fast, slow)
    summary = refresh_feeds()
    assert summary.errors == 0 and summary.new_entries == 8
    assert len(started) == 2 and alive_when_slow_came == [[False, True]]
    assert all(worker.poll() == 0 for worker in started)


def test_the_parsing_process_is_given_the_next_feed_before_its_last_reply_is_read(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """Requests to the parsing process do not wait for the previous reply: while this process is
    busy (here: slow to read a reply), the parsing process already has the next feeds to parse."""
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    written, ahead = [0], []
    write, read = refresh.write_frame, refresh.read_frame

    def counting_write(stream, value) -> None:
        written[0] += 1
        write(stream, value)

    def slow_read(stream):
        time.sleep(0.2)
        reply = read(stream)
        ahead.append(written[0] - len(ahead) - 1)  # requests sent beyond the one this reply answers
        return reply

    monkeypatch.setattr(refresh, "write_frame", counting_write)
    monkeypatch.setattr(refresh, "read_frame", slow_read)
    add_feeds(*(feed_server.add(f"/f{i}.xml", Route(body=RSS_V1)) for i in range(6)))
    summary = refresh_feeds()
    assert summary.errors == 0 and summary.new_entries == 18
    assert len(ahead) == 6 and max(ahead) >= 2


def test_well_formed_feeds_are_parsed_without_loading_feedparser() -> None:
    """feedparser and what it imports (10 MB) load in the parsing process for the documents the
    lxml path leaves to it only."""
    script = (
        "import sys; from curation.parse import parse_feed; feed = sys.stdin.buffer.read();"
        "parse_feed(feed); print('feedparser' in sys.modules);"
        "parse_feed(feed.replace(b'</channel>', b'<broken></channel>')); print('feedparser' in sys.modules)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], input=RSS_V1, capture_output=True, check=True, cwd=FIXTURES.parents[2]
    )
    assert done.stdout.split() == [b"False", b"True"]


def test_a_refreshing_process_leaves_out_what_it_never_runs(sqlite_url) -> None:
    """A refreshing process with its plugins and settings loaded (a migrated database, no saved
    secret) holds neither httpx's command-line client (click, pygments), nor cryptography (read for
    a saved secret only), nor Babel (loaded with the first French number read or written): 8 MB."""
    script = (
        "import sys; from curation.refresh import refresh_feeds; from curation.plugins import preload;"
        "from workbench.settings import get_settings; preload(); get_settings().fetch;"
        "print(*sorted(m for m in ('click', 'pygments', 'cryptography', 'babel', 'sqlalchemy.dialects.postgresql',"
        " 'lxml') if m in sys.modules))"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=FIXTURES.parents[2]
    )
    assert done.stdout.split() == []


def test_a_dead_parse_worker_is_replaced_by_parsing_here(monkeypatch) -> None:
    monkeypatch.setattr(refresh, "PARSE_WORKER_MIN_FEEDS", 1)
    parser = refresh._Parser(1)
    assert parser._start() is not None  # as the first feed to parse starts it
    parser.worker.kill()  # e.g. killed by the system for its memory
    parser.worker.wait()

    async def parse() -> object:
        loop = asyncio.get_running_loop()
        return await parser.parse(lambda fn, *args: loop.run_in_executor(None, fn, *args), FETCHED)

    try:
        assert len(asyncio.run(parse()).entries) == 3
        assert parser.worker is None  # the rest of the run parses here
    finally:
        parser.close()


def test_backoff_grows_and_is_capped() -> None:
    now = datetime(2026, 12, 7, 8, 0, tzinfo=UTC)
    delays = [next_fetch_after_error(now, n, None) - now for n in range(1, 16)]
    assert delays[0] == timedelta(minutes=30)
    assert all(later == min(2 * earlier, MAX_BACKOFF) for earlier, later in pairwise(delays))
    assert delays[-1] == MAX_BACKOFF == timedelta(days=7)
    assert delays.index(MAX_BACKOFF) == 9  # the tenth failure in a row: then once a week
    later = now + timedelta(days=30)  # Retry-After never shortens it, nor lengthens it past its own time
    assert next_fetch_after_error(now, 1, later) == later


def test_backoff_resets_on_success(db_url, feed_server: FeedServer) -> None:
    (feed_id,) = add_feeds(feed_server.add("/flaky.xml", Route(status=500)))
    for _ in range(3):
        refresh_feeds(force=True, retry_failing=True)
    row = feed_row(feed_id)
    assert row.error_count == 3 and row.next_fetch_at - row.last_fetched_at == timedelta(hours=2)
    feed_server.routes["/flaky.xml"] = Route(body=RSS_V1)
    refresh_feeds(force=True, retry_failing=True)
    row = feed_row(feed_id)
    assert row.error_count == 0 and row.last_status == "ok"
    assert row.next_fetch_at - row.last_fetched_at == timedelta(minutes=90)  # the feed's own <ttl>


def test_feeds_backing_off_are_not_fetched_until_retried(db_url, feed_server: FeedServer) -> None:
    """« Actualiser maintenant » (force) fetches every healthy feed but leaves the failing ones to
    their back-off; « Réessayer » (retry_failing) fetches them too, due or not."""
    ok_id, dead_id = add_feeds(
        feed_server.add("/ok.xml", Route(body=RSS_V1, etag='"v1"')),
        feed_server.add("/dead.xml", Route(status=404)),
    )
    refresh_feeds()
    assert feed_server.hits["/dead.xml"] == 1 and feed_row(dead_id).last_status == "error"
    assert refresh_feeds().feeds == 0  # the scheduled run: nothing due
    summary = refresh_feeds(force=True)
    assert summary.feeds == 1 and summary.statuses[0].feed_id == ok_id and summary.backing_off == 1
    assert feed_server.hits == {"/ok.xml": 2, "/dead.xml": 1}
    summary = refresh_feeds(retry_failing=True)  # every failing feed now, nothing else (not due)
    assert [s.feed_id for s in summary.statuses] == [dead_id] and feed_server.hits["/dead.xml"] == 2
    assert refresh_feeds(force=True, retry_failing=True).feeds == 2
    assert feed_row(dead_id).error_count == 3


def test_a_drip_is_cut_by_the_rate_rule_with_a_french_error(db_url, feed_server: FeedServer) -> None:
    (feed_id,) = add_feeds(feed_server.add("/drip.xml", Route(drip_s=0.05)))
    config = replace(FetchSettings(), min_rate_window_s=1.0)
    summary = refresh_feeds(config=config)
    assert summary.statuses[0].error_kind == "débit trop faible" and summary.statuses[0].elapsed_s < 2.5
    assert feed_row(feed_id).last_error.startswith("Le site envoie sa réponse trop lentement")


def test_every_model_is_whole_before_the_plugins_are_imported_beside_the_stores(sqlite_url) -> None:
    """A large run imports its plugins in a thread while the database thread stores: a model module
    still half imported when SQLAlchemy configured its mappers failed every store of the run (« One or
    more mappers failed to initialize ») and the run never ended. Every model is imported and
    configured before that thread starts."""
    script = (
        "import sys; from curation import refresh; from workbench.schema import MODEL_MODULES; seen = [];"
        "refresh.preload = lambda: seen.append([m for m in MODEL_MODULES if m not in sys.modules]);"
        "refresh.PARSE_WORKER_MIN_FEEDS = 0; refresh.refresh_feeds(); print(seen)"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, check=True, cwd=FIXTURES.parents[2]
    )
    assert done.stdout.decode().split() == ["[[]]"]


def test_a_feed_whose_error_cannot_be_recorded_does_not_stop_the_run(
    db_url, feed_server: FeedServer, monkeypatch
) -> None:
    """The database refusing a feed's entries and then its error: the run goes on with the other
    feeds and ends, each counted as an error (a fetching task that died left the run waiting forever
    for it to take the next feed)."""

    def broken(*args, **kwargs):
        raise RuntimeError("la base refuse")

    monkeypatch.setattr(refresh, "_store", broken)
    monkeypatch.setattr(refresh, "_record_error", broken)
    add_feeds(*(feed_server.add(f"/f{i}.xml", Route(body=RSS_V1)) for i in range(5)))
    config = replace(get_settings().fetch, global_concurrency=1)  # one task, a queue of two feeds
    summaries: list[refresh.RefreshSummary] = []
    run = threading.Thread(target=lambda: summaries.append(refresh_feeds(config=config)), daemon=True)
    run.start()
    run.join(60)
    assert not run.is_alive(), "the run never ended"
    (summary,) = summaries
    assert summary.feeds == 5 and summary.errors == 5
