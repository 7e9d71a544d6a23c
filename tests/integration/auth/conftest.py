"""Providers whose connections authenticate through the (temporary) QGIS auth database."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from qgis.core import QgsApplication

from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import (
    Connection,
    connections_from_file,
    connections_to_yaml,
)
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider

from .relays import PkiFiles, Relay, make_pki


@pytest.fixture
def make_provider(qgis_processing, tmp_path: Path) -> Iterator[Callable[..., ArcGisGpProvider]]:
    """Register a provider for some connections (written to a connections file first)."""
    registry = QgsApplication.processingRegistry()
    made: list[ArcGisGpProvider] = []

    def make(*connections: Connection) -> ArcGisGpProvider:
        path = tmp_path / "connections.yaml"
        path.write_text(connections_to_yaml(list(connections)), encoding="utf-8")
        provider = ArcGisGpProvider(
            cache=CatalogCache(tmp_path / "catalogs"),
            connections=lambda: connections_from_file(path),
        )
        assert registry.addProvider(provider)
        made.append(provider)
        provider.refresh_catalogs(blocking=True)
        return provider

    yield make
    for provider in made:
        registry.removeProvider(provider)
    forget_clients()


@pytest.fixture
def qgis_log() -> Iterator[list[str]]:
    """Every message written to the QGIS message log during the test."""
    messages: list[str] = []

    def record(message: str, tag: str, level) -> None:
        messages.append(f"{tag}: {message}")

    log = QgsApplication.messageLog()
    log.messageReceived.connect(record)
    yield messages
    log.messageReceived.disconnect(record)


@pytest.fixture(scope="session")
def pki(tmp_path_factory) -> PkiFiles:
    """A test CA, a server certificate for 127.0.0.1 and a client certificate."""
    return make_pki(tmp_path_factory.mktemp("pki"))


@pytest.fixture
def tls_front(pki, gpserver) -> Iterator[Relay]:
    """https://127.0.0.1:PORT in front of the GP server; it wants a client certificate."""
    relay = Relay(gpserver.root, tls=pki.server_context())
    yield relay
    relay.close()
