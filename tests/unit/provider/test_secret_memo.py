"""The secrets kept to scrub what a job reports: dropped when the job's record ends,
and never more than :data:`MAX_REMEMBERED_JOBS` jobs' worth (issue 17, item 6)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from arcgis_gp.plugin.provider.job_events import JobListener, JobReport, set_job_listener
from arcgis_gp.plugin.provider.job_inputs import (
    MAX_REMEMBERED_JOBS,
    forget_secrets,
    remember_secrets,
    remembered_secrets,
)
from arcgis_gp.plugin.rest.enums import JobStatus, MessageType
from arcgis_gp.plugin.rest.errors import JobFailedError, JobTimedOutError
from arcgis_gp.plugin.rest.job_info import GPMessage

SECRET = "s3cr3t-Pa55"


class Collector(JobListener):
    """Keeps what it hears, as the jobs layer's recorder would write it."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, Any]] = []

    def job_status(self, job_id: str, status: JobStatus | None, messages: list[GPMessage]) -> None:
        self.heard.append((job_id, [m.description for m in messages]))

    def job_fetched(self, job_id: str, outputs: dict[str, Any], cut_outputs: list[str]) -> None:
        self.heard.append((job_id, outputs))


@pytest.fixture
def listener() -> Iterator[Collector]:
    collector = Collector()
    set_job_listener(collector)
    yield collector
    set_job_listener(None)
    forget_secrets()


def test_secrets_are_dropped_once_the_outputs_are_fetched(listener: Collector) -> None:
    remember_secrets("j1", [SECRET, ""])
    report = JobReport("j1")
    echoed = GPMessage(MessageType.INFORMATIVE, f"Connecting with {SECRET}")
    report.job_status(None, [echoed])
    assert SECRET not in str(listener.heard[-1])  # still scrubbed while the job runs
    report.job_fetched({"Output": f"ok {SECRET}"}, [])
    assert SECRET not in str(listener.heard[-1])  # the last event is scrubbed too...
    assert remembered_secrets("j1") == []  # ...and then the secrets go


def test_secrets_are_dropped_when_the_server_ends_the_job_without_outputs(
    listener: Collector,
) -> None:
    remember_secrets("failed", [SECRET])
    remember_secrets("timed-out", [SECRET])
    JobReport("failed").job_ended(JobFailedError("no", status=JobStatus.FAILED))
    JobReport("timed-out").job_ended(JobTimedOutError("late", status=JobStatus.TIMED_OUT))
    assert remembered_secrets("failed") == []
    assert remembered_secrets("timed-out") == []


def test_secrets_stay_while_the_outputs_may_still_be_fetched(listener: Collector) -> None:
    """A failed fetch can be retried in the session: its messages are still scrubbed."""
    remember_secrets("j2", [SECRET])
    report = JobReport("j2")
    report.job_ended(None)
    report.job_fetch_failed(OSError("disk full"))
    assert remembered_secrets("j2") == [SECRET]


def test_the_memo_keeps_at_most_the_latest_jobs(listener: Collector) -> None:
    """Jobs never fetched (abandoned, or fetched in a later session) cannot grow it."""
    remember_secrets("oldest", ["a"])
    remember_secrets("used", ["b"])
    for n in range(MAX_REMEMBERED_JOBS - 2):
        remember_secrets(f"job-{n}", [f"secret-{n}"])
    assert remembered_secrets("used") == ["b"]  # a job that reports stays recent
    remember_secrets("newest", ["c"])
    assert remembered_secrets("oldest") == []
    assert remembered_secrets("used") == ["b"]
    assert remembered_secrets("newest") == ["c"]
    assert remembered_secrets("job-0") == ["secret-0"]
