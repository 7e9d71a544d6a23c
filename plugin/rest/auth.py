"""Who the client is: ArcGIS tokens and ready-made headers.

A provider answers two questions for every request: which extra headers to send
(:meth:`TokenProvider.headers`) and which token (:meth:`TokenProvider.token`).
The transport decides *where* the token goes (a form field or the
``X-Esri-Authorization`` header, never the query string) and calls
:meth:`TokenProvider.invalidate` then asks again when the server answers
498/499, which is how :class:`GenerateTokenProvider` renews.

Tokens and passwords never appear in a ``repr``, a log line or an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Mapping
from typing import TYPE_CHECKING, Protocol, runtime_checkable
from urllib.parse import urlsplit

from .errors import ArcGisAuthError, ArcGisServerError, InsecureTransportError

if TYPE_CHECKING:
    from .transport import Transport


@runtime_checkable
class TokenProvider(Protocol):
    """What the transport asks of an authentication method."""

    #: ``True`` when :meth:`invalidate` followed by :meth:`token` can yield a new token.
    renewable: bool

    def token(self, transport: Transport) -> str | None:
        """The token to send now (``None``: send none)."""

    def headers(self, transport: Transport) -> Mapping[str, str]:
        """Extra headers for every request to the server."""

    def invalidate(self) -> None:
        """Forget the current token (the server rejected it)."""


class NoAuth:
    """Anonymous access."""

    renewable = False

    def token(self, transport: Transport) -> str | None:
        """No token."""
        return None

    def headers(self, transport: Transport) -> Mapping[str, str]:
        """No headers."""
        return {}

    def invalidate(self) -> None:
        """Nothing to forget."""


class StaticToken:
    """A token obtained elsewhere (a QGIS EsriToken config, a script); never renewed."""

    renewable = False

    def __init__(self, token: str) -> None:
        self._token = token.strip()

    def token(self, transport: Transport) -> str | None:
        """The fixed token."""
        return self._token or None

    def headers(self, transport: Transport) -> Mapping[str, str]:
        """No headers."""
        return {}

    def invalidate(self) -> None:
        """A static token cannot be renewed; the next 498 is raised to the caller."""

    def __repr__(self) -> str:
        return "StaticToken(<hidden>)"


class HeaderAuth:
    """Fixed headers, e.g. copied from the QGIS authentication manager.

    QGIS's EsriToken method writes ``X-Esri-Authorization: Bearer <token> `` with a
    trailing space; values are stripped.
    """

    renewable = False

    def __init__(self, headers: Mapping[str, str]) -> None:
        self._headers = {str(k).strip(): str(v).strip() for k, v in headers.items()}

    def token(self, transport: Transport) -> str | None:
        """No token field: the headers carry the credentials."""
        return None

    def headers(self, transport: Transport) -> Mapping[str, str]:
        """The stored headers."""
        return dict(self._headers)

    def invalidate(self) -> None:
        """Headers cannot be renewed here."""

    def __repr__(self) -> str:
        return f"HeaderAuth(<{len(self._headers)} hidden headers>)"


class GenerateTokenProvider:
    """Username and password exchanged for a token through ``generateToken``.

    The token URL comes from ``/rest/info`` (``authInfo.tokenServicesUrl``) unless
    given. The token is renewed a little before it expires and whenever the
    server rejects it. Passwords are only ever sent by POST over https, unless
    the client allows plain http (a test server on 127.0.0.1).
    """

    renewable = True

    #: Renew when less than this part of the lifetime (and 60 s at most) remains.
    RENEW_MARGIN = 0.1

    def __init__(
        self,
        username: str,
        password: str,
        token_url: str | None = None,
        referer: str | None = None,
        expiration_minutes: int = 60,
    ) -> None:
        self.username = username
        self._password = password
        self.token_url = token_url
        self.referer = referer
        self.expiration_minutes = expiration_minutes
        self._token: str | None = None
        self._expires_at = 0.0
        self._lock = threading.Lock()

    def __repr__(self) -> str:
        return f"GenerateTokenProvider(username={self.username!r}, password=<hidden>)"

    def headers(self, transport: Transport) -> Mapping[str, str]:
        """A token bound to a referer is only valid with that ``Referer`` header."""
        return {"Referer": self.referer} if self.referer else {}

    def invalidate(self) -> None:
        """Drop the token; the next :meth:`token` call fetches a new one."""
        with self._lock:
            self._token = None
            self._expires_at = 0.0

    def token(self, transport: Transport) -> str | None:
        """A valid token, fetched or renewed as needed (thread-safe)."""
        with self._lock:
            if self._token and time.time() < self._expires_at:
                return self._token
            self._token, lifetime = self._generate(transport)
            margin = min(60.0, lifetime * self.RENEW_MARGIN)
            self._expires_at = time.time() + max(lifetime - margin, 0.0)
            return self._token

    def _discover_token_url(self, transport: Transport) -> str:
        if self.token_url:
            return self.token_url
        info = transport.get_json(transport.server.info_url, {"f": "json"}, authenticate=False)
        auth_info = info.get("authInfo") if isinstance(info, Mapping) else None
        url = auth_info.get("tokenServicesUrl") if isinstance(auth_info, Mapping) else None
        if isinstance(url, str) and url.strip():
            self.token_url = url.strip()
        else:
            # Servers that hide authInfo still answer at the documented place.
            self.token_url = transport.server.context_url + "/tokens/generateToken"
        return self.token_url

    def _generate(self, transport: Transport) -> tuple[str, float]:
        url = self._discover_token_url(transport)
        if urlsplit(url).scheme.lower() != "https" and not transport.allow_insecure_http:
            raise InsecureTransportError(
                "the token service is not on https; pass allow_insecure_http=True "
                "to allow this on a trusted network",
                url=url,
            )
        referer = self.referer or transport.referer
        form = {
            "username": self.username,
            "password": self._password,
            "client": "referer" if referer else "requestip",
            "expiration": str(int(self.expiration_minutes)),
            "f": "json",
        }
        if referer:
            form["referer"] = referer
        try:
            answer = transport.post_json(
                url, form, authenticate=False, idempotent=True, secrets=(self._password,)
            )
        except ArcGisServerError as error:
            if isinstance(error, ArcGisAuthError):
                raise
            # "Unable to generate token. / Invalid username or password." is a login
            # failure, whatever code the server put on it.
            raise ArcGisAuthError(
                f"could not log in as '{self.username}': {error.message}",
                code=error.code,
                details=error.details,
                url=error.url,
            ) from None
        token = answer.get("token") if isinstance(answer, Mapping) else None
        if not isinstance(token, str) or not token:
            raise ArcGisAuthError("the token service returned no token", url=url)
        lifetime = self.expiration_minutes * 60.0
        expires = answer.get("expires")
        if isinstance(expires, (int, float)) and not isinstance(expires, bool) and expires > 0:
            # ``expires`` is epoch milliseconds and wins over what we asked for, unless
            # the clocks disagree so much that it looks past (a 498 renews then).
            remaining = expires / 1000.0 - time.time()
            if remaining > 0:
                lifetime = remaining
        return token, lifetime
