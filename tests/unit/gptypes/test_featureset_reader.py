"""FeatureSetReader on the real Esri responses and on the shapes servers produce."""

from __future__ import annotations

import io
import json
import math
from pathlib import Path

import pytest
from qgis.core import (
    NULL,
    QgsCoordinateTransformContext,
    QgsFeatureRequest,
    QgsProcessingFeedback,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from arcgis_gp.plugin.gptypes.compat import VariantType
from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.featureset import FeatureSetReader, write_features_to_sink

from .helpers import wkt

W = QgsWkbTypes.Type
T = VariantType

#: every real-world response that holds features: file -> what must come out
EXPECTED = {
    "result/esridoc-GPFeatureRecordSetLayer-hasZ-points.json": {
        "wkb": W.PointZ,
        "crs": "EPSG:4326",
        "fields": [
            ("OBJECTID", T.LongLong),
            ("TextField", T.String),
            ("IntField", T.Int),
            ("DoubleField", T.Double),
            ("DateField", T.DateTime),
        ],
        "count": 2,
    },
    "result/esridoc-GPRecordSet-Output_Record_Set.json": {
        "wkb": W.NoGeometry,
        "crs": "",
        "fields": [
            ("OBJECTID", T.LongLong),
            ("TextField", T.String),
            ("IntField", T.Int),
            ("DoubleField", T.Double),
            ("DateField", T.DateTime),
        ],
        "count": 2,
    },
    "execute/esridoc-execute-MessageInABottle-polyline.json": {
        "wkb": W.MultiLineString,
        "crs": "EPSG:3857",  # wkid 102113, no latestWkid
        "fields": [("FID", T.Int), ("FNODE_", T.Int), ("Shape_Length", T.Double)],  # inferred
        "count": 1,
    },
    "result/esridoc-GPFeatureRecordSetLayer-FeatureCollection-curveRings.json": {
        "wkb": W.MultiPolygon,
        "crs": "EPSG:26944",
        "fields": [
            ("OBJECTID", T.LongLong),
            ("X", T.Int),
            ("Y", T.Int),
            ("UserName", T.String),
            ("BUFF_DIST", T.Double),
            ("ORIG_FID", T.Int),
            ("Shape_Length", T.Double),
            ("Shape_Area", T.Double),
        ],
        "count": 2,
    },
    "result/esridoc-GPFeatureRecordSetLayer-exceededTransferLimit-empty.json": {
        "wkb": W.MultiPolygon,
        "crs": "EPSG:3857",
        "fields": [
            ("OBJECTID", T.LongLong),
            ("BUFF_DIST", T.Double),
            ("ORIG_FID", T.Int),
            ("shape_Length", T.Double),
            ("shape_Area", T.Double),
        ],
        "count": 0,
    },
}


def _sources(path: Path, tmp_path: Path):
    """The same document as path, bytes, dict, file object and with 5-character chunks."""
    data = path.read_bytes()
    return {
        "path": lambda: FeatureSetReader(path),
        "str path": lambda: FeatureSetReader(str(path)),
        "bytes": lambda: FeatureSetReader(data),
        "dict": lambda: FeatureSetReader(json.loads(data)),
        "file": lambda: FeatureSetReader(io.BytesIO(data)),
        "tiny chunks": lambda: FeatureSetReader(path, chunk_chars=5),
    }


def test_every_fixture_with_features_is_covered(realworld_dir: Path) -> None:
    holding = {
        str(p.relative_to(realworld_dir))
        for p in realworld_dir.glob("*/*.json")
        if '"features"' in p.read_text() and p.parent.name != "task"
    }
    assert holding == set(EXPECTED)


@pytest.mark.parametrize("name", sorted(EXPECTED))
@pytest.mark.parametrize("kind", ["path", "str path", "bytes", "dict", "file", "tiny chunks"])
def test_realworld_feature_sets(realworld_dir: Path, tmp_path: Path, name: str, kind: str) -> None:
    expected = EXPECTED[name]
    reader = _sources(realworld_dir / name, tmp_path)[kind]()
    assert reader.wkb_type == expected["wkb"]
    assert reader.crs.authid() == expected["crs"]
    assert [(f.name(), f.type()) for f in reader.fields] == expected["fields"]
    assert reader.feature_count == expected["count"]
    features = list(reader.features())
    assert len(features) == expected["count"]
    for feature in features:
        assert feature.fields().names() == reader.fields.names()
        if expected["wkb"] == W.NoGeometry:
            assert not feature.hasGeometry()
        else:
            assert feature.geometry().wkbType() == expected["wkb"]


def test_hasz_points_values(realworld_dir: Path) -> None:
    reader = FeatureSetReader(
        realworld_dir / "result/esridoc-GPFeatureRecordSetLayer-hasZ-points.json"
    )
    first, second = reader.features()
    assert wkt(first.geometry()) == "PointZ (-104.36 34.657 10)"
    assert second.geometry().constGet().z() == 11
    assert first["DateField"].toUTC().toString("yyyy-MM-ddTHH:mm:ss") == "1977-04-11T00:00:00"
    assert first["TextField"] == "a"
    assert reader.oid_field == "OBJECTID"
    assert reader.param_name == "Output_Features"
    assert reader.data_type == "GPFeatureRecordSetLayer"


def test_record_set_without_oid_values(realworld_dir: Path) -> None:
    reader = FeatureSetReader(realworld_dir / "result/esridoc-GPRecordSet-Output_Record_Set.json")
    features = list(reader.features())
    assert [f["OBJECTID"] for f in features] == [None, None]  # listed, never sent
    assert [f["IntField"] for f in features] == [1234, 5678]


def test_message_in_a_bottle_polyline(realworld_dir: Path) -> None:
    reader = FeatureSetReader(
        realworld_dir / "execute/esridoc-execute-MessageInABottle-polyline.json"
    )
    (feature,) = reader.features()
    assert reader.param_name == "Output"
    assert reader.fields_inferred
    assert feature.geometry().constGet().nCoordinates() == 19
    assert feature["Shape_Length"] == pytest.approx(1978374.8698808267)


def test_feature_collection_curve_rings(realworld_dir: Path) -> None:
    path = (
        realworld_dir / "result/esridoc-GPFeatureRecordSetLayer-FeatureCollection-curveRings.json"
    )
    reader = FeatureSetReader(path)
    for feature in reader.features():
        assert feature.geometry().area() == pytest.approx(feature["Shape_Area"], rel=1e-4)
        assert feature.geometry().isGeosValid()
        assert feature["UserName"] is None or feature["UserName"] == NULL


def test_exceeded_transfer_limit(realworld_dir: Path) -> None:
    path = realworld_dir / "result/esridoc-GPFeatureRecordSetLayer-exceededTransferLimit-empty.json"
    assert FeatureSetReader(path).exceeded_transfer_limit
    other = realworld_dir / "result/esridoc-GPFeatureRecordSetLayer-hasZ-points.json"
    assert not FeatureSetReader(other).exceeded_transfer_limit


def test_feature_service_output_gives_a_url(realworld_dir: Path) -> None:
    reader = FeatureSetReader(
        realworld_dir / "result/esridoc-GPFeatureRecordSetLayer-feature-service-url.json"
    )
    assert reader.url.endswith("/FeatureServer/0")
    assert list(reader.features()) == []


@pytest.mark.parametrize(
    "name",
    [
        "result/esridoc-GPDataFile-sync.json",
        "result/esridoc-GPString-Output_String.json",
        "mapserver/esridoc-map-service-StreetMapProData-11.1.json",
        "task/esridoc-Level2_Features_Async-FeatureFiltersLinePolygon.json",
    ],
)
def test_responses_without_a_feature_set_raise(realworld_dir: Path, name: str) -> None:
    with pytest.raises(EsriJsonError, match="no FeatureSet"):
        FeatureSetReader(realworld_dir / name)


def _feature_set(n: int, **extra) -> dict:
    return {
        "geometryType": "esriGeometryPoint",
        "spatialReference": {"wkid": 4326},
        "fields": [{"name": "n", "type": "esriFieldTypeInteger"}],
        "features": [{"attributes": {"n": i}, "geometry": {"x": i, "y": -i}} for i in range(n)],
        **extra,
    }


def test_execute_response_picks_the_named_result(tmp_path: Path) -> None:
    doc = {
        "results": [
            {"paramName": "Text", "dataType": "GPString", "value": "hello"},
            {"paramName": "A", "dataType": "GPFeatureRecordSetLayer", "value": _feature_set(2)},
            {"paramName": "B", "dataType": "GPFeatureRecordSetLayer", "value": _feature_set(3)},
        ],
        "messages": [],
    }
    path = tmp_path / "execute.json"
    path.write_text(json.dumps(doc))
    assert FeatureSetReader(path).param_name == "A"  # the first with features
    reader = FeatureSetReader(path, param_name="B")
    assert reader.feature_count == 3
    assert [f["n"] for f in reader.features()] == [0, 1, 2]
    with pytest.raises(EsriJsonError, match="'C'"):
        FeatureSetReader(path, param_name="C")


def test_keys_in_any_order(tmp_path: Path) -> None:
    """features before fields, geometryType and spatialReference at the end."""
    body = _feature_set(50, exceededTransferLimit=True)
    reordered = {
        k: body[k]
        for k in ["features", "exceededTransferLimit", "fields", "spatialReference", "geometryType"]
    }
    path = tmp_path / "reordered.json"
    path.write_text(json.dumps({"value": reordered, "paramName": "out"}, indent=1))
    reader = FeatureSetReader(path, chunk_chars=7)
    assert reader.wkb_type == W.Point
    assert reader.crs.authid() == "EPSG:4326"
    assert reader.exceeded_transfer_limit
    assert [f["n"] for f in reader.features()] == list(range(50))


def test_feature_set_without_geometry_type_is_guessed() -> None:
    body = _feature_set(3)
    del body["geometryType"]
    body["features"][0]["geometry"] = None
    reader = FeatureSetReader(body)
    assert reader.wkb_type == W.Point
    assert [f.hasGeometry() for f in reader.features()] == [False, True, True]


def test_feature_collection_with_layers() -> None:
    body = _feature_set(2)
    fields = body.pop("fields")
    doc = {
        "paramName": "fc",
        "dataType": "GPFeatureRecordSetLayer",
        "value": {
            "featureCollection": {
                "layers": [
                    {
                        "layerDefinition": {"fields": fields, "geometryType": "esriGeometryPoint"},
                        "featureSet": body,
                    }
                ]
            }
        },
    }
    reader = FeatureSetReader(json.dumps(doc).encode())
    assert reader.fields.names() == ["n"]
    assert reader.feature_count == 2


def test_server_error_document() -> None:
    doc = {"error": {"code": 400, "message": "Unable to complete operation.", "details": ["x"]}}
    with pytest.raises(EsriJsonError, match=r"400: Unable to complete operation\.: x"):
        FeatureSetReader(json.dumps(doc).encode())


@pytest.mark.parametrize(
    "data",
    [
        b"",
        b"[]",
        b'{"features": [1, 2',
        b'{"features": [{"a": 1}}',
        b"\xff\xfe{}",
        b"{" * 5000,
        b'{"geometryType": ["x"], "features": []}',
    ],
)
def test_broken_documents_raise_our_error(data: bytes) -> None:
    with pytest.raises(EsriJsonError):
        list(FeatureSetReader(data).features())


def test_a_byte_order_mark_is_fine() -> None:
    reader = FeatureSetReader(b"\xef\xbb\xbf" + json.dumps(_feature_set(1)).encode())
    assert reader.feature_count == 1


def test_features_can_be_read_twice(tmp_path: Path) -> None:
    path = tmp_path / "fs.json"
    path.write_text(json.dumps(_feature_set(3)))
    reader = FeatureSetReader(path)
    assert len(list(reader.features())) == len(list(reader.features())) == 3


def test_write_features_to_a_geopackage(realworld_dir: Path, tmp_path: Path) -> None:
    reader = FeatureSetReader(
        realworld_dir / "result/esridoc-GPFeatureRecordSetLayer-hasZ-points.json"
    )
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    target = str(tmp_path / "points.gpkg")
    writer = QgsVectorFileWriter.create(
        target, reader.fields, reader.wkb_type, reader.crs, QgsCoordinateTransformContext(), options
    )
    assert write_features_to_sink(reader, writer) == 2
    del writer
    layer = QgsVectorLayer(target, "points", "ogr")
    assert layer.isValid()
    assert layer.featureCount() == 2
    assert layer.crs().authid() == "EPSG:4326"
    assert layer.wkbType() == W.PointZ
    first = next(layer.getFeatures(QgsFeatureRequest().addOrderBy("OBJECTID")))
    assert first["TextField"] == "a"
    assert first["DateField"].toMSecsSinceEpoch() == 229564800000
    assert wkt(first.geometry()) == "PointZ (-104.36 34.657 10)"


def test_write_features_to_sink_stops_when_canceled(tmp_path: Path) -> None:
    body = _feature_set(5000)
    reader = FeatureSetReader(body)
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=n:integer", "out", "memory")

    class CancelAfterFirstBatch(QgsProcessingFeedback):
        def setProgress(self, progress: float) -> None:
            super().setProgress(progress)
            self.cancel()

    written = write_features_to_sink(reader, layer.dataProvider(), CancelAfterFirstBatch())
    assert 0 < written < 5000
    assert layer.featureCount() == written
    assert not math.isnan(written)
