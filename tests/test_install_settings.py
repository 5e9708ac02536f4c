"""Install settings saved in the app: encrypted secrets, a layer under the environment and secrets."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from workbench.db import session_scope
from workbench.errors import AccessDenied
from workbench.install_settings import InstallSetting, save_settings, saved_settings
from workbench.settings import get_settings, load_settings, with_install_values


def test_a_saved_key_is_encrypted_used_and_never_given_back(people) -> None:
    with session_scope() as s:
        save_settings(
            s,
            people.trainer,
            {
                "translation.provider": "deepl",
                "translation.api_key": "cle-secrete-123:fx",
                "smtp.port": "2525",
            },
        )
    with session_scope() as s:
        stored = s.scalar(select(InstallSetting.value).where(InstallSetting.name == "translation.api_key"))
        saved = saved_settings(s, people.trainer)
    assert stored and "cle-secrete-123" not in stored
    assert "translation.api_key" in saved.secrets_saved
    assert "cle-secrete-123:fx" not in repr(saved)
    settings = get_settings()
    assert settings.translation.provider == "deepl"
    assert settings.translation.api_key == "cle-secrete-123:fx"
    assert settings.smtp.port == 2525

    with session_scope() as s:  # an empty secret keeps the saved one, None forgets it
        save_settings(s, people.trainer, {"translation.api_key": ""})
    assert get_settings().translation.api_key == "cle-secrete-123:fx"
    with session_scope() as s:
        save_settings(s, people.trainer, {"translation.api_key": None})
    assert get_settings().translation.api_key == ""


def test_a_secret_saved_under_another_install_key_is_ignored(people, monkeypatch) -> None:
    with session_scope() as s:
        save_settings(s, people.trainer, {"smtp.password": "mot-de-passe"})
    monkeypatch.setenv("ATELIER_SECRET_KEY", "another-install-key")
    get_settings.cache_clear()
    assert get_settings().smtp.password == ""


def test_the_environment_wins_over_saved_settings(people, monkeypatch) -> None:
    monkeypatch.setenv("ATELIER_TRANSLATION_PROVIDER", "mymemory")
    get_settings.cache_clear()
    with session_scope() as s:
        save_settings(s, people.trainer, {"translation.provider": "deepl", "smtp.host": "smtp.example.org"})
        assert "translation.provider" in saved_settings(s, people.trainer).fixed
    settings = get_settings()
    assert settings.translation.provider == "mymemory"
    assert settings.smtp.host == "smtp.example.org"


def test_a_trainee_can_neither_read_nor_save_settings(people) -> None:
    with session_scope() as s, pytest.raises(AccessDenied):
        save_settings(s, people.alice, {"smtp.host": "evil.example.org"})
    with session_scope() as s, pytest.raises(AccessDenied):
        saved_settings(s, people.alice)


def test_values_saved_by_another_process_are_read_after_the_cache_time(people, monkeypatch) -> None:
    from workbench import settings as settings_module

    assert get_settings().smtp.host == ""
    with session_scope() as s:  # another app process saves: this one's cache is not cleared
        s.add(InstallSetting(name="smtp.host", value="smtp.example.org"))
        s.add(InstallSetting(name="smtp.port", value="not-a-number"))  # skipped, never a crash
        s.add(InstallSetting(name="database_url", value="sqlite:///elsewhere.db"))  # not settable here
    assert get_settings().smtp.host == ""  # still cached
    monkeypatch.setattr(settings_module, "INSTALL_SETTINGS_TTL_S", 0.0)
    settings = get_settings()
    assert settings.smtp.host == "smtp.example.org" and settings.smtp.port == 587
    assert settings.database_url != "sqlite:///elsewhere.db"


def test_the_secrets_file_wins_over_saved_settings_too(tmp_path) -> None:
    secrets_file = tmp_path / "secrets.toml"
    secrets_file.write_text('demo_content = true\n[smtp]\nhost = "smtp.secrets.example"\n', encoding="utf-8")
    base = load_settings(secrets_file)
    assert {"smtp.host", "demo_content"} <= base.fixed and "smtp.port" not in base.fixed
    merged = with_install_values(
        base, {"smtp.host": "smtp.app.example", "smtp.port": "2525", "demo_content": "false"}
    )
    assert merged.smtp.host == "smtp.secrets.example" and merged.smtp.port == 2525 and merged.demo_content
