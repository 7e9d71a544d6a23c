"""Broken servers: retries where safe, never a repeated job, clear typed errors."""

from __future__ import annotations

import socket
import threading

import pytest

from arcgis_gp.plugin.rest import (
    ArcGisConnectFailedError,
    ArcGisConnectionError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisTimeoutError,
    GPClient,
    JobStatus,
    wait_for_job,
)

from .conftest import FAST

SCALARS = "AnalysisAsync/GPServer/Scalars"


@pytest.mark.parametrize("status", [500, 502, 503, 504])
def test_get_retried_on_server_errors(client, gpserver, status):
    gpserver.set_fault("http_error", path=r"/Analysis/GPServer$", status=status, count=2)
    service = client.service_info("Analysis")
    assert "Buffer" in service.task_names
    assert [r.status for r in gpserver.requests_to(r"/Analysis/GPServer$")] == [status] * 2 + [200]


def test_get_retries_are_bounded(client, gpserver):
    gpserver.set_fault("http_error", path=r"/Analysis/GPServer$", status=503)
    with pytest.raises(ArcGisHttpError) as caught:
        client.service_info("Analysis")
    assert caught.value.status == 503
    assert len(gpserver.requests_to(r"/Analysis/GPServer$")) == 1 + client.transport.max_retries


@pytest.mark.parametrize("status", [500, 502, 503])
def test_submit_job_never_repeated(client, gpserver, status):
    gpserver.set_fault("http_error", path=r"/submitJob$", status=status, count=1)
    with pytest.raises(ArcGisHttpError):
        client.submit_job(SCALARS, {"Count": 1})
    assert len(gpserver.requests_to(r"/submitJob$")) == 1


def test_execute_never_repeated_after_dropped_connection(client, gpserver):
    gpserver.set_fault("drop_connection", path=r"/execute$", count=1)
    with pytest.raises(ArcGisConnectionError) as caught:
        client.execute("Analysis/GPServer/Scalars", {"Count": 1})
    assert "not repeated" in str(caught.value)
    assert len(gpserver.requests_to(r"/execute$")) == 1


def test_submit_job_sent_again_when_no_connection_could_be_made(gpserver):
    """Refused connections: the server never saw the request, so even submitJob is
    sent again, and the job is made once."""
    with GPClient(gpserver.services_url, timeout=15, retry_backoff=0.2) as client:
        client.service_info("AnalysisAsync")  # a pooled connection that will go stale
        gpserver.stop()
        restart = threading.Timer(0.3, gpserver.start)
        restart.start()
        try:
            job = client.submit_job(SCALARS, {"Count": 1})
        finally:
            restart.join()
            gpserver.start()
    assert job.job_id
    assert len(gpserver.requests_to(r"/submitJob$")) == 1
    assert len(gpserver.state.jobs.all_jobs()) == 1


def test_refused_execute_gives_up_after_the_retries_and_says_why():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    url = f"http://127.0.0.1:{port}/arcgis/rest/services"
    with (
        GPClient(url, timeout=5, retry_backoff=0.01) as client,
        pytest.raises(ArcGisConnectFailedError) as caught,
    ):
        client.execute("Analysis/GPServer/Scalars", {"Count": 1})
    message = str(caught.value)
    assert "connection refused" in message
    assert "not repeated" not in message  # nothing was sent, so nothing to warn about


def test_dropped_connection_on_get_is_retried(client, gpserver):
    task = SCALARS
    job = client.submit_job(task, {"Count": 3})
    wait_for_job(client, task, job.job_id, poll=FAST)
    gpserver.set_fault("drop_connection", path=r"/results/", count=1, fraction=0.5)
    assert client.job_result(task, job.job_id, "Output_Long").value == 6
    assert [r.fault for r in gpserver.requests_to(r"/results/")] == ["drop_connection", None]


def test_dropped_connection_during_a_download_is_retried(client, gpserver, tmp_path):
    task = "AnalysisAsync/GPServer/LargeOutput"
    job = client.submit_job(task, {"Feature_Count": 200})
    wait_for_job(client, task, job.job_id, poll=FAST)
    gpserver.set_fault("drop_connection", path=r"/results/", count=1, fraction=0.7)
    path = client.job_result_to_file(task, job.job_id, "Output_Features", tmp_path / "o.json")
    assert path.read_bytes().rstrip().endswith(b"}")
    assert len(gpserver.requests_to(r"/results/")) == 2


def test_html_page_with_http_200(client, gpserver):
    gpserver.set_fault("html_error", path=r"/Analysis/GPServer$")
    with pytest.raises(ArcGisInvalidResponseError) as caught:
        client.service_info("Analysis")
    assert "HTML page" in str(caught.value)


@pytest.mark.parametrize("kind", ["truncated_json", "malformed_json"])
def test_broken_json(client, gpserver, kind):
    gpserver.set_fault(kind, path=r"/Scalars$")
    with pytest.raises(ArcGisInvalidResponseError, match="invalid or truncated"):
        client.task_info("Analysis/GPServer/Scalars")


def test_latency_past_timeout(gpserver):
    gpserver.set_fault("latency", path=r"/Analysis/GPServer$", seconds=1.5)
    with (
        GPClient(gpserver.services_url, timeout=0.3, retry_backoff=0.01) as gp,
        pytest.raises(ArcGisTimeoutError) as caught,
    ):
        gp.service_info("Analysis")
    assert "0.3" in str(caught.value)


def test_slow_server_within_timeout(client, gpserver):
    gpserver.set_fault("latency", path=r"/Analysis/GPServer$", seconds=0.3)
    assert client.service_info("Analysis").path == "Analysis"


def test_server_down(client, gpserver):
    gpserver.stop()
    with pytest.raises(ArcGisConnectionError):
        client.service_info("Analysis")
    with pytest.raises(ArcGisConnectionError, match="refused"):
        client.submit_job(SCALARS, {})


def test_polling_survives_a_short_outage(client, gpserver):
    task = "Elevation/Viewshed/GPServer/SlowTask"
    job = client.submit_job(task, {"Seconds": 1})
    gpserver.set_fault("http_error", path=rf"/jobs/{job.job_id}$", status=502, count=6)
    info = wait_for_job(client, task, job.job_id, poll=FAST)
    assert info.status is JobStatus.SUCCEEDED


@pytest.mark.parametrize(
    ("kind", "params", "error", "words"),
    [
        ("drop_connection", {}, ArcGisConnectionError, "not repeated"),
        ("truncated_json", {}, ArcGisInvalidResponseError, "invalid or truncated"),
        ("malformed_json", {}, ArcGisInvalidResponseError, "invalid or truncated"),
        ("html_error", {}, ArcGisInvalidResponseError, "HTML page"),
        ("http_error", {"status": 502}, ArcGisHttpError, "502"),
    ],
)
def test_execute_streamed_to_a_file_fails_as_execute_does(
    client, gpserver, tmp_path, kind, params, error, words
):
    """The answer streamed to disk (big synchronous results) meets every fault with the
    same typed error as ``execute``, is sent once, and leaves no partial file behind."""
    from arcgis_gp.plugin.gptypes.execute_answer import index_execute_answer

    gpserver.set_fault(kind, path=r"/execute$", count=1, **params)
    path = tmp_path / "answer.json"
    with pytest.raises(error, match=words):
        client.execute_to_file(
            "Bench/Big/GPServer/LargeOutput", {"Feature_Count": 300}, path, index_execute_answer
        )
    assert len(gpserver.requests_to(r"/execute$")) == 1
    assert sorted(p.name for p in tmp_path.iterdir()) == (
        ["answer.json"] if kind in ("truncated_json", "malformed_json") else []
    )
