"""Characters sent to the translation provider for a day's wall and digest, with and without the
translation memory.

A generated day (seeded, reproducible): a cohort of 12 trainees and their trainer follow the same
English sources; the wall holds 150 English items in the morning and 190 in the afternoon, 15 % of
them syndicated copies of another outlet's item. Every person translates the titles of their whole
wall twice ("Traduire les titres"), translates 10 cards (title and summary), reads 2 articles side
by side; in the evening the digest sends each person the titles and summaries of the day's top 20.

The real deep-translator client talks to the fake LibreTranslate server (tests/libre_fake.py) on
127.0.0.1, which counts requests and characters. "Without memory" empties the memory before each
action (what a client without one sends); "with memory" keeps it for the whole day.

    python benchmarks/translation_chars.py [--people 13] [--seed 7]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from sqlalchemy import delete

from curation.translation.models import TranslationMemory
from curation.translation.providers import ProviderConfig
from curation.translation.service import translate_texts
from tests.libre_fake import FakeLibreServer
from workbench.db import session_scope, upgrade_database

WORDS = [
    "brand",
    "community",
    "reach",
    "engagement",
    "rate",
    "followers",
    "creators",
    "video",
    "short",
    "format",
    "algorithm",
    "audience",
    "campaign",
    "social",
    "media",
    "platform",
    "report",
    "study",
    "trend",
    "influencer",
    "marketing",
    "content",
    "strategy",
    "launch",
    "users",
    "growth",
    "organic",
    "paid",
    "ads",
    "newsletter",
    "story",
    "live",
    "stream",
    "moderation",
    "crisis",
    "reputation",
    "feature",
]


@dataclass
class Item:
    title: str
    summary: str
    paragraphs: list[str]


def _sentence(rng: random.Random, n: int) -> str:
    words = [rng.choice(WORDS) for _ in range(n)]
    return " ".join(words).capitalize() + "."


def make_day(rng: random.Random, count: int) -> list[Item]:
    items: list[Item] = []
    for _ in range(count):
        if items and rng.random() < 0.15:  # the same story carried by another outlet
            items.append(rng.choice(items))
            continue
        items.append(
            Item(
                title=_sentence(rng, rng.randint(8, 12)).rstrip("."),
                summary=" ".join(_sentence(rng, rng.randint(12, 20)) for _ in range(3)),
                paragraphs=[" ".join(_sentence(rng, 15) for _ in range(4)) for _ in range(8)],
            )
        )
    return items


def actions(rng: random.Random, people: int) -> list[list[str]]:
    """Every translation request of the day, in order, as the list of texts each one sends."""
    morning = make_day(rng, 150)
    afternoon = morning + make_day(rng, 40)
    popular = afternoon[:20]
    day: list[list[str]] = []
    for _ in range(people):
        day.append([i.title for i in morning])
    for _ in range(people):
        for card in rng.sample(morning, 10):
            day.append([card.title, card.summary])
        for article in rng.sample(popular, 2):
            day.append(article.paragraphs)
    for _ in range(people):
        day.append([i.title for i in afternoon])
    top = afternoon[:20]
    for _ in range(people):  # the digest, one e-mail per person
        day.append([t for i in top for t in (i.title, i.summary)])
    return day


def run(day: list[list[str]], *, memory: bool, db_url: str) -> tuple[int, int, float]:
    """(characters sent, requests, seconds) for the whole day."""
    with FakeLibreServer() as server:
        config = ProviderConfig(
            provider="libre", provider_url=server.url, allow_private_networks=True, deadline_s=120
        )
        started = time.perf_counter()
        for texts in day:
            if not memory:
                with session_scope(db_url) as session:
                    session.execute(delete(TranslationMemory))
            with session_scope(db_url) as session:
                result = translate_texts(session, texts, source="en", config=config)
                assert result.complete, result.message
        return server.chars, server.calls, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=13)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    day = actions(random.Random(args.seed), args.people)
    raw_chars = sum(len(t) for texts in day for t in texts)
    print(f"Actions: {len(day)}; texts: {sum(len(t) for t in day)}; characters in them: {raw_chars:,}")
    results: dict[str, list[tuple[int, int, float]]] = {"without memory": [], "with memory": []}
    for _ in range(args.repeat):
        for label, memory in (("without memory", False), ("with memory", True)):
            with tempfile.TemporaryDirectory() as tmp:
                os.environ["ATELIER_DATA_DIR"] = tmp
                db_url = f"sqlite:///{tmp}/bench.db"
                upgrade_database(db_url)
                results[label].append(run(day, memory=memory, db_url=db_url))
    anchor = results["without memory"][0][0]
    print("| run | characters sent | requests | ratio vs without memory | median time (s) |")
    print("|---|---:|---:|---:|---:|")
    for label, rows in results.items():
        chars, calls, _ = rows[0]
        seconds = statistics.median(r[2] for r in rows)
        print(f"| {label} | {chars:,} | {calls:,} | {chars / anchor:.3f} | {seconds:.2f} |")


if __name__ == "__main__":
    main()
