"""Story fingerprints: what duplicate-story grouping remembers of each entry (rebuildable)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, LargeBinary, Text
from sqlalchemy.orm import Mapped, mapped_column

from workbench.db import Base, UTCDateTime


class StoryFingerprint(Base):
    """One per grouped entry, so a new entry is compared without re-reading older texts."""

    __tablename__ = "story_fingerprints"

    entry_id: Mapped[int] = mapped_column(ForeignKey("entries.id", ondelete="CASCADE"), primary_key=True)
    feed_id: Mapped[int] = mapped_column(Integer, index=True)
    at: Mapped[datetime] = mapped_column(UTCDateTime, index=True)  # published, else first seen
    title_tokens: Mapped[str] = mapped_column(Text, default="")  # content tokens, outlet decorations removed
    shingles: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # sorted uint32 hashes of the lead
    tail: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # ... of the text's end (boilerplate)
    facts: Mapped[bytes] = mapped_column(LargeBinary, default=b"")  # ... of its figures and names
