"""Post-store plugin: rules and watches applied to the entries a refresh has just stored.

Listed in ``curation.plugins.POST_STORE_PLUGINS`` as ``curation.monitoring.plugin.apply_to_new_entries``.
It runs inside the refresh's transaction (in its own savepoint): a rule whose query no longer
compiles is skipped and logged, a regex that runs too long counts as « no match », and nothing
here can make the feed fail to store.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from functools import lru_cache

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from curation.models import Entry
from curation.monitoring.documents import EntryBatch, load_entries
from curation.monitoring.models import Rule, Watch
from curation.monitoring.query import CompiledQuery, Evaluation, compile_query
from curation.monitoring.rules import RuleEffects, match_entries, rule_people
from curation.monitoring.scope import viewers_of
from curation.monitoring.watches import check_alerts, matcher_for, record_mentions
from workbench.errors import UserError

log = logging.getLogger("atelier.monitoring")


@dataclass
class PassReport:
    rules: int = 0
    rule_matches: int = 0
    watches: int = 0
    mentions: int = 0
    alerts: int = 0
    skipped_rules: list[int] = field(default_factory=list)
    regex_timeouts: int = 0


@lru_cache(maxsize=2048)
def _compiled(query: str) -> CompiledQuery | None:
    """Rules compiled once per process (a refresh calls the plugin once per feed)."""
    try:
        return compile_query(query)
    except UserError:
        return None


def apply_to_new_entries(session: Session, new_entry_ids: list[int]) -> PassReport:
    """Apply every enabled rule and every watch that can see these entries."""
    report = PassReport()
    feed_ids: set[int] = set()
    for start in range(0, len(new_entry_ids), 1000):
        chunk = new_entry_ids[start : start + 1000]
        feed_ids.update(session.scalars(select(Entry.feed_id).where(Entry.id.in_(chunk)).distinct()))
    people, cohorts = viewers_of(session, feed_ids)
    conditions = []
    if people:
        conditions.append(Rule.user_id.in_(list(people)))
    if cohorts:
        conditions.append(Rule.cohort_id.in_(list(cohorts)))
    if not conditions:
        return report
    rules = session.scalars(
        select(Rule).where(Rule.enabled.is_(True), or_(*conditions)).order_by(Rule.position, Rule.id)
    ).all()
    watches = session.scalars(select(Watch).where(Watch.user_id.in_(list(people)))).all()
    if not rules and not watches:  # nobody watches these feeds: their texts are not even read
        return report
    batch = EntryBatch(load_entries(session, new_entry_ids))
    ev = Evaluation()
    effects = RuleEffects()
    compiled = [(rule, _compiled(rule.query)) for rule in rules]
    words = [query.indexed_words() for _, query in compiled if query is not None]
    words += [matcher_for(watch).indexed_words() for watch in watches]
    batch.index(set().union(*words))  # every field walked once, for every rule and watch
    acts_for = rule_people(session, rules)
    for rule, query in compiled:
        if query is None:
            log.warning("rule %s no longer compiles; skipped", rule.id)
            report.skipped_rules.append(rule.id)
            continue
        scope = people.get(rule.user_id, {}) if rule.user_id is not None else cohorts.get(rule.cohort_id, {})
        matched = match_entries(query, batch, scope, ev)
        report.rules += 1
        if matched:
            effects.add(rule, acts_for[rule.id], [e.id for e in matched])
    report.rule_matches = effects.write(session)
    report.regex_timeouts = ev.regex_timeouts
    for watch in watches:
        new = record_mentions(session, watch, batch, people[watch.user_id])
        report.watches += 1
        report.mentions += len(new)
        report.alerts += len(check_alerts(session, watch, new))
    return report
