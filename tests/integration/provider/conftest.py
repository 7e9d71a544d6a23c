"""A provider registered in the real Processing registry, with one connection to tests/gpserver."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProcessingFeedback,
    QgsVectorLayer,
)

from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import connections_from_file
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider


@pytest.fixture
def connections_file(gpserver, tmp_path: Path) -> Path:
    path = tmp_path / "connections.yaml"
    path.write_text(
        f"connections:\n  - name: demo\n    url: {gpserver.services_url}\n", encoding="utf-8"
    )
    return path


@pytest.fixture
def provider(qgis_processing, connections_file: Path, tmp_path: Path) -> Iterator[ArcGisGpProvider]:
    registry = QgsApplication.processingRegistry()
    provider = ArcGisGpProvider(
        cache=CatalogCache(tmp_path / "catalogs"),
        connections=lambda: connections_from_file(connections_file),
    )
    assert registry.addProvider(provider)
    provider.refresh_catalogs(blocking=True)
    yield provider
    registry.removeProvider(provider)
    forget_clients()


class RecordingFeedback(QgsProcessingFeedback):
    """Keeps what the algorithm reported, by level, so tests can check it."""

    def __init__(self) -> None:
        super().__init__()
        self.infos: list[str] = []
        self.warnings: list[str] = []
        self.errors: list[str] = []
        self.progress_values: list[float] = []
        self.progressChanged.connect(self.progress_values.append)

    def pushInfo(self, info: str) -> None:
        self.infos.append(info)
        super().pushInfo(info)

    def pushWarning(self, warning: str) -> None:
        self.warnings.append(warning)
        super().pushWarning(warning)

    def reportError(self, error: str, fatalError: bool = False) -> None:
        self.errors.append(error)
        super().reportError(error, fatalError)


@pytest.fixture
def feedback() -> RecordingFeedback:
    return RecordingFeedback()


def point_layer(points: list[tuple[str, float, float]], crs: str = "EPSG:4326") -> QgsVectorLayer:
    """A memory layer of named points."""
    layer = QgsVectorLayer(
        f"Point?crs={crs}&field=name:string(40)&field=rank:integer", "points", "memory"
    )
    features = []
    for rank, (name, x, y) in enumerate(points):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name, rank])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


@pytest.fixture
def three_points() -> QgsVectorLayer:
    return point_layer([("Bern", 7.44, 46.95), ("Thun", 7.63, 46.76), ("Biel", 7.25, 47.14)])
