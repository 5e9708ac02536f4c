"""Translate texts: memory first, then the provider for what is left, never twice the same text.

Steps for a list of texts (titles, summaries, paragraphs): normalise and hash each one; take
reviewed translations and the translation memory; protect the spans that must not change in the
rest; cut them under the provider's limit; pack small pieces into few requests; send them with
bounded concurrency, retries with back-off on transient errors and a deadline for the whole run;
put everything back together in order, store it in the memory, apply the glossary.

A text that could not be translated comes back with ``translated=None`` and a French ``error``:
the caller shows the original.
"""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Callable
from concurrent.futures import FIRST_COMPLETED, Future, ThreadPoolExecutor, wait
from dataclasses import dataclass, field, replace

from sqlalchemy.orm import Session

from curation.language import detect_language
from curation.translation.glossary import Glossary, load_glossary
from curation.translation.memory import (
    corrections_for,
    lookup_memory,
    normalise_text,
    store_memory,
    text_hash,
)
from curation.translation.models import VALIDATED
from curation.translation.protect import Protected, protect, restore
from curation.translation.providers import (
    ORIGINAL_SHOWN,
    WHO_CAN_FIX,
    ProviderConfig,
    TranslationError,
    check_provider_address,
    failure_message,
    provider_config,
    translate_one,
)
from curation.translation.segments import (
    PACK_SEPARATOR,
    Piece,
    pack_requests,
    split_answer,
    split_paragraphs,
    split_text,
)
from workbench.access import Actor
from workbench.numbers import quantity

# Where a translation came from, as pages label it.
FROM_PROVIDER = "service"
FROM_MEMORY = "mémoire"
FROM_OWN_REVIEW = "relue (par vous)"
FROM_REVIEW = "relue"
UNCHANGED = "inchangé"

Progress = Callable[[int, int], None]


@dataclass
class Translation:
    source: str
    translated: str | None
    origin: str = ""
    error: str | None = None
    text_hash: str = ""
    correction_id: int | None = None
    source_lang: str = ""  # as keyed in the memory: declared, detected, or "auto"

    @property
    def ok(self) -> bool:
        return self.translated is not None

    @property
    def shown(self) -> str:
        """What to display: the translation, else the original."""
        return self.translated if self.translated is not None else self.source


@dataclass
class TranslationRun:
    items: list[Translation]
    provider: str
    requests: int = 0
    chars_sent: int = 0
    memory_hits: int = 0
    errors: list[str] = field(default_factory=list)

    @property
    def complete(self) -> bool:
        """Every text has a translation (``memory_only`` runs may leave some without, no error)."""
        return all(item.ok for item in self.items)

    @property
    def message(self) -> str | None:
        """One French sentence summing up what went wrong, if anything."""
        if self.complete:
            return None
        failed = sum(1 for item in self.items if not item.ok)
        first = self.errors[0] if self.errors else "le service n’a rien renvoyé."
        if failed == len(self.items):
            return failure_message(first, original_shown=True)
        return (
            f"{quantity(failed, 'texte')} sur {len(self.items)} {'n’a' if failed < 2 else 'n’ont'} pas pu être "
            f"{'traduit' if failed < 2 else 'traduits'}\u00a0: {first} {ORIGINAL_SHOWN} {WHO_CAN_FIX}"
        )


@dataclass
class _Job:
    """One text to send: its protected form and pieces."""

    digest: str
    protected: Protected
    pieces: list[Piece]
    results: list[str | None] = field(default_factory=list)
    error: str | None = None


def _backoff(attempt: int) -> float:
    return min(4.0, 0.3 * 2**attempt) * (0.5 + random.random() / 2)


class _Sender:
    """Sends packed requests with retries, inside the run's deadline, counting what is sent.

    Once the provider has failed for good (down after retries, key refused), the remaining
    requests fail at once with the same message instead of each waiting for its own time-outs.
    """

    def __init__(self, config: ProviderConfig, source: str, target: str, deadline_at: float) -> None:
        self.config, self.source, self.target, self.deadline_at = config, source, target, deadline_at
        self.requests = 0
        self.chars = 0
        self._lock = threading.Lock()
        self.broken: TranslationError | None = None

    def _remaining(self) -> float:
        return self.deadline_at - time.monotonic()

    def send(self, text: str) -> str:
        attempt = 0
        while True:
            if self.broken is not None:
                raise self.broken
            remaining = self._remaining()
            if remaining <= 0.5:
                raise TranslationError(
                    f"la traduction a pris trop de temps (plus de {self.config.deadline_s:.0f}\u00a0s)\u00a0; "
                    "réessayez avec un texte plus court ou plus tard."
                )
            with self._lock:
                self.requests += 1
                self.chars += len(text)
            config = self.config
            if remaining < config.timeout_s:
                config = replace(config, timeout_s=remaining)
            try:
                return translate_one(config, text, self.source, self.target)
            except TranslationError as exc:
                final = not exc.transient or attempt >= self.config.retries
                pause = 0.0 if final else _backoff(attempt)
                if final or self._remaining() - pause <= 0.5:
                    if not exc.per_text:
                        self.broken = exc
                    raise
                time.sleep(pause)
                attempt += 1

    def send_group(self, texts: list[str]) -> list[str]:
        """Several pieces in one request; sent one by one if the provider merged blank lines."""
        if len(texts) == 1:
            return [self.send(texts[0]).strip()]
        parts = split_answer(self.send(PACK_SEPARATOR.join(texts)), len(texts))
        if parts is None:
            parts = [self.send(t).strip() for t in texts]
        return parts


def _reassemble(job: _Job) -> str:
    return "".join(str(text) + piece.separator for text, piece in zip(job.results, job.pieces, strict=True))


MIN_WORDS_TO_DETECT = 4


def resolve_source(source: str, text: str) -> str:
    """The language to key and send a text with: the given one, else the detected one, else
    "auto" (the provider detects). Under four words local detection guesses ("Read this" comes
    out Portuguese), so those go as "auto"."""
    if source != "auto" or len(text.split()) < MIN_WORDS_TO_DETECT:
        return source
    return detect_language(text) or "auto"


def translate_texts(
    session: Session,
    texts: list[str],
    *,
    source: str | list[str] = "auto",
    target: str = "fr",
    actor: Actor | None = None,
    config: ProviderConfig | None = None,
    glossary: Glossary | None = None,
    progress: Progress | None = None,
    memory_only: bool = False,
) -> TranslationRun:
    """Translate each text (in order); ``actor`` sees their own reviewed translations too.

    ``source`` is one language for all texts or one per text (a wall mixes sources). With
    ``"auto"`` each text's language is detected, so a text already in the target
    language costs nothing and the memory is shared whatever the caller declared. With
    ``memory_only``, nothing is sent: known translations come back, the rest untranslated
    without an error (the wall shows what is already known without waiting for the network).
    """
    config = config or provider_config()
    glossary = glossary or load_glossary()
    run = TranslationRun(items=[], provider=config.memory_key)
    normalised = [normalise_text(t) for t in texts]
    digests = [text_hash(n) if n else "" for n in normalised]
    sources = source if isinstance(source, list) else [source] * len(texts)
    languages = [resolve_source(src, n) if n else src for src, n in zip(sources, normalised, strict=True)]
    by_digest = dict(zip(digests, normalised, strict=True))
    found: dict[tuple[str, str], Translation] = {}

    for lang in dict.fromkeys(languages):
        wanted = {d for d, lg in zip(digests, languages, strict=True) if d and lg == lang}
        if not wanted or lang == target:
            continue
        reviewed = corrections_for(session, actor, lang, target, wanted)
        remembered = lookup_memory(session, config.memory_key, lang, target, wanted - reviewed.keys())
        run.memory_hits += len(remembered)
        missing = sorted(wanted - reviewed.keys() - remembered.keys())
        translated_now: dict[str, str] = {}
        failures: dict[str, str] = {}
        if missing and not memory_only:
            translated_now, failures, sender = _translate_missing(
                {d: by_digest[d] for d in missing}, lang, target, config, glossary, progress
            )
            run.requests += sender.requests
            run.chars_sent += sender.chars
            store_memory(
                session,
                config.memory_key,
                lang,
                target,
                [(d, by_digest[d], text, len(by_digest[d])) for d, text in translated_now.items()],
            )
            run.errors.extend(e for e in dict.fromkeys(failures.values()) if e not in run.errors)
        for digest in wanted:
            norm = by_digest[digest]
            if digest in reviewed:
                row = reviewed[digest]
                mine = actor is not None and row.author_id == actor.id and row.status != VALIDATED
                origin = FROM_OWN_REVIEW if mine else FROM_REVIEW
                item = Translation(norm, row.corrected_text, origin, None, digest, row.id)
            elif digest in remembered or digest in translated_now:
                raw = remembered.get(digest) or translated_now[digest]
                origin = FROM_MEMORY if digest in remembered else FROM_PROVIDER
                item = Translation(norm, glossary.apply(norm, raw), origin, None, digest)
            elif memory_only:
                item = Translation(norm, None, "", None, digest)
            else:
                item = Translation(norm, None, "", failures.get(digest, "Traduction impossible."), digest)
            item.source_lang = lang
            found[(lang, digest)] = item

    for original, norm, digest, lang in zip(texts, normalised, digests, languages, strict=True):
        item = found.get((lang, digest))
        if item is None:  # empty, or already in the target language
            run.items.append(Translation(original, norm, UNCHANGED, text_hash=digest, source_lang=lang))
        else:
            run.items.append(replace(item, source=original))
    return run


def translate_document(
    session: Session,
    text: str,
    *,
    source: str = "auto",
    target: str = "fr",
    actor: Actor | None = None,
    config: ProviderConfig | None = None,
    progress: Progress | None = None,
) -> TranslationRun:
    """A pasted text, paragraph by paragraph (each paragraph is remembered on its own, so an
    article shared by several sources, or re-pasted with one paragraph changed, costs little).
    The language is detected once on the whole text, which is surer than per paragraph."""
    return translate_texts(
        session,
        split_paragraphs(text),
        source=resolve_source(source, normalise_text(text)),
        target=target,
        actor=actor,
        config=config,
        progress=progress,
    )


def _translate_missing(
    sources: dict[str, str],
    source: str,
    target: str,
    config: ProviderConfig,
    glossary: Glossary,
    progress: Progress | None,
) -> tuple[dict[str, str], dict[str, str], _Sender]:
    deadline_at = time.monotonic() + config.deadline_s
    sender = _Sender(config, source, target, deadline_at)
    try:
        check_provider_address(config)
    except TranslationError as exc:
        return {}, dict.fromkeys(sources, str(exc)), sender

    keep = glossary.keep_pattern()
    jobs: list[_Job] = []
    for digest, text in sources.items():
        protected = protect(text, keep)
        pieces = split_text(protected.text, config.chunk_limit)
        jobs.append(_Job(digest, protected, pieces, [None] * len(pieces)))
    flat = [(j, i) for j, job in enumerate(jobs) for i in range(len(job.pieces))]
    groups = pack_requests([jobs[j].pieces[i].text for j, i in flat], config.chunk_limit)

    done = 0
    with ThreadPoolExecutor(max_workers=config.concurrency, thread_name_prefix="atelier-tr") as pool:
        futures: dict[Future[list[str]], list[int]] = {
            pool.submit(sender.send_group, [jobs[flat[k][0]].pieces[flat[k][1]].text for k in group]): group
            for group in groups
        }
        pending = set(futures)
        while pending:
            finished, pending = wait(
                pending, timeout=max(0.1, deadline_at - time.monotonic() + 1), return_when=FIRST_COMPLETED
            )
            if not finished:  # every request is bounded, so this only guards against surprises
                for future in pending:
                    future.cancel()
                break
            for future in finished:
                group = futures[future]
                try:
                    answers = future.result()
                except TranslationError as exc:
                    for k in group:
                        jobs[flat[k][0]].error = jobs[flat[k][0]].error or str(exc)
                else:
                    for k, answer in zip(group, answers, strict=True):
                        j, i = flat[k]
                        jobs[j].results[i] = answer
                done += 1
                if progress:
                    progress(done, len(groups))

    translated: dict[str, str] = {}
    failures: dict[str, str] = {}
    for job in jobs:
        if job.error or any(r is None for r in job.results):
            failures[job.digest] = job.error or "la traduction a été interrompue."
        else:
            translated[job.digest] = restore(_reassemble(job), job.protected.spans)
    return translated, failures, sender
