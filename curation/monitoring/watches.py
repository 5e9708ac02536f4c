"""Monitoring watches: a brand, person, product or topic, its variants and its false friends.

« Orange » the operator, not the fruit or the colour: a watch lists the names it goes by
(variants) and the words that, near a name, show it is not the one meant (exclusions: « jus »,
« couleur », « jus d’orange »…); it can also require the capital letter. Every occurrence of a
variant is checked against the exclusions within a few words around it; an entry is a mention
when one occurrence survives. Matching uses the search engine's normalisation (accents, elisions,
plurals). A watch can also subscribe its owner to news-search feeds for its names.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from urllib.parse import quote_plus

from sqlalchemy import ColumnElement, delete, func, select
from sqlalchemy.orm import Session

from curation.feeds import get_or_create_feed, normalise_feed_url, subscribe_feed
from curation.models import Entry, Feed
from curation.monitoring.alerts import record_alert
from curation.monitoring.documents import EntryBatch, EntryText, Located, iter_feed_entries, locate_tokens
from curation.monitoring.models import Mention, Watch
from curation.monitoring.scope import FeedFolders, person_scope
from curation.textnorm import normalise_for_search, tokens
from workbench.access import Actor
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.numbers import fr_int, quantity
from workbench.wording import quoted

KINDS = {"brand": "Marque", "person": "Personne", "product": "Produit", "topic": "Sujet"}
EXCLUSION_WINDOW = 6  # words each side of an occurrence where an exclusion disqualifies it
SNIPPET_CHARS = 90  # each side of the mention
MAX_TEXT_CHARS = 30_000
MAX_VARIANTS = 20
MAX_EXCLUSIONS = 40
MAX_COMPARED = 5  # a brand and up to four competitors
STORED_LIMIT = 20_000
SEARCH_SERVICES = {
    "google_news": (
        "Google Actualités",
        "https://news.google.com/rss/search?q={q}&hl=fr&gl=FR&ceid=FR:fr",
    ),
    "bing_news": ("Bing Actualités", "https://www.bing.com/news/search?q={q}&format=rss&setlang=fr-FR&cc=FR"),
}


# ---- matching -------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Pattern:
    text: str
    words: tuple[str, ...]
    capitals: tuple[bool, ...]  # per word: written with a capital in the variant


def _pattern(text: str) -> _Pattern:
    located = locate_tokens(text)
    return _Pattern(text, tuple(t.token for t in located), tuple(text[t.start].isupper() for t in located))


@dataclass(frozen=True)
class Found:
    snippet: str
    spans: list[list[int]]
    matched: str


class WatchMatcher:
    """Finds a watch's mentions in entries (pure: no database)."""

    def __init__(
        self, variants: Sequence[str], exclusions: Sequence[str], case_sensitive: bool = False
    ) -> None:
        self.variants = [p for p in (_pattern(v) for v in variants) if p.words]
        self.exclusions = [f" {' '.join(w)} " for w in (tokens(e) for e in exclusions) if w]
        self.case_sensitive = case_sensitive
        self._names = {p.words[0] for p in self.variants if len(p.words) == 1}
        self._needles = [f" {' '.join(p.words)} " for p in self.variants if len(p.words) > 1]

    def _maybe(self, entry: EntryText) -> bool:
        """Whether a name's tokens are in the entry at all (one-word names: in its token sets)."""
        title, content = entry.text_field("title"), entry.text_field("content")
        if not self._names.isdisjoint(title.token_set) or not self._names.isdisjoint(content.token_set):
            return True
        return any(n in title.joined or n in content.joined for n in self._needles)

    def indexed_words(self) -> set[tuple[str, str]]:
        """The (field, token) pairs ``screen`` asks a batch for."""
        return {(name, word) for p in self.variants for word in p.words for name in ("title", "content")}

    def screen(self, batch: EntryBatch) -> set[int]:
        """Positions of the batch's entries for which ``_maybe`` holds, from the batch's postings
        (a multi-word name is looked for in order only where all its words are)."""
        found: set[int] = set()
        for name in ("title", "content"):
            for word in self._names:
                found |= batch.positions(name, word)
        for pattern, needle in zip(
            (p for p in self.variants if len(p.words) > 1), self._needles, strict=True
        ):
            for name in ("title", "content"):
                maybe = set.intersection(*(batch.positions(name, w) for w in pattern.words)) - found
                found.update(i for i in maybe if needle in batch.entries[i].text_field(name).joined)
        return found

    def _occurrences(self, located: list[Located], text: str) -> list[tuple[int, int, _Pattern]]:
        words = [t.token for t in located]
        found = []
        for pattern in self.variants:
            size = len(pattern.words)
            first = pattern.words[0]
            for i, word in enumerate(words):
                if word != first or tuple(words[i : i + size]) != pattern.words:
                    continue
                if self.case_sensitive and any(
                    cap and not text[located[i + k].start].isupper() for k, cap in enumerate(pattern.capitals)
                ):
                    continue
                window = f" {' '.join(words[max(0, i - EXCLUSION_WINDOW) : i + size + EXCLUSION_WINDOW])} "
                if any(ex in window for ex in self.exclusions):
                    continue
                found.append((i, i + size, pattern))
        kept: list[tuple[int, int, _Pattern]] = []
        for occurrence in sorted(found, key=lambda f: (f[0], f[0] - f[1])):  # longest name first
            if not kept or occurrence[0] >= kept[-1][1]:
                kept.append(occurrence)
        return kept

    def find(self, entry: EntryText) -> Found | None:
        """The mention in ``entry`` (context snippet and where the names are in it), or ``None``."""
        return self._locate(entry) if self._maybe(entry) else None

    def mentions(self, batch: EntryBatch, scope: FeedFolders) -> list[tuple[EntryText, Found]]:
        """What ``find`` says of each entry of ``scope``'s feeds in a batch (in batch order); entries
        that hold no name's words, as the batch's postings tell, are not read."""
        batch.index(self.indexed_words())
        found = []
        for i in sorted(self.screen(batch) & batch.in_feeds(scope)):
            entry = batch.entries[i]
            if (hit := self._locate(entry)) is not None:
                found.append((entry, hit))
        return found

    def _locate(self, entry: EntryText) -> Found | None:
        text = f"{entry.title}\n{entry.text}"[:MAX_TEXT_CHARS]
        located = locate_tokens(text)
        occurrences = self._occurrences(located, text)
        if not occurrences:
            return None
        first_start, first_end, pattern = occurrences[0]
        start, end = located[first_start].start, located[first_end - 1].end
        lo, hi = max(0, start - SNIPPET_CHARS), min(len(text), end + SNIPPET_CHARS)
        if lo > 0:
            space = text.find(" ", lo, start)
            lo = space + 1 if space >= 0 else lo
        if hi < len(text):
            space = text.rfind(" ", end, hi)
            hi = space if space >= 0 else hi
        prefix = "…" if lo > 0 else ""
        snippet = prefix + text[lo:hi].replace("\n", " ") + ("…" if hi < len(text) else "")
        spans = []
        for a, b, _ in occurrences:
            s, e = located[a].start, located[b - 1].end
            if s >= lo and e <= hi:
                span = [s - lo + len(prefix), e - lo + len(prefix)]
                if not spans or span[0] >= spans[-1][1]:
                    spans.append(span)
        return Found(snippet, spans, pattern.text)


def matcher_for(watch: Watch) -> WatchMatcher:
    return WatchMatcher(watch.variants or [watch.name], watch.exclusions or [], watch.case_sensitive)


# ---- CRUD -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class WatchView:
    id: int
    name: str
    kind: str
    kind_label: str
    variants: list[str]
    exclusions: list[str]
    case_sensitive: bool
    alert_threshold: int
    alert_negative_feed_ids: list[int]
    alert_period_minutes: int
    alert_email: bool
    mention_count: int


@dataclass(frozen=True)
class WatchInput:
    """What a person fills in to create or change a watch."""

    name: str
    kind: str = "brand"
    variants: Sequence[str] = ()
    exclusions: Sequence[str] = ()
    case_sensitive: bool = False
    alert_threshold: int = 0
    alert_negative_feed_ids: Sequence[int] = ()
    alert_period_minutes: int = 60
    alert_email: bool = True


def _clean_terms(values: Iterable[str], limit: int, what: str) -> list[str]:
    terms: list[str] = []
    for value in values:
        value = " ".join(str(value).split()).strip('"«» ')
        if not value or value in terms:
            continue
        if not tokens(value):
            raise UserError(
                f"«\u00a0{value}\u00a0» ne contient aucun mot cherchable\u00a0: écrivez au moins deux lettres."
            )
        terms.append(value[:120])
    if len(terms) > limit:
        raise UserError(f"{limit} {what} au plus\u00a0: gardez les plus utiles.")
    return terms


def _validate(session: Session, actor: Actor, data: WatchInput, watch_id: int | None = None) -> dict:
    name = " ".join((data.name or "").split())[:200]
    if not name:
        raise UserError("Donnez un nom à la veille (la marque, la personne, le produit ou le sujet suivi).")
    others = session.scalars(select(Watch.name).where(Watch.user_id == actor.id, Watch.id != (watch_id or 0)))
    same = next(
        (other for other in others if normalise_for_search(other) == normalise_for_search(name)), None
    )
    if same is not None:
        raise UserError(
            f"Vous suivez déjà {quoted(same)}\u00a0: ouvrez cette veille dans «\u00a0Mes veilles\u00a0» "
            "pour la modifier (variantes, exclusions, alertes).",
            field="name",
        )
    if data.kind not in KINDS:
        raise UserError("Type de veille inconnu\u00a0: choisissez marque, personne, produit ou sujet.")
    variants = _clean_terms(data.variants or [name], MAX_VARIANTS, "variantes") or _clean_terms(
        [name], MAX_VARIANTS, "variantes"
    )
    exclusions = _clean_terms(data.exclusions, MAX_EXCLUSIONS, "exclusions")
    if data.alert_threshold < 0 or data.alert_threshold > 10_000:
        raise UserError(
            f"Le seuil d’alerte est un nombre de mentions par heure, entre 0 (pas d’alerte) et {fr_int(10_000)}."
        )
    if not 5 <= data.alert_period_minutes <= 7 * 24 * 60:
        raise UserError("La période entre deux alertes va de 5 minutes à 7 jours.")
    visible = set(person_scope(session, actor.id))
    feed_ids = sorted({int(f) for f in data.alert_negative_feed_ids})
    if any(f not in visible for f in feed_ids):
        raise AccessDenied("Vous ne pouvez choisir que des sources auxquelles vous êtes abonné.")
    return dict(
        name=name,
        kind=data.kind,
        variants=variants,
        exclusions=exclusions,
        case_sensitive=bool(data.case_sensitive),
        alert_threshold=int(data.alert_threshold),
        alert_negative_feed_ids=feed_ids,
        alert_period_minutes=int(data.alert_period_minutes),
        alert_email=bool(data.alert_email),
    )


def _own_watch(session: Session, actor: Actor, watch_id: int) -> Watch:
    watch = session.get(Watch, watch_id)
    if watch is None:
        raise NotFound("Veille introuvable\u00a0: elle a peut-être été supprimée.")
    if watch.user_id != actor.id:
        raise AccessDenied("Cette veille ne vous appartient pas.")
    return watch


def _stories() -> ColumnElement[int]:
    """Mentions counted once per story: the outlets telling one story (``Entry.story_id``) are one
    mention in counts, shares and volume alerts (the lists still show each outlet)."""
    return func.count(func.distinct(func.coalesce(Entry.story_id, Entry.id)))


def _views(session: Session, watches: Sequence[Watch]) -> list[WatchView]:
    ids = [w.id for w in watches]
    counts = (
        dict(
            session.execute(
                select(Mention.watch_id, _stories())
                .join(Entry, Entry.id == Mention.entry_id)
                .where(Mention.watch_id.in_(ids))
                .group_by(Mention.watch_id)
            )
            .tuples()
            .all()
        )
        if ids
        else {}
    )
    return [
        WatchView(
            id=w.id,
            name=w.name,
            kind=w.kind,
            kind_label=KINDS.get(w.kind, w.kind),
            variants=list(w.variants or []),
            exclusions=list(w.exclusions or []),
            case_sensitive=w.case_sensitive,
            alert_threshold=w.alert_threshold,
            alert_negative_feed_ids=list(w.alert_negative_feed_ids or []),
            alert_period_minutes=w.alert_period_minutes,
            alert_email=w.alert_email,
            mention_count=counts.get(w.id, 0),
        )
        for w in watches
    ]


def list_watches(session: Session, actor: Actor) -> list[WatchView]:
    watches = session.scalars(select(Watch).where(Watch.user_id == actor.id).order_by(Watch.name, Watch.id))
    return _views(session, list(watches))


def get_watch(session: Session, actor: Actor, watch_id: int) -> WatchView:
    return _views(session, [_own_watch(session, actor, watch_id)])[0]


def create_watch(session: Session, actor: Actor, data: WatchInput) -> WatchView:
    """Save a watch and look for its mentions among the stored entries at once."""
    watch = Watch(user_id=actor.id, **_validate(session, actor, data))
    session.add(watch)
    session.flush()
    scan_watch(session, watch)
    return _views(session, [watch])[0]


def update_watch(session: Session, actor: Actor, watch_id: int, data: WatchInput) -> WatchView:
    """Change a watch; its mentions are looked for again with the new names and exclusions."""
    watch = _own_watch(session, actor, watch_id)
    for key, value in _validate(session, actor, data, watch.id).items():
        setattr(watch, key, value)
    session.execute(delete(Mention).where(Mention.watch_id == watch.id))
    session.flush()
    scan_watch(session, watch)
    return _views(session, [watch])[0]


def delete_watch(session: Session, actor: Actor, watch_id: int) -> None:
    session.delete(_own_watch(session, actor, watch_id))


# ---- mentions and alerts ---------------------------------------------------------------------


def record_mentions(session: Session, watch: Watch, batch: EntryBatch, scope: FeedFolders) -> list[Mention]:
    """Store the mentions of ``watch`` among the batch's entries of feeds in ``scope``; the new ones."""
    from curation.monitoring.tone import estimate_tone  # its lexicon's schema (pydantic): ~8 MB, when used

    found = matcher_for(watch).mentions(batch, scope)
    if not found:
        return []
    known = set(
        session.scalars(
            select(Mention.entry_id).where(
                Mention.watch_id == watch.id, Mention.entry_id.in_([e.id for e, _ in found])
            )
        )
    )
    new = []
    for entry, hit in found:
        if entry.id in known:
            continue
        tone = estimate_tone(hit.snippet)
        new.append(
            Mention(
                watch_id=watch.id,
                entry_id=entry.id,
                feed_id=entry.feed_id,
                snippet=hit.snippet,
                spans=hit.spans,
                matched=hit.matched[:200],
                tone=tone.label,
                tone_score=tone.score,
                language=(entry.language or "")[:16],
                mentioned_at=entry.mentioned_at,
            )
        )
    session.add_all(new)
    session.flush()
    return new


def check_alerts(
    session: Session, watch: Watch, new: Sequence[Mention], *, now: datetime | None = None
) -> list:
    """Alert the owner if the new mentions pass the watch's thresholds (once per period)."""
    if not new:
        return []
    now = now or utcnow()
    recent_since = now - timedelta(minutes=watch.alert_period_minutes)
    alerts = []
    if watch.alert_threshold > 0 and any(m.mentioned_at >= now - timedelta(hours=1) for m in new):
        hour = session.scalar(
            select(_stories())
            .select_from(Mention)
            .join(Entry, Entry.id == Mention.entry_id)
            .where(Mention.watch_id == watch.id, Mention.mentioned_at >= now - timedelta(hours=1))
        )
        if hour >= watch.alert_threshold:
            recent = session.scalars(
                select(Mention.entry_id).where(
                    Mention.watch_id == watch.id, Mention.mentioned_at >= now - timedelta(hours=1)
                )
            )
            alerts.append(
                record_alert(
                    session,
                    user_id=watch.user_id,
                    subject=f"watch:{watch.id}",
                    kind="volume",
                    title=f"{watch.name}\u00a0: {quantity(hour, 'mention')} en une heure",
                    message=(
                        f"{quoted(watch.name)} a été mentionné {quantity(hour, 'fois', 'fois')} dans la "
                        f"dernière heure (votre seuil\u00a0: {fr_int(watch.alert_threshold)})."
                    ),
                    entry_ids=list(recent),
                    period_minutes=watch.alert_period_minutes,
                    watch_id=watch.id,
                    email=watch.alert_email,
                    now=now,
                )
            )
    sources = set(watch.alert_negative_feed_ids or [])
    negative = [
        m for m in new if m.tone == "negative" and m.feed_id in sources and m.mentioned_at >= recent_since
    ]
    if negative and not any(alerts):
        names = dict(
            session.execute(select(Feed.id, Feed.title).where(Feed.id.in_({m.feed_id for m in negative})))
            .tuples()
            .all()
        )
        where = ", ".join(sorted({names.get(m.feed_id) or "une source suivie" for m in negative}))
        alerts.append(
            record_alert(
                session,
                user_id=watch.user_id,
                subject=f"watch:{watch.id}",
                kind="negative",
                title=f"{watch.name}\u00a0: mention négative ({where})",
                message=(
                    f"{quantity(len(negative), 'mention')} de {quoted(watch.name)} au ton négatif (estimation automatique) "
                    f"dans\u00a0: {where}.\n«\u00a0{negative[0].snippet}\u00a0»"
                ),
                entry_ids=[m.entry_id for m in negative],
                period_minutes=watch.alert_period_minutes,
                watch_id=watch.id,
                email=watch.alert_email,
                now=now,
            )
        )
    return [a for a in alerts if a is not None]


def scan_watch(session: Session, watch: Watch) -> int:
    """Look for the watch's mentions among the owner's stored entries; returns the new ones."""
    scope = person_scope(session, watch.user_id)
    entries = iter_feed_entries(session, scope, limit=STORED_LIMIT)
    new = record_mentions(session, watch, EntryBatch(entries), scope)
    check_alerts(session, watch, new)
    return len(new)


def rescan_watch(session: Session, actor: Actor, watch_id: int) -> int:
    return scan_watch(session, _own_watch(session, actor, watch_id))


# ---- search feeds ----------------------------------------------------------------------------


def search_query(variants: Sequence[str], exclusions: Sequence[str] = ()) -> str:
    """A news-search query: the names in quotes joined by OR, exclusions with a minus sign."""
    names = " OR ".join(f'"{v}"' for v in variants)
    excluded = " ".join(f'-"{e}"' if " " in e else f"-{e}" for e in exclusions)
    return f"{names} {excluded}".strip()


def search_feed_url(service: str, query: str) -> str:
    if service not in SEARCH_SERVICES:
        raise UserError(
            "Service de recherche inconnu\u00a0: choisissez Google Actualités ou Bing Actualités."
        )
    return SEARCH_SERVICES[service][1].format(q=quote_plus(query))


@dataclass(frozen=True)
class SearchFeed:
    service: str
    label: str
    url: str
    subscription_id: int
    created: bool


def add_search_feeds(
    session: Session, actor: Actor, watch_id: int, services: Sequence[str]
) -> list[SearchFeed]:
    """Subscribe the owner to news-search feeds for the watch; fetched at the next refresh."""
    watch = _own_watch(session, actor, watch_id)
    if not services:
        raise UserError("Choisissez au moins un service de recherche.")
    query = search_query(watch.variants or [watch.name], watch.exclusions or [])
    added = []
    for service in services:
        url = normalise_feed_url(search_feed_url(service, query))
        label = SEARCH_SERVICES[service][0]
        feed = get_or_create_feed(session, url)
        sub, created = subscribe_feed(
            session, actor, feed, folder=f"Veille · {watch.name}", title=f"{label} · {watch.name}"
        )
        added.append(SearchFeed(service, label, url, sub.id, created))
    return added


# ---- reading mentions ------------------------------------------------------------------------


@dataclass(frozen=True)
class MentionView:
    id: int
    watch_id: int
    watch_name: str
    entry_id: int
    title: str
    link: str
    source: str
    language: str
    snippet: str
    spans: list[list[int]]
    tone: str
    mentioned_at: datetime


def _owned_ids(session: Session, actor: Actor, watch_ids: Sequence[int]) -> dict[int, str]:
    ids = list(dict.fromkeys(int(w) for w in watch_ids))
    names = dict(
        session.execute(select(Watch.id, Watch.name).where(Watch.id.in_(ids), Watch.user_id == actor.id))
        .tuples()
        .all()
    )
    if len(names) != len(ids):
        raise AccessDenied("Vous ne pouvez consulter que vos propres veilles.")
    return names


def mention_rows(
    session: Session,
    actor: Actor,
    watch_ids: Sequence[int],
    *,
    since: datetime | None = None,
    until: datetime | None = None,
    limit: int | None = None,
) -> list[MentionView]:
    """My watches' mentions in ``[since, until)``, newest first."""
    names = _owned_ids(session, actor, watch_ids)
    if not names:
        return []
    stmt = (
        select(Mention, Entry.title, Entry.link, Feed.title, Feed.url)
        .join(Entry, Entry.id == Mention.entry_id)
        .join(Feed, Feed.id == Mention.feed_id)
        .where(Mention.watch_id.in_(list(names)))
        .order_by(Mention.mentioned_at.desc(), Mention.id.desc())
    )
    if since is not None:
        stmt = stmt.where(Mention.mentioned_at >= since)
    if until is not None:
        stmt = stmt.where(Mention.mentioned_at < until)
    if limit is not None:
        stmt = stmt.limit(limit)
    return [
        MentionView(
            id=m.id,
            watch_id=m.watch_id,
            watch_name=names[m.watch_id],
            entry_id=m.entry_id,
            title=title or "(sans titre)",
            link=link or "",
            source=feed_title or feed_url,
            language=m.language or "?",
            snippet=m.snippet,
            spans=list(m.spans or []),
            tone=m.tone,
            mentioned_at=m.mentioned_at,
        )
        for m, title, link, feed_title, feed_url in session.execute(stmt)
    ]


@dataclass(frozen=True)
class Share:
    watch_id: int
    name: str
    mentions: int
    share: float  # 0..1 of the compared watches' mentions


def share_of_voice(
    session: Session, actor: Actor, watch_ids: Sequence[int], *, since: datetime, until: datetime
) -> list[Share]:
    """Mentions of a brand and up to four competitors over a period, and each one's share."""
    ids = list(dict.fromkeys(int(w) for w in watch_ids))
    if not ids:
        raise UserError("Choisissez la marque à comparer.")
    if len(ids) > MAX_COMPARED:
        raise UserError("Comparez une marque et quatre concurrents au plus.")
    if since >= until:
        raise UserError("La période est vide\u00a0: la date de début doit précéder la date de fin.")
    names = _owned_ids(session, actor, ids)
    counts = dict(
        session.execute(
            select(Mention.watch_id, _stories())
            .join(Entry, Entry.id == Mention.entry_id)
            .where(Mention.watch_id.in_(ids), Mention.mentioned_at >= since, Mention.mentioned_at < until)
            .group_by(Mention.watch_id)
        )
        .tuples()
        .all()
    )
    total = sum(counts.values())
    return [Share(w, names[w], counts.get(w, 0), counts.get(w, 0) / total if total else 0.0) for w in ids]
