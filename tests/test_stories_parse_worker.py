"""Story texts computed by the refresh's parsing process (``curation.parse_worker``) and stored with
each new entry are exactly what grouping would compute from the stored entry: grouping is the same
whichever process computed them, and a text changed since (an update, an article fetched) is not
grouped on its old words."""

from __future__ import annotations

import io

from sqlalchemy import delete, func, select, update

from curation import stories
from curation.feeds import get_or_create_feed
from curation.models import Entry
from curation.parse import ParsedFeed
from curation.parse_worker import read_frame, serve, write_frame
from curation.store import store_entries
from curation.story_models import StoryFingerprint
from workbench.db import session_scope

URL = "https://media.example/rss"
LONG = (
    "Julie Inman Grant, commissaire à la sécurité en ligne, salue une décision attendue par les familles "
    "et annonce des contrôles dès janvier auprès des plateformes concernées. " * 6
)


def _rss(
    first_summary: str = "TikTok bloque 200&#160;000 comptes en Australie, selon le régulateur",
) -> bytes:
    return f"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:content="http://purl.org/rss/1.0/modules/content/"><channel>
<title>Le Média Social</title><link>https://media.example/</link><language>fr</language>
<item><guid>a</guid><title>EXCLUSIF : TikTok interdit les moins de 15 ans | Le Média Social</title>
<link>https://media.example/a</link><pubDate>Tue, 18 Nov 2026 08:00:00 GMT</pubDate>
<description>&lt;p&gt;{first_summary} &amp;amp; la loi du 10 décembre. Le Média Social.&lt;/p&gt;</description></item>
<item><guid>b</guid><title>Breaking: Meta lance Threads en Europe le 14 décembre</title>
<link>https://media.example/b</link>
<content:encoded><![CDATA[<p>Meta ouvre <b>Threads</b> à 450 millions d’Européens.</p><p>{LONG}</p>]]></content:encoded></item>
<item><guid>c</guid><title>Instagram teste 3 formats de Reels</title><link>https://media.example/c</link>
<pubDate>Wed, 19 Nov 2026 10:30:00 GMT</pubDate></item>
</channel></rss>""".encode()


def _through_worker(data: bytes) -> ParsedFeed:
    """The parsing process's answer to one frame, through its own loop."""
    requests, replies = io.BytesIO(), io.BytesIO()
    write_frame(requests, (data, URL, "application/rss+xml"))
    requests.seek(0)
    serve(requests, replies)
    replies.seek(0)
    return read_frame(replies)


def _store(db_url: str, data: bytes) -> list[int]:
    with session_scope(db_url) as session:
        feed = get_or_create_feed(session, URL)
        return store_entries(session, feed, _through_worker(data), defer_plugins=True).new_ids


def _computed_here(db_url: str, ids: list[int]) -> list[stories.Fingerprint]:
    """The fingerprints grouping computes from the stored entries (stored story texts put aside)."""
    with session_scope(db_url) as session:
        session.execute(delete(StoryFingerprint).where(StoryFingerprint.entry_id.in_(ids)))
        fps, computed = stories._entry_fingerprints(session, ids)
        assert len(computed) == len(fps)  # every one computed here
        session.rollback()
    return fps


def test_story_texts_of_the_parsing_process_are_those_grouping_computes(db_url) -> None:
    assert all(entry.story is not None for entry in _through_worker(_rss()).entries)
    ids = _store(db_url, _rss())
    assert len(ids) == 3
    with session_scope(db_url) as session:
        fps, computed = stories._entry_fingerprints(session, ids)
    assert computed == []  # read as stored, not computed again
    assert fps == _computed_here(db_url, ids)
    assert any(len(fp.tail) for fp in fps) and all(len(fp.facts) for fp in fps)  # long text; figures, names


def test_a_story_text_changed_before_grouping_is_computed_again(db_url) -> None:
    ids = _store(db_url, _rss())
    assert _store(db_url, _rss("Meta ferme 300 comptes en Belgique, selon Bruxelles")) == []  # an update
    with session_scope(db_url) as session:
        assert session.scalar(select(func.count()).select_from(StoryFingerprint)) == 2
        session.execute(
            update(Entry)
            .where(Entry.link == "https://media.example/c")
            .values(extracted_text="Instagram teste Reels.")
        )
    with session_scope(db_url) as session:
        fps, computed = stories._entry_fingerprints(session, ids)
        changed = set(
            session.scalars(
                select(Entry.id).where(Entry.link.in_([f"https://media.example/{x}" for x in "ac"]))
            )
        )
    assert {fp.entry_id for fp in computed} == changed
    assert fps == _computed_here(db_url, ids)
