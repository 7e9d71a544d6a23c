"""The job-control rows of the fault matrix: cancelling, and jobs cancelled by others.

A user who cancels must see the server's job cancelled (checked in the server's job
registry and request log), no output reported, and nothing left running.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from typing import Any

import processing
import pytest
import requests
from qgis.core import QgsProcessingException

pytestmark = pytest.mark.timeout(90)

SLOW = "arcgisgp:rel__elevation_viewshed__slowtask"
SLOW_PATH = r"/GPServer/SlowTask/jobs/[^/]+$"


class WhenExecuting(threading.Thread):
    """Calls ``action(job)`` once the server runs a SlowTask job (bounded wait)."""

    def __init__(self, gpserver: Any, action: Callable[[Any], None]) -> None:
        super().__init__(name="test-when-executing", daemon=True)
        self.gpserver = gpserver
        self.action = action
        self.job: Any = None
        self.stop = threading.Event()

    def run(self) -> None:
        while not self.stop.wait(0.05):
            jobs = [
                j
                for j in self.gpserver.state.jobs.all_jobs()
                if j.task.name == "SlowTask" and j.status == "esriJobExecuting"
            ]
            if jobs:
                self.job = jobs[0]
                self.action(self.job)
                return

    def __enter__(self) -> WhenExecuting:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop.set()
        self.join(10)


def _slow(feedback: Any, seconds: int = 60) -> dict[str, Any]:
    return processing.run(
        SLOW, {"Seconds": seconds, "ADD_RESULT_MAP_LAYER": False}, feedback=feedback
    )


def test_user_cancel_cancels_the_job_on_the_server(rel_provider, leak_guard, gpserver, feedback):
    with WhenExecuting(gpserver, lambda job: feedback.cancel()) as watcher:
        result = _slow(feedback)
    assert "Steps_Done" not in result  # nothing reported as an output
    assert watcher.job is not None
    assert gpserver.job(watcher.job.job_id).status == "esriJobCancelled"
    assert gpserver.requests_to(rf"/jobs/{watcher.job.job_id}/cancel$")
    assert any("cancelled" in line.lower() for line in feedback.infos)


def test_user_cancel_during_a_slow_status_request(rel_provider, leak_guard, gpserver, feedback):
    gpserver.set_fault("latency", path=SLOW_PATH, seconds=1.5, count=1)
    with WhenExecuting(gpserver, lambda job: feedback.cancel()) as watcher:
        result = _slow(feedback)
    assert "Steps_Done" not in result
    assert gpserver.job(watcher.job.job_id).status == "esriJobCancelled"


def test_cancel_request_refused_by_the_server(rel_provider, leak_guard, gpserver, feedback):
    """The server answers 500 to every cancel: the run still stops and says so."""
    gpserver.set_fault("http_error", path=r"/cancel$", status=500)
    with WhenExecuting(gpserver, lambda job: feedback.cancel()):
        result = _slow(feedback, seconds=2)
    assert "Steps_Done" not in result
    assert len(gpserver.requests_to(r"/cancel$")) >= 1


def test_job_cancelled_by_someone_else(rel_provider, leak_guard, gpserver, feedback):
    def cancel_elsewhere(job: Any) -> None:
        url = f"{gpserver.task_url('Elevation/Viewshed', 'SlowTask')}/jobs/{job.job_id}/cancel"
        requests.post(url, data={"f": "json"}, timeout=10)

    with (
        WhenExecuting(gpserver, cancel_elsewhere),
        pytest.raises(QgsProcessingException, match=r"was cancelled on the server") as raised,
    ):
        _slow(feedback)
    assert "cancelled" in str(raised.value)
    assert not feedback.isCanceled()


def test_cancel_before_submitting_sends_no_job(rel_provider, leak_guard, gpserver, feedback):
    feedback.cancel()
    result = _slow(feedback)
    assert "Steps_Done" not in result
    assert not gpserver.requests_to(r"/submitJob$")
