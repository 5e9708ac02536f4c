"""Search latency on 100k entries: median and p95 per kind of query, SQLite and PostgreSQL.

    python benchmarks/search_bench.py [--entries 100000] [--postgres postgresql://.../empty_db]

Entries come from the labelled news corpus (French and English). One person sees about two thirds of
the 400 feeds (own subscriptions and their cohort's). Anchor in the same run: a ``LIKE '%word%'``
scan over title and summary, what a search without an index costs.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import func, insert, or_, select

from benchmarks.story_corpus import generate
from curation import search as search_module
from curation.models import Entry, Feed, Subscription
from curation.search import search, sync_index
from curation.visibility import EntryFilters, filter_entries
from workbench.access import Actor
from workbench.accounts import create_first_trainer
from workbench.cohorts import create_cohort
from workbench.db import session_scope, upgrade_database
from workbench.models import User

QUERIES = {
    "one word": [
        "modération",
        "algorithme",
        "abonnements",
        "TikTok",
        "créateurs",
        "influenceurs",
        "Instagram",
    ],
    "two words": ["publicités ciblées", "LinkedIn statistiques", "vidéos courtes", "creator payouts"],
    "phrase": ['"réalité augmentée"', '"community managers"', '"fil chronologique"', '"paid subscriptions"'],
    "OR / exclusion": [
        "Threads OR Bluesky",
        "marques -TikTok",
        "live OR direct -shopping",
        "Meta -Instagram",
    ],
    "rare word": ["Doctolib", "Ouzbékistan", "Vinted", "Seychelles"],
}


def load(url: str, n: int) -> Actor:
    upgrade_database(url)
    docs = generate(n, seed=11, days=120)
    with session_scope(url) as s:
        trainer = create_first_trainer(
            s, email="bench@example.fr", display_name="Bench", password="motdepasse-1"
        )
        actor = Actor.of(trainer)
        cohort = create_cohort(s, actor, name="Bench")
        feeds = [Feed(url=f"https://feed{i}.example/rss", title=f"Source {i}") for i in range(400)]
        s.add_all(feeds)
        s.flush()
        subs = []
        for i, feed in enumerate(feeds):
            if i % 3 == 0:
                subs.append(
                    {"feed_id": feed.id, "user_id": actor.id, "folder": f"Dossier {i % 5}", "title": ""}
                )
            elif i % 3 == 1:
                subs.append({"feed_id": feed.id, "cohort_id": cohort.id, "folder": "Promo", "title": ""})
        s.execute(insert(Subscription), subs)
        rows = [
            {
                "feed_id": feeds[(d.feed_id * 7 + d.entry_id) % 400].id,
                "guid": f"g{d.entry_id}",
                "link": f"https://news.example/{d.entry_id}",
                "title": d.title,
                "summary": f"<p>{d.text}</p>",
                "content": "",
                "author": "",
                "published_at": d.at,
                "first_seen_at": d.at,
                "image_url": "",
                "language": d.lang,
                "content_hash": "",
            }
            for d in docs
        ]
        for start in range(0, len(rows), 5000):
            s.execute(insert(Entry), rows[start : start + 5000])
    t0 = time.perf_counter()
    with session_scope(url) as s:
        sync_index(s, batch=2000)
    print(f"  indexed {n} entries in {time.perf_counter() - t0:.1f} s")
    return actor


def timed(fn, repeat: int = 5) -> list[tuple[float, float]]:
    """(wall ms, CPU ms) per run. On SQLite the query runs in this process, so CPU time is its cost
    even when the machine is shared; on PostgreSQL only wall time means something."""
    times = []
    for _ in range(repeat):
        wall, cpu = time.perf_counter(), time.process_time()
        fn()
        times.append(((time.perf_counter() - wall) * 1000, (time.process_time() - cpu) * 1000))
    return times


def report(label: str, times: list[tuple[float, float]]) -> None:
    wall, cpu = [t[0] for t in times], [t[1] for t in times]
    print(
        f"  {label:40} wall median {statistics.median(wall):6.1f} ms  p95 {p95(wall):6.1f} ms"
        f"   CPU median {statistics.median(cpu):6.1f} ms  p95 {p95(cpu):6.1f} ms"
    )


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20)[-1] if len(values) > 1 else values[0]


def run(url: str, actor: Actor) -> None:
    all_times: list[tuple[float, float]] = []
    filters = {
        "no filter": None,
        "unread, French, 30 days": EntryFilters(
            read=False, language="fr", date_from=date(2026, 2, 1), date_to=date(2026, 3, 3)
        ),
        "one folder": EntryFilters(folder="Promo"),
    }
    with session_scope(url) as s:
        for label, flt in filters.items():
            for kind, queries in QUERIES.items():
                times: list[tuple[float, float]] = []
                for q in queries:
                    times += timed(lambda q=q, flt=flt: search(s, actor, q, flt, limit=50))
                all_times += times
                report(f"{label} / {kind}", times)
        report("ALL QUERIES", all_times)

        def like(word: str) -> None:
            pattern = f"%{word}%"
            stmt = filter_entries(
                select(Entry.id).where(or_(Entry.title.ilike(pattern), Entry.summary.ilike(pattern))),
                s,
                actor,
                None,
            )
            s.execute(
                stmt.order_by(func.coalesce(Entry.published_at, Entry.first_seen_at).desc()).limit(50)
            ).all()

        anchor = []
        for word in QUERIES["one word"]:
            anchor += timed(lambda word=word: like(word), repeat=2)
        report("anchor: LIKE '%word%' (one word)", anchor)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=100_000)
    parser.add_argument("--postgres", help="URL of an empty PostgreSQL database to fill and measure")
    parser.add_argument(
        "--keep", metavar="DIR", help="keep the SQLite database in DIR and reuse it next time"
    )
    parser.add_argument(
        "--wide",
        type=int,
        default=search_module.WIDE_QUERY,
        help="matches beyond which only the most recent are ranked first (curation.search.WIDE_QUERY)",
    )
    args = parser.parse_args()
    search_module.WIDE_QUERY = args.wide
    print(f"WIDE_QUERY = {args.wide}")
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite:///{args.keep or tmp}/search_bench_{args.entries}.db"
        print(f"SQLite ({args.entries} entries)")
        if args.keep and Path(url.split("///", 1)[1]).exists():
            upgrade_database(url)  # a database kept by an older version: bring its schema up to date
            with session_scope(url) as s:
                actor = Actor.of(s.scalars(select(User)).one())
        else:
            actor = load(url, args.entries)
        run(url, actor)
    if args.postgres:
        print(f"PostgreSQL ({args.entries} entries)")
        run(args.postgres, load(args.postgres, args.entries))


if __name__ == "__main__":
    main()
