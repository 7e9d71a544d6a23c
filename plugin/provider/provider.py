"""The ``arcgisgp`` Processing provider: one algorithm per GP task of every connection."""

from __future__ import annotations

from qgis.core import QgsProcessingProvider
from qgis.PyQt.QtGui import QIcon

from ..icons import provider_icon, provider_icon_path

PROVIDER_ID = "arcgisgp"
PROVIDER_NAME = "ArcGIS Geoprocessing"


class ArcGisGpProvider(QgsProcessingProvider):
    """Lists every task of the configured GP services as a native algorithm."""

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return PROVIDER_NAME

    def longName(self) -> str:
        return "ArcGIS Server geoprocessing services"

    def icon(self) -> QIcon:
        return provider_icon()

    def svgIconPath(self) -> str:
        return provider_icon_path()

    def loadAlgorithms(self) -> None:
        """Add the algorithms (none until connections exist)."""
