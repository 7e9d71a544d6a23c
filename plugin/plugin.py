"""The QGIS plugin object: registers the Processing provider and, with a GUI, its actions."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsApplication

from .provider.provider import ArcGisGpProvider


class ArcGisGpPlugin:
    """Owns everything the plugin adds to QGIS, and takes all of it away in :meth:`unload`."""

    def __init__(self, iface: Any) -> None:
        self.iface = iface
        self.provider: ArcGisGpProvider | None = None

    def initProcessing(self) -> None:
        """Register the provider; called by QGIS (also by qgis_process) and by initGui."""
        if self.provider is not None:
            return
        self.provider = ArcGisGpProvider()
        QgsApplication.processingRegistry().addProvider(self.provider)

    def initGui(self) -> None:
        """Create the GUI parts; the provider first, so the toolbox has it."""
        self.initProcessing()

    def unload(self) -> None:
        """Remove the provider and every GUI part this plugin added."""
        if self.provider is not None:
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
