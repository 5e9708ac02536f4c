"""Refreshing feeds: concurrent fetches, each feed stored whole in its own transaction.

Several refresh processes (on one machine or several) may run against the same database: each
claims a small batch of due feeds with a lease (``claimed_by``/``claimed_until``) — on PostgreSQL
with ``FOR UPDATE SKIP LOCKED``, on SQLite with one atomic ``UPDATE`` — so no feed is fetched twice,
and a crashed worker's feeds are claimable again once their lease has expired.

Fetching runs on an event loop (the one HTTP client, with its per-host and global limits and the
per-feed deadline); parsing and storing run on one database thread, so the network keeps moving
while a feed is being written. A failing feed gets a French error and a back-off; the others are
unaffected. ``refresh_feeds`` returns a ``RefreshSummary``; ``progress(done, total, status)`` is
called after each feed (the CLI draws a bar with it, the app an ``st.progress``).
"""

from __future__ import annotations

import asyncio
import collections
import concurrent.futures
import contextlib
import fcntl
import functools
import hashlib
import logging
import os
import pickle
import socket
import subprocess
import sys
import threading
import time
import uuid
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from curation.feeds import subscribed_feed_ids
from curation.fetch import FEED_ACCEPT, AsyncFetcher, FetchError, FetchResult
from curation.models import Entry, Feed
from curation.parse import ParsedFeed, ParseError, parse_feed
from curation.parse_worker import read_frame, write_frame
from curation.plugins import drain, preload
from curation.schedule import next_fetch_after_error, next_fetch_after_success
from curation.store import store_entries
from workbench.access import Actor
from workbench.db import get_engine, session_scope, utcnow
from workbench.memory import return_large_blocks
from workbench.schema import configure_all_models
from workbench.settings import FetchSettings, get_settings

log = logging.getLogger("atelier.refresh")

# Post-store plugins (stories, rules) run over many feeds at once: once every due feed is being
# fetched (the last ones are mostly slow servers: the plugins run while the run waits for them) and
# DRAIN_MIN_ENTRIES are waiting, every minute of a long run, and at its end. Each drain reads the
# stored window around its entries again: not for a handful of entries. A drain gives way to the
# stores between its batches.
DRAIN_MIN_ENTRIES = 500
DRAIN_AFTER_S = 60.0
# Once every feed is fetched and parsed no store waits between batches: the rest is one batch (up to this many),
# and grouping builds its index of the window once instead of bringing it back for each batch.
DRAIN_REST = 50_000
PARSE_WORKER_MIN_FEEDS = 50  # fewer feeds due: starting a parsing process costs more than it saves
REPLY_PIPE_BYTES = 1 << 20  # the parsing process's replies wait there, not in it
PARSE_IDLE_S = 2.0  # no feed to parse for this long: the parsing process is ended (started again if needed)

UNEXPECTED = "Erreur inattendue en lisant ce flux\u00a0: un nouvel essai aura lieu plus tard."
# What went wrong, in the few words a refresh summary counts them by (« site en panne\u00a0: 41 »).
ERROR_KINDS = {
    "dns": "domaine introuvable",
    "invalid_url": "adresse invalide",
    "scheme": "adresse refusée",
    "private_address": "adresse refusée",
    "connect": "serveur injoignable",
    "timeout": "serveur trop lent",
    "too_slow": "débit trop faible",
    "protocol": "connexion coupée",
    "tls": "certificat invalide",
    "encoding": "contenu illisible",
    "too_large": "flux trop volumineux",
    "too_many_redirects": "redirections en boucle",
    "rate_limited": "trop de requêtes",
}
NOT_A_FEED = "pas un flux lisible"
OTHER_ERROR = "erreur inattendue"


def error_kind(exc: Exception) -> str:
    """The French kind of a feed's failure, for counting failures by kind."""
    if isinstance(exc, ParseError):
        return NOT_A_FEED
    if not isinstance(exc, FetchError):
        return OTHER_ERROR
    code = exc.status_code or 0
    if exc.kind == "http_status" and code in (404, 410):
        return "flux introuvable"
    if exc.kind == "http_status" and code in (401, 403):
        return "accès refusé"
    if exc.kind == "http_status" and code >= 500:
        return "site en panne"
    return ERROR_KINDS.get(exc.kind, "erreur du site")


@dataclass
class FeedStatus:
    feed_id: int
    url: str
    title: str
    status: str  # ok, not_modified, error
    new_entries: int = 0
    updated_entries: int = 0
    error: str = ""  # French, for people
    error_kind: str = ""  # French, a few words (see ``error_kind``)
    elapsed_s: float = 0.0


@dataclass
class RefreshSummary:
    feeds: int = 0
    entries_total: int = 0
    new_entries: int = 0
    updated_entries: int = 0
    errors: int = 0
    backing_off: int = 0  # failing feeds left to their back-off (``force`` without ``retry_failing``)
    refresh_s: float = 0.0
    statuses: list[FeedStatus] = field(default_factory=list)

    def error_kinds(self) -> list[tuple[str, int]]:
        """How many feeds failed for each kind of failure, the most frequent first."""
        return Counter(s.error_kind for s in self.statuses if s.status == "error").most_common()

    def as_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["refresh_s"] = round(self.refresh_s, 3)
        return data


Progress = Callable[[int, int, FeedStatus], None]


@dataclass(frozen=True)
class _Claimed:
    id: int
    url: str
    etag: str
    last_modified: str
    title: str
    error_count: int
    body_sha256: str


def new_worker_id() -> str:
    return f"{socket.gethostname()[:40]}:{os.getpid()}:{uuid.uuid4().hex[:8]}"


def _due(now: datetime) -> Any:
    return or_(Feed.next_fetch_at.is_(None), Feed.next_fetch_at <= now)


def _backing_off(now: datetime) -> Any:
    return and_(Feed.error_count > 0, Feed.next_fetch_at > now)


def _target_conditions(
    now: datetime, feed_ids: list[int] | None, force: bool, skip: Iterable[int], retry_failing: bool = False
) -> list[Any]:
    """Which feeds a run takes. Due feeds; ``force``: every healthy feed too, due or not (feeds
    backing off after failures keep waiting: a dead feed does not cost every « Actualiser »);
    ``retry_failing``: every failing feed too, due or not (« Réessayer maintenant »)."""
    conditions: list[Any] = [
        or_(Feed.claimed_until.is_(None), Feed.claimed_until < now),
        Feed.last_status != "demo",  # bundled content, parsed from files, never fetched
    ]
    if feed_ids is not None:
        conditions.append(Feed.id.in_(feed_ids))
    else:  # feeds nobody follows any more are paused (added feeds, even without subscriber, are not)
        conditions.append(Feed.last_status != "paused")
    if not force:
        conditions.append(or_(_due(now), Feed.error_count > 0) if retry_failing else _due(now))
    elif not retry_failing:
        conditions.append(or_(_due(now), Feed.error_count == 0))
    skip = list(skip)
    if skip:
        conditions.append(Feed.id.notin_(skip))
    return conditions


def count_due(
    session: Session, *, feed_ids: list[int] | None = None, force: bool = False, retry_failing: bool = False
) -> int:
    now = utcnow()
    conditions = _target_conditions(now, feed_ids, force, (), retry_failing)
    return session.scalar(select(func.count(Feed.id)).where(*conditions)) or 0


def count_backing_off(session: Session, *, feed_ids: list[int] | None = None) -> int:
    """Failing feeds a run leaves to their back-off (not due yet)."""
    now = utcnow()
    conditions = _target_conditions(now, feed_ids, True, (), retry_failing=True)  # every feed a run may take
    return session.scalar(select(func.count(Feed.id)).where(*conditions, _backing_off(now))) or 0


def claim_feeds(
    session: Session,
    claim_token: str,
    *,
    limit: int,
    lease: timedelta,
    feed_ids: list[int] | None = None,
    force: bool = False,
    retry_failing: bool = False,
    skip: Iterable[int] = (),
) -> list[_Claimed]:
    """Atomically lease up to ``limit`` due feeds to ``claim_token`` (SKIP LOCKED on PostgreSQL)."""
    now = utcnow()
    chosen = (
        select(Feed.id)
        .where(*_target_conditions(now, feed_ids, force, skip, retry_failing))
        .order_by(Feed.next_fetch_at.asc().nulls_first(), Feed.id)
        .limit(limit)
    )
    if session.get_bind().dialect.name == "postgresql":
        chosen = chosen.with_for_update(skip_locked=True)
    rows = session.execute(
        update(Feed)
        .where(Feed.id.in_(chosen.scalar_subquery()))
        .values(claimed_by=claim_token[:100], claimed_until=now + lease)
        .returning(
            Feed.id, Feed.url, Feed.etag, Feed.last_modified, Feed.title, Feed.error_count, Feed.body_sha256
        )
        .execution_options(synchronize_session=False)
    ).all()
    return [_Claimed(*row) for row in rows]


def _release(feed: Feed) -> None:
    feed.claimed_by, feed.claimed_until = "", None


def _record_error(
    db_url: str | None, claimed: _Claimed, exc: Exception, retry_after: datetime | None
) -> FeedStatus:
    status = _error_status(claimed, exc)
    with session_scope(db_url) as session:
        feed = session.get(Feed, claimed.id)
        if feed is not None:
            now = utcnow()
            feed.error_count = (feed.error_count or 0) + 1
            feed.last_status, feed.last_error, feed.last_fetched_at = "error", status.error, now
            feed.next_fetch_at = next_fetch_after_error(now, feed.error_count, retry_after)
            _release(feed)
    return status


def _error_status(claimed: _Claimed, exc: Exception) -> FeedStatus:
    message = str(exc) if isinstance(exc, FetchError | ParseError) else UNEXPECTED
    return FeedStatus(
        claimed.id, claimed.url, claimed.title, "error", error=message, error_kind=error_kind(exc)
    )


def _record_not_modified(db_url: str | None, claimed: _Claimed, result: FetchResult) -> FeedStatus:
    with session_scope(db_url) as session:
        feed = session.get(Feed, claimed.id)
        if feed is not None:
            now = utcnow()
            feed.last_status, feed.last_error, feed.error_count = "not_modified", "", 0
            feed.last_fetched_at = now
            feed.next_fetch_at = next_fetch_after_success(now, feed.ttl_minutes, result.max_age_s)
            if result.etag:
                feed.etag = result.etag[:500]
            if result.last_modified:
                feed.last_modified = result.last_modified[:100]
            _release(feed)
    return FeedStatus(claimed.id, claimed.url, claimed.title, "not_modified")


def _store(
    db_url: str | None, claimed: _Claimed, result: FetchResult, parsed: ParsedFeed, digest: str
) -> FeedStatus:
    with session_scope(db_url) as session:
        feed = session.get(Feed, claimed.id)
        if feed is None:  # deleted meanwhile
            return FeedStatus(claimed.id, claimed.url, claimed.title, "error", error="Flux supprimé.")
        stored = store_entries(session, feed, parsed, defer_plugins=True)
        now = utcnow()
        feed.etag, feed.last_modified = result.etag[:500], result.last_modified[:100]
        feed.body_sha256 = digest
        feed.last_status, feed.last_error, feed.error_count = "ok", parsed.warning, 0
        feed.last_fetched_at = now
        feed.next_fetch_at = next_fetch_after_success(now, parsed.ttl_minutes, result.max_age_s)
        _release(feed)
        title = feed.title
    return FeedStatus(claimed.id, claimed.url, title, "ok", len(stored.new_ids), stored.updated)


@dataclass
class _Pending:
    """New entries of this run whose post-store plugins have not run yet."""

    since: float  # the last drain (or the start of the run)
    entries: int = 0
    claimed_all: bool = False  # no due feed left to claim
    started: int = 0  # claimed feeds taken by a fetching task
    fetching: int = 0  # of those, still being fetched or parsed (not yet queued for the database)
    draining: asyncio.Lock = field(default_factory=asyncio.Lock)


class _Parser:
    """Where feeds are parsed: in a worker process for a large run (``curation.parse_worker``:
    parsing then uses a second core while this process stores), else in the database thread.

    Requests are written to the process as feeds come (one writing thread: frames whole, in order)
    and its replies read by a thread of their own, in the same order: the process always has the
    next feed to parse, instead of waiting for this process (busy storing or grouping) to read its
    reply and send another. Its replies go through a pipe enlarged to ``REPLY_PIPE_BYTES`` where the
    system allows, so that it does not wait for them to be read either.

    The process is started with the first feed to parse: a run whose feeds answer 304 (or send
    the same bytes) starts none. It is ended when no feed has come for ``PARSE_IDLE_S`` (the run is then grouping what
    it stored and waiting for its slowest servers: its memory, 20–30 MB, is better given back) and
    started again for the next feed, which costs a fraction of a second. A worker that dies (a feed
    that exhausts its memory, say) is replaced by parsing here for the rest of the run."""

    def __init__(self, feeds: int) -> None:
        self.use_worker = feeds >= PARSE_WORKER_MIN_FEEDS
        self.worker: subprocess.Popen[bytes] | None = None
        self.asking = 0  # requests on their way to the worker or back
        self.last_reply = time.monotonic()
        self.ending: subprocess.Popen[bytes] | None = None  # to end once it has answered what it was asked
        self.pipe = concurrent.futures.ThreadPoolExecutor(max_workers=1, thread_name_prefix="refresh-parse")
        self._waiting: dict[subprocess.Popen[bytes], _Replies] = {}

    def _start(self) -> subprocess.Popen[bytes] | None:
        """The running worker, started if there is none (None: parse in this process)."""
        if self.use_worker and self.worker is None:
            try:
                self.worker = subprocess.Popen(
                    [sys.executable, "-m", "curation.parse_worker"],
                    stdin=subprocess.PIPE,
                    stdout=subprocess.PIPE,
                    env={**os.environ, "PYTHONPATH": os.pathsep.join(p for p in sys.path if p)},
                )
            except OSError:
                log.exception("no parsing process; parsing in this process")
                self.use_worker = False
            else:
                with contextlib.suppress(OSError, AttributeError):  # Linux only; a smaller pipe works too
                    fcntl.fcntl(self.worker.stdout.fileno(), fcntl.F_SETPIPE_SZ, REPLY_PIPE_BYTES)  # type: ignore[union-attr]
                self._waiting[self.worker] = _Replies(self.worker)
        return self.worker

    @staticmethod
    def _ask(worker: subprocess.Popen[bytes], request: tuple[bytes, str, str]) -> None:
        write_frame(worker.stdin, request)  # type: ignore[arg-type]

    async def parse(self, in_db: Callable[..., asyncio.Future[Any]], result: FetchResult) -> ParsedFeed:
        request = (result.content, result.final_url, result.content_type)
        worker = self._start()
        if worker is not None:
            self.asking += 1
            loop = asyncio.get_running_loop()
            answer = self._waiting[worker].expect(loop)  # before the request is written: in order
            try:
                try:
                    await loop.run_in_executor(self.pipe, self._ask, worker, request)
                except OSError:
                    answer.cancel()
                    raise
                reply = await answer
            except (OSError, EOFError, pickle.UnpicklingError):
                log.exception("the parsing process died; parsing goes on in this process")
                self.use_worker = False
                if self.worker is worker:
                    self.worker = None
                self._end(worker)
            else:
                if isinstance(reply, Exception):
                    raise reply
                return reply
            finally:
                self.asking -= 1
                self.last_reply = time.monotonic()
                if not self.asking and self.ending is not None:
                    if self.ending is self.worker:  # a drain is running: not a moment beside it
                        self.worker = None
                        self.pipe.submit(self._end, worker)
                    self.ending = None
        return await in_db(functools.partial(parse_feed, request[0], url=request[1], content_type=request[2]))

    async def end_when_idle(self) -> None:
        """Alongside the run: end the worker once no feed has come for ``PARSE_IDLE_S``."""
        while self.use_worker:
            await asyncio.sleep(PARSE_IDLE_S / 4)
            await self.end_if_idle(PARSE_IDLE_S)

    async def end_if_idle(self, idle_s: float = 0.0) -> None:
        """End the worker if it has had nothing to parse for ``idle_s``; without ``idle_s`` (a drain
        starts: its memory and the worker's would add up) a worker still parsing is ended as soon as
        it has answered, not ``PARSE_IDLE_S`` later. The next feed starts another."""
        if self.worker is not None and self.asking and not idle_s:
            self.ending = self.worker
        elif self.worker is not None and not self.asking and time.monotonic() - self.last_reply >= idle_s:
            worker, self.worker = self.worker, None
            await asyncio.get_running_loop().run_in_executor(self.pipe, self._end, worker)

    def close(self) -> None:
        self.use_worker = False
        worker, self.worker = self.worker, None
        if worker is not None:
            self._end(worker)
        self.pipe.shutdown(wait=False)

    def _end(self, worker: subprocess.Popen[bytes]) -> None:
        self._waiting.pop(worker, None)  # its reading thread ends with the process's output
        _end_process(worker)


class _Replies:
    """The replies of one parsing process, read by a thread of their own in the order the requests
    were written, each handed to the future its request is waiting on."""

    def __init__(self, worker: subprocess.Popen[bytes]) -> None:
        self._futures: collections.deque[tuple[asyncio.AbstractEventLoop, asyncio.Future[Any]]] = (
            collections.deque()
        )
        self._lock = threading.Lock()
        self._ended: BaseException | None = None
        threading.Thread(target=self._read, args=(worker,), name="refresh-replies", daemon=True).start()

    def expect(self, loop: asyncio.AbstractEventLoop) -> asyncio.Future[Any]:
        """The future of the reply to the next request written (call it just before writing)."""
        future = loop.create_future()
        with self._lock:
            if self._ended is not None:
                future.set_exception(self._ended)
            else:
                self._futures.append((loop, future))
        return future

    def _read(self, worker: subprocess.Popen[bytes]) -> None:
        while True:
            try:
                reply = read_frame(worker.stdout)  # type: ignore[arg-type]
            except Exception as exc:  # the end of the process (or of its senses): no more replies
                with self._lock:
                    self._ended = (
                        exc if isinstance(exc, OSError | EOFError | pickle.UnpicklingError) else EOFError()
                    )
                    waiting, self._futures = self._futures, collections.deque()
                for loop, future in waiting:
                    loop.call_soon_threadsafe(_settle, future, None, self._ended)
                return
            with self._lock:
                loop, future = self._futures.popleft()
            loop.call_soon_threadsafe(_settle, future, reply, None)


def _settle(future: asyncio.Future[Any], value: Any, error: BaseException | None) -> None:
    if future.done():
        return
    if error is not None:
        future.set_exception(error)
    else:
        future.set_result(value)


def _end_process(worker: subprocess.Popen[bytes]) -> None:
    """End a parsing process: the end of its input stops it (killed if it does not within 10 s)."""
    with contextlib.suppress(OSError):
        worker.stdin.close()  # type: ignore[union-attr]
    try:
        worker.wait(timeout=10)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


def _count_entries(db_url: str | None, feed_ids: list[int]) -> int:
    total = 0
    with session_scope(db_url) as session:
        for start in range(0, len(feed_ids), 500):
            chunk = feed_ids[start : start + 500]
            total += session.scalar(select(func.count(Entry.id)).where(Entry.feed_id.in_(chunk))) or 0
    return total


async def refresh_feeds_async(
    *,
    db_url: str | None = None,
    feed_ids: list[int] | None = None,
    force: bool = False,
    retry_failing: bool = False,
    allow_private: bool | None = None,
    progress: Progress | None = None,
    config: FetchSettings | None = None,
    worker_id: str | None = None,
) -> RefreshSummary:
    """The refresh on the running event loop (see ``refresh_feeds``)."""
    started = time.perf_counter()
    return_large_blocks()  # large bodies, then the drains' arrays: not kept in the heap
    config = config or get_settings().fetch
    worker_id = worker_id or new_worker_id()
    lease = timedelta(seconds=2 * config.total_timeout_s + 60)
    workers = max(1, config.global_concurrency)
    batch = workers * 2
    loop = asyncio.get_running_loop()
    db_threads = 2 if get_engine(db_url).dialect.name == "postgresql" else 1
    db = concurrent.futures.ThreadPoolExecutor(max_workers=db_threads, thread_name_prefix="refresh-db")

    def in_db(fn: Callable[..., Any], *args: Any) -> asyncio.Future[Any]:
        return loop.run_in_executor(db, fn, *args)

    def claim(batch_no: int, skip: list[int]) -> list[_Claimed]:
        with session_scope(db_url) as session:
            return claim_feeds(
                session,
                f"{worker_id}#{batch_no}",
                limit=batch,
                lease=lease,
                feed_ids=feed_ids,
                force=force,
                retry_failing=retry_failing,
                skip=skip,
            )

    def count() -> tuple[int, int]:
        with session_scope(db_url) as session:
            due = count_due(session, feed_ids=feed_ids, force=force, retry_failing=retry_failing)
            waiting = count_backing_off(session, feed_ids=feed_ids) if force and not retry_failing else 0
            return due, waiting

    summary = RefreshSummary()
    total, summary.backing_off = await in_db(count)
    parser = _Parser(total)
    if parser.use_worker:  # a large run: its plugins are imported while it waits for the network
        configure_all_models()  # not while that thread is halfway through a model's module
        loop.run_in_executor(None, preload)
    parser_idle = asyncio.create_task(parser.end_when_idle())
    queue: asyncio.Queue[_Claimed | None] = asyncio.Queue(maxsize=batch)
    seen: list[int] = []
    pending = _Pending(since=time.monotonic())

    async def drain_pending(*, final: bool = False) -> None:
        """Run the post-store plugins over what the run stored so far (see ``curation.plugins``)."""
        if not final:
            # Only the last feeds are left, and none waits for the parsing process (it then ends).
            in_flight = pending.claimed_all and pending.started == len(seen) and not parser.asking
            due = (in_flight and pending.entries >= DRAIN_MIN_ENTRIES) or (
                pending.entries and time.monotonic() - pending.since >= DRAIN_AFTER_S
            )
            if pending.draining.locked() or not due:
                return
        async with pending.draining:  # the final drain waits for a running one, then takes the rest
            pending.entries, pending.since = 0, time.monotonic()
            try:
                await parser.end_if_idle()
                while True:
                    # Every feed fetched and parsed: their stores, queued before the next batch, are
                    # all that will come to the database thread.
                    last = pending.claimed_all and pending.started == len(seen) and not pending.fetching
                    batch = DRAIN_REST if last else None  # None: ``plugins.DRAIN_BATCH``
                    if not await in_db(functools.partial(drain, db_url, batch=batch, batches=1)):
                        break
            except Exception:  # the entries stay pending: the next drain takes them
                log.exception("post-store plugins could not run; the next refresh will retry")

    async def outcome(fetcher: AsyncFetcher, claimed: _Claimed) -> tuple[Callable[..., FeedStatus], tuple]:
        """Fetch (and parse) the feed: what the database thread is to record for it, with what."""
        try:
            result = await fetcher.fetch(
                claimed.url,
                etag=claimed.etag or None,
                last_modified=claimed.last_modified or None,
                accept=FEED_ACCEPT,
            )
        except FetchError as exc:
            return _record_error, (db_url, claimed, exc, exc.retry_after)
        digest = "" if result.not_modified else hashlib.sha256(result.content).hexdigest()
        if result.not_modified or digest == claimed.body_sha256:  # same bytes: nothing to parse
            return _record_not_modified, (db_url, claimed, result)
        try:
            parsed = await parser.parse(in_db, result)
        except ParseError as exc:
            return _record_error, (db_url, claimed, exc, None)
        return _store, (db_url, claimed, result, parsed, digest)

    async def process(fetcher: AsyncFetcher, claimed: _Claimed) -> FeedStatus:
        t0 = time.perf_counter()
        pending.fetching += 1
        try:
            try:
                record, args = await outcome(fetcher, claimed)
            finally:
                pending.fetching -= 1  # what is left is queued for the database thread
            status = await in_db(record, *args)
        except Exception as exc:  # one feed never stops the run
            log.exception("refresh of feed %s failed", claimed.url)
            try:
                status = await in_db(_record_error, db_url, claimed, exc, None)
            except Exception:  # not even its error could be recorded: said in the summary, the run goes on
                log.exception("the error of feed %s could not be recorded", claimed.url)
                status = _error_status(claimed, exc)
        status.elapsed_s = time.perf_counter() - t0
        return status

    async def worker(fetcher: AsyncFetcher) -> None:
        while (claimed := await queue.get()) is not None:
            pending.started += 1
            status = await process(fetcher, claimed)
            summary.statuses.append(status)
            summary.feeds += 1
            summary.new_entries += status.new_entries
            summary.updated_entries += status.updated_entries
            summary.errors += status.status == "error"
            pending.entries += status.new_entries
            if progress is not None:
                try:
                    progress(summary.feeds, max(total, summary.feeds), status)
                except Exception:
                    log.exception("progress callback failed")
            await drain_pending()

    try:
        async with AsyncFetcher(config, allow_private=allow_private) as fetcher:
            tasks = [asyncio.create_task(worker(fetcher)) for _ in range(workers)]
            try:
                batch_no = 0
                while True:
                    claimed_batch = await in_db(claim, batch_no, list(seen))
                    batch_no += 1
                    if not claimed_batch:
                        pending.claimed_all = True
                        break
                    for claimed in claimed_batch:
                        seen.append(claimed.id)
                        await queue.put(claimed)
            finally:
                for _ in tasks:
                    await queue.put(None)
                await asyncio.gather(*tasks)
                parser_idle.cancel()
                parser.close()  # every feed is parsed: its process is not kept through the last drain
                await drain_pending(final=True)  # also what a crashed run left pending
        summary.entries_total = await in_db(_count_entries, db_url, seen)
    finally:
        parser_idle.cancel()
        parser.close()
        db.shutdown(wait=True)
    summary.refresh_s = time.perf_counter() - started
    return summary


def refresh_feeds(
    *,
    db_url: str | None = None,
    feed_ids: list[int] | None = None,
    force: bool = False,
    retry_failing: bool = False,
    allow_private: bool | None = None,
    progress: Progress | None = None,
    config: FetchSettings | None = None,
    worker_id: str | None = None,
) -> RefreshSummary:
    """Refresh the due feeds (``force``: every healthy targeted feed now; ``retry_failing``: every
    failing one now, whatever its back-off; ``feed_ids``: only those).

    Each feed is committed on its own; the call returns when every claimed feed is done.
    """
    kwargs = dict(
        db_url=db_url,
        feed_ids=feed_ids,
        force=force,
        retry_failing=retry_failing,
        allow_private=allow_private,
        progress=progress,
        config=config,
        worker_id=worker_id,
    )
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(refresh_feeds_async(**kwargs))  # type: ignore[arg-type]
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, refresh_feeds_async(**kwargs)).result()  # type: ignore[arg-type]


def refresh_subscriptions(
    session: Session,
    actor: Actor,
    *,
    subscription_ids: list[int] | None = None,
    failing: bool = False,
    progress: Progress | None = None,
) -> RefreshSummary:
    """ "Refresh now" for one person: every feed they follow (own and cohorts'), due or not, except
    the failing ones waiting for their back-off. « Réessayer maintenant », failing or not: the feeds
    of ``subscription_ids`` (which they must see), or (``failing``) every one they follow in error."""
    feed_ids = subscribed_feed_ids(session, actor, subscription_ids, failing=failing)
    session.commit()  # the refresh writes feed by feed in its own transactions
    if not feed_ids:
        return RefreshSummary()
    retry = failing or subscription_ids is not None
    return refresh_feeds(feed_ids=feed_ids, force=True, retry_failing=retry, progress=progress)
