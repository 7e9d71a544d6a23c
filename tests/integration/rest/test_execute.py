"""Synchronous execute over real HTTP: value encoding end to end, outSR, errors."""

from __future__ import annotations

import json

import pytest

from arcgis_gp.plugin.rest import ArcGisServerError, MessageType, RawJson

POINTS = {
    "geometryType": "esriGeometryPoint",
    "spatialReference": {"wkid": 4326},
    "fields": [{"name": "Name", "type": "esriFieldTypeString", "alias": "Name", "length": 50}],
    "features": [
        {"geometry": {"x": 10.0, "y": 45.0}, "attributes": {"Name": "a"}},
        {"geometry": {"x": 10.1, "y": 45.1}, "attributes": {"Name": "b"}},
    ],
}


def test_execute_scalars(client, gpserver):
    result = client.execute("Analysis/GPServer/Scalars", {"Count": 4, "Factor": 2.5})
    assert result.value("Output_Long") == 8
    assert result.value("Output_Double") == pytest.approx(10.0)
    assert result.value("Output_Boolean") is True
    assert result.results["Output_Date"].data_type == "GPDate"
    assert any(m.type is MessageType.INFORMATIVE for m in result.messages)
    (request,) = gpserver.requests_to(r"/Scalars/execute$")
    assert request.method == "POST"
    assert request.form == {"Count": "4", "Factor": "2.5", "f": "json"}
    assert request.query == {}


def test_values_encoded_as_the_api_wants(client, gpserver):
    inputs = {
        "In_String": "gamma delta",
        "In_Boolean": False,
        "In_Long": -5,
        "In_Double": 0.25,
        "In_Linear_Unit": {"distance": 2, "units": "esriMiles"},
        "In_Multi_Long": [4, 5],
        "In_Value_Table": [["b", 2, 0.1]],
        "Free Text.Note": "x & y = z; 100%",
        "In_SQL": None,  # omitted
    }
    result = client.execute(gpserver.task_url("Analysis", "AllTypes"), inputs)
    assert result.value("In_String_echo") == "gamma delta"
    assert result.value("In_Boolean_echo") is False
    assert result.value("In_Long_echo") == -5
    assert result.value("In_Linear_Unit_echo") == {"distance": 2, "units": "esriMiles"}
    assert result.value("In_Multi_Long_echo") == [4, 5]
    assert result.value("In_Value_Table_echo") == [["b", 2, 0.1]]
    assert result.value("Free Text.Note_echo") == "x & y = z; 100%"
    (request,) = gpserver.requests_to(r"/AllTypes/execute$")
    form = request.form
    assert form["In_Boolean"] == "false"
    assert form["In_Linear_Unit"] == '{"distance":2,"units":"esriMiles"}'
    assert form["In_Multi_Long"] == "[4,5]"
    assert "In_SQL" not in form


def test_raw_json_features_and_out_sr(client, gpserver):
    result = client.execute(
        "Analysis/GPServer/Buffer",
        {
            "Input_Features": RawJson(json.dumps(POINTS).encode()),
            "Distance": {"distance": 1, "units": "esriKilometers"},
        },
        out_sr=3857,
    )
    output = result.value("Output_Polygons")
    assert output["spatialReference"].get("latestWkid", output["spatialReference"]["wkid"]) == 3857
    assert [f["attributes"]["Name"] for f in output["features"]] == ["a", "b"]
    x = output["features"][0]["geometry"]["rings"][0][0][0]
    assert abs(x) > 1000  # metres, not degrees
    (request,) = gpserver.requests_to(r"/Buffer/execute$")
    assert json.loads(request.form["Input_Features"]) == POINTS
    assert json.loads(request.form["env:outSR"]) == {"wkid": 3857}


def test_context_and_process_sr_sent(client, gpserver):
    client.execute(
        "Analysis/GPServer/Scalars",
        {"Count": 1},
        process_sr={"wkid": 3857},
        context={"outSR": {"wkid": 4326}},
        return_z=True,
    )
    (request,) = gpserver.requests_to(r"/Scalars/execute$")
    assert json.loads(request.form["env:processSR"]) == {"wkid": 3857}
    assert json.loads(request.form["context"]) == {"outSR": {"wkid": 4326}}
    assert request.form["returnZ"] == "true"


def test_task_error_raised_with_server_message(client, gpserver):
    with pytest.raises(ArcGisServerError) as caught:
        client.execute("Analysis/GPServer/Buffer", {"Input_Features": "not json"})
    error = caught.value
    assert error.code == 400
    assert "Unable to complete operation" in str(error)
    assert error.url.endswith("/Analysis/GPServer/Buffer/execute")


def test_execute_on_async_service_fails_like_arcgis(client):
    with pytest.raises(ArcGisServerError):
        client.execute("AnalysisAsync/GPServer/Scalars", {"Count": 1})


def test_descriptions(client, gpserver):
    service = client.service_info("Elevation/Viewshed")
    assert service.is_async
    assert service.supports_uploads
    assert service.result_map_server_name == "Viewshed"
    assert "SlowTask" in service.task_names
    task = client.task_info(gpserver.services_url + "/Analysis/GPServer/Hot%20Spots?f=pjson")
    assert task.name == "Hot Spots"
    assert task.service_path == "Analysis"
    assert [p.name for p in task.inputs] == ["Input_Points", "Cell_Size"]
    info = client.server_info()
    assert info["authInfo"]["isTokenBasedSecurity"] is True
