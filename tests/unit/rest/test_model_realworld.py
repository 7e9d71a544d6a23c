"""Every real Esri response in tests/data/realworld parses through the model."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arcgis_gp.plugin.rest import (
    Direction,
    ExecuteResult,
    ExecutionType,
    GPResult,
    GPService,
    GPTask,
    JobInfo,
    JobStatus,
    MessageType,
    ParameterType,
    resolve_url,
)
from arcgis_gp.plugin.rest.urls import ServerUrl

BASE = "https://organization.example.com/server/rest/services"


def _load(path: Path):
    return json.loads(path.read_text(encoding="utf-8"))


def _parse(kind: str, path: Path):
    data = _load(path)
    if kind == "gpserver":
        return GPService.from_json(data, url=BASE + "/S/GPServer", path="S")
    if kind == "task":
        return GPTask.from_json(data, url=BASE + "/S/GPServer/T", service_path="S")
    if kind == "job":
        return JobInfo.from_json(data)
    if kind == "result":
        return GPResult.from_json(data)
    if kind == "execute":
        return ExecuteResult.from_json(data)
    if kind == "mapserver":
        # Not a GP service: parsing it as one must give a service without tasks.
        return GPService.from_json(data, url=BASE + "/M/MapServer", path="M")
    raise AssertionError(f"no parser for fixture kind {kind!r}: add one")


def test_every_fixture_parses(realworld_dir):
    files = sorted(realworld_dir.glob("*/*.json"))
    assert len(files) >= 25
    for path in files:
        parsed = _parse(path.parent.name, path)
        assert parsed.raw == _load(path), path


def test_gpservers(realworld_dir):
    hotspot = _parse("gpserver", realworld_dir / "gpserver/esridoc-911CallsHotspot-10.91.json")
    assert hotspot.task_names == ["911 Calls Hotspot"]
    assert hotspot.execution_type is ExecutionType.ASYNCHRONOUS
    assert hotspot.capabilities == set()
    assert not hotspot.supports_uploads
    assert hotspot.result_map_server_name == ""
    assert hotspot.maximum_records == 1000
    assert hotspot.current_version == pytest.approx(10.91)
    files = _parse(
        "gpserver", realworld_dir / "gpserver/esridoc-FileProcessing-11.1-uploads-schema.json"
    )
    assert files.supports_uploads
    assert files.task_names == ["Processing for Northern Districts", "Batch Processing",
                                "PDF Processing"]  # fmt: skip
    assert files.description.startswith("This geoprocessing service allows")


def test_mapserver_is_not_a_gp_service(realworld_dir):
    service = _parse("mapserver", next((realworld_dir / "mapserver").glob("*.json")))
    assert service.task_names == []


def test_feature_task(realworld_dir):
    task = _parse(
        "task", realworld_dir / "task/esridoc-Level2_Features_Async-FeatureFiltersLinePolygon.json"
    )
    assert task.name == "FeatureFiltersLinePolygon"
    assert task.display_name == "Feature filters with line and polygon"
    assert task.is_async
    assert [p.name for p in task.inputs] == ["Input_Features", "esri_out_feature_service_name"]
    assert [p.name for p in task.outputs] == ["Output_Feature_Class"]
    features = task.parameter("Input_Features")
    assert features.is_required
    assert features.is_input
    assert features.filter == {"type": "featureClass",
                               "list": ["esriGeometryPolygon", "esriGeometryPolyline"]}  # fmt: skip
    assert features.default_value["geometryType"] == "esriGeometryPolygon"
    output = task.parameter("Output_Feature_Class")
    assert output.parameter_type is ParameterType.REQUIRED
    assert output.is_output
    assert not output.is_required
    assert task.parameter("esri_out_feature_service_name").default_value == ""
    assert task.help_url.endswith("FeatureFiltersLinePolygon.htm")


def test_value_table_task(realworld_dir):
    task = _parse("task", realworld_dir / "task/esridoc-Level2_ValueTable_Sync-filters.json")
    assert task.execution_type is ExecutionType.SYNCHRONOUS
    table = task.parameter("Input_range_filters")
    assert table.base_type == "GPValueTable"
    assert table.item_type is None
    assert [c.name for c in table.parameter_infos] == ["input long column", "input double column"]
    assert table.parameter_infos[1].filter["minimum"] == pytest.approx(-12345678.9)
    assert table.parameter_infos[0].data_type == "GPLong"
    rasters = task.parameter("Output_raster_layers")
    assert rasters.parameter_type is ParameterType.DERIVED
    assert rasters.direction is Direction.OUTPUT
    assert rasters.base_type == "GPMultiValue"
    assert rasters.item_type == "GPRasterDataLayer"
    assert rasters.default_value == []
    assert rasters.parameter_infos[0].name == ""


def test_jobs(realworld_dir):
    done = _parse("job", realworld_dir / "job/esridoc-job-esriJobSucceeded-EBK-inputs-results.json")
    assert done.job_id == "jfae883d52a074359a0bac3d5b353fe16"
    assert done.status is JobStatus.SUCCEEDED
    assert done.status.is_terminal
    assert done.results == {"Output_Long": "results/Output_Long",
                            "Output_Feature_Class": "results/Output_Feature_Class"}  # fmt: skip
    assert len(done.messages) == 5
    assert all(m.type is MessageType.INFORMATIVE for m in done.messages)
    assert done.progress is None
    submitted = _parse(
        "job", realworld_dir / "job/esridoc-VectorTileServer-exportTiles-submit.json"
    )
    assert submitted.status is JobStatus.SUBMITTED
    assert not submitted.status.is_terminal
    assert submitted.job_id.endswith("_et")
    assert submitted.messages == []
    tiles = _parse(
        "job", realworld_dir / "job/esridoc-VectorTileServer-exportTiles-job-succeeded.json"
    )
    assert tiles.inputs["thread_count"] == "inputs/thread_count"  # leading space stripped
    job_url = BASE + "/Hosted/Tiles/VectorTileServer/jobs/" + tiles.job_id
    resolved = resolve_url(tiles.inputs["thread_count"], ServerUrl(BASE), job_url)
    assert resolved == job_url + "/inputs/thread_count"


def test_execute_results(realworld_dir):
    multi = _parse(
        "execute", realworld_dir / "execute/esridoc-execute-multivalue-raster-double-string.json"
    )
    assert list(multi.results) == ["Output_rasters", "Output_doubles", "Output_strings"]
    assert multi.value("Output_strings") == ["California", "Texas", "Alaska"]
    assert multi.results["Output_rasters"].base_type == "GPMultiValue"
    assert multi.messages[-1].description.startswith("Succeeded at")
    bottle = _parse(
        "execute", realworld_dir / "execute/esridoc-execute-MessageInABottle-polyline.json"
    )
    value = bottle.value("Output")
    assert value["spatialReference"] == {"wkid": 102113}
    assert "fields" not in value
    assert bottle.messages == []


def test_results(realworld_dir):
    field = _parse("result", realworld_dir / "result/esridoc-Field-Probability_Field.json")
    assert field.data_type == "Field"
    assert field.base_type == "GPField"
    date = _parse("result", realworld_dir / "result/esridoc-GPDate-epoch-ms.json")
    assert date.value == 1199145600000
    string = _parse("result", realworld_dir / "result/esridoc-GPString-Output_String.json")
    assert (string.param_name, string.value) == ("Output_String", "TestString")
