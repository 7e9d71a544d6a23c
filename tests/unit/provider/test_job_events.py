"""Job events are typed method calls: every event a run reports exists on the listener
interface, so a misspelt or missing event fails where it is written, not as a warning
in the log while the job goes unrecorded."""

from __future__ import annotations

import inspect
from typing import Any

import pytest

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.jobs.model import JobRecord
from arcgis_gp.plugin.jobs.recorder import record_from_submission
from arcgis_gp.plugin.provider.destinations import Destination
from arcgis_gp.plugin.provider.job_events import (
    JobListener,
    JobReport,
    JobSubmission,
    job_listener,
    set_job_listener,
)
from arcgis_gp.plugin.rest.enums import JobStatus, MessageType
from arcgis_gp.plugin.rest.errors import JobFailedError
from arcgis_gp.plugin.rest.job_info import GPMessage


def _events() -> list[str]:
    return [name for name, _ in inspect.getmembers(JobListener, inspect.isfunction)]


class Heard(JobListener):
    """Notes each event it hears, under the interface's own method names."""

    def __init__(self) -> None:
        self.heard: list[tuple[str, str, tuple[Any, ...]]] = []
        for name in _events():
            setattr(self, name, self._hear(name))

    def _hear(self, name: str) -> Any:
        return lambda job_id, *args: self.heard.append((name, job_id, args))


def _submission() -> JobSubmission:
    return JobSubmission(
        job_id="j1",
        connection=Connection(name="demo", url="https://gis.example.com/arcgis/rest/services"),
        algorithm_id="arcgisgp:demo__s__t",
        service_path="s",
        task_name="t",
        task_url="https://gis.example.com/arcgis/rest/services/s/GPServer/t",
        inputs={"Distance": 5},
        destinations={"Out": Destination("/tmp/out.gpkg", load=False, name="Out layer")},
    )


#: One call per event, with the arguments a run gives (the job id is the report's).
SAMPLE_ARGUMENTS: dict[str, tuple[Any, ...]] = {
    "job_submitted": (_submission(),),
    "job_status": (JobStatus.EXECUTING, [GPMessage(MessageType.INFORMATIVE, "Executing")]),
    "job_ended": (JobFailedError("no", status=JobStatus.FAILED),),
    "job_fetched": ({"Out": "/tmp/out.gpkg"}, []),
    "job_fetch_failed": (OSError("disk full"),),
    "job_detached": (),
}


def test_every_event_of_the_listener_is_a_method_of_the_report() -> None:
    """The report offers exactly the listener's events, with the listener's arguments
    but the job id, and each reaches the listener's method of that name."""
    assert sorted(SAMPLE_ARGUMENTS) == sorted(_events())
    listener = Heard()
    set_job_listener(listener)
    try:
        report = JobReport("j1")
        for event in _events():
            emit = getattr(report, event)  # AttributeError: an event the report cannot send
            wanted = list(inspect.signature(getattr(JobListener, event)).parameters)[2:]
            assert list(inspect.signature(emit).parameters) == wanted, event
            emit(*SAMPLE_ARGUMENTS[event])
    finally:
        set_job_listener(None)
    assert [(event, job_id) for event, job_id, _ in listener.heard] == [
        (event, "j1") for event in _events()
    ]


def test_a_listener_that_is_not_a_job_listener_is_refused() -> None:
    """One with a misspelt event would never hear that event, and say nothing."""

    class Misspelt:
        def job_submitted(self, job_id: str, submission: JobSubmission) -> None: ...

        def job_fetchd(self, job_id: str, outputs: dict[str, Any], cut: list[str]) -> None: ...

    with pytest.raises(TypeError, match="JobListener"):
        set_job_listener(Misspelt())  # type: ignore[arg-type]
    assert job_listener() is None


def test_a_record_gives_back_its_destinations_as_objects() -> None:
    """What the watcher, re-runs and the API read: the destinations the run recorded."""
    submission = _submission()
    stored = record_from_submission(submission).to_dict()
    assert stored["destinations"] == {
        "Out": {"sink": "/tmp/out.gpkg", "load": False, "name": "Out layer"}
    }
    assert JobRecord.from_dict(stored).output_destinations() == submission.destinations
    older = JobRecord.from_dict({**stored, "destinations": {"Out": {"sink": "/tmp/o.gpkg"}}})
    assert older.output_destinations() == {"Out": Destination("/tmp/o.gpkg", True, "")}
