"""The rule language, the watch matcher and the tone hint, on fixed entries (no database)."""

from __future__ import annotations

import pytest

from curation.monitoring.documents import EntryBatch, EntryDocument
from curation.monitoring.query import Evaluation, compile_query, required_literal
from curation.monitoring.tone import estimate_tone
from curation.monitoring.watches import WatchMatcher, search_feed_url, search_query
from tests.monitoring_factory import entry_text
from workbench.errors import UserError


def matches(query: str, title: str, text: str = "", **kw) -> bool:
    folders = kw.pop("folders", ())
    return compile_query(query).matches(EntryDocument(entry_text(title, text, **kw), folders))


@pytest.mark.parametrize(
    ("query", "title", "text", "expected"),
    [
        ("reputation", "L’e-réputation des marques", "", True),  # accents folded
        ("engagement", "Mesurer l’engagement", "", True),  # elision
        ("réseau", "Les réseaux sociaux", "", True),  # plural
        ("communautés", "Animer une communauté", "", True),
        ('"service client"', "Le service client d’Orange", "", True),
        ('"client service"', "Le service client d’Orange", "", False),  # a phrase keeps its order
        ("« service client »", "Le service client", "", True),  # French quotes
        ("orange SAUF fruit", "Orange baisse ses prix", "", True),
        ("orange SAUF fruit", "L’orange, un fruit d’hiver", "", False),
        ("orange -jus", "Un jus d’orange pressé", "", False),
        ("orange AND NOT jus", "Un jus d’orange pressé", "", False),
        ("orange ET (panne OU bug)", "Orange en panne", "", True),
        ("orange ET (panne OU bug)", "Orange lance une offre", "", False),
        ("orange OR sfr", "SFR augmente ses tarifs", "", True),
        ("orange sfr", "SFR augmente ses tarifs", "", False),  # juxtaposition is ET
        ("titre:orange", "Tarifs en hausse", "chez Orange", False),
        ("contenu:orange", "Tarifs en hausse", "chez Orange", True),
        ("titre:(orange OU sfr) panne", "SFR", "une panne", True),
        ("/t[ée]l[ée]phone/", "Le téléphone de demain", "", True),
        (r"contenu:/\b0[67]\d{8}\b/", "Contact", "appelez le 0612345678", True),
        ("orange langue:fr", "Orange", "", True),
        ("orange langue:anglais", "Orange", "", False),
    ],
)
def test_rule_language(query: str, title: str, text: str, expected: bool) -> None:
    assert matches(query, title, text) is expected


def test_fields_author_source_folder() -> None:
    assert matches("auteur:dupont", "Titre", author="Marie Dupont")
    assert not matches("auteur:durand", "Titre", author="Marie Dupont")
    assert matches("source:journal", "Titre")  # the feed's title
    assert matches("source:example", "Titre")  # the feed's host
    assert matches('dossier:"Marques"', "Titre", folders=["Marques & concurrents"])
    assert not matches("dossier:concurrents", "Titre", folders=["Tech"])


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("", "vide"),
        ("/(abc/", "invalide"),
        ("orange /[z-a]/", "invalide"),
        ('"service client', "Guillemet"),
        ("(orange OU sfr", "Parenthèse ouverte"),
        ("orange)", "Parenthèse fermante"),
        ("orange OU", "trop tôt"),
        ("-orange", "exclure"),
        ("SAUF orange", "exclure"),
        ("orange ET ET sfr", "mal placé"),
        ("l'", "aucun mot"),
        ("orange « »", "Expression exacte vide (position 8)"),
        ('""', "Expression exacte vide (position 1)"),
        ("« L’Oréal", "par exemple «\u00a0service client\u00a0» ou"),
        ("langue:/fr/", "langue"),
    ],
)
def test_errors_are_clear_and_french(query: str, message: str) -> None:
    with pytest.raises(UserError) as exc:
        compile_query(query)
    assert message in str(exc.value)


def test_catastrophic_regex_times_out_without_crashing() -> None:
    compiled = compile_query("/(a+)+$/")
    ev = Evaluation()
    doc = EntryDocument(entry_text("a" * 40 + "!", "a" * 5000 + "!"))
    assert compiled.matches(doc, ev) is False
    assert ev.regex_timeouts >= 1


ORANGE = WatchMatcher(
    ["Orange", "Orange Business"],
    ["jus", "fruit", "couleur", "orange pressée", "agrume"],
    case_sensitive=False,
)


@pytest.mark.parametrize(
    ("title", "text", "found"),
    [
        ("Orange relève ses tarifs", "", True),
        ("Un jus d’orange chaque matin", "", False),
        ("La couleur orange est tendance", "", False),
        ("Recette", "Prenez une orange pressée et du sucre", False),
        ("Les agrumes", "Citron, orange et pamplemousse", False),
        # the fruit far away does not hide the operator named here
        ("Orange annonce la 5G", "Des résultats solides. " + "mot " * 20 + "Un fruit est offert.", True),
        ("Les offres d’Orange Business", "", True),
    ],
)
def test_watch_variants_and_exclusions(title: str, text: str, found: bool) -> None:
    assert (ORANGE.find(entry_text(title, text)) is not None) is found


def test_case_sensitive_watch_and_snippet_spans() -> None:
    matcher = WatchMatcher(["Orange"], ["jus"], case_sensitive=True)
    assert matcher.find(entry_text("Le ciel orange du soir")) is None
    hit = matcher.find(
        entry_text(
            "Résultats", "Hier, " + "x " * 80 + "ORANGE a annoncé une hausse &amp; &lt;b&gt;plus&lt;/b&gt;."
        )
    )
    assert hit is not None and hit.snippet.startswith("…")
    (start, end), *_ = hit.spans
    assert hit.snippet[start:end] == "ORANGE"
    assert "& <b>plus</b>" in hit.snippet  # plain text kept as is; escaping happens at display


@pytest.mark.parametrize(
    ("text", "tone"),
    [
        ("Le service client d’Orange est excellent", "positive"),
        ("L’offre n’est pas bonne du tout", "negative"),
        ("Panne géante\u00a0: les clients en colère", "negative"),
        ("Pas mal, cette nouvelle offre", "positive"),
        ("Pas de problème avec la box", "positive"),
        ("Orange publie ses résultats trimestriels", "neutral"),
        ("Great launch, customers are happy", "positive"),
        ("This is not good: another outage", "negative"),
    ],
)
def test_tone_hint(text: str, tone: str) -> None:
    assert estimate_tone(text).label == tone


def test_search_feed_urls() -> None:
    query = search_query(["Orange", "Orange Business"], ["jus d’orange", "fruit"])
    assert query == '"Orange" OR "Orange Business" -"jus d’orange" -fruit'
    url = search_feed_url("google_news", query)
    assert url.startswith("https://news.google.com/rss/search?q=%22Orange%22+OR+%22Orange+Business%22")
    assert url.endswith("&hl=fr&gl=FR&ceid=FR:fr")
    assert search_feed_url("bing_news", "Orange").startswith(
        "https://www.bing.com/news/search?q=Orange&format=rss"
    )
    with pytest.raises(UserError):
        search_feed_url("altavista", "Orange")


def test_context_is_escaped_then_highlighted() -> None:
    from curation.monitoring.display import highlight_html

    snippet = '<img src=x onerror="alert(1)"> Orange & co'
    start = snippet.index("Orange")
    html = highlight_html(snippet, [[start, start + 6], [0, 200], [start + 2, start + 4]])
    assert html == '&lt;img src=x onerror="alert(1)"&gt; <mark>Orange</mark> &amp; co'


def test_timeline_fills_empty_days() -> None:
    from datetime import UTC, datetime

    from curation.monitoring.display import mentions_frame, timeline
    from curation.monitoring.watches import MentionView

    day = datetime(2026, 11, 20, 9, tzinfo=UTC)
    row = MentionView(1, 1, "Orange", 1, "t", "", "Le Journal", "fr", "Orange", [[0, 6]], "negative", day)
    frame = mentions_frame([row, row])
    table = timeline(
        frame,
        since=datetime(2026, 11, 18, tzinfo=UTC),
        until=datetime(2026, 11, 21, tzinfo=UTC),
        hourly=False,
    )
    assert table["mentions"].tolist() == [0, 0, 2, 0]
    assert frame["ton"].tolist() == ["négatif", "négatif"]
    assert frame["langue"].tolist() == ["français", "français"]  # the « Par langue » pie's legend


def test_languages_are_named_as_people_read_them() -> None:
    from workbench.languages import language_name

    assert [language_name(c) for c in ("en", "en-GB", "FR", "", None, "xq")] == [
        "anglais",
        "anglais",
        "français",
        "indéterminée",
        "indéterminée",
        "xq",
    ]


@pytest.mark.parametrize(
    ("pattern", "literal"),
    [
        (r"\bOrange\b", "orange"),
        (r"e-?r[ée]putation", "putation"),
        (r"(?:Free)\s+mobile", "mobile"),  # the longest
        (r"a|bcd", ""),  # alternatives: no single required text
        (r"(?:orange){e<=1}", ""),  # regex-only fuzzy matching: no pre-filter
        (r"[[:alpha:]]+x", ""),  # POSIX class, read otherwise by the standard parser
        (r"\p{Lu}SFR", ""),
    ],
)
def test_required_literal_of_a_regex(pattern: str, literal: str) -> None:
    assert required_literal(pattern) == literal


def test_regex_prefilter_keeps_every_match() -> None:
    """Case-insensitive matches (Kelvin sign, long s) are kept by the case-folded pre-filter."""
    entries = [
        entry_text("Le \u212aiosque à journaux", entry_id=1),
        entry_text("Une \u017fource sûre", entry_id=2),
        entry_text("Rien ici", entry_id=3),
    ]
    query = compile_query("titre:/kiosque/ OU titre:/source/")
    batch = EntryBatch(entries)
    assert batch.containing("title", "kiosque") == {0} and batch.containing("title", "source") == {1}
    assert query.select(batch, {1: []}, {0, 1, 2}, Evaluation()) == {0, 1}
    assert [e.id for e in entries if query.matches(EntryDocument(e, ()))] == [1, 2]


WORDS = [
    *("Orange", "oranges", "jus", "fruit", "panne", "réseau", "réseaux", "service", "client"),
    *("l’engagement", "fibre", "SFR", "Free", "mobile", "0612345678", "45 %", "promo", "tarifs"),
]
REGEXES = [r"/or[a-z]nge/", r"/\d+ ?%/", r"/^panne/", r"/(fruit|jus)/", r"/\bSFR\b/", r"/e-?ngagement/"]
FIELDS = ["", "", "", "titre:", "contenu:", "auteur:", "source:", "dossier:"]


def _random_query(rng, depth: int = 0) -> str:
    kind = rng.random()
    if depth < 2 and kind < 0.35:
        op = rng.choice([" ET ", " OU ", " SAUF ", " ", " AND NOT "])
        return f"({_random_query(rng, depth + 1)}{op}{_random_query(rng, depth + 1)})"
    if kind < 0.42:
        return f"-{rng.choice(WORDS).split()[0]}"
    if kind < 0.48:
        return f"langue:{rng.choice(['fr', 'en', 'anglais'])}"
    if kind < 0.6:
        atom = rng.choice(REGEXES)
    elif kind < 0.72:
        atom = f'"{rng.choice(WORDS)} {rng.choice(WORDS)}"'
    else:
        atom = rng.choice(WORDS).split()[0]
    return rng.choice(FIELDS) + atom


def test_set_evaluation_equals_entry_by_entry_evaluation() -> None:
    """``match_entries`` (postings and set operations) says what ``matches`` says of each entry."""
    import random

    from curation.monitoring.rules import match_entries

    rng = random.Random(11)
    feeds = {1: "Le Journal", 2: "Tech Actu", 3: "Hors champ"}
    entries = [
        entry_text(
            " ".join(rng.choices(WORDS, k=rng.randint(1, 6))),
            " ".join(rng.choices([*WORDS, "et", "le", "de"], k=rng.randint(0, 30))),
            author=rng.choice(["", "Marie Dupont", "SFR Presse"]),
            language=rng.choice(["fr", "en", "en-GB", ""]),
            feed_id=(feed := rng.choice(list(feeds))),
            feed_title=feeds[feed],
            entry_id=i,
        )
        for i in range(80)
    ]
    scope = {1: ["Marques & concurrents"], 2: ["Tech", "Réseaux"]}  # feed 3 is not seen
    batch = EntryBatch(entries)
    compared, telling = 0, 0
    for _ in range(600):
        try:
            compiled = compile_query(_random_query(rng))
        except UserError:
            continue  # a rule made only of exclusions
        expected = [
            e.id
            for e in entries
            if e.feed_id in scope and compiled.matches(EntryDocument(e, scope[e.feed_id]))
        ]
        assert [e.id for e in match_entries(compiled, batch, scope, Evaluation())] == expected, compiled.text
        compared += 1
        telling += 0 < len(expected) < len(entries) - 20  # neither nothing nor everything in scope
    assert compared > 400 and telling > 200


def test_watch_mentions_over_a_batch_equal_find_on_each_entry() -> None:
    """The postings' screening keeps every entry ``find`` finds a mention in, and its mentions."""
    import random

    rng = random.Random(5)
    words = ["Orange", "orange", "Business", "business", "jus", "fruit", "SFR", "offre", "la", "de", "Free"]
    entries = [
        entry_text(
            " ".join(rng.choices(words, k=rng.randint(1, 5))),
            " ".join(rng.choices(words, k=rng.randint(0, 25))),
            feed_id=rng.choice([1, 2, 3]),
            entry_id=i,
        )
        for i in range(150)
    ]
    scope = {1: [], 2: ["Marques"]}
    batch = EntryBatch(entries)
    for matcher in (
        ORANGE,
        WatchMatcher(["Orange Business", "Free"], ["offre de"], case_sensitive=True),
        WatchMatcher(["business orange"], []),
    ):
        expected = [
            (e.id, hit) for e in entries if e.feed_id in scope and (hit := matcher.find(e)) is not None
        ]
        assert [(e.id, hit) for e, hit in matcher.mentions(batch, scope)] == expected
        assert len(expected) > 5
