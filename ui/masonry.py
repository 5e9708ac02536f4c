"""The masonry wall of pins in Streamlit: one ``st.html`` block (own CSS classes, no script).

The cards are static HTML (escaped and checked in ``curation.masonry``); actions on a pin go
through Streamlit widgets beside the wall (the selected-pin panel of the boards page).
"""

from __future__ import annotations

from collections.abc import Iterable

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from curation.masonry import MASONRY_CSS, WallGroup, boards_html, wall_html
from curation.pins import CommentView
from ui.text import plain
from workbench.localtime import fr_date


def masonry(
    groups: Iterable[WallGroup], *, numbered: bool = True, show_comments: bool = True, empty: str = ""
) -> None:
    """Show pins packed in columns; ``numbered`` labels cards n° 1, 2… to match the pin picker."""
    body = wall_html(groups, numbered=numbered, show_comments=show_comments, empty=empty)
    st.html(f"<style>{MASONRY_CSS}</style>{body}")


def board_tiles(tiles: list[tuple[str, str, int, str]]) -> None:
    """The person's boards as tiles with their cover (title, cover, pin count, caption)."""
    st.html(f"<style>{MASONRY_CSS}</style>{boards_html(tiles)}")


def pin_comment(comment: CommentView) -> DeltaGenerator:
    """A comment beside a pin, as a chat message; the trainer's mark only when the author's account is a
    trainer's (names can be shared). Returns the message, for buttons under it."""
    box = st.chat_message(
        "user", avatar=":material/school:" if comment.author_is_trainer else ":material/person:"
    )
    box.markdown(f"**{plain(comment.author_name)}** — {fr_date(comment.created_at)}")
    box.text(comment.body)
    return box
