"""Who the client is: the token provider protocol, and the providers that need no login.

A provider answers two questions for every request: which extra headers to send
(:meth:`TokenProvider.headers`) and which token (:meth:`TokenProvider.token`).
The transport decides *where* the token goes (a form field or the
``X-Esri-Authorization`` header, never the query string) and calls
:meth:`TokenProvider.invalidate` then asks again when the server answers
498/499/401. The providers that log in or exchange tokens (``generateToken``, a
portal's tokens for a federated server) live in :mod:`.logins`.

Tokens and passwords never appear in a ``repr``, a log line or an error.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class TokenSite:
    """What a token provider may use of the server it logs in to, handed over by the
    transport so that providers need nothing else of it.

    ``post_form(url, form, secrets)`` POSTs a login form without credentials (the
    form carries its own) and returns the JSON answer, or raises the server's error
    with ``secrets`` scrubbed; ``get_info()`` returns the server's ``/rest/info``.
    """

    #: ``https://host/arcgis``: a server token is asked for this URL.
    context_url: str
    get_info: Callable[[], Mapping[str, Any]]
    post_form: Callable[[str, Mapping[str, str], Sequence[str | None]], Mapping[str, Any]]
    #: A password may travel over plain http (a test server on a trusted network).
    allow_insecure_http: bool = False
    #: The client's ``Referer``, which a token may be bound to.
    referer: str | None = None


@runtime_checkable
class TokenProvider(Protocol):
    """What the transport asks of an authentication method."""

    #: ``True`` when :meth:`invalidate` followed by :meth:`token` can yield a new token.
    renewable: bool

    def token(self, site: TokenSite) -> str | None:
        """The token to send now (``None``: send none)."""

    def headers(self, site: TokenSite) -> Mapping[str, str]:
        """Extra headers for every request to the server."""

    def invalidate(self) -> None:
        """Forget the current token (the server rejected it)."""


def refused_hint(provider: object) -> str | None:
    """What a user should do when the server refuses the provider's credentials.

    Providers may carry a ``refused_hint`` attribute (text naming the connection and
    the place to fix it); the transport adds it to the error of a request refused
    even after the credentials were asked for again.
    """
    hint = getattr(provider, "refused_hint", None)
    return hint if isinstance(hint, str) and hint else None


class NoAuth:
    """Anonymous access."""

    renewable = False

    def token(self, site: TokenSite) -> str | None:
        """No token."""
        return None

    def headers(self, site: TokenSite) -> Mapping[str, str]:
        """No headers."""
        return {}

    def invalidate(self) -> None:
        """Nothing to forget."""


class StaticToken:
    """A token obtained elsewhere (a QGIS EsriToken config, a script); never renewed."""

    renewable = False

    def __init__(self, token: str) -> None:
        self._token = token.strip()

    def token(self, site: TokenSite) -> str | None:
        """The fixed token."""
        return self._token or None

    def headers(self, site: TokenSite) -> Mapping[str, str]:
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

    def token(self, site: TokenSite) -> str | None:
        """No token field: the headers carry the credentials."""
        return None

    def headers(self, site: TokenSite) -> Mapping[str, str]:
        """The stored headers."""
        return dict(self._headers)

    def invalidate(self) -> None:
        """Headers cannot be renewed here."""

    def __repr__(self) -> str:
        return f"HeaderAuth(<{len(self._headers)} hidden headers>)"
