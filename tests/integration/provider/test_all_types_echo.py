"""Every row of the GP type table goes to the server and comes back unchanged (AllTypes echo)."""

from __future__ import annotations

import json

import processing
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer, QgsWkbTypes
from qgis.PyQt.QtCore import QDate, QDateTime, Qt, QTime

NOTE = "Zürich – ünïcödé, 東京"  # noqa: RUF001 - non-ASCII on purpose


def _lines() -> QgsVectorLayer:
    layer = QgsVectorLayer("LineString?crs=EPSG:4326&field=kind:string(20)", "lines", "memory")
    features = []
    for kind, wkt in (
        ("road", "LINESTRING(7 46, 7.1 46.1)"),
        ("rail", "LINESTRING(7 46.2, 7.3 46.2)"),
    ):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([kind])
        feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _table() -> QgsVectorLayer:
    layer = QgsVectorLayer("None?field=name:string(20)&field=amount:double", "rows", "memory")
    features = []
    for name, amount in (("a", 1.5), ("b", None), ("c", -2.0)):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name, amount])
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


@pytest.mark.parametrize("service", ["analysis", "analysisasync"])
def test_every_type_round_trips(provider, service, feedback) -> None:
    when = QDateTime(QDate(2024, 2, 29), QTime(12, 30, 0), Qt.TimeSpec.UTC)
    result = processing.run(
        f"arcgisgp:demo__{service}__alltypes",
        {
            "In_String": "gamma delta",
            "In_Hidden": "s3cret-value",
            "In_Long": 42,
            "In_Double": -3.25,
            "In_Boolean": False,
            "In_Date": when,
            "In_Linear_Unit": 2.5,
            "In_Linear_Unit_units": "esriMiles",
            "In_Areal_Unit": 3,
            "In_Areal_Unit_units": "esriHectares",
            "In_Features": _lines(),
            "In_Table": _table(),
            "In_Multi_String": ["green", "blue"],
            "In_Multi_Long": "4; 5; 6",
            "In_Value_Table": ["x", 3, 0.25, "y", 4, 1.5],
            "In_Field": "kind",
            "In_Field_Legacy": "kind",
            "In_Spatial_Reference": "EPSG:2056",
            "In_Extent": "1,3,2,4 [EPSG:4326]",
            "In_SQL": "kind = 'road'",
            "In_Unknown": '{"a": [1, 2]}',
            "Free Text.Note": NOTE,
            "In_Features_echo": "TEMPORARY_OUTPUT",
            "In_Table_echo": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    assert result["In_String_echo"] == "gamma delta"
    assert result["In_Hidden_echo"] == "s3cret-value"
    assert result["In_Long_echo"] == 42
    assert result["In_Double_echo"] == -3.25
    assert result["In_Boolean_echo"] is False
    assert result["In_Date_echo"] == "2024-02-29T12:30:00Z"
    assert json.loads(result["In_Linear_Unit_echo"]) == {"distance": 2.5, "units": "esriMiles"}
    assert json.loads(result["In_Areal_Unit_echo"]) == {"area": 3, "units": "esriHectares"}
    assert json.loads(result["In_Multi_String_echo"]) == ["green", "blue"]
    assert json.loads(result["In_Multi_Long_echo"]) == [4, 5, 6]
    rows = json.loads(result["In_Value_Table_echo"])
    assert [list(row.values()) if isinstance(row, dict) else row for row in rows] == [
        ["x", 3, 0.25],
        ["y", 4, 1.5],
    ]
    assert result["In_Field_echo"] == "kind"
    assert result["In_Field_Legacy_echo"] == "kind"
    assert result["In_Spatial_Reference_echo"] == "EPSG:2056"
    extent = json.loads(result["In_Extent_echo"])
    assert (extent["xmin"], extent["ymin"], extent["xmax"], extent["ymax"]) == (1, 2, 3, 4)
    assert extent["spatialReference"]["wkid"] == 4326
    assert result["In_SQL_echo"] == "kind = 'road'"
    assert json.loads(result["In_Unknown_echo"]) == {"a": [1, 2]}
    assert result["Free Text.Note_echo"] == NOTE

    lines = result["In_Features_echo"]
    lines = lines if isinstance(lines, QgsVectorLayer) else QgsVectorLayer(lines)
    assert QgsWkbTypes.geometryType(lines.wkbType()) == QgsWkbTypes.GeometryType.LineGeometry
    assert sorted(f["kind"] for f in lines.getFeatures()) == ["rail", "road"]
    assert lines.crs().authid() == "EPSG:4326"
    table = result["In_Table_echo"]
    table = table if isinstance(table, QgsVectorLayer) else QgsVectorLayer(table)
    assert table.wkbType() == QgsWkbTypes.Type.NoGeometry
    amounts = {f["name"]: f["amount"] for f in table.getFeatures()}
    assert amounts["a"] == 1.5
    assert amounts["c"] == -2.0
    assert amounts["b"] is None or str(amounts["b"]) == "NULL"


def test_a_hidden_string_comes_from_a_qgis_auth_configuration(
    provider, qgis_auth_manager, gpserver, feedback
) -> None:
    from tests.qgis_auth import store_auth_config

    authcfg = store_auth_config(
        qgis_auth_manager, "Basic", "service key", {"username": "", "password": "k3y-from-db"}
    )
    try:
        algorithm = provider.algorithm("demo__analysis__alltypes")
        definition = algorithm.parameterDefinition("In_Hidden")
        assert definition.type() == "authcfg"  # the dialog offers the auth database
        result = processing.run(
            "arcgisgp:demo__analysis__alltypes",
            {"In_Hidden": authcfg, "In_Features_echo": "memory:", "In_Table_echo": "memory:"},
            feedback=feedback,
        )
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)
    assert result["In_Hidden_echo"] == "k3y-from-db"
    sent = [r for r in gpserver.requests if r.path.endswith("/AllTypes/execute")][-1]
    assert sent.form["In_Hidden"] == "k3y-from-db"
    assert authcfg not in sent.form.values()
