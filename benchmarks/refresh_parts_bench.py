"""CPU of the refresh's parts outside grouping and storing, one at a time, in one process.

The feed farm of ``refresh_bench.py`` (300 feeds on 100 host names, seed 7) is served by a second
process, so that this one's CPU time is only what it measures: fetching every feed (the drip and
the 50 MB body left out), fetching them again with their validators (mostly 304), then the parsing
process's work on each body — parsing, detecting undeclared languages, the story texts — and the
framing of its reply (pickling, unpickling), over ``--passes`` passes. It also parses the fixtures
of ``tests/fixtures/feeds`` and writes every result (``--out``) so that two versions of the code can
be compared (dates clamped to the time of the run aside).

    python benchmarks/refresh_parts_bench.py [--passes 3] [--out parts.txt]
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import os
import pickle
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

SERVE = r"""
import sys, time
sys.path[:0] = [sys.argv[1], sys.argv[1] + "/benchmarks"]
from feed_farm import build_farm
farm = build_farm(300, hosts=100)
print("\n".join(u for u in farm.urls if farm.kinds[u] not in ("drip", "50MB")), flush=True)
print("", flush=True)
time.sleep(3600)
"""


def cpu() -> float:
    own = resource.getrusage(resource.RUSAGE_SELF)
    return own.ru_utime + own.ru_stime


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--passes", type=int, default=3)
    parser.add_argument("--out", type=Path, default=None)
    args = parser.parse_args()
    os.environ.update(
        ATELIER_DATA_DIR=tempfile.mkdtemp(prefix="parts-"),
        ATELIER_ALLOW_PRIVATE_NETWORKS="1",
        ATELIER_SECRET_KEY="bench",
    )
    server = subprocess.Popen(
        [sys.executable, "-c", SERVE, str(ROOT)], stdout=subprocess.PIPE, text=True, cwd=ROOT
    )
    try:
        urls = []
        while line := server.stdout.readline().strip():  # type: ignore[union-attr]
            urls.append(line)
        measure(urls, args.passes, args.out)
    finally:
        server.kill()
        server.wait()


def measure(urls: list[str], passes: int, out: Path | None) -> None:
    from benchmarks.farm_hosts import map_farm_hosts

    map_farm_hosts()
    from curation.fetch import FEED_ACCEPT, AsyncFetcher, FetchError

    async def fetch_all(validators: dict) -> dict:
        results: dict = {}
        async with AsyncFetcher(allow_private=True) as fetcher:
            slots = asyncio.Semaphore(32)

            async def one(url: str) -> None:
                async with slots:
                    etag, modified = validators.get(url, (None, None))
                    try:
                        results[url] = await fetcher.fetch(
                            url, etag=etag, last_modified=modified, accept=FEED_ACCEPT
                        )
                    except FetchError as exc:
                        results[url] = exc

            await asyncio.gather(*(one(url) for url in urls))
        return results

    started = cpu()
    first = asyncio.run(fetch_all({}))
    print(f"fetching {len(urls)} feeds: {cpu() - started:.2f} s CPU")
    validators = {
        u: (r.etag or None, r.last_modified or None) for u, r in first.items() if not isinstance(r, Exception)
    }
    started = cpu()
    second = asyncio.run(fetch_all(validators))
    not_modified = sum(getattr(r, "not_modified", False) for r in second.values())
    print(f"fetching them again ({not_modified} answers 304): {cpu() - started:.2f} s CPU")

    from curation.parse import ParseError, parse_feed
    from curation.parse_worker import add_story_texts, detect_undeclared_languages

    bodies = [
        (r.content, r.final_url, r.content_type)
        for _, r in sorted(first.items())
        if not isinstance(r, Exception)
    ]
    bodies += [
        (path.read_bytes(), f"https://fixture.example/{path.name}", "")
        for path in sorted((ROOT / "tests" / "fixtures" / "feeds").iterdir())
        if path.is_file()
    ]
    spent = dict.fromkeys(("parsing", "languages", "story texts", "pickling", "unpickling"), 0.0)
    results: list[str] = []
    for _ in range(passes):
        results.clear()
        for data, url, content_type in bodies:
            mark = cpu()
            try:
                result: object = parse_feed(data, url=url, content_type=content_type)
            except ParseError as exc:
                result = exc
            spent["parsing"] += (now := cpu()) - mark
            if not isinstance(result, Exception):
                detect_undeclared_languages(result)  # type: ignore[arg-type]
                spent["languages"] += (mark := cpu()) - now
                add_story_texts(result)  # type: ignore[arg-type]
                spent["story texts"] += (now := cpu()) - mark
            frame = pickle.dumps(result, protocol=pickle.HIGHEST_PROTOCOL)
            spent["pickling"] += (mark := cpu()) - now
            back = pickle.loads(frame)
            spent["unpickling"] += cpu() - mark
            results.append(str(back) if isinstance(back, Exception) else repr(dataclasses.asdict(back)))
    print(f"parsing process's work on {len(bodies)} bodies, CPU per pass (mean of {passes} passes):")
    for name, seconds in spent.items():
        print(f"  {name}: {seconds / passes:.2f} s")
    print(f"  total: {sum(spent.values()) / passes:.2f} s")
    if out is not None:
        out.write_text("\n".join(results) + "\n")


if __name__ == "__main__":
    main()
