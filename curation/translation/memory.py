"""Translation memory and reviewed translations, with who may see and write what.

Ownership of reviewed translations ("traductions relues"):

- a trainer's correction is validated at once: everyone sees it (wall, reading view, digest);
- a trainee's correction is personal: only its author sees it, until a trainer running one of
  the trainee's cohorts validates it; then everyone sees it;
- the author may change or delete their own correction (a change by a trainee makes it personal
  again, to be validated anew); a trainer may validate or delete the corrections of their own
  trainees, never those of another trainer's cohorts.

What a person reads: their own correction, else the latest validated one, else the machine
translation from the memory.
"""

from __future__ import annotations

import hashlib
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

import regex
from sqlalchemy import delete, select, true
from sqlalchemy.dialects.sqlite import insert as sqlite_insert
from sqlalchemy.orm import Session

from curation.translation.models import PERSONAL, VALIDATED, TranslationCorrection, TranslationMemory
from workbench.access import Actor, can_read_user, require_self
from workbench.db import utcnow
from workbench.errors import AccessDenied, NotFound, UserError
from workbench.models import User

MAX_CORRECTION_CHARS = 20_000
TARGET = "fr"  # entries are translated into French


def needs_translation(language: str) -> bool:
    """Entries in another language than French (or of unknown language) can be translated."""
    return (language or "").split("-")[0].lower() != TARGET


def normalise_text(text: str) -> str:
    """The form a text is keyed by: NFC, unified newlines, spaces collapsed, ends stripped."""
    text = unicodedata.normalize("NFC", text).replace("\r\n", "\n").replace("\r", "\n")
    text = regex.sub(r"[ \t\u00a0]+", " ", text)
    text = regex.sub(r" *\n *", "\n", text)
    text = regex.sub(r"\n{3,}", "\n\n", text)
    return text.strip()


def text_hash(normalised: str) -> str:
    return hashlib.sha256(normalised.encode("utf-8")).hexdigest()


def _same_source(column: Any, source_lang: str) -> Any:
    """Languages that may answer for ``source_lang``: "auto" (language unknown) answers for any
    and is answered by any, so the wall (declared English) and a pasted text share the memory."""
    return true() if source_lang == "auto" else column.in_([source_lang, "auto"])


def lookup_memory(
    session: Session, provider: str, source_lang: str, target_lang: str, hashes: Iterable[str]
) -> dict[str, str]:
    """Raw machine translations already known, by text hash (the exact language preferred)."""
    wanted = list(set(hashes))
    found: dict[str, str] = {}
    exact: set[str] = set()
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(
                TranslationMemory.text_hash, TranslationMemory.translated_text, TranslationMemory.source_lang
            ).where(
                TranslationMemory.provider == provider,
                _same_source(TranslationMemory.source_lang, source_lang),
                TranslationMemory.target_lang == target_lang,
                TranslationMemory.text_hash.in_(wanted[start : start + 500]),
            )
        )
        for digest, text, lang in rows:
            if digest not in exact:
                found[digest] = text
                if lang == source_lang:
                    exact.add(digest)
    return found


def remembered_titles(session: Session, titles: Iterable[str]) -> dict[str, str]:
    """French translations the memory already holds for these texts, by text, whatever the
    provider or the declared source language; nothing is sent (story grouping across languages)."""
    by_hash = {text_hash(normalise_text(title)): title for title in titles if title.strip()}
    found: dict[str, str] = {}
    wanted = list(by_hash)
    for start in range(0, len(wanted), 500):
        rows = session.execute(
            select(TranslationMemory.text_hash, TranslationMemory.translated_text)
            .where(
                TranslationMemory.target_lang == TARGET,
                TranslationMemory.text_hash.in_(wanted[start : start + 500]),
            )
            .order_by(TranslationMemory.id)
        )
        for digest, text in rows:
            found.setdefault(by_hash[digest], text)
    return found


def store_memory(
    session: Session,
    provider: str,
    source_lang: str,
    target_lang: str,
    rows: Iterable[tuple[str, str, str, int]],
) -> None:
    """Insert (hash, source, translation, chars sent) rows; a row another process stored first wins."""
    values = [
        {
            "provider": provider,
            "source_lang": source_lang,
            "target_lang": target_lang,
            "text_hash": h,
            "source_text": source,
            "translated_text": translated,
            "chars_sent": chars,
            "created_at": utcnow(),
        }
        for h, source, translated, chars in rows
    ]
    if not values:
        return
    if session.get_bind().dialect.name == "postgresql":
        # Imported here: the PostgreSQL dialect (2 MB) stays out of a process on SQLite that imports
        # this module (a refresh, through the story grouping).
        from sqlalchemy.dialects.postgresql import insert
    else:
        insert = sqlite_insert
    stmt = insert(TranslationMemory).on_conflict_do_nothing(
        index_elements=["provider", "source_lang", "target_lang", "text_hash"]
    )
    session.execute(stmt, values)


@dataclass(frozen=True)
class CorrectionView:
    """A reviewed translation as pages show it."""

    id: int
    author_id: int
    author_name: str
    source_text: str
    corrected_text: str
    status: str
    validated_by_id: int | None
    updated_at: datetime

    @property
    def validated(self) -> bool:
        return self.status == VALIDATED


def _view(row: TranslationCorrection, author_name: str) -> CorrectionView:
    return CorrectionView(
        id=row.id,
        author_id=row.author_id,
        author_name=author_name,
        source_text=row.source_text,
        corrected_text=row.corrected_text,
        status=row.status,
        validated_by_id=row.validated_by_id,
        updated_at=row.updated_at,
    )


def corrections_for(
    session: Session, actor: Actor | None, source_lang: str, target_lang: str, hashes: Iterable[str]
) -> dict[str, TranslationCorrection]:
    """The correction each text shows to ``actor`` (``None``: the digest, validated ones only)."""
    wanted = list(set(hashes))
    best: dict[str, TranslationCorrection] = {}
    for start in range(0, len(wanted), 500):
        stmt = select(TranslationCorrection).where(
            _same_source(TranslationCorrection.source_lang, source_lang),
            TranslationCorrection.target_lang == target_lang,
            TranslationCorrection.text_hash.in_(wanted[start : start + 500]),
        )
        if actor is None:
            stmt = stmt.where(TranslationCorrection.status == VALIDATED)
        else:
            stmt = stmt.where(
                (TranslationCorrection.status == VALIDATED) | (TranslationCorrection.author_id == actor.id)
            )
        for row in session.scalars(stmt):
            current = best.get(row.text_hash)
            mine = actor is not None and row.author_id == actor.id
            current_mine = current is not None and actor is not None and current.author_id == actor.id
            if (
                current is None
                or (mine and not current_mine)
                or (mine == current_mine and row.updated_at > current.updated_at)
            ):
                best[row.text_hash] = row
    return best


def save_correction(
    session: Session,
    actor: Actor,
    source_text: str,
    corrected_text: str,
    *,
    source_lang: str,
    target_lang: str,
) -> CorrectionView:
    """Store ``actor``'s reviewed translation of ``source_text`` (one per person and text)."""
    source = normalise_text(source_text)
    corrected = corrected_text.strip()
    if not source:
        raise UserError("Il n’y a pas de texte original à corriger.")
    if not corrected:
        raise UserError("La traduction corrigée est vide\u00a0: saisissez le texte français relu.")
    if len(corrected) > MAX_CORRECTION_CHARS:
        raise UserError(
            f"La traduction corrigée dépasse {MAX_CORRECTION_CHARS} caractères\u00a0: découpez-la."
        )
    digest = text_hash(source)
    row = session.scalar(
        select(TranslationCorrection).where(
            TranslationCorrection.author_id == actor.id,
            TranslationCorrection.source_lang == source_lang,
            TranslationCorrection.target_lang == target_lang,
            TranslationCorrection.text_hash == digest,
        )
    )
    if row is None:
        row = TranslationCorrection(
            author_id=actor.id,
            source_lang=source_lang,
            target_lang=target_lang,
            text_hash=digest,
            source_text=source,
        )
        session.add(row)
    row.corrected_text = corrected
    row.updated_at = utcnow()
    if actor.is_trainer:
        row.status, row.validated_by_id, row.validated_at = VALIDATED, actor.id, utcnow()
    else:
        row.status, row.validated_by_id, row.validated_at = PERSONAL, None, None
    session.flush()
    return _view(row, actor.display_name)


def _require_reviewer(session: Session, actor: Actor, row: TranslationCorrection) -> None:
    """A trainer whose cohort the author belongs to (or the author, for deleting)."""
    if not actor.is_trainer or row.author_id == actor.id or not can_read_user(session, actor, row.author_id):
        raise AccessDenied("Seul un formateur de la session de cet apprenant peut valider sa traduction.")


def validate_correction(session: Session, actor: Actor, correction_id: int) -> CorrectionView:
    """A trainer approves a trainee's reviewed translation: everyone sees it from now on."""
    row = session.get(TranslationCorrection, correction_id)
    if row is None:
        raise NotFound("Cette traduction relue n’existe plus.")
    _require_reviewer(session, actor, row)
    row.status, row.validated_by_id, row.validated_at = VALIDATED, actor.id, utcnow()
    session.flush()
    author = session.get(User, row.author_id)
    return _view(row, author.display_name if author else "")


def delete_correction(session: Session, actor: Actor, correction_id: int) -> int:
    """The author deletes their own; a trainer may delete their trainees' ones. Returns the id."""
    row = session.get(TranslationCorrection, correction_id)
    if row is None:
        raise NotFound("Cette traduction relue n’existe plus.")
    if row.author_id != actor.id:
        if not actor.is_trainer:
            require_self(actor, row.author_id)
        _require_reviewer(session, actor, row)
    session.execute(delete(TranslationCorrection).where(TranslationCorrection.id == row.id))
    return correction_id


def pending_corrections(session: Session, actor: Actor) -> list[CorrectionView]:
    """For a trainer: their trainees' personal corrections awaiting validation; for a trainee:
    their own corrections."""
    stmt = (
        select(TranslationCorrection, User.display_name)
        .join(User, User.id == TranslationCorrection.author_id)
        .order_by(TranslationCorrection.updated_at.desc())
        .limit(200)
    )
    if not actor.is_trainer:
        stmt = stmt.where(TranslationCorrection.author_id == actor.id)
    else:
        stmt = stmt.where(
            TranslationCorrection.status == PERSONAL, TranslationCorrection.author_id != actor.id
        )
    return [
        _view(row, name)
        for row, name in session.execute(stmt)
        if not actor.is_trainer or can_read_user(session, actor, row.author_id)
    ]
