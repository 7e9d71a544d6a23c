"""ArcGIS Geoprocessing Services for QGIS.

QGIS imports this package as ``arcgis_gp`` and calls :func:`classFactory`.
Nothing heavy is imported here, so that QGIS starts fast even when the
plugin is enabled.
"""

from __future__ import annotations

from typing import Any


def classFactory(iface: Any) -> Any:
    """Create the plugin instance QGIS loads (QGIS plugin entry point)."""
    from .plugin.plugin import ArcGisGpPlugin

    return ArcGisGpPlugin(iface)
