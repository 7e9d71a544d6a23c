"""Benchmark: Esri JSON FeatureSet encoding and decoding with 100,000 polygons.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_featureset``
Prints features per second for: write_feature_set from a memory layer and from a
GeoPackage, FeatureSetReader.features() from a file, and write_features_to_sink
into a GeoPackage. Not a test: no asserts on speed.
"""

from __future__ import annotations

import random
import sys
import tempfile
import time
from pathlib import Path

import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)

N = 100_000


def _layer(count: int):
    from qgis.core import QgsFeature, QgsGeometry, QgsLineString, QgsPolygon, QgsVectorLayer
    from qgis.PyQt.QtCore import QDateTime, Qt

    layer = QgsVectorLayer(
        "Polygon?crs=EPSG:3857&field=id:integer&field=name:string(30)"
        "&field=value:double&field=when:datetime",
        "bench",
        "memory",
    )
    rng = random.Random(1)
    features = []
    for i in range(count):
        x, y = rng.uniform(0, 1e6), rng.uniform(0, 1e6)
        polygon = QgsPolygon(QgsLineString([x, x + 10, x + 10, x, x], [y, y, y + 10, y + 10, y]))
        if i % 2:
            polygon.addInteriorRing(
                QgsLineString([x + 2, x + 4, x + 4, x + 2], [y + 2, y + 2, y + 4, y + 2])
            )
        feature = QgsFeature(layer.fields())
        when = QDateTime.fromMSecsSinceEpoch(1_600_000_000_000 + i * 1000, Qt.TimeSpec.UTC)
        feature.setAttributes([i, f"name {i}", x / 3, when])
        feature.setGeometry(QgsGeometry(polygon))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _floor(source) -> int:
    """What QGIS alone costs for the same work: iterate, attributes, forceRHR, asJson."""
    from qgis.core import QgsFeature

    count = 0
    iterator = source.getFeatures()
    feature = QgsFeature()
    while iterator.nextFeature(feature):
        feature.attributes()
        feature.geometry().forceRHR().asJson(17)
        count += 1
    return count


def _rate(label: str, count: int, seconds: float) -> None:
    print(f"{label:<48} {count:>8} in {seconds:6.2f} s = {count / seconds:>9,.0f} /s")


def main() -> int:
    from qgis.core import (
        QgsApplication,
        QgsCoordinateTransformContext,
        QgsVectorFileWriter,
        QgsVectorLayer,
    )

    app = QgsApplication([], False)
    app.initQgis()
    from arcgis_gp.plugin.gptypes.featureset import (
        FeatureSetReader,
        write_feature_set,
        write_features_to_sink,
    )

    layer = _layer(N)
    start = time.perf_counter()
    _rate("QGIS floor memory layer", _floor(layer), time.perf_counter() - start)
    with tempfile.TemporaryDirectory() as tmp:
        out_json = Path(tmp) / "fs.json"
        for run in range(2):
            start = time.perf_counter()
            with out_json.open("wb") as out:
                info = write_feature_set(layer, out)
            _rate(
                f"write_feature_set memory layer (run {run + 1})",
                info.feature_count,
                time.perf_counter() - start,
            )
        gpkg = str(Path(tmp) / "src.gpkg")
        options = QgsVectorFileWriter.SaveVectorOptions()
        options.driverName = "GPKG"
        QgsVectorFileWriter.writeAsVectorFormatV3(
            layer, gpkg, QgsCoordinateTransformContext(), options
        )
        source = QgsVectorLayer(gpkg, "src", "ogr")
        start = time.perf_counter()
        _rate("QGIS floor GeoPackage", _floor(source), time.perf_counter() - start)
        start = time.perf_counter()
        with out_json.open("wb") as out:
            info = write_feature_set(source, out)
        _rate("write_feature_set GeoPackage", info.feature_count, time.perf_counter() - start)
        print(f"  file size {out_json.stat().st_size / 1e6:.1f} MB")

        start = time.perf_counter()
        reader = FeatureSetReader(out_json)
        _rate("FeatureSetReader header pass", reader.feature_count, time.perf_counter() - start)
        start = time.perf_counter()
        count = sum(1 for _ in reader.features())
        _rate("FeatureSetReader.features()", count, time.perf_counter() - start)

        sink_path = str(Path(tmp) / "out.gpkg")
        writer = QgsVectorFileWriter.create(
            sink_path,
            reader.fields,
            reader.wkb_type,
            reader.crs,
            QgsCoordinateTransformContext(),
            options,
        )
        start = time.perf_counter()
        count = write_features_to_sink(reader, writer)
        del writer
        _rate("write_features_to_sink GeoPackage", count, time.perf_counter() - start)
    return 0


if __name__ == "__main__":
    sys.exit(main())
