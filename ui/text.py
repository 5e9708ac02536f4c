"""The only way outside or user-written text reaches Streamlit's Markdown (``st.markdown``,
``st.write``, titles, captions, widget labels): escaped whole, link targets included; French
number formats; names quoted the French way."""

from __future__ import annotations

import re

from curation.sanitize import markdown_code as verbatim
from curation.sanitize import markdown_link as link
from curation.sanitize import markdown_readable as readable
from curation.sanitize import markdown_text as plain
from workbench.numbers import fr_int

__all__ = ["fr_int", "link", "plain", "quoted", "readable", "verbatim"]

# The name's own guillemets, with the spaces inside them: French quotes inside quotes are “ ”.
_OWN_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_OWN_CLOSING = re.compile(r"[ \u00a0\u202f]*»")


def quoted(name: str) -> str:
    """A name a person gave (a session, a list, a title) between « », its own « » turned into “ ”:
    « Promo “Printemps” 2026 », not « Promo « Printemps » 2026 ». Escape it first (``plain``) when
    it goes to Markdown: the quotes are not Markdown."""
    return f"«\u00a0{_OWN_CLOSING.sub('”', _OWN_OPENING.sub('“', name))}\u00a0»"
