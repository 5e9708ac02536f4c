"""Watch refresh against the local feed farm: Atelier CM vs lemon24/reader vs a serial feedparser loop.

Each contender runs in its own subprocess (so its peak memory is its own) against the same farm,
served by this process on 127.0.0.1 under ``--hosts`` host names (``feed7.localtest``…, resolved to
127.0.0.1 inside each contender: real subscriptions are spread over many sites, and Atelier CM keeps
its politeness limit of 2 connections per host); each does a first refresh (everything new) and a
second one right after (mostly 304 Not Modified), every feed fetched again (the drip included).
Atelier CM then runs a third refresh as « Actualiser maintenant » does, the failing feeds left to
their back-off. Medians of ``--runs`` runs are printed as a Markdown table, with the wall time, the
CPU time (the process and its parsing process) and the peak memory of the whole run.

    python benchmarks/refresh_bench.py --runs 3 [--feeds 300] [--hosts 100] [--contenders atelier,reader:16,reader:1]

reader (``update_feeds(workers=N)``, ``reader:N``) is the anchor: ``pip install -r requirements-dev.txt``
installs it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))
sys.path.insert(0, str(ROOT))

from feed_farm import build_farm  # noqa: E402

CONTENDER = r"""
import json, os, resource, sys, time
kind, urls_file, workdir = sys.argv[1], sys.argv[2], sys.argv[3]
kind, _, extra = kind.partition(":")
urls = open(urls_file).read().split()
from benchmarks.farm_hosts import map_farm_hosts
map_farm_hosts()
out = {}

def cpu():
    own, children = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime

def timed(name, fn):
    t, c = time.perf_counter(), cpu()
    value = fn()
    out[name + "_s"], out[name + "_cpu_s"] = time.perf_counter() - t, cpu() - c
    return value

# A parsing process's own peak (VmHWM after its exec; getrusage's RUSAGE_CHILDREN would count the
# parent's pages it was forked with), sampled while it runs; and the run's footprint: this process's
# resident size plus the pages only its parsing process holds (its USS: the libraries both map are
# counted once), sampled together.
import glob, threading
child_peaks = {}
tree_peak = [0]
def sample_children():
    while True:
        own = int(open("/proc/self/status").read().split("VmRSS:")[1].split()[0])
        children = 0
        for path in glob.glob(f"/proc/{os.getpid()}/task/*/children"):
            for pid in open(path).read().split():
                try:
                    # One argument exactly: this script, in this process's command line, names it too.
                    if b"curation.parse_worker" not in open(f"/proc/{pid}/cmdline", "rb").read().split(b"\0"):
                        continue  # not exec'ed yet (forked or vforked): still this process's pages
                    status = open(f"/proc/{pid}/status").read()
                    child_peaks[pid] = max(child_peaks.get(pid, 0), int(status.split("VmHWM:")[1].split()[0]))
                    rollup = dict(line.split(":") for line in open(f"/proc/{pid}/smaps_rollup").read().splitlines()[1:])
                    children += sum(int(rollup[k].split()[0]) for k in ("Private_Clean", "Private_Dirty"))
                except (OSError, IndexError, KeyError, ValueError):
                    pass
        tree_peak[0] = max(tree_peak[0], own + children)
        time.sleep(0.05)
threading.Thread(target=sample_children, daemon=True).start()
if kind == "atelier":
    os.environ.update(ATELIER_DATA_DIR=workdir, ATELIER_DATABASE_URL=f"sqlite:///{workdir}/atelier.db",
                      ATELIER_ALLOW_PRIVATE_NETWORKS="1", ATELIER_SECRET_KEY="bench")
    from workbench.db import ensure_database
    from curation.refresh import refresh_feeds
    ensure_database()  # created by PREPARE: a refresh process (cron) finds its database migrated
    first = timed("first", refresh_feeds)
    second = timed("second", lambda: refresh_feeds(force=True, retry_failing=True))
    third = timed("backoff", lambda: refresh_feeds(force=True))
    out["entries"] = first.entries_total
    out["errors"] = first.errors
    out["not_modified"] = sum(s.status == "not_modified" for s in second.statuses)
    out["slowest_feed_s"] = max(s.elapsed_s for s in first.statuses)
    out["slowest_feeds"] = sorted((round(s.elapsed_s, 1), s.url.rsplit("/", 1)[-1], s.error_kind) for s in first.statuses)[-5:]
    out["backoff_skipped"] = third.backing_off
elif kind == "reader":
    from reader import make_reader
    r = make_reader(f"{workdir}/reader.sqlite")
    for u in urls:
        r.add_feed(u)
    workers = int(extra or 1)
    timed("first", lambda: r.update_feeds(workers=workers))
    timed("second", lambda: r.update_feeds(workers=workers, scheduled=False))
    out["entries"] = r.get_entry_counts().total
    out["errors"] = sum(1 for f in r.get_feeds() if f.last_exception)
elif kind == "serial":
    import feedparser
    cache, total = {}, 0
    def first():
        global total
        for u in urls:
            d = feedparser.parse(u)
            cache[u] = (d.get("etag"), d.get("modified"))
            total += len(d.entries)
    timed("first", first)
    timed("second", lambda: [feedparser.parse(u, etag=cache[u][0], modified=cache[u][1]) for u in urls])
    out["entries"] = total
out["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
out["children_peak_rss_mb"] = max(child_peaks.values(), default=0) / 1024
out["tree_peak_mb"] = tree_peak[0] / 1024
print(json.dumps(out))
"""


# Atelier CM's database is created, migrated and given the feeds by another process first, as the
# app (or the first run) does once: the measured process is a refresh on an existing database.
PREPARE = r"""
import os, sys
urls_file, workdir = sys.argv[1], sys.argv[2]
os.environ.update(ATELIER_DATA_DIR=workdir, ATELIER_DATABASE_URL=f"sqlite:///{workdir}/atelier.db",
                  ATELIER_SECRET_KEY="bench")
from workbench.db import ensure_database, session_scope
from curation.feeds import get_or_create_feed
ensure_database()
with session_scope() as s:
    for u in open(urls_file).read().split():
        get_or_create_feed(s, u)
"""


def run_contender(kind: str, urls_file: Path, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind.replace(':', '-')}-") as workdir:
        if kind == "atelier":
            subprocess.run(
                [sys.executable, "-c", PREPARE, str(urls_file), workdir],
                cwd=ROOT,
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CONTENDER, kind, str(urls_file), workdir],
            cwd=ROOT,
            capture_output=True,
            text=True,
            timeout=timeout,
            env={**os.environ, "PYTHONPATH": str(ROOT)},
        )
        if done.returncode != 0:
            raise RuntimeError(f"{kind} failed:\n{done.stderr[-3000:]}")
        result = json.loads(done.stdout.strip().splitlines()[-1])
        result["wall_s"] = time.perf_counter() - started
        result["load"] = os.getloadavg()[0]
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=300)
    parser.add_argument("--hosts", type=int, default=100, help="host names the feeds are spread over")
    parser.add_argument("--drip-s", type=float, default=20.0, help="how long the drip feed holds")
    parser.add_argument(
        "--contenders",
        default="atelier,reader:16,reader:1",
        help="atelier, reader:N (update_feeds(workers=N)), serial (a feedparser loop)",
    )
    args = parser.parse_args()
    kinds = args.contenders.split(",")
    farm = build_farm(args.feeds, drip_for_s=args.drip_s, hosts=args.hosts)
    results: dict[str, list[dict]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(farm.urls))
        urls_file = Path(fh.name)
    try:
        for run in range(args.runs):
            for kind in kinds:
                farm.server.sent.clear()
                result = run_contender(kind, urls_file, timeout=1800)
                time.sleep(0.5)
                result["big_body_bytes_sent"] = farm.server.sent[farm.big_path]
                results.setdefault(kind, []).append(result)
                print(f"run {run + 1} {kind}: {json.dumps(result)}", file=sys.stderr, flush=True)
    finally:
        farm.server.stop()
        urls_file.unlink()

    def med(kind: str, key: str) -> float:
        values = [r[key] for r in results.get(kind, []) if key in r]
        return statistics.median(values) if values else float("nan")

    print(
        f"\n{args.feeds} feeds on {args.hosts} host names, drip holding {args.drip_s:g} s, {args.runs} runs, "
        f"medians; load average {min(med(k, 'load') for k in kinds):.1f}–{max(med(k, 'load') for k in kinds):.1f}\n"
    )
    print(
        "| contender | first refresh (s) | CPU (s) | second refresh (s) | CPU (s) | peak memory, whole run (MB) "
        "| refreshing process (MB) | parsing process (MB) | entries | 50 MB body: bytes sent |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
    for kind in kinds:
        print(
            f"| {kind} | {med(kind, 'first_s'):.1f} | {med(kind, 'first_cpu_s'):.1f} | {med(kind, 'second_s'):.1f} "
            f"| {med(kind, 'second_cpu_s'):.1f} | {med(kind, 'tree_peak_mb'):.0f} | {med(kind, 'peak_rss_mb'):.0f} "
            f"| {med(kind, 'children_peak_rss_mb'):.0f} | {med(kind, 'entries'):.0f} "
            f"| {med(kind, 'big_body_bytes_sent') / 1e6:.1f} MB |"
        )
    if "atelier" in results:
        print(
            f"\natelier: third refresh as « Actualiser maintenant » runs it ({med('atelier', 'backoff_skipped'):.0f} "
            f"failing feeds left to their back-off) {med('atelier', 'backoff_s'):.1f} s, "
            f"CPU {med('atelier', 'backoff_cpu_s'):.1f} s; slowest feed of the first refresh "
            f"{med('atelier', 'slowest_feed_s'):.1f} s; 304 on the second: {med('atelier', 'not_modified'):.0f} feeds"
        )
        for kind in (k for k in kinds if k.startswith("reader")):
            print(
                f"ratios atelier/{kind}: first {med('atelier', 'first_s') / med(kind, 'first_s'):.2f} (goal ≤ 0.50), "
                f"second {med('atelier', 'second_s') / med(kind, 'second_s'):.2f} (goal ≤ 0.33), "
                f"peak memory {med('atelier', 'tree_peak_mb') / med(kind, 'tree_peak_mb'):.2f}"
            )


if __name__ == "__main__":
    main()
