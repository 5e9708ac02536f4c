"""Watch refresh against the local feed farm: Atelier CM vs lemon24/reader vs a serial feedparser loop.

Each contender runs in its own subprocess (so its peak RSS is its own) against the same farm,
served by this process on 127.0.0.1; each does a first refresh (everything new) and a second one
right after (mostly 304 Not Modified). Medians of ``--runs`` runs are printed as a Markdown table.

    python benchmarks/refresh_bench.py --runs 3 [--feeds 500] [--reader-workers 1]

reader (``update_feeds``) is the anchor: ``pip install -r requirements-dev.txt`` installs it.
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
kind, urls_file, workdir, extra = sys.argv[1], sys.argv[2], sys.argv[3], sys.argv[4]
urls = open(urls_file).read().split()
out = {}
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
                    if b"parse_worker" not in open(f"/proc/{pid}/cmdline", "rb").read():
                        continue  # not exec'ed yet: still the parent's pages
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
    # The farm serves all its feeds from one host (127.0.0.1): lift the per-host limit (2 by default)
    # to the global one, as 500 real feeds spread over hundreds of hosts would allow.
    os.environ.update(ATELIER_DATA_DIR=workdir, ATELIER_DATABASE_URL=f"sqlite:///{workdir}/atelier.db",
                      ATELIER_ALLOW_PRIVATE_NETWORKS="1", ATELIER_SECRET_KEY="bench",
                      ATELIER_FETCH_PER_HOST_CONCURRENCY=os.environ.get("ATELIER_FETCH_PER_HOST_CONCURRENCY", "32"))
    from workbench.db import ensure_database
    from curation.refresh import refresh_feeds
    ensure_database()  # created by PREPARE: a refresh process (cron) finds its database migrated
    t = time.perf_counter(); first = refresh_feeds(); out["first_s"] = time.perf_counter() - t
    t = time.perf_counter(); second = refresh_feeds(force=True); out["second_s"] = time.perf_counter() - t
    out["entries"] = first.entries_total
    out["errors"] = first.errors
    out["not_modified"] = sum(s.status == "not_modified" for s in second.statuses)
    out["slowest_feed_s"] = max(s.elapsed_s for s in first.statuses)
elif kind == "reader":
    from reader import make_reader
    r = make_reader(f"{workdir}/reader.sqlite")
    for u in urls:
        r.add_feed(u)
    workers = int(extra)
    t = time.perf_counter(); r.update_feeds(workers=workers); out["first_s"] = time.perf_counter() - t
    t = time.perf_counter(); r.update_feeds(workers=workers, scheduled=False); out["second_s"] = time.perf_counter() - t
    out["entries"] = r.get_entry_counts().total
    out["errors"] = sum(1 for f in r.get_feeds() if f.last_exception)
elif kind == "serial":
    import feedparser
    cache, total = {}, 0
    t = time.perf_counter()
    for u in urls:
        d = feedparser.parse(u)
        cache[u] = (d.get("etag"), d.get("modified"))
        total += len(d.entries)
    out["first_s"] = time.perf_counter() - t
    t = time.perf_counter()
    for u in urls:
        feedparser.parse(u, etag=cache[u][0], modified=cache[u][1])
    out["second_s"] = time.perf_counter() - t
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


def run_contender(kind: str, urls_file: Path, extra: str, timeout: float) -> dict:
    with tempfile.TemporaryDirectory(prefix=f"bench-{kind}-") as workdir:
        if kind == "atelier":
            subprocess.run(
                [sys.executable, "-c", PREPARE, str(urls_file), workdir],
                cwd=ROOT,
                check=True,
                env={**os.environ, "PYTHONPATH": str(ROOT)},
            )
        started = time.perf_counter()
        done = subprocess.run(
            [sys.executable, "-c", CONTENDER, kind, str(urls_file), workdir, extra],
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
        return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--feeds", type=int, default=500)
    parser.add_argument(
        "--reader-workers", type=int, default=1, help="reader's update_feeds(workers=…); its default is 1"
    )
    parser.add_argument("--contenders", default="atelier,reader,serial")
    args = parser.parse_args()
    farm = build_farm(args.feeds)
    results: dict[str, list[dict]] = {}
    with tempfile.NamedTemporaryFile("w", suffix=".txt", delete=False) as fh:
        fh.write("\n".join(farm.urls))
        urls_file = Path(fh.name)
    try:
        for run in range(args.runs):
            for kind in args.contenders.split(","):
                farm.server.sent.clear()
                result = run_contender(kind, urls_file, str(args.reader_workers), timeout=1800)
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

    print(f"\n{args.feeds} feeds, {args.runs} runs, medians (reader workers={args.reader_workers})\n")
    print(
        "| contender | first refresh (s) | second refresh (s) | peak RSS (MB) | child process peak RSS (MB) "
        "| with its child process (MB) | entries | 50 MB body: bytes sent |"
    )
    print("|---|---:|---:|---:|---:|---:|---:|---:|")
    for kind in results:
        print(
            f"| {kind} | {med(kind, 'first_s'):.1f} | {med(kind, 'second_s'):.1f} | {med(kind, 'peak_rss_mb'):.0f} | "
            f"{med(kind, 'children_peak_rss_mb'):.0f} | {med(kind, 'tree_peak_mb'):.0f} | "
            f"{med(kind, 'entries'):.0f} | {med(kind, 'big_body_bytes_sent') / 1e6:.1f} MB |"
        )
    if "atelier" in results and "reader" in results:
        print(
            f"\nratios atelier/reader: first {med('atelier', 'first_s') / med('reader', 'first_s'):.2f} "
            f"(goal ≤ 0.33), second {med('atelier', 'second_s') / med('reader', 'second_s'):.2f} (goal ≤ 0.50); "
            f"slowest feed {med('atelier', 'slowest_feed_s'):.1f} s; "
            f"304 on second run: {med('atelier', 'not_modified'):.0f} feeds"
        )


if __name__ == "__main__":
    main()
