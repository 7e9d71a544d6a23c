"""How algorithms appear: headless start-up, the GUI's background refresh, the cache."""

from __future__ import annotations

import processing
import pytest
import yaml
from qgis.core import QgsApplication

import arcgis_gp
from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.connection import ENV_CONNECTIONS_FILE, connections_from_file
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider
from tests.gpserver import GPServer
from tests.gpserver.registry import DEFAULT_SERVICES_YAML
from tests.qt_wait import wait_for_signal


@pytest.fixture
def env_connections(connections_file, monkeypatch, tmp_path):
    monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(connections_file))
    monkeypatch.setattr(
        "arcgis_gp.plugin.connections.catalog_cache.default_cache_dir",
        lambda: tmp_path / "profile-cache",
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


def test_gui_start_with_the_server_down_has_every_cached_algorithm(
    env_connections, gpserver, qgis_iface, qgis_processing
):
    first = arcgis_gp.classFactory(qgis_iface)
    first.initProcessing()
    wait_for_signal(first.provider.catalogsRefreshed, first.provider.refresh_catalogs)
    count = len(first.provider.algorithms())
    first.unload()
    assert count > 10
    gpserver.stop()
    try:
        plugin = arcgis_gp.classFactory(qgis_iface)
        plugin.initProcessing()  # QGIS starts: algorithms from the cache, no network
        provider = plugin.provider
        try:
            assert len(provider.algorithms()) == count
            emitted = wait_for_signal(provider.catalogsRefreshed, provider.refresh_catalogs)
            assert emitted == [0]
            assert len(provider.algorithms()) == count
            help_text = provider.algorithm("demo__analysis__buffer").shortHelpString()
            assert "unreachable" in help_text
        finally:
            plugin.unload()
    finally:
        gpserver.start()


def test_background_refresh_picks_up_services_that_changed(tmp_path, qgis_processing):
    full = yaml.safe_load(DEFAULT_SERVICES_YAML.read_text(encoding="utf-8"))
    reduced = dict(
        full, services=[s for s in full["services"] if s["path"] != "Elevation/Viewshed"]
    )
    reduced_yaml = tmp_path / "reduced.yaml"
    reduced_yaml.write_text(yaml.safe_dump(reduced), encoding="utf-8")
    before = GPServer(services_yaml=reduced_yaml, workdir=tmp_path / "before").start()
    connections_file = tmp_path / "connections.yaml"
    connections_file.write_text(
        f"connections:\n  - name: demo\n    url: {before.services_url}\n", encoding="utf-8"
    )
    provider = ArcGisGpProvider(
        cache=CatalogCache(tmp_path / "cache"),
        connections=lambda: connections_from_file(connections_file),
    )
    provider.refresh_catalogs(blocking=True)
    assert provider.algorithm("demo__analysis__buffer") is not None
    assert provider.algorithm("demo__elevation_viewshed__viewshed") is None
    port = before.port
    before.close()
    after = GPServer(port=port, workdir=tmp_path / "after").start()  # the service is published
    try:
        emitted = wait_for_signal(provider.catalogsRefreshed, provider.refresh_catalogs)
        assert emitted == [1]
        assert provider.algorithm("demo__elevation_viewshed__viewshed") is not None
        # and the next start has it without the network
        again = ArcGisGpProvider(
            cache=CatalogCache(tmp_path / "cache"),
            connections=lambda: connections_from_file(connections_file),
        )
        again.refreshAlgorithms()
        assert again.algorithm("demo__elevation_viewshed__viewshed") is not None
    finally:
        after.close()
