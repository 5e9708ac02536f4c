"""A digest before it is sent: what the page previews and edits, and what every renderer reads."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime

PICKS_SECTION = "Le choix du formateur"


@dataclass(frozen=True)
class SourceLink:
    name: str
    link: str


@dataclass
class DigestItem:
    entry_id: int | None  # None: a pin of a pasted URL
    title: str  # French (translated when the source is in another language)
    summary: str  # short French summary, plain text
    link: str
    section: str
    sources: list[SourceLink] = field(default_factory=list)
    original_title: str = ""  # the title in its language, when translated
    image_url: str = ""
    language: str = ""
    published_at: datetime | None = None
    score: float = 0.0
    topics: list[str] = field(default_factory=list)
    note: str = ""  # the trainer's note on a board pin
    pick: bool = False  # « le choix du formateur »


@dataclass
class DigestDraft:
    list_id: int
    list_name: str
    day: date
    window_start: datetime
    window_end: datetime
    items: list[DigestItem]
    intro: str = ""
    candidate_count: int = 0
    notices: list[str] = field(default_factory=list)  # French: what went wrong while building
    app_url: str = ""
    cohort_name: str = ""
    board_title: str = ""  # composed from this board (else: the new entries of the list's sources)

    def sections(self) -> list[tuple[str, list[DigestItem]]]:
        """Items grouped by section, in order of first appearance (the picks first)."""
        groups: dict[str, list[DigestItem]] = {}
        for item in sorted(self.items, key=lambda i: not i.pick):
            groups.setdefault(PICKS_SECTION if item.pick else item.section, []).append(item)
        return list(groups.items())

    def move(self, index: int, offset: int) -> None:
        """Move the item at ``index`` up (-1) or down (+1)."""
        target = index + offset
        if 0 <= index < len(self.items) and 0 <= target < len(self.items):
            self.items[index], self.items[target] = self.items[target], self.items[index]

    def remove(self, index: int) -> None:
        if 0 <= index < len(self.items):
            del self.items[index]
