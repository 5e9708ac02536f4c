"""Translation memory (one machine translation per provider, languages and text) and
reviewed translations ("traductions relues") written by people."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from workbench.db import Base, UTCDateTime, utcnow

PERSONAL = "personal"  # seen by its author only
VALIDATED = "validated"  # written or approved by a trainer: everyone's view


class TranslationMemory(Base):
    """A provider's translation of one normalised text, stored raw (glossary applied on reading)."""

    __tablename__ = "translation_memory"
    __table_args__ = (UniqueConstraint("provider", "source_lang", "target_lang", "text_hash"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    provider: Mapped[str] = mapped_column(String(64))
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    text_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    translated_text: Mapped[str] = mapped_column(Text)
    chars_sent: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class TranslationCorrection(Base):
    """A person's corrected translation of one text, whatever the provider."""

    __tablename__ = "translation_corrections"
    __table_args__ = (
        UniqueConstraint("author_id", "source_lang", "target_lang", "text_hash"),
        Index("ix_translation_corrections_text", "source_lang", "target_lang", "text_hash"),
    )

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    source_lang: Mapped[str] = mapped_column(String(16))
    target_lang: Mapped[str] = mapped_column(String(16))
    text_hash: Mapped[str] = mapped_column(String(64))
    source_text: Mapped[str] = mapped_column(Text)
    corrected_text: Mapped[str] = mapped_column(Text)
    status: Mapped[str] = mapped_column(String(16), default=PERSONAL)
    validated_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    validated_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
