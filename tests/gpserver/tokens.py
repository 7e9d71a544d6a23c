"""Token security as ArcGIS Server does it: ``generateToken`` and the 498/499 checks.

Tokens are bound the way the client asked (``client=requestip|ip|referer``), expire after
``expiration`` minutes (or a shorter lifetime a test forces), and are read from the
``token`` parameter or the ``X-Esri-Authorization: Bearer`` header.

A federated server trusts its portal: the portal's ``generateToken`` logs users in
(``{token, expires, ssl}``, a *portal* token) and exchanges a portal token for a *server*
token (``serverUrl`` + ``token``: ``{token, expires}``). The server's services take server
tokens, and portal tokens only when issued with ``client=referer`` and sent with that
``Referer``, as Esri documents.
"""

from __future__ import annotations

import secrets
import threading
import time
from dataclasses import dataclass

from .errors import RestError, invalid_token

MAX_EXPIRATION_MINUTES = 60 * 24 * 14


@dataclass
class Token:
    value: str
    user: str
    expires: float  # epoch seconds
    client: str
    bound_to: str | None  # the IP or the referer the token is bound to
    kind: str = "server"  # "server" (the server's or an exchanged one) or "portal"


def token_from_request(params: dict[str, str], headers: dict[str, str]) -> str | None:
    """The token a request carries: form/query ``token`` first, then the Esri header, then
    ``Authorization: Bearer`` (taken by servers without web-tier authentication, as Esri
    documents; what QGIS's OAuth2 method writes by default)."""
    token = params.get("token")
    if token:
        return token.strip()
    lowered = {name.lower(): raw for name, raw in headers.items()}
    if "x-esri-authorization" in lowered:
        value = lowered["x-esri-authorization"].strip()
        if value.lower().startswith("bearer "):
            value = value[7:].strip()
        return value or None
    bearer = lowered.get("authorization", "").strip()
    if bearer.lower().startswith("bearer "):
        return bearer[7:].strip() or None
    return None


class TokenService:
    def __init__(self, users: dict[str, str]) -> None:
        self.users = dict(users)
        self._tokens: dict[str, Token] = {}
        self._lock = threading.Lock()

    def generate(
        self,
        params: dict[str, str],
        remote_addr: str,
        lifetime_override: float | None = None,
        kind: str = "server",
    ) -> dict[str, object]:
        """The body of a generateToken answer (raises :class:`RestError` when refused)."""
        username, password = params.get("username", ""), params.get("password", "")
        client = (params.get("client") or "requestip").lower()
        missing = [
            f"'{k}' must be specified." for k in ("username", "password") if not params.get(k)
        ]
        if client == "referer" and not params.get("referer"):
            missing.append("'referer' must be specified.")
        if client == "ip" and not params.get("ip"):
            missing.append("'ip' must be specified.")
        if missing:
            raise RestError(400, "Unable to generate token.", missing)
        if self.users.get(username) != password:
            raise RestError(400, "Unable to generate token.", ["Invalid username or password."])
        try:
            minutes = float(params.get("expiration") or 60)
        except ValueError:
            raise RestError(400, "Unable to generate token.", ["Invalid expiration."]) from None
        lifetime = min(max(minutes, 1.0), MAX_EXPIRATION_MINUTES) * 60.0
        if lifetime_override is not None:
            lifetime = lifetime_override
        bound_to = {"referer": params.get("referer"), "ip": params.get("ip")}.get(
            client, remote_addr
        )
        token = self._issue(username, lifetime, client, bound_to, kind)
        return {"token": token.value, "expires": int(token.expires * 1000), "ssl": False}

    def issue(self, user: str, lifetime: float, *, client: str, kind: str) -> Token:
        """A token not bound to an IP or referer (an OAuth access token, ``client="oauth"``)."""
        return self._issue(user, lifetime, client, None, kind)

    def _issue(
        self, user: str, lifetime: float, client: str, bound_to: str | None, kind: str
    ) -> Token:
        token = Token(
            value=secrets.token_urlsafe(48),
            user=user,
            expires=time.time() + lifetime,
            client=client,
            bound_to=bound_to,
            kind=kind,
        )
        with self._lock:
            self._tokens[token.value] = token
        return token

    def exchange(
        self,
        params: dict[str, str],
        referer: str | None,
        remote_addr: str,
        server_context_url: str,
        lifetime_override: float | None = None,
    ) -> dict[str, object]:
        """A server token for a valid portal token (the portal's ``serverUrl`` exchange).

        ``serverUrl`` must be the federated server (its context URL or below it); the
        answer has no ``ssl``, as a real portal's. The server token lives no longer than
        the portal token, and is bound to the caller's IP.
        """
        server_url = (params.get("serverUrl") or "").strip().rstrip("/")
        context = server_context_url.rstrip("/")
        if not server_url.lower().startswith(context.lower()):
            raise RestError(
                400, "Unable to generate token.", [f"Invalid serverUrl '{server_url}'."]
            )
        portal_token = self._valid(params.get("token", ""), referer, remote_addr)
        if portal_token.kind != "portal":
            raise invalid_token()
        lifetime = portal_token.expires - time.time()
        if lifetime_override is not None:
            lifetime = min(lifetime, lifetime_override)
        token = self._issue(portal_token.user, lifetime, "requestip", remote_addr, "server")
        return {"token": token.value, "expires": int(token.expires * 1000)}

    def check(
        self,
        value: str,
        referer: str | None,
        remote_addr: str,
        *,
        federated: bool = False,
        portal_hosted: bool = False,
    ) -> Token:
        """The valid token, or :func:`invalid_token` (unknown, expired, wrong binding).

        ``federated``: the check of a federated server's service, which takes portal
        tokens only when they are bound to a referer (and sent with it); a standalone
        server knows no portal tokens at all. ``portal_hosted``: a server the portal
        hosts, as ArcGIS Online's are, takes every portal token (OAuth ones included).
        """
        token = self._valid(value, referer, remote_addr)
        if token.kind == "portal" and not (
            portal_hosted or (federated and token.client == "referer")
        ):
            raise invalid_token()
        return token

    def _valid(self, value: str, referer: str | None, remote_addr: str) -> Token:
        """A known token, not expired, used the way it is bound (else 498)."""
        with self._lock:
            token = self._tokens.get(value)
        if token is None or token.expires < time.time():
            raise invalid_token()
        if token.client == "referer" and (referer or "") != token.bound_to:
            raise invalid_token()
        if token.client in ("requestip", "ip") and token.bound_to != remote_addr:
            raise invalid_token()
        return token

    def issued(self) -> list[str]:
        """Every token handed out and still remembered (secret checks look for them)."""
        with self._lock:
            return list(self._tokens)

    def revoke(self, value: str) -> None:
        """Forget one token (an administrator revoked it, or it was replaced)."""
        with self._lock:
            self._tokens.pop(value, None)

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()
