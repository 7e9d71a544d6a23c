"""The plugin loads in a real QGIS, registers its provider, and unloads without a trace."""

from __future__ import annotations

from qgis.core import QgsApplication

import arcgis_gp


def _registry_has_provider() -> bool:
    return QgsApplication.processingRegistry().providerById("arcgisgp") is not None


def test_load_unload_load_again(qgis_iface) -> None:
    actions_before = len(qgis_iface.mainWindow().findChildren(object))
    for _ in range(2):
        plugin = arcgis_gp.classFactory(qgis_iface)
        plugin.initGui()
        try:
            assert _registry_has_provider()
            provider = QgsApplication.processingRegistry().providerById("arcgisgp")
            assert provider.name() == "ArcGIS Geoprocessing"
            assert not provider.icon().isNull()
        finally:
            plugin.unload()  # a failure above must not leave the provider to later tests
        assert not _registry_has_provider()
    assert len(qgis_iface.mainWindow().findChildren(object)) == actions_before


def test_without_connections_the_provider_is_empty(qgis_iface) -> None:
    plugin = arcgis_gp.classFactory(qgis_iface)
    plugin.initProcessing()
    try:
        assert QgsApplication.processingRegistry().providerById("arcgisgp").algorithms() == []
    finally:
        plugin.unload()
