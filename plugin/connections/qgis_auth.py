"""From a QGIS authentication configuration to what the REST layer sends.

Secrets stay in the QGIS auth database: they are read here, handed to objects in
memory, and never written to settings, logs, URLs or files in clear.
- Basic (username/password): exchanged for an ArcGIS token through generateToken,
  renewed before it expires and when the server answers 498/499.
- PKI-Paths, PKI-PKCS#12, Identity-Cert: QGIS decodes the certificate and key (it
  knows the formats and the passphrases); they become a TLS client certificate.
- Every other method (EsriToken, OAuth2, API header, ...): QGIS writes the request
  headers itself (``updateNetworkRequest``), asked again at every request, so the token
  sent is the one QGIS holds now (refreshed by OAuth2, edited by the user); after a
  refusal QGIS is asked once more and the request retried once.
- Basic on a server federated with a portal: the login goes to the portal, whose token
  is exchanged for a server token (see :class:`~..rest.auth.GenerateTokenProvider`).
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from ..rest.auth import TokenProvider
from ..rest.errors import ArcGisAuthError
from ..rest.logins import GenerateTokenProvider, HeaderProvider
from ..rest.tls import ClientCertificate
from .connection import Connection

#: QGIS methods that authenticate with a TLS client certificate.
PKI_METHODS = frozenset({"PKI-Paths", "PKI-PKCS#12", "Identity-Cert"})

#: One caller at a time in QGIS's auth methods from our worker threads: an OAuth2
#: method that refreshes its token should do so once, not once per parallel request.
#: QGIS 3.22 deadlocks when a configuration is updated (auth manager lock, then the
#: method's) while another thread loads it afresh (method lock, then the manager's):
#: code of ours that updates configurations takes this lock too.
QGIS_AUTH_LOCK = threading.Lock()


class AuthConfigError(ArcGisAuthError):
    """The connection's authcfg cannot be used (the message names the connection)."""

    kind = "QGIS authentication configuration problem"


@dataclass(frozen=True)
class ConnectionAuth:
    """What one connection sends to prove who it is (nothing for anonymous access)."""

    token_provider: TokenProvider | None = None
    client_certificate: ClientCertificate | None = None


def load_auth_config(authcfg: str) -> QgsAuthMethodConfig | None:
    """A configuration of the QGIS auth database with its secrets decrypted: the one
    place this plugin reads them. None when it is not there (or the master password was
    not given)."""
    config = QgsAuthMethodConfig()
    loaded = QgsApplication.authManager().loadAuthenticationConfig(authcfg, config, True)
    ok = loaded[0] if isinstance(loaded, tuple) else loaded
    if isinstance(loaded, tuple) and len(loaded) > 1:
        config = loaded[1]
    return config if ok and config.isValid() else None


#: Where each QGIS auth method keeps the secret a GPStringHidden value is taken from.
_SECRET_KEYS = ("password", "token", "apikey", "value")


def secret_from_auth_config(authcfg: str) -> str | None:
    """The secret held by a QGIS authentication configuration, or None if there is none
    (nor any such configuration: scripts may pass a GPStringHidden value in clear).

    Basic keeps it as ``password``, EsriToken as ``token``, API-Header style methods under
    their own keys; the first one present wins.
    """
    if not authcfg or authcfg not in QgsApplication.authManager().configIds():
        return None
    config = load_auth_config(authcfg)
    if config is None:
        return None
    return next((config.config(k) for k in _SECRET_KEYS if config.config(k)), None)


def _load_config(connection: Connection) -> QgsAuthMethodConfig:
    config = load_auth_config(connection.authcfg)
    if config is None:
        raise AuthConfigError(
            f"{connection.name}: authentication configuration '{connection.authcfg}' is not "
            "in the QGIS authentication database (or the master password was not given)"
        )
    return config


def _qgis_request(connection: Connection) -> QNetworkRequest:
    """A request to the connection's URL as QGIS's auth method prepares it (now)."""
    request = QNetworkRequest(QUrl(connection.url))
    with QGIS_AUTH_LOCK:
        updated = QgsApplication.authManager().updateNetworkRequest(request, connection.authcfg)
    ok = updated[0] if isinstance(updated, tuple) else updated
    if isinstance(updated, tuple) and len(updated) > 1:
        request = updated[1]
    if not ok:
        raise AuthConfigError(
            f"{connection.name}: QGIS could not apply authentication '{connection.authcfg}'"
        )
    return request


def _headers_from_qgis(connection: Connection) -> dict[str, str]:
    request = _qgis_request(connection)
    return {
        bytes(name).decode("latin-1"): bytes(request.rawHeader(name)).decode("latin-1").strip()
        for name in request.rawHeaderList()
    }


def qgis_header_source(connection: Connection) -> Callable[[], Mapping[str, str]]:
    """The callable a :class:`HeaderProvider` asks at each request: QGIS's headers now.

    ~7 µs a call for an EsriToken configuration on QGIS 3.22 (tests/benchmarks), so
    nothing is cached: a token edited or refreshed in QGIS is the next one sent.
    """

    def headers() -> Mapping[str, str]:
        return _headers_from_qgis(connection)

    return headers


def refused_token_hint(connection: Connection, method: str) -> str:
    """What to tell the user when the server refuses what QGIS's auth method gave."""
    return (
        f"connection '{connection.name}': the token of authentication configuration "
        f"'{connection.authcfg}' ({method}) was refused by the server: renew it in "
        "QGIS's Authentication settings"
    )


def _client_certificate_from_qgis(connection: Connection) -> ClientCertificate:
    """The PKI bundle QGIS put on the request's SSL configuration, as in-memory PEM.

    The key is re-encrypted with a random passphrase that lives only in this object.
    """
    ssl_config = _qgis_request(connection).sslConfiguration()
    certificate = ssl_config.localCertificate()
    key = ssl_config.privateKey()
    if certificate.isNull() or key.isNull():
        raise AuthConfigError(
            f"{connection.name}: the PKI configuration '{connection.authcfg}' gave no "
            "certificate and key (check its files and passphrase in QGIS's Authentication "
            "settings)"
        )
    passphrase = secrets.token_hex(24).encode("ascii")
    return ClientCertificate(
        cert_pem=bytes(certificate.toPem()),
        key_pem=bytes(key.toPem(passphrase)),
        key_password=passphrase,
    )


def auth_for(connection: Connection) -> ConnectionAuth:
    """How a connection authenticates (raises :class:`AuthConfigError` naming it)."""
    if not connection.authcfg:
        return ConnectionAuth()
    config = _load_config(connection)
    method = config.method()
    if method == "Basic":
        username = config.config("username")
        if not username:
            raise AuthConfigError(f"{connection.name}: the Basic configuration has no username")
        return ConnectionAuth(
            token_provider=GenerateTokenProvider(
                username=username,
                password=config.config("password"),
                referer=connection.referer or None,
            )
        )
    if method in PKI_METHODS:
        return ConnectionAuth(client_certificate=_client_certificate_from_qgis(connection))
    return ConnectionAuth(
        token_provider=HeaderProvider(
            qgis_header_source(connection), refused_hint=refused_token_hint(connection, method)
        )
    )
