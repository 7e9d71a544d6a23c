"""The portal's OAuth 2.0 endpoints, as ArcGIS Online and ArcGIS Enterprise answer them.

``/portal/sharing/rest/oauth2/authorize`` is the sign-in page a browser is sent to; its
form posts to ``…/oauth2/signin``, which redirects to the app's ``redirect_uri`` with a
``code`` (``response_type=code``) or, in the URL fragment, an ``access_token``
(``response_type=token``, the implicit grant). ``…/oauth2/token`` hands out tokens for the
grant types Esri documents (REST API reference, "Token", ``/oauth2/token``):

===========================  ==========================================================
``authorization_code``       ``client_id``, ``code``, ``redirect_uri`` (the one of the
                             authorize step) and, when the authorize step carried a PKCE
                             ``code_challenge``, ``code_verifier``; no client secret
``refresh_token``            ``client_id``, ``refresh_token``: a new access token only
``exchange_refresh_token``   ``client_id``, ``redirect_uri``, ``refresh_token``: a new
                             refresh token too
``client_credentials``       ``client_id``, ``client_secret``: an app token (no user)
===========================  ==========================================================

There is no ``password`` grant (Resource Owner Password Credentials): ArcGIS does not
offer it, so this portal refuses it as it refuses any other grant type.

Answers: ``{access_token, expires_in (seconds), username, ssl, refresh_token,
refresh_token_expires_in}`` for a code; ``{access_token, expires_in, username, ssl}`` for
a refresh. Errors have the portal's OAuth shape, ``{"error": {"code", "error",
"error_description", "message"}}`` (seen in a public ArcGIS REST JS issue: code 400,
``invalid_request``, "redirect_uri not specified"); an unknown, used or expired code or
refresh token is code 498 ``invalid_request``.

Access tokens are portal tokens (``tokens.py``): a federated server takes them only
through the ``serverUrl`` exchange, a server the portal hosts (``portal_hosted``, as
ArcGIS Online's servers are) takes them as they are, in the ``token`` field or an
``Authorization``/``X-Esri-Authorization: Bearer`` header. ``access_lifetime`` (seconds)
makes them short-lived so that a client's refreshes happen during a test.
"""

from __future__ import annotations

import base64
import hashlib
import html
import secrets
import threading
import time
from dataclasses import dataclass, field
from urllib.parse import urlencode

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from .call import Call, render
from .errors import RestError
from .tokens import TokenService

#: ArcGIS's defaults: access tokens for 30 minutes, refresh tokens for two weeks.
DEFAULT_ACCESS_LIFETIME = 30 * 60.0
DEFAULT_REFRESH_LIFETIME = 14 * 24 * 3600.0
#: An authorization code is good for one exchange, within a few minutes.
CODE_LIFETIME = 5 * 60.0
#: The app every test portal knows: a public client (no secret) redirecting to QGIS's
#: default OAuth2 listener.
DEFAULT_CLIENT_ID = "arcgisGpQgisTests"
DEFAULT_REDIRECT_URI = "http://127.0.0.1:7070/"


class OAuthError(RestError):
    """An OAuth refusal: ``{"error": {"code", "error", "error_description", "message"}}``."""

    def __init__(self, code: int, error: str, description: str) -> None:
        super().__init__(code, description)
        self.error = error

    def to_json(self) -> dict[str, object]:
        return {
            "error": {
                "code": self.code,
                "error": self.error,
                "error_description": self.message,
                "message": self.message,
            }
        }


def _invalid(description: str, code: int = 400) -> OAuthError:
    return OAuthError(code, "invalid_request", description)


@dataclass
class App:
    """A registered application (portal item of type Application)."""

    client_id: str
    redirect_uris: list[str]
    secret: str | None = None

    def allows(self, redirect_uri: str) -> bool:
        wanted = redirect_uri.rstrip("/")
        return any(wanted == uri.rstrip("/") for uri in self.redirect_uris)


@dataclass
class _Grant:
    """What a sign-in granted, waiting for its code or refresh token to be redeemed."""

    client_id: str
    user: str
    redirect_uri: str
    expires: float
    challenge: str | None = None
    challenge_method: str = "plain"


@dataclass
class OAuthService:
    """Apps, codes and refresh tokens; access tokens live in the portal's TokenService."""

    tokens: TokenService
    users: dict[str, str]
    apps: dict[str, App] = field(default_factory=dict)
    #: Seconds an access token lives (None: ArcGIS's 30 minutes).
    access_lifetime: float | None = None
    #: Seconds a refresh token lives (None: two weeks).
    refresh_lifetime: float | None = None
    _codes: dict[str, _Grant] = field(default_factory=dict)
    _refresh: dict[str, _Grant] = field(default_factory=dict)
    _pending: dict[str, dict[str, str]] = field(default_factory=dict)
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def __post_init__(self) -> None:
        self.register(DEFAULT_CLIENT_ID, [DEFAULT_REDIRECT_URI])

    def register(self, client_id: str, redirect_uris: list[str], secret: str | None = None) -> App:
        """Register (or replace) an application, as "Add item > Application" does."""
        app = App(client_id, list(redirect_uris), secret)
        self.apps[client_id] = app
        return app

    def refresh_tokens(self) -> list[str]:
        """Every refresh token handed out (secret checks look for them)."""
        with self._lock:
            return list(self._refresh)

    def revoke_refresh_tokens(self) -> None:
        """The user's refresh tokens are revoked (an administrator, a password change)."""
        with self._lock:
            self._refresh.clear()

    # authorize -----------------------------------------------------------------------
    def begin(self, params: dict[str, str]) -> str:
        """Check an authorize request; the key of the sign-in it waits for."""
        app = self._app(params.get("client_id", ""))
        redirect_uri = (params.get("redirect_uri") or "").strip()
        if not redirect_uri:
            raise _invalid("redirect_uri not specified")
        if not app.allows(redirect_uri):
            raise _invalid("Invalid redirect_uri")
        response_type = params.get("response_type") or ""
        if response_type not in ("code", "token"):
            raise _invalid("Invalid response_type")
        method = params.get("code_challenge_method") or "plain"
        if params.get("code_challenge") and method not in ("S256", "plain"):
            raise _invalid("Invalid code_challenge_method")
        key = secrets.token_urlsafe(24)
        with self._lock:
            self._pending[key] = dict(params)
        return key

    def sign_in(self, key: str, username: str, password: str) -> str:
        """The redirect URL after a sign-in (raises when the form is wrong or stale)."""
        with self._lock:
            request = self._pending.get(key)
        if request is None:
            raise _invalid("Invalid oauth_state")
        if not username or self.users.get(username) != password:
            raise OAuthError(400, "invalid_request", "Invalid username or password.")
        with self._lock:
            self._pending.pop(key, None)
        redirect_uri = request["redirect_uri"]
        state = {"state": request["state"]} if request.get("state") else {}
        if request["response_type"] == "token":
            token, lifetime = self._access_token(username)
            fragment = {
                "access_token": token,
                "expires_in": str(int(lifetime)),
                "username": username,
                "ssl": "false",
                **state,
            }
            return f"{redirect_uri}#{urlencode(fragment)}"
        code = secrets.token_urlsafe(32)
        grant = _Grant(
            client_id=request["client_id"],
            user=username,
            redirect_uri=redirect_uri,
            expires=time.time() + CODE_LIFETIME,
            challenge=request.get("code_challenge") or None,
            challenge_method=request.get("code_challenge_method") or "plain",
        )
        with self._lock:
            self._codes[code] = grant
        separator = "&" if "?" in redirect_uri else "?"
        return f"{redirect_uri}{separator}{urlencode({'code': code, **state})}"

    # token ---------------------------------------------------------------------------
    def token(self, params: dict[str, str]) -> dict[str, object]:
        """The answer of ``oauth2/token`` for one grant (raises :class:`OAuthError`)."""
        grant_type = params.get("grant_type") or ""
        if grant_type == "authorization_code":
            return self._redeem_code(params)
        if grant_type == "refresh_token":
            return self._redeem_refresh(params, exchange=False)
        if grant_type == "exchange_refresh_token":
            return self._redeem_refresh(params, exchange=True)
        if grant_type == "client_credentials":
            return self._app_token(params)
        raise _invalid("Invalid grant_type" if grant_type else "grant_type not specified")

    def _app(self, client_id: str) -> App:
        if not client_id:
            raise _invalid("client_id not specified")
        app = self.apps.get(client_id)
        if app is None:
            raise _invalid("Invalid client_id")
        return app

    def _redeem_code(self, params: dict[str, str]) -> dict[str, object]:
        app = self._app(params.get("client_id", ""))
        code = params.get("code") or ""
        if not code:
            raise _invalid("code not specified")
        redirect_uri = (params.get("redirect_uri") or "").strip()
        if not redirect_uri:
            raise _invalid("redirect_uri not specified")
        with self._lock:
            grant = self._codes.pop(code, None)  # one use only, right or wrong
        if grant is None or grant.expires < time.time() or grant.client_id != app.client_id:
            raise _invalid("Invalid authorization code", 498)
        if redirect_uri.rstrip("/") != grant.redirect_uri.rstrip("/"):
            raise _invalid("Invalid redirect_uri")
        if grant.challenge is not None:
            verifier = params.get("code_verifier") or ""
            if not verifier:
                raise _invalid("code_verifier not specified")
            if _challenge_of(verifier, grant.challenge_method) != grant.challenge:
                raise _invalid("Invalid code_verifier")
        refresh, refresh_lifetime = self._refresh_token(grant)
        return {
            **self._access_answer(grant.user),
            "refresh_token": refresh,
            "refresh_token_expires_in": int(refresh_lifetime),
        }

    def _redeem_refresh(self, params: dict[str, str], exchange: bool) -> dict[str, object]:
        app = self._app(params.get("client_id", ""))
        value = params.get("refresh_token") or ""
        if not value:
            raise _invalid("refresh_token not specified")
        if exchange and not (params.get("redirect_uri") or "").strip():
            raise _invalid("redirect_uri not specified")
        with self._lock:
            grant = self._refresh.get(value)
            if exchange and grant is not None:
                self._refresh.pop(value)
        if grant is None or grant.expires < time.time() or grant.client_id != app.client_id:
            raise _invalid("Invalid refresh_token", 498)
        answer = self._access_answer(grant.user)
        if exchange:
            refresh, lifetime = self._refresh_token(grant)
            answer.update(refresh_token=refresh, refresh_token_expires_in=int(lifetime))
        return answer

    def _app_token(self, params: dict[str, str]) -> dict[str, object]:
        app = self._app(params.get("client_id", ""))
        if not params.get("client_secret"):
            raise _invalid("client_secret not specified")
        if app.secret is None or params["client_secret"] != app.secret:
            raise _invalid("Invalid client_secret")
        token, lifetime = self._access_token(f"app:{app.client_id}")
        return {"access_token": token, "expires_in": int(lifetime)}

    def _access_token(self, user: str) -> tuple[str, float]:
        lifetime = self.access_lifetime or DEFAULT_ACCESS_LIFETIME
        return self.tokens.issue(user, lifetime, client="oauth", kind="portal").value, lifetime

    def _access_answer(self, user: str) -> dict[str, object]:
        token, lifetime = self._access_token(user)
        return {"access_token": token, "expires_in": int(lifetime), "username": user, "ssl": False}

    def _refresh_token(self, grant: _Grant) -> tuple[str, float]:
        lifetime = self.refresh_lifetime or DEFAULT_REFRESH_LIFETIME
        value = secrets.token_urlsafe(48)
        with self._lock:
            self._refresh[value] = _Grant(
                client_id=grant.client_id,
                user=grant.user,
                redirect_uri=grant.redirect_uri,
                expires=time.time() + lifetime,
            )
        return value, lifetime


def _challenge_of(verifier: str, method: str) -> str:
    """RFC 7636: S256 is BASE64URL(SHA256(verifier)) without padding; plain the verifier."""
    if method == "S256":
        digest = hashlib.sha256(verifier.encode("ascii", "replace")).digest()
        return base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")
    return verifier


# HTTP ------------------------------------------------------------------------------------
def handle(call: Call, operation: str) -> Response:
    """``oauth2/authorize`` (GET: the sign-in page), ``oauth2/signin`` (its form's POST),
    ``oauth2/token``."""
    f = "pjson" if (call.params.get("f") or "").lower() == "pjson" else "json"
    try:
        return _answer(call, operation, f)
    except OAuthError as error:  # JSON whatever ``f`` says, as the portal answers
        return render(error.to_json(), f)


def _answer(call: Call, operation: str, f: str) -> Response:
    service = call.state.oauth
    if operation == "token":
        return render(service.token(call.params), f)
    if operation == "authorize":
        key = service.begin(call.params)
        return _sign_in_page(call, key)
    if operation == "signin" and call.request.method == "POST":
        target = service.sign_in(
            call.params.get("oauth_state", ""),
            call.params.get("username", ""),
            call.params.get("password", ""),
        )
        return redirect(target, code=302)
    raise RestError(400, "Invalid URL", ["Invalid URL"])


def _sign_in_page(call: Call, key: str) -> Response:
    """The portal's sign-in form (what a browser shows; a test posts it with requests)."""
    action = f"{call.root}/portal/sharing/rest/oauth2/signin"
    page = (
        "<!DOCTYPE html><html><head><title>Sign in</title></head><body>"
        f'<form method="post" action="{html.escape(action)}">'
        f'<input type="hidden" name="oauth_state" value="{html.escape(key)}">'
        '<input name="username"><input name="password" type="password">'
        '<button type="submit">Sign In</button></form></body></html>'
    )
    return Response(page, mimetype="text/html")
