"""From a QGIS authentication configuration to the REST layer's token provider.

Secrets stay in the QGIS auth database: they are read here, handed to the provider
object in memory, and never written to settings, logs or URLs.
- Basic (username/password): exchanged for an ArcGIS token through generateToken,
  renewed before it expires and when the server answers 498/499.
- Every other method (EsriToken, OAuth2, API header, ...): QGIS writes the request
  headers itself (``updateNetworkRequest``), and those headers are copied.
"""

from __future__ import annotations

from qgis.core import QgsApplication, QgsAuthMethodConfig
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtNetwork import QNetworkRequest

from .connections import Connection
from .rest.auth import GenerateTokenProvider, HeaderAuth, TokenProvider


class AuthConfigError(ValueError):
    """The connection's authcfg cannot be used (the message names the connection)."""


def _load_config(connection: Connection) -> QgsAuthMethodConfig:
    manager = QgsApplication.authManager()
    config = QgsAuthMethodConfig()
    loaded = manager.loadAuthenticationConfig(connection.authcfg, config, True)
    ok = loaded[0] if isinstance(loaded, tuple) else loaded
    if not ok or not config.isValid():
        raise AuthConfigError(
            f"{connection.name}: authentication configuration '{connection.authcfg}' is not "
            "in the QGIS authentication database (or the master password was not given)"
        )
    return config


def _headers_from_qgis(connection: Connection) -> dict[str, str]:
    request = QNetworkRequest(QUrl(connection.url))
    updated = QgsApplication.authManager().updateNetworkRequest(request, connection.authcfg)
    ok = updated[0] if isinstance(updated, tuple) else updated
    if isinstance(updated, tuple) and len(updated) > 1:
        request = updated[1]
    if not ok:
        raise AuthConfigError(
            f"{connection.name}: QGIS could not apply authentication '{connection.authcfg}'"
        )
    return {
        bytes(name).decode("latin-1"): bytes(request.rawHeader(name)).decode("latin-1").strip()
        for name in request.rawHeaderList()
    }


def token_provider_for(connection: Connection) -> TokenProvider | None:
    """The token provider for a connection (None: anonymous)."""
    if not connection.authcfg:
        return None
    config = _load_config(connection)
    if config.method() == "Basic":
        username = config.config("username")
        if not username:
            raise AuthConfigError(f"{connection.name}: the Basic configuration has no username")
        return GenerateTokenProvider(
            username=username,
            password=config.config("password"),
            referer=connection.referer or None,
        )
    return HeaderAuth(_headers_from_qgis(connection))
