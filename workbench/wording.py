"""French wording: « de » elides before a vowel sound; a name quoted once.

« Limite d’Instagram », « Rapport PDF d’Alice », but « Limite de YouTube » (a name's first letter is
all we know: a vowel elides, « y » and « h » do not, as in most brand and first names).
"""

from __future__ import annotations

import re

_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæ")


def de(name: str) -> str:
    """« de » followed by ``name``, elided before a vowel: ``d’Instagram``, ``de Facebook``."""
    return f"d’{name}" if name[:1].lower() in _VOWELS else f"de {name}"


# The name's own guillemets, with the spaces inside them: French quotes inside quotes are “ ”.
_OWN_OPENING = re.compile(r"«[ \u00a0\u202f]*")
_OWN_CLOSING = re.compile(r"[ \u00a0\u202f]*»")


def quoted(name: str) -> str:
    """A name a person gave (a session, a list, a title) between « », its own « » turned into “ ”:
    « Promo “Printemps” 2026 », not « Promo « Printemps » 2026 ». Escape it first (``plain``) when
    it goes to Markdown: the quotes are not Markdown."""
    return f"«\u00a0{_OWN_CLOSING.sub('”', _OWN_OPENING.sub('“', name))}\u00a0»"
