"""Showing outside plain text in Streamlit markdown exactly as written; French number formats."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=])")


def plain(text: str) -> str:
    """Escape markdown (and LaTeX ``$``, emoji ``:shortcodes:``) so text shows verbatim; keep lines."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")


def fr_int(n: int) -> str:
    """A count as French writes it: ``1\u202f000`` (thin no-break space between thousands)."""
    return f"{n:,}".replace(",", "\u202f")
