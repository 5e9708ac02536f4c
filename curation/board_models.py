"""Boards of pins (as on Pinterest): boards, sections, pins with their tags, post drafts and comments.

A board belongs to one person. Its visibility says who else reads it: nobody (``private``), the
members and trainer of one cohort (``cohort``; a trainer's cohort board is a reference board), or
anyone holding its secret link (``link``, read-only). Pins are soft-deleted so a deletion can be
undone.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import Boolean, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from workbench.db import Base, UTCDateTime, utcnow

PRIVATE = "private"
COHORT = "cohort"
LINK = "link"
VISIBILITIES = (PRIVATE, COHORT, LINK)


class Board(Base):
    __tablename__ = "boards"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    owner_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    description: Mapped[str] = mapped_column(Text, default="")
    cover_image_url: Mapped[str] = mapped_column(String(2048), default="")
    visibility: Mapped[str] = mapped_column(String(16), default=PRIVATE)
    # The cohort a ``cohort`` board is shared with (a trainee's own cohort, or one the trainer runs).
    cohort_id: Mapped[int | None] = mapped_column(
        ForeignKey("cohorts.id", ondelete="SET NULL"), nullable=True, index=True
    )
    share_token: Mapped[str | None] = mapped_column(String(64), nullable=True, unique=True)
    is_default: Mapped[bool] = mapped_column(Boolean, default=False)
    reviewed_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    reviewed_by_id: Mapped[int | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL"), nullable=True
    )
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    sections: Mapped[list[BoardSection]] = relationship(
        back_populates="board", cascade="all, delete-orphan", order_by="BoardSection.position"
    )
    pins: Mapped[list[Pin]] = relationship(back_populates="board", cascade="all, delete-orphan")


class BoardSection(Base):
    __tablename__ = "board_sections"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    position: Mapped[int] = mapped_column(Integer, default=0)

    board: Mapped[Board] = relationship(back_populates="sections")


class Pin(Base):
    __tablename__ = "pins"
    __table_args__ = (Index("ix_pins_board_position", "board_id", "position"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    board_id: Mapped[int] = mapped_column(ForeignKey("boards.id", ondelete="CASCADE"), index=True)
    section_id: Mapped[int | None] = mapped_column(
        ForeignKey("board_sections.id", ondelete="SET NULL"), nullable=True, index=True
    )
    position: Mapped[int] = mapped_column(Integer, default=0)
    entry_id: Mapped[int | None] = mapped_column(
        ForeignKey("entries.id", ondelete="SET NULL"), nullable=True, index=True
    )
    url: Mapped[str] = mapped_column(String(2048), default="")
    title: Mapped[str] = mapped_column(Text, default="")
    image_url: Mapped[str] = mapped_column(String(2048), default="")
    description: Mapped[str] = mapped_column(Text, default="")  # plain text
    site_name: Mapped[str] = mapped_column(String(300), default="")
    published_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")  # « pourquoi c’est utile pour ma communauté »
    reliability: Mapped[int | None] = mapped_column(Integer, nullable=True)  # 1 to 5
    angle: Mapped[str] = mapped_column(String(32), default="")  # see curation.pins.ANGLES
    credit: Mapped[str] = mapped_column(String(500), default="")
    fetch_note: Mapped[str] = mapped_column(Text, default="")  # French: what could not be fetched
    search_text: Mapped[str] = mapped_column(Text, default="")  # folded title, note, tags…: text search
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)
    deleted_at: Mapped[datetime | None] = mapped_column(UTCDateTime, nullable=True)

    board: Mapped[Board] = relationship(back_populates="pins")
    tags: Mapped[list[PinTag]] = relationship(
        back_populates="pin", cascade="all, delete-orphan", order_by="PinTag.tag"
    )
    drafts: Mapped[list[PinDraft]] = relationship(
        back_populates="pin", cascade="all, delete-orphan", order_by="PinDraft.updated_at"
    )
    comments: Mapped[list[PinComment]] = relationship(
        back_populates="pin", cascade="all, delete-orphan", order_by="PinComment.created_at"
    )

    @property
    def tag_names(self) -> list[str]:
        return [t.tag for t in self.tags]


class PinTag(Base):
    __tablename__ = "pin_tags"
    __table_args__ = (UniqueConstraint("pin_id", "tag"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin_id: Mapped[int] = mapped_column(ForeignKey("pins.id", ondelete="CASCADE"), index=True)
    tag: Mapped[str] = mapped_column(String(60), index=True)

    pin: Mapped[Pin] = relationship(back_populates="tags")


class PinDraft(Base):
    """A social post drafted from a pin, for one network."""

    __tablename__ = "pin_drafts"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin_id: Mapped[int] = mapped_column(ForeignKey("pins.id", ondelete="CASCADE"), index=True)
    network: Mapped[str] = mapped_column(String(32))
    text: Mapped[str] = mapped_column(Text, default="")
    link: Mapped[str] = mapped_column(String(2048), default="")  # the UTM-tagged link
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)

    pin: Mapped[Pin] = relationship(back_populates="drafts")


class PinComment(Base):
    """A trainer's comment on a trainee's pin (the trainee reads it beside the pin)."""

    __tablename__ = "pin_comments"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    pin_id: Mapped[int] = mapped_column(ForeignKey("pins.id", ondelete="CASCADE"), index=True)
    author_id: Mapped[int] = mapped_column(ForeignKey("users.id", ondelete="CASCADE"))
    body: Mapped[str] = mapped_column(Text)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)

    pin: Mapped[Pin] = relationship(back_populates="comments")
