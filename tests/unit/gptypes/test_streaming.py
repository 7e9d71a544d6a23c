"""Big feature sets stream both ways: Python memory stays flat whatever the file size."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from qgis.core import QgsFeatureRequest, QgsVectorLayer, QgsWkbTypes

from arcgis_gp.plugin.gptypes.featureset import (
    FeatureSetReader,
    write_feature_set,
    write_features_to_sink,
)

CHUNK = 1 << 16
HEADER = (
    '{"paramName":"out","dataType":"GPFeatureRecordSetLayer","value":{'
    '"geometryType":"esriGeometryPolygon","spatialReference":{"wkid":102100},'
    '"fields":[{"name":"OBJECTID","type":"esriFieldTypeOID"},'
    '{"name":"name","type":"esriFieldTypeString"},{"name":"v","type":"esriFieldTypeDouble"}],'
    '"features":['
)
FEATURE = (
    '{"attributes":{"OBJECTID":%d,"name":"feature %d","v":%r},'
    '"geometry":{"rings":[[[%r,%r],[%r,%r],[%r,%r],[%r,%r],[%r,%r]]]}}'
)


def generate(path: Path, count: int) -> int:
    """A GP result with ``count`` square polygons, written line by line; its size."""
    with path.open("w") as out:
        out.write(HEADER)
        for i in range(count):
            x, y = (i % 1000) * 100.0, (i // 1000) * 100.0
            square = (x, y, x, y + 50, x + 50, y + 50, x + 50, y, x, y)
            out.write(("," if i else "") + FEATURE % (i + 1, i, i / 7, *square))
        out.write('],"exceededTransferLimit":false}}')
    return path.stat().st_size


@pytest.mark.slow
def test_decoding_100000_polygons_keeps_memory_flat(tmp_path: Path) -> None:
    """A generated 100,000-polygon GP result (~19 MB) goes into a sink while Python's
    peak memory stays a small fraction of the file: one buffer, one feature."""
    path = tmp_path / "in.json"
    size = generate(path, 100_000)
    assert size > 15_000_000
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:3857", "big", "memory")
    tracemalloc.start()
    try:
        reader = FeatureSetReader(path, chunk_chars=CHUNK)
        layer.dataProvider().addAttributes(reader.fields.toList())
        layer.updateFields()
        written = write_features_to_sink(reader, layer.dataProvider())
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert reader.feature_count == written == layer.featureCount() == 100_000
    assert reader.wkb_type == QgsWkbTypes.Type.MultiPolygon
    # Loading the file whole would peak far above its 19 MB; tracemalloc also counts what
    # other threads of the test session allocate meanwhile, hence a tenth, not less.
    assert peak < size / 10


def _encode_peak(layer: QgsVectorLayer, path: Path, limit: int) -> tuple[int, int]:
    tracemalloc.start()
    try:
        with path.open("wb") as out:
            info = write_feature_set(layer, out, request=QgsFeatureRequest().setLimit(limit))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.feature_count == limit
    return peak, path.stat().st_size


@pytest.mark.slow
def test_encoding_memory_does_not_grow_with_the_feature_count(tmp_path: Path) -> None:
    generate(tmp_path / "in.json", 40_000)
    reader = FeatureSetReader(tmp_path / "in.json")
    layer = QgsVectorLayer("MultiPolygon?crs=EPSG:3857", "big", "memory")
    layer.dataProvider().addAttributes(reader.fields.toList())
    layer.updateFields()
    assert write_features_to_sink(reader, layer.dataProvider()) == 40_000

    small_peak, _ = _encode_peak(layer, tmp_path / "small.json", 10_000)
    big_peak, big_size = _encode_peak(layer, tmp_path / "big.json", 40_000)
    assert big_peak < small_peak * 1.3 + 200_000  # four times the features, same memory
    assert big_peak < big_size / 4
    again = FeatureSetReader(tmp_path / "big.json")
    assert again.feature_count == 40_000
    assert again.crs.authid() == "EPSG:3857"
