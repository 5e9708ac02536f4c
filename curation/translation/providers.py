"""Translation providers behind deep-translator, with deadlines and French errors.

deep-translator makes its own ``requests`` calls without any timeout, so it cannot go through
``curation.fetch``. The same discipline is applied around it instead: the provider's host is
resolved and checked (private addresses refused unless allowed) before any request, every call
runs under a deadline in a daemon thread (a provider that never answers cannot hold the caller),
and every failure becomes a ``TranslationError`` with a French message.
"""

from __future__ import annotations

import hashlib
import socket
import threading
from collections.abc import Callable
from dataclasses import dataclass, replace
from typing import Any, TypeVar
from urllib.parse import urlsplit

from deep_translator import (
    DeeplTranslator,
    GoogleTranslator,
    LibreTranslator,
    MicrosoftTranslator,
    MyMemoryTranslator,
)
from deep_translator.exceptions import (
    AuthorizationException,
    BaseError,
    LanguageNotSupportedException,
    MicrosoftAPIerror,
    RequestError,
    ServerException,
    TooManyRequests,
    TranslationNotFound,
)

from curation.fetch import FetchError, check_addresses, resolve_host
from workbench.errors import UserError
from workbench.settings import TranslationSettings, get_settings
from workbench.wording import de, quoted

T = TypeVar("T")


# Who can fix a provider that fails, and how: said after every translation failure a person sees.
WHO_CAN_FIX = (
    "Un·e formateur·rice peut choisir un autre service de traduction, ou corriger son adresse et sa "
    "clé, dans Réglages (menu Formateur)."
)


# Said after a failure where texts were to be translated (not on the Réglages connection test).
ORIGINAL_SHOWN = "Le texte original reste affiché."


def failure_message(reason: str, *, original_shown: bool = False) -> str:
    """A translation failure as people read it: what happened (``reason``, a clause starting in lower
    case unless with a name), whether the original stays shown, then who can fix it and how."""
    shown = f" {ORIGINAL_SHOWN}" if original_shown else ""
    return f"La traduction n’a pas pu être faite\u00a0: {reason}{shown} {WHO_CAN_FIX}"


class TranslationError(UserError):
    """The text could not be translated; ``str(exc)`` says why, in French."""

    transient = False
    per_text = False  # True: this text only; otherwise the provider is failing for every text


class TextNotTranslated(TranslationError):
    """The provider answered, but not with a translation of this text."""

    per_text = True


class TransientTranslationError(TranslationError):
    """Worth retrying: time-out, rate limit, server error."""

    transient = True


class NoNetwork(TranslationError):
    """The provider's host cannot even be resolved: no connection (or a wrong address)."""


@dataclass(frozen=True)
class ProviderSpec:
    name: str
    label: str  # French display name
    max_chars: int  # per request, under the provider's own limit
    needs_key: bool = False
    needs_url: bool = False
    default_url: str = ""


PROVIDERS: dict[str, ProviderSpec] = {
    spec.name: spec
    for spec in (
        ProviderSpec("google", "Google Traduction", 4500, default_url="https://translate.google.com/m"),
        ProviderSpec("deepl", "DeepL", 4500, needs_key=True, default_url="https://api-free.deepl.com/v2/"),
        ProviderSpec(
            "microsoft",
            "Microsoft Translator",
            4500,
            needs_key=True,
            default_url="https://api.cognitive.microsofttranslator.com/translate",
        ),
        ProviderSpec("mymemory", "MyMemory", 450, default_url="http://api.mymemory.translated.net/get"),
        ProviderSpec("libre", "LibreTranslate", 2000, needs_url=True),
        ProviderSpec("argos", "Argos Translate (hors ligne)", 4500),
    )
}


ALIASES = {"libretranslate": "libre", "argostranslate": "argos", "google_translate": "google"}


@dataclass(frozen=True)
class ProviderConfig:
    """One provider, resolved from the settings and optional overrides (CLI, page)."""

    provider: str
    provider_url: str = ""
    api_key: str = ""
    region: str = ""
    timeout_s: float = 15.0
    deadline_s: float = 60.0
    max_chars: int = 0
    concurrency: int = 4
    retries: int = 2
    allow_private_networks: bool = False

    @property
    def spec(self) -> ProviderSpec:
        return PROVIDERS[self.provider]

    @property
    def chunk_limit(self) -> int:
        return min(self.max_chars, self.spec.max_chars) if self.max_chars > 0 else self.spec.max_chars

    @property
    def url(self) -> str:
        """Where requests go: a server's address is used only by a provider that needs one (a
        LibreTranslate address kept after switching to Google must not redirect the checks)."""
        return (self.provider_url if self.spec.needs_url else "") or self.spec.default_url

    @property
    def memory_key(self) -> str:
        """What the translation memory is keyed by: two LibreTranslate servers may differ."""
        if self.provider != "libre":
            return self.provider
        return f"libre:{hashlib.sha1(self.provider_url.rstrip('/').encode()).hexdigest()[:16]}"


def provider_config(
    *, provider: str | None = None, provider_url: str | None = None, **overrides: Any
) -> ProviderConfig:
    """The configured provider, with the given overrides; refuses unknown or incomplete ones."""
    settings = get_settings()
    base: TranslationSettings = settings.translation
    name = (provider or base.provider or "google").strip().lower()
    name = ALIASES.get(name, name)
    if name not in PROVIDERS:
        known = ", ".join(PROVIDERS)
        raise TranslationError(
            f"Service de traduction inconnu\u00a0: {quoted(name)}. Choisissez parmi\u00a0: {known}."
        )
    switched = provider is not None and name != base.provider
    config = ProviderConfig(
        provider=name,
        provider_url=(provider_url if provider_url is not None else ("" if switched else base.provider_url)),
        api_key="" if switched else base.api_key,
        region="" if switched else base.region,
        timeout_s=base.timeout_s,
        deadline_s=base.deadline_s,
        max_chars=base.max_chars,
        concurrency=max(1, base.concurrency),
        retries=max(0, base.retries),
        allow_private_networks=settings.allow_private_networks or base.allow_private_url,
    )
    config = replace(config, **overrides)
    spec = config.spec
    if spec.needs_key and not config.api_key:
        raise TranslationError(
            failure_message(
                f"{spec.label} demande une clé d’API, et aucune n’est enregistrée "
                "(Réglages, ou ATELIER_TRANSLATION_API_KEY sur le serveur)."
            )
        )
    if spec.needs_url and not config.provider_url:
        raise TranslationError(
            failure_message(
                f"{spec.label} demande l’adresse de votre serveur, et aucune n’est enregistrée "
                "(Réglages, ou ATELIER_TRANSLATION_PROVIDER_URL sur le serveur)."
            )
        )
    if config.provider_url and urlsplit(config.provider_url).scheme not in {"http", "https"}:
        raise TranslationError(
            failure_message(
                f"l’adresse du service de traduction «\u00a0{config.provider_url}\u00a0» est invalide "
                "(elle doit commencer par http:// ou https://)."
            )
        )
    return config


def call_with_deadline(fn: Callable[[], T], timeout_s: float, what: str) -> T:
    """Run ``fn`` in a daemon thread and stop waiting after ``timeout_s``.

    deep-translator's requests carry no timeout; a stalled call is abandoned (its daemon thread
    dies with the process) instead of holding the page, the CLI or the digest.
    """
    box: dict[str, Any] = {}
    done = threading.Event()

    def run() -> None:
        try:
            box["value"] = fn()
        except BaseException as exc:  # handed to the caller below
            box["error"] = exc
        finally:
            done.set()

    threading.Thread(target=run, name="atelier-translate", daemon=True).start()
    if not done.wait(max(0.0, timeout_s)):
        raise TransientTranslationError(
            f"{what} n’a pas répondu à temps ({timeout_s:.0f}\u00a0s)\u00a0; réessayez dans un moment."
        )
    if "error" in box:
        raise box["error"]
    return box["value"]


def check_provider_address(config: ProviderConfig) -> None:
    """Resolve the provider's host (bounded in time) and refuse private addresses unless allowed,
    with the fetch module's own check (deep-translator then resolves the name again itself)."""
    if config.provider == "argos":
        return
    parts = urlsplit(config.url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    label = config.spec.label
    try:
        call_with_deadline(
            lambda: check_addresses(host, resolve_host(host, port), config.allow_private_networks),
            min(config.timeout_s, 10.0),
            f"la recherche de l’adresse {de(label)}",
        )
    except FetchError as exc:
        if exc.kind == "dns":
            raise NoNetwork(f"{label}\u00a0: {exc}") from exc
        raise TranslationError(f"{label}\u00a0: {exc}") from exc
    except (socket.gaierror, UnicodeError) as exc:
        raise NoNetwork(
            f"impossible de joindre {label}\u00a0: pas de connexion Internet, ou adresse introuvable ({host})\u00a0; "
            "réessayez une fois la connexion rétablie."
        ) from exc


def _make_translator(config: ProviderConfig, source: str, target: str) -> Any:
    name = config.provider
    if name == "google":
        return GoogleTranslator(source=source, target=target)
    if name == "mymemory":
        return MyMemoryTranslator(source=source, target=target)
    if name == "deepl":
        # DeepL's free keys end in ":fx" and use the free endpoint.
        return DeeplTranslator(
            source=source, target=target, api_key=config.api_key, use_free_api=config.api_key.endswith(":fx")
        )
    if name == "microsoft":
        return MicrosoftTranslator(
            source=source, target=target, api_key=config.api_key, region=config.region or None
        )
    if name == "libre":
        base = config.provider_url.rstrip("/") + "/"
        # deep-translator insists on a key; a self-hosted server often has none.
        translator = LibreTranslator(
            source=source, target=target, api_key=config.api_key or "-", custom_url=base
        )
        translator.api_key = config.api_key
        return translator
    if name == "argos":
        from curation.translation.argos import ArgosTranslator

        return ArgosTranslator(source=source, target=target)
    raise TranslationError(f"service de traduction inconnu\u00a0: {quoted(name)}.")


_TRANSIENT_SERVER_ERRORS = {"ERR_TOO_MANY_REQUESTS", "ERR_INTERNAL_SERVER_ERROR", "ERR_SERVICE_NOT_AVAIBLE"}


def _french_error(exc: BaseException, config: ProviderConfig) -> TranslationError:
    """deep-translator's and requests' exceptions, as French messages (transient or not)."""
    label = config.spec.label
    if isinstance(exc, TranslationError):
        return exc
    if isinstance(exc, UserError):  # e.g. the offline extra is not installed
        return TranslationError(str(exc))
    if isinstance(exc, TooManyRequests):
        return TransientTranslationError(f"{label} limite le nombre de demandes. Réessayez dans une minute.")
    if isinstance(exc, AuthorizationException):
        return TranslationError(f"{label} a refusé la clé d’API. Vérifiez la clé dans les réglages.")
    if isinstance(exc, ServerException):
        code = str(exc.args[0]) if exc.args else ""
        if code in _TRANSIENT_SERVER_ERRORS or code == "API server error":
            return TransientTranslationError(f"{label} est momentanément indisponible. Réessayez plus tard.")
        if code in {"ERR_KEY_INVALID", "ERR_KEY_BLOCKED"}:
            return TranslationError(f"{label} a refusé la clé d’API. Vérifiez la clé dans les réglages.")
        return TranslationError(f"{label} a refusé la demande ({code}).")
    if isinstance(exc, RequestError | MicrosoftAPIerror):
        return TransientTranslationError(f"{label} a renvoyé une erreur. Réessayez plus tard.")
    if isinstance(exc, LanguageNotSupportedException):
        return TranslationError(f"{label} ne prend pas en charge cette langue.")
    if isinstance(exc, TranslationNotFound):
        return TextNotTranslated(f"{label} n’a renvoyé aucune traduction.")
    if isinstance(exc, BaseError):
        return TranslationError(f"{label} a refusé la demande\u00a0: {exc.message}.")
    if isinstance(exc, ConnectionRefusedError) or "refused" in str(exc).lower():
        return TransientTranslationError(
            f"le service {label} est injoignable (connexion refusée à {config.url})."
        )
    if isinstance(exc, OSError | ValueError | KeyError | TypeError):  # requests' errors are OSErrors
        return TransientTranslationError(f"{label} est injoignable ou a mal répondu. Réessayez plus tard.")
    return TranslationError(f"{label}\u00a0: échec inattendu de la traduction.")


def translate_one(config: ProviderConfig, text: str, source: str, target: str) -> str:
    """One request to the provider, under the per-request deadline; French errors only."""
    label = config.spec.label

    def call() -> str:
        translator = _make_translator(config, source, target)
        result = translator.translate(text)
        if not isinstance(result, str):
            raise TranslationNotFound(text)
        return result

    try:
        return call_with_deadline(call, config.timeout_s, label)
    except BaseException as exc:
        if isinstance(exc, KeyboardInterrupt | SystemExit):
            raise
        raise _french_error(exc, config) from exc


CONNECTION_SAMPLE = "Hello, community!"


def check_connection(config: ProviderConfig) -> str:
    """Translate a short sample with ``config`` (the Réglages page's test): a French sentence
    saying it works, else ``TranslationError`` saying what failed and who can fix it."""
    try:
        check_provider_address(config)
        translated = translate_one(config, CONNECTION_SAMPLE, "en", "fr")
    except TranslationError as exc:
        raise TranslationError(failure_message(str(exc))) from exc
    return (
        f"Connexion réussie\u00a0: {config.spec.label} a traduit «\u00a0{CONNECTION_SAMPLE}\u00a0» "
        f"en «\u00a0{translated}\u00a0»."
    )
