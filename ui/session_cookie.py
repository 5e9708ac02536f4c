"""The login cookie, set and cleared by the server so that it is HttpOnly (no script can read it).

A Streamlit script talks to the browser over a WebSocket and cannot send ``Set-Cookie``. So the
app is served through ``st.App`` (``serve.py``) with two small HTTP routes of its own:

- ``POST /auth/session`` takes a *handoff*: the new session's token, signed with a timestamp and
  valid ``HANDOFF_SECONDS``; it answers with the HttpOnly cookie (``SameSite=Strict``, ``Secure``
  over https, ``Max-Age`` = the session's lifetime). The page posts it with ``fetch`` right after
  the login, so a script of the page only ever holds a credential that is dead a minute later,
  never the cookie itself.
- ``POST /auth/logout`` clears the cookie (the server-side session is ended before).

Both refuse a request whose ``Origin`` is another site. The cookie's value is the session token
signed with the installation's key; the token names a server-side ``AuthSession`` row that
expires, and that logout and password changes revoke.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from itsdangerous import BadSignature, SignatureExpired, URLSafeSerializer, URLSafeTimedSerializer
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from workbench.settings import get_settings

COOKIE = "atelier_session"
SESSION_PATH = "/auth/session"
LOGOUT_PATH = "/auth/logout"
HANDOFF_SECONDS = 60


def cookie_serializer() -> URLSafeSerializer:
    return URLSafeSerializer(get_settings().secret_key, salt="atelier-session")


def _handoff_serializer() -> URLSafeTimedSerializer:
    return URLSafeTimedSerializer(get_settings().secret_key, salt="atelier-session-handoff")


def handoff_for(token: str) -> str:
    """What the page posts to ``SESSION_PATH`` to get the cookie for this session token."""
    return _handoff_serializer().dumps(token)


def token_from_cookie(raw: str | None) -> str | None:
    """The session token a cookie value carries, or None when it is missing or not ours."""
    if not raw:
        return None
    try:
        return cookie_serializer().loads(raw)
    except BadSignature:
        return None


def _same_origin(request: Request) -> bool:
    origin = request.headers.get("origin")
    return origin is None or urlsplit(origin).netloc == request.headers.get("host", "")


def _secure(request: Request) -> bool:
    return request.url.scheme == "https" or get_settings().public_base_url.startswith("https://")


def _cookie(response: Response, request: Request, value: str, max_age: int) -> None:
    response.set_cookie(
        COOKIE,
        value,
        max_age=max_age,
        path="/",
        httponly=True,
        samesite="strict",
        secure=_secure(request),
    )


async def start_cookie(request: Request) -> Response:
    if not _same_origin(request):
        return Response("Origine refusée.", status_code=403)
    form = await request.form()
    try:
        token = _handoff_serializer().loads(str(form.get("handoff", "")), max_age=HANDOFF_SECONDS)
    except (BadSignature, SignatureExpired):
        return Response("Connexion expirée : reconnectez-vous.", status_code=400)
    response = Response(status_code=204)
    _cookie(response, request, cookie_serializer().dumps(token), get_settings().session_days * 86400)
    return response


async def clear_cookie(request: Request) -> Response:
    if not _same_origin(request):
        return Response("Origine refusée.", status_code=403)
    response = Response(status_code=204)
    _cookie(response, request, "", 0)
    return response


ROUTES = [
    Route(SESSION_PATH, start_cookie, methods=["POST"]),
    Route(LOGOUT_PATH, clear_cookie, methods=["POST"]),
]
