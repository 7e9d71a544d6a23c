"""Bad input from users, through processing.run: each a clear error or a correct request.

"Clear" means the message names the parameter (or quotes the server), and nothing was
sent when the plugin could tell the input was wrong. "Correct request" is checked on what
the server received (its request log) and on what came back.
"""

from __future__ import annotations

import json
from typing import Any

import processing
import pytest
from qgis.core import QgsFeature, QgsGeometry, QgsProcessingException, QgsVectorLayer

pytestmark = pytest.mark.timeout(60)

ALL_TYPES = "arcgisgp:rel__analysis__alltypes"
BUFFER = "arcgisgp:rel__analysis__buffer"

# (inputs, regex the error must match): refused before any request is sent.
REFUSED: dict[str, tuple[dict[str, Any], str]] = {
    "long-as-text": ({"In_Long": "seven"}, r"In_Long|Long in range"),
    "double-as-list": ({"In_Double": [1, 2]}, r"In_Double|Double in range"),
    "date-as-text": ({"In_Date": "not a date"}, r"In_Date|Date"),
    "features-as-number": ({"In_Features": 42}, r"In_Features"),
    "multi-long-with-text": ({"In_Multi_Long": "1; x; 3"}, r"In_Multi_Long.*'x'"),
    "value-table-ragged": ({"In_Value_Table": ["a", 1]}, r"In_Value_Table.*3 columns"),
    "extent-as-text": ({"In_Extent": "nonsense"}, r"In_Extent|Extent"),
    "unknown-crs": ({"In_Spatial_Reference": "EPSG:999999"}, r"In_Spatial_Reference"),
    "outside-choice-list": ({"In_String": "omega"}, r"In_String|String with choices"),
    "multi-outside-choice-list": ({"In_Multi_String": ["red", "purple"]}, r"In_Multi_String"),
    "long-above-range": ({"In_Long": 101}, r"In_Long|Long in range"),
    "double-below-range": ({"In_Double": -2000}, r"In_Double|Double in range"),
    "linear-unit-as-text": ({"In_Linear_Unit": "far"}, r"In_Linear_Unit|Linear unit"),
    "unknown-unit": (
        {"In_Linear_Unit": 5, "In_Linear_Unit_units": "esriParsecs"},
        r"In_Linear_Unit_units|units",
    ),
    "missing-file": ({"In_File": "/nonexistent/input.csv"}, r"In_File.*not found"),
}


@pytest.mark.parametrize("case", list(REFUSED))
def test_refused_before_sending(case, rel_provider, leak_guard, gpserver, feedback):
    inputs, pattern = REFUSED[case]
    with pytest.raises(QgsProcessingException, match=pattern):
        processing.run(ALL_TYPES, inputs, feedback=feedback)
    assert not gpserver.requests_to(r"/execute$")


def test_server_refusal_is_quoted(rel_provider, leak_guard, gpserver, feedback):
    """Raw JSON for an unknown GP type is passed through; the server's refusal is quoted."""
    with pytest.raises(QgsProcessingException, match=r"Invalid value for parameter 'In_Unknown'"):
        processing.run(ALL_TYPES, {"In_Unknown": "{not json"}, feedback=feedback)


def test_value_table_row_outside_its_range_is_the_servers_call(
    rel_provider, leak_guard, gpserver, feedback
):
    with pytest.raises(QgsProcessingException, match=r"In_Value_Table|Value table|Count"):
        processing.run(ALL_TYPES, {"In_Value_Table": ["a", 1000, 0.5]}, feedback=feedback)


def test_nulls_leave_inputs_to_the_task_defaults(rel_provider, leak_guard, gpserver, feedback):
    result = processing.run(
        ALL_TYPES, {"In_Long": None, "In_String": None, "Free Text.Note": None}, feedback=feedback
    )
    assert result["In_Long_echo"] == 7
    assert result["In_String_echo"] == "alpha"
    sent = gpserver.requests_to(r"/execute$")[-1].form
    assert "In_Long" not in sent  # left to the task's default, on the server


def test_non_ascii_and_very_long_text_values(rel_provider, leak_guard, gpserver, feedback):
    note = "Grüße ✓ 北京 é́ 😀 " + "x" * 100_000 + " ende"
    result = processing.run(ALL_TYPES, {"Free Text.Note": note}, feedback=feedback)
    assert result["Free Text.Note_echo"] == note
    assert gpserver.requests_to(r"/execute$")[-1].form["Free Text.Note"] == note


def _layer(geometry_type: str, crs: str, rows: list[tuple[str | None, list[Any]]], fields: str):
    layer = QgsVectorLayer(f"{geometry_type}?crs={crs}{fields}", "input", "memory")
    features = []
    for wkt, attributes in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes(attributes)
        if wkt is not None:
            feature.setGeometry(QgsGeometry.fromWkt(wkt))
        features.append(feature)
    assert layer.dataProvider().addFeatures(features)
    return layer


FIELDS = "&field=name:string(0)&field=n:integer"


def _buffer(layer: QgsVectorLayer, feedback: Any) -> QgsVectorLayer:
    result = processing.run(
        BUFFER,
        {"Input_Features": layer, "Distance": 100, "Output_Polygons": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    return result["Output_Polygons"]


def _sent_features(gpserver) -> dict[str, Any]:
    return json.loads(gpserver.requests_to(r"/execute$")[-1].form["Input_Features"])


@pytest.mark.parametrize("empty", [None, "Point EMPTY"])
def test_empty_geometries_are_sent_as_null(empty, rel_provider, leak_guard, gpserver, feedback):
    layer = _layer("Point", "EPSG:4326", [(empty, ["a", 1]), ("Point(7 47)", ["b", 2])], FIELDS)
    output = _buffer(layer, feedback)
    sent = _sent_features(gpserver)
    assert [f.get("geometry") for f in sent["features"]] == [None, {"x": 7.0, "y": 47.0}]
    assert [f["name"] for f in output.getFeatures()] == ["b"]  # the server skips it


def test_invalid_geometry_is_refused_by_processing(rel_provider, leak_guard, gpserver, feedback):
    bowtie = "Polygon((7 47, 7.1 47.1, 7.1 47, 7 47.1, 7 47))"
    layer = _layer("Polygon", "EPSG:4326", [(bowtie, ["bow", 1])], FIELDS)
    with pytest.raises(QgsProcessingException, match=r"invalid geometry"):
        _buffer(layer, feedback)
    assert not gpserver.requests_to(r"/execute$")


def test_crs_the_server_cannot_take_quotes_the_server(rel_provider, leak_guard, gpserver, feedback):
    """Mars (IAU_2015:49900) goes as ESRI WKT; the server cannot project it and says so."""
    layer = _layer("Point", "IAU_2015:49900", [("Point(7 47)", ["m", 1])], FIELDS)
    with pytest.raises(QgsProcessingException, match=r"server reported an error.*ERROR 999999"):
        _buffer(layer, feedback)
    assert "Mars" in _sent_features(gpserver)["spatialReference"]["wkt"]


def test_layer_without_crs_is_sent_with_a_warning(rel_provider, leak_guard, gpserver, feedback):
    layer = _layer("Point", "", [("Point(7 47)", ["x", 1])], FIELDS)
    assert not layer.crs().isValid()
    output = _buffer(layer, feedback)
    assert output.featureCount() == 1
    assert "spatialReference" not in _sent_features(gpserver)
    assert any("no valid CRS" in warning for warning in feedback.warnings)


def test_custom_crs_goes_as_wkt_and_comes_back(rel_provider, leak_guard, gpserver, feedback):
    ortho = "PROJ:+proj=ortho +lat_0=47 +lon_0=7 +datum=WGS84"
    layer = _layer("Point", ortho, [("Point(100 200)", ["o", 1])], FIELDS)
    output = _buffer(layer, feedback)
    assert "wkt" in _sent_features(gpserver)["spatialReference"]
    assert output.crs() == layer.crs() or "ortho" in output.crs().toProj()
    assert output.featureCount() == 1


def test_non_ascii_names_long_values_and_nulls_in_features(
    rel_provider, leak_guard, gpserver, feedback
):
    text = "Zürich ✓ 北京 é́ 😀"
    long_text = "ß" * 200_000
    fields = "&field=n%C3%A4me:string(0)&field=n:integer"
    rows = [
        ("Point(7 47)", [text, 1]),
        ("Point(7.1 47)", [long_text, 2]),
        ("Point(7.2 47)", [None, None]),
    ]
    output = _buffer(_layer("Point", "EPSG:4326", rows, fields), feedback)
    assert "näme" in output.fields().names()
    got = {f["ORIG_FID"]: (f["näme"], f["n"]) for f in output.getFeatures()}
    assert got[1] == (text, 1)
    assert got[2] == (long_text, 2)
    name, number = got[3]
    assert name is None or (hasattr(name, "isNull") and name.isNull())
    assert number is None or (hasattr(number, "isNull") and number.isNull())


def test_empty_layer_gives_an_empty_output(rel_provider, leak_guard, gpserver, feedback):
    output = _buffer(_layer("Point", "EPSG:4326", [], FIELDS), feedback)
    assert output.featureCount() == 0
    assert _sent_features(gpserver)["features"] == []
