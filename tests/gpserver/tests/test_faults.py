"""Faults, the request log, the admin endpoints, and a server that goes down."""

from __future__ import annotations

import json
import time

import pytest
import requests

from .helpers import get, post, submit, wait_for_job


def test_latency_on_matching_paths_only(gpserver) -> None:
    gpserver.set_fault("latency", path=r"/Analysis/GPServer$", seconds=2.0)
    with pytest.raises(requests.exceptions.ReadTimeout):
        requests.get(gpserver.service_url("Analysis"), params={"f": "json"}, timeout=0.5)
    other = requests.get(gpserver.service_url("AnalysisAsync"), params={"f": "json"}, timeout=0.5)
    assert other.json()["executionType"] == "esriExecutionTypeAsynchronous"


@pytest.mark.parametrize("status", [500, 502, 503])
def test_http_errors_for_the_first_n_requests(gpserver, status) -> None:
    fault = gpserver.set_fault("http_error", path=r"/Analysis/GPServer$", status=status, count=2)
    url = gpserver.service_url("Analysis")
    codes = [requests.get(url, params={"f": "json"}, timeout=10).status_code for _ in range(3)]
    assert codes == [status, status, 200]
    assert fault.applied == 2
    assert [r.status for r in gpserver.requests_to(r"/Analysis/GPServer$")] == codes
    assert [r.fault for r in gpserver.requests_to(r"/Analysis/GPServer$")] == [
        "http_error",
        "http_error",
        None,
    ]


def test_http_error_before_or_after_the_work(gpserver) -> None:
    task = gpserver.task_url("AnalysisAsync", "Scalars")
    gpserver.set_fault("http_error", path="submitJob", status=502, count=1)
    assert requests.post(f"{task}/submitJob", data={"f": "json"}, timeout=10).status_code == 502
    assert gpserver.state.jobs.all_jobs() == []  # refused before any job was made
    gpserver.set_fault("http_error", path="submitJob", status=504, count=1, process=True)
    assert requests.post(f"{task}/submitJob", data={"f": "json"}, timeout=10).status_code == 504
    assert len(gpserver.state.jobs.all_jobs()) == 1  # a job exists although the client saw 504


def test_dropped_connection_mid_body(gpserver) -> None:
    url = f"{gpserver.task_url('Analysis', 'LargeOutput')}/execute"
    gpserver.set_fault("drop_connection", path="execute", fraction=0.3, count=1)
    with pytest.raises(requests.exceptions.ChunkedEncodingError):
        requests.post(url, data={"f": "json", "Feature_Count": 200}, timeout=10)
    gpserver.set_fault("drop_connection", path="execute", mode="content_length", count=1)
    try:
        short = requests.post(url, data={"f": "json", "Feature_Count": 200}, timeout=10)
    except requests.exceptions.ChunkedEncodingError:
        pass  # urllib3 2 (QGIS 3.40's Debian) refuses a body shorter than Content-Length
    else:  # urllib3 1.26 (Debian 12) hands it over short
        assert len(short.content) < int(short.headers["Content-Length"])
        with pytest.raises(json.JSONDecodeError):
            json.loads(short.text)
    ok = post(f"{gpserver.task_url('Analysis', 'LargeOutput')}/execute", Feature_Count=2)
    assert len(ok["results"][0]["value"]["features"]) == 2


def test_malformed_and_truncated_json_and_html_pages(gpserver) -> None:
    url = gpserver.service_url("Analysis")
    gpserver.set_fault("malformed_json", count=1)
    malformed = requests.get(url, params={"f": "json"}, timeout=10)
    assert malformed.status_code == 200
    with pytest.raises(json.JSONDecodeError):
        json.loads(malformed.text)
    gpserver.set_fault("truncated_json", count=1, fraction=0.5)
    truncated = requests.get(url, params={"f": "json"}, timeout=10)
    full = requests.get(url, params={"f": "json"}, timeout=10)
    assert truncated.status_code == 200
    assert truncated.text == full.text[: len(full.content) // 2]
    with pytest.raises(json.JSONDecodeError):
        json.loads(truncated.text)
    gpserver.set_fault("html_error", count=1)
    page = requests.get(url, params={"f": "json"}, timeout=10)
    assert page.status_code == 200
    assert page.headers["Content-Type"].startswith("text/html")
    assert page.text.startswith("<!DOCTYPE html>")


def test_method_filter(gpserver) -> None:
    gpserver.set_fault("http_error", method="POST", status=500)
    url = f"{gpserver.task_url('Analysis', 'Scalars')}/execute"
    assert requests.get(url, params={"f": "json"}, timeout=10).status_code == 200
    assert requests.post(url, data={"f": "json"}, timeout=10).status_code == 500


def test_never_ending_job_until_cancelled(gpserver) -> None:
    gpserver.set_fault("never_ending_job", path=r"/Scalars$", count=1)
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    stuck = submit(url)
    normal = submit(url)
    assert wait_for_job(url, normal)["jobStatus"] == "esriJobSucceeded"
    time.sleep(0.3)
    status = get(f"{url}/jobs/{stuck}")
    assert status["jobStatus"] == "esriJobExecuting"
    assert status["progress"]["message"] == "Still working..."
    post(f"{url}/jobs/{stuck}/cancel")
    assert wait_for_job(url, stuck, timeout=3)["jobStatus"] == "esriJobCancelled"


def test_expire_job_forgets_the_job_before_answering(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "Scalars")
    job_id = submit(url, Count=2)
    assert wait_for_job(url, job_id)["jobStatus"] == "esriJobSucceeded"
    gpserver.set_fault("expire_job", path=r"/results/", count=1)
    gone = requests.get(
        f"{url}/jobs/{job_id}/results/Output_Long", params={"f": "json"}, timeout=10
    )
    assert gone.json()["error"]["code"] == 400
    assert "does not exist" in gone.json()["error"]["message"]
    assert gpserver.job(job_id) is None
    assert gpserver.requests_to(r"/results/")[-1].fault == "expire_job"


def test_request_log_records_what_the_client_sent(gpserver) -> None:
    url = f"{gpserver.task_url('Analysis', 'Scalars')}/execute"
    requests.post(
        url,
        params={"f": "json"},
        data={"Count": "2", "context": json.dumps({"outSR": {"wkid": 3857}})},
        headers={"Referer": "https://test", "User-Agent": "probe/1"},
        timeout=10,
    )
    get(f"{gpserver.services_url}/Nowhere")
    first, second = gpserver.requests
    assert first.method == "POST"
    assert first.path == "/arcgis/rest/services/Analysis/GPServer/Scalars/execute"
    assert first.query == {"f": "json"}
    assert first.form["Count"] == "2"
    assert json.loads(first.form["context"]) == {"outSR": {"wkid": 3857}}
    assert first.params["f"] == "json"
    assert first.header("user-agent") == "probe/1"
    assert first.status == 200
    assert first.error_code is None
    assert first.time <= second.time
    assert second.error_code == 404
    gpserver.clear_requests()
    assert gpserver.requests == []


def test_admin_endpoints(gpserver) -> None:
    admin = f"{gpserver.root}/admin"
    added = requests.post(
        f"{admin}/faults",
        json={"kind": "http_error", "path": "/Analysis/GPServer$", "status": 503, "count": 1},
        timeout=10,
    ).json()
    assert added["faults"][0]["status"] == 503
    assert (
        requests.get(gpserver.service_url("Analysis"), params={"f": "json"}, timeout=10).status_code
        == 503
    )
    listed = requests.get(f"{admin}/faults", timeout=10).json()["faults"]
    assert listed[0]["applied"] == 1
    assert requests.delete(f"{admin}/faults", timeout=10).json() == {"success": True}
    assert requests.get(f"{admin}/faults", timeout=10).json() == {"faults": []}
    bad = requests.post(f"{admin}/faults", json={"kind": "meteor"}, timeout=10)
    assert bad.status_code == 400
    log = requests.get(f"{admin}/requests", params={"path": "Analysis"}, timeout=10).json()
    assert [r["status"] for r in log["requests"]] == [503]
    assert all(not r["path"].startswith("/admin") for r in log["requests"])
    requests.post(f"{admin}/requests/clear", timeout=10)
    assert requests.get(f"{admin}/requests", timeout=10).json() == {"requests": []}
    config = requests.post(
        f"{admin}/config", json={"job_max_age": 5, "token_lifetime": 2}, timeout=10
    ).json()
    assert config == {
        "job_max_age": 5.0,
        "job_queue_delay": 0.05,
        "token_lifetime": 2.0,
        "federated": False,
        "portal_token_path": "sharing/rest/generateToken",
        "portal_hosted": False,
        "oauth_access_lifetime": None,
        "oauth_refresh_lifetime": None,
    }
    assert gpserver.job_max_age == 5.0
    job_id = submit(gpserver.task_url("AnalysisAsync", "Scalars"))
    jobs = requests.get(f"{admin}/jobs", timeout=10).json()["jobs"]
    assert [j["jobId"] for j in jobs] == [job_id]
    assert requests.post(f"{admin}/reset", timeout=10).json() == {"success": True}
    assert gpserver.job_max_age == 600.0
    assert gpserver.token_lifetime is None
    assert requests.get(f"{admin}/jobs", timeout=10).json() == {"jobs": []}


def test_reset_clears_faults_log_and_settings(gpserver) -> None:
    gpserver.set_fault("http_error", status=500)
    gpserver.job_max_age = 1
    gpserver.job_queue_delay = 2
    requests.get(gpserver.services_url, timeout=10)
    gpserver.reset()
    assert gpserver.state.faults.active() == []
    assert gpserver.requests == []
    assert (gpserver.job_max_age, gpserver.job_queue_delay) == (600.0, 0.05)
    assert requests.get(gpserver.services_url, params={"f": "json"}, timeout=10).status_code == 200


def test_unknown_fault_kinds_are_refused(gpserver) -> None:
    with pytest.raises(ValueError, match="unknown fault kind"):
        gpserver.set_fault("meteor")


def test_a_server_that_is_down_and_back(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "SlowTask")
    job_id = submit(url, Seconds=1)
    port = gpserver.port
    gpserver.stop()
    assert not gpserver.running
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(gpserver.services_url, params={"f": "json"}, timeout=2)
    time.sleep(1.2)  # the job runs on while nobody can ask
    gpserver.start()
    assert gpserver.port == port
    assert wait_for_job(url, job_id)["jobStatus"] == "esriJobSucceeded"


def test_request_log_cuts_huge_form_values(gpserver) -> None:
    gpserver.state.log.field_limit = 100
    try:
        post(f"{gpserver.task_url('Analysis', 'Scalars')}/execute", Note="x" * 1000)
    finally:
        gpserver.state.log.field_limit = 16_000_000
    note = gpserver.requests[0].form["Note"]
    assert note.startswith("x" * 100)
    assert note.endswith("[truncated by gpserver request log]")
