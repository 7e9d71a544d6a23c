"""Asynchronous jobs: submitJob, status life cycle, results, inputs, cancel, expiry."""

from __future__ import annotations

import re
import time

import requests
from osgeo import gdal

from .helpers import TERMINAL, get, points, post, result, run_job, submit, wait_for_job


def _statuses_seen(task_url: str, job_id: str, timeout: float = 20.0) -> list[str]:
    seen: list[str] = []
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        status = get(f"{task_url}/jobs/{job_id}")["jobStatus"]
        if not seen or seen[-1] != status:
            seen.append(status)
        if status in TERMINAL:
            return seen
        time.sleep(0.02)
    raise AssertionError(f"job did not end: {seen}")


def test_status_sequence_is_observable_in_order(gpserver) -> None:
    gpserver.job_queue_delay = 0.3
    url = gpserver.task_url("Elevation/Viewshed", "SlowTask")
    job_id = submit(url, Seconds=1)
    assert re.fullmatch(r"[0-9a-f]{32}", job_id)  # this service's ids lack the "j"
    seen = _statuses_seen(url, job_id)
    assert seen == ["esriJobSubmitted", "esriJobWaiting", "esriJobExecuting", "esriJobSucceeded"]


def test_jobs_queue_before_they_execute_by_default(gpserver) -> None:
    """As on a real server, a job is submitted and waits before it executes: a client
    must not take the first status it sees to be esriJobExecuting."""
    assert gpserver.job_queue_delay > 0
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id, final = run_job(url, Count=2)
    assert final["jobStatus"] == "esriJobSucceeded"
    assert gpserver.job(job_id).history == [
        "esriJobSubmitted",
        "esriJobWaiting",
        "esriJobExecuting",
        "esriJobSucceeded",
    ]


def test_default_progressor_has_a_message_and_no_percent(gpserver) -> None:
    gpserver.set_fault("never_ending_job", path=r"/AnalysisAsync/GPServer/Scalars$")
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id = submit(url, Count=2)
    deadline = time.monotonic() + 10
    status = get(f"{url}/jobs/{job_id}")
    while status["jobStatus"] != "esriJobExecuting":
        assert time.monotonic() < deadline
        time.sleep(0.02)
        status = get(f"{url}/jobs/{job_id}")
    assert status["progress"] == {"type": "default", "message": "Still working..."}
    post(f"{url}/jobs/{job_id}/cancel")


def test_succeeded_job_lists_results_inputs_and_messages(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id, status = run_job(url, Count=5, Factor=0.5)
    assert re.fullmatch(r"j[0-9a-f]{32}", job_id)
    assert list(status) == ["jobId", "jobStatus", "results", "inputs", "messages"]
    assert status["jobStatus"] == "esriJobSucceeded"
    assert status["results"]["Output_Long"] == {"paramUrl": "results/Output_Long"}
    assert set(status["results"]) == {
        "Output_Long",
        "Output_Double",
        "Output_Boolean",
        "Output_String",
        "Output_Date",
    }
    assert status["inputs"] == {
        "Count": {"paramUrl": "inputs/Count"},
        "Factor": {"paramUrl": "inputs/Factor"},
    }
    descriptions = [m["description"] for m in status["messages"]]
    assert descriptions[:2] == ["Submitted.", "Executing..."]
    assert descriptions[2].startswith("Start Time: ")
    assert re.match(r"Succeeded at .* \(Elapsed Time: [\d.]+ seconds\)", descriptions[-1])
    assert result(url, job_id, "Output_Double") == {
        "paramName": "Output_Double",
        "dataType": "GPDouble",
        "value": 2.5,
    }
    assert get(f"{url}/jobs/{job_id}/inputs/Count") == {
        "paramName": "Count",
        "dataType": "GPLong",
        "value": 5,
    }
    quiet = get(f"{url}/jobs/{job_id}", returnMessages="false")
    assert "messages" not in quiet


def test_submit_job_by_get_and_with_a_space_in_the_task_name(gpserver) -> None:
    url = f"{gpserver.service_url('AnalysisAsync')}/Hot%20Spots"
    answer = get(
        f"{url}/submitJob",
        Input_Points=points([(10, 45), (10.001, 45)]),
    )
    status = wait_for_job(url, answer["jobId"])
    assert status["jobStatus"] == "esriJobSucceeded"
    value = result(url, answer["jobId"], "Output_Hot_Spots")["value"]
    assert value["features"][0]["attributes"]["COUNT"] == 2


def test_job_ids_without_the_j_prefix_on_viewshed(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "Viewshed")
    job_id, status = run_job(url, Input_Observer=points([(10, 45)]))
    assert re.fullmatch(r"[0-9a-f]{32}", job_id)
    assert status["jobStatus"] == "esriJobSucceeded"
    value = result(url, job_id, "Output_Viewshed")["value"]
    feature = value["features"][0]
    assert feature["attributes"]["OBSERVER"] == 1
    assert 0.1 * 3.14e6 < feature["attributes"]["AREA"] < 3.15e6
    again_id, _ = run_job(url, Input_Observer=points([(10, 45)]))
    again = result(url, again_id, "Output_Viewshed")["value"]["features"][0]
    assert again["geometry"] == feature["geometry"]  # deterministic


def test_submit_job_is_not_an_operation_of_synchronous_services(gpserver) -> None:
    answer = post(f"{gpserver.task_url('Analysis', 'Scalars')}/submitJob")
    assert answer["error"]["message"] == "Invalid URL"


def test_unknown_job(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    answer = get(f"{url}/jobs/jdeadbeef")
    assert answer == {
        "error": {
            "code": 400,
            "message": "Job 'jdeadbeef' does not exist or is inaccessible.",
            "details": [],
        }
    }
    job_id, _ = run_job(url)
    other_service = get(f"{gpserver.task_url('Elevation/Viewshed', 'SlowTask')}/jobs/{job_id}")
    assert other_service["error"]["code"] == 400


def test_jobs_expire(gpserver) -> None:
    gpserver.job_max_age = 0.3
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id, _ = run_job(url)
    assert get(f"{url}/jobs/{job_id}")["jobStatus"] == "esriJobSucceeded"
    time.sleep(0.5)
    assert "does not exist" in get(f"{url}/jobs/{job_id}")["error"]["message"]
    assert gpserver.job(job_id) is None


def test_slow_task_reports_progress_and_stops_on_cancel(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "SlowTask")
    job_id = submit(url, Seconds=30)
    deadline = time.monotonic() + 10
    status = get(f"{url}/jobs/{job_id}")
    while "Step 2 of 30" not in [m["description"] for m in status["messages"]]:
        assert time.monotonic() < deadline
        time.sleep(0.05)
        status = get(f"{url}/jobs/{job_id}")
    assert status["jobStatus"] == "esriJobExecuting"
    # a step progressor, as ArcGIS Server 10.8+ reports arcpy.SetProgressor("step")
    assert status["progress"]["type"] == "step"
    assert status["progress"]["message"].startswith("Step ")
    assert 0 < status["progress"]["percent"] < 100
    cancel = post(f"{url}/jobs/{job_id}/cancel")
    assert cancel == {"jobId": job_id, "jobStatus": "esriJobCancelling"}
    final = wait_for_job(url, job_id, timeout=3)
    assert final["jobStatus"] == "esriJobCancelled"
    steps = [m for m in final["messages"] if m["description"].startswith("Step ")]
    time.sleep(1.2)
    later = get(f"{url}/jobs/{job_id}")
    assert [m for m in later["messages"] if m["description"].startswith("Step ")] == steps
    assert len(steps) < 10
    assert get(f"{url}/jobs/{job_id}/results/Steps_Done")["error"]["code"] == 400


def test_cancelling_a_finished_job_changes_nothing(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id, _ = run_job(url)
    assert post(f"{url}/jobs/{job_id}/cancel")["jobStatus"] == "esriJobSucceeded"


def test_failing_task_ends_failed_with_error_messages(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "FailingTask")
    job_id, status = run_job(url, Message="Boom")
    assert status["jobStatus"] == "esriJobFailed"
    assert status["results"] == {}
    errors = [
        m["description"] for m in status["messages"] if m["type"] == "esriJobMessageTypeError"
    ]
    assert "ERROR 999999: Boom" in errors
    assert "Failed to execute (FailingTask)." in errors
    types = {m["type"] for m in status["messages"]}
    assert "esriJobMessageTypeWarning" in types
    assert result(url, job_id, "Output")["error"]["code"] == 400


def test_validation_failure_of_a_job(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Summarize")
    _, status = run_job(url, Input_Features=points([(1, 1)]))
    assert status["jobStatus"] == "esriJobFailed"
    assert any("ERROR 000735" in m["description"] for m in status["messages"])


def test_timeout_task_ends_timed_out(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "TimeoutTask")
    _, status = run_job(url, Seconds=0.1)
    assert status["jobStatus"] == "esriJobTimedOut"
    assert status["messages"][-1]["type"] == "esriJobMessageTypeError"


def test_results_honour_out_sr_return_z_and_return_m(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "LargeOutput")
    job_id, _ = run_job(url, Feature_Count=3)
    plain = result(url, job_id, "Output_Features")["value"]
    assert plain["spatialReference"] == {"wkid": 4326, "latestWkid": 4326}
    assert plain["features"][0]["geometry"]["rings"][0][0] == [5.0, 45.0]
    with_z = result(url, job_id, "Output_Features", returnZ="true", outSR=3857)["value"]
    assert with_z["hasZ"] is True
    assert with_z["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
    x, y, z = with_z["features"][0]["geometry"]["rings"][0][0]
    assert abs(x - 556597.45) < 0.1
    assert abs(y - 5621521.49) < 0.1
    assert z == 0.0
    echo_url = gpserver.task_url("AnalysisAsync", "AllTypes")
    lines = {
        "geometryType": "esriGeometryPolyline",
        "hasZ": True,
        "hasM": True,
        "spatialReference": {"wkid": 4326},
        "features": [{"attributes": {"OBJECTID": 1}, "geometry": {"paths": [[[1, 2, 3, 4]]]}}],
    }
    echo_id, _ = run_job(echo_url, In_Features=lines)
    geometry = result(echo_url, echo_id, "In_Features_echo", returnM="true")["value"]
    assert geometry["hasM"] is True
    assert "hasZ" not in geometry
    assert geometry["features"][0]["geometry"] == {"paths": [[[1, 2, 4]]]}
    both = result(echo_url, echo_id, "In_Features_echo", returnM="true", returnZ="true")
    assert both["value"]["features"][0]["geometry"] == {"paths": [[[1, 2, 3, 4]]]}


def test_submit_time_out_sr_is_the_default_of_results(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Buffer")
    job_id, _ = run_job(url, Input_Features=points([(10, 45)]), **{"env:outSR": 3857})
    value = result(url, job_id, "Output_Polygons")["value"]
    assert value["spatialReference"]["latestWkid"] == 3857
    assert result(url, job_id, "Output_Polygons", outSR=4326)["value"]["spatialReference"] == {
        "wkid": 4326,
        "latestWkid": 4326,
    }


def test_value_table_result_with_column_names(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "AllTypes")
    job_id, _ = run_job(url, In_Value_Table=[["x", 3, 1.5]])
    assert result(url, job_id, "In_Value_Table_echo")["value"] == [["x", 3, 1.5]]
    named = result(url, job_id, "In_Value_Table_echo", returnColumnName="true")
    assert named["value"] == [{"Name": "x", "Count": 3, "Weight": 1.5}]


def test_large_output_async_is_truncated_in_results(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "LargeOutput")
    job_id, _ = run_job(url, Feature_Count=2500)
    value = result(url, job_id, "Output_Features")["value"]
    assert len(value["features"]) == 1000
    assert value["exceededTransferLimit"] is True


def test_raster_result_is_a_map_image_unless_data_is_asked(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "ElevationRaster")
    job_id, _ = run_job(
        url,
        Extent={"xmin": 0, "ymin": 0, "xmax": 1, "ymax": 2, "spatialReference": {"wkid": 4326}},
        Cell_Size=0.1,
    )
    image = result(url, job_id, "Output_Raster")["value"]["mapImage"]
    assert image["width"] == 400
    png = requests.get(image["href"], timeout=10)
    assert png.headers["Content-Type"] == "image/png"
    assert png.content.startswith(b"\x89PNG")
    data = result(url, job_id, "Output_Raster", returnType="data")["value"]
    assert data["format"] == "tif"
    assert data["url"] == (
        f"{gpserver.context_url}/rest/directories/arcgisjobs/elevation/viewshed_gpserver/"
        f"{job_id}/scratch/elevation.tif"
    )
    tif = requests.get(data["url"], timeout=10).content
    gdal.FileFromMemBuffer("/vsimem/test_elevation.tif", tif)
    try:
        dataset = gdal.Open("/vsimem/test_elevation.tif")
        assert (dataset.RasterXSize, dataset.RasterYSize) == (10, 20)
        assert dataset.GetGeoTransform() == (0.0, 0.1, 0.0, 2.0, 0.0, -0.1)
        minimum, maximum = dataset.GetRasterBand(1).ComputeRasterMinMax(False)
        assert 100 <= minimum < maximum <= 1700
    finally:
        dataset = None
        gdal.Unlink("/vsimem/test_elevation.tif")


def test_report_url_is_relative_to_the_server_context(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "Report")
    job_id, _ = run_job(url, Input_Features=points([(1, 2), (3, 4)]), Report_Format="CSV")
    value = result(url, job_id, "Output_Report")
    assert value["dataType"] == "GPDataFile"
    relative = value["value"]["url"]
    assert relative == (
        f"/rest/directories/arcgisjobs/elevation/viewshed_gpserver/{job_id}/scratch/report.csv"
    )
    # resolved against the context (…/arcgis) it works; against the host root it does not
    assert requests.get(gpserver.context_url + relative, timeout=10).text.splitlines() == [
        "OBJECTID,Name",
        "1,p1",
        "2,p2",
    ]
    assert requests.get(gpserver.root + relative, timeout=10).status_code == 404


def test_delete_job(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id, _ = run_job(url)
    assert post(f"{url}/jobs/{job_id}/delete")["jobStatus"] == "esriJobDeleted"
    assert "error" in get(f"{url}/jobs/{job_id}")


def test_reset_cancels_running_jobs(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "SlowTask")
    job_id = submit(url, Seconds=60)
    job = gpserver.job(job_id)
    gpserver.reset()
    assert job.status == "esriJobCancelled"
    assert gpserver.job(job_id) is None


def test_job_of_a_service_named_like_a_type_and_a_required_output_left_unset(gpserver) -> None:
    url = gpserver.task_url("PrintServer", "ZipExport")
    job_id, final = run_job(url, Title="t")
    assert final["jobStatus"] == "esriJobSucceeded"
    value = result(url, job_id, "Output_File")["value"]
    assert value["url"].endswith("/clip.zip")
    forgetful = gpserver.task_url("PrintServer", "Forgetful")
    job_id, final = run_job(forgetful)
    assert final["jobStatus"] == "esriJobSucceeded"
    # a Required output is listed even when the tool never set it: its value is null
    assert final["results"] == {"Output_Text": {"paramUrl": "results/Output_Text"}}
    assert result(forgetful, job_id, "Output_Text")["value"] is None
    assert "WARNING 000117: Warning empty output generated." in [
        m["description"] for m in final["messages"]
    ]
