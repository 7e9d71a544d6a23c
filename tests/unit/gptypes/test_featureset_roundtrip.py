"""write_feature_set, then FeatureSetReader: every geometry type, Z/M, nulls, dates, text."""

from __future__ import annotations

import io
import json
from pathlib import Path

import pytest
from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsGeometry,
    QgsProcessingFeedback,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

from arcgis_gp.plugin.gptypes import featureset_writer
from arcgis_gp.plugin.gptypes.featureset import (
    FeatureSetReader,
    write_feature_set,
    write_features_to_sink,
)

from .helpers import encode, memory_layer, round_trip, same_vertices

W = QgsWkbTypes.Type

GEOMETRIES = [
    ("Point", "esriGeometryPoint", W.Point, ["Point (1.5 -2.25)", "Point (1e6 2e6)"]),
    ("PointZ", "esriGeometryPoint", W.PointZ, ["PointZ (1 2 3)", "PointZ (4 5 -6.5)"]),
    ("PointM", "esriGeometryPoint", W.PointM, ["PointM (1 2 3)"]),
    ("MultiPoint", "esriGeometryMultipoint", W.MultiPoint, ["MultiPoint ((1 2),(3 4),(5 6))"]),
    ("LineString", "esriGeometryPolyline", W.MultiLineString, ["LineString (0 0, 1 1, 2 0)"]),
    (
        "MultiLineStringZM",
        "esriGeometryPolyline",
        W.MultiLineStringZM,
        ["MultiLineStringZM ((0 0 1 2, 1 1 3 4),(5 5 5 5, 6 6 6 6, 7 7 7 7))"],
    ),
    (
        "Polygon",
        "esriGeometryPolygon",
        W.MultiPolygon,
        ["Polygon ((0 0, 10 0, 10 10, 0 10, 0 0),(2 2, 2 4, 4 4, 4 2, 2 2))"],
    ),
    (
        "MultiPolygonZ",
        "esriGeometryPolygon",
        W.MultiPolygonZ,
        [
            "MultiPolygonZ (((0 0 1, 10 0 2, 10 10 3, 0 10 4, 0 0 1),(2 2 0, 2 4 0, 4 4 0, 2 2 0)),"
            "((20 20 5, 30 20 5, 30 30 5, 20 20 5)))",
            "MultiPolygonZ (((100 100 0, 110 100 0, 110 110 0, 100 100 0)))",
        ],
    ),
]


@pytest.mark.parametrize(("layer_type", "esri", "decoded", "wkts"), GEOMETRIES)
def test_geometry_round_trip(layer_type, esri, decoded, wkts) -> None:
    layer = memory_layer(
        f"{layer_type}?crs=EPSG:2154&field=k:integer", [([i], w) for i, w in enumerate(wkts)]
    )
    reader, features, doc = round_trip(layer)
    assert doc["geometryType"] == esri
    assert doc["spatialReference"] == {"wkid": 2154, "latestWkid": 2154}
    assert doc["hasZ"] == QgsWkbTypes.hasZ(layer.wkbType())
    assert doc["hasM"] == QgsWkbTypes.hasM(layer.wkbType())
    assert reader.wkb_type == decoded
    assert reader.crs.authid() == "EPSG:2154"
    originals = {f["k"]: f.geometry() for f in layer.getFeatures()}
    assert len(features) == len(wkts)
    for feature in features:
        original = originals[feature["k"]]
        got = feature.geometry()
        assert got.wkbType() == decoded
        if QgsWkbTypes.geometryType(decoded) == QgsWkbTypes.GeometryType.PolygonGeometry:
            assert got.isGeosEqual(original)
            assert got.constGet().nCoordinates() == original.constGet().nCoordinates()
        else:
            assert same_vertices(got, original)


def test_attributes_round_trip_with_nulls_dates_and_text() -> None:
    utc = QDateTime(QDate(2021, 3, 4), QTime(5, 6, 7, 890), Qt.TimeSpec.UTC)
    rows = [
        ([1, "Zürich \u2013 東京 🗺", 2.5, 2**40, QDate(1999, 12, 31), utc, True], "Point (1 2)"),
        ([None, None, None, None, None, None, None], "Point (3 4)"),
        ([3, 'quote " backslash \\ newline \n tab \t', float("nan"), -1, None, None, False], None),
    ]
    layer = memory_layer(
        "Point?crs=EPSG:4326&field=n:integer&field=s:string&field=x:double&field=big:int8"
        "&field=d:date&field=dt:datetime&field=b:boolean",
        rows,
    )
    _reader, features, doc = round_trip(layer)
    assert [f["name"] for f in doc["fields"]] == ["OBJECTID", "n", "s", "x", "big", "d", "dt", "b"]
    first, second, third = features
    assert first["OBJECTID"] == 1
    assert first["n"] == 1
    assert first["s"] == "Zürich \u2013 東京 🗺"
    assert first["x"] == 2.5
    assert first["big"] == 2**40
    assert first["d"].toUTC().toString(Qt.DateFormat.ISODate) == "1999-12-31T00:00:00Z"
    assert first["dt"] == utc
    assert first["b"] == 1
    assert all(second[name] in (None,) or second[name].isNull() for name in ["n", "s", "x", "d"])
    assert third["s"] == 'quote " backslash \\ newline \n tab \t'
    assert third["x"] is None or third["x"].isNull()  # NaN is not JSON: null
    assert not third.hasGeometry()
    assert "geometry" not in doc["features"][2]


def test_a_table_gives_a_record_set() -> None:
    layer = memory_layer("None?field=a:string", [(["x"], None), (["y"], None)])
    reader, features, doc = round_trip(layer)
    assert set(doc) == {"fields", "features"}
    assert all(set(f) == {"attributes"} for f in doc["features"])
    assert reader.wkb_type == W.NoGeometry
    assert [f["a"] for f in features] == ["x", "y"]


def test_target_crs_and_selected_features() -> None:
    layer = memory_layer(
        "Point?crs=EPSG:3857&field=k:integer",
        [([1], "Point (0 0)"), ([2], "Point (111319.49079327357 0)"), ([3], "Point (5 5)")],
    )
    request = QgsFeatureRequest().setFilterExpression('"k" <= 2')
    _reader, features, doc = round_trip(
        layer,
        request=request,
        target_crs=QgsCoordinateReferenceSystem("EPSG:4326"),
        transform_context=QgsCoordinateTransformContext(),
    )
    assert doc["spatialReference"] == {"wkid": 4326, "latestWkid": 4326}
    assert [f["k"] for f in features] == [1, 2]
    assert features[1].geometry().asPoint().x() == pytest.approx(1.0)


def test_a_request_that_already_transforms_sets_the_spatial_reference() -> None:
    layer = memory_layer("Point?crs=EPSG:3857", [([], "Point (111319.49079327357 0)")])
    request = QgsFeatureRequest().setDestinationCrs(
        QgsCoordinateReferenceSystem("EPSG:4326"), QgsCoordinateTransformContext()
    )
    _, features, doc = round_trip(layer, request=request)
    assert doc["spatialReference"] == {"wkid": 4326, "latestWkid": 4326}
    assert features[0].geometry().asPoint().x() == pytest.approx(1.0)


def test_geometry_type_conversion_and_skipped_geometries() -> None:
    layer = memory_layer("Polygon?crs=EPSG:4326", [([], "Polygon ((0 0, 1 0, 1 1, 0 0))")])
    _reader, features, doc = round_trip(layer, geometry_type="esriGeometryPolyline")
    assert doc["geometryType"] == "esriGeometryPolyline"
    assert features[0].geometry().length() == pytest.approx(2 + 2**0.5)

    lines = memory_layer("LineString?crs=EPSG:4326", [([], "LineString (0 0, 1 1)")])
    feedback = QgsProcessingFeedback()
    _, info = encode(lines, geometry_type="esriGeometryPoint", feedback=feedback)
    assert info.skipped_geometries == 1
    assert info.feature_count == 1


def test_a_value_equal_to_the_geometry_placeholder_is_kept() -> None:
    mark = featureset_writer._MARK
    layer = memory_layer(
        "Point?crs=EPSG:4326&field=s:string",
        [([mark], "Point (1 2)"), (["x"], "Point (3 4)"), ([mark], None)],
    )
    held = [f["s"] for f in layer.getFeatures()]  # QGIS 3.40 cuts strings at a NUL
    _, features, _ = round_trip(layer)
    assert [f["s"] for f in features] == held
    assert [f.geometry().asWkt() if f.hasGeometry() else None for f in features] == [
        "Point (1 2)",
        "Point (3 4)",
        None,
    ]


def test_cancel_stops_with_valid_json() -> None:
    rows = [([i], f"Point ({i} {i})") for i in range(3 * featureset_writer.BATCH)]
    layer = memory_layer("Point?crs=EPSG:4326&field=i:integer", rows)
    feedback = QgsProcessingFeedback()
    feedback.cancel()
    data, info = encode(layer, feedback=feedback)
    assert info.canceled
    assert len(json.loads(data)["features"]) == featureset_writer.BATCH


def test_encode_from_a_geopackage_and_decode_into_one(tmp_path: Path) -> None:
    rows = [([i, f"n{i}"], f"Polygon (({i} 0, {i + 1} 0, {i + 1} 1, {i} 0))") for i in range(20)]
    layer = memory_layer("Polygon?crs=EPSG:2154&field=i:integer&field=name:string", rows)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    source_path = str(tmp_path / "source.gpkg")
    QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, source_path, QgsCoordinateTransformContext(), options
    )
    source = QgsVectorLayer(source_path, "source", "ogr")
    assert source.fields().names()[0] == "fid"

    json_path = tmp_path / "fs.json"
    with json_path.open("wb") as out:
        info = write_feature_set(source, out)
    assert info.fields[0] == {"name": "fid", "type": "esriFieldTypeOID", "alias": "fid"}
    reader = FeatureSetReader(json_path)
    target_path = str(tmp_path / "target.gpkg")
    writer = QgsVectorFileWriter.create(
        target_path,
        reader.fields,
        reader.wkb_type,
        reader.crs,
        QgsCoordinateTransformContext(),
        options,
    )
    assert write_features_to_sink(reader, writer) == 20
    del writer
    target = QgsVectorLayer(target_path, "target", "ogr")
    assert target.featureCount() == 20
    assert target.crs().authid() == "EPSG:2154"
    by_name = {f["name"]: f.geometry() for f in target.getFeatures()}
    assert by_name["n7"].isGeosEqual(QgsGeometry.fromWkt("Polygon ((7 0, 8 0, 8 1, 7 0))"))


def test_output_is_streamed_into_the_file_object() -> None:
    layer = memory_layer("Point?crs=EPSG:4326", [([], "Point (1 2)")])
    out = io.BytesIO()
    out.write(b"PREFIX")
    write_feature_set(layer, out)
    assert out.getvalue().startswith(b'PREFIX{"geometryType"')
    assert out.getvalue().endswith(b"]}")


BULK_CASES = [
    (
        "Polygon",
        [
            "Polygon ((0 0, 10 0, 10 10, 0 10, 0 0),(2 2, 2 4, 4 4, 4 2, 2 2))",  # turned over
            "Polygon EMPTY",
            None,
            "Polygon ((0.1 0.2, 10 0, 10 10, 0.1 0.2))",
        ],
    ),
    (
        "MultiPolygonZ",
        [
            "MultiPolygonZ (((0 0 1, 10 0 2, 10 10 3, 0 0 1)),"
            "((20 20 5, 30 20 5, 30 30 5, 20 20 5)))",
            "MultiPolygonZ EMPTY",
            "MultiPolygonZ (((100 100 0, 110 100 0, 110 110 0, 100 100 0)))",
        ],
    ),
    (
        "MultiPolygon",
        ["Polygon ((0 0, 10 0, 10 10, 0 0))", "MultiPolygon (((1 1, 2 1, 2 2, 1 1)))"],
    ),
    ("LineString", ["LineString (0 0, 1 1, 2 0)", "LineString EMPTY", None]),
    ("MultiLineString", ["MultiLineString ((0 0, 1 1),(5 5, 6 6))", "LineString (1 2, 3 4)"]),
]


@pytest.mark.parametrize(("layer_type", "wkts"), BULK_CASES)
def test_written_geometry_texts_equal_the_encoder_s(layer_type, wkts) -> None:
    """Over several batches of mixed single/multi, empty and null geometries, the
    writer's geometry texts are byte for byte GeometryEncoder.to_json's, and features
    whose geometry is empty or null carry no geometry key."""
    from arcgis_gp.plugin.gptypes.geometry_encode import GeometryEncoder

    rows = [([i], w) for i, w in enumerate(wkts * 700)]  # > one batch, mixed in each
    layer = memory_layer(f"{layer_type}?crs=EPSG:2154&field=k:integer", rows)
    data, info = encode(layer)
    doc = json.loads(data)
    encoder = GeometryEncoder(doc["geometryType"], doc["hasZ"], doc["hasM"])
    expected = [encoder.to_json(f.geometry()) for f in layer.getFeatures()]
    assert info.feature_count == len(rows)
    assert info.skipped_geometries == 0
    texts = data.decode("utf-8").split('"geometry":')[1:]
    got_geometries = [f.get("geometry") for f in doc["features"]]
    assert got_geometries == [None if e is None else json.loads(e) for e in expected]
    assert len(texts) == sum(e is not None for e in expected)
    for text, wanted in zip(texts, (e for e in expected if e is not None)):
        assert text.startswith(wanted)
    if layer_type == "Polygon":  # written counter-clockwise: the exterior now clockwise
        ring = got_geometries[0]["rings"][0]
        twice_area = sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:]))
        assert twice_area < 0


def test_the_batch_writer_keeps_a_value_equal_to_the_placeholder() -> None:
    """The writer's own fallback, whatever strings the QGIS at hand can hold."""
    mark = featureset_writer._MARK
    out = io.BytesIO()
    batch = featureset_writer._BatchWriter(out)
    batch.records.extend(
        [
            {"attributes": {"s": mark}, "geometry": mark},
            {"attributes": {"s": "x"}, "geometry": mark},
            {"attributes": {"s": mark}},
        ]
    )
    batch.geometries.extend(['{"x":1,"y":2}', '{"x":3,"y":4}'])
    batch.flush()
    assert json.loads("[" + out.getvalue().decode("utf-8") + "]") == [
        {"attributes": {"s": mark}, "geometry": {"x": 1, "y": 2}},
        {"attributes": {"s": "x"}, "geometry": {"x": 3, "y": 4}},
        {"attributes": {"s": mark}},
    ]
