"""Logins: tokens from ``generateToken`` and headers from an application, renewed and,
for a server federated with a portal, exchanged.

:class:`GenerateTokenProvider` logs in with a username and password, and renews the
token before it expires and after a 498/499/401. :class:`HeaderProvider` asks its
application (QGIS's auth methods) for the headers at every request, so a token the
application refreshed is the next one sent. A server federated with a portal takes
its tokens from the portal: unless it is hosted by ArcGIS Online (which accepts the
portal token as it is), the portal token is exchanged for a token of the server's own
(``generateToken`` with ``serverUrl`` and ``token``).

Tokens and passwords never appear in a ``repr``, a log line or an error.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Mapping
from urllib.parse import urlsplit

from .auth import TokenSite
from .errors import ArcGisAuthError, ArcGisError, ArcGisServerError, InsecureTransportError


class HeaderProvider:
    """Headers asked for at every request, from a callable the application builds.

    QGIS's auth methods (EsriToken, OAuth2, API header ...) refresh their tokens on
    their own: copying their headers once would send a token that has expired. The
    callable is asked each time (it costs microseconds: no cache), and once more after
    the server refused what it gave (``invalidate`` then the transport's single retry).
    Values are stripped: QGIS's EsriToken method writes ``Bearer <token> ``.

    On a server federated with an ArcGIS Enterprise portal, a bearer token from the
    portal (an OAuth2 sign-in) is not taken by the server: it is exchanged for a server
    token at the portal's ``generateToken`` (``serverUrl`` + ``token``), once per portal
    token, and sent as ``X-Esri-Authorization``. A token the portal will not exchange
    (an EsriToken configuration holding a server token) is sent as it is. Servers of
    ArcGIS Online take the portal's token as it is.
    """

    renewable = True

    #: Exchange again when less than this many seconds of the server token remain.
    EXCHANGE_MARGIN = 60.0

    def __init__(
        self,
        fetch: Callable[[], Mapping[str, str]],
        refused_hint: str | None = None,
    ) -> None:
        self._fetch = fetch
        #: Added to the error when the server refuses the headers after a retry.
        self.refused_hint = refused_hint
        self._lock = threading.Lock()
        self._exchange_url: str | bool | None = False  # False: not asked yet
        #: portal token -> (server token or None: send as it is, valid until)
        self._exchanged: dict[str, tuple[str | None, float]] = {}

    def token(self, site: TokenSite) -> str | None:
        """No token field: the headers carry the credentials."""
        return None

    def headers(self, site: TokenSite) -> Mapping[str, str]:
        """The headers as the application gives them now (a portal token exchanged)."""
        headers = {str(k).strip(): str(v).strip() for k, v in self._fetch().items()}
        bearer = bearer_header(headers)
        if bearer is None:
            return headers
        name, portal_token = bearer
        url = self._portal_token_url(site)
        server_token = self._server_token(site, url, portal_token) if url else None
        if server_token is None:
            return headers
        del headers[name]
        headers["X-Esri-Authorization"] = f"Bearer {server_token}"
        return headers

    def _portal_token_url(self, site: TokenSite) -> str | None:
        """The portal's token URL when the server is federated (not ArcGIS Online)."""
        with self._lock:
            if self._exchange_url is not False:
                return self._exchange_url or None
        try:
            info = site.get_info()
        except ArcGisError:
            return None  # asked again next time
        owner = info.get("owningSystemUrl") if isinstance(info, Mapping) else None
        auth_info = info.get("authInfo") if isinstance(info, Mapping) else None
        url = auth_info.get("tokenServicesUrl") if isinstance(auth_info, Mapping) else None
        found: str | None = None
        if (
            isinstance(owner, str)
            and owner.strip()
            and isinstance(url, str)
            and _is_portal_token_url(url)
            and not (_is_arcgis_online(url) or _is_arcgis_online(owner))
        ):
            found = _portal_https(url.strip(), site)
        with self._lock:
            self._exchange_url = found
        return found

    def _server_token(self, site: TokenSite, url: str, portal_token: str) -> str | None:
        with self._lock:
            known = self._exchanged.get(portal_token)
        if known is not None and (known[0] is None or time.time() < known[1]):
            return known[0]
        form = {"token": portal_token, "serverUrl": site.context_url, "f": "json"}
        try:
            answer = site.post_form(url, form, (portal_token,))
        except ArcGisError:  # refused or unreachable: the token goes as QGIS gave it
            answer = {}
        token = answer.get("token") if isinstance(answer, Mapping) else None
        expires = answer.get("expires") if isinstance(answer, Mapping) else None
        if not isinstance(token, str) or not token:
            entry: tuple[str | None, float] = (None, 0.0)  # not a portal token: as it is
        else:
            until = time.time() + 3600.0
            if isinstance(expires, (int, float)) and not isinstance(expires, bool):
                until = expires / 1000.0
            entry = (token, until - min(self.EXCHANGE_MARGIN, max(until - time.time(), 0) / 10))
        with self._lock:
            self._exchanged = {portal_token: entry}  # the application's current token only
        return entry[0]

    def invalidate(self) -> None:
        """Forget exchanged tokens: the next request asks the application again."""
        with self._lock:
            self._exchanged.clear()

    def __repr__(self) -> str:
        return "HeaderProvider(<headers asked per request>)"


#: Hosts of ArcGIS Online, whose hosted servers accept the portal's token as it is.
ARCGIS_ONLINE_DOMAIN = "arcgis.com"


def is_arcgis_online_host(host: str) -> bool:
    """Whether a host name (a port after ``:`` ignored) is ArcGIS Online's: its hosted
    services take the portal's token as it is."""
    name = host.split(":", maxsplit=1)[0].lower()
    return name == ARCGIS_ONLINE_DOMAIN or name.endswith("." + ARCGIS_ONLINE_DOMAIN)


def _is_arcgis_online(url: str) -> bool:
    return is_arcgis_online_host(urlsplit(url).hostname or "")


def _is_portal_token_url(url: str) -> bool:
    """``…/sharing/rest/generateToken`` or the legacy ``…/sharing/generateToken``."""
    return "/sharing/" in urlsplit(url).path.lower()


class GenerateTokenProvider:
    """Username and password exchanged for a token through ``generateToken``.

    The token URL comes from ``/rest/info`` (``authInfo.tokenServicesUrl``) unless
    given. The token is renewed a little before it expires and whenever the
    server rejects it. Passwords are only ever sent by POST over https, unless
    the client allows plain http (a test server on 127.0.0.1).

    When ``/rest/info`` names an ``owningSystemUrl`` and the token URL is a portal's
    (``…/sharing/…``), the server is federated: the login goes to the portal (over
    https even when the server's answer says http), then the portal token is exchanged
    for a server token (``serverUrl`` + ``token``), except on ArcGIS Online.
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
        #: The owning portal's URL when the server is federated (from ``/rest/info``).
        self.owning_system_url: str | None = None

    def __repr__(self) -> str:
        return f"GenerateTokenProvider(username={self.username!r}, password=<hidden>)"

    def headers(self, site: TokenSite) -> Mapping[str, str]:
        """A token bound to a referer is only valid with that ``Referer`` header."""
        return {"Referer": self.referer} if self.referer else {}

    def invalidate(self) -> None:
        """Drop the token; the next :meth:`token` call fetches a new one."""
        with self._lock:
            self._token = None
            self._expires_at = 0.0

    def token(self, site: TokenSite) -> str | None:
        """A valid token, fetched or renewed as needed (thread-safe)."""
        with self._lock:
            if self._token and time.time() < self._expires_at:
                return self._token
            self._token, lifetime = self._generate(site)
            margin = min(60.0, lifetime * self.RENEW_MARGIN)
            self._expires_at = time.time() + max(lifetime - margin, 0.0)
            return self._token

    def _discover_token_url(self, site: TokenSite) -> str:
        if self.token_url:
            return self.token_url
        info = site.get_info()
        auth_info = info.get("authInfo") if isinstance(info, Mapping) else None
        url = auth_info.get("tokenServicesUrl") if isinstance(auth_info, Mapping) else None
        owner = info.get("owningSystemUrl") if isinstance(info, Mapping) else None
        if isinstance(owner, str) and owner.strip():
            self.owning_system_url = owner.strip()
        if isinstance(url, str) and url.strip():
            url = url.strip()
            self.token_url = _portal_https(url, site) if self.federated else url
        else:
            # Servers that hide authInfo still answer at the documented place.
            self.token_url = site.context_url + "/tokens/generateToken"
        return self.token_url

    @property
    def federated(self) -> bool:
        """The server said it is federated with a portal (``owningSystemUrl``)."""
        return bool(self.owning_system_url)

    def _generate(self, site: TokenSite) -> tuple[str, float]:
        url = self._discover_token_url(site)
        token, lifetime = self._login(site, url)
        if not (self.federated and _is_portal_token_url(url)):
            return token, lifetime
        if _is_arcgis_online(url) or _is_arcgis_online(self.owning_system_url or ""):
            return token, lifetime  # ArcGIS Online's hosted servers take the portal token
        return self._exchange(site, url, token)

    def _exchange(self, site: TokenSite, url: str, portal_token: str) -> tuple[str, float]:
        """A server token for the portal token (the portal's ``generateToken`` with
        ``serverUrl`` and ``token``, answered ``{token, expires}``), as Esri's clients do."""
        form = {
            "token": portal_token,
            "serverUrl": site.context_url,
            "f": "json",
        }
        try:
            answer = site.post_form(url, form, (portal_token,))
        except ArcGisServerError as error:
            raise ArcGisAuthError(
                f"the portal would not give '{self.username}' a token for this server: "
                f"{error.message}",
                code=error.code,
                details=error.details,
                url=error.url,
            ) from None
        return self._token_of(answer, url)

    def _login(self, site: TokenSite, url: str) -> tuple[str, float]:
        if urlsplit(url).scheme.lower() != "https" and not site.allow_insecure_http:
            raise InsecureTransportError(
                "the token service is not on https; pass allow_insecure_http=True "
                "to allow this on a trusted network",
                url=url,
            )
        referer = self.referer or site.referer
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
            answer = site.post_form(url, form, (self._password,))
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
        return self._token_of(answer, url)

    def _token_of(self, answer: Mapping[str, object], url: str) -> tuple[str, float]:
        """The token of a generateToken answer and its remaining lifetime in seconds."""
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


def bearer_header(headers: Mapping[str, str]) -> tuple[str, str] | None:
    """The header carrying a bearer token (``Authorization`` or the Esri one) and it."""
    for name, value in headers.items():
        if name.lower() in ("authorization", "x-esri-authorization") and value.lower().startswith(
            "bearer "
        ):
            token = value[7:].strip()
            if token:
                return name, token
    return None


def _portal_https(url: str, site: TokenSite) -> str:
    """A portal's token URL over https: federated servers often report their portal's
    URL with http although the portal answers (and takes passwords) on https only."""
    parts = urlsplit(url)
    if parts.scheme.lower() == "http" and not site.allow_insecure_http:
        return "https" + url[len(parts.scheme) :]
    return url
