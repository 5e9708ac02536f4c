"""Names of downloaded files: the French words kept whole (accents included), nothing unsafe.

Streamlit sends a non-ASCII name in the RFC 5987 form (``filename*=utf-8''…``) that browsers
decode, so « réseaux » needs no stripping; only separators, quotes and the like become « - ».
"""

from __future__ import annotations

import re
import unicodedata

_UNSAFE = re.compile(r"[\W_]+")  # anything but letters (accented too) and digits
MAX_STEM = 120


def file_name(*parts: str, extension: str, fallback: str = "export") -> str:
    """``parts`` lower-cased and joined by « - », e.g. ``("tableau", "Réseaux")`` → ``tableau-réseaux.md``."""
    words = (_UNSAFE.sub("-", unicodedata.normalize("NFC", part).lower()).strip("-") for part in parts)
    stem = "-".join(w for w in words if w)[:MAX_STEM].rstrip("-") or fallback
    return f"{stem}.{extension}"
