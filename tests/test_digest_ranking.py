"""Ranking, story grouping, sections and summaries of the digest (no database)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from curation.digest.compose import short_summary
from curation.digest.draft import PICKS_SECTION, DigestDraft, DigestItem
from curation.digest.models import SECTION_BY_FOLDER, SECTION_BY_TOPIC
from curation.digest.ranking import (
    NO_FOLDER_SECTION,
    OTHER_SECTION,
    Candidate,
    Source,
    Topics,
    rank_stories,
    top_stories,
)

NOW = datetime(2026, 11, 21, 7, 0, tzinfo=UTC)
SOURCES = {
    1: Source(1, "Le Blog du Modérateur", "Réseaux sociaux"),
    2: Source(2, "Social Media Today", "Anglais"),
    3: Source(3, "Presse-citron", ""),
}


def cand(entry_id: int, feed_id: int, title: str, summary: str = "", *, hours: float = 1, **kw) -> Candidate:
    return Candidate(
        entry_id=entry_id,
        feed_id=feed_id,
        title=title,
        summary=summary,
        link=kw.pop("link", f"https://news.example/{entry_id}"),
        image_url=kw.pop("image_url", ""),
        language=kw.pop("language", "fr"),
        published_at=NOW - timedelta(hours=hours),
        **kw,
    )


def rank(cands, *, keywords=(), tags=(), weights=None, section_by=SECTION_BY_FOLDER):
    return rank_stories(
        cands,
        sources=SOURCES,
        topics=Topics(tuple(keywords), tuple(tags)),
        weights=weights or {},
        now=NOW,
        section_by=section_by,
    )


def test_matching_folds_case_accents_elisions_and_ignores_markup():
    stories = rank(
        [
            cand(1, 1, "L’ENGAGEMENT des communautés"),
            cand(
                2,
                1,
                "Autre",
                "<p>Taux d'<b>engagement</b> d’un <a href='https://reseau.example'>lien</a></p>",
            ),
            cand(3, 1, "Rien", "<p class='reseau social'>Un texte</p>"),
        ],
        keywords=["engagement", "communauté", "réseau social"],
    )
    topics = {s.lead.entry_id: s.topics for s in stories}
    assert topics == {1: ["engagement", "communauté"], 2: ["engagement"], 3: []}


def test_plural_and_singular_meet():
    stories = rank(
        [cand(1, 1, "Les influenceurs et les réseaux"), cand(2, 1, "Autre")],
        keywords=["influenceur", "réseau"],
    )
    assert stories[0].topics == ["influenceur", "réseau"]
    stories = rank([cand(1, 1, "Un réseau"), cand(2, 1, "Autre")], keywords=["réseaux"])
    assert stories[0].topics == ["réseaux"]


def test_keyword_in_title_beats_keyword_in_summary_beats_nothing():
    stories = rank(
        [
            cand(1, 1, "Rien à voir", "Un article banal"),
            cand(2, 1, "La météo", "On y parle de l’engagement"),
            cand(3, 1, "Engagement : les chiffres", "Étude"),
        ],
        keywords=["engagement"],
    )
    assert [s.lead.entry_id for s in stories] == [3, 2, 1]
    assert stories[0].topics == ["engagement"]
    assert stories[2].topics == []


def test_multi_word_keyword_matches_the_phrase_only():
    stories = rank(
        [cand(1, 1, "Le community management en 2026"), cand(2, 1, "Community day et management")],
        keywords=["community management"],
    )
    assert stories[0].lead.entry_id == 1 and stories[0].topics == ["community management"]
    assert stories[1].topics == []


def test_tag_matches_the_source_folder_or_the_text():
    stories = rank(
        [cand(1, 1, "Une annonce"), cand(2, 3, "Une autre annonce"), cand(3, 3, "Focus #tiktok")],
        tags=["Réseaux sociaux", "TikTok"],
    )
    scores = {s.lead.entry_id: s for s in stories}
    assert scores[1].topics == ["Réseaux sociaux"]
    assert scores[3].topics == ["TikTok"]
    assert scores[2].topics == [] and scores[2].score < scores[1].score


def test_source_weight_orders_and_zero_excludes():
    cands = [cand(1, 1, "Même sujet A"), cand(2, 2, "Même sujet B"), cand(3, 3, "Même sujet C")]
    stories = rank(cands, weights={2: 3.0, 3: 0.0})
    assert [s.lead.entry_id for s in stories] == [2, 1]


def test_fresher_story_ranks_higher_all_else_equal():
    stories = rank([cand(1, 1, "Ancien", hours=40), cand(2, 1, "Récent", hours=1)])
    assert [s.lead.entry_id for s in stories] == [2, 1]


def test_same_story_from_several_sources_is_one_item_with_all_sources_and_ranks_higher():
    cands = [
        cand(1, 2, "Meta launches a new feature", language="en", story_id=7),
        cand(2, 1, "Meta lance une fonctionnalité", story_id=7, image_url="https://img.example/a.jpg"),
        cand(3, 3, "Meta lance une fonctionnalité (reprise)", story_id=7),
        cand(4, 1, "Un sujet isolé", hours=0.5),
    ]
    stories = rank(cands)
    assert len(stories) == 2
    top = stories[0]
    assert top.lead.entry_id == 2  # French, with a picture: nothing to translate
    assert set(top.feed_ids) == {1, 2, 3}


def test_same_canonical_link_without_story_id_is_one_story():
    stories = rank(
        [
            cand(1, 1, "Titre", link="https://a.example/x"),
            cand(2, 3, "Titre repris", link="https://a.example/x"),
        ]
    )
    assert len(stories) == 1 and len(stories[0].entries) == 2


def test_sections_by_folder_and_by_topic():
    cands = [cand(1, 1, "TikTok teste"), cand(2, 3, "Instagram change"), cand(3, 2, "Rien")]
    by_folder = {s.lead.entry_id: s.section for s in rank(cands)}
    assert by_folder == {1: "Réseaux sociaux", 2: NO_FOLDER_SECTION, 3: "Anglais"}
    by_topic = {
        s.lead.entry_id: s.section
        for s in rank(cands, keywords=["tiktok", "instagram"], section_by=SECTION_BY_TOPIC)
    }
    assert by_topic == {1: "tiktok", 2: "instagram", 3: OTHER_SECTION}


def test_top_stories_keeps_n_best_grouped_by_section_best_first():
    cands = [
        cand(1, 1, "engagement un", hours=1),
        cand(2, 3, "engagement deux", hours=2),
        cand(3, 1, "engagement trois", hours=3),
        cand(4, 3, "autre", hours=1),
    ]
    chosen = top_stories(rank(cands, keywords=["engagement"]), 3)
    assert [s.lead.entry_id for s in chosen] == [1, 3, 2]
    assert [s.section for s in chosen] == ["Réseaux sociaux", "Réseaux sociaux", NO_FOLDER_SECTION]


def test_short_summary_keeps_whole_sentences_under_the_limit():
    text = "Première phrase courte. Deuxième phrase un peu plus longue ! " + "Troisième " * 40
    assert short_summary(text, 80) == "Première phrase courte. Deuxième phrase un peu plus longue !"
    long_sentence = "mot " * 200
    cut = short_summary(long_sentence, 50)
    assert cut.endswith("…") and len(cut) <= 51
    assert short_summary("  court  ") == "court"


def test_draft_sections_put_picks_first_and_move_items():
    def item(i, section, pick=False):
        return DigestItem(i, f"T{i}", "", f"https://x.example/{i}", section, pick=pick)

    draft = DigestDraft(1, "L", NOW.date(), NOW, NOW, [item(1, "A"), item(2, "B"), item(3, "A", pick=True)])
    assert [(t, [i.entry_id for i in items]) for t, items in draft.sections()] == [
        (PICKS_SECTION, [3]),
        ("A", [1]),
        ("B", [2]),
    ]
    draft.move(0, 1)
    assert [i.entry_id for i in draft.items] == [2, 1, 3]
    draft.move(0, -1)  # nothing above the first
    draft.remove(2)
    assert [i.entry_id for i in draft.items] == [2, 1]
