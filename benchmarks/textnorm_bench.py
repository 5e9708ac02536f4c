"""Text normalisation (``curation.textnorm``) against its previous implementation, same run.

Run: ``python benchmarks/textnorm_bench.py [--runs 5] [--entries 10000] [--stories 3000] [--plugin]``.

Two corpora: the rules benchmark's entries (``benchmarks/rules_bench.py``, seed 7: titles and
plain-text summaries, French and English, few accents) and the story corpus
(``benchmarks/story_corpus.py``, seed 1: French and English news with accents, « ’ », « — »).
Each function (``tokens``, ``token_set``, ``content_tokens``, ``normalise_for_search``, ``fold``)
runs over every text of a corpus with its word caches emptied first; CPU time of the process,
median of ``--runs`` runs, the reference (the implementation before the byte tables and word
caches, copied below) and the current one alternating; ratio = reference / current. The outputs
are checked equal on every text.

``--plugin`` also times the monitoring plugin (``apply_to_new_entries``) in ONE call over the
rules benchmark's 10,000 stored entries with its 50 rules (and ``--watches`` watches), as the
batched refresh calls it: CPU time, median of ``--runs`` calls after one warm-up call, each in a
savepoint rolled back. No anchor in the same run for this one (the previous monitoring code is
in the git history): run the script on both commits.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import statistics
import sys
import time
import unicodedata
from collections.abc import Callable
from functools import lru_cache
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.rules_bench import make_items  # noqa: E402
from benchmarks.story_corpus import generate  # noqa: E402
from curation import textnorm  # noqa: E402
from curation.sanitize import to_text  # noqa: E402
from curation.textnorm import STOPWORDS  # noqa: E402

# ---- the reference: curation/textnorm.py before this change -------------------------------------

_ELISION = re.compile(r"\b(?:[ldjnsctm]|qu|jusqu|lorsqu|puisqu|quoiqu)'(?=\w)")
_WORD = re.compile(r"[a-z0-9]{2,}|[0-9]")  # single letters are not words; single digits are

# Letters NFKD does not take apart, and every apostrophe: folded before decomposition.
_SPECIAL = {
    **{"œ": "oe", "æ": "ae", "ß": "ss", "ø": "o", "ł": "l", "đ": "d"},
    **dict.fromkeys("’ʼ‘´", "'"),
}


def _combining_marks() -> list[int]:
    return [cp for cp in range(0x300, 0x10000) if cp < 0x370 or unicodedata.combining(chr(cp))]


_MARKS = "".join(map(chr, _combining_marks()))
_COMBINING = re.compile(f"[{_MARKS}]+")
_NOT_ASCII_OR_MARK = re.compile(f"[^\x00-\x7f{_MARKS}]")


def fold(text: str) -> str:
    text = text.lower()
    if "`" in text:
        text = text.replace("`", "'")
    if not text.isascii():
        for char, folded in _SPECIAL.items():
            if char in text:
                text = text.replace(char, folded)
        text = unicodedata.normalize("NFKD", text)
        if _NOT_ASCII_OR_MARK.search(text) is None:  # accented Latin only: drop the marks at once
            text = text.encode("ascii", "ignore").decode("ascii")
        else:  # other letters and symbols stay as they are
            text = _COMBINING.sub("", text)
            if max(text) > "\uffff":  # marks of rare scripts, beyond the first plane
                text = "".join(c for c in text if not unicodedata.combining(c))
    return _ELISION.sub("", text) if "'" in text else text


@lru_cache(maxsize=200_000)
def stem(word: str) -> str:
    if len(word) <= 3 or not word.isalpha():
        return word
    if word.endswith("eaux"):
        word = word[:-1]  # réseaux → reseau
    elif word.endswith("aux") and len(word) > 4:
        word = word[:-3] + "al"  # journaux → journal
    elif word.endswith(("eux", "oux")) and len(word) > 4:
        word = word[:-1]  # jeux → jeu
    elif word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    if word.endswith("ee"):
        word = word[:-1]  # engagée → engage
    if word.endswith("e") and len(word) > 4:
        word = word[:-1]  # communaute → communaut, creative → creativ
    if word.endswith("y") and len(word) > 3:
        word = word[:-1] + "i"  # community → communiti (communities → communitie → communiti)
    if word.endswith("if") and len(word) > 4:
        word = word[:-1] + "v"  # creatif → creativ
    if len(word) > 4 and word[-1] in "lnt" and word[-2] == word[-1]:
        word = word[:-1]  # professionnell → professionnel, ancienn → ancien
    return word


def tokens(text: str) -> list[str]:
    return list(map(stem, _WORD.findall(fold(text))))


def token_set(text: str) -> set[str]:
    return set(map(stem, set(_WORD.findall(fold(text)))))


def content_tokens(text: str) -> list[str]:
    return [stem(w) for w in _WORD.findall(fold(text)) if w not in STOPWORDS]


def normalise_for_search(text: str) -> str:
    return " ".join(tokens(text))


REFERENCE = {
    "tokens": tokens,
    "token_set": token_set,
    "content_tokens": content_tokens,
    "normalise_for_search": normalise_for_search,
    "fold": fold,
}
CURRENT = {name: getattr(textnorm, name) for name in REFERENCE}


def _empty_caches() -> None:
    stem.cache_clear()
    textnorm._TOKENS.clear()
    textnorm._CONTENT.clear()


def _cpu(fn: Callable[[str], object], texts: list[str]) -> float:
    _empty_caches()
    start = time.process_time()
    for text in texts:
        fn(text)
    return time.process_time() - start


def corpora(entries: int, stories: int) -> dict[str, list[str]]:
    items = make_items(random.Random(7), entries)
    rules = [text for it in items for text in (it["title"], to_text(it["summary"]))]
    docs = generate(stories, seed=1)
    return {"rules_bench": rules, "story_corpus": [d.title for d in docs] + [d.text for d in docs]}


def plugin_cpu(entries: int, watches: int, runs: int) -> dict:
    """``apply_to_new_entries`` once over every stored entry of the rules benchmark's data set."""
    import os
    import tempfile
    from datetime import timedelta

    from sqlalchemy import select

    from benchmarks.rules_bench import BRANDS, make_rules
    from curation import plugins
    from curation.feeds import get_or_create_feed, subscribe_feed
    from curation.models import Entry, Feed
    from curation.monitoring import rules as R
    from curation.monitoring import watches as W
    from curation.monitoring.plugin import apply_to_new_entries
    from curation.parse import ParsedEntry, ParsedFeed
    from curation.store import store_entries
    from workbench import db as wdb
    from workbench.access import Actor
    from workbench.accounts import create_first_trainer
    from workbench.settings import get_settings

    rng = random.Random(7)
    items, queries = make_items(rng, entries), make_rules(rng, 50)
    tmp = tempfile.mkdtemp(prefix="textnorm-bench-")
    os.environ["ATELIER_DATA_DIR"] = tmp
    os.environ["ATELIER_DATABASE_URL"] = f"sqlite:///{tmp}/bench.db"
    get_settings.cache_clear()
    wdb.upgrade_database()
    feeds = 20
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
        for i, query in enumerate(queries):
            actions = R.RuleActions(
                highlight=i % 4 == 0, mark_read=i % 4 == 1, hide=i % 4 == 2, alert=i % 4 == 3
            )
            R.create_rule(s, actor, name=f"Règle {i}", query=query, actions=actions)
        for brand in BRANDS[:watches]:
            W.create_watch(
                s, actor, W.WatchInput(name=brand, exclusions=["jus", "fruit"], alert_threshold=50)
            )
    now, per_feed = wdb.utcnow(), len(items) // feeds
    saved = list(plugins.POST_STORE_PLUGINS)
    plugins.POST_STORE_PLUGINS[:] = []  # stored without monitoring; the plugin runs below, once
    try:
        for f, feed_id in enumerate(feed_ids):
            chunk = items[f * per_feed : (f + 1) * per_feed]
            parsed = [
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
            ]
            with wdb.session_scope() as s:
                store_entries(s, s.get(Feed, feed_id), ParsedFeed(title=f"Actu {f}", entries=parsed))
    finally:
        plugins.POST_STORE_PLUGINS[:] = saved
    with wdb.session_scope() as s:
        ids = list(s.scalars(select(Entry.id)))
    times, report = [], None
    for run in range(runs + 1):
        with wdb.session_scope() as s:
            savepoint = s.begin_nested()
            start = time.process_time()
            report = apply_to_new_entries(s, ids)
            if run:  # the first call warms the per-process caches (compiled rules, words)
                times.append(time.process_time() - start)
            savepoint.rollback()
    wdb.dispose_engines()
    return {
        "entries": len(ids),
        "watches": watches,
        "cpu_s": round(statistics.median(times), 3),
        "rule_matches": report.rule_matches,
        "mentions": report.mentions,
        "alerts": report.alerts,
    }


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--entries", type=int, default=10_000)
    parser.add_argument("--stories", type=int, default=3000)
    parser.add_argument("--plugin", action="store_true")
    parser.add_argument("--watches", type=int, default=0)
    args = parser.parse_args()
    result: dict = {"runs": args.runs}
    if args.plugin:
        result["plugin"] = plugin_cpu(args.entries, args.watches, args.runs)
        print(json.dumps(result, ensure_ascii=False, indent=2))
        return
    for corpus, texts in corpora(args.entries, args.stories).items():
        for name, reference in REFERENCE.items():
            current = CURRENT[name]
            assert all(current(t) == reference(t) for t in texts), (corpus, name)
            times: dict[str, list[float]] = {"reference": [], "current": []}
            for _ in range(args.runs):
                times["reference"].append(_cpu(reference, texts))
                times["current"].append(_cpu(current, texts))
            ref, cur = statistics.median(times["reference"]), statistics.median(times["current"])
            result[f"{corpus}/{name}"] = {
                "texts": len(texts),
                "chars": sum(map(len, texts)),
                "reference_cpu_s": round(ref, 4),
                "current_cpu_s": round(cur, 4),
                "ratio": round(ref / cur, 2),
            }
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
