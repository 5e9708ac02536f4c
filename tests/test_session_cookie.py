"""The login cookie's HTTP routes: HttpOnly, SameSite=Strict, bounded, set only from a fresh handoff."""

from __future__ import annotations

import time

import pytest
from starlette.applications import Starlette
from starlette.testclient import TestClient

from ui import session_cookie
from ui.session_cookie import COOKIE, LOGOUT_PATH, ROUTES, SESSION_PATH, handoff_for, token_from_cookie


@pytest.fixture
def client() -> TestClient:
    return TestClient(Starlette(routes=ROUTES), base_url="http://atelier.test")


def _set_cookie(response) -> str:
    return response.headers.get("set-cookie", "")


def test_a_fresh_handoff_sets_an_httponly_strict_cookie(client) -> None:
    response = client.post(SESSION_PATH, data={"handoff": handoff_for("jeton-123")})
    assert response.status_code == 204
    header = _set_cookie(response)
    assert header.startswith(f"{COOKIE}=")
    attributes = {part.strip().split("=")[0].lower() for part in header.split(";")}
    assert {"httponly", "path", "max-age", "samesite"} <= attributes and "secure" not in attributes
    assert "samesite=strict" in header.lower() and "max-age=1209600" in header.lower()  # 14 days
    assert token_from_cookie(response.cookies[COOKIE]) == "jeton-123"


def test_https_makes_the_cookie_secure() -> None:
    client = TestClient(Starlette(routes=ROUTES), base_url="https://atelier.test")
    response = client.post(SESSION_PATH, data={"handoff": handoff_for("jeton-123")})
    assert "secure" in _set_cookie(response).lower()


def test_stale_forged_or_cross_site_handoffs_set_nothing(client, monkeypatch) -> None:
    stale = handoff_for("jeton-123")
    real_time = time.time
    monkeypatch.setattr(time, "time", lambda: real_time() + session_cookie.HANDOFF_SECONDS + 5)
    assert client.post(SESSION_PATH, data={"handoff": stale}).status_code == 400
    monkeypatch.setattr(time, "time", real_time)
    for handoff in ("", "jeton-123", stale + "x"):
        response = client.post(SESSION_PATH, data={"handoff": handoff})
        assert response.status_code == 400 and not _set_cookie(response)
    response = client.post(
        SESSION_PATH, data={"handoff": handoff_for("jeton-123")}, headers={"Origin": "https://evil.example"}
    )
    assert response.status_code == 403 and not _set_cookie(response)
    assert client.get(SESSION_PATH).status_code == 405  # a link or an image cannot log anyone in


def test_logout_clears_the_cookie(client) -> None:
    response = client.post(LOGOUT_PATH)
    assert response.status_code == 204
    header = _set_cookie(response).lower()
    assert header.startswith(f"{COOKIE}=") and "max-age=0" in header and "httponly" in header
