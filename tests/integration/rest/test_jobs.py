"""Asynchronous jobs over real HTTP: submit, wait with callbacks, cancel, fail, expire."""

from __future__ import annotations

import json
import time

import pytest

from arcgis_gp.plugin.rest import (
    ArcGisServerError,
    ArcGisTimeoutError,
    JobCancelledError,
    JobExpiredError,
    JobFailedError,
    JobStatus,
    JobTimedOutError,
    MessageType,
    wait_for_job,
)

from .conftest import FAST

ELEVATION = "Elevation/Viewshed/GPServer"


def test_submit_and_wait_streams_new_messages_and_progress(client, gpserver):
    task = f"{ELEVATION}/SlowTask"
    job = client.submit_job(task, {"Seconds": 2})
    assert job.status is JobStatus.SUBMITTED
    assert not job.job_id.startswith("j")  # this service hands out ids without the "j"
    statuses, batches, progress = [], [], []
    info = wait_for_job(
        client,
        task,
        job.job_id,
        poll=FAST,
        on_status=statuses.append,
        on_messages=batches.append,
        on_progress=progress.append,
    )
    assert info.status is JobStatus.SUCCEEDED
    assert statuses[-1] is JobStatus.SUCCEEDED
    assert JobStatus.EXECUTING in statuses
    assert len(statuses) == len(set(statuses))  # reported on change only
    streamed = [m.description for batch in batches for m in batch]
    assert streamed == [m.description for m in info.messages]  # each message exactly once
    assert len(batches) >= 2  # they arrived while the job ran, not all at the end
    percents = [p.percent for p in progress if p.percent is not None]
    assert percents
    assert percents == sorted(percents)
    assert info.results == {"Steps_Done": "results/Steps_Done"}
    assert client.job_result(task, job.job_id, "Steps_Done").value == 2
    submit = gpserver.requests_to(r"/SlowTask/submitJob$")
    assert len(submit) == 1
    assert submit[0].method == "POST"


def test_cancel_stops_the_server_job(client):
    task = f"{ELEVATION}/SlowTask"
    job = client.submit_job(task, {"Seconds": 30})
    seen = []
    with pytest.raises(JobCancelledError) as caught:
        wait_for_job(
            client,
            task,
            job.job_id,
            poll=FAST,
            on_progress=seen.append,
            is_cancelled=lambda: bool(seen),
            cancel_wait=10,
        )
    error = caught.value
    assert error.status is JobStatus.CANCELLED
    assert error.job_id == job.job_id
    assert "cancelled at your request" in str(error)
    assert client.job_status(task, job.job_id).status is JobStatus.CANCELLED


def test_cancel_before_first_poll(client, gpserver):
    task = f"{ELEVATION}/SlowTask"
    job = client.submit_job(task, {"Seconds": 30})
    with pytest.raises(JobCancelledError):
        wait_for_job(client, task, job.job_id, poll=FAST, is_cancelled=lambda: True)
    assert gpserver.requests_to(rf"/jobs/{job.job_id}/cancel$")[0].method == "POST"


def test_failing_job_carries_error_messages(client):
    task = f"{ELEVATION}/FailingTask"
    job = client.submit_job(task, {"Message": "Nothing to see here."})
    with pytest.raises(JobFailedError) as caught:
        wait_for_job(client, task, job.job_id, poll=FAST)
    error = caught.value
    assert error.status is JobStatus.FAILED
    errors = [m for m in error.messages if m.type is MessageType.ERROR]
    assert errors
    assert errors[-1].description in str(error)


def test_server_timed_out_job(client):
    task = f"{ELEVATION}/TimeoutTask"
    job = client.submit_job(task, {"Seconds": 0.2})
    with pytest.raises(JobTimedOutError) as caught:
        wait_for_job(client, task, job.job_id, poll=FAST)
    assert caught.value.status is JobStatus.TIMED_OUT


def test_overall_timeout_cancels_the_job(client, gpserver):
    task = f"{ELEVATION}/SlowTask"
    job = client.submit_job(task, {"Seconds": 30})
    with pytest.raises(ArcGisTimeoutError) as caught:
        wait_for_job(client, task, job.job_id, poll=FAST, timeout=0.6)
    assert caught.value.job_id == job.job_id
    assert gpserver.requests_to(rf"/jobs/{job.job_id}/cancel$")
    deadline = time.monotonic() + 10
    while client.job_status(task, job.job_id).status is not JobStatus.CANCELLED:
        assert time.monotonic() < deadline, "the server job never stopped"
        time.sleep(0.05)


def test_never_ending_job_ends_by_timeout(client, gpserver):
    gpserver.set_fault("never_ending_job", path="Scalars")
    task = "AnalysisAsync/GPServer/Scalars"
    job = client.submit_job(task, {"Count": 1})
    with pytest.raises(ArcGisTimeoutError):
        wait_for_job(client, task, job.job_id, poll=FAST, timeout=0.5)


def test_expired_and_unknown_jobs(client, gpserver):
    task = "AnalysisAsync/GPServer/Scalars"
    with pytest.raises(JobExpiredError) as caught:
        client.job_status(task, "jdoesnotexist")
    assert caught.value.job_id == "jdoesnotexist"
    with pytest.raises(JobExpiredError):
        wait_for_job(client, task, "jdoesnotexist", poll=FAST)
    job = client.submit_job(task, {"Count": 2})
    wait_for_job(client, task, job.job_id, poll=FAST)
    gpserver.job_max_age = 0.2
    time.sleep(0.5)
    with pytest.raises(JobExpiredError):
        client.job_result(task, job.job_id, "Output_Long")


def test_results_with_out_sr_and_return_z(client, gpserver):
    task = "AnalysisAsync/GPServer/LargeOutput"
    job = client.submit_job(task, {"Feature_Count": 3})
    wait_for_job(client, task, job.job_id, poll=FAST)
    plain = client.job_result(task, job.job_id, "Output_Features").value
    assert "z" not in json.dumps(plain["features"][0]["geometry"]).replace('"rings"', "")
    with_z = client.job_result(
        task, job.job_id, "Output_Features", out_sr=3857, return_z=True
    ).value
    assert with_z["spatialReference"].get("latestWkid", with_z["spatialReference"]["wkid"]) == 3857
    assert with_z["hasZ"] is True
    assert len(with_z["features"][0]["geometry"]["rings"][0][0]) == 3
    (request,) = [
        r for r in gpserver.requests_to(r"/results/Output_Features$") if r.query.get("returnZ")
    ]
    assert request.method == "GET"
    assert json.loads(request.query["outSR"]) == {"wkid": 3857}


def test_result_streamed_to_file_and_inputs(client, tmp_path):
    task = "AnalysisAsync/GPServer/LargeOutput"
    job = client.submit_job(task, {"Feature_Count": 500})
    wait_for_job(client, task, job.job_id, poll=FAST)
    path = client.job_result_to_file(
        task, job.job_id, "Output_Features", tmp_path / "out" / "features.json", chunk_size=4096
    )
    data = json.loads(path.read_text(encoding="utf-8"))
    assert data["paramName"] == "Output_Features"
    assert len(data["value"]["features"]) == 500
    assert not list(path.parent.glob("*.part"))
    assert client.job_input(task, job.job_id, "Feature_Count").value == 500


def test_result_to_file_raises_server_errors_and_leaves_no_file(client, tmp_path):
    task = "AnalysisAsync/GPServer/Scalars"
    job = client.submit_job(task, {"Count": 1})
    wait_for_job(client, task, job.job_id, poll=FAST)
    target = tmp_path / "x.json"
    with pytest.raises(ArcGisServerError) as caught:
        client.job_result_to_file(task, job.job_id, "No_Such_Output", target)
    assert not isinstance(caught.value, JobExpiredError)
    assert "No_Such_Output" in str(caught.value)
    assert not target.exists()
    assert not list(tmp_path.iterdir())


def test_result_map_service_paging(client):
    task = "AnalysisAsync/GPServer/LargeOutput"
    job = client.submit_job(task, {"Feature_Count": 2500})
    wait_for_job(client, task, job.job_id, poll=FAST)
    truncated = client.job_result(task, job.job_id, "Output_Features").value
    assert len(truncated["features"]) == 1000
    assert truncated["exceededTransferLimit"] is True
    url = client.result_map_service_url("AnalysisAsync", job.job_id)
    assert url.endswith(f"/AnalysisAsync/MapServer/jobs/{job.job_id}")
    info = client.result_map_service_info("AnalysisAsync/GPServer", job.job_id)
    layer = info["layers"][0]["id"]
    ids, offset = set(), 0
    while True:
        page = client.query_layer(
            f"{url}/{layer}",
            {"where": "1=1", "outFields": "OBJECTID", "returnGeometry": False,
             "orderByFields": "OBJECTID", "resultOffset": offset, "resultRecordCount": 1000},
        )  # fmt: skip
        ids.update(f["attributes"]["OBJECTID"] for f in page["features"])
        offset += len(page["features"])
        if not page.get("exceededTransferLimit"):
            break
    assert len(ids) == 2500
