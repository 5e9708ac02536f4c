"""French full-text search: normalisation, query syntax, filters, access, index kept in sync."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from alembic import command
from sqlalchemy import delete, insert, text, update

from curation import search as search_module
from curation.models import Entry, EntryState
from curation.search import parse_query, search
from curation.textnorm import normalise_for_search, tokens
from curation.visibility import EntryFilters
from tests.entry_factory import add_entry, add_feed
from workbench.db import alembic_config, get_engine, session_scope, upgrade_database


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("communauté", "communautés"),
        ("l'engagement", "engagement"),
        ("L’Engagement", "engagement"),
        ("qu’elle", "elle"),
        ("réseaux", "réseau"),
        ("journaux", "journal"),
        ("créatives", "créatif"),
        ("professionnelles", "professionnel"),
        ("Réputation", "reputation"),
        ("œuvres", "oeuvre"),
        ("communities", "community"),
        ("engagées", "engagé"),
    ],
)
def test_normalisation_meets_inflections(a, b):
    assert tokens(a) == tokens(b)


def test_normalisation_keeps_distinct_words_apart():
    assert tokens("chat") != tokens("château")
    assert tokens("marque") != tokens("marché")
    assert normalise_for_search("L’IA d’OpenAI, aujourd’hui") == "ia openai aujourd hui"


def test_query_parser():
    q = parse_query('marque -crypto "réseaux sociaux" tiktok OR instagram -"fake news"')
    assert [[t.raw for t in c] for c in q.clauses] == [
        ["marque"],
        ["réseaux sociaux"],
        ["tiktok", "instagram"],
    ]
    assert [t.raw for t in q.excluded] == ["crypto", "fake news"]
    assert q.clauses[1][0].phrase and q.clauses[1][0].tokens == ("reseau", "social")
    assert parse_query('"unterminated phrase').clauses[0][0].tokens == tuple(tokens("unterminated phrase"))
    assert parse_query('OR -  \' ""').empty


@pytest.mark.parametrize(
    "typed",
    [
        "«\u00a0réseaux sociaux\u00a0»",  # French guillemets, non-breaking spaces as typography wants
        "«\u202fréseaux sociaux\u202f»",  # the narrow one, as some keyboards give
        "«réseaux sociaux»",
        "« réseaux sociaux »",  # plain spaces, as most keyboards give
        "“réseaux sociaux”",  # curly quotes, as a word processor or a phone types them
        '"réseaux sociaux"',
    ],
)
def test_a_phrase_in_french_guillemets_or_curly_quotes_is_a_phrase(typed):
    q = parse_query(f"marque {typed} -« fake news »")
    assert [[(t.raw, t.phrase) for t in c] for c in q.clauses] == [
        [("marque", False)],
        [("réseaux sociaux", True)],
    ]
    assert [(t.raw, t.phrase) for t in q.excluded] == [("fake news", True)]


@pytest.fixture
def corpus(db_url, people):
    """Alice's feed, a cohort feed, Bob's private feed and Zoé's cohort feed."""
    with session_scope() as s:
        mine = add_feed(s, "Blog Alice", user_id=people.alice.id, folder="Marques")
        shared = add_feed(s, "Flux promo", cohort_id=people.cohort_id, folder="Réseaux")
        private = add_feed(s, "Secret Bob", user_id=people.bob.id)
        other = add_feed(s, "Promo B", cohort_id=people.other_cohort_id)
        ids = {
            "communautes": add_entry(
                s, mine, "Animer des communautés en ligne", "Les communautés aiment les questions."
            ).id,
            "engagement": add_entry(
                s, shared, "Mesurer l’engagement sur Instagram", "Taux d’engagement et portée.", language="fr"
            ).id,
            "phrase": add_entry(
                s,
                shared,
                "Les réseaux sociaux en 2026",
                "Tendances des réseaux sociaux.",
                published=datetime(2026, 10, 1, tzinfo=UTC),
            ).id,
            "scattered": add_entry(
                s, mine, "Réseaux d’entreprise", "Un article très social sur les réseaux."
            ).id,
            "english": add_entry(
                s, shared, "Community managers and communities", "Brand engagement on TikTok.", language="en"
            ).id,
            "crypto": add_entry(s, mine, "Une marque sur TikTok", "Campagne crypto de la marque.").id,
            "marque": add_entry(s, mine, "Stratégie de marque", "Une marque sur Instagram.").id,
            "bob": add_entry(s, private, "Communauté secrète de Bob", "Engagement caché.").id,
            "zoe": add_entry(s, other, "Communauté de la promo B", "Engagement ailleurs.").id,
        }
    return ids, {"mine": mine.id, "shared": shared.id, "private": private.id, "other": other.id}


def _entry_row(feed_id: int, guid: str, title: str, summary: str = "") -> dict:
    """An entry's columns, for writes that bypass the ORM (Core inserts, raw connections)."""
    return {
        "feed_id": feed_id,
        "guid": guid,
        "link": f"https://x.example/{guid}",
        "title": title,
        "summary": summary,
        "content": "",
        "author": "",
        "first_seen_at": datetime(2026, 11, 1, tzinfo=UTC),
        "image_url": "",
        "language": "fr",
        "content_hash": "",
    }


def _ids(actor, query, filters=None):
    with session_scope() as s:
        return [r.entry_id for r in search(s, actor, query, filters)]


def test_plurals_accents_and_elisions(corpus, people):
    ids, _ = corpus
    assert ids["communautes"] in _ids(people.alice, "communauté")
    assert ids["communautes"] in _ids(people.alice, "COMMUNAUTE")
    assert ids["engagement"] in _ids(people.alice, "l'engagement")
    assert ids["engagement"] in _ids(people.alice, "engagements")
    assert ids["english"] in _ids(people.alice, "community")


def test_phrase_or_and_exclusion(corpus, people):
    ids, _ = corpus
    phrase = _ids(people.alice, '"réseaux sociaux"')
    assert ids["phrase"] in phrase and ids["scattered"] not in phrase
    assert _ids(people.alice, "« réseaux sociaux »") == phrase  # as a French person types it
    words = _ids(people.alice, "réseaux social")
    assert ids["phrase"] in words and ids["scattered"] in words
    assert set(_ids(people.alice, "marque -crypto")) == {ids["marque"]}
    assert set(_ids(people.alice, "instagram OR tiktok")) >= {ids["engagement"], ids["crypto"], ids["marque"]}
    assert ids["crypto"] not in _ids(people.alice, "-crypto")
    assert ids["marque"] in _ids(people.alice, "-crypto")


def test_title_matches_rank_first(corpus, people):
    ids, _ = corpus
    found = _ids(people.alice, "marque")
    assert found[0] == ids["marque"]


def test_access_never_shows_someone_elses_private_feed(corpus, people):
    ids, _ = corpus
    assert ids["bob"] not in _ids(people.alice, "communauté")
    assert ids["zoe"] not in _ids(people.alice, "communauté")
    assert ids["bob"] in _ids(people.bob, "communauté")
    assert ids["communautes"] not in _ids(people.bob, "communauté")  # Alice's own feed
    assert ids["zoe"] in _ids(people.zoe, "communauté")
    trainer = _ids(people.trainer, "engagement")
    assert ids["engagement"] in trainer and ids["bob"] not in trainer and ids["zoe"] not in trainer


def test_filters(corpus, people):
    ids, feeds = corpus
    assert set(_ids(people.alice, "engagement", EntryFilters(language="en"))) == {ids["english"]}
    assert set(_ids(people.alice, "réseaux", EntryFilters(feed_ids=(feeds["mine"],)))) == {ids["scattered"]}
    assert set(_ids(people.alice, "réseaux", EntryFilters(folder="Réseaux"))) == {ids["phrase"]}
    october = EntryFilters(date_from=date(2026, 10, 1), date_to=date(2026, 10, 31))
    assert set(_ids(people.alice, "réseaux", october)) == {ids["phrase"]}
    with session_scope() as s:
        s.add(EntryState(user_id=people.alice.id, entry_id=ids["phrase"], read=True))
    assert ids["phrase"] not in _ids(people.alice, "réseaux", EntryFilters(read=False))
    assert set(_ids(people.alice, "réseaux", EntryFilters(read=True))) == {ids["phrase"]}
    assert ids["phrase"] in _ids(people.bob, "réseaux", EntryFilters(read=False))  # read is per person


def test_the_period_filter_counts_days_as_people_live_them(corpus, people):
    """Published at 00:30 in Paris on 8 December (23:30 UTC the 7th), shown « 08/12/2026 » on its
    card: « Période » 08/12 left it out and 07/12 kept it (UTC days)."""
    ids, _ = corpus
    with session_scope() as s:
        s.execute(
            update(Entry)
            .where(Entry.id == ids["marque"])
            .values(published_at=datetime(2026, 12, 7, 23, 30, tzinfo=UTC))
        )
    eighth = EntryFilters(date_from=date(2026, 12, 8), date_to=date(2026, 12, 8))
    seventh = EntryFilters(date_from=date(2026, 12, 7), date_to=date(2026, 12, 7))
    assert set(_ids(people.alice, "marque", eighth)) == {ids["marque"]}
    assert ids["marque"] not in _ids(people.alice, "marque", seventh)


def test_index_follows_updates_deletes_and_core_inserts(corpus, people):
    ids, feeds = corpus
    with session_scope() as s:
        s.execute(update(Entry).where(Entry.id == ids["marque"]).values(title="Podcasts et influenceurs"))
    assert ids["marque"] in _ids(people.alice, "influenceuses OR influenceurs")
    assert ids["marque"] not in _ids(people.alice, "stratégie")
    with session_scope() as s:
        entry = s.get(Entry, ids["crypto"])
        entry.extracted_text = "Un long article sur la modération des commentaires."
    assert ids["crypto"] in _ids(people.alice, "modérations")
    with session_scope() as s:
        s.execute(
            insert(Entry).values(
                _entry_row(feeds["mine"], "core-1", "Veille concurrentielle", "<p>Outils de veille</p>")
            )
        )
    assert _ids(people.alice, "veilles concurrentielles")
    with session_scope() as s:
        s.execute(delete(Entry).where(Entry.id == ids["communautes"]))
    assert ids["communautes"] not in _ids(people.alice, "communauté")


def test_html_tags_are_not_indexed(db_url, people):
    with session_scope() as s:
        feed = add_feed(s, "Balises", user_id=people.alice.id)
        add_entry(s, feed, "Titre", '<p class="strong"><a href="https://x.example">lien</a></p>')
    assert _ids(people.alice, "lien")
    assert not _ids(people.alice, "href")


def test_index_follows_feed_date_language_and_state_changes(corpus, people):
    """The SQLite index copies feed, date and language: changing them must move the entry."""
    ids, feeds = corpus
    with session_scope() as s:
        s.execute(
            update(Entry)
            .where(Entry.id == ids["marque"])
            .values(language="en", published_at=datetime(2026, 9, 15, tzinfo=UTC))
        )
    assert set(_ids(people.alice, "marque", EntryFilters(language="en"))) == {ids["marque"]}
    september = EntryFilters(date_from=date(2026, 9, 15), date_to=date(2026, 9, 15))
    assert set(_ids(people.alice, "marque", september)) == {ids["marque"]}
    with session_scope() as s:
        s.execute(update(Entry).where(Entry.id == ids["marque"]).values(feed_id=feeds["private"]))
    assert ids["marque"] not in _ids(people.alice, "marque")
    assert ids["marque"] in _ids(people.bob, "marque")
    with session_scope() as s:
        s.add(EntryState(user_id=people.alice.id, entry_id=ids["crypto"], hidden=True, saved=True))
    assert ids["crypto"] not in _ids(people.alice, "tiktok")
    assert ids["crypto"] in _ids(people.alice, "tiktok", EntryFilters(include_hidden=True, saved=True))
    assert ids["crypto"] not in _ids(people.alice, "tiktok", EntryFilters(include_hidden=True, saved=False))


def test_pages_follow_rank_then_date(db_url, people):
    with session_scope() as s:
        feed = add_feed(s, "Pages", user_id=people.alice.id)
        days = [datetime(2026, 10, d, tzinfo=UTC) for d in range(1, 8)]
        in_title = add_entry(s, feed, "Modération des commentaires", "Un guide.", published=days[0]).id
        in_body = [
            add_entry(s, feed, f"Article {i}", "Parlons de modération.", published=day).id
            for i, day in enumerate(days[1:])
        ]
    with session_scope() as s:
        pages = [
            [r.entry_id for r in search(s, people.alice, "modération", limit=3, offset=start)]
            for start in (0, 3, 6)
        ]
    assert pages[0][0] == in_title  # the title match ranks first, then newest first
    assert [i for page in pages for i in page] == [in_title, *reversed(in_body)]


def test_index_migration_keeps_indexed_and_queued_entries(db_url, people):
    """Revision 63f8ab9825ae rebuilds the SQLite index with feed, date and language, from the old one."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the SQLite index only (PostgreSQL's tsvector does not change)")
    with session_scope() as s:
        feed = add_feed(s, "Migration", user_id=people.alice.id)
        indexed = add_entry(s, feed, "Communautés en ligne", "Un guide.", language="en").id
    cfg = alembic_config(db_url)
    with get_engine(db_url).connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "34ead1157aac")
        assert list(conn.execute(text("SELECT * FROM entry_fts LIMIT 0")).keys()) == ["title", "body"]
        queued = conn.execute(  # written under the old schema: only queued, not indexed yet
            insert(Entry).values(_entry_row(feed.id, "queued", "Communauté de marque")).returning(Entry.id)
        ).scalar_one()
        conn.commit()
    upgrade_database(db_url)
    assert set(_ids(people.alice, "communauté")) == {indexed, queued}
    assert _ids(people.alice, "communauté", EntryFilters(language="en")) == [indexed]
    assert _ids(people.bob, "communauté") == []


def test_metadata_migration_moves_feed_date_language_beside_the_index(db_url, people):
    """Revision c9a2baee9761 moves feed, date and language out of FTS5 into ``entry_fts_meta``."""
    if not db_url.startswith("sqlite"):
        pytest.skip("the SQLite index only (PostgreSQL's tsvector does not change)")
    with session_scope() as s:
        feed = add_feed(s, "Migration", user_id=people.alice.id)
        english = add_entry(s, feed, "Communautés en ligne", "Un guide.", language="en").id
        october = add_entry(
            s, feed, "Communauté de marque", "Animer.", published=datetime(2026, 10, 2, tzinfo=UTC)
        ).id
    cfg = alembic_config(db_url)
    with get_engine(db_url).connect() as conn:
        cfg.attributes["connection"] = conn
        command.downgrade(cfg, "63f8ab9825ae")
        columns = list(conn.execute(text("SELECT * FROM entry_fts LIMIT 0")).keys())
        assert columns == ["feed_id", "at", "language", "title", "body"]
        conn.commit()
    upgrade_database(db_url)
    with get_engine(db_url).connect() as conn:
        assert list(conn.execute(text("SELECT * FROM entry_fts LIMIT 0")).keys()) == ["title", "body"]
        meta = conn.execute(text("SELECT entry_id, feed_id, language FROM entry_fts_meta ORDER BY entry_id"))
        assert meta.all() == [(english, feed.id, "en"), (october, feed.id, "fr")]
    assert set(_ids(people.alice, "communauté")) == {english, october}
    assert _ids(people.alice, "communauté", EntryFilters(language="en")) == [english]
    assert _ids(people.alice, "communauté", EntryFilters(date_to=date(2026, 10, 31))) == [october]
    with session_scope() as s:
        s.execute(delete(Entry).where(Entry.id == english))
    with get_engine(db_url).connect() as conn:
        assert conn.execute(text("SELECT entry_id FROM entry_fts_meta")).scalars().all() == [october]


@pytest.fixture
def wide(db_url, people, monkeypatch):
    """Seven « modération » entries stored day after day, two of them with the word in the title;
    ``WIDE_QUERY`` lowered to 3 so that the query counts as a very wide one."""
    monkeypatch.setattr(search_module, "WIDE_QUERY", 3)
    with session_scope() as s:
        feed = add_feed(s, "Modération", user_id=people.alice.id)
        days = [datetime(2026, 10, d, tzinfo=UTC) for d in range(1, 8)]
        old_title = add_entry(s, feed, "Modération des commentaires", "Un guide.", published=days[0]).id
        body = [
            add_entry(s, feed, f"Article {i}", "Parlons de modération.", published=day).id
            for i, day in enumerate(days[1:6])
        ]
        new_title = add_entry(s, feed, "Modération en direct", "Un guide.", published=days[6]).id
    return old_title, body, new_title


def test_wide_query_ranks_the_most_recent_matches_first(wide, people, monkeypatch):
    old_title, body, new_title = wide
    # The three most recent matches, best first, then the older ones, best first.
    expected = [new_title, body[4], body[3], old_title, body[2], body[1], body[0]]
    assert _ids(people.alice, "modération") == expected
    with session_scope() as s:  # pages of two, across the two groups: nothing lost or repeated
        pages = [
            [r.entry_id for r in search(s, people.alice, "modération", limit=2, offset=start)]
            for start in range(0, 8, 2)
        ]
    assert [i for page in pages for i in page] == expected
    monkeypatch.setattr(search_module, "WIDE_QUERY", 7)  # not wide: every match ranked together
    assert _ids(people.alice, "modération") == [new_title, old_title, *reversed(body)]


def test_wide_query_window_counts_only_what_the_person_may_see_under_their_filters(wide, people):
    old_title, body, new_title = wide
    with session_scope() as s:
        private = add_feed(s, "Secret Bob", user_id=people.bob.id)
        for day in (8, 9, 10):  # newer matches Alice may not see: they take no place in her window
            add_entry(s, private, "Modération", "Modération.", published=datetime(2026, 10, day, tzinfo=UTC))
        s.execute(update(Entry).where(Entry.id.in_([body[4], new_title])).values(language="en"))
    assert _ids(people.alice, "modération") == [
        new_title,
        body[4],
        body[3],
        old_title,
        body[2],
        body[1],
        body[0],
    ]
    # French only: the window is the three most recent French matches, then the older French ones.
    french = _ids(people.alice, "modération", EntryFilters(language="fr"))
    assert french == [body[3], body[2], body[1], old_title, body[0]]
    with session_scope() as s:
        s.add(EntryState(user_id=people.alice.id, entry_id=body[3], read=True))
    unread = _ids(people.alice, "modération", EntryFilters(language="fr", read=False))
    assert unread == [body[2], body[1], body[0], old_title]
