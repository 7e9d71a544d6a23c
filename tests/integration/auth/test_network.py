"""QGIS's network settings reach the plugin's HTTP session: PKI client certificates from
the auth database, the CAs QGIS trusts, and the proxy of Settings > Options > Network."""

from __future__ import annotations

import tempfile
from collections.abc import Iterator
from pathlib import Path

import processing
import pytest
from qgis.core import QgsAuthCertUtils, QgsNetworkAccessManager, QgsSettings
from qgis.PyQt.QtNetwork import QSsl, QSslCertificate, QSslKey

from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import Connection
from tests.qgis_auth import store_auth_config

from .relays import PkiFiles, Relay, pki_config

SCALARS = "arcgisgp:{}__analysis__scalars"


@pytest.fixture
def trusted_test_ca(qgis_auth_manager, pki) -> Iterator[None]:
    """The test CA added to QGIS's certificate authorities (Authentication settings)."""
    certificate = QSslCertificate(pki.ca_pem.read_bytes())
    assert not certificate.isNull()
    assert qgis_auth_manager.storeCertAuthority(certificate)
    qgis_auth_manager.rebuildCaCertsCache()
    qgis_auth_manager.rebuildTrustedCaCertsCache()
    yield
    qgis_auth_manager.removeCertAuthority(certificate)
    qgis_auth_manager.rebuildCaCertsCache()
    qgis_auth_manager.rebuildTrustedCaCertsCache()


def _tls_temp_folders() -> set[str]:
    return {p.name for p in Path(tempfile.gettempdir()).glob("arcgis-gp-tls-*")}


def _stored_identity(manager, pki: PkiFiles) -> dict[str, str]:
    """The client certificate stored as a QGIS identity (Authentication > Identities)."""
    certificate = QSslCertificate(pki.client_pem.read_bytes())
    key = QSslKey(
        pki.client_key.read_bytes(),
        QSsl.KeyAlgorithm.Rsa,
        QSsl.EncodingFormat.Pem,
        QSsl.KeyType.PrivateKey,
        pki.key_pass.encode(),
    )
    assert not certificate.isNull()
    assert not key.isNull()
    assert manager.storeCertIdentity(certificate, key)
    return {"certid": QgsAuthCertUtils.shaHexForCert(certificate)}


@pytest.mark.parametrize("method", ["PKI-Paths", "PKI-PKCS#12", "Identity-Cert"])
def test_client_certificate_from_the_auth_database_opens_a_tls_service(
    make_provider, qgis_auth_manager, pki, tls_front, trusted_test_ca, method
):
    folders_before = _tls_temp_folders()
    if method == "Identity-Cert":
        config = _stored_identity(qgis_auth_manager, pki)
    else:
        config = pki_config(pki, method)
    authcfg = store_auth_config(qgis_auth_manager, method, method, config)
    try:
        url = f"https://127.0.0.1:{tls_front.port}/arcgis/rest/services"
        provider = make_provider(Connection("pki", url, authcfg=authcfg))
        assert provider.algorithm("pki__analysis__scalars") is not None, provider.status_notes
        result = processing.run(SCALARS.format("pki"), {"Count": 3, "Factor": 2.0})
        assert result["Output_Long"] == 6
        assert any(u.endswith("/Analysis/GPServer/Scalars/execute") for u in tls_front.seen)
        # the (encrypted) key went through a private temporary file that is gone again
        assert _tls_temp_folders() == folders_before
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)
        if method == "Identity-Cert":
            qgis_auth_manager.removeCertIdentity(config["certid"])


def test_without_a_client_certificate_the_tls_service_is_unreachable(
    make_provider, tls_front, trusted_test_ca
):
    url = f"https://127.0.0.1:{tls_front.port}/arcgis/rest/services"
    provider = make_provider(Connection("nocert", url))
    assert provider.algorithms() == []
    assert "unreachable" in provider.status_notes["nocert"]


def test_a_ca_that_qgis_does_not_trust_fails_verification(
    make_provider, qgis_auth_manager, pki, tls_front
):
    authcfg = store_auth_config(
        qgis_auth_manager, "PKI-Paths", "untrusted", pki_config(pki, "PKI-Paths")
    )
    try:
        url = f"https://127.0.0.1:{tls_front.port}/arcgis/rest/services"
        provider = make_provider(Connection("untrusted", url, authcfg=authcfg))
        assert provider.algorithms() == []
        assert "certificate" in provider.status_notes["untrusted"]
        assert not tls_front.seen
        assert tls_front.connection_attempts == 1  # a refused certificate is not retried
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


PROXY_KEYS = (
    "proxy/proxyEnabled",
    "proxy/proxyType",
    "proxy/proxyHost",
    "proxy/proxyPort",
    "proxy/proxyExcludedUrls",
)


@pytest.fixture
def qgis_proxy() -> Iterator[tuple[Relay, QgsSettings]]:
    """A real HTTP proxy, set in QGIS's network settings (restored afterwards)."""
    relay = Relay()
    settings = QgsSettings()
    saved = {key: settings.value(key) for key in PROXY_KEYS if settings.contains(key)}
    settings.setValue("proxy/proxyEnabled", True)
    settings.setValue("proxy/proxyType", "HttpProxy")
    settings.setValue("proxy/proxyHost", "127.0.0.1")
    settings.setValue("proxy/proxyPort", str(relay.port))
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    forget_clients()
    yield relay, settings
    for key in PROXY_KEYS:
        if key in saved:
            settings.setValue(key, saved[key])
        else:
            settings.remove(key)
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    forget_clients()
    relay.close()


def test_requests_go_through_the_proxy_configured_in_qgis(make_provider, gpserver, qgis_proxy):
    relay, _ = qgis_proxy
    provider = make_provider(Connection("viaproxy", gpserver.services_url))
    assert provider.algorithm("viaproxy__analysis__scalars") is not None
    result = processing.run(SCALARS.format("viaproxy"), {"Count": 2, "Factor": 1.5})
    assert result["Output_Long"] == 4
    assert f"{gpserver.services_url}/Analysis/GPServer/Scalars/execute" in relay.seen


def test_urls_excluded_from_the_proxy_in_qgis_go_direct(make_provider, gpserver, qgis_proxy):
    relay, settings = qgis_proxy
    settings.setValue("proxy/proxyExcludedUrls", [gpserver.root])
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    provider = make_provider(Connection("direct", gpserver.services_url))
    assert provider.algorithm("direct__analysis__scalars") is not None
    assert relay.seen == []


def test_a_proxy_set_in_qgis_takes_effect_without_a_restart(make_provider, gpserver, qgis_proxy):
    relay, settings = qgis_proxy
    settings.setValue("proxy/proxyEnabled", False)
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    make_provider(Connection("later", gpserver.services_url))
    assert processing.run(SCALARS.format("later"), {"Count": 1, "Factor": 1.0})["Output_Long"] == 2
    assert relay.seen == []
    settings.setValue("proxy/proxyEnabled", True)  # the user turns the proxy on; no restart
    QgsNetworkAccessManager.instance().setupDefaultProxyAndCache()
    assert processing.run(SCALARS.format("later"), {"Count": 2, "Factor": 1.0})["Output_Long"] == 4
    assert f"{gpserver.services_url}/Analysis/GPServer/Scalars/execute" in relay.seen
