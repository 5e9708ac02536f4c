"""A local feed farm on 127.0.0.1: feeds the way the internet serves them, spread over many hosts.

RSS 2.0, Atom and RSS 1.0 (RDF) feeds of 20–100 entries; most answer conditional GETs (ETag or
Last-Modified), some are slow, some 404 or 500; one drips a byte every half second, one sends a
50 MB body, one is malformed, one carries an entity-expansion payload; a pool of stories is
syndicated across several feeds with reworded titles. Deterministic for a given seed.

Real subscriptions are spread over many sites: the feeds' addresses name ``hosts`` host names
(``feed7.localtest``…), which ``map_farm_hosts()`` resolves to 127.0.0.1 inside the process that
calls it (``benchmarks/farm_hosts.py``; the benchmark's contenders): no real host is ever asked.

``python benchmarks/feed_farm.py`` serves it until interrupted (prints the URLs file).
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from xml.sax.saxutils import escape

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from benchmarks.farm_hosts import FARM_DOMAIN
from tests.feedserver import FIXTURES, FeedServer, Route

WORDS_FR = [
    "communauté",
    "modération",
    "réseaux",
    "marque",
    "engagement",
    "audience",
    "publication",
    "stratégie",
    "contenu",
    "vidéo",
    "influence",
    "campagne",
    "abonnés",
    "commentaire",
    "tendance",
    "live",
    "format",
    "algorithme",
    "veille",
    "crise",
    "image",
    "créateurs",
    "message",
    "partenariat",
    "calendrier",
    "rapport",
    "statistiques",
    "newsletter",
    "événement",
]
WORDS_EN = [
    "community",
    "moderation",
    "networks",
    "brand",
    "engagement",
    "audience",
    "post",
    "strategy",
    "content",
    "video",
    "influence",
    "campaign",
    "followers",
    "comment",
    "trend",
    "live",
    "format",
    "algorithm",
    "watch",
    "crisis",
    "image",
    "creators",
    "message",
    "partnership",
    "calendar",
    "report",
    "analytics",
    "newsletter",
    "event",
]
BIG_BODY = 50 * 1024 * 1024


@dataclass
class Farm:
    server: FeedServer
    urls: list[str] = field(default_factory=list)
    kinds: dict[str, str] = field(default_factory=dict)  # url → what it is
    big_path: str = "/special/big.xml"


def _sentence(rng: random.Random, words: list[str], n: int) -> str:
    return " ".join(rng.choice(words) for _ in range(n)).capitalize()


def _entry_data(rng: random.Random, feed_no: int, j: int, lang: str, when: datetime) -> dict[str, str]:
    words = WORDS_FR if lang == "fr" else WORDS_EN
    return {
        "id": f"https://farm{feed_no}.example/{j}",
        "link": f"https://farm{feed_no}.example/posts/{j}?utm_source=rss",
        "title": _sentence(rng, words, rng.randint(5, 11)),
        "summary": _sentence(rng, words, rng.randint(25, 60)) + ".",
        "date": when,
    }


def _rss(title: str, lang: str | None, entries: list[dict]) -> bytes:
    items = "".join(
        f"<item><title>{escape(e['title'])}</title><link>{escape(e['link'])}</link><guid>{e['id']}</guid>"
        f"<pubDate>{format_datetime(e['date'])}</pubDate><description>{escape('<p>' + e['summary'] + '</p>')}"
        "</description></item>"
        for e in entries
    )
    language = f"<language>{lang}</language>" if lang else ""
    return (
        f"<?xml version='1.0' encoding='utf-8'?><rss version='2.0'><channel><title>{title}</title>"
        f"<link>https://{title.lower().replace(' ', '-')}.example/</link>{language}{items}</channel></rss>"
    ).encode()


def _atom(title: str, lang: str | None, entries: list[dict]) -> bytes:
    items = "".join(
        f"<entry><title>{escape(e['title'])}</title><link href='{escape(e['link'])}'/><id>{e['id']}</id>"
        f"<updated>{e['date'].isoformat()}</updated><summary type='html'>{escape('<p>' + e['summary'] + '</p>')}"
        "</summary></entry>"
        for e in entries
    )
    language = f" xml:lang='{lang}'" if lang else ""
    return (
        f"<?xml version='1.0' encoding='utf-8'?><feed xmlns='http://www.w3.org/2005/Atom'{language}>"
        f"<title>{title}</title><id>urn:{title}</id><updated>{entries[0]['date'].isoformat()}</updated>{items}</feed>"
    ).encode()


def _rdf(title: str, lang: str | None, entries: list[dict]) -> bytes:
    items = "".join(
        f"<item rdf:about='{escape(e['id'])}'><title>{escape(e['title'])}</title><link>{escape(e['link'])}</link>"
        f"<dc:date>{e['date'].isoformat()}</dc:date><description>{escape(e['summary'])}</description></item>"
        for e in entries
    )
    language = f"<dc:language>{lang}</dc:language>" if lang else ""
    return (
        "<?xml version='1.0' encoding='utf-8'?><rdf:RDF xmlns:rdf='http://www.w3.org/1999/02/22-rdf-syntax-ns#' "
        "xmlns='http://purl.org/rss/1.0/' xmlns:dc='http://purl.org/dc/elements/1.1/'>"
        f"<channel rdf:about='urn:{title}'><title>{title}</title><link>https://x.example/</link>{language}"
        f"</channel>{items}</rdf:RDF>"
    ).encode()


def build_farm(feeds: int = 300, seed: int = 7, drip_for_s: float = 20.0, hosts: int = 100) -> Farm:
    """``feeds`` feeds (4 of them special) over ``hosts`` host names (1: every feed on 127.0.0.1)."""
    rng = random.Random(seed)
    server = FeedServer().start()
    farm = Farm(server=server)

    placing = random.Random(seed + 1)  # which host serves which feed: drawn apart, the feeds stay the same

    def add(path: str, route: Route) -> str:
        server.add(path, route)
        if hosts <= 1:
            return server.url(path)
        return f"http://feed{placing.randrange(hosts)}{FARM_DOMAIN}:{server.port}{path}"

    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    stories = [
        {
            "fr": _sentence(rng, WORDS_FR, 9),
            "en": _sentence(rng, WORDS_EN, 9),
            "body": _sentence(rng, WORDS_EN, 40),
        }
        for _ in range(200)
    ]
    regular = feeds - 4
    for i in range(regular):
        lang = rng.choice(["fr", "fr", "en"])
        declared = lang if rng.random() < 0.8 else None
        entries = [
            _entry_data(rng, i, j, lang, now - timedelta(hours=j * rng.randint(1, 6)))
            for j in range(rng.randint(20, 100))
        ]
        for k, story in enumerate(rng.sample(stories, rng.randint(0, 3))):  # syndicated duplicates
            prefix = rng.choice(["", "EXCLUSIF : ", "À lire : ", "Breaking: "])
            entries.insert(
                k,
                {
                    "id": f"https://farm{i}.example/story-{stories.index(story)}",
                    "link": f"https://farm{i}.example/story-{stories.index(story)}",
                    "title": prefix + story[lang] + rng.choice(["", f" | Farm {i}"]),
                    "summary": story["body"],
                    "date": now - timedelta(minutes=rng.randint(1, 600)),
                },
            )
        kind = rng.choices(["rss", "atom", "rdf"], weights=[5, 3, 2])[0]
        body = {"rss": _rss, "atom": _atom, "rdf": _rdf}[kind](f"Farm {i}", declared, entries)
        route = Route(body=body, content_type="application/xml")
        roll = rng.random()
        if roll < 0.5:
            route.etag = f'"farm-{i}-v1"'
        elif roll < 0.7:
            route.last_modified = format_datetime(now - timedelta(hours=i % 24), usegmt=True)
        if i % 25 == 3:  # 20 slow servers
            route.delay_s = 1.0 + (i % 3) * 0.5
            kind += "+slow"
        if i % 50 == 7:  # 10 missing
            route = Route(status=404)
            kind = "404"
        elif i % 50 == 17:  # 10 broken servers
            route = Route(status=500)
            kind = "500"
        url = add(f"/feeds/{i}.xml", route)
        farm.urls.append(url)
        farm.kinds[url] = kind
    specials = {
        "/special/drip.xml": (Route(drip_s=0.5, stream_for_s=drip_for_s), "drip"),
        farm.big_path: (Route(stream_bytes=BIG_BODY), "50MB"),
        "/special/malformed.xml": (Route(body=(FIXTURES / "garbage.xml").read_bytes()), "malformed"),
        "/special/lol.xml": (Route(body=(FIXTURES / "entity_expansion.xml").read_bytes()), "entities"),
    }
    for path, (route, kind) in specials.items():
        url = add(path, route)
        farm.urls.append(url)
        farm.kinds[url] = kind
    return farm


if __name__ == "__main__":
    farm = build_farm(hosts=1)  # served as is: every feed on 127.0.0.1
    out = Path("feed_farm_urls.txt")
    out.write_text("\n".join(farm.urls) + "\n")
    print(f"{len(farm.urls)} feeds on {farm.server.base} (list in {out}); Ctrl+C to stop.")
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        farm.server.stop()
