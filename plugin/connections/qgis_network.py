"""QGIS's network settings for the ``requests`` session of a connection.

The REST layer speaks plain ``requests``; what QGIS's *Settings > Options > Network* and
*Authentication* say must still hold for it, as it does for QGIS's own requests:
- the proxy (``proxy/...`` settings, as QgsNetworkAccessManager applied them),
  including its exclusions;
- the certificate authorities QGIS trusts (system ones plus those added in the auth
  database, minus those marked untrusted), used to verify https servers;
- an SSL server exception (*Authentication > SSL Server* in QGIS, or "ignore and save"
  in its SSL error dialog): the server's certificate that the user accepted for one
  host and port is accepted as it is, as QGIS accepts it, and no other certificate
  there. ArcGIS Server's own HTTPS port (6443) has a self-signed certificate until an
  administrator replaces it.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from pathlib import Path
from urllib.parse import quote, urlsplit

from qgis.core import QgsApplication, QgsNetworkAccessManager, QgsSettings
from qgis.PyQt.QtCore import QDateTime
from qgis.PyQt.QtNetwork import QNetworkProxy, QSslError

from ..rest.sessions import NetworkOptions
from ..rest.tls import ClientCertificate, PinnedCertificate

_PROXY_SCHEMES = {
    QNetworkProxy.ProxyType.HttpProxy: "http",
    QNetworkProxy.ProxyType.HttpCachingProxy: "http",
    QNetworkProxy.ProxyType.Socks5Proxy: "socks5h",  # needs PySocks, as requests says
}


def _bypasses_proxy(url: str, manager: QgsNetworkAccessManager) -> bool:
    """QGIS's 'no proxy' lists: URL prefixes (excludeList) and host names (noProxyList)."""
    if any(prefix.strip() and url.startswith(prefix.strip()) for prefix in manager.excludeList()):
        return True
    host = (urlsplit(url).hostname or "").lower()
    for raw_entry in manager.noProxyList():
        entry = raw_entry.strip().lower()
        if not entry:
            continue
        entry_host = (urlsplit(entry).hostname or entry).lower() if "://" in entry else entry
        if host == entry_host or host.endswith("." + entry_host.lstrip(".")):
            return True
        if url.lower().startswith(entry):
            return True
    return False


def proxy_options(url: str) -> tuple[dict[str, str], bool]:
    """requests' ``proxies`` and ``trust_env`` for ``url`` under QGIS's proxy settings.

    Proxy disabled in QGIS: no proxy at all (QGIS makes direct connections, so must we,
    whatever ``http_proxy`` says). "Default proxy" (the system's): requests reads the
    environment, which is the system configuration on Linux.
    """
    if not QgsSettings().value("proxy/proxyEnabled", False, type=bool):
        return {}, False
    manager = QgsNetworkAccessManager.instance()
    if _bypasses_proxy(url, manager):
        return {}, False
    proxy = manager.fallbackProxy()
    scheme = _PROXY_SCHEMES.get(proxy.type())
    if scheme is None or not proxy.hostName():
        return {}, proxy.type() == QNetworkProxy.ProxyType.DefaultProxy
    credentials = ""
    if proxy.user():
        credentials = quote(proxy.user(), safe="") + ":" + quote(proxy.password(), safe="") + "@"
    address = f"{scheme}://{credentials}{proxy.hostName()}:{proxy.port()}"
    return {"http": address, "https": address}, False


def trusted_ca_bundle() -> str:
    """A PEM file of the CAs QGIS trusts, for ``verify`` (public certificates only).

    Kept in ``<profile>/arcgis_gp/trusted-cas.pem`` and rewritten atomically when QGIS's
    list changed (a CA added or distrusted in the Authentication settings).
    """
    pem = bytes(QgsApplication.authManager().trustedCaCertsPemText())
    path = Path(QgsApplication.qgisSettingsDirPath()) / "arcgis_gp" / "trusted-cas.pem"
    try:
        if path.read_bytes() == pem:
            return str(path)
    except OSError:
        pass
    path.parent.mkdir(parents=True, exist_ok=True)
    handle, temp_name = tempfile.mkstemp(dir=path.parent, prefix=".cas-", suffix=".tmp")
    with os.fdopen(handle, "wb") as out:
        out.write(pem)
    os.replace(temp_name, path)
    return str(path)


def accepted_certificate(url: str) -> PinnedCertificate | None:
    """The certificate the user accepted for ``url``'s host and port in QGIS, if any.

    QGIS ignores the listed errors for that certificate only; an expiry (or a start date
    still to come) that the user did not accept keeps it refused, as in QGIS.
    """
    parts = urlsplit(url)
    if parts.scheme.lower() != "https" or not parts.hostname:
        return None
    port = parts.port or 443
    config = QgsApplication.authManager().sslCertCustomConfigByHost(f"{parts.hostname}:{port}")
    certificate = config.sslCertificate()
    if config.isNull() or certificate.isNull():
        return None
    ignored = set(config.sslIgnoredErrorEnums())
    now = QDateTime.currentDateTimeUtc()
    if certificate.expiryDate() < now and QSslError.SslError.CertificateExpired not in ignored:
        return None
    if (
        certificate.effectiveDate() > now
        and QSslError.SslError.CertificateNotYetValid not in ignored
    ):
        return None
    digest = hashlib.sha256(bytes(certificate.toDer())).hexdigest()
    return PinnedCertificate(parts.hostname.lower(), port, digest)


def network_options(
    url: str, client_certificate: ClientCertificate | None = None
) -> tuple[NetworkOptions, bool | str]:
    """The session options and ``verify`` value for a connection to ``url``."""
    proxies, trust_env = proxy_options(url)
    options = NetworkOptions(
        proxies=proxies,
        trust_env=trust_env,
        client_certificate=client_certificate,
        pinned_certificate=accepted_certificate(url),
    )
    verify: bool | str = True
    if urlsplit(url).scheme.lower() == "https":
        verify = trusted_ca_bundle()
    return options, verify


def network_fingerprint(url: str) -> tuple[object, ...]:
    """What of QGIS's network settings a client to ``url`` was built with, cheaply.

    The proxy for the URL, the certificate accepted for its host and port, and a digest
    of the CAs QGIS trusts (https only). A client whose fingerprint differs from the
    settings' current one is rebuilt, so a change in QGIS's options takes effect at the
    next run or catalog refresh, without a restart. QGIS 3.22 has no signal for a proxy
    change. Cost: ~1 ms for https (hashing the CA list: 212 KB of PEM on Debian's QGIS
    3.22), ~25 µs for http.
    """
    proxies, trust_env = proxy_options(url)
    pinned = accepted_certificate(url)
    cas = ""
    if urlsplit(url).scheme.lower() == "https":
        pem = bytes(QgsApplication.authManager().trustedCaCertsPemText())
        cas = hashlib.sha256(pem).hexdigest()
    return (tuple(sorted(proxies.items())), trust_env, pinned, cas)
