"""Issue 20: story grouping on real-style rewrites. Pairs that must merge and pairs that must not
(same-topic decoys), from the hand-written corpus, and one regression test per case the
benchmark (``benchmarks/stories_bench.py``) found."""

from __future__ import annotations

import itertools
import json
from datetime import UTC, datetime, timedelta

import pytest

from benchmarks.stories_bench import HAND_CASES, Item, ceiling, hand_case_stories, hand_corpus
from curation.stories import clean_title, fingerprint, group_stream

T0 = datetime(2026, 11, 20, 8, 0, tzinfo=UTC)
HAND = hand_corpus()
CASES = json.loads(HAND_CASES.read_text(encoding="utf-8"))["cases"]


def _group(*tellings: tuple) -> list[int]:
    """Story ids of (feed id, hours after T0, title, text[, feed name]) tellings, in that order."""
    fps = [
        fingerprint(n, told[0], T0 + timedelta(hours=told[1]), told[2], told[3], *told[4:])
        for n, told in enumerate(tellings, start=1)
    ]
    stories = group_stream(sorted(fps, key=lambda fp: fp.at))
    return [stories[fp.entry_id] for fp in fps]


def _pairs(kind: str) -> list[tuple]:
    """Pairs of the hand corpus in one language: same story (``merge``) or decoys (``apart``)."""
    return [
        (a, b)
        for a, b in itertools.combinations(HAND, 2)
        if a.lang == b.lang
        and (a.story == b.story if kind == "merge" else a.story != b.story and a.family == b.family)
    ]


def test_hand_corpus_decoys_stay_apart():
    stories = group_stream(fingerprint(i.entry_id, i.feed_id, i.at, i.title, i.text, i.source) for i in HAND)
    merged = [(a.title, b.title) for a, b in _pairs("apart") if stories[a.entry_id] == stories[b.entry_id]]
    assert merged == []


def test_hand_corpus_tellings_merge():
    stories = group_stream(fingerprint(i.entry_id, i.feed_id, i.at, i.title, i.text, i.source) for i in HAND)
    pairs = _pairs("merge")
    apart = [(a.title, b.title) for a, b in pairs if stories[a.entry_id] != stories[b.entry_id]]
    # Left apart, and said so in docs/PERFORMANCE.md: a title alone reworded (« INFO GP : SNCF
    # Connect autorise la revente de billets ») that also fits the same-week decoy's title.
    assert len(apart) <= 2 and all("INFO GP" in a + b for a, b in apart), apart
    assert len(pairs) >= 15


LEAD = (
    "Decathlon lance Pulse, un service destiné aux associations, à Lyon le 12 mars, a annoncé "
    "l’entreprise dans un communiqué. Le programme concerne d’abord 140 structures et doit s’étendre "
    "à tout le pays d’ici la fin de l’année. Selon Camille Martin, directrice produit chez Decathlon, "
    "« la demande a fortement augmenté depuis le printemps »."
)
DECOY = (
    "Decathlon lance Pulse, un service destiné aux associations, à Rennes le 3 avril, a annoncé "
    "l’entreprise dans un communiqué. Le programme concerne d’abord 85 structures et doit s’étendre "
    "à tout le pays d’ici la fin de l’année. Selon Hugo Faure, directeur général chez Decathlon, "
    "« la demande a fortement augmenté depuis le printemps »."
)


def test_same_template_with_other_figures_places_and_dates_stays_apart():
    """The decoy of issue 20: same organisation, product, title and press-release wording."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 5, "Decathlon lance Pulse pour les associations", DECOY),
        (3, 9, "EXCLUSIF : Decathlon lance Pulse pour les associations", DECOY.split(". ")[0] + "."),
    )
    assert ids[0] != ids[1] and ids[2] == ids[1]


def test_title_prefix_fronted_clause_suffix_and_lead_only_merge():
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (
            2,
            3,
            "Pour les associations, Decathlon dévoile Pulse | Le Média",
            LEAD.split(". ")[0] + ". Lire la suite",
        ),
        (3, 20, "INFO LM : Decathlon lance Pulse pour les associations", LEAD.replace("annoncé", "indiqué")),
    )
    assert ids[0] == ids[1] == ids[2]


def test_outlet_boilerplate_and_its_own_name_are_no_shared_facts():
    """A dateline naming the outlet, « Lire aussi » another headline, a footer: in every article of
    the outlet, so the outlet's facts, not the story's."""
    boiler = (
        "LILLE (La Gazette Numérique) – {} Lire aussi : Ubisoft supprime 185 postes à Montréal. "
        "© La Gazette Numérique 2026, reproduction interdite."
    )
    other = [
        "Spotify relève le prix de son abonnement Premium de 11,12 à 12,14 euros par mois en France.",
        "Une panne de la fibre Orange a privé 48 000 foyers lyonnais d’internet mardi matin.",
    ]
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 1, "Spotify augmente ses prix", boiler.format(other[0]), "La Gazette Numérique"),
        (2, 2, "Panne de la fibre Orange à Lyon", boiler.format(other[1]), "La Gazette Numérique"),
        (
            2,
            4,
            "Decathlon lance Pulse pour les associations",
            boiler.format(LEAD.split(". ")[0] + "."),
            "La Gazette Numérique",
        ),
    )
    assert ids[3] == ids[0] and len(set(ids)) == 3


def test_a_title_alone_does_not_link_two_stories():
    """A title-only item joins neither of two stories whose titles it fits, so it cannot chain them."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 2, "Decathlon lance Pulse pour les associations", DECOY),
        (3, 4, "Decathlon lance Pulse pour les associations", ""),
        (4, 6, "Decathlon lance Pulse pour les associations", DECOY.replace("annoncé", "indiqué")),
    )
    assert ids[2] not in (ids[0], ids[1]) and ids[3] == ids[1] != ids[0]


def test_a_truncated_lead_whose_one_place_differs_stays_apart():
    """Found by the benchmark: a lead cut after the city (« …, à Brest… ») has three facts, the
    organisation, the product and the place; a same-template story elsewhere must not take it."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 3, "Pour les associations, Decathlon lance Pulse", LEAD.replace("Lyon", "Brest")[:67] + "…"),
    )
    assert ids[0] != ids[1]


def test_a_lead_with_only_the_organisation_and_product_does_not_link_two_stories():
    """Found by the benchmark: a lead cut before any fact of its own (« …, à… ») tells only the
    names the whole topic shares; when two stories of the window fit it, it joins neither."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 2, "Decathlon lance Pulse pour les associations", DECOY),
        (3, 4, "Pour les associations, Decathlon lance Pulse", "En outre, " + LEAD[:62] + "…"),
        (4, 6, "Decathlon lance Pulse pour les associations", DECOY.replace("annoncé", "indiqué")),
    )
    assert ids[2] not in (ids[0], ids[1]) and ids[3] == ids[1] != ids[0]


def test_a_name_opening_a_sentence_in_one_telling_is_not_missing_from_it():
    """« Camille Martin » opens a sentence in one telling and not in the other: still the same facts."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (
            2,
            6,
            "Pour les associations, Decathlon lance Pulse",
            "Camille Martin, directrice produit chez Decathlon, annonce Pulse pour les associations, à Lyon "
            "le 12 mars : 140 structures d’abord, tout le pays d’ici la fin de l’année.",
        ),
    )
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    ("figure_fr", "figure_en"), [("1 000", "1,000"), ("6,88", "6.88"), ("184\u00a0000", "184,000")]
)
def test_same_story_in_french_and_english_through_names_and_figures(figure_fr, figure_en):
    ids = _group(
        (
            1,
            0,
            "LinkedIn ajoute des statistiques aux newsletters",
            f"LinkedIn ajoute des statistiques à ses {figure_fr} newsletters en décembre, annonce Anna Lind, "
            "responsable du produit.",
        ),
        (
            2,
            7,
            "LinkedIn adds analytics to newsletters",
            f"LinkedIn adds analytics to its {figure_en} newsletters in December, product lead Anna Lind said.",
        ),
    )
    assert ids[0] == ids[1]


@pytest.mark.parametrize(
    ("title", "cleaned"),
    [
        ("Breaking: Ubisoft Montreal lays off 185", "Ubisoft Montreal lays off 185"),
        (
            "Analysis: Ubisoft to cut 60 jobs at its Paris studio",
            "Ubisoft to cut 60 jobs at its Paris studio",
        ),
        ("Décryptage : Meta lance Studio pour les écoles", "Meta lance Studio pour les écoles"),
        ("INFO GP : SNCF Connect autorise la revente", "SNCF Connect autorise la revente"),
        ("Newsletter analytics come to LinkedIn – The Wire Desk", "Newsletter analytics come to LinkedIn"),
        (
            "Doctolib : une fuite de données touche 27 000 patients",
            "Doctolib : une fuite de données touche 27 000 patients",
        ),
    ],
)
def test_title_labels_of_outlets_are_removed_names_kept(title, cleaned):
    """« Breaking: », « Analysis: » in any case are an outlet's labels; « Doctolib : » is the story's."""
    assert clean_title(title) == cleaned


@pytest.mark.parametrize("case", CASES, ids=[case["name"] for case in CASES])
def test_hand_case(case):
    """Pairs written by hand from issue 20's description before the grouping ran on them
    (``tests/fixtures/stories/hand_cases.json``): the same story once, different stories apart."""
    stories = hand_case_stories(case)
    a, b = case["pair"]
    assert (stories[a] == stories[b]) is (case["expect"] == "merge"), case["why"]


def test_hand_cases_cover_both_ways_and_both_languages():
    assert len(CASES) >= 15
    assert {case["expect"] for case in CASES} == {"merge", "apart"}
    assert any("translated_title" in told for case in CASES for told in case["tellings"])


def test_a_story_told_by_a_title_alone_does_not_take_a_decoy():
    """Found by the benchmark: a title alone (only the topic's names) starts a story; a fuller
    same-topic story arriving later fitted it, as its member had no say on facts. Now the two must
    share a fact no other story of the window has (« Pulse » is also the Lyon story's)."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 1, "Decathlon dévoile son service Pulse", ""),
        (3, 3, "Decathlon dévoile son service Pulse", DECOY),
    )
    assert len(set(ids)) == 3


def test_a_title_alone_joins_through_a_fact_only_its_story_has():
    """A title alone with the place that tells its story from the topic's other one (« Belgique »)."""
    ids = _group(
        (1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        (2, 2, "Decathlon lance Pulse pour les associations", DECOY),
        (3, 4, "À Rennes, Decathlon lance Pulse pour les associations", ""),
    )
    assert ids[2] == ids[1] != ids[0]


def test_a_title_alone_first_of_its_story_does_not_join_the_one_decoy_in_the_window():
    """Found by this pass's benchmark runs: a title alone is often the first telling of its story,
    and then the only close story of the window may be a same-template decoy told by several
    outlets with the identical title (the topic's names are also another story's, so no fact is the
    decoy's alone). Joining the one story whose titles match by a clear margin (tried: 190 right
    joins against 58 wrong on seed 7; decoys 9 → 131, and 366 on seed 13) takes it; the story's own
    fuller telling arrives only later."""
    other = "Decathlon arrête Pulse à Lille le 2 février, faute d’utilisateurs, selon Léa Morel."
    ids = _group(
        (6, 0, "Decathlon arrête Pulse à Lille", other),
        (1, 1, "Decathlon lance Pulse pour les associations", DECOY),
        (2, 3, "Decathlon lance Pulse pour les associations", DECOY.replace("annoncé", "indiqué")),
        (3, 5, "Decathlon lance Pulse pour les associations", DECOY.replace("fortement", "nettement")),
        (4, 8, "Decathlon lance Pulse pour les associations", ""),
        (5, 9, "Decathlon lance Pulse pour les associations", LEAD),
    )
    assert ids[1] == ids[2] == ids[3] != ids[0]
    assert ids[4] not in (ids[1], ids[5]) and ids[5] != ids[1]


def _told(entry_id: int, feed: int, story: int, family: int, hours: float, title: str, text: str) -> Item:
    return Item(
        entry_id, feed, story, family, T0 + timedelta(hours=hours), title, text, "fr", f"Média {feed}"
    )


OTHER_PULSE = (
    "Spotify lance Pulse, un service destiné aux écoles, à Nantes le 8 mai, a annoncé l’entreprise dans un "
    "communiqué. Selon Inès Roux, porte-parole chez Spotify, 60 écoles l’essaient déjà."
)


@pytest.mark.parametrize(
    ("decoy_title", "reason"),
    [
        (None, "no decoy within 36 h"),
        ("Decathlon lance Pulse pour les associations", "a decoy within 36 h on its title's template"),
        ("Decathlon lance son outil Pulse pour les associations", "a decoy within 36 h, on another template"),
    ],
)
def test_the_benchmarks_ceiling_joins_a_title_alone_only_when_its_title_tells_it_from_the_decoys(
    decoy_title, reason
):
    """``stories_bench.ceiling``: a title alone kept apart (« Pulse » is also another story's) is
    joined by the oracle when no same-family decoy is within 36 h, or when each shows another title
    template; a decoy on its template leaves it apart."""
    items = [
        _told(1, 1, 1, 1, 0, "Decathlon lance Pulse pour les associations", LEAD),
        _told(2, 2, 2, 2, 1, "Spotify lance Pulse pour les écoles", OTHER_PULSE),
        _told(3, 3, 1, 1, 4, "Decathlon lance Pulse pour les associations", ""),
    ]
    if decoy_title:
        items.append(_told(4, 4, 3, 1, 6, decoy_title, DECOY))
    ours_only, every, why = ceiling(items)
    assert why == {("title alone", reason): 1}
    assert every["R"] == 1.0
    assert ours_only["R"] == (0.0 if reason.endswith("its title's template") else 1.0)
