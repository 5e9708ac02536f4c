"""The translation service with the real deep-translator client against a fake LibreTranslate
server on 127.0.0.1, and its memory on both database backends."""

from __future__ import annotations

import re
import time
from collections.abc import Iterator

import pytest

from curation.translation.providers import TranslationError, provider_config
from curation.translation.service import FROM_MEMORY, FROM_PROVIDER, translate_texts
from tests.libre_fake import FakeLibre, serve_libre
from workbench.db import session_scope
from workbench.settings import get_settings


@pytest.fixture
def libre(monkeypatch) -> Iterator[FakeLibre]:
    with serve_libre(monkeypatch) as state:
        yield state


def _translate(texts: list[str], **kwargs):
    with session_scope() as session:
        return translate_texts(session, texts, source="en", **kwargs)


def test_short_texts_are_packed_translated_and_glossary_applied(db_url, libre) -> None:
    run = _translate(["Hello world", "Our reach grew and our followers too.", ""])
    assert run.complete
    assert [item.translated for item in run.items] == [
        "Bonjour monde",
        "Notre portée a augmenté et notre abonnés too.",
        "",
    ]
    assert libre.calls == 1  # both texts travelled in one request
    assert run.items[0].origin == FROM_PROVIDER


def test_twenty_thousand_characters_in_order_with_spans_intact(db_url, libre) -> None:
    sentences = [
        f"Sentence {i:04d} by @cm_{i} for the community manager, see https://ex.fr/{i}?a=1 #veille 🎉."
        for i in range(240)
    ]
    text = " ".join(sentences[:120]) + "\n\n" + " ".join(sentences[120:])
    assert len(text) > 20_000
    run = _translate([text])
    assert run.complete, run.message
    out = run.items[0].translated
    # Split under LibreTranslate's 2,000 characters (placeholders make the text shorter).
    assert all(len(q) <= 2000 for q in libre.queries)
    assert libre.chars / 2000 <= libre.calls <= libre.chars / 2000 + 2
    numbers = [int(n) for n in re.findall(r"Phrase (\d{4})", out)]
    assert numbers == list(range(240))
    for i in range(240):
        assert f"@cm_{i} " in out and f"https://ex.fr/{i}?a=1 #veille 🎉." in out
    assert out.count("community manager") == 240
    assert "\n\n" in out and out.index("\n\n") > out.index("Phrase 0119")
    assert "⟦" not in out


def test_mangled_placeholders_are_restored(db_url, libre) -> None:
    libre.mangle = True
    text = "Thanks @alice and @bob! See https://a.fr and `code` on Instagram, the community manager said."
    run = _translate([text])
    out = run.items[0].translated
    for span in ["@alice", "@bob", "https://a.fr", "`code`", "Instagram", "community manager"]:
        assert span in out
    assert "⟦" not in out and "[T" not in out and "[ T" not in out


def test_memory_means_the_same_text_is_never_sent_twice(db_url, libre) -> None:
    first = _translate(["Hello world", "The new post"])
    assert first.requests == 1 and libre.calls == 1
    libre.reset_counts()
    second = _translate(["The new post", "Hello  world ", "Read this"])
    assert libre.calls == 1 and libre.queries == ["Read this"]
    assert [item.origin for item in second.items] == [FROM_MEMORY, FROM_MEMORY, FROM_PROVIDER]
    assert second.items[1].translated == "Bonjour monde"
    assert second.memory_hits == 2
    libre.reset_counts()
    # Duplicates within one call are sent once.
    _translate(["See the world", "See the world"])
    assert libre.queries == ["See the world"]


def test_engine_that_merges_blank_lines_falls_back_to_one_request_per_text(db_url, libre) -> None:
    libre.merge_blank_lines = True
    run = _translate(["Hello world", "Read this"])
    assert [item.translated for item in run.items] == ["Bonjour monde", "Lisez ceci"]
    assert libre.calls == 3


def test_transient_failure_is_retried(db_url, libre) -> None:
    libre.fail_times = 2
    run = _translate(["Hello world"])
    assert run.complete and libre.calls == 3


def test_provider_down_gives_french_message_and_keeps_original(db_url, libre) -> None:
    libre.always_fail = True
    run = _translate(["Hello world"])
    item = run.items[0]
    assert item.translated is None and item.shown == "Hello world"
    assert "LibreTranslate est momentanément indisponible" in item.error
    assert "original reste affiché" in run.message
    assert libre.calls == 3  # first attempt + 2 retries
    # Nothing is remembered: the next try asks again.
    libre.always_fail = False
    assert _translate(["Hello world"]).items[0].translated == "Bonjour monde"


def test_refused_key_is_not_retried(db_url, libre, monkeypatch) -> None:
    libre.api_key = "secret"
    monkeypatch.setenv("ATELIER_TRANSLATION_API_KEY", "wrong")
    get_settings.cache_clear()
    run = _translate(["Hello world"])
    assert "refusé la clé" in run.items[0].error and libre.calls == 1
    monkeypatch.setenv("ATELIER_TRANSLATION_API_KEY", "secret")
    get_settings.cache_clear()
    assert _translate(["Hello world"]).complete


def test_timeout_does_not_hang(db_url, libre, monkeypatch) -> None:
    libre.delay_s = 5
    monkeypatch.setenv("ATELIER_TRANSLATION_TIMEOUT_S", "0.5")
    monkeypatch.setenv("ATELIER_TRANSLATION_DEADLINE_S", "3")
    get_settings.cache_clear()
    started = time.monotonic()
    run = _translate(["Hello world", "x " * 1500])
    elapsed = time.monotonic() - started
    assert elapsed < 4.5
    assert not any(item.ok for item in run.items)
    assert "n’a pas répondu à temps" in run.items[0].error or "trop de temps" in run.items[0].error


def test_no_network_is_said_plainly(db_url, monkeypatch) -> None:
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "libre")
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER_URL", "http://translate.atelier.invalid/")
    get_settings.cache_clear()
    started = time.monotonic()
    run = _translate(["Hello world"])
    assert time.monotonic() - started < 12
    assert "pas de connexion Internet" in run.items[0].error


def test_private_provider_address_refused_unless_allowed(db_url, libre, monkeypatch) -> None:
    monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "0")
    get_settings.cache_clear()
    run = _translate(["Hello world"])
    assert "Adresse privée refusée" in run.items[0].error and libre.calls == 0
    monkeypatch.setenv("ATELIER_TRANSLATION_ALLOW_PRIVATE_URL", "1")  # the provider only
    get_settings.cache_clear()
    assert _translate(["Hello world"]).complete and not get_settings().allow_private_networks


def test_unknown_or_incomplete_provider_is_refused_in_french(monkeypatch) -> None:
    with pytest.raises(TranslationError, match="inconnu"):
        provider_config(provider="babelfish")
    with pytest.raises(TranslationError, match="clé d’API"):
        provider_config(provider="deepl")
    with pytest.raises(TranslationError, match="adresse de votre serveur"):
        provider_config(provider="libre")
    with pytest.raises(TranslationError, match="http"):
        provider_config(provider="libre", provider_url="file:///etc/passwd")


def test_same_language_is_not_sent(db_url, libre) -> None:
    with session_scope() as session:
        run = translate_texts(session, ["Bonjour"], source="fr", target="fr")
    assert run.items[0].translated == "Bonjour" and libre.calls == 0


def test_progress_is_reported(db_url, libre) -> None:
    seen: list[tuple[int, int]] = []
    _translate(["word " * 300, "other " * 300], progress=lambda done, total: seen.append((done, total)))
    assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1]


def test_auto_detects_each_text_and_skips_french(db_url, libre) -> None:
    run = _translate_auto(["Our reach grew and the followers too", "Notre portée a augmenté cette semaine"])
    assert run.items[0].translated == "Notre portée a augmenté et le abonnés too"
    assert run.items[0].source_lang == "en"
    assert run.items[1].origin == "inchangé" and libre.calls == 1
    # Declared English and detected English share the memory.
    libre.reset_counts()
    assert _translate(["Our reach grew and the followers too"]).items[0].origin == FROM_MEMORY
    assert libre.calls == 0


def test_memory_only_sends_nothing(db_url, libre) -> None:
    _translate(["Hello world"])
    libre.reset_counts()
    with session_scope() as session:
        run = translate_texts(session, ["Hello world", "Read this"], source="en", memory_only=True)
    assert [i.translated for i in run.items] == ["Bonjour monde", None]
    assert run.items[1].error is None and libre.calls == 0


def _translate_auto(texts: list[str]):
    with session_scope() as session:
        return translate_texts(session, texts, source="auto")


def test_unknown_language_and_declared_english_share_the_memory(db_url, libre) -> None:
    _translate_auto(["Hello world"])  # too short to detect: sent as "auto"
    _translate(["Read this"])  # declared English
    libre.reset_counts()
    assert _translate(["Hello world"]).items[0].origin == FROM_MEMORY
    assert _translate_auto(["Read this"]).items[0].origin == FROM_MEMORY
    assert libre.calls == 0


def test_server_not_listening_is_reported_quickly(db_url, monkeypatch) -> None:
    import socket

    with socket.socket() as sock:  # a port nobody listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "libre")
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER_URL", f"http://127.0.0.1:{port}/")
    monkeypatch.setenv("ATELIER_ALLOW_PRIVATE_NETWORKS", "1")
    get_settings.cache_clear()
    started = time.monotonic()
    run = _translate(["Hello world"])
    assert time.monotonic() - started < 10
    assert "injoignable (connexion refusée" in run.items[0].error


def test_a_provider_down_fails_the_whole_run_fast(db_url, libre) -> None:
    libre.always_fail = True
    texts = [f"Paragraph {i} " + "word " * 400 for i in range(20)]  # 20 requests
    run = _translate(texts)
    assert not any(item.ok for item in run.items)
    # At most the attempts of the requests in flight (4 × 3), not 20 requests × 3 attempts.
    assert libre.calls <= 4 * 3
    assert len(run.errors) == 1


def test_an_unreachable_provider_is_explained_in_french_and_where_it_is_said(db_url) -> None:
    """« …faite : Impossible de joindre Google Traduction : … » had a capital after the colon, plain
    spaces before « : » and « ; », and said « Le texte original reste affiché » also on the Réglages
    connection test, where no text is shown."""
    from curation.translation.providers import check_connection

    config = provider_config(provider="libre", provider_url="http://introuvable.invalid/")
    run = _translate(["Hello world"], config=config)
    assert run.message.startswith(
        "La traduction n’a pas pu être faite\u00a0: impossible de joindre LibreTranslate\u00a0: "
    ), run.message
    assert run.message.count("Le texte original reste affiché") == 1
    with pytest.raises(TranslationError) as refused:
        check_connection(config)
    tested = str(refused.value)
    assert tested.startswith(
        "La traduction n’a pas pu être faite\u00a0: impossible de joindre LibreTranslate"
    )
    assert "original" not in tested, tested
    for said in (run.message, tested):
        assert not re.search(r" [:;!?]", said), said
