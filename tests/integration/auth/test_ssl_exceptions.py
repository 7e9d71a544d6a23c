"""QGIS's SSL server exceptions reach the plugin: a certificate the user accepted for one
host and port opens that server, no other certificate does, and no other server gains.

The server is a TLS front (tests/integration/auth/relays.py) whose certificate is signed
by a CA QGIS does not trust: to a client, the same as a self-signed certificate, the
default of ArcGIS Server's port 6443.
"""

from __future__ import annotations

import hashlib
import ssl
from collections.abc import Callable, Iterator

import processing
import pytest
from qgis.core import QgsAuthCertUtils, QgsAuthConfigSslServer
from qgis.PyQt.QtNetwork import QSslCertificate, QSslError

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.connections.qgis_network import accepted_certificate
from tests.qgis_auth import store_auth_config

from .relays import PkiFiles, Relay, pki_config

SCALARS = "arcgisgp:{}__analysis__scalars"
ACCEPTED_ERRORS = [
    QSslError.SslError.UnableToGetLocalIssuerCertificate,
    QSslError.SslError.UnableToVerifyFirstCertificate,
    QSslError.SslError.CertificateUntrusted,
]


@pytest.fixture
def untrusted_front(pki: PkiFiles, gpserver) -> Iterator[Relay]:
    """https://127.0.0.1:PORT in front of the GP server, no client certificate wanted."""
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(pki.server_pem, pki.server_key)
    relay = Relay(gpserver.root, tls=context)
    yield relay
    relay.close()


@pytest.fixture
def ssl_exception(qgis_auth_manager) -> Iterator[Callable[[bytes, str], None]]:
    """Store SSL server exceptions (certificate PEM, host:port) as QGIS's dialog does."""
    stored: list[tuple[str, str]] = []

    def store(pem: bytes, hostport: str, errors=ACCEPTED_ERRORS) -> None:
        certificate = QSslCertificate(pem)
        assert not certificate.isNull()
        config = QgsAuthConfigSslServer()
        config.setSslCertificate(certificate)
        config.setSslHostPort(hostport)
        # The Qt6 build's binding takes the errors as numbers (it gives enum members back).
        config.setSslIgnoredErrorEnums([getattr(error, "value", error) for error in errors])
        assert qgis_auth_manager.storeSslCertCustomConfig(config)
        stored.append((QgsAuthCertUtils.shaHexForCert(certificate), hostport))

    yield store
    for sha, hostport in stored:
        qgis_auth_manager.removeSslCertCustomConfig(sha, hostport)


def _assert_refused(make_provider, front: Relay, name: str) -> None:
    """The connection's catalog fails on the certificate; no request reached the server."""
    url = f"https://127.0.0.1:{front.port}/arcgis/rest/services"
    provider = make_provider(Connection(name, url))
    assert provider.algorithms() == []
    assert "certificate" in provider.status_notes[name]
    assert not front.seen


def test_without_an_exception_the_certificate_is_refused(make_provider, untrusted_front):
    _assert_refused(make_provider, untrusted_front, "strict")


def test_the_accepted_certificate_opens_its_server(
    make_provider,
    untrusted_front,
    ssl_exception,
    pki: PkiFiles,
):
    ssl_exception(pki.server_pem.read_bytes(), f"127.0.0.1:{untrusted_front.port}")
    url = f"https://127.0.0.1:{untrusted_front.port}/arcgis/rest/services"
    provider = make_provider(Connection("accepted", url))
    assert provider.algorithm("accepted__analysis__scalars") is not None, provider.status_notes
    result = processing.run(SCALARS.format("accepted"), {"Count": 3, "Factor": 2.0})
    assert result["Output_Long"] == 6
    assert any(u.endswith("/Analysis/GPServer/Scalars/execute") for u in untrusted_front.seen)


def test_another_certificate_than_the_accepted_one_is_refused(
    make_provider,
    untrusted_front,
    ssl_exception,
    pki: PkiFiles,
):
    # The user accepted a certificate for this host and port, but the server now shows
    # another one (here: the CA's): that is what the exception must not cover.
    ssl_exception(pki.ca_pem.read_bytes(), f"127.0.0.1:{untrusted_front.port}")
    _assert_refused(make_provider, untrusted_front, "swapped")


def test_an_exception_covers_its_own_host_and_port_only(
    make_provider,
    untrusted_front,
    ssl_exception,
    pki: PkiFiles,
):
    ssl_exception(pki.server_pem.read_bytes(), f"127.0.0.1:{untrusted_front.port + 1}")
    assert accepted_certificate(f"https://127.0.0.1:{untrusted_front.port}/arcgis") is None
    _assert_refused(make_provider, untrusted_front, "elsewhere")


def test_accepted_certificate_reads_the_exception(
    ssl_exception,
    pki: PkiFiles,
):
    ssl_exception(pki.server_pem.read_bytes(), "gis.example.org:443")
    pinned = accepted_certificate("https://GIS.example.org/arcgis/rest/services")
    assert pinned is not None
    assert (pinned.host, pinned.port) == ("gis.example.org", 443)
    der = QSslCertificate(pki.server_pem.read_bytes()).toDer()
    assert pinned.sha256 == hashlib.sha256(bytes(der)).hexdigest()
    assert pinned.prefixes() == ["https://gis.example.org:443/", "https://gis.example.org/"]
    assert accepted_certificate("http://gis.example.org/arcgis/rest/services") is None


def test_an_accepted_certificate_with_a_client_certificate(
    make_provider,
    qgis_auth_manager,
    tls_front,
    ssl_exception,
    pki: PkiFiles,
):
    """PKI login to a server whose certificate QGIS only knows from an exception."""
    ssl_exception(pki.server_pem.read_bytes(), f"127.0.0.1:{tls_front.port}")
    authcfg = store_auth_config(
        qgis_auth_manager, "PKI-Paths", "pki-pinned", pki_config(pki, "PKI-Paths")
    )
    try:
        url = f"https://127.0.0.1:{tls_front.port}/arcgis/rest/services"
        provider = make_provider(Connection("pkipinned", url, authcfg=authcfg))
        assert provider.algorithm("pkipinned__analysis__scalars") is not None, provider.status_notes
        result = processing.run(SCALARS.format("pkipinned"), {"Count": 2, "Factor": 2.0})
        assert result["Output_Long"] == 4
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def test_an_exception_added_while_qgis_runs_takes_effect_without_a_restart(
    make_provider, untrusted_front, ssl_exception, pki: PkiFiles
):
    url = f"https://127.0.0.1:{untrusted_front.port}/arcgis/rest/services"
    provider = make_provider(Connection("later", url))
    assert provider.algorithms() == []  # refused: the client is made and kept
    ssl_exception(pki.server_pem.read_bytes(), f"127.0.0.1:{untrusted_front.port}")
    provider.refresh_catalogs(blocking=True)  # Refresh, as the user does after accepting
    assert provider.algorithm("later__analysis__scalars") is not None, provider.status_notes
