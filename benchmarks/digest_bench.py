"""Building a digest from 10,000 candidate entries, without translation calls.

A cohort follows 40 feeds (half French, half English, in 8 folders); 10,000 entries arrived in the
last 24 hours, 10 % of them retelling another entry's story. The list has 12 keywords and 3 tags
and keeps 20 items. Timed (median of --repeat runs, SQLite):

- anchor: loading the window's candidates only (the SQL query and plain-text summaries);
- build, translation off: select, rank, group, keep 20, render HTML, text and Markdown;
- build, memory pre-filled: the same with translation on, every text already in the translation
  memory (filled once beforehand through the fake LibreTranslate server on 127.0.0.1).

Each figure is given as wall-clock time and as the process's CPU time: on a shared, loaded machine
the wall clock mostly measures the queue for a core, the CPU time what the code costs.

    python benchmarks/digest_bench.py [--entries 10000] [--repeat 5]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

WORDS_FR = ["réseaux", "sociaux", "engagement", "communauté", "marque", "influence", "vidéo", "format", "algorithme", "audience", "campagne", "stratégie", "contenu", "modération", "crise", "réputation", "lancement", "croissance", "publicité", "abonnés"]  # fmt: skip
WORDS_EN = ["brand", "community", "reach", "engagement", "followers", "creators", "video", "short", "format", "algorithm", "audience", "campaign", "social", "media", "platform", "report", "study", "trend", "influencer", "marketing"]  # fmt: skip
KEYWORDS = ["engagement", "TikTok", "Instagram", "influence", "modération", "crise", "LinkedIn", "vidéo courte",
            "algorithme", "community", "reach", "creators"]  # fmt: skip


def _text(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize()


def setup(db_url: str, entries: int, seed: int) -> tuple[object, int]:
    from curation.digest.lists import ListSettings, create_list
    from curation.models import Entry, Feed, Subscription
    from tests.conftest import People
    from workbench.db import session_scope

    people = People(db_url)
    rng = random.Random(seed)
    now = datetime.now(UTC)
    with session_scope(db_url) as s:
        feeds = []
        for i in range(40):
            feed = Feed(url=f"https://feed{i}.example/rss", title=f"Source {i}")
            s.add(feed)
            s.flush()
            s.add(Subscription(feed_id=feed.id, cohort_id=people.cohort_id, folder=f"Dossier {i % 8}"))
            feeds.append((feed.id, "fr" if i % 2 == 0 else "en"))
        rows = []
        for n in range(entries):
            feed_id, lang = rng.choice(feeds)
            words = WORDS_FR if lang == "fr" else WORDS_EN
            extra = rng.choice(KEYWORDS) if rng.random() < 0.2 else ""
            seen = now - timedelta(minutes=rng.randint(1, 23 * 60))
            rows.append(
                {
                    "feed_id": feed_id,
                    "guid": f"urn:{n}",
                    "link": f"https://news.example/{n}",
                    "title": f"{_text(rng, words, 9)} {extra}".strip(),
                    "summary": f"<p>{_text(rng, words, 30)}. {_text(rng, words, 20)}.</p>",
                    "published_at": seen,
                    "first_seen_at": seen,
                    "language": lang,
                    "image_url": f"https://img.example/{n}.jpg" if n % 3 == 0 else "",
                    "story_id": n // 2 if n % 10 == 0 else None,
                }
            )
        s.execute(Entry.__table__.insert(), rows)
        view = create_list(
            s, people.trainer,
            ListSettings(name="Bench", cohort_id=people.cohort_id, keywords=KEYWORDS, tags=["Dossier 1", "tiktok"],
                         max_items=20),
        )  # fmt: skip
    return people, view.id


def timed(fn, repeat: int) -> tuple[float, float]:
    """Median wall-clock and median CPU seconds of ``repeat`` runs."""
    wall, cpu = [], []
    for _ in range(repeat):
        started, started_cpu = time.perf_counter(), time.process_time()
        fn()
        wall.append(time.perf_counter() - started)
        cpu.append(time.process_time() - started_cpu)
    return statistics.median(wall), statistics.median(cpu)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        os.environ["ATELIER_DATA_DIR"] = tmp
        db_url = f"sqlite:///{tmp}/bench.db"
        os.environ["ATELIER_DATABASE_URL"] = db_url
        from curation.digest.compose import build_draft
        from curation.digest.lists import owned_list
        from curation.digest.render import render_digest
        from curation.digest.selection import list_sources, load_candidates
        from curation.translation.providers import ProviderConfig
        from tests.libre_fake import FakeLibreServer
        from workbench.db import session_scope, upgrade_database

        upgrade_database(db_url)
        people, list_id = setup(db_url, args.entries, args.seed)
        now = datetime.now(UTC)

        def anchor() -> None:
            with session_scope(db_url) as s:
                row = owned_list(s, people.trainer, list_id)
                sources = list_sources(s, people.trainer, row)
                assert len(load_candidates(s, list(sources), now - timedelta(hours=24), now)) == args.entries

        def build(translate: bool, config=None):
            def run() -> None:
                with session_scope(db_url) as s:
                    draft = build_draft(s, people.trainer, list_id, now=now, translate=translate,
                                        translation=config)  # fmt: skip
                    assert len(draft.items) == 20 and not draft.notices, draft.notices
                    render_digest(draft)

            return run

        results = {"anchor: load 10,000 candidates": timed(anchor, args.repeat)}
        results["build + render, translation off"] = timed(build(False), args.repeat)
        with FakeLibreServer() as libre:
            config = ProviderConfig(provider="libre", provider_url=libre.url, allow_private_networks=True)
            build(True, config)()  # fills the memory
            libre.reset_counts()
            results["build + render, memory pre-filled"] = timed(build(True, config), args.repeat)
            assert libre.calls == 0, "the timed runs must not call the provider"
    anchor_wall, anchor_cpu = results["anchor: load 10,000 candidates"]
    print(
        f"Entries: {args.entries:,}; runs per figure: {args.repeat}; SQLite; load average {os.getloadavg()[0]:.1f}"
    )
    print("| step | wall median (s) | ratio | CPU median (s) | ratio |")
    print("|---|---:|---:|---:|---:|")
    for label, (wall, cpu) in results.items():
        print(f"| {label} | {wall:.3f} | {wall / anchor_wall:.2f} | {cpu:.3f} | {cpu / anchor_cpu:.2f} |")


if __name__ == "__main__":
    main()
