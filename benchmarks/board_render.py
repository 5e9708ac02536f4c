"""A board of 1,000 pins: server time to build the masonry, and browser time to first paint.

Seeded, reproducible board: 1,000 pins in 4 sections, 70 % with an image (PNG files of varied
aspect ratios served by a local HTTP server on 127.0.0.1), notes of 0–300 characters, 0–5 tags.

Server side (median of ``--runs``):
  * anchor: a plain escaped ``<ul>`` of the 1,000 titles (the least any page could do);
  * masonry HTML from views already loaded (``wall_html``);
  * the page's whole path: load the pins from SQLite (``board_pins``), group by section, build;
  * the self-contained HTML export (``to_html``).

Browser side (Debian Chromium through Playwright, median of ``--runs`` cold loads each):
  * anchor page (the plain list) and the exported masonry page, served on 127.0.0.1:
    first contentful paint, DOMContentLoaded, load;
  * the Streamlit app itself on the board's read-only link (``/?board=<token>``): first paint,
    and time until its first page of cards (150; « Afficher les épingles suivantes » adds more)
    is in the page.

    python benchmarks/board_render.py [--pins 1000] [--runs 5] [--no-app]
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
import struct
import sys
import tempfile
import threading
import time
import zlib
from functools import partial
from html import escape
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

WORDS = [
    "réseaux",
    "sociaux",
    "communauté",
    "engagement",
    "portée",
    "stratégie",
    "contenu",
    "vidéo",
    "format",
    "audience",
    "campagne",
    "influence",
    "marque",
    "tendance",
    "étude",
    "chiffres",
    "Instagram",
    "TikTok",
    "LinkedIn",
    "Bluesky",
    "newsletter",
    "modération",
    "crise",
    "calendrier",
    "éditorial",
    "visuel",
    "story",
    "reels",
    "live",
    "abonnés",
    "algorithme",
]
TAGS = ["instagram", "tiktok", "linkedin", "chiffres", "tuto", "b2b", "crise", "vidéo", "ia", "seo"]
ANGLES = ["actu", "tuto", "chiffre", "inspiration", "etude_de_cas", ""]
SIZES = [(400, 300), (400, 600), (400, 400), (400, 250), (400, 500)]


def png(width: int, height: int, shade: int) -> bytes:
    """A small valid grey PNG (so the browser lays out real image heights)."""
    raw = b"".join(b"\x00" + bytes([shade, 120, 255 - shade]) * width for _ in range(height))

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def sentence(rng: random.Random, n: int) -> str:
    return " ".join(rng.choice(WORDS) for _ in range(n)).capitalize()


def median_ms(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class StaticServer:
    def __init__(self, folder: Path) -> None:
        handler = partial(_Quiet, directory=str(folder))
        self.httpd = _Server(("127.0.0.1", 0), handler)
        self.base = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()

    def stop(self) -> None:
        self.httpd.shutdown()


class _Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a browser context closed while images were still loading: nothing to report


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


def seed_board(n: int, image_base: str, rng: random.Random):
    """A trainer with one link-shared board of ``n`` pins; returns (actor, board view)."""
    from curation import boards, pins
    from curation.board_models import LINK
    from curation.pins import PinData
    from workbench.access import Actor
    from workbench.accounts import create_first_trainer
    from workbench.db import session_scope

    with session_scope() as s:
        actor = Actor.of(
            create_first_trainer(
                s, email="bench@example.fr", display_name="Banc d’essai", password="banc-essai-2026"
            )
        )
        board = boards.create_board(s, actor, "Mille épingles", "Tableau de mesure", visibility=LINK)
        sections = [boards.add_section(s, actor, board.id, f"Section {i + 1}") for i in range(4)]
        for i in range(n):
            image = f"{image_base}/img{i % len(SIZES)}-{i % 7}.png" if rng.random() < 0.7 else ""
            pins.add_pin(
                s,
                actor,
                PinData(
                    title=sentence(rng, rng.randint(4, 14)),
                    url=f"https://exemple.fr/article/{i}",
                    image_url=image,
                    description=sentence(rng, rng.randint(0, 40)),
                    site_name=rng.choice(
                        ["Le Journal du CM", "Blog du Modérateur", "Social Media Today", "Numerama"]
                    ),
                    note=sentence(rng, rng.randint(0, 45))[:300],
                    tags=rng.sample(TAGS, rng.randint(0, 5)),
                    reliability=rng.choice([None, 2, 3, 4, 5]),
                    angle=rng.choice(ANGLES),
                    credit="Source : exemple",
                ),
                board_id=board.id,
                section_id=rng.choice([None, *(sec.id for sec in sections)]),
            )
        return actor, boards.get_board(s, actor, board.id)


def browser_paint(url: str, runs: int, ready_selector: str | None = None, count: int = 0) -> dict[str, float]:
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import CHROMIUM, CHROMIUM_ARGS

    results: dict[str, list[float]] = {"fcp": [], "dcl": [], "load": [], "ready": []}
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1440, "height": 900})
            page = context.new_page()
            start = time.perf_counter()
            page.goto(url, wait_until="load", timeout=120_000)
            if ready_selector:
                page.wait_for_function(
                    f"() => document.querySelectorAll({ready_selector!r}).length >= {count}", timeout=120_000
                )
                results["ready"].append((time.perf_counter() - start) * 1000)
            page.wait_for_function(
                "() => performance.getEntriesByName('first-contentful-paint').length > 0", timeout=60_000
            )
            timing = page.evaluate(
                """() => { const n = performance.getEntriesByType('navigation')[0];
                return {fcp: performance.getEntriesByName('first-contentful-paint')[0].startTime,
                        dcl: n.domContentLoadedEventEnd, load: n.loadEventEnd}; }"""
            )
            for key in ("fcp", "dcl", "load"):
                results[key].append(timing[key])
            context.close()
        browser.close()
    return {k: statistics.median(v) for k, v in results.items() if v}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pins", type=int, default=1000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--seed", type=int, default=11)
    parser.add_argument("--no-app", action="store_true", help="skip the Streamlit app measurement")
    args = parser.parse_args()
    rng = random.Random(args.seed)

    work = Path(tempfile.mkdtemp(prefix="board-bench-"))
    data_dir = work / "data"
    os.environ.update(
        ATELIER_DATA_DIR=str(data_dir),
        ATELIER_DATABASE_URL=f"sqlite:///{data_dir / 'atelier.db'}",
        ATELIER_SECRET_KEY="bench-secret",
        ATELIER_DEMO_CONTENT="0",
    )
    from curation.board_export import to_html
    from curation.masonry import group_by_section, wall_html
    from curation.pins import board_pins
    from workbench.db import session_scope, upgrade_database

    site = work / "site"
    site.mkdir()
    for i, (w, h) in enumerate(SIZES):
        for shade in range(7):
            (site / f"img{i}-{shade}.png").write_bytes(png(w // 4, h // 4, 40 * shade))
    static = StaticServer(site)
    upgrade_database()
    actor, board = seed_board(args.pins, static.base, rng)
    token = board.share_token
    with session_scope() as s:
        items = board_pins(s, actor, board.id)
    sections = [(sec.id, sec.title) for sec in board.sections]

    def anchor() -> str:
        return "<ul>" + "".join(f"<li>{escape(p.title)}</li>" for p in items) + "</ul>"

    def masonry() -> str:
        return wall_html(group_by_section(items, sections), numbered=True)

    def page_path() -> str:
        with session_scope() as s:
            loaded = board_pins(s, actor, board.id)
        return wall_html(group_by_section(loaded, sections), numbered=True)

    def export() -> str:
        return to_html(board, items)

    print(f"{len(items)} pins, {args.runs} runs, median times")
    server = {
        name: median_ms(fn, args.runs)
        for name, fn in [("anchor", anchor), ("masonry", masonry), ("page", page_path), ("export", export)]
    }
    for name, ms in server.items():
        print(f"server {name:8s} {ms:8.1f} ms  ratio {ms / server['anchor']:.1f}")
    print(f"masonry HTML size: {len(masonry()) / 1024:.0f} KiB; export page: {len(export()) / 1024:.0f} KiB")

    (site / "anchor.html").write_text(
        f'<!DOCTYPE html><html lang="fr"><head><meta charset="utf-8"><title>Anchor</title></head><body>{anchor()}</body></html>',
        encoding="utf-8",
    )
    (site / "board.html").write_text(export(), encoding="utf-8")
    for name in ("anchor", "board"):
        timing = browser_paint(f"{static.base}/{name}.html", args.runs)
        print(
            f"browser {name:7s} FCP {timing['fcp']:7.0f} ms  DCL {timing['dcl']:7.0f} ms  load {timing['load']:7.0f} ms"
        )

    if not args.no_app:
        from tests.browser.conftest import AppServer
        from ui.shared_board import PAGE_SIZE

        app = AppServer(
            work / "app",
            env={
                "ATELIER_DATA_DIR": str(data_dir),
                "ATELIER_DATABASE_URL": os.environ["ATELIER_DATABASE_URL"],
            },
        )
        app.data_dir.mkdir(parents=True, exist_ok=True)
        app.start()
        try:
            first_page = min(PAGE_SIZE, len(items))
            browser_paint(f"{app.url}/?board={token}", 1, ".atl-pin", first_page)  # warm the server
            timing = browser_paint(f"{app.url}/?board={token}", args.runs, ".atl-pin", first_page)
            print(
                f"browser app     FCP {timing['fcp']:7.0f} ms  load {timing['load']:7.0f} ms  "
                f"first {first_page} cards in page {timing['ready']:7.0f} ms"
            )
        finally:
            app.stop()
    static.stop()


if __name__ == "__main__":
    main()
