"""Token security as ArcGIS Server does it: ``generateToken`` and the 498/499 checks.

Tokens are bound the way the client asked (``client=requestip|ip|referer``), expire after
``expiration`` minutes (or a shorter lifetime a test forces), and are read from the
``token`` parameter or the ``X-Esri-Authorization: Bearer`` header.
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


def token_from_request(params: dict[str, str], headers: dict[str, str]) -> str | None:
    """The token a request carries: form/query ``token`` first, then the Esri header."""
    token = params.get("token")
    if token:
        return token.strip()
    for name, raw in headers.items():
        if name.lower() == "x-esri-authorization":
            value = raw.strip()
            if value.lower().startswith("bearer "):
                value = value[7:].strip()
            return value or None
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
        token = Token(
            value=secrets.token_urlsafe(48),
            user=username,
            expires=time.time() + lifetime,
            client=client,
            bound_to=bound_to,
        )
        with self._lock:
            self._tokens[token.value] = token
        return {"token": token.value, "expires": int(token.expires * 1000), "ssl": False}

    def check(self, value: str, referer: str | None, remote_addr: str) -> Token:
        """The valid token, or :func:`invalid_token` (unknown, expired, wrong binding)."""
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

    def revoke_all(self) -> None:
        with self._lock:
            self._tokens.clear()
