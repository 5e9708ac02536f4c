"""AppTest for the home page: where a person stands, from their very first visit."""

from __future__ import annotations

from curation.feeds import list_subscriptions
from tests.apptest import run_app
from workbench.db import session_scope


def metric(at, label: str) -> str:
    return next(m.value for m in at.metric if m.label == label)


def test_a_newcomer_first_sees_the_demo_stories_counted(people) -> None:
    """The first page after signing up said « Sujets non lus : 0 » while the wall, one click away,
    held the demo content's stories (given at the first visit of the wall or the sources only)."""
    at = run_app(people.zoe, "screens/home.py")
    assert not at.exception
    with session_scope() as s:
        assert {v.folder for v in list_subscriptions(s, people.zoe)} == {"Démonstration"}
    assert int(metric(at, "Sujets non lus")) > 0
