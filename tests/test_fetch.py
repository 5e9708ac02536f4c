"""The one HTTP client: limits, conditional GET, redirects and SSRF refusals, on a local server."""

from __future__ import annotations

import asyncio
import gzip
import sys
import time
from dataclasses import replace
from datetime import UTC, datetime, timedelta

import pytest

from curation import fetch
from curation.fetch import AsyncFetcher, FetchError, fetch_url, is_public_address, parse_retry_after
from tests.feedserver import FeedServer, Route
from workbench.settings import FetchSettings

RSS = b"<?xml version='1.0'?><rss version='2.0'><channel><title>T</title></channel></rss>"


def test_plain_fetch_sends_user_agent_and_returns_body(feed_server: FeedServer) -> None:
    url = feed_server.add(
        "/f.xml", Route(body=RSS, etag='"v1"', last_modified="Sat, 21 Nov 2026 10:00:00 GMT")
    )
    result = fetch_url(url)
    assert result.status_code == 200 and result.content == RSS and not result.not_modified
    assert result.etag == '"v1"' and result.last_modified.startswith("Sat")
    assert feed_server.requests[0][1]["User-Agent"].startswith("AtelierCM")


def test_conditional_get_gives_not_modified_without_body(feed_server: FeedServer) -> None:
    url = feed_server.add(
        "/f.xml", Route(body=RSS, etag='"v1"', last_modified="Sat, 21 Nov 2026 10:00:00 GMT")
    )
    by_etag = fetch_url(url, etag='"v1"')
    by_date = fetch_url(url, last_modified="Sat, 21 Nov 2026 10:00:00 GMT")
    changed = fetch_url(url, etag='"v0"')
    assert by_etag.not_modified and by_etag.content == b"" and by_etag.status_code == 304
    assert by_date.not_modified
    assert not changed.not_modified and changed.content == RSS


def test_gzip_is_decoded(feed_server: FeedServer) -> None:
    url = feed_server.add("/gz.xml", Route(body=RSS * 50, gzip=True))
    assert fetch_url(url).content == RSS * 50


def test_gzip_bomb_is_cut_at_the_cap(feed_server: FeedServer) -> None:
    bomb = gzip.compress(b"\0" * (30 * 1024 * 1024), compresslevel=9)
    url = feed_server.add("/bomb.xml", Route(body=bomb, headers={"Content-Encoding": "gzip"}))
    with pytest.raises(FetchError) as err:
        fetch_url(url, max_bytes=1024 * 1024)
    assert err.value.kind == "too_large"
    assert "trop volumineux" in str(err.value) and "1\u00a0Mo" in str(err.value)


def test_endless_body_is_never_read_past_the_cap(feed_server: FeedServer) -> None:
    url = feed_server.add("/endless.xml", Route(stream_bytes=50 * 1024 * 1024))
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(url)  # default cap: 10 MB
    assert err.value.kind == "too_large" and "plus de 10\u00a0Mo" in str(err.value)
    assert time.monotonic() - started < 10
    # The client read at most one network chunk past the cap…
    assert 10 * 1024 * 1024 < err.value.bytes_read <= 10 * 1024 * 1024 + 64 * 1024
    time.sleep(0.2)
    # …and the server could only push what the socket buffers hold on top, never the 50 MB.
    assert feed_server.sent["/endless.xml"] < 50 * 1024 * 1024


def test_declared_length_over_the_cap_is_refused_before_reading(feed_server: FeedServer) -> None:
    url = feed_server.add("/big.xml", Route(body=b"x" * 300_000))
    with pytest.raises(FetchError) as err:
        fetch_url(url, max_bytes=100_000)
    assert err.value.kind == "too_large"


def test_endless_drip_is_cut_at_the_deadline(feed_server: FeedServer) -> None:
    url = feed_server.add("/drip.xml", Route(drip_s=0.05))
    config = replace(FetchSettings(), total_timeout_s=1.0)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(url, config=config)
    elapsed = time.monotonic() - started
    assert err.value.kind == "timeout" and "ne répond pas" in str(err.value)
    assert 0.9 < elapsed < 2.5


RATE_RULE = replace(FetchSettings(), total_timeout_s=10.0, min_rate_bytes_s=1024, min_rate_window_s=1.0)


@pytest.mark.parametrize(
    "route",
    [Route(drip_s=0.05), Route(drip_s=0.05, drip_bytes=25)],
    ids=["drip 20 B/s", "trickle 500 B/s"],
)
def test_drip_and_trickle_are_cut_by_the_rate_rule_within_its_window(
    feed_server: FeedServer, route: Route
) -> None:
    url = feed_server.add("/slow-stream.xml", route)
    started = time.monotonic()
    with pytest.raises(FetchError) as err:
        fetch_url(url, config=RATE_RULE)
    elapsed = time.monotonic() - started
    assert err.value.kind == "too_slow"
    assert str(err.value) == (
        "Le site envoie sa réponse trop lentement (moins de 1\u00a0Ko/s pendant 1\u00a0s)"
        "\u00a0: le téléchargement a été interrompu, un nouvel essai aura lieu plus tard."
    )
    assert 0.9 < elapsed < 2.5  # the window, far before the 10 s deadline


def test_slow_but_steady_stream_above_the_rate_is_not_cut(feed_server: FeedServer) -> None:
    # 2,000 bytes per second for 3 s: three windows, each above the 1,024 bytes/s minimum.
    url = feed_server.add("/steady.xml", Route(drip_s=0.05, drip_bytes=100, stream_for_s=3.0))
    result = fetch_url(url, config=RATE_RULE)
    assert len(result.content) >= 5000


def test_slow_server_is_cut_at_the_deadline(feed_server: FeedServer) -> None:
    url = feed_server.add("/slow.xml", Route(body=RSS, delay_s=3))
    with pytest.raises(FetchError) as err:
        fetch_url(url, config=replace(FetchSettings(), total_timeout_s=0.5))
    assert err.value.kind == "timeout"


def test_http_errors_have_french_messages(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError) as err:
        fetch_url(feed_server.url("/missing.xml"))
    assert err.value.kind == "http_status" and err.value.status_code == 404
    assert "introuvable" in str(err.value)
    url = feed_server.add("/down.xml", Route(body=b"", status=500))
    with pytest.raises(FetchError, match="en panne"):
        fetch_url(url)


def test_retry_after_is_returned_as_a_time(feed_server: FeedServer) -> None:
    url = feed_server.add("/busy.xml", Route(body=b"", status=429, headers={"Retry-After": "120"}))
    with pytest.raises(FetchError) as err:
        fetch_url(url)
    assert err.value.kind == "rate_limited"
    assert err.value.retry_after is not None
    delta = err.value.retry_after - datetime.now(UTC)
    assert timedelta(seconds=100) < delta <= timedelta(seconds=121)


def test_retry_after_parsing() -> None:
    now = datetime(2026, 11, 21, 12, 0, tzinfo=UTC)
    assert parse_retry_after("60", now) == now + timedelta(seconds=60)
    assert parse_retry_after("Sat, 21 Nov 2026 13:00:00 GMT", now) == now + timedelta(hours=1)
    assert parse_retry_after("99999999", now) == now + timedelta(days=7)
    assert parse_retry_after("demain", now) is None


def test_redirects_are_followed_up_to_five(feed_server: FeedServer) -> None:
    final = feed_server.add("/final.xml", Route(body=RSS))
    for i in range(5):
        target = final if i == 0 else feed_server.url(f"/r{i - 1}")
        feed_server.add(f"/r{i}", Route(redirect=target, status=301))
    result = fetch_url(feed_server.url("/r4"))
    assert result.content == RSS and result.final_url == final
    feed_server.add("/r5", Route(redirect="/r4", status=302))  # relative Location, sixth hop
    with pytest.raises(FetchError) as err:
        fetch_url(feed_server.url("/r5"))
    assert err.value.kind == "too_many_redirects"


@pytest.mark.parametrize(
    "url",
    [
        "http://127.0.0.1/feed",
        "http://localhost/feed",
        "http://10.1.2.3/feed",
        "http://192.168.0.10/feed",
        "http://169.254.169.254/latest/meta-data",
        "http://[::1]/feed",
        "http://[::ffff:10.0.0.1]/feed",
        "http://[fe80::1]/feed",
        "http://0.0.0.0/feed",
        "http://224.0.0.1/feed",
        "http://2130706433/feed",  # 127.0.0.1 written as a number
    ],
)
def test_private_addresses_are_refused_by_default(url: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch_url(url, allow_private=False)
    assert err.value.kind == "private_address"
    assert "Adresse privée refusée" in str(err.value)


@pytest.mark.parametrize(
    "host",
    ["0177.0.0.1", "127.1", "0x7f.1", "0x7f000001", "017700000001", "127.0.1", "10.1", "0300.0250.1.1", "0"],
)
def test_legacy_and_short_ipv4_forms_get_the_private_refusal(monkeypatch, host: str) -> None:
    """Read as addresses by the fetcher itself (as browsers and inet_aton do), never handed to a resolver."""

    def no_resolver(host: str, port: int) -> list[str]:
        raise AssertionError(f"{host} went to the resolver")

    monkeypatch.setattr(fetch, "resolve_host", no_resolver)
    for url in (f"http://{host}/feed", f"https://{host}:8443/feed"):
        with pytest.raises(FetchError) as err:
            fetch_url(url, allow_private=False)
        assert err.value.kind == "private_address", url
        assert "Adresse privée refusée" in str(err.value)


def test_legacy_ipv4_form_allowed_private_gets_a_french_error() -> None:
    with pytest.raises(FetchError) as err:
        fetch_url("http://0177.0.0.1:9/feed", allow_private=True)
    assert err.value.kind in {"invalid_url", "connect"}


def test_address_classification() -> None:
    assert is_public_address("93.184.216.34") and is_public_address("2606:4700::1111")
    for private in (
        "127.0.0.1",
        "10.0.0.1",
        "172.16.0.1",
        "100.64.0.1",
        "::1",
        "::ffff:192.168.1.1",
        "fc00::1",
    ):
        assert not is_public_address(private), private
    assert not is_public_address("2002:c0a8:0101::1")  # 6to4 wrapping 192.168.1.1


def test_dns_name_resolving_to_private_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(fetch, "resolve_host", lambda host, port: ["192.168.1.10"])
    with pytest.raises(FetchError) as err:
        fetch_url("http://intranet.example.com/feed", allow_private=False)
    assert err.value.kind == "private_address"


def test_name_with_one_private_address_among_public_ones_is_refused(monkeypatch) -> None:
    monkeypatch.setattr(fetch, "resolve_host", lambda host, port: ["93.184.216.34", "127.0.0.1"])
    with pytest.raises(FetchError) as err:
        fetch_url("http://mixed.example.com/feed", allow_private=False)
    assert err.value.kind == "private_address"


def test_redirect_to_a_private_address_is_refused(feed_server: FeedServer, monkeypatch) -> None:
    """The first hop is "public" (the test server, declared so); the redirect leads inside."""
    monkeypatch.setattr(fetch, "is_public_address", lambda address: address == "127.0.0.1")
    monkeypatch.setattr(
        fetch,
        "resolve_host",
        lambda host, port: {"public.example.com": ["127.0.0.1"]}.get(host, ["10.0.0.5"]),
    )
    ok = feed_server.add("/ok.xml", Route(body=RSS))
    assert fetch_url(ok.replace("127.0.0.1", "public.example.com"), allow_private=False).content == RSS
    feed_server.add("/to-inside", Route(redirect="http://intranet.example.com/admin", status=302))
    feed_server.add("/to-metadata", Route(redirect="http://169.254.169.254/latest/meta-data", status=301))
    for path in ("/to-inside", "/to-metadata"):
        with pytest.raises(FetchError) as err:
            fetch_url(feed_server.url(path).replace("127.0.0.1", "public.example.com"), allow_private=False)
        assert err.value.kind == "private_address"
    assert feed_server.hits["/to-inside"] == 1


def test_connects_to_the_checked_address_and_keeps_the_host_header(
    feed_server: FeedServer, monkeypatch
) -> None:
    calls: list[str] = []

    def resolver(host: str, port: int) -> list[str]:
        calls.append(host)
        return ["127.0.0.1"]

    monkeypatch.setattr(fetch, "resolve_host", resolver)
    url = feed_server.add("/named.xml", Route(body=RSS)).replace("127.0.0.1", "feeds.example.org")
    assert fetch_url(url).content == RSS
    assert calls == ["feeds.example.org"]
    assert feed_server.requests[-1][1]["Host"] == f"feeds.example.org:{feed_server.port}"


@pytest.mark.parametrize(
    "url", ["ftp://example.com/feed", "file:///etc/passwd", "javascript:alert(1)", "http://"]
)
def test_other_schemes_and_broken_urls_are_refused(url: str) -> None:
    with pytest.raises(FetchError) as err:
        fetch_url(url)
    assert err.value.kind in {"scheme", "invalid_url"}


def test_unreachable_server_says_it_does_not_answer(feed_server: FeedServer) -> None:
    with pytest.raises(FetchError) as err:
        fetch_url("http://127.0.0.1:9/feed")
    assert err.value.kind == "connect" and "ne répond pas" in str(err.value)


def test_per_host_concurrency_is_limited(feed_server: FeedServer) -> None:
    url = feed_server.add("/slowish.xml", Route(body=RSS, delay_s=0.3))
    config = replace(FetchSettings(), per_host_concurrency=2)

    async def run() -> float:
        async with AsyncFetcher(config) as fetcher:
            started = time.monotonic()
            await asyncio.gather(*(fetcher.fetch(url) for _ in range(6)))
            return time.monotonic() - started

    assert asyncio.run(run()) >= 0.85  # three waves of two


def test_fetch_url_works_inside_a_running_loop(feed_server: FeedServer) -> None:
    url = feed_server.add("/f.xml", Route(body=RSS))

    async def inside() -> bytes:
        return fetch_url(url).content

    assert asyncio.run(inside()) == RSS


def test_rate_rule_off_and_its_message_in_french_numbers(feed_server: FeedServer) -> None:
    url = feed_server.add("/drip-off.xml", Route(drip_s=0.6, stream_for_s=1.5))  # gaps longer than the window
    off = replace(FetchSettings(), min_rate_bytes_s=0, min_rate_window_s=0.5)
    assert len(fetch_url(url, config=off).content) >= 2  # the whole drip, never cut
    message = str(fetch._too_slow(replace(FetchSettings(), min_rate_bytes_s=10240, min_rate_window_s=2.5)))
    assert "(moins de 10\u00a0Ko/s pendant 2,5\u00a0s)\u00a0:" in message


class _LookupSpy:
    """A finder in front of the import system that records which modules are searched for."""

    def __init__(self) -> None:
        self.names: list[str] = []

    def find_spec(self, name: str, path: object = None, target: object = None) -> None:
        self.names.append(name)
        return None


def test_fetching_searches_the_import_path_for_no_module(feed_server: FeedServer, monkeypatch) -> None:
    # httpcore asks for sniffio several times per request; when it is not installed, each ask was a
    # search of the whole import path (a quarter of a refresh's fetching CPU).
    url = feed_server.add("/f.xml", Route(body=RSS))
    fetch_url(url)  # whatever a first request imports, it imports now
    spy = _LookupSpy()
    monkeypatch.setattr("sys.meta_path", [spy, *sys.meta_path])
    for _ in range(3):
        assert fetch_url(url).content == RSS
    assert spy.names == []


def test_fetchers_share_one_certificate_context(monkeypatch) -> None:
    # Building one (reading the certificate bundle) costs tens of milliseconds; it was built twice per fetcher.
    built = []
    real = fetch.ssl.create_default_context
    monkeypatch.setattr(fetch.ssl, "create_default_context", lambda *a, **k: built.append(1) or real(*a, **k))
    fetch._tls_context.cache_clear()

    async def two() -> None:
        for _ in range(2):
            async with AsyncFetcher():
                pass

    asyncio.run(two())
    assert len(built) == 1
