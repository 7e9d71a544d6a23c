"""Synchronous ``execute``: real results, spatial references, validation and errors."""

from __future__ import annotations

import json
import math

import pytest
import requests
from osgeo import ogr, osr

from .helpers import get, points, post, results_by_name, run_job

SQUARE = 100.0  # metres, for polygons in UTM 32N


def _area_in(geometry: dict, wkid_from: int, wkid_to: int) -> float:
    geom = ogr.CreateGeometryFromEsriJson(json.dumps(geometry))
    source, target = osr.SpatialReference(), osr.SpatialReference()
    source.ImportFromEPSG(wkid_from)
    target.ImportFromEPSG(wkid_to)
    for srs in (source, target):
        srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    geom.Transform(osr.CoordinateTransformation(source, target))
    return geom.GetArea()


def _utm_squares(kinds: list[str]) -> dict:
    features = []
    for i, kind in enumerate(kinds):
        x, y = 500_000 + i * 200, 5_000_000
        ring = [[x, y], [x, y + SQUARE], [x + SQUARE, y + SQUARE], [x + SQUARE, y], [x, y]]
        features.append(
            {"attributes": {"OBJECTID": i + 1, "Kind": kind}, "geometry": {"rings": [ring]}}
        )
    return {
        "geometryType": "esriGeometryPolygon",
        "spatialReference": {"wkid": 32632},
        "fields": [
            {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"},
            {"name": "Kind", "type": "esriFieldTypeString", "alias": "Kind", "length": 10},
        ],
        "features": features,
    }


def test_buffer_makes_real_circles_in_the_input_crs(gpserver) -> None:
    answer = post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute",
        Input_Features=points([(10.0, 45.0), (11.0, 46.0)]),
        Distance={"distance": 1, "units": "esriKilometers"},
    )
    output = results_by_name(answer)["Output_Polygons"]
    assert output["dataType"] == "GPFeatureRecordSetLayer"
    value = output["value"]
    assert value["geometryType"] == "esriGeometryPolygon"
    assert value["spatialReference"] == {"wkid": 4326, "latestWkid": 4326}
    assert value["exceededTransferLimit"] is False
    assert [f["name"] for f in value["fields"]] == ["OBJECTID", "Name", "BUFF_DIST", "ORIG_FID"]
    first = value["features"][0]
    assert first["attributes"] == {"OBJECTID": 1, "Name": "p1", "BUFF_DIST": 1000.0, "ORIG_FID": 1}
    ring = first["geometry"]["rings"][0]
    assert all(abs(x - 10.0) < 0.02 and abs(y - 45.0) < 0.01 for x, y in ring)
    area = _area_in(first["geometry"], 4326, 32632)
    assert area == pytest.approx(math.pi * 1000**2, rel=0.02)
    assert any(m["description"].startswith("Start Time:") for m in answer["messages"])


def test_buffer_dissolve_merges_overlapping_buffers(gpserver) -> None:
    answer = post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute",
        Input_Features=points([(10.0, 45.0), (10.005, 45.0)]),
        Distance={"distance": 500, "units": "esriMeters"},
        Dissolve=True,
    )
    value = results_by_name(answer)["Output_Polygons"]["value"]
    assert len(value["features"]) == 1
    assert [f["name"] for f in value["fields"]] == ["OBJECTID", "BUFF_DIST"]


def test_buffer_of_projected_data_stays_projected_and_old_wkids_are_understood(gpserver) -> None:
    polyline = {
        "geometryType": "esriGeometryPolyline",
        "spatialReference": {"wkid": 102113},
        "features": [
            {
                "attributes": {"FID": 1, "FNODE_": 0},
                "geometry": {"paths": [[[0, 0], [-108217.97, 26094.13]]]},
            }
        ],
    }  # no "fields" array, an old wkid: as in Esri's MessageInABottle example
    answer = post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute",
        Input_Features=polyline,
        Distance={"distance": 10, "units": "esriMeters"},
    )
    value = results_by_name(answer)["Output_Polygons"]["value"]
    assert value["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
    assert [f["name"] for f in value["fields"]] == [
        "OBJECTID",
        "FID",
        "FNODE_",
        "BUFF_DIST",
        "ORIG_FID",
    ]
    geom = ogr.CreateGeometryFromEsriJson(json.dumps(value["features"][0]["geometry"]))
    length = math.hypot(108217.97, 26094.13)
    assert geom.GetArea() == pytest.approx(2 * 10 * length + math.pi * 100, rel=0.01)


@pytest.mark.parametrize(
    "environment",
    [
        {"env:outSR": "3857"},
        {"env:outSR": json.dumps({"wkid": 102100})},
        {"context": json.dumps({"outSR": {"wkid": 3857}})},
        {"context": json.dumps({"processSR": {"wkid": 3857}})},
    ],
)
def test_out_sr_and_process_sr(gpserver, environment) -> None:
    response = requests.post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute",
        data={"f": "json", "Input_Features": json.dumps(points([(10.0, 45.0)])), **environment},
        timeout=30,
    )
    value = results_by_name(response.json())["Output_Polygons"]["value"]
    assert value["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
    x, y = value["features"][0]["geometry"]["rings"][0][0]
    assert abs(x - 1_113_195) < 1_000
    assert abs(y - 5_621_521) < 1_000


def test_an_unknown_out_sr_is_a_request_error(gpserver) -> None:
    answer = post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute",
        Input_Features=points([(10.0, 45.0)]),
        **{"env:outSR": "999999"},
    )
    assert answer["error"]["code"] == 400
    assert "outSR" in answer["error"]["details"][0]


def test_summarize_counts_and_measures_groups(gpserver) -> None:
    answer = post(
        f"{gpserver.task_url('Analysis', 'Summarize')}/execute",
        Input_Features=_utm_squares(["a", "b", "a", "a"]),
        Group_Field={"name": "Kind", "type": "esriFieldTypeString"},
    )
    table = results_by_name(answer)["Output_Table"]
    assert table["dataType"] == "GPRecordSet"
    assert "geometryType" not in table["value"]
    rows = {f["attributes"]["Kind"]: f["attributes"] for f in table["value"]["features"]}
    assert rows["a"]["COUNT"] == 3
    assert rows["b"]["COUNT"] == 1
    assert rows["a"]["SUM_AREA"] == pytest.approx(3 * SQUARE * SQUARE)
    assert rows["b"]["SUM_LENGTH"] == pytest.approx(4 * SQUARE)
    assert all("geometry" not in f for f in table["value"]["features"])


def test_summarize_group_field_may_be_a_plain_name_and_must_exist(gpserver) -> None:
    url = f"{gpserver.task_url('Analysis', 'Summarize')}/execute"
    ok = post(url, Input_Features=_utm_squares(["x"]), Group_Field="Kind")
    assert results_by_name(ok)["Output_Table"]["value"]["features"][0]["attributes"]["COUNT"] == 1
    failed = post(url, Input_Features=_utm_squares(["x"]), Group_Field="Nope")
    assert failed["error"]["message"] == "Unable to complete operation."
    assert "ERROR 000728" in failed["error"]["details"][0]
    missing = post(url, Input_Features=_utm_squares(["x"]))
    assert "ERROR 000735: Group Field: Value is required" in missing["error"]["details"][0]


def test_scalars_of_every_type(gpserver) -> None:
    answer = post(f"{gpserver.task_url('Analysis', 'Scalars')}/execute", Count=4, Factor=2.5)
    values = {r["paramName"]: (r["dataType"], r["value"]) for r in answer["results"]}
    assert values == {
        "Output_Long": ("GPLong", 8),
        "Output_Double": ("GPDouble", 10.0),
        "Output_Boolean": ("GPBoolean", True),
        "Output_String": ("GPString", "4 x 2.5 = 10"),
        "Output_Date": ("GPDate", 946_684_800_000 + 4 * 86_400_000),
    }


def test_an_output_written_to_a_feature_service_is_its_url(gpserver) -> None:
    answer = post(f"{gpserver.task_url('Analysis', 'ParcelsByZone')}/execute", Zone=2)
    value = answer["results"][0]["value"]
    assert value == {"url": f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0"}
    assert len(get(f"{value['url']}/query", where="1=1")["features"]) == 60


def test_scalars_defaults_and_get(gpserver) -> None:
    answer = get(f"{gpserver.task_url('Analysis', 'Scalars')}/execute")
    values = {r["paramName"]: r["value"] for r in answer["results"]}
    assert values["Output_Long"] == 6
    assert values["Output_Double"] == 4.5


def test_all_types_echo_what_was_sent(gpserver) -> None:
    raster_job, _ = run_job(gpserver.task_url("Elevation/Viewshed", "ElevationRaster"))
    raster_url = get(
        f"{gpserver.task_url('Elevation/Viewshed', 'ElevationRaster')}/jobs/{raster_job}"
        "/results/Output_Raster",
        returnType="data",
    )["value"]["url"]
    lines = {
        "geometryType": "esriGeometryPolyline",
        "hasM": True,
        "spatialReference": {"wkid": 4326},
        "fields": [
            {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"},
            {"name": "Label", "type": "esriFieldTypeString", "alias": "Label", "length": 80},
            {"name": "Opened", "type": "esriFieldTypeDate", "alias": "Opened"},
        ],
        "features": [
            {
                "attributes": {"OBJECTID": 1, "Label": "Straße", "Opened": 1199145600000},
                "geometry": {"paths": [[[10, 45, 0.5], [11, 46, 1.5]]]},
            }
        ],
    }
    inputs = {
        "In_String": "gamma delta",
        "In_Hidden": "s3cret",
        "In_Long": -42,
        "In_Double": 3.25,
        "In_Boolean": False,
        "In_Date": 1_700_000_000_000,
        "In_Linear_Unit": {"distance": 2.5, "units": "esriMiles"},
        "In_Areal_Unit": {"area": 7, "units": "esriHectares"},
        "In_Features": lines,
        "In_Table": {
            "fields": [{"name": "Key", "type": "esriFieldTypeString", "alias": "Key"}],
            "features": [{"attributes": {"Key": "k1"}}],
        },
        "In_Raster": {"url": raster_url},
        "In_Multi_String": ["blue", "red"],
        "In_Multi_Long": [5, 6],
        "In_Value_Table": [["x", 3, 1.5], ["y", 4, 2.5]],
        "In_Field": {"name": "Label", "type": "esriFieldTypeString"},
        "In_Field_Legacy": "Opened",
        "In_Spatial_Reference": {"wkid": 3857},
        "In_Extent": {
            "xmin": 1,
            "ymin": 2,
            "xmax": 3,
            "ymax": 4,
            "spatialReference": {"wkid": 4326},
        },
        "In_SQL": "Label = 'x'",
        "In_Unknown": {"anything": [1, 2]},
        "Free Text.Note": "a note",
    }
    answer = post(f"{gpserver.task_url('Analysis', 'AllTypes')}/execute", **inputs)
    echoes = results_by_name(answer)
    for name in ("In_String", "In_Long", "In_Double", "In_Boolean", "In_Date", "In_SQL"):
        assert echoes[f"{name}_echo"]["value"] == inputs[name], name
    assert echoes["In_Hidden_echo"]["value"] == "s3cret"
    assert echoes["In_Linear_Unit_echo"] == {
        "paramName": "In_Linear_Unit_echo",
        "dataType": "GPLinearUnit",
        "value": {"distance": 2.5, "units": "esriMiles"},
    }
    assert echoes["In_Areal_Unit_echo"]["value"] == {"area": 7.0, "units": "esriHectares"}
    assert echoes["In_Multi_String_echo"]["value"] == ["blue", "red"]
    assert echoes["In_Multi_Long_echo"]["value"] == [5, 6]
    assert echoes["In_Value_Table_echo"]["value"] == [["x", 3, 1.5], ["y", 4, 2.5]]
    assert echoes["In_Field_echo"]["value"] == {
        "name": "Label",
        "type": "esriFieldTypeString",
        "alias": "Label",
        "length": 80,
        "editable": True,
        "nullable": True,
    }
    assert echoes["In_Field_Legacy_echo"]["dataType"] == "Field"
    assert echoes["In_Field_Legacy_echo"]["value"]["type"] == "esriFieldTypeDate"
    assert echoes["In_Spatial_Reference_echo"]["value"] == {"wkid": 3857}
    assert echoes["In_Extent_echo"]["value"] == inputs["In_Extent"]
    assert echoes["In_Unknown_echo"]["value"] == {"anything": [1, 2]}
    assert echoes["Free Text.Note_echo"]["value"] == "a note"
    features = echoes["In_Features_echo"]["value"]
    assert features["features"][0]["attributes"]["Label"] == "Straße"
    assert features["features"][0]["geometry"] == {"paths": [[[10, 45], [11, 46]]]}
    table = echoes["In_Table_echo"]["value"]
    assert table["features"] == [{"attributes": {"Key": "k1"}}]
    raster = echoes["In_Raster_echo"]["value"]
    assert raster["format"] == "tif"
    assert "/arcgisoutput/Analysis_GPServer/_ags_" in raster["url"]
    original = requests.get(raster_url, timeout=10).content
    assert requests.get(raster["url"], timeout=10).content == original
    composites = json.loads(echoes["Composites_Json"]["value"])
    assert composites["In_Value_Table"] == [["x", 3, 1.5], ["y", 4, 2.5]]
    assert echoes["Composites_Json"]["dataType"] == "GPString"
    assert echoes["Composites_Object"]["value"] == composites  # a GPString holding an object


@pytest.mark.parametrize(
    ("name", "value", "error"),
    [
        ("In_String", "zeta", "ERROR 000800"),
        ("In_Long", 500, "ERROR 000854"),
        ("In_Double", -2000, "ERROR 000854"),
        ("In_Multi_String", ["red", "pink"], "ERROR 000800"),
        ("In_Value_Table", [["x", 101, 1.0]], "ERROR 000854"),
        ("In_Features", points([(1, 2)]), "ERROR 000366"),
    ],
)
def test_tool_validation_fails_the_run(gpserver, name, value, error) -> None:
    answer = post(f"{gpserver.task_url('Analysis', 'AllTypes')}/execute", **{name: value})
    assert answer["error"]["code"] == 400
    assert answer["error"]["message"] == "Unable to complete operation."
    assert error in " ".join(answer["error"]["details"])


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("In_Long", "abc"),
        ("In_Long", "1.5"),
        ("In_Boolean", "maybe"),
        ("In_Linear_Unit", '{"distance": 5'),
        ("In_Features", '{"features": 5}'),
        ("In_Value_Table", "[[1, 2]]"),
        ("In_Spatial_Reference", '{"nothing": 1}'),
    ],
)
def test_unreadable_values_are_request_errors(gpserver, name, value) -> None:
    response = requests.post(
        f"{gpserver.task_url('Analysis', 'AllTypes')}/execute",
        data={"f": "json", name: value},
        timeout=30,
    )
    assert response.status_code == 200
    error = response.json()["error"]
    assert error["code"] == 400
    assert f"Invalid value for parameter '{name}'" in error["details"][0]


def test_execute_is_not_an_operation_of_asynchronous_services(gpserver) -> None:
    answer = post(f"{gpserver.task_url('AnalysisAsync', 'Scalars')}/execute")
    assert answer == {"error": {"code": 400, "message": "Invalid URL", "details": ["Invalid URL"]}}


def test_large_output_is_cut_at_maximum_records(gpserver) -> None:
    answer = post(f"{gpserver.task_url('Analysis', 'LargeOutput')}/execute", Feature_Count=1500)
    value = results_by_name(answer)["Output_Features"]["value"]
    assert len(value["features"]) == 1000
    assert value["exceededTransferLimit"] is True
    assert value["features"][-1]["attributes"]["OBJECTID"] == 1000
    assert "hasZ" not in value
    assert len(value["features"][0]["geometry"]["rings"][0][0]) == 2


def test_large_output_with_z_and_many_attribute_types(gpserver) -> None:
    answer = post(
        f"{gpserver.task_url('Analysis', 'LargeOutput')}/execute", Feature_Count=10, returnZ=True
    )
    value = results_by_name(answer)["Output_Features"]["value"]
    assert value["hasZ"] is True
    assert value["features"][3]["geometry"]["rings"][0][0] == [5.03, 45.0, 3.0]
    assert {f["type"] for f in value["fields"]} == {
        "esriFieldTypeOID",
        "esriFieldTypeString",
        "esriFieldTypeSmallInteger",
        "esriFieldTypeDouble",
        "esriFieldTypeInteger",
        "esriFieldTypeDate",
    }
    assert value["features"][9]["attributes"] == {
        "OBJECTID": 10,
        "NAME": "Feature 10",
        "CATEGORY": 2,
        "VALUE": 4.5 + 9 * 0.25,
        "COUNT": 63,
        "CREATED": 946_684_800_000 + 9 * 3_600_000,
    }


def test_bench_service_returns_100000_features(gpserver) -> None:
    response = requests.post(
        f"{gpserver.task_url('Bench/Big', 'LargeOutput')}/execute",
        data={"f": "json", "Feature_Count": 100_000},
        timeout=120,
    )
    value = response.json()["results"][0]["value"]
    assert len(value["features"]) == 100_000
    assert value["exceededTransferLimit"] is False
    assert value["features"][-1]["attributes"]["OBJECTID"] == 100_000


def test_hot_spots_counts_points_per_cell(gpserver) -> None:
    cluster = [(10.0 + i * 0.0001, 45.0) for i in range(8)]
    scattered = [(10.5, 45.5), (11.0, 46.0), (9.5, 44.5)]
    answer = post(
        f"{gpserver.service_url('Analysis')}/Hot Spots/execute",
        Input_Points=points(cluster + scattered),
        Cell_Size={"distance": 1, "units": "esriKilometers"},
    )
    value = results_by_name(answer)["Output_Hot_Spots"]["value"]
    counts = sorted(f["attributes"]["COUNT"] for f in value["features"])
    assert sum(counts) == 11
    assert counts[-1] == 8
    hot = [f for f in value["features"] if f["attributes"]["HOT"] == 1]
    assert [f["attributes"]["COUNT"] for f in hot] == [8]


def test_feature_input_from_a_loopback_feature_service_url(gpserver) -> None:
    layer = f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0"
    answer = post(
        f"{gpserver.task_url('Analysis', 'Summarize')}/execute",
        Input_Features={"url": layer, "filter": "ZONE <= 3"},
        Group_Field="LAND_USE",
    )
    rows = results_by_name(answer)["Output_Table"]["value"]["features"]
    assert sorted(r["attributes"]["LAND_USE"] for r in rows) == [
        "Agricultural",
        "Commercial",
        "Park",
        "Residential",
    ]
    assert sum(r["attributes"]["COUNT"] for r in rows) == 30
    total_area = sum(r["attributes"]["SUM_AREA"] for r in rows)
    assert total_area == pytest.approx(30 * 120 * 80, rel=1e-6)  # measured in EPSG:3857 units


def test_feature_input_urls_must_be_loopback(gpserver) -> None:
    answer = post(
        f"{gpserver.task_url('Analysis', 'Buffer')}/execute",
        Input_Features={"url": "http://example.com/arcgis/rest/services/X/FeatureServer/0"},
    )
    assert answer["error"]["code"] == 400
    assert "loopback" in answer["error"]["details"][0]


def test_big_feature_set_bodies_are_read_whole(gpserver) -> None:
    many = points([(10 + i * 1e-5, 45.0) for i in range(50_000)])
    for feature in many["features"]:
        feature["attributes"]["Name"] = "même & = + %"  # characters that need escaping
    answer = post(
        f"{gpserver.task_url('Analysis', 'Summarize')}/execute",
        Input_Features=many,
        Group_Field="Name",
    )
    rows = results_by_name(answer)["Output_Table"]["value"]["features"]
    assert [(r["attributes"]["Name"], r["attributes"]["COUNT"]) for r in rows] == [
        ("même & = + %", 50_000)
    ]


def test_two_outputs_naming_one_scratch_file_answer_json_not_an_html_500(gpserver) -> None:
    response = requests.post(
        f"{gpserver.task_url('Tools/ReportServer', 'XmlReport')}/execute",
        data={"Title": "Quarterly", "f": "json"},
        timeout=30,
    )
    assert response.status_code == 200
    values = {name: r["value"] for name, r in results_by_name(response.json()).items()}
    assert values["Output_Report"] == values["Report_Copy"]
    assert values["Output_Report"]["url"].endswith("_report.s.xml")
    xml = requests.get(values["Output_Report"]["url"], timeout=10)
    assert "<title>Quarterly</title>" in xml.text


def test_json_body_fault_sends_answers_in_odd_shapes(gpserver) -> None:
    bare = {"code": 400, "message": "Unable to complete operation.", "details": ["x"]}
    gpserver.set_fault("json_body", path=r"/Scalars/execute$", body=bare)
    answer = post(f"{gpserver.task_url('Analysis', 'Scalars')}/execute", Count=2)
    assert answer == bare
