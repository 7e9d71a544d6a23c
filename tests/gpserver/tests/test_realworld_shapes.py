"""The server's JSON has the keys and value shapes of real Esri responses.

Every key of a real example must be in the server's answer to the same kind of request,
with a value of the same JSON type (objects and arrays compared recursively, first items
of arrays against each other). Keys a real server only sends in other set-ups are listed.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from .helpers import get, points, post, result, run_job


def assert_same_shape(real: Any, ours: Any, where: str = "$", ignore: tuple[str, ...] = ()) -> None:
    if real is None or ours is None:
        return
    if isinstance(real, dict):
        assert isinstance(ours, dict), f"{where}: object expected, got {ours!r:.80}"
        missing = set(real) - set(ours) - set(ignore)
        assert not missing, f"{where}: missing keys {sorted(missing)}"
        for key, value in real.items():
            if key in ours and key not in ignore:
                assert_same_shape(value, ours[key], f"{where}.{key}")
    elif isinstance(real, list):
        assert isinstance(ours, list), f"{where}: array expected, got {ours!r:.80}"
        if real and ours:
            assert_same_shape(real[0], ours[0], f"{where}[0]")
    elif isinstance(real, bool):
        assert isinstance(ours, bool), f"{where}: boolean expected, got {ours!r:.80}"
    elif isinstance(real, (int, float)):
        assert isinstance(ours, (int, float)), f"{where}: number expected, got {ours!r:.80}"
        assert not isinstance(ours, bool), f"{where}: number expected, got a boolean"
    else:
        assert isinstance(ours, str), f"{where}: string expected, got {ours!r:.80}"


def _load(directory: Path, name: str) -> Any:
    return json.loads((directory / name).read_text(encoding="utf-8"))


def test_the_shape_check_itself_can_fail() -> None:
    assert_same_shape({"a": [{"b": 1}]}, {"a": [{"b": 2.5}], "c": 3})
    with pytest.raises(AssertionError):
        assert_same_shape({"a": 1, "b": 2}, {"a": 1})
    with pytest.raises(AssertionError):
        assert_same_shape({"a": [{"b": "x"}]}, {"a": [{"b": 1}]})


def test_gp_service_descriptions(gpserver, realworld_dir) -> None:
    ours = get(gpserver.service_url("AnalysisAsync"))
    for path in sorted((realworld_dir / "gpserver").glob("*.json")):
        assert_same_shape(json.loads(path.read_text()), ours, path.name, ignore=("schema",))


def test_task_descriptions(gpserver, realworld_dir) -> None:
    features = _load(
        realworld_dir / "task", "esridoc-Level2_Features_Async-FeatureFiltersLinePolygon.json"
    )
    buffer = get(gpserver.task_url("AnalysisAsync", "Buffer"))
    assert_same_shape({k: v for k, v in features.items() if k != "parameters"}, buffer)
    ours = {p["name"]: p for p in buffer["parameters"]}
    feature_input = dict(features["parameters"][0])
    feature_input.pop("filter")  # Buffer takes every geometry type
    assert_same_shape(feature_input, ours["Input_Features"], "Input_Features")
    assert_same_shape(features["parameters"][1], ours["Output_Polygons"], "Output_Polygons")
    hot_spots = {
        p["name"]: p for p in get(gpserver.task_url("Analysis", "Hot Spots"))["parameters"]
    }
    assert_same_shape(features["parameters"][0]["filter"], hot_spots["Input_Points"]["filter"])
    table = _load(realworld_dir / "task", "esridoc-Level2_ValueTable_Sync-filters.json")
    all_types = {p["name"]: p for p in get(gpserver.task_url("Analysis", "AllTypes"))["parameters"]}
    real_table = dict(table["parameters"][0])
    real_table["parameterInfos"] = [real_table["parameterInfos"][0]]  # both: a range filter
    real_table["defaultValue"] = [[]]  # rows of arrays; the column types differ
    ours_table = dict(all_types["In_Value_Table"])
    ours_table["parameterInfos"] = [ours_table["parameterInfos"][1]]
    assert_same_shape(real_table, ours_table, "In_Value_Table")


def test_job_status_and_submit(gpserver, realworld_dir) -> None:
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    submitted = post(f"{url}/submitJob")
    assert_same_shape(
        _load(realworld_dir / "job", "esridoc-VectorTileServer-exportTiles-submit.json"), submitted
    )
    _job_id, status = run_job(url)
    for name in (
        "esridoc-job-esriJobSucceeded-EBK-inputs-results.json",
        "esridoc-VectorTileServer-exportTiles-job-succeeded.json",
    ):
        real = _load(realworld_dir / "job", name)
        real["results"] = {"Output_Long": next(iter(real["results"].values()))}
        real["inputs"] = {"Count": next(iter(real["inputs"].values()))}
        assert_same_shape(real, status, name)


def test_execute_answers(gpserver, realworld_dir) -> None:
    scalars = post(f"{gpserver.task_url('Analysis', 'Scalars')}/execute")
    for path in sorted((realworld_dir / "execute").glob("*.json")):
        real = json.loads(path.read_text())
        shell = {
            "results": [{k: real["results"][0][k] for k in ("paramName", "dataType")}],
            "messages": real["messages"],
        }
        assert_same_shape(shell, scalars, path.name)
    buffer = post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute", Input_Features=points([(1, 1)])
    )
    polyline = _load(realworld_dir / "execute", "esridoc-execute-MessageInABottle-polyline.json")
    real_value = polyline["results"][0]["value"]
    ours_value = buffer["results"][0]["value"]
    real_value["features"][0]["geometry"] = {
        "rings": real_value["features"][0]["geometry"]["paths"]
    }
    real_value["features"][0]["attributes"] = {"OBJECTID": 1}
    real_value["geometryType"] = ours_value["geometryType"]
    assert_same_shape(real_value, ours_value, "Output_Polygons")


@pytest.fixture
def results(gpserver) -> dict[str, Any]:
    """One result of each kind the fixtures show, fetched from asynchronous jobs."""
    out: dict[str, Any] = {}
    scalars = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id, _ = run_job(scalars)
    for name in ("Output_String", "Output_Double", "Output_Date"):
        out[name] = result(scalars, job_id, name)
    all_types = gpserver.task_url("AnalysisAsync", "AllTypes")
    echo_id, _ = run_job(
        all_types,
        In_Features={
            "geometryType": "esriGeometryPolyline",
            "spatialReference": {"wkid": 4326},
            "fields": [
                {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"},
                {"name": "Count", "type": "esriFieldTypeInteger", "alias": "Count"},
            ],
            "features": [
                {
                    "attributes": {"OBJECTID": 1, "Count": 2},
                    "geometry": {"paths": [[[1, 2, 3], [4, 5, 6]]]},
                }
            ],
            "hasZ": True,
        },
        In_Field_Legacy={"name": "Count"},
        In_Value_Table=[["a", 1, 2.0]],
        In_Multi_String=["red", "blue"],
    )
    out["features_z"] = result(all_types, echo_id, "In_Features_echo", returnZ="true")
    out["field"] = result(all_types, echo_id, "In_Field_Legacy_echo")
    out["value_table"] = result(all_types, echo_id, "In_Value_Table_echo", returnColumnName="true")
    out["multi_string"] = result(all_types, echo_id, "In_Multi_String_echo")
    summarize = gpserver.task_url("AnalysisAsync", "Summarize")
    table_id, _ = run_job(summarize, Input_Features=points([(1, 1)]), Group_Field="Name")
    out["record_set"] = result(summarize, table_id, "Output_Table")
    large = gpserver.task_url("AnalysisAsync", "LargeOutput")
    large_id, _ = run_job(large, Feature_Count=1001)
    out["exceeded"] = result(large, large_id, "Output_Features")
    raster = gpserver.task_url("Elevation/Viewshed", "ElevationRaster")
    raster_id, _ = run_job(raster, Cell_Size=0.1)
    out["raster"] = result(raster, raster_id, "Output_Raster", returnType="data")
    report = gpserver.task_url("Elevation/Viewshed", "Report")
    report_id, _ = run_job(report, Input_Features=points([(1, 1)]))
    out["file"] = result(report, report_id, "Output_Report")
    return out


RESULT_FIXTURES = {
    "esridoc-GPString-Output_String.json": "Output_String",
    "esridoc-GPDouble.json": "Output_Double",
    "esridoc-GPDate-epoch-ms.json": "Output_Date",
    "esridoc-GPFeatureRecordSetLayer-hasZ-points.json": "features_z",
    "esridoc-GPFeatureRecordSetLayer-exceededTransferLimit-empty.json": "exceeded",
    "esridoc-Field-Probability_Field.json": "field",
    "esridoc-GPValueTable-returnColumnName.json": "value_table",
    "esridoc-GPMultiValue-GPString.json": "multi_string",
    "esridoc-GPRecordSet-Output_Record_Set.json": "record_set",
    "esridoc-GPRasterDataLayer-async-scratch-tif.json": "raster",
    "esridoc-GPRasterDataLayer-sync-tif.json": "raster",
    "esridoc-GPDataFile-async.json": "file",
    "esridoc-GPDataFile-sync.json": "file",
    "esridoc-ExportWebMap-async-Output_File.json": "file",
}


def test_results(realworld_dir, results) -> None:
    for name, key in RESULT_FIXTURES.items():
        real = _load(realworld_dir / "result", name)
        ours = results[key]
        if key == "value_table":  # rows as objects keyed by (other) column names
            assert all(isinstance(row, dict) for row in ours["value"])
            real["value"] = [{}]
        if name.startswith("esridoc-GPFeatureRecordSetLayer-hasZ"):
            real["value"]["geometryType"] = ours["value"]["geometryType"]
            real["value"]["features"][0]["geometry"] = {"paths": [[[1, 2, 3]]]}
            real["value"]["features"][0]["attributes"] = {"OBJECTID": 1}
        if name.startswith(("esridoc-GPRecordSet", "esridoc-GPFeatureRecordSetLayer-exceeded")):
            real["value"]["fields"] = real["value"]["fields"][:1]
            if real["value"]["features"]:
                real["value"]["features"][0]["attributes"] = {}
        assert_same_shape({"paramName": "", "dataType": "", "value": real["value"]}, ours, name)


def test_map_service(gpserver, realworld_dir) -> None:
    job_id, _ = run_job(gpserver.task_url("AnalysisAsync", "LargeOutput"), Feature_Count=5)
    ours = get(f"{gpserver.services_url}/AnalysisAsync/MapServer/jobs/{job_id}")
    real = _load(realworld_dir / "mapserver", "esridoc-map-service-StreetMapProData-11.1.json")
    cache_only = ("tileInfo", "storageInfo", "tileServers", "maxExportTilesCount")
    real["layers"] = real["layers"][1:2]  # a polygon layer, like ours
    assert_same_shape(real, ours, "MapServer", ignore=cache_only)
