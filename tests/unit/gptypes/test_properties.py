"""Property tests: random features survive encode -> decode; random documents only ever
raise the plugin's own EsriJsonError."""

from __future__ import annotations

import json
import math

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from qgis.core import QgsGeometry, QgsWkbTypes
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QVariant

from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.featureset import FeatureSetReader

from .helpers import memory_layer, round_trip, same_vertices

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
coordinate = st.floats(-1e7, 1e7, allow_nan=False, allow_infinity=False)
measure = st.floats(-1e4, 1e4, allow_nan=False, allow_infinity=False)


@st.composite
def vertex(draw, dims: str) -> str:
    values = [draw(coordinate), draw(coordinate)]
    values += [draw(measure) for _ in dims]
    return " ".join(repr(v) for v in values)


@st.composite
def rectangle(draw, x: float, dims: str, hole: bool) -> str:
    """A rectangle ring starting at x (and a hole well inside it) as WKT rings."""
    y = draw(coordinate)
    w, h = draw(st.floats(1, 1e4)), draw(st.floats(1, 1e4))
    extra = " ".join("0" for _ in dims)

    def ring(x0: float, y0: float, x1: float, y1: float) -> str:
        pts = [(x0, y0), (x1, y0), (x1, y1), (x0, y1), (x0, y0)]
        return "(" + ", ".join(f"{a!r} {b!r} {extra}".strip() for a, b in pts) + ")"

    rings = [ring(x, y, x + w, y + h)]
    if hole:
        rings.append(ring(x + w * 0.25, y + h * 0.25, x + w * 0.75, y + h * 0.75))
    return "(" + ", ".join(rings) + ")"


@st.composite
def geometry_case(draw) -> tuple[str, list[str]]:
    """(memory layer geometry type, WKT list) of one kind with random Z/M."""
    dims = draw(st.sampled_from(["", "Z", "M", "ZM"]))
    kind = draw(
        st.sampled_from(
            ["Point", "MultiPoint", "LineString", "MultiLineString", "Polygon", "MultiPolygon"]
        )
    )
    count = draw(st.integers(1, 4))
    wkts = []
    for _ in range(count):
        if kind == "Point":
            body = f"({draw(vertex(dims))})"
        elif kind in ("MultiPoint", "LineString"):
            n = draw(st.integers(2, 6))
            body = "(" + ", ".join(draw(vertex(dims)) for _ in range(n)) + ")"
            if kind == "MultiPoint":
                body = "(" + ", ".join(f"({p})" for p in body[1:-1].split(", ")) + ")"
        elif kind == "MultiLineString":
            parts = [
                "(" + ", ".join(draw(vertex(dims)) for _ in range(draw(st.integers(2, 5)))) + ")"
                for _ in range(draw(st.integers(1, 3)))
            ]
            body = "(" + ", ".join(parts) + ")"
        else:
            parts_count = 1 if kind == "Polygon" else draw(st.integers(1, 3))
            x = draw(coordinate)
            parts = []
            for _ in range(parts_count):
                parts.append(draw(rectangle(x, dims, draw(st.booleans()))))
                x += 2e4  # disjoint parts
            body = parts[0] if kind == "Polygon" else "(" + ", ".join(parts) + ")"
        wkts.append(f"{kind}{dims} {body}")
    return f"{kind}{dims}", wkts


text = st.text(st.characters(blacklist_categories=("Cs",)), max_size=40)
moment = st.integers(-2_208_988_800_000, 4_102_444_800_000)  # 1900..2100 in ms
row = st.tuples(
    st.one_of(st.none(), st.integers(-(2**31) + 1, 2**31 - 1)),  # QGIS refuses -2**31
    st.one_of(st.none(), st.floats()),
    st.one_of(st.none(), text),
    st.one_of(st.none(), moment),
    st.one_of(st.none(), st.dates(QDate(1900, 1, 1).toPyDate(), QDate(2100, 1, 1).toPyDate())),
    st.one_of(st.none(), st.booleans()),
)


def _is_null(value) -> bool:
    return value is None or (isinstance(value, QVariant) and value.isNull())


@SETTINGS
@given(case=geometry_case(), rows=st.lists(row, min_size=1, max_size=4))
def test_random_features_round_trip(case, rows) -> None:
    layer_type, wkts = case
    wkts = (wkts * len(rows))[: max(len(rows), len(wkts))]
    rows = (rows * len(wkts))[: len(wkts)]
    layer_rows = []
    for (i, x, s, ms, d, b), wkt in zip(rows, wkts):
        dt = None if ms is None else QDateTime.fromMSecsSinceEpoch(ms, Qt.TimeSpec.UTC)
        date = None if d is None else QDate(d.year, d.month, d.day)
        layer_rows.append(([i, x, s, dt, date, b], wkt))
    layer = memory_layer(
        f"{layer_type}?crs=EPSG:3857&field=i:integer&field=x:double&field=s:string"
        "&field=dt:datetime&field=d:date&field=b:boolean",
        layer_rows,
    )
    reader, features, _ = round_trip(layer)
    assert len(features) == len(layer_rows)
    polygons = QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.GeometryType.PolygonGeometry
    for original, decoded in zip(layer.getFeatures(), features):
        assert decoded["OBJECTID"] == original.id()
        for name in ("i", "s"):
            assert decoded[name] == original[name] or (
                _is_null(original[name]) and _is_null(decoded[name])
            )
        x = original["x"]
        if _is_null(x) or not math.isfinite(x):
            assert _is_null(decoded["x"])
        else:
            assert decoded["x"] == x
        assert _is_null(decoded["dt"]) == _is_null(original["dt"])
        if not _is_null(original["dt"]):
            assert decoded["dt"].toMSecsSinceEpoch() == original["dt"].toMSecsSinceEpoch()
        if not _is_null(original["d"]):
            assert decoded["d"].toUTC().date() == original["d"]
        if not _is_null(original["b"]):
            assert decoded["b"] == int(original["b"])
        got, want = decoded.geometry(), original.geometry()
        assert got.wkbType() == reader.wkb_type
        if polygons:  # ring orientation changes: compare normalized shapes
            want = QgsGeometry(want)
            want.convertToMultiType()
            got.normalize()
            want.normalize()
        assert same_vertices(got, want)


KEYS = st.sampled_from(
    [
        "features",
        "fields",
        "attributes",
        "geometry",
        "geometryType",
        "spatialReference",
        "wkid",
        "latestWkid",
        "hasZ",
        "hasM",
        "x",
        "y",
        "z",
        "m",
        "points",
        "paths",
        "rings",
        "curvePaths",
        "curveRings",
        "a",
        "b",
        "c",
        "value",
        "results",
        "paramName",
        "dataType",
        "featureSet",
        "layerDefinition",
        "layers",
        "featureCollection",
        "url",
        "error",
        "name",
        "type",
        "xmin",
        "ymin",
        "xmax",
        "ymax",
        "exceededTransferLimit",
    ]
)
SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(2**70), 2**70),
    st.floats(),
    text,
    st.sampled_from(
        [
            "esriGeometryPoint",
            "esriGeometryPolygon",
            "esriGeometryPolyline",
            "esriGeometryMultipoint",
            "esriGeometryEnvelope",
            "esriFieldTypeDate",
            "esriFieldTypeInteger",
            "GPRecordSet",
            "NaN",
        ]
    ),
)
DOCUMENTS = st.recursive(
    SCALARS,
    lambda children: st.one_of(
        st.lists(children, max_size=5), st.dictionaries(KEYS, children, max_size=6)
    ),
    max_leaves=40,
)


@settings(max_examples=300, deadline=None)
@given(doc=st.dictionaries(KEYS, DOCUMENTS, max_size=6), chunk=st.integers(1, 64))
def test_random_documents_only_raise_esri_json_errors(doc, chunk) -> None:
    data = json.dumps(doc, allow_nan=True).encode()
    for source in (doc, data):
        try:
            reader = FeatureSetReader(source, chunk_chars=chunk)
            for feature in reader.features():
                feature.geometry()
        except EsriJsonError:
            pass
