"""The one HTTP client of the project: every outbound request (feeds, pages, translation) uses it.

Safe against any URL someone pastes into a hosted app:

* only ``http``/``https``; at most ``max_redirects`` redirects, followed by hand so that every hop
  is checked again;
* the host is resolved here and every address checked (private, loopback, link-local, multicast,
  reserved, unspecified, IPv4-mapped IPv6…) before connecting — to the checked address itself, so
  a second DNS answer cannot swap it (DNS rebinding); ``Host`` and TLS SNI keep the real name;
* a connect timeout and a deadline on the whole response; and a minimum rate (as curl's
  ``--speed-limit``/``--speed-time``): a body that brings fewer than ``min_rate_bytes_s`` bytes per
  second over a whole ``min_rate_window_s`` window is cut then, so a drip or a trickle costs the
  window, not the deadline;
* a body-size cap enforced while streaming, on the decompressed bytes (gzip bombs included): the
  client never reads more than the cap plus one network chunk;
* per-host and global concurrency limits; conditional GET (ETag, Last-Modified: 304 means
  ``not_modified`` and no body); 429/503 with ``Retry-After`` give the time to come back.

``fetch_url`` is the synchronous entry point (app, CLI, notebook); ``AsyncFetcher`` is the
concurrent one (feed refresh). Failures are ``FetchError``: a ``kind`` for code, a French message
for people.
"""

from __future__ import annotations

import asyncio
import concurrent.futures
import functools
import importlib.util
import ipaddress
import re
import socket
import ssl
import sys
import time
import zlib
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import urljoin, urlsplit

# httpx's package imports its command-line client's module, which imports click and pygments (about
# 7 MB resident in every process that fetches) and then fails on a library not installed here (rich),
# leaving them loaded; a module marked absent is skipped at once. That client is never run here.
sys.modules.setdefault("httpx._main", None)  # type: ignore[assignment]
# httpcore asks for sniffio (asyncio or trio?) several times per request and takes asyncio when it is
# missing; not installed here, each ask searched the whole import path again (a quarter of the
# refresh's fetching CPU). Marked absent once, the ask fails at once.
if importlib.util.find_spec("sniffio") is None:
    sys.modules.setdefault("sniffio", None)  # type: ignore[arg-type]

import httpcore  # noqa: E402
import httpx  # noqa: E402

from workbench.errors import UserError  # noqa: E402
from workbench.settings import FetchSettings, get_settings  # noqa: E402

REDIRECT_CODES = frozenset({301, 302, 303, 307, 308})
FEED_ACCEPT = (
    "application/rss+xml, application/atom+xml, application/feed+json, application/rdf+xml;q=0.9, "
    "application/xml;q=0.9, text/xml;q=0.9, application/json;q=0.8, */*;q=0.5"
)
DNS_CACHE_S = 60.0


class FetchError(UserError):
    """A fetch that failed; ``str(exc)`` is the French message, ``kind`` what code may test."""

    def __init__(
        self,
        kind: str,
        message: str,
        *,
        status_code: int | None = None,
        retry_after: datetime | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.status_code = status_code
        self.retry_after = retry_after
        self.bytes_read = 0  # for "too_large": what the client had read from the network when it stopped


def _mo(n: int) -> str:
    return f"{n / (1024 * 1024):g}\u00a0Mo"


def _fr_decimal(x: float) -> str:
    return f"{round(x, 1):g}".replace(".", ",")


def _too_slow(config: FetchSettings) -> FetchError:
    return FetchError(
        "too_slow",
        f"Le site envoie sa réponse trop lentement (moins de {_fr_decimal(config.min_rate_bytes_s / 1024)}\u00a0Ko/s "
        f"pendant {_fr_decimal(config.min_rate_window_s)}\u00a0s)\u00a0: le téléchargement a été interrompu, "
        "un nouvel essai aura lieu plus tard.",
    )


def _http_error(status: int) -> FetchError:
    if status == 404:
        msg = "Page introuvable (erreur 404)\u00a0: le flux a peut-être changé d’adresse, vérifiez le lien."
    elif status == 410:
        msg = "Ce flux n’existe plus (erreur 410)\u00a0: le site l’a supprimé, désabonnez-vous."
    elif status in (401, 403):
        msg = f"Le site refuse l’accès (erreur {status})\u00a0: ce flux est peut-être réservé à ses abonnés."
    elif status >= 500:
        msg = f"Le site est en panne (erreur {status})\u00a0: un nouvel essai aura lieu plus tard."
    else:
        msg = f"Le site a répondu par une erreur {status}\u00a0: vérifiez l’adresse."
    return FetchError("http_status", msg, status_code=status)


@dataclass
class FetchResult:
    """What a successful fetch returns; ``content`` is empty when ``not_modified``."""

    url: str
    final_url: str
    status_code: int
    content: bytes
    headers: dict[str, str] = field(default_factory=dict)
    not_modified: bool = False
    elapsed_s: float = 0.0

    @property
    def etag(self) -> str:
        return self.headers.get("etag", "")

    @property
    def last_modified(self) -> str:
        return self.headers.get("last-modified", "")

    @property
    def content_type(self) -> str:
        return self.headers.get("content-type", "")

    @property
    def max_age_s(self) -> int | None:
        """Freshness the server asks for (``Cache-Control: max-age``, else ``Expires``)."""
        for part in self.headers.get("cache-control", "").split(","):
            name, _, value = part.strip().partition("=")
            if name.lower() in ("no-cache", "no-store"):
                return 0
            if name.lower() == "max-age" and value.strip().isdigit():
                return int(value.strip())
        expires = _parse_http_date(self.headers.get("expires", ""))
        if expires is not None:
            return max(0, int((expires - datetime.now(UTC)).total_seconds()))
        return None


def _parse_http_date(value: str) -> datetime | None:
    try:
        parsed = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed


def parse_retry_after(value: str | None, now: datetime | None = None) -> datetime | None:
    """``Retry-After`` as an absolute time (seconds or HTTP date); capped at one week."""
    if not value:
        return None
    now = now or datetime.now(UTC)
    value = value.strip()
    if value.isdigit():
        when = now + timedelta(seconds=int(value))
    else:
        when = _parse_http_date(value)
        if when is None:
            return None
    return min(max(when, now), now + timedelta(days=7))


# --- address checks -------------------------------------------------------------------------


def is_public_address(address: str) -> bool:
    """True for an address on the public internet (IPv4-mapped/6to4/Teredo IPv6 checked as IPv4)."""
    try:
        ip: ipaddress.IPv4Address | ipaddress.IPv6Address = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return False
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour or (ip.teredo[1] if ip.teredo else None)
        if embedded is not None:
            ip = embedded
    return ip.is_global and not (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
    )


PRIVATE_REFUSED = (
    "Adresse privée refusée\u00a0: ce lien mène à un réseau local ou interne ({host}). "
    "Utilisez une adresse publique (ou autorisez les réseaux privés pour une démonstration locale)."
)


def resolve_host(host: str, port: int) -> list[str]:
    """Every address of ``host`` (the one resolver of the client; tests may replace it)."""
    infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def _legacy_ipv4(host: str) -> str | None:
    """``127.1``, ``0177.0.0.1``, ``0x7f000001``…: the IPv4 forms that inet_aton and browsers accept.

    One to four parts, each decimal, octal (leading 0) or hex (0x); the last fills the remaining
    bytes. A resolver would connect to them, so they are checked as the addresses they are.
    """
    parts = host.split(".")
    if not 1 <= len(parts) <= 4 or not all(re.fullmatch(r"0x[0-9a-f]*|[0-9]+", p, re.I) for p in parts):
        return None
    try:
        numbers = [
            int(p, 16) if p[:2].lower() == "0x" else int(p, 8) if p[0] == "0" else int(p) for p in parts
        ]
    except ValueError:  # "0x" alone, or 8 or 9 in an octal part
        return None
    *head, last = numbers
    if any(n > 255 for n in head) or last >= 256 ** (4 - len(head)):
        return None
    value = last
    for i, n in enumerate(head):
        value += n << (8 * (3 - i))
    return str(ipaddress.IPv4Address(value))


def _literal_ip(host: str) -> str | None:
    try:
        return str(ipaddress.ip_address(host.strip("[]")))
    except ValueError:
        return _legacy_ipv4(host)


def check_addresses(host: str, addresses: Iterable[str], allow_private: bool) -> list[str]:
    """The addresses to connect to; refused when any of them is not public (unless allowed)."""
    addresses = list(addresses)
    if not addresses:
        raise FetchError("dns", f"Nom de domaine introuvable ({host})\u00a0: vérifiez l’adresse.")
    if not allow_private and not all(is_public_address(a) for a in addresses):
        raise FetchError("private_address", PRIVATE_REFUSED.format(host=host))
    return addresses


class _GuardedBackend(httpcore.AsyncNetworkBackend):
    """The dialer: resolves, checks, then connects to the checked address (SNI keeps the name)."""

    def __init__(self, allow_private: bool) -> None:
        self._inner = httpcore.AnyIOBackend()
        self._allow_private = allow_private
        self._dns: dict[tuple[str, int], tuple[float, list[str]]] = {}

    async def _resolve(self, host: str, port: int) -> list[str]:
        literal = _literal_ip(host)
        if literal is not None:
            return [literal]
        cached = self._dns.get((host, port))
        if cached and cached[0] > time.monotonic():
            return cached[1]
        loop = asyncio.get_running_loop()
        try:
            addresses = await loop.run_in_executor(None, resolve_host, host, port)
        except (socket.gaierror, UnicodeError) as exc:
            raise FetchError(
                "dns", f"Nom de domaine introuvable ({host})\u00a0: vérifiez l’adresse."
            ) from exc
        self._dns[(host, port)] = (time.monotonic() + DNS_CACHE_S, addresses)
        return addresses

    async def connect_tcp(
        self,
        host: str,
        port: int,
        timeout: float | None = None,
        local_address: str | None = None,
        socket_options: Iterable[Any] | None = None,
    ) -> httpcore.AsyncNetworkStream:
        addresses = check_addresses(host, await self._resolve(host, port), self._allow_private)
        error: Exception | None = None
        for address in addresses:
            try:
                return await self._inner.connect_tcp(address, port, timeout, local_address, socket_options)
            except (httpcore.ConnectError, httpcore.ConnectTimeout) as exc:
                error = exc
        assert error is not None
        raise error

    async def connect_unix_socket(self, *args: Any, **kwargs: Any) -> httpcore.AsyncNetworkStream:
        raise FetchError("scheme", "Connexion locale refusée.")

    async def sleep(self, seconds: float) -> None:
        await self._inner.sleep(seconds)


@functools.cache
def _tls_context() -> ssl.SSLContext:
    """The certificate context of every fetcher of this process (reading the certificate bundle costs
    tens of milliseconds; a context is safe to share between connections and threads)."""
    return httpx.create_ssl_context(trust_env=False)


class _GuardedTransport(httpx.AsyncHTTPTransport):
    def __init__(self, allow_private: bool, limits: httpx.Limits) -> None:
        super().__init__(verify=_tls_context(), limits=limits, trust_env=False)
        self._pool = httpcore.AsyncConnectionPool(
            ssl_context=_tls_context(),
            max_connections=limits.max_connections,
            max_keepalive_connections=limits.max_keepalive_connections,
            keepalive_expiry=limits.keepalive_expiry,
            network_backend=_GuardedBackend(allow_private),
        )


# --- body decoding with a cap ---------------------------------------------------------------


class _CappedBody:
    """Accumulates the decoded body; refuses past ``limit`` bytes without inflating further."""

    def __init__(self, content_encoding: str, limit: int) -> None:
        encoding = content_encoding.strip().lower()
        if encoding in ("gzip", "x-gzip"):
            self._zlib: Any = zlib.decompressobj(16 + zlib.MAX_WBITS)
        elif encoding == "deflate":
            self._zlib = zlib.decompressobj(zlib.MAX_WBITS | 32)
        elif encoding in ("", "identity"):
            self._zlib = None
        else:
            raise FetchError(
                "encoding",
                f"Le site a envoyé un contenu compressé illisible ({encoding})\u00a0: réessayez plus tard.",
            )
        self._limit = limit
        self.data = bytearray()
        self.raw_bytes = 0

    def _too_large(self) -> FetchError:
        error = FetchError(
            "too_large",
            f"Flux trop volumineux (plus de {_mo(self._limit)})\u00a0: le téléchargement a été interrompu.",
        )
        error.bytes_read = self.raw_bytes
        return error

    def feed(self, chunk: bytes) -> None:
        self.raw_bytes += len(chunk)
        if self.raw_bytes > self._limit:
            raise self._too_large()
        if self._zlib is None:
            self.data += chunk
        else:
            try:
                self.data += self._zlib.decompress(chunk, self._limit - len(self.data) + 1)
            except zlib.error as exc:
                raise FetchError("encoding", "Le site a envoyé un contenu compressé illisible.") from exc
            if self._zlib.unconsumed_tail:
                raise self._too_large()
        if len(self.data) > self._limit:
            raise self._too_large()


# --- the client -----------------------------------------------------------------------------


def check_url(url: str) -> tuple[str, str]:
    """``(scheme, host)`` of an acceptable URL; refused otherwise (before any network use)."""
    try:
        parts = urlsplit((url or "").strip())
        parts.port  # noqa: B018 - raises ValueError on a bad port
    except ValueError as exc:
        raise FetchError("invalid_url", "Adresse invalide\u00a0: vérifiez le lien.") from exc
    if parts.scheme.lower() not in ("http", "https"):
        raise FetchError(
            "scheme", "Seules les adresses web en http:// ou https:// sont acceptées\u00a0: vérifiez le lien."
        )
    if not parts.hostname:
        raise FetchError("invalid_url", "Adresse invalide (aucun nom de site)\u00a0: vérifiez le lien.")
    return parts.scheme.lower(), parts.hostname.lower()


class AsyncFetcher:
    """Concurrent fetching with shared limits; use as ``async with AsyncFetcher() as f``."""

    def __init__(self, config: FetchSettings | None = None, *, allow_private: bool | None = None) -> None:
        settings = get_settings()
        self.config = config or settings.fetch
        self.allow_private = settings.allow_private_networks if allow_private is None else allow_private
        limits = httpx.Limits(
            max_connections=self.config.global_concurrency,
            max_keepalive_connections=self.config.global_concurrency,
        )
        self._client = httpx.AsyncClient(
            transport=_GuardedTransport(self.allow_private, limits),
            follow_redirects=False,
            trust_env=False,
            headers={"User-Agent": self.config.user_agent, "Accept-Encoding": "gzip, deflate"},
        )
        self._global = asyncio.Semaphore(self.config.global_concurrency)
        self._hosts: dict[str, asyncio.Semaphore] = {}

    async def __aenter__(self) -> AsyncFetcher:
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.aclose()

    async def aclose(self) -> None:
        await self._client.aclose()

    def _host_slot(self, host: str) -> asyncio.Semaphore:
        slot = self._hosts.get(host)
        if slot is None:
            slot = self._hosts[host] = asyncio.Semaphore(self.config.per_host_concurrency)
        return slot

    async def fetch(
        self,
        url: str,
        *,
        etag: str | None = None,
        last_modified: str | None = None,
        accept: str | None = None,
        max_bytes: int | None = None,
    ) -> FetchResult:
        """GET ``url`` within the limits; raises ``FetchError`` (French message) on any failure."""
        limit = max_bytes or self.config.max_bytes
        headers = {"Accept": accept or "*/*"}
        if etag:
            headers["If-None-Match"] = etag
        if last_modified:
            headers["If-Modified-Since"] = last_modified
        loop = asyncio.get_running_loop()
        started = time.monotonic()
        deadline: float | None = None
        current = url.strip()
        for _hop in range(self.config.max_redirects + 1):
            _, host = check_url(current)
            literal = _literal_ip(host)
            if literal is not None:
                check_addresses(host, [literal], self.allow_private)
            async with self._global, self._host_slot(host):
                if deadline is None:  # waiting for a slot is not the server's fault
                    deadline = loop.time() + self.config.total_timeout_s
                try:
                    async with asyncio.timeout_at(deadline):
                        outcome = await self._one_request(current, headers, limit)
                except TimeoutError as exc:
                    raise FetchError(
                        "timeout",
                        f"Le serveur ne répond pas assez vite (plus de {self.config.total_timeout_s:g}\u00a0s)"
                        "\u00a0: un nouvel essai aura lieu plus tard.",
                    ) from exc
            if isinstance(outcome, str):  # a redirect target
                current = urljoin(current, outcome)
                continue
            outcome.url = url
            outcome.final_url = current
            outcome.elapsed_s = time.monotonic() - started
            return outcome
        raise FetchError(
            "too_many_redirects",
            f"Trop de redirections (plus de {self.config.max_redirects})\u00a0: l’adresse tourne en rond, "
            "vérifiez le lien.",
        )

    async def _one_request(self, url: str, headers: dict[str, str], limit: int) -> FetchResult | str:
        timeout = httpx.Timeout(self.config.total_timeout_s, connect=self.config.connect_timeout_s)
        try:
            async with self._client.stream("GET", url, headers=headers, timeout=timeout) as response:
                status = response.status_code
                response_headers = {k.lower(): v for k, v in response.headers.items()}
                if status in REDIRECT_CODES:
                    location = response.headers.get("location")
                    if not location:
                        raise FetchError(
                            "http_status", "Redirection sans adresse\u00a0: le site est mal configuré."
                        )
                    return location
                if status == 304:
                    return FetchResult(url, url, 304, b"", response_headers, not_modified=True)
                if status in (429, 503):
                    retry_after = parse_retry_after(response.headers.get("retry-after"))
                    error = (
                        _http_error(status)
                        if status == 503 and retry_after is None
                        else FetchError(
                            "rate_limited",
                            "Le site demande de patienter (trop de requêtes)\u00a0: un nouvel essai aura lieu "
                            "plus tard.",
                            status_code=status,
                        )
                    )
                    error.retry_after = retry_after
                    raise error
                if status >= 400:
                    raise _http_error(status)
                declared = response.headers.get("content-length", "")
                body = _CappedBody(response.headers.get("content-encoding", ""), limit)
                if declared.isdigit() and not body._zlib and int(declared) > limit:
                    raise body._too_large()
                await self._read_body(response, body)
                return FetchResult(url, url, status, bytes(body.data), response_headers)
        except httpx.InvalidURL as exc:  # e.g. 0177.0.0.1 when private addresses are allowed
            raise FetchError("invalid_url", "Adresse invalide\u00a0: vérifiez le lien.") from exc
        except httpx.ConnectTimeout as exc:
            raise FetchError("connect", "Le serveur ne répond pas\u00a0: réessayez plus tard.") from exc
        except httpx.TimeoutException as exc:
            raise FetchError(
                "timeout", "Le serveur ne répond pas assez vite\u00a0: un nouvel essai aura lieu plus tard."
            ) from exc
        except httpx.ConnectError as exc:
            if "CERTIFICATE" in str(exc).upper() or "SSL" in str(exc).upper():
                raise FetchError(
                    "tls",
                    "Connexion sécurisée impossible (certificat invalide)\u00a0: le site est mal configuré.",
                ) from exc
            raise FetchError(
                "connect", "Le serveur ne répond pas\u00a0: vérifiez l’adresse ou réessayez plus tard."
            ) from exc
        except (httpx.RemoteProtocolError, httpx.ReadError, httpx.WriteError) as exc:
            raise FetchError(
                "protocol",
                "La connexion a été coupée par le site\u00a0: un nouvel essai aura lieu plus tard.",
            ) from exc
        except httpx.HTTPError as exc:
            raise FetchError("protocol", "Le site a répondu de façon incompréhensible.") from exc

    async def _read_body(self, response: httpx.Response, body: _CappedBody) -> None:
        """Stream the body into ``body``, cut when a window passes without its quota of bytes
        (``min_rate_bytes_s`` × ``min_rate_window_s``): each time the quota is reached the window
        starts again, so only a stream slower than the rate over a whole window is cut."""
        loop = asyncio.get_running_loop()
        window = self.config.min_rate_window_s
        quota = self.config.min_rate_bytes_s * window
        mark = 0
        try:
            async with asyncio.timeout(window if quota > 0 else None) as timer:
                async for chunk in response.aiter_raw():
                    body.feed(chunk)
                    if quota > 0 and body.raw_bytes - mark >= quota:
                        mark = body.raw_bytes
                        timer.reschedule(loop.time() + window)
        except TimeoutError as exc:  # this window's timer: the outer deadline cancels, it never lands here
            raise _too_slow(self.config) from exc


def fetch_url(
    url: str,
    *,
    etag: str | None = None,
    last_modified: str | None = None,
    accept: str | None = None,
    max_bytes: int | None = None,
    config: FetchSettings | None = None,
    allow_private: bool | None = None,
) -> FetchResult:
    """Fetch one URL synchronously (works inside a running event loop too, e.g. in Jupyter)."""

    async def once() -> FetchResult:
        async with AsyncFetcher(config, allow_private=allow_private) as fetcher:
            return await fetcher.fetch(
                url, etag=etag, last_modified=last_modified, accept=accept, max_bytes=max_bytes
            )

    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return asyncio.run(once())
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, once()).result()
