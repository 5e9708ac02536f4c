"""Offline translation with Argos Translate: an optional extra, never required.

Install it for privacy-sensitive use (nothing leaves the machine):
``pip install argostranslate`` then download the English→French package once
(``argospm update && argospm install translate-en_fr``), and set ``provider = "argos"``.
"""

from __future__ import annotations

from typing import Any

from deep_translator.exceptions import LanguageNotSupportedException

from workbench.errors import UserError


class ArgosTranslator:
    """The one method the translation service calls, ``translate(text)``, like deep-translator's."""

    def __init__(self, source: str, target: str) -> None:
        try:
            from argostranslate import translate as argos  # optional extra
        except ImportError as exc:
            raise UserError(
                "La traduction hors ligne (Argos Translate) n’est pas installée\u00a0: lancez "
                "«\u00a0pip install argostranslate\u00a0» puis «\u00a0argospm install translate-en_fr\u00a0», "
                "ou choisissez un autre service de traduction."
            ) from exc
        languages = {lang.code: lang for lang in argos.get_installed_languages()}
        src = languages.get("en" if source == "auto" else source)
        dst = languages.get(target)
        translation: Any = src.get_translation(dst) if src and dst else None
        if translation is None:
            raise LanguageNotSupportedException(f"{source}→{target}")
        self._translation = translation

    def translate(self, text: str) -> str:
        return str(self._translation.translate(text))
