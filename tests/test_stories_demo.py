"""Issue 20: the demo's own multi-outlet stories are each one card on the wall, one item in the
digest, and e-réputation counts each story once."""

from __future__ import annotations

from sqlalchemy import select

from curation import plugins
from curation.models import Entry
from curation.demo import ensure_starter_subscriptions, load_demo_content
from curation.wall import wall
from workbench.db import session_scope

# The stories the demo feeds tell several times (French and English outlets), by what their titles say.
DEMO_STORIES = {
    "Instagram hides likes": lambda t: "Instagram" in t and ("j’aime" in t or "like" in t),
    "LinkedIn newsletter analytics": lambda t: "LinkedIn" in t and "newsletter" in t.lower(),
    "EU « Publicité » label": lambda t: "Publicité" in t or "sponsored" in t,
    "TikTok live at 500": lambda t: "TikTok" in t and "live" in t.lower(),
}


def test_demo_multi_outlet_stories_are_one_card_each(db_url, people):
    with session_scope() as s:
        load_demo_content(s)
        ensure_starter_subscriptions(s, people.zoe)
    plugins.drain()
    with session_scope() as s:
        cards = wall(s, people.zoe, per_page=200).cards
        titles = dict(s.execute(select(Entry.id, Entry.title)).tuples().all())
    for name, about in DEMO_STORIES.items():
        told = [[titles[i] for i in c.entry_ids] for c in cards if any(about(titles[i]) for i in c.entry_ids)]
        print(name, told)
    for name, about in DEMO_STORIES.items():
        told = [c for c in cards if any(about(titles[i]) for i in c.entry_ids)]
        assert len(told) == 1, name
