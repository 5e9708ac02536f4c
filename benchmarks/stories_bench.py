"""Duplicate-story grouping: pairwise precision/recall/F1, time and memory, vs a shingle baseline.

    python benchmarks/stories_bench.py [--docs 100000] [--quality-docs 6000] [--seed 2]

The baseline is the usual shingle-containment grouping: word 3-shingles of title + text; an entry
joins the story of the earlier entry that contains the most of it, |A∩B| / min(|A|, |B|), when that
reaches a threshold. Its threshold is the best of a sweep on the evaluation corpus itself (its most
flattering score). Both run over the same candidate index and time window.
"""

from __future__ import annotations

import argparse
import gc
import resource
import sys
import time
from collections import Counter, defaultdict
from math import comb
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.story_corpus import Doc, generate
from curation.stories import MAX_POSTINGS, WINDOW, fingerprint, group_stream
from curation.textnorm import tokens


def pairwise(pred: dict[int, int], gold: dict[int, int]) -> tuple[float, float, float]:
    """Pairwise precision, recall and F1 of a clustering against gold labels."""
    both = Counter((pred[i], gold[i]) for i in gold)
    tp = sum(comb(n, 2) for n in both.values())
    pred_pairs = sum(comb(n, 2) for n in Counter(pred[i] for i in gold).values())
    gold_pairs = sum(comb(n, 2) for n in Counter(gold.values()).values())
    p = tp / pred_pairs if pred_pairs else 1.0
    r = tp / gold_pairs if gold_pairs else 1.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


def ours(docs: list[Doc]) -> dict[int, int]:
    return group_stream(fingerprint(d.entry_id, d.feed_id, d.at, d.title, d.text) for d in docs)


def baseline(
    docs: list[Doc], threshold: float, k: int = 3, max_postings: int = MAX_POSTINGS
) -> dict[int, int]:
    """Shingle containment: each entry joins the story of its most-contained earlier match.

    Same candidate index, time window and best-match assignment as ours: only the similarity differs.
    """
    postings: dict[int, list[int]] = defaultdict(list)
    shingles: dict[int, set[int]] = {}
    at: dict[int, object] = {}
    story: dict[int, int] = {}
    for d in docs:
        words = tokens(f"{d.title} {d.text}")
        mine = {hash(" ".join(words[i : i + k])) for i in range(max(1, len(words) - k + 1))}
        seen: Counter[int] = Counter()
        for s in mine:
            ids = postings[s]
            if len(ids) <= max_postings:
                seen.update(ids)
        best, best_story = threshold, d.entry_id
        for other in seen:
            if d.at - at[other] > WINDOW:
                continue
            theirs = shingles[other]
            value = len(mine & theirs) / min(len(mine), len(theirs))
            if value >= best:
                best, best_story = value, story[other]
        story[d.entry_id], shingles[d.entry_id], at[d.entry_id] = best_story, mine, d.at
        for s in mine:
            postings[s].append(d.entry_id)
    return story


def measure(fn, *args):
    """Result, wall seconds, CPU seconds (the machine may be shared: CPU time is the fairer figure)."""
    gc.collect()
    wall, cpu = time.perf_counter(), time.process_time()
    result = fn(*args)
    return result, time.perf_counter() - wall, time.process_time() - cpu


def peak_rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000)
    parser.add_argument("--quality-docs", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=2)
    args = parser.parse_args()

    docs = generate(args.quality_docs, seed=args.seed)
    gold = {d.entry_id: d.story for d in docs}
    stories = len(set(gold.values()))
    print(f"Quality corpus: {len(docs)} entries, {stories} stories, seed {args.seed}")
    p, r, f = pairwise(ours(docs), gold)
    print(f"  ours      P={p:.3f} R={r:.3f} F1={f:.3f}")
    best = max(
        ((t, *pairwise(baseline(docs, t), gold)) for t in (0.2, 0.25, 0.3, 0.35, 0.4, 0.5, 0.6)),
        key=lambda row: row[3],
    )
    print(f"  baseline  P={best[1]:.3f} R={best[2]:.3f} F1={best[3]:.3f} (best threshold {best[0]})")

    big = generate(args.docs, seed=args.seed + 100, days=max(60, args.docs // 1500))
    big_gold = {d.entry_id: d.story for d in big}
    print(f"Scale corpus: {len(big)} entries over {(big[-1].at - big[0].at).days} days")
    before = peak_rss_mib()
    print(f"  process peak RSS with the corpus loaded: {before:.0f} MiB")
    for name, fn, extra in (("ours", ours, ()), ("baseline", baseline, (best[0],))):
        pred, wall, cpu = measure(fn, big, *extra)
        p, r, f = pairwise(pred, big_gold)
        print(
            f"  {name:9} CPU {cpu:.1f} s (wall {wall:.1f} s), {1000 * cpu / len(big):.2f} ms/entry, "
            f"peak RSS {peak_rss_mib():.0f} MiB, P={p:.3f} R={r:.3f} F1={f:.3f}"
        )


if __name__ == "__main__":
    main()
