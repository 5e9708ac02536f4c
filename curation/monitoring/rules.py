"""Rules on the watch: a query (see ``query``) and what to do with the entries it matches.

A person writes rules for themselves; a trainer also writes rules for a cohort they run, which
act for every active member over the cohort's feeds. A rule can be tried before it is saved
(``dry_run``): the count it shows is exactly what ``apply_rule`` then does to the same stored
entries. New entries get the rules at refresh time (``curation.monitoring.plugin``).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import datetime

from sqlalchemy import (
    Boolean,
    ColumnElement,
    Insert,
    Integer,
    Table,
    and_,
    bindparam,
    false,
    func,
    insert,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from curation.models import Entry, EntryState, Feed
from curation.monitoring.alerts import record_alert
from curation.monitoring.documents import EntryBatch, EntryText, iter_feed_entries
from curation.monitoring.models import Rule, RuleMatch
from curation.monitoring.query import CompiledQuery, Evaluation, compile_query
from curation.monitoring.scope import FeedFolders, cohort_members, cohort_scope, person_scope
from workbench.access import Actor, require_cohort_trainer, trainer_cohort_ids, visible_cohort_ids
from workbench.db import UTCDateTime, utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import Cohort, User
from workbench.numbers import quantity
from workbench.wording import quoted

# The modules behind the pin and digest actions (boards, pins, digest lists: about 5 MB) are
# imported by the functions that use them: every refresh imports this module (through
# ``curation.monitoring.plugin``), and most rules only highlight, mark as read or hide.
STORED_LIMIT = 20_000  # a dry run and a re-application look at the most recent stored entries
ALERT_PERIOD_MINUTES = 60
MAX_RULES = 200


@dataclass(frozen=True)
class RuleActions:
    """What a rule does to each entry it matches, for each person it acts for.

    ``pin`` pins the entry on a board (``pin_board_id``, else the person's default board) with
    ``pin_tags``: tags live on pins (``curation.pins``), so tagging an entry is pinning it tagged.
    ``digest`` queues the entry for the next digest of the rule owner's list ``digest_list_id``
    (``curation.digest.queue``).
    """

    highlight: bool = False
    mark_read: bool = False
    hide: bool = False
    alert: bool = False
    digest: bool = False
    pin: bool = False
    pin_board_id: int | None = None
    pin_tags: tuple[str, ...] = ()
    digest_list_id: int | None = None

    @classmethod
    def from_dict(cls, data: dict | None) -> RuleActions:
        data = data or {}
        flags = {k: bool(data.get(k, False)) for k in ACTION_LABELS}
        board, digest_list = data.get("pin_board_id"), data.get("digest_list_id")
        return cls(
            **flags,
            pin_board_id=int(board) if board else None,
            pin_tags=tuple(data.get("pin_tags") or ()),
            digest_list_id=int(digest_list) if digest_list else None,
        )

    def as_dict(self) -> dict:
        return {**asdict(self), "pin_tags": list(self.pin_tags)}

    def labels(self) -> list[str]:
        labels = [label for name, label in ACTION_LABELS.items() if getattr(self, name)]
        if self.pin and self.pin_tags:
            labels[-1] += " (" + ", ".join(f"#{t}" for t in self.pin_tags) + ")"
        return labels

    @property
    def any(self) -> bool:
        return bool(self.labels())


ACTION_LABELS = {
    "highlight": "Mettre en évidence",
    "mark_read": "Marquer comme lu",
    "hide": "Masquer",
    "alert": "M’alerter",
    "digest": "Ajouter à la prochaine revue",
    "pin": "Épingler",  # last: its tags follow its label
}


def _checked_actions(
    session: Session, actor: Actor, actions: RuleActions, cohort_id: int | None
) -> RuleActions:
    """The actions to store: tags cleaned, the board writable by the actor (members pin to their own)."""
    from curation.boards import board_for_write  # imported when used (see the top of the module)
    from curation.digest.lists import owned_list
    from curation.pins import clean_tags

    if not actions.any:
        raise UserError(
            "Choisissez au moins une action (mettre en évidence, marquer comme lu, masquer, alerter, "
            "ajouter à la prochaine revue, épingler)."
        )
    if not actions.digest:
        actions = replace(actions, digest_list_id=None)
    elif actions.digest_list_id is None:
        raise UserError(
            "Choisissez la liste de diffusion dont la prochaine revue recevra les articles retenus "
            "(créez-en une sur la page Revue de veille)."
        )
    else:
        owned_list(session, actor, actions.digest_list_id)
    if not actions.pin:
        return replace(actions, pin_board_id=None, pin_tags=())
    tags = tuple(clean_tags(list(actions.pin_tags)))
    if actions.pin_board_id is not None:
        if cohort_id is not None:
            raise UserError(
                "Une règle de session épingle sur le tableau par défaut de chaque stagiaire\u00a0: "
                "ne choisissez pas de tableau."
            )
        board_for_write(session, actor, actions.pin_board_id)
    return replace(actions, pin_tags=tags)


@dataclass(frozen=True)
class RuleView:
    id: int
    name: str
    query: str
    actions: RuleActions
    enabled: bool
    cohort_id: int | None
    owner: str  # "Moi" or the cohort's name
    can_edit: bool
    match_count: int
    last_applied_at: datetime | None


@dataclass(frozen=True)
class Example:
    entry_id: int
    title: str
    link: str
    source: str
    published_at: datetime | None


@dataclass
class DryRun:
    """What a rule would match among the stored entries it may see."""

    count: int
    scanned: int
    examples: list[Example] = field(default_factory=list)
    entry_ids: list[int] = field(default_factory=list)
    regex_timeouts: int = 0
    limited: bool = False  # only the most recent STORED_LIMIT entries were looked at


@dataclass
class ApplyResult:
    matched: int  # distinct entries the rule matched
    people: int  # persons it acted for
    new_matches: int  # (rule, person, entry) links created now
    regex_timeouts: int = 0


# ---- access ---------------------------------------------------------------------------------


def _rule_for_read(session: Session, actor: Actor, rule_id: int) -> Rule:
    rule = session.get(Rule, rule_id)
    if rule is None:
        raise NotFound("Règle introuvable\u00a0: elle a peut-être été supprimée.")
    if rule.user_id == actor.id:
        return rule
    if rule.cohort_id is not None and rule.cohort_id in visible_cohort_ids(session, actor):
        return rule
    raise AccessDenied("Cette règle ne vous appartient pas.")


def _rule_for_write(session: Session, actor: Actor, rule_id: int) -> Rule:
    rule = _rule_for_read(session, actor, rule_id)
    if rule.user_id == actor.id or (
        rule.cohort_id is not None and rule.cohort_id in trainer_cohort_ids(session, actor)
    ):
        return rule
    raise AccessDenied("Cette règle est celle de votre session\u00a0: seul votre formateur peut la modifier.")


def _clean_name(name: str, query: str) -> str:
    name = " ".join((name or "").split())[:200]
    return name or " ".join(query.split())[:60]


# ---- CRUD -----------------------------------------------------------------------------------


def create_rule(
    session: Session,
    actor: Actor,
    *,
    name: str,
    query: str,
    actions: RuleActions,
    cohort_id: int | None = None,
    enabled: bool = True,
) -> RuleView:
    """Save a rule after checking its query (a broken regex is refused with a French message)."""
    compile_query(query)
    if cohort_id is not None:
        require_cohort_trainer(session, actor, cohort_id)
    actions = _checked_actions(session, actor, actions, cohort_id)
    owner = Rule.cohort_id == cohort_id if cohort_id is not None else Rule.user_id == actor.id
    count = session.scalar(select(func.count(Rule.id)).where(owner)) or 0
    if count >= MAX_RULES:
        raise UserError(f"{MAX_RULES} règles au plus\u00a0: supprimez celles qui ne servent plus.")
    rule = Rule(
        user_id=None if cohort_id is not None else actor.id,
        cohort_id=cohort_id,
        author_id=actor.id,
        name=_clean_name(name, query),
        query=query.strip(),
        actions=actions.as_dict(),
        enabled=enabled,
        position=count,
    )
    session.add(rule)
    session.flush()
    return _views(session, actor, [rule])[0]


def update_rule(
    session: Session,
    actor: Actor,
    rule_id: int,
    *,
    name: str | None = None,
    query: str | None = None,
    actions: RuleActions | None = None,
    enabled: bool | None = None,
) -> RuleView:
    rule = _rule_for_write(session, actor, rule_id)
    if query is not None:
        compile_query(query)
        rule.query = query.strip()
    if actions is not None:
        rule.actions = _checked_actions(session, actor, actions, rule.cohort_id).as_dict()
    if name is not None:
        rule.name = _clean_name(name, rule.query)
    if enabled is not None:
        rule.enabled = enabled
    session.flush()
    return _views(session, actor, [rule])[0]


def delete_rule(session: Session, actor: Actor, rule_id: int) -> None:
    """Delete a rule and its matches (what it marked as read or hid stays as it is)."""
    session.delete(_rule_for_write(session, actor, rule_id))


def _views(session: Session, actor: Actor, rules: Sequence[Rule]) -> list[RuleView]:
    ids = [r.id for r in rules]
    counts = (
        dict(
            session.execute(
                select(RuleMatch.rule_id, func.count(func.distinct(RuleMatch.entry_id)))
                .where(RuleMatch.rule_id.in_(ids))
                .group_by(RuleMatch.rule_id)
            )
            .tuples()
            .all()
        )
        if ids
        else {}
    )
    cohort_ids = {r.cohort_id for r in rules if r.cohort_id}
    names = (
        dict(session.execute(select(Cohort.id, Cohort.name).where(Cohort.id.in_(cohort_ids))).tuples().all())
        if cohort_ids
        else {}
    )
    runs = set(trainer_cohort_ids(session, actor))
    return [
        RuleView(
            id=r.id,
            name=r.name,
            query=r.query,
            actions=RuleActions.from_dict(r.actions),
            enabled=r.enabled,
            cohort_id=r.cohort_id,
            owner=names.get(r.cohort_id, "Session") if r.cohort_id else "Moi",
            can_edit=r.user_id == actor.id or r.cohort_id in runs,
            match_count=counts.get(r.id, 0),
            last_applied_at=r.last_applied_at,
        )
        for r in rules
    ]


def list_rules(session: Session, actor: Actor) -> list[RuleView]:
    """My rules, then those of my cohorts (joined or run)."""
    cohorts = visible_cohort_ids(session, actor)
    condition = Rule.user_id == actor.id
    if cohorts:
        condition = or_(condition, Rule.cohort_id.in_(cohorts))
    rules = list(
        session.scalars(
            select(Rule).where(condition).order_by(Rule.cohort_id.is_not(None), Rule.position, Rule.id)
        )
    )
    return _views(session, actor, rules)


def get_rule(session: Session, actor: Actor, rule_id: int) -> RuleView:
    return _views(session, actor, [_rule_for_read(session, actor, rule_id)])[0]


# ---- matching -------------------------------------------------------------------------------


def match_entries(
    compiled: CompiledQuery,
    batch: EntryBatch,
    scope: FeedFolders,
    ev: Evaluation,
) -> list[EntryText]:
    """The entries of ``scope``'s feeds that ``compiled`` matches (with that owner's folders).

    Evaluated with set operations over the batch's postings (``CompiledQuery.select``): with 50
    rules on 10,000 entries, only what a phrase or a regular expression may match is looked at
    entry by entry.
    """
    batch.index(compiled.indexed_words())
    found = compiled.select(batch, scope, batch.in_feeds(scope), ev)
    return [batch.entries[i] for i in sorted(found)]


def _scope_for(session: Session, actor: Actor, cohort_id: int | None) -> FeedFolders:
    if cohort_id is None:
        return person_scope(session, actor.id)
    require_cohort_trainer(session, actor, cohort_id)
    return cohort_scope(session, cohort_id)


def _stored(session: Session, scope: FeedFolders) -> tuple[list[EntryText], bool]:
    entries = iter_feed_entries(session, scope, limit=STORED_LIMIT + 1)
    return entries[:STORED_LIMIT], len(entries) > STORED_LIMIT


def _run(session: Session, query: str, scope: FeedFolders, examples: int) -> DryRun:
    compiled = compile_query(query)
    entries, limited = _stored(session, scope)
    ev = Evaluation()
    matched = match_entries(compiled, EntryBatch(entries), scope, ev)
    return DryRun(
        count=len(matched),
        scanned=len(entries),
        examples=[
            Example(e.id, e.title or "(sans titre)", e.link, e.feed_title or e.feed_url, e.published_at)
            for e in matched[:examples]
        ],
        entry_ids=[e.id for e in matched],
        regex_timeouts=ev.regex_timeouts,
        limited=limited,
    )


def dry_run(
    session: Session, actor: Actor, query: str, *, cohort_id: int | None = None, examples: int = 10
) -> DryRun:
    """What ``query`` would match among the stored entries it may see (nothing is written)."""
    compile_query(query)  # a broken query is reported before any scope is computed
    return _run(session, query, _scope_for(session, actor, cohort_id), examples)


def dry_run_rule(session: Session, actor: Actor, rule_id: int, *, examples: int = 10) -> DryRun:
    """A saved rule's dry run, over the entries of its owner (a person or a cohort)."""
    rule = _rule_for_read(session, actor, rule_id)
    if rule.cohort_id is not None:
        return _run(session, rule.query, cohort_scope(session, rule.cohort_id), examples)
    return _run(session, rule.query, person_scope(session, rule.user_id), examples)


# ---- acting ---------------------------------------------------------------------------------


class RuleEffects:
    """What rules do to entries, gathered over a pass then written in a few set-based statements.

    A refresh may bring 10,000 entries and 50 rules: matches and read/hidden states are collected
    per (rule, person, entry), then written by ``INSERT … SELECT`` over the entries' ids (one
    statement per rule, person and 500 entries: no Python row per match). Already recorded matches
    and states are skipped by the statements themselves, so re-applying is idempotent.
    """

    def __init__(self, *, alerts: bool = True) -> None:
        self.alerts = alerts  # off when a rule is run over articles already received: nothing new to tell
        self.rules: dict[int, tuple[Rule, RuleActions]] = {}
        self.matches: dict[tuple[int, int], set[int]] = {}  # (rule id, person) → entries
        self.states: dict[tuple[int, int], tuple[bool, bool]] = {}  # (person, entry) → (read, hidden)

    def add(self, rule: Rule, user_ids: Sequence[int], entry_ids: Sequence[int]) -> None:
        if not user_ids or not entry_ids:
            return
        actions = RuleActions.from_dict(rule.actions)
        self.rules[rule.id] = (rule, actions)
        for user_id in user_ids:
            self.matches.setdefault((rule.id, user_id), set()).update(entry_ids)
            if actions.mark_read or actions.hide:
                for entry_id in entry_ids:
                    read, hidden = self.states.get((user_id, entry_id), (False, False))
                    self.states[(user_id, entry_id)] = (read or actions.mark_read, hidden or actions.hide)

    def write(self, session: Session) -> int:
        """Record everything gathered; returns the number of new (rule, person, entry) matches."""
        if not self.matches:
            return 0
        now = utcnow()
        written = 0
        fresh: dict[tuple[int, int], list[int]] = {}
        for (rule_id, user_id), ids in self.matches.items():
            actions = self.rules[rule_id][1]
            alert = actions.alert and self.alerts
            follow_up = alert or actions.pin or actions.digest  # they need the new ids
            for chunk in _chunks(sorted(ids)):
                params = {
                    "rule": rule_id,
                    "person": user_id,
                    "hl": actions.highlight,
                    "now": now,
                    "ids": chunk,
                }
                if follow_up:
                    new = list(session.scalars(_NEW_MATCHES_RETURNING, params))
                    fresh.setdefault((rule_id, user_id), []).extend(new)
                    written += len(new)
                else:
                    written += session.execute(_NEW_MATCHES, params).rowcount
        self._write_states(session, now)
        queued: dict[int, set[int]] = {}
        for (rule_id, user_id), new_ids in fresh.items():
            if not new_ids:
                continue
            rule, actions = self.rules[rule_id]
            ids = sorted(new_ids)
            if actions.digest and actions.digest_list_id is not None:
                queued.setdefault(rule_id, set()).update(ids)  # once per list, whoever it acted for
            if actions.pin:
                _pin_all(session, user_id, ids, actions)
            if actions.alert and self.alerts:
                record_alert(
                    session,
                    user_id=user_id,
                    subject=f"rule:{rule.id}",
                    kind="rule",
                    title=f"Règle {quoted(rule.name)}",
                    message=f"La règle {quoted(rule.name)} a retenu {quantity(len(ids), 'nouvel article', 'nouveaux articles')}.",
                    entry_ids=ids,
                    period_minutes=ALERT_PERIOD_MINUTES,
                    rule_id=rule.id,
                )
        for rule_id, ids in queued.items():
            _queue_for_digest(session, *self.rules[rule_id], ids)
        return written

    def _write_states(self, session: Session, now: datetime) -> None:
        """Mark entries read and/or hidden per person: existing states updated, missing ones created."""
        groups: dict[tuple[int, bool, bool], list[int]] = {}
        for (user_id, entry_id), flags in self.states.items():
            groups.setdefault((user_id, *flags), []).append(entry_id)
        states = EntryState.__table__
        for (user_id, read, hidden), ids in groups.items():
            values = {name: True for name, on in (("read", read), ("hidden", hidden)) if on}
            turn_on = (
                update(states)
                .where(
                    states.c.user_id == user_id,
                    states.c.entry_id.in_(bindparam("ids", expanding=True)),
                    or_(*(states.c[name].is_(False) for name in values)),
                )
                .values(**values, updated_at=now)
            )
            for chunk in _chunks(sorted(ids)):
                session.execute(turn_on, {"ids": chunk})
                session.execute(
                    _NEW_STATES, {"person": user_id, "read": read, "hidden": hidden, "now": now, "ids": chunk}
                )


def _insert_new(table: Table, columns: list[str], values: list, known: ColumnElement[bool]) -> Insert:
    """``INSERT INTO table (columns) SELECT values FROM entries WHERE id IN :ids AND NOT EXISTS known``.

    Built once: each execution sends its ids (no Python row per inserted row, no query for what
    is already there).
    """
    exists_already = select(table.c.id).where(known, table.c.entry_id == Entry.id).exists()
    rows = select(*values).where(Entry.id.in_(bindparam("ids", expanding=True)), ~exists_already)
    # An INSERT's rowcount is kept only when asked for (SQLAlchemy 2.1 with psycopg gives -1 otherwise).
    return insert(table).from_select(columns, rows).execution_options(preserve_rowcount=True)


_MATCHES = RuleMatch.__table__
_NEW_MATCHES = _insert_new(
    _MATCHES,
    ["rule_id", "user_id", "entry_id", "highlight", "matched_at"],
    [
        bindparam("rule", type_=Integer),
        bindparam("person", type_=Integer),
        Entry.id,
        bindparam("hl", type_=Boolean),
        bindparam("now", type_=UTCDateTime),
    ],
    and_(_MATCHES.c.rule_id == bindparam("rule"), _MATCHES.c.user_id == bindparam("person")),
)
_NEW_MATCHES_RETURNING = _NEW_MATCHES.returning(_MATCHES.c.entry_id)  # for alerts, pins, digests
_STATES = EntryState.__table__
_NEW_STATES = _insert_new(
    _STATES,
    ["user_id", "entry_id", "read", "saved", "hidden", "updated_at"],
    [
        bindparam("person", type_=Integer),
        Entry.id,
        bindparam("read", type_=Boolean),
        false(),
        bindparam("hidden", type_=Boolean),
        bindparam("now", type_=UTCDateTime),
    ],
    _STATES.c.user_id == bindparam("person"),
)


def _queue_for_digest(session: Session, rule: Rule, actions: RuleActions, entry_ids: set[int]) -> None:
    """Queue entries for the next digest of the rule's list (a cohort rule's: its author's list)."""
    from curation.digest.queue import queue_entries  # imported when used (see the top of the module)

    owner = rule.user_id if rule.user_id is not None else rule.author_id
    if owner is not None and actions.digest_list_id is not None:
        queue_entries(session, actions.digest_list_id, owner, entry_ids, reason=f"Règle {quoted(rule.name)}")


def _pin_all(session: Session, user_id: int, entry_ids: list[int], actions: RuleActions) -> None:
    """Pin each entry for this person (a board since deleted or no longer theirs: the default one)."""
    from curation.boards import board_for_write  # imported when used (see the top of the module)
    from curation.pins import pin_entry

    role = session.scalar(select(User.role).where(User.id == user_id))
    person = Actor(user_id, role or "trainee")
    board_id = actions.pin_board_id
    if board_id is not None:
        try:
            board_for_write(session, person, board_id)
        except UserError:
            board_id = None
    for entry_id in entry_ids:
        try:
            with session.begin_nested():
                pin_entry(session, person, entry_id, board_id=board_id, tags=list(actions.pin_tags))
        except UserError:  # e.g. the source was unfollowed meanwhile: the other actions still stand
            continue


def _chunks(ids: Sequence[int], size: int = 500) -> Iterable[list[int]]:
    for start in range(0, len(ids), size):
        yield list(ids[start : start + size])


def rule_people(session: Session, rules: Sequence[Rule]) -> dict[int, list[int]]:
    """Rule id → the persons it acts for: its owner, or its cohort's active members (one query)."""
    members = cohort_members(session, {r.cohort_id for r in rules if r.cohort_id is not None})
    return {r.id: [r.user_id] if r.user_id is not None else members.get(r.cohort_id, []) for r in rules}


def apply_rule(session: Session, actor: Actor, rule_id: int) -> ApplyResult:
    """Re-apply a rule to the stored entries its dry run looks at (no alert: they are not new)."""
    rule = _rule_for_write(session, actor, rule_id)
    run = dry_run_rule(session, actor, rule_id, examples=0)
    people = rule_people(session, [rule])[rule.id]
    effects = RuleEffects(alerts=False)
    effects.add(rule, people, run.entry_ids)
    new = effects.write(session)
    rule.last_applied_at = utcnow()
    return ApplyResult(
        matched=run.count, people=len(people), new_matches=new, regex_timeouts=run.regex_timeouts
    )


def highlighted_entry_ids(session: Session, actor: Actor, entry_ids: Iterable[int]) -> dict[int, list[str]]:
    """For the wall: which of these entries my rules highlight, with the rules' names."""
    ids = list(entry_ids)
    if not ids:
        return {}
    found: dict[int, list[str]] = {}
    for entry_id, name in session.execute(
        select(RuleMatch.entry_id, Rule.name)
        .join(Rule, Rule.id == RuleMatch.rule_id)
        .where(RuleMatch.user_id == actor.id, RuleMatch.highlight.is_(True), RuleMatch.entry_id.in_(ids))
    ):
        found.setdefault(entry_id, []).append(name)
    return found


def rule_matches(session: Session, actor: Actor, rule_id: int, *, limit: int = 50) -> list[Example]:
    """The latest entries a rule retained for me (or, for a trainer, for the cohort)."""
    rule = _rule_for_read(session, actor, rule_id)
    stmt = (
        select(Entry.id, Entry.title, Entry.link, Feed.title, Entry.published_at)
        .join(Feed, Feed.id == Entry.feed_id)
        .where(Entry.id.in_(select(RuleMatch.entry_id).where(RuleMatch.rule_id == rule.id)))
        .order_by(Entry.first_seen_at.desc(), Entry.id.desc())
        .limit(limit)
    )
    return [
        Example(i, t or "(sans titre)", link, src or "", pub)
        for i, t, link, src, pub in session.execute(stmt)
    ]
