"""Ready-to-use services: which hosts get the login's token, how an output name is sent,
and what a job record keeps of a layer input that carries a token."""

from __future__ import annotations

import json

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.provider.hosted import (
    encode_output_name,
    is_output_name,
    login_hosts,
    logs_in_to,
)
from arcgis_gp.plugin.provider.job_inputs import record_inputs, secret_values
from arcgis_gp.plugin.rest.descriptions import GPParameter, GPService, GPTask

ENTERPRISE = Connection("portal", "https://gis.example.com/portal")
AGOL = Connection("agol", "https://acme.maps.arcgis.com")


def _param(name: str, data_type: str = "GPString") -> GPParameter:
    return GPParameter.from_json(
        {"name": name, "dataType": data_type, "direction": "esriGPParameterDirectionInput"}
    )


def _service(path: str) -> GPService:
    url = f"https://x.example.com/arcgis/rest/services/{path}/GPServer"
    return GPService.from_json({}, url=url, path=path)


def test_tokens_go_only_to_hosts_the_connection_logs_in_to() -> None:
    hosts = login_hosts(ENTERPRISE, ["https://gis.example.com/server/rest/services/X/GPServer"])
    assert logs_in_to(hosts, "https://gis.example.com/server/rest/services/H/FeatureServer/0")
    assert not logs_in_to(hosts, "https://other.example.com/arcgis/rest/services/H/FeatureServer/0")
    assert not logs_in_to(
        hosts, "https://services3.arcgis.com/org/arcgis/rest/services/H/FeatureServer/0"
    )
    # ArcGIS Online's hosted layers take an ArcGIS Online login as it is.
    online = login_hosts(AGOL, ["https://analysis1.arcgis.com/arcgis/rest/services/tasks/GPServer"])
    assert logs_in_to(
        online, "https://services3.arcgis.com/org/arcgis/rest/services/H/FeatureServer/0"
    )
    assert not logs_in_to(online, "https://arcgis.com.evil.example/H/FeatureServer/0")


def test_output_names_are_recognised_by_name_and_type() -> None:
    assert is_output_name(_param("outputName"))
    assert is_output_name(_param("esri_out_feature_service_name"))
    assert not is_output_name(_param("outputName", "GPLong"))
    assert not is_output_name(_param("Output_Name"))


def test_the_analysis_services_get_json_others_the_plain_name() -> None:
    name = _param("outputName")
    for path in ("tasks", "System/SpatialAnalysisTools", "System/RasterAnalysisTools"):
        sent = encode_output_name(_service(path), name, " Buffers ")
        assert json.loads(sent) == {"serviceProperties": {"name": "Buffers"}}
    assert (
        encode_output_name(
            _service("Tools/Hydrology"), _param("esri_out_feature_service_name"), "W"
        )
        == "W"
    )
    assert encode_output_name(_service("Custom/Tool"), name, "Buffers") == "Buffers"
    overwrite = '{"itemProperties": {"itemId": "abc"}}'
    assert encode_output_name(_service("tasks"), name, overwrite) == overwrite


def test_a_layer_input_with_a_service_token_is_not_recorded() -> None:
    task = GPTask.from_json(
        {"name": "CreateBuffers", "parameters": []},
        url="https://x.example.com/arcgis/rest/services/tasks/GPServer/CreateBuffers",
        service_path="tasks",
    )
    inputs = {"inputLayer": {"url": "https://h/FeatureServer/0", "serviceToken": "tok-123"}}
    assert record_inputs(task, inputs) == {"inputLayer": {"$redacted": True}}
    assert secret_values(task, inputs) == ["tok-123"]
