"""Shared helpers for the gptypes tests: real memory layers, real files."""

from __future__ import annotations

import io
import json
import math
import re
from collections.abc import Iterable, Sequence

from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

from arcgis_gp.plugin.gptypes.featureset import FeatureSetReader, write_feature_set


def memory_layer(uri: str, rows: Iterable[tuple[Sequence, str | None]]) -> QgsVectorLayer:
    """A memory layer from a provider URI and (attributes, WKT or None) rows."""
    layer = QgsVectorLayer(uri, "test", "memory")
    assert layer.isValid(), uri
    features = []
    for attributes, wkt in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(list(attributes))
        if wkt is not None:
            geometry = QgsGeometry.fromWkt(wkt)
            assert not geometry.isNull(), wkt
            feature.setGeometry(geometry)
        features.append(feature)
    ok, _ = layer.dataProvider().addFeatures(features)
    assert ok, layer.dataProvider().lastError()
    return layer


def encode(layer, **kwargs) -> tuple[bytes, object]:
    """write_feature_set into memory; returns (the JSON bytes, FeatureSetInfo)."""
    out = io.BytesIO()
    info = write_feature_set(layer, out, **kwargs)
    return out.getvalue(), info


def round_trip(layer, **kwargs) -> tuple[FeatureSetReader, list[QgsFeature], dict]:
    """Encode, check the bytes are strict JSON, decode; returns (reader, features, doc)."""
    data, _ = encode(layer, **kwargs)
    doc = json.loads(data, parse_constant=_reject_constant)
    reader = FeatureSetReader(data)
    return reader, list(reader.features()), doc


def _reject_constant(name: str):
    raise AssertionError(f"non-standard JSON constant {name} in the output")


def vertices(geometry: QgsGeometry) -> list[tuple[float, ...]]:
    """All vertices as (x, y, z, m) tuples, NaN for missing dimensions."""
    return [(v.x(), v.y(), v.z(), v.m()) for v in geometry.vertices()]


def close(a: float, b: float) -> bool:
    """Equal within the one-ulp rounding of QGIS's asJson (see geometry_encode)."""
    if math.isnan(a) or math.isnan(b):
        return math.isnan(a) and math.isnan(b)
    return math.isclose(a, b, rel_tol=1e-12, abs_tol=1e-12)


def same_vertices(a: QgsGeometry, b: QgsGeometry) -> bool:
    va, vb = vertices(a), vertices(b)
    return len(va) == len(vb) and all(close(x, y) for pa, pb in zip(va, vb) for x, y in zip(pa, pb))


def wkt(geometry: QgsGeometry, precision: int = 6) -> str:
    """WKT as QGIS 3.22 writes it ("PointZ (1 2 3)"): QGIS 3.34+ writes "Point Z (1 2 3)",
    the OGC spelling; the tests compare geometries, not spellings."""
    return re.sub(r"(?<=[a-z]) (Z|M|ZM) \(", r"\1 (", geometry.asWkt(precision))
