"""The shared social-network counter against known strings."""

from __future__ import annotations

import re
from datetime import date
from typing import get_args

import pytest

from curation import networks as n
from training_modules.exercises.schema import NetworkId


def test_every_network_is_loaded_with_a_source_and_a_date():
    nets = n.load_networks()
    assert {"youtube", "pinterest"} <= set(nets)
    assert {k: v.max_length for k, v in nets.items()} == {
        "x": 280,
        "bluesky": 300,
        "threads": 500,
        "mastodon": 500,
        "linkedin": 3000,
        "instagram": 2200,
        "tiktok": 2200,
        "facebook": 63206,
        "youtube": 5000,
        "pinterest": 500,
    }
    assert all(v.source for v in nets.values())
    assert nets["instagram"].max_hashtags == 30
    assert nets["x"].checked_on == date(2026, 11, 21)  # the file's date


def test_youtube_and_pinterest_are_counted_and_accepted_by_exercises():
    nets = n.load_networks()
    assert nets["youtube"].checked_on == nets["pinterest"].checked_on == date(2026, 12, 7)  # their own date
    assert n.count("é" * 501, "pinterest").problems()
    assert n.count("é" * 500, "pinterest").ok
    tags = " ".join(f"#tag{i}" for i in range(61))
    assert n.count(tags, "youtube").too_many_hashtags
    assert set(get_args(NetworkId)) == set(nets)  # an exercise can target every counted network


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", 0),
        ("Bonjour à tous !", 16),
        ("é", 1),  # precomposed
        ("e\u0301", 1),  # combining accent, NFC → é
        ("日本語", 6),  # CJK counts 2
        ("한국", 4),
        ("😀", 2),
        ("👨‍👩‍👧‍👦", 2),  # ZWJ family: one emoji
        ("🇫🇷", 2),  # flag: two regional indicators, one emoji
        ("👍🏽", 2),  # skin tone modifier
        ("1️⃣", 2),  # keycap
        ("❤️", 2),
        ("🏴\U000e0067\U000e0062\U000e0073\U000e0063\U000e0074\U000e007f", 2),  # tag sequence (Scotland)
        ("👩🏽‍💻 et 🧑‍🍳", 2 + 4 + 2),
        ("©", 1),  # text-style symbol in the first range
        ("“guillemets” – tiret", 20),
        ("Oui\u202f!", 6),  # U+202F is outside X's weight-1 ranges: it counts 2
        ("Oui\u00a0:", 5),  # U+00A0 counts 1
        ("a\r\nb", 4),  # code points, not graphemes  # U+201C/U+201D/U+2013 in the weight-1 ranges
        ("https://www.exemple.fr/une/tres/longue/adresse/qui/depasse/vingt-trois", 23),
        ("exemple.fr", 23),  # bare domain is a link on X
        ("Voir https://a.co et https://b.fr/x.", 3 * 0 + len("Voir ") + 23 + len(" et ") + 23 + 1),
    ],
)
def test_x_weighted_count(text, expected):
    assert n.count(text, "x").length == expected


def test_x_limit_and_problems_in_french():
    text = "a" * 281
    c = n.count(text, "x")
    assert c.over_limit and c.remaining == -1
    assert "retirez-en 1" in c.problems()[0]
    assert n.count("日" * 140, "x").ok
    assert not n.count("日" * 141, "x").ok


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("👨‍👩‍👧‍👦🇫🇷e\u0301", 3),
        ("日本語", 3),
        ("https://exemple.fr/page", 23),
        ("Oui\u202f!", 5),
        ("a\r\nb", 3),  # CR LF is one grapheme
        ("plain ascii text", 16),
    ],
)
def test_bluesky_counts_graphemes_and_links_as_typed(text, expected):
    assert n.count(text, "bluesky").length == expected


def test_bluesky_300_graphemes():
    assert n.count("👍🏽" * 300, "bluesky").ok
    assert n.count("👍🏽" * 301, "bluesky").over_limit


def test_mastodon_urls_and_remote_mentions():
    long_url = "https://exemple.fr/" + "a" * 100
    assert n.count(long_url, "mastodon").length == 23
    assert n.count("exemple.fr", "mastodon").length == len("exemple.fr")  # no scheme: plain text
    assert n.count("@claire@piaille.fr", "mastodon").length == len("@claire")
    assert n.count("Merci @claire@piaille.fr !", "mastodon").length == len("Merci @claire !")


def test_instagram_hashtag_cap():
    text = " ".join(f"#tag{i}" for i in range(31))
    c = n.count(text, "instagram")
    assert len(c.hashtags) == 31 and c.too_many_hashtags
    assert "30 au plus" in c.problems()[0]
    assert not n.count(" ".join(f"#tag{i}" for i in range(30)), "instagram").too_many_hashtags


def test_hashtags():
    text = "Atelier #CM et #ÉtéCréatif, pas #123 ni https://exemple.fr/page#ancre ni C#. #Été_2026!"
    assert n.extract_hashtags(text) == ["CM", "ÉtéCréatif", "Été_2026"]
    assert n.extract_hashtags("#a#b") == ["a"]


def test_mentions():
    text = "Bravo @marie_l et @boulangerie.fournil. Écrivez à contact@exemple.fr ou @anne@piaille.fr"
    assert n.extract_mentions(text) == ["marie_l", "boulangerie.fournil", "anne@piaille.fr"]


def test_urls():
    text = (
        "Lisez https://exemple.fr/article?id=3. Aussi (voir www.site.com/page) et exemple.org, "
        "mais pas jean@exemple.fr ni fichier.txt : https://fr.wikipedia.org/wiki/Lyon_(ville)"
    )
    assert n.extract_urls(text) == [
        "https://exemple.fr/article?id=3",
        "www.site.com/page",
        "exemple.org",
        "https://fr.wikipedia.org/wiki/Lyon_(ville)",
    ]
    assert n.extract_urls(text, require_scheme=True) == [
        "https://exemple.fr/article?id=3",
        "https://fr.wikipedia.org/wiki/Lyon_(ville)",
    ]


def test_unknown_network():
    with pytest.raises(ValueError, match="Unknown network"):
        n.count("x", "myspace")


# English words a source might be cited in; a document's own title may stay English between « ».
_ENGLISH = re.compile(
    r"(?i)\b(and|the|for|of|with|text|limit|help|center|docs|caption|video|share|counting|characters|"
    r"lexicon|developers|posting|add|details|your|use|search|descriptions)\b"
)


def english_outside_titles(line: str) -> list[str]:
    """English words of ``line`` outside « quoted titles », code paths and upper-case identifiers."""
    line = re.sub(r"«[^»]*»", "", line)
    line = re.sub(r"\S*[/_.-]\S*", "", line)  # github.com/…, MAX_CHARS, app.bsky.feed.post, twitter-text
    return _ENGLISH.findall(line)


@pytest.mark.parametrize("network", sorted(n.load_networks()))
def test_every_networks_source_is_told_in_french(network):
    """The rule line under a post read « twitter-text v3 configuration (…) and X Developer docs »."""
    rule = n.load_networks()[network]
    assert not english_outside_titles(rule.source), rule.source
    assert not english_outside_titles(rule.note), rule.note


def test_problems_write_counts_the_french_way():
    """« 10 000 caractères pour 3 000 autorisés ; retirez-en 7 000 », not « 10000 … 3000 … 7000 »."""
    (problem,) = n.count("a" * 10_000, "linkedin").problems()
    limit = n.get_network("linkedin").max_length
    assert "10\u202f000 caractères" in problem
    assert f"{limit // 1000}\u202f{limit % 1000:03d} autorisés" in problem
    assert f"retirez-en {(10_000 - limit) // 1000}\u202f{(10_000 - limit) % 1000:03d}." in problem
    tags = n.count(" ".join(f"#tag{i}" for i in range(1_001)), "instagram").problems()
    assert tags[-1].startswith("1\u202f001\u00a0hashtags\u00a0: Instagram")
