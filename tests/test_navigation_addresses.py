"""Addresses the app catches itself so that Streamlit never shows its English « Page not found »."""

from __future__ import annotations

from pathlib import Path

from ui.navigation import LOGIN_URL_PATH, PAGES, known_url_paths, pages_for, stray_url_paths


def _served(role: str) -> set[str]:
    return {p.url_path for specs in pages_for(role).values() for p in specs}


def test_every_page_address_is_known():
    assert {p.url_path for p in PAGES} <= known_url_paths()
    assert {LOGIN_URL_PATH, "tableau"} <= known_url_paths()


def test_a_trainee_catches_the_trainer_pages_but_not_its_own():
    stray = stray_url_paths(None, _served("trainee"))
    assert {"sessions", "corrections", "carte-competences", LOGIN_URL_PATH} <= stray
    assert not stray & _served("trainee")


def test_logged_out_every_known_address_leads_to_the_login():
    stray = stray_url_paths("http://127.0.0.1:8501/mur", {LOGIN_URL_PATH})
    assert "mur" in stray and "sessions" in stray and LOGIN_URL_PATH not in stray


def test_an_unknown_plain_address_is_caught_too():
    assert "nimporte-quoi" in stray_url_paths("http://127.0.0.1:8501/nimporte-quoi/", _served("trainer"))
    assert "typo" in stray_url_paths("https://atelier.example.fr/base/typo", _served("trainer"), "base")


def test_the_apps_own_path_behind_a_proxy_is_not_an_address_to_catch():
    assert "base" not in stray_url_paths("https://atelier.example.fr/base/", _served("trainer"), "/base/")
    assert "base" in stray_url_paths("https://atelier.example.fr/base/", _served("trainer"))


def test_odd_addresses_are_left_alone():
    for url in ("http://127.0.0.1:8501/", "http://127.0.0.1:8501", "http://h/%3Cscript%3E", "http://h/a.b"):
        assert stray_url_paths(url, set()) == known_url_paths(), url
    assert stray_url_paths("http://h/" + "x" * 81, set()) == known_url_paths()


def test_no_streamlit_pages_folder_next_to_app():
    """Streamlit 1.x runs a ``pages/`` folder beside the main script as its old automatic menu until
    ``st.navigation`` has run once in the process: after each restart the first visits ran a screen on
    its own (no login, English file names as the menu, « Page not found »). Screens live in
    ``screens/``, and every page of the menu is one of them."""
    root = Path(__file__).resolve().parents[1]
    assert not (root / "pages").exists()
    assert all((root / p.path).is_file() and p.path.startswith("screens/") for p in PAGES)
