"""Duplicate-story grouping: pairwise precision/recall/F1, decoys merged, speed, vs a shingle baseline.

    python benchmarks/stories_bench.py [--quality-docs 6000] [--docs 100000] [--seed 7] [--assignments out.json]
        [--only syndication] [--ceiling]

Three corpora, each with the baseline run on the same data beside ours:

- ``syndication``: ``benchmarks/syndication_corpus.py``, syndication as issue 20 describes it (the
  corpus the rules were tuned on);
- ``story_corpus``: ``benchmarks/story_corpus.py``, another generator (other vocabulary, sentences
  and boilerplate), not tuned on this time;
- ``hand``: ``tests/fixtures/stories/hand_corpus.json``, stories written by hand, each told by
  several outlets, with same-topic decoys (also the tests' fixtures).

Precision, recall and F1 count the pairs of entries of one language put in one story; the pairs of
the same story told in two languages are measured apart (``cross``, with their own precision,
recall and F1), with the French titles the translation memory would hold and without them (« no
memory »). « decoys merged »: pairs of entries of two different stories of one family (same
organisation, product and title template) put in one story. Then the hand-written cases
(``tests/fixtures/stories/hand_cases.json``): how many come out as written.

``--ceiling`` (syndication corpus): why each entry showing fewer than ``EVIDENCE`` names and
figures of its own (a title alone, a lead cut before its facts) stays apart from its story, and the
scores an oracle seeing the whole window would reach by joining those that some title could tell
from every same-family decoy within ``SPREAD`` (``ceiling``).

The baseline is the usual shingle containment: word 3-shingles of title + text; an entry joins the
story of the earlier entry that contains the most of it, |A∩B| / min(|A|, |B|) ≥ 0.5, within the
same time window and with the same candidate index.
"""

from __future__ import annotations

import argparse
import gc
import itertools
import json
import resource
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks import story_corpus, syndication_corpus
from curation.stories import (
    EVIDENCE,
    MAX_POSTINGS,
    SPREAD,
    WINDOW,
    Fingerprint,
    StoryIndex,
    clean_title,
    fingerprint,
    group_stream,
)
from curation.textnorm import tokens

FIXTURES = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "stories"
HAND_CORPUS = FIXTURES / "hand_corpus.json"
HAND_CASES = FIXTURES / "hand_cases.json"
HAND_CASES_T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
BASELINE_THRESHOLD = 0.5


@dataclass(frozen=True)
class Item:
    """One labelled entry, whichever corpus it comes from."""

    entry_id: int
    feed_id: int
    story: int
    family: int
    at: datetime
    title: str
    text: str
    lang: str
    source: str  # the feed's name
    translated: str = ""  # the French translation of its title in the translation memory, if any


def hand_corpus(path: Path = HAND_CORPUS) -> list[Item]:
    """The hand-written corpus: stories (with their family) and the outlets telling them."""
    data = json.loads(path.read_text(encoding="utf-8"))
    items = []
    for number, story in enumerate(data["stories"], start=1):
        for told in story["outlets"]:
            items.append(
                Item(
                    len(items) + 1,
                    data["feeds"].index(told["feed"]) + 1,
                    number,
                    story["family"],
                    datetime.fromisoformat(told["at"]),
                    told["title"],
                    told["text"],
                    told.get("lang", story["lang"]),
                    told["feed"],
                    told.get("translated_title", ""),
                )
            )
    return sorted(items, key=lambda i: (i.at, i.entry_id))


def hand_case_stories(case: dict, memory: bool = True) -> list[int]:
    """The story id of each telling of one hand-written case (``HAND_CASES``), grouped in time order
    (``memory``: with the French titles the translation memory holds)."""
    feeds: dict[str, int] = {}
    fps = [
        fingerprint(
            n,
            feeds.setdefault(told["feed"], len(feeds) + 1),
            HAND_CASES_T0 + timedelta(hours=told["at"]),
            told["title"],
            told["text"],
            told["feed"],
            translated_title=told.get("translated_title", "") if memory else "",
        )
        for n, told in enumerate(case["tellings"], start=1)
    ]
    stories = group_stream(sorted(fps, key=lambda fp: (fp.at, fp.entry_id)))
    return [stories[fp.entry_id] for fp in fps]


def _item(d: syndication_corpus.Doc) -> Item:
    return Item(
        d.entry_id, d.feed_id, d.story, d.family, d.at, d.title, d.text, d.lang, d.outlet, d.translated_title
    )


def corpora(n_docs: int, seed: int) -> dict[str, list[Item]]:
    syndication = [_item(d) for d in syndication_corpus.generate(n_docs, seed=seed)]
    older = story_corpus.generate(n_docs, seed=seed)  # its siblings are not labelled by family
    old = [Item(d.entry_id, d.feed_id, d.story, 0, d.at, d.title, d.text, d.lang, d.outlet) for d in older]
    return {"syndication": syndication, "story_corpus": old, "hand": hand_corpus()}


def scores(pred: dict[int, int], items: list[Item]) -> dict[str, float]:
    """Pairwise P/R/F1 within a language, decoy pairs merged, cross-language recall and false merges."""
    by_id = {i.entry_id: i for i in items}
    predicted = defaultdict(list)
    for i in items:
        predicted[pred[i.entry_id]].append(i.entry_id)
    gold = defaultdict(list)
    for i in items:
        gold[i.story].append(i.entry_id)
    counts: Counter[str] = Counter()
    for members in predicted.values():
        for a, b in itertools.combinations(members, 2):
            x, y = by_id[a], by_id[b]
            kind = "cross" if x.lang != y.lang else "same"
            counts[f"{kind}_pred"] += 1
            if x.story == y.story:
                counts[f"{kind}_tp"] += 1
            elif x.family and x.family == y.family:
                counts["decoys"] += 1
    for members in gold.values():
        for a, b in itertools.combinations(members, 2):
            counts["cross_gold" if by_id[a].lang != by_id[b].lang else "same_gold"] += 1
    p = counts["same_tp"] / counts["same_pred"] if counts["same_pred"] else 1.0
    r = counts["same_tp"] / counts["same_gold"] if counts["same_gold"] else 1.0
    decoy_pairs = 0
    family = defaultdict(list)
    for i in items:
        if i.family:
            family[i.family].append(i)
    for members in family.values():
        decoy_pairs += sum(1 for x, y in itertools.combinations(members, 2) if x.story != y.story)
    return {
        "P": p,
        "R": r,
        "F1": 2 * p * r / (p + r) if p + r else 0.0,
        "decoys": counts["decoys"],
        "decoy_pairs": decoy_pairs,
        "cross_found": counts["cross_tp"],
        "cross_gold": counts["cross_gold"],
        "cross_wrong": counts["cross_pred"] - counts["cross_tp"],
    }


def ours(items: list[Item], memory: bool = True) -> dict[int, int]:
    """Our grouping (``memory``: with the titles' translations the translation memory holds)."""
    return group_stream(
        fingerprint(d.entry_id, d.feed_id, d.at, d.title, d.text, d.source, d.translated if memory else "")
        for d in items
    )


class _NotingIndex(StoryIndex):
    """The grouping's own index, noting the entries that showed fewer than ``EVIDENCE`` names and
    figures of their own when they arrived (a title alone, a lead cut before its facts)."""

    def __init__(self) -> None:
        super().__init__()
        self.low: set[int] = set()

    def place(self, fp: Fingerprint) -> int:
        if self.evidence(fp, self._own_facts(fp)) < EVIDENCE:
            self.low.add(fp.entry_id)
        return super().place(fp)


def _joined(pred: dict[int, int], tellings: dict[int, list[Item]], joining: set[int]) -> dict[int, int]:
    """``pred`` with each entry of ``joining`` moved to the story holding most of its story's other
    tellings in its language (those not moving), else put with them."""
    moved = dict(pred)
    for story, told in tellings.items():
        for i in told:
            if i.entry_id in joining:
                held = Counter(
                    pred[m.entry_id] for m in told if m.lang == i.lang and m.entry_id not in joining
                )
                moved[i.entry_id] = held.most_common(1)[0][0] if held else -story
    return moved


def ceiling(
    items: list[Item],
) -> tuple[dict[str, float], dict[str, float], Counter[tuple[str, str]]]:
    """What an oracle seeing the whole window could reach on the syndication corpus, and why each
    low-evidence entry (a title alone, a lead cut before its facts) stays apart from its story.

    Our grouping runs; then each low-evidence entry left apart from its story's other tellings in
    its language joins them when its title tells it from every other story of its family (the
    same-topic decoys) told within ``SPREAD`` of it, before or after: none is, or every telling of
    each shows another title template (``syndication_corpus.title_template``: another wording or
    figure) and its own title shows one. Returns the scores with those joins made, the scores with
    every such entry joined (what nothing observable could do), and the count of such entries by
    (kind, reason)."""
    noting = _NotingIndex()
    pred = group_stream(
        (fingerprint(i.entry_id, i.feed_id, i.at, i.title, i.text, i.source, i.translated) for i in items),
        index=noting,
    )
    tellings: defaultdict[int, list[Item]] = defaultdict(list)
    family: defaultdict[int, set[int]] = defaultdict(set)
    for i in items:
        tellings[i.story].append(i)
        family[i.family].add(i.story)
    template = {i.entry_id: syndication_corpus.title_template(clean_title(i.title)) for i in items}
    why: Counter[tuple[str, str]] = Counter()
    joining, apart = set(), set()
    for i in items:
        if i.entry_id not in noting.low:
            continue
        mates = [m for m in tellings[i.story] if m.lang == i.lang and m is not i]
        rivals: defaultdict[int, set] = defaultdict(set)
        for story in family[i.family] - {i.story}:
            for r in tellings[story]:
                if abs(r.at - i.at) <= SPREAD:
                    rivals[story].add(template[r.entry_id])
        if not mates:
            reason = "no other telling in its language"
        elif any(pred[m.entry_id] == pred[i.entry_id] for m in mates):
            reason = "joined its story"
        elif not rivals:
            reason = "no decoy within 36 h"
        elif template[i.entry_id] is None:
            reason = "a decoy within 36 h; its title fronted (no template)"
        elif any(None in seen or template[i.entry_id] in seen for seen in rivals.values()):
            reason = "a decoy within 36 h on its title's template"
        else:
            reason = "a decoy within 36 h, on another template"
        if reason in ("no decoy within 36 h", "a decoy within 36 h, on another template"):
            joining.add(i.entry_id)
        if mates and reason != "joined its story":
            apart.add(i.entry_id)
        why[("title alone" if not i.text else "lead cut before its facts", reason)] += 1
    return scores(_joined(pred, tellings, joining), items), scores(_joined(pred, tellings, apart), items), why


def baseline(
    items: list[Item], threshold: float = BASELINE_THRESHOLD, k: int = 3, max_postings: int = MAX_POSTINGS
) -> dict[int, int]:
    """Shingle containment: each entry joins the story of its most-contained earlier match."""
    postings: dict[int, list[int]] = defaultdict(list)
    shingles: dict[int, set[int]] = {}
    at: dict[int, object] = {}
    story: dict[int, int] = {}
    for d in items:
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


def line(name: str, s: dict[str, float]) -> str:
    found, wrong, gold = s["cross_found"], s["cross_wrong"], s["cross_gold"]
    p = found / (found + wrong) if found + wrong else 1.0
    r = found / gold if gold else 1.0
    return (
        f"  {name:9} P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f}  decoys merged {s['decoys']}"
        f"/{s['decoy_pairs']}  cross-language {found}/{gold} found, {wrong} wrong"
        f" (P={p:.3f} R={r:.3f} F1={2 * p * r / (p + r) if p + r else 0.0:.3f})"
    )


def hand_cases() -> tuple[int, int, list[str]]:
    """How many of the hand-written cases (``HAND_CASES``) come out as written, of how many, and
    the names of those that do not."""
    cases = json.loads(HAND_CASES.read_text(encoding="utf-8"))["cases"]
    wrong = []
    for case in cases:
        stories = hand_case_stories(case)
        a, b = case["pair"]
        if (stories[a] == stories[b]) is not (case["expect"] == "merge"):
            wrong.append(case["name"])
    return len(cases) - len(wrong), len(cases), wrong


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--docs", type=int, default=100_000, help="scale run (0: none)")
    parser.add_argument("--quality-docs", type=int, default=6000)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--only", choices=["syndication", "story_corpus", "hand"])
    parser.add_argument(
        "--ceiling",
        action="store_true",
        help="syndication corpus: why its low-evidence entries stay apart, and what an oracle seeing "
        "the whole window could reach (``ceiling``)",
    )
    parser.add_argument(
        "--assignments",
        type=Path,
        help="write each corpus's entry → story id here (JSON): two versions of the grouping give the "
        "same stories when their files are identical",
    )
    args = parser.parse_args()

    assignments = {}
    for name, items in corpora(args.quality_docs, args.seed).items():
        if args.only and name != args.only:
            continue
        stories = len({i.story for i in items})
        print(f"{name}: {len(items)} entries, {stories} stories, seed {args.seed}")
        assignments[name] = grouped = ours(items)
        print(line("ours", scores(grouped, items)))
        if any(i.translated for i in items):
            print(line("no memory", scores(ours(items, memory=False), items)))
        print(line("baseline", scores(baseline(items), items)))
        if args.ceiling and name == "syndication":
            best, every, why = ceiling(items)
            print(f"  title-only entries: {sum(1 for i in items if not i.text)}")
            for (kind, reason), count in sorted(why.items()):
                print(f"    {kind}, {reason}: {count}")
            print(line("ceiling", best))
            print(line("all", every) + "  (every one joined: beyond what the entries say)")
    right, total, wrong = hand_cases()
    print(f"hand cases: {right} of {total} as written{' (not: ' + ', '.join(wrong) + ')' if wrong else ''}")
    if args.assignments:
        cases = json.loads(HAND_CASES.read_text(encoding="utf-8"))["cases"]
        assignments.update(
            (f"case {case['name']}", dict(enumerate(hand_case_stories(case)))) for case in cases
        )
        args.assignments.write_text(json.dumps(assignments, sort_keys=True), encoding="utf-8")
    if not args.docs:
        return
    big = syndication_corpus.generate(args.docs, seed=args.seed + 100, days=max(60, args.docs // 1500))
    big_items = [_item(d) for d in big]
    print(f"Scale (syndication): {len(big)} entries over {(big[-1].at - big[0].at).days} days")
    print(f"  process peak RSS with the corpus loaded: {peak_rss_mib():.0f} MiB")
    for name, fn in (("ours", ours), ("baseline", baseline)):
        pred, wall, cpu = measure(fn, big_items)
        s = scores(pred, big_items)
        print(
            f"  {name:9} CPU {cpu:.1f} s (wall {wall:.1f} s), {1000 * cpu / len(big):.3f} ms/entry, "
            f"peak RSS {peak_rss_mib():.0f} MiB, P={s['P']:.3f} R={s['R']:.3f} F1={s['F1']:.3f}, "
            f"decoys merged {s['decoys']}"
        )


if __name__ == "__main__":
    main()
