"""Which language detector for short feed titles? Accuracy, speed and memory on French/English titles.

Run: ``python benchmarks/language_bench.py``. Candidates: lingua (restricted to the languages the
app cares about, low-accuracy mode and full mode), langdetect, py3langid (restricted). Each runs
in a fresh subprocess so the memory figure is its own (peak RSS of the process).
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import time
from pathlib import Path

DATA = Path(__file__).resolve().parent / "data" / "short_titles.tsv"
LANGS = ["fr", "en", "es", "de", "it", "pt"]

RUNNER = r"""
import json, resource, sys, time, csv
rows = list(csv.DictReader(open(sys.argv[2], encoding="utf-8"), delimiter="\t"))
name = sys.argv[1]
t0 = time.perf_counter()
if name.startswith("lingua"):
    from lingua import IsoCode639_1, LanguageDetectorBuilder
    codes = [getattr(IsoCode639_1, c.upper()) for c in LANGS_LIST]
    b = LanguageDetectorBuilder.from_iso_codes_639_1(*codes)
    if name == "lingua-low":
        b = b.with_low_accuracy_mode()
    det = b.with_preloaded_language_models().build()
    def detect(t):
        r = det.detect_language_of(t)
        return r.iso_code_639_1.name.lower() if r else ""
elif name == "langdetect":
    from langdetect import DetectorFactory, detect as ld
    DetectorFactory.seed = 0
    def detect(t):
        try: return ld(t)
        except Exception: return ""
elif name == "py3langid":
    import py3langid
    py3langid.set_languages(LANGS_LIST)
    def detect(t): return py3langid.classify(t)[0]
elif name == "atelier":
    from curation.language import detect_language as detect
detect("warm up")
load_s = time.perf_counter() - t0
t1 = time.perf_counter()
ok = sum(detect(r["title"]) == r["lang"] for r in rows)
run_s = time.perf_counter() - t1
print(json.dumps({"name": name, "accuracy": ok / len(rows), "n": len(rows), "load_s": load_s,
    "per_title_ms": 1000 * run_s / len(rows), "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""".replace("LANGS_LIST", repr(LANGS))


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    results = []
    for name in ("lingua-low", "lingua-high", "langdetect", "py3langid", "atelier"):
        out = subprocess.run(
            [sys.executable, "-c", RUNNER, name, str(DATA)],
            capture_output=True,
            text=True,
            cwd=root,
            check=True,
        )
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    rows = list(csv.DictReader(DATA.open(encoding="utf-8"), delimiter="\t"))
    print(f"{len(rows)} titles, median {sorted(len(r['title']) for r in rows)[len(rows) // 2]} characters")
    print(f"{'detector':<12} {'accuracy':>8} {'ms/title':>9} {'load s':>7} {'peak RSS MB':>12}")
    for r in results:
        print(
            f"{r['name']:<12} {r['accuracy']:>8.3f} {r['per_title_ms']:>9.3f} {r['load_s']:>7.2f} {r['peak_rss_mb']:>12.0f}"
        )


if __name__ == "__main__":
    started = time.perf_counter()
    main()
