"""How algorithms appear: headless start-up, the GUI's background refresh, the cache."""

from __future__ import annotations

import processing
import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QEventLoop, QTimer

import arcgis_gp
from arcgis_gp.plugin.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections import ENV_CONNECTIONS_FILE, connections_from_file
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider


def wait_for_signal(signal, start, limit_ms: int = 30000) -> list:
    """Run ``start()`` and spin the event loop until ``signal`` fires (or the limit passes)."""
    loop = QEventLoop()
    received: list = []

    def on_signal(*args) -> None:
        received.extend(args)
        loop.quit()

    signal.connect(on_signal)
    QTimer.singleShot(limit_ms, loop.quit)
    start()
    loop.exec()
    signal.disconnect(on_signal)
    assert received, "the signal never came"
    return received


@pytest.fixture
def env_connections(connections_file, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(connections_file))
    monkeypatch.setattr(
        "arcgis_gp.plugin.catalog_cache.default_cache_dir", lambda: tmp_path / "profile-cache"
    )
    return connections_file


def test_headless_plugin_has_every_algorithm_right_after_start(env_connections, qgis_processing):
    plugin = arcgis_gp.classFactory(None)  # what qgis_process and scripts do
    plugin.initProcessing()
    try:
        provider = QgsApplication.processingRegistry().providerById("arcgisgp")
        ids = {a.id() for a in provider.algorithms()}
        assert "arcgisgp:demo__analysis__buffer" in ids
        result = processing.run("arcgisgp:demo__analysis__scalars", {"Count": 2, "Factor": 1.5})
        assert "Output_Long" in result
    finally:
        plugin.unload()


def test_gui_plugin_loads_from_cache_then_refreshes_in_the_background(
    env_connections, qgis_iface, qgis_processing
):
    plugin = arcgis_gp.classFactory(qgis_iface)
    plugin.initProcessing()  # no cache yet, and a GUI: no network, no algorithms
    provider = plugin.provider
    assert provider.algorithms() == []
    emitted = wait_for_signal(provider.catalogsRefreshed, provider.refresh_catalogs)
    try:
        assert emitted == [1]
        assert provider.algorithm("demo__analysis__buffer") is not None
    finally:
        plugin.unload()


def test_cached_algorithms_survive_a_server_that_is_down(gpserver, connections_file, tmp_path):
    cache = CatalogCache(tmp_path / "cache")
    connections = lambda: connections_from_file(connections_file)  # noqa: E731
    first = ArcGisGpProvider(cache=cache, connections=connections)
    first.refresh_catalogs(blocking=True)
    count = len(first.algorithms())
    assert count > 10
    gpserver.stop()
    try:
        second = ArcGisGpProvider(cache=cache, connections=connections)
        second.refresh_catalogs(blocking=True)  # fails, keeps the cache
        assert len(second.algorithms()) == count
        note = second.algorithm("demo__analysis__buffer").shortHelpString()
        assert "unreachable" in note
    finally:
        gpserver.start()
