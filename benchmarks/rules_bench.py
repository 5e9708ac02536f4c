"""Time added to a refresh by monitoring: 50 rules (and 5 watches) applied to 10,000 new entries.

Run: ``python benchmarks/rules_bench.py [--runs 5] [--entries 10000] [--rules 50] [--watches 5]``.

A seeded set of French and English entries (title + a 300–600 character summary, as news feeds
send them; words Zipf-distributed over a 4,000-word vocabulary where the rules' words sit at
ranks 30 to 1,500, and 40 % of entries name one of 10 brands) spread over 20 feeds that one person follows; 50 rules of the kinds people write
(words, phrases, ET/OU/SAUF, fields, 5 regular expressions), with actions that write (highlight,
mark as read, hide, alert). Each run stores the 20 feeds into a fresh SQLite database the way a
refresh does (``store_entries``, one transaction per feed, plugins deferred, then one
``curation.plugins.drain``), once with no post-store plugin (the
anchor) and once with the monitoring plugin; the difference is the time monitoring adds.
Median of ``--runs`` runs, wall-clock and CPU time of the process (the CPU figure is the one to
read on a shared, loaded machine); ``--watches`` adds a third pass with monitoring watches too.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def _words(text: str) -> list[str]:
    return text.split()


FR_WORDS = _words(
    "réseaux sociaux communauté marque engagement abonnés publication campagne influenceurs stratégie "
    "contenu vidéo direct modération commentaires client service offre tarif lancement produit fibre "
    "mobile opérateur banque assurance énergie transport voyage mode beauté sport culture musique "
    "jeu vidéo intelligence artificielle données sécurité panne incident grève résultats croissance "
    "chiffre affaires annonce partenariat rachat innovation startup recrutement télétravail écologie"
)
EN_WORDS = _words(
    "social media community brand engagement followers post campaign influencers strategy content "
    "video live moderation comments customer service offer price launch product network mobile carrier "
    "bank insurance energy travel fashion beauty sport culture music gaming artificial intelligence "
    "data security outage incident strike results growth revenue announcement partnership acquisition"
)
BRANDS = [
    "Orange",
    "SFR",
    "Free",
    "Bouygues",
    "Decathlon",
    "Airbus",
    "Renault",
    "Danone",
    "Carrefour",
    "Fnac",
]
MONITORING_PLUGIN = "curation.monitoring.plugin.apply_to_new_entries"
RULE_TEMPLATES = [
    "{b}",
    "{b} SAUF (jus OU fruit OU couleur)",
    '"{w1} {w2}"',
    "titre:{b} ET (panne OU incident OU grève)",
    "({b} OU {b2}) -promo",
    "{w1} ET {w2}",
    "contenu:{w1} langue:fr",
    "titre:({w1} OR {w2}) AND NOT {b}",
    "source:actu {w1}",
    "dossier:marques {b}",
]
REGEX_RULES = [
    r"titre:/\b{b}\b/",
    r"contenu:/\b0[67]\d{{8}}\b/",
    r"/e-?r[ée]putation/",
    r"contenu:/\d+ ?%/",
    r"titre:/^{b}/",
]


SYLLABLES = [c + v for c in "bcdflmnprstv" for v in "aeiou"]


def _vocabulary(rng: random.Random, themed: list[str], size: int = 4000) -> tuple[list[str], list[float]]:
    """Zipf-distributed words: a large filler vocabulary with the themed words spread among its ranks."""
    filler = {"".join(rng.choice(SYLLABLES) for _ in range(rng.randint(2, 4))) for _ in range(size)}
    words = sorted(filler)
    rng.shuffle(words)
    for k, word in enumerate(themed):
        words.insert(30 + k * 25, word)  # ranks 30..1500: common to uncommon
    return words, [1 / (rank + 1) for rank in range(len(words))]


def _sentence(rng: random.Random, vocab: tuple[list[str], list[float]], n: int) -> str:
    return " ".join(rng.choices(vocab[0], vocab[1], k=n))


def make_items(rng: random.Random, count: int) -> list[dict]:
    items = []
    vocabularies = {True: _vocabulary(rng, FR_WORDS), False: _vocabulary(rng, EN_WORDS)}
    for i in range(count):
        french = rng.random() < 0.7
        words = vocabularies[french]
        brand = rng.choice(BRANDS) if rng.random() < 0.4 else ""
        title = f"{brand} {_sentence(rng, words, rng.randint(5, 10))}".strip().capitalize()
        summary = ". ".join(
            _sentence(rng, words, rng.randint(8, 16)).capitalize() for _ in range(rng.randint(3, 6))
        )
        if brand and rng.random() < 0.5:
            summary += f". {brand} {_sentence(rng, words, 6)}"
        items.append(
            {"title": title, "summary": f"<p>{summary}.</p>", "lang": "fr" if french else "en", "i": i}
        )
    return items


def make_rules(rng: random.Random, count: int) -> list[str]:
    queries = []
    for i in range(count):
        if i % 10 == 9:
            template = REGEX_RULES[(i // 10) % len(REGEX_RULES)]
        else:
            template = RULE_TEMPLATES[i % len(RULE_TEMPLATES)]
        words = FR_WORDS if i % 3 else EN_WORDS
        queries.append(
            template.format(
                b=rng.choice(BRANDS), b2=rng.choice(BRANDS), w1=rng.choice(words), w2=rng.choice(words)
            )
        )
    return queries


def one_run(items: list[dict], queries: list[str], watches: int, feeds: int, with_plugin: bool) -> dict:
    from datetime import timedelta

    from curation import plugins
    from curation.feeds import get_or_create_feed, subscribe_feed
    from curation.models import Feed
    from curation.monitoring import rules as R
    from curation.monitoring import watches as W
    from curation.parse import ParsedEntry, ParsedFeed
    from curation.store import store_entries
    from workbench import db as wdb
    from workbench.access import Actor
    from workbench.accounts import create_first_trainer
    from workbench.settings import get_settings

    tmp = tempfile.mkdtemp(prefix="rules-bench-")
    os.environ["ATELIER_DATA_DIR"] = tmp
    os.environ["ATELIER_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
    get_settings.cache_clear()
    wdb.dispose_engines()
    wdb._factories.clear()
    wdb.upgrade_database()
    with wdb.session_scope() as s:
        user = create_first_trainer(
            s, email="cm@example.fr", display_name="CM", password="motdepasse-bench-1"
        )
        actor = Actor.of(user)
        feed_ids = []
        for f in range(feeds):
            feed = get_or_create_feed(s, f"https://actu{f}.example.fr/rss")
            feed.title = f"Actu {f}"
            subscribe_feed(s, actor, feed, folder="Marques" if f % 2 else "Tech")
            feed_ids.append(feed.id)
        if with_plugin:
            for i, query in enumerate(queries):
                actions = R.RuleActions(
                    highlight=i % 4 == 0, mark_read=i % 4 == 1, hide=i % 4 == 2, alert=i % 4 == 3
                )
                R.create_rule(s, actor, name=f"Règle {i}", query=query, actions=actions)
            for brand in BRANDS[:watches]:
                W.create_watch(
                    s, actor, W.WatchInput(name=brand, exclusions=["jus", "fruit"], alert_threshold=50)
                )
    now = wdb.utcnow()
    parsed = []
    per_feed = len(items) // feeds
    for f in range(feeds):
        chunk = items[f * per_feed : (f + 1) * per_feed]
        parsed.append(
            ParsedFeed(
                title=f"Actu {f}",
                entries=[
                    ParsedEntry(
                        guid=f"{f}-{it['i']}",
                        link=f"https://actu{f}.example.fr/{it['i']}",
                        title=it["title"],
                        summary=it["summary"],
                        language=it["lang"],
                        published_at=now - timedelta(minutes=it["i"] % 600),
                        content_hash=str(it["i"]),
                    )
                    for it in chunk
                ],
            )
        )
    saved = list(plugins.POST_STORE_PLUGINS)
    # Anchor: no plugin at all; measured pass: the monitoring plugin alone (not other areas').
    plugins.POST_STORE_PLUGINS[:] = [MONITORING_PLUGIN] if with_plugin else []
    try:
        t0, c0 = time.perf_counter(), time.process_time()
        for feed_id, doc in zip(feed_ids, parsed, strict=True):  # as a refresh: plugins deferred...
            with wdb.session_scope() as s:
                store_entries(s, s.get(Feed, feed_id), doc, defer_plugins=True)
        plugins.drain()  # ... then run over every feed's entries
        elapsed, cpu = time.perf_counter() - t0, time.process_time() - c0
    finally:
        plugins.POST_STORE_PLUGINS[:] = saved
    from sqlalchemy import func, select

    from curation.monitoring.models import Alert, Mention, RuleMatch

    with wdb.session_scope() as s:
        counts = {
            "rule_matches": s.scalar(select(func.count(RuleMatch.id))),
            "mentions": s.scalar(select(func.count(Mention.id))),
            "alerts": s.scalar(select(func.count(Alert.id))),
        }
    wdb.dispose_engines()
    wdb._factories.clear()
    return {"store_s": elapsed, "cpu_s": cpu, **counts}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--rules", type=int, default=50)
    parser.add_argument("--watches", type=int, default=5)
    parser.add_argument("--feeds", type=int, default=20)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    rng = random.Random(args.seed)
    items = make_items(rng, args.entries)
    queries = make_rules(rng, args.rules)
    passes: dict[str, list[dict]] = {"anchor": [], "rules": [], "rules_and_watches": []}
    for _ in range(args.runs):
        passes["anchor"].append(one_run(items, queries, 0, args.feeds, with_plugin=False))
        passes["rules"].append(one_run(items, queries, 0, args.feeds, with_plugin=True))
        if args.watches:
            passes["rules_and_watches"].append(
                one_run(items, queries, args.watches, args.feeds, with_plugin=True)
            )

    def median(name: str, key: str) -> float:
        return statistics.median(run[key] for run in passes[name])

    result: dict = {"entries": args.entries, "rules": args.rules, "watches": args.watches, "runs": args.runs}
    for key in ("store_s", "cpu_s"):
        result[f"anchor_{key}"] = round(median("anchor", key), 3)
        for name in ("rules", "rules_and_watches"):
            if passes[name]:
                result[f"{name}_{key}"] = round(median(name, key), 3)
                result[f"{name}_added_{key}"] = round(median(name, key) - median("anchor", key), 3)
    for name in ("rules", "rules_and_watches"):
        if passes[name]:
            result[f"{name}_outcome"] = {
                k: v for k, v in passes[name][-1].items() if k not in ("store_s", "cpu_s")
            }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
