"""Services directory, folders, GP service and task descriptions."""

from __future__ import annotations

import requests

from .helpers import get


def test_info_points_to_the_token_service(gpserver) -> None:
    info = get(f"{gpserver.root}/arcgis/rest/info")
    assert info["currentVersion"] == 11.1
    assert info["fullVersion"] == "11.1.0"
    assert info["authInfo"]["isTokenBasedSecurity"] is True
    assert info["authInfo"]["tokenServicesUrl"] == gpserver.token_url


def test_root_lists_folders_and_services_with_result_map_services(gpserver) -> None:
    root = get(gpserver.services_url)
    assert root["folders"] == [
        "Basemaps",
        "Bench",
        "Elevation",
        "Hosted",
        "Secure",
        "Tools",
        "Units",
    ]
    assert root["services"] == [
        {"name": "Analysis", "type": "GPServer"},
        {"name": "AnalysisAsync", "type": "GPServer"},
        {"name": "AnalysisAsync", "type": "MapServer"},
        {"name": "PrintServer", "type": "GPServer"},
    ]


def test_folders_list_their_services_including_non_gp_ones(gpserver) -> None:
    assert get(f"{gpserver.services_url}/Elevation")["services"] == [
        {"name": "Elevation/Viewshed", "type": "GPServer"},
        {"name": "Elevation/Viewshed", "type": "MapServer"},
    ]
    assert get(f"{gpserver.services_url}/Basemaps")["services"] == [
        {"name": "Basemaps/World", "type": "MapServer"}
    ]
    hosted = get(f"{gpserver.services_url}/Hosted")
    assert hosted == {
        "currentVersion": 11.1,
        "folders": [],
        "services": [{"name": "Hosted/Parcels", "type": "FeatureServer"}],
    }
    # ArcGIS matches folder names without regard to case
    assert get(f"{gpserver.services_url}/bench")["services"] == [
        {"name": "Bench/Big", "type": "GPServer"},
        {"name": "Bench/BigAsync", "type": "GPServer"},
    ]


def test_unknown_folder_and_service_answer_errors_with_http_200(gpserver) -> None:
    response = requests.get(f"{gpserver.services_url}/Nowhere", params={"f": "json"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"error": {"code": 404, "message": "Folder not found", "details": []}}
    missing = get(f"{gpserver.services_url}/Elevation/Nothing/GPServer")
    # as ArcGIS Server 10.9+/11 answers (tests/data/realworld/odd_answers.json)
    message = "Service Elevation/Nothing/GPServer not found "
    assert missing == {"error": {"code": 404, "message": message, "details": []}}
    task = get(gpserver.task_url("Analysis", "NoSuchTask"))
    assert task["error"]["code"] == 404


def test_gp_service_descriptions(gpserver) -> None:
    sync = get(gpserver.service_url("Analysis"))
    assert sync == {
        "currentVersion": 11.1,
        "cimVersion": "3.1.0",
        "serviceDescription": "Synchronous analysis tasks.",
        "tasks": [
            "Buffer",
            "Summarize",
            "Scalars",
            "AllTypes",
            "LargeOutput",
            "ParcelsByZone",
            "Hot Spots",
        ],
        "executionType": "esriExecutionTypeSynchronous",
        "resultMapServerName": "",
        "maximumRecords": 1000,
        "capabilities": "",
    }
    asynchronous = get(gpserver.service_url("AnalysisAsync"))
    assert asynchronous["tasks"] == sync["tasks"]
    assert asynchronous["executionType"] == "esriExecutionTypeAsynchronous"
    assert asynchronous["resultMapServerName"] == "AnalysisAsync"
    assert asynchronous["capabilities"] == "Uploads"
    viewshed = get(gpserver.service_url("Elevation/Viewshed"))
    assert viewshed["tasks"] == [
        "Viewshed",
        "ElevationRaster",
        "ElevationImageService",
        "Report",
        "SlowTask",
        "FailingTask",
        "TimeoutTask",
    ]
    assert viewshed["resultMapServerName"] == "Viewshed"
    assert get(gpserver.service_url("Bench/Big"))["maximumRecords"] == 1_000_000


def test_task_description_with_a_space_in_the_name(gpserver) -> None:
    url = f"{gpserver.service_url('Analysis')}/Hot%20Spots"
    task = get(url)
    assert list(task) == [
        "name",
        "displayName",
        "description",
        "category",
        "helpUrl",
        "executionType",
        "parameters",
    ]
    assert task["name"] == "Hot Spots"
    assert task["executionType"] == "esriExecutionTypeSynchronous"
    assert [p["name"] for p in task["parameters"]] == [
        "Input_Points",
        "Cell_Size",
        "Output_Hot_Spots",
    ]
    help_page = requests.get(task["helpUrl"], timeout=10)
    assert help_page.status_code == 200
    assert "Hot Spots" in help_page.text


def test_parameters_carry_every_key_of_a_real_description(gpserver) -> None:
    buffer = get(gpserver.task_url("AnalysisAsync", "Buffer"))
    assert buffer["executionType"] == "esriExecutionTypeAsynchronous"
    first = buffer["parameters"][0]
    assert list(first) == [
        "name",
        "dataType",
        "displayName",
        "description",
        "direction",
        "defaultValue",
        "parameterType",
        "category",
    ]
    assert first["dataType"] == "GPFeatureRecordSetLayer"
    assert first["direction"] == "esriGPParameterDirectionInput"
    assert first["parameterType"] == "esriGPParameterTypeRequired"
    assert first["defaultValue"]["geometryType"] == "esriGeometryPoint"
    assert first["defaultValue"]["spatialReference"]["wkid"] == 4326
    by_name = {p["name"]: p for p in buffer["parameters"]}
    assert by_name["Distance"]["defaultValue"] == {"distance": 100, "units": "esriMeters"}
    assert by_name["Dissolve"]["parameterType"] == "esriGPParameterTypeOptional"
    output = by_name["Output_Polygons"]
    assert output["direction"] == "esriGPParameterDirectionOutput"
    assert output["parameterType"] == "esriGPParameterTypeDerived"
    summarize = {
        p["name"]: p for p in get(gpserver.task_url("Analysis", "Summarize"))["parameters"]
    }
    assert summarize["Input_Features"]["defaultValue"] == {}
    assert summarize["Group_Field"]["dataType"] == "Field"
    assert summarize["Group_Field"]["dependency"] == "Input_Features"


def test_all_types_declares_every_row_of_the_type_table(gpserver) -> None:
    task = get(gpserver.task_url("Analysis", "AllTypes"))
    inputs = {p["name"]: p for p in task["parameters"] if p["direction"].endswith("Input")}
    types = {p["dataType"] for p in inputs.values()}
    assert types >= {
        "GPString",
        "GPStringHidden",
        "GPLong",
        "GPDouble",
        "GPBoolean",
        "GPDate",
        "GPLinearUnit",
        "GPArealUnit",
        "GPFeatureRecordSetLayer",
        "GPRecordSet",
        "GPRasterDataLayer",
        "GPDataFile",
        "GPMultiValue:GPString",
        "GPMultiValue:GPLong",
        "GPValueTable",
        "GPField",
        "Field",
        "GPSpatialReference",
        "GPExtent",
        "GPSQLExpression",
        "GPSomethingNew",
    }
    assert inputs["In_String"]["choiceList"] == ["alpha", "beta", "gamma delta"]
    assert inputs["In_Long"]["filter"] == {"type": "range", "minimum": -100, "maximum": 100}
    assert inputs["In_Multi_String"]["choiceList"] == ["red", "green", "blue"]
    columns = inputs["In_Value_Table"]["parameterInfos"]
    assert [c["name"] for c in columns] == ["Name", "Count", "Weight"]
    assert columns[1]["filter"]["type"] == "range"
    assert inputs["In_Field"]["dependency"] == "In_Features"
    assert inputs["In_Field_Legacy"]["dataType"] == "Field"
    assert "Free Text.Note" in inputs
    assert {p["category"] for p in inputs.values()} >= {"Text", "Numbers", "Units", "Data"}
    outputs = [p["name"] for p in task["parameters"] if p["direction"].endswith("Output")]
    assert all(f"{name}_echo" in outputs for name in inputs)


def test_formats_json_pjson_and_html(gpserver) -> None:
    url = gpserver.service_url("Analysis")
    compact = requests.get(url, params={"f": "json"}, timeout=10)
    # ArcGIS Server sends f=json as text/plain: clients must not insist on a JSON type
    assert compact.headers["Content-Type"].startswith("text/plain")
    assert "\n" not in compact.text
    pretty = requests.get(url, params={"f": "pjson"}, timeout=10)
    assert pretty.json() == compact.json()
    assert "\n" in pretty.text
    page = requests.get(url, timeout=10)
    assert page.headers["Content-Type"].startswith("text/html")
    assert "esriExecutionTypeSynchronous" in page.text


def test_non_gp_services_answer_minimally(gpserver) -> None:
    world = get(f"{gpserver.services_url}/Basemaps/World/MapServer")
    assert world["layers"][0]["name"] == "World"
    parcels = get(f"{gpserver.services_url}/Hosted/Parcels/FeatureServer")
    assert parcels["layers"][0]["geometryType"] == "esriGeometryPolygon"
    layer = get(f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0")
    assert layer["objectIdField"] == "OBJECTID"
    assert layer["extent"]["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}


def test_unknown_paths(gpserver) -> None:
    assert requests.get(f"{gpserver.root}/nothing", timeout=10).status_code == 404
    rest = get(f"{gpserver.root}/arcgis/rest/nothing")
    assert rest["error"]["code"] == 404
    redirect = requests.get(f"{gpserver.root}/arcgis", allow_redirects=False, timeout=10)
    assert redirect.status_code in (301, 302)
    assert redirect.headers["Location"].endswith("/arcgis/rest/services")


def test_every_parameter_has_the_key_default_value(gpserver) -> None:
    """Real servers send ``defaultValue`` (null when there is none) for every parameter;
    Esri's own client reads it unconditionally."""
    for service in ("Analysis", "AnalysisAsync", "Elevation/Viewshed", "Tools/ReportServer"):
        for task in get(gpserver.service_url(service))["tasks"]:
            for parameter in get(gpserver.task_url(service, task))["parameters"]:
                assert "defaultValue" in parameter, (service, task, parameter["name"])
    echo = get(gpserver.task_url("Analysis", "Scalars"))["parameters"]
    assert {p["name"]: p["defaultValue"] for p in echo}["Output_Long"] is None


def test_anonymous_listing_of_a_secured_folder_answers_499(gpserver) -> None:
    response = requests.get(f"{gpserver.services_url}/Secure", params={"f": "json"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"error": {"code": 499, "message": "Token Required", "details": []}}
    assert "Secure" in get(gpserver.services_url)["folders"]  # the root still names it
    token = requests.post(
        gpserver.token_url,
        data={"username": "gpuser", "password": "gppass", "client": "requestip", "f": "json"},
        timeout=10,
    ).json()["token"]
    listing = get(f"{gpserver.services_url}/Secure", token=token)
    assert {"name": "Secure/Protected", "type": "GPServer"} in listing["services"]


def test_services_named_like_a_service_type(gpserver) -> None:
    assert get(f"{gpserver.services_url}/Tools")["services"] == [
        {"name": "Tools/ReportServer", "type": "GPServer"}
    ]
    assert get(gpserver.service_url("Tools/ReportServer"))["tasks"] == ["XmlReport", "Forgetful"]
    assert get(gpserver.service_url("PrintServer"))["tasks"] == ["ZipExport", "Forgetful"]
