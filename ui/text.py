"""Showing outside plain text in Streamlit markdown exactly as written."""

from __future__ import annotations

import re

_MARKDOWN_SPECIAL = re.compile(r"([\\`*_{}\[\]()#+\-.!|~<>$:=])")


def plain(text: str) -> str:
    """Escape markdown (and LaTeX ``$``, emoji ``:shortcodes:``) so text shows verbatim; keep lines."""
    return _MARKDOWN_SPECIAL.sub(r"\\\1", text).replace("\n", "  \n")
