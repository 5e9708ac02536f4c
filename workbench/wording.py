"""French wording that depends on the next word: « de » elides before a vowel sound.

« Limite d’Instagram », « Rapport PDF d’Alice », but « Limite de YouTube » (a name's first letter is
all we know: a vowel elides, « y » and « h » do not, as in most brand and first names).
"""

from __future__ import annotations

_VOWELS = frozenset("aeiouàâäéèêëîïôöùûüœæ")


def de(name: str) -> str:
    """« de » followed by ``name``, elided before a vowel: ``d’Instagram``, ``de Facebook``."""
    return f"d’{name}" if name[:1].lower() in _VOWELS else f"de {name}"
