"""From a QGIS authentication configuration to what the REST layer sends.

Secrets stay in the QGIS auth database: they are read here, handed to objects in
memory, and never written to settings, logs, URLs or files in clear.
- Basic (username/password): exchanged for an ArcGIS token through generateToken,
  renewed before it expires and when the server answers 498/499.
- PKI-Paths, PKI-PKCS#12, Identity-Cert: QGIS decodes the certificate and key (it
  knows the formats and the passphrases); they become a TLS client certificate.
- Every other method (EsriToken, OAuth2, API header, ...): QGIS writes the request
  headers itself (``updateNetworkRequest``), and those headers are copied.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from .connections import Connection
from .rest.auth import GenerateTokenProvider, HeaderAuth, TokenProvider
from .rest.errors import ArcGisAuthError
from .rest.tls import ClientCertificate

#: QGIS methods that authenticate with a TLS client certificate.
PKI_METHODS = frozenset({"PKI-Paths", "PKI-PKCS#12", "Identity-Cert"})


class AuthConfigError(ArcGisAuthError):
    """The connection's authcfg cannot be used (the message names the connection)."""

    kind = "QGIS authentication configuration problem"


@dataclass(frozen=True)
class ConnectionAuth:
    """What one connection sends to prove who it is (nothing for anonymous access)."""

    token_provider: TokenProvider | None = None
    client_certificate: ClientCertificate | None = None


def _load_config(connection: Connection) -> QgsAuthMethodConfig:
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    loaded = manager.loadAuthenticationConfig(connection.authcfg, config, True)
    ok = loaded[0] if isinstance(loaded, tuple) else loaded
    if isinstance(loaded, tuple) and len(loaded) > 1:
        config = loaded[1]
    if not ok or not config.isValid():
        raise AuthConfigError(
            f"{connection.name}: authentication configuration '{connection.authcfg}' is not "
            "in the QGIS authentication database (or the master password was not given)"
        )
    return config


def _qgis_request(connection: Connection) -> QNetworkRequest:
    """A request to the connection's URL as QGIS's auth method prepares it."""
    request = QNetworkRequest(QUrl(connection.url))
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
    return ConnectionAuth(token_provider=HeaderAuth(_headers_from_qgis(connection)))
