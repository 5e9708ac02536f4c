"""Five people at once on the real server (``streamlit run serve.py`` on 127.0.0.1), over its
websocket as browsers talk to it (``tests/streamlit_ws.py``): the trainer on the competence map,
heatmap and review queue, four trainees logging in, paging, searching, reading, pinning, saving
self-assessment steps and handing in an exercise, two rounds each.

Integrity, not time (``benchmarks/load_bench.py`` measures time): every pin, submission and
self-assessment step stored exactly once, and no trainee shown another's answers.
"""

from __future__ import annotations

import asyncio

from benchmarks.load_bench import Server, integrity, seed, together

PEOPLE = 5  # the trainer and four trainees
ROUNDS = 2


def test_five_people_at_once_each_write_stored_once_and_nobody_sees_another(db_url, tmp_path) -> None:
    seed(db_url, PEOPLE)
    with Server(db_url, tmp_path) as server:
        ledger = asyncio.run(together(server, PEOPLE, duration=0, rounds=ROUNDS))
    assert dict(ledger.failures) == {}
    trainees = range(1, PEOPLE)
    assert all(len(ledger.pins[i]) == 2 * ROUNDS for i in trainees)  # the writes did happen
    assert all(ledger.submissions[i] == ROUNDS for i in trainees)
    assert all(ledger.started[i] == 1 for i in trainees)
    assert integrity(db_url, PEOPLE, [ledger]) == []
