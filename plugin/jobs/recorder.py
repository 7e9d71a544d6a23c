"""Writes what runs report about their jobs into the store.

It is the provider's :class:`JobListener`: runs call it from Processing's worker
threads and from watcher tasks, so it only touches the store (thread-safe) and calls
two plain callbacks, which the manager turns into Qt signals for the main thread.
"""

from __future__ import annotations

import time
from typing import Any, Callable

from ..i18n import translate
from ..provider.job_events import JobListener, JobSubmission
from ..rest.enums import JobStatus
from ..rest.errors import (
    ArcGisError,
    ArcGisTimeoutError,
    JobCancelledError,
    JobExpiredError,
    JobFailedError,
    JobTimedOutError,
)
from ..rest.job_info import GPMessage
from .model import JobRecord, JobState
from .store import JobStore


def state_after(error: ArcGisError | None) -> JobState | None:
    """The state a job is in when its wait ended with ``error`` (None: it may still run)."""
    if error is None:
        return JobState.ON_SERVER
    if isinstance(error, JobExpiredError):
        return JobState.EXPIRED
    if isinstance(error, JobCancelledError):
        return JobState.CANCELLED
    if isinstance(error, JobTimedOutError):
        return JobState.TIMED_OUT
    if isinstance(error, JobFailedError):
        return JobState.FAILED
    if isinstance(error, ArcGisTimeoutError) and error.job_id:
        return JobState.CANCELLED  # our own time limit: the job was asked to cancel
    return None  # e.g. the server was unreachable: the job may still be running


def record_from_submission(submission: JobSubmission) -> JobRecord:
    return JobRecord(
        job_id=submission.job_id,
        connection=submission.connection.name,
        connection_url=submission.connection.url,
        algorithm_id=submission.algorithm_id,
        service_path=submission.service_path,
        task_name=submission.task_name,
        task_url=submission.task_url,
        server_status=submission.status.value,
        background=submission.background,
        inputs=submission.inputs,
        destinations={name: d.to_dict() for name, d in submission.destinations.items()},
        add_result_map_layer=submission.add_result_map_layer,
        return_z_m=submission.return_z_m,
        spatial_references=dict(submission.spatial_references),
    )


def _message_dicts(messages: list[GPMessage]) -> list[dict[str, str]]:
    return [{"type": m.type.value, "description": m.description} for m in messages]


class StoreRecorder(JobListener):
    """Keeps every reported job in ``store``; tells ``changed`` and ``background``."""

    def __init__(
        self,
        store: JobStore,
        changed: Callable[[str], None] | None = None,
        background: Callable[[str], None] | None = None,
    ) -> None:
        self.store = store
        self.changed = changed or (lambda job_id: None)
        self.background = background or (lambda job_id: None)
        #: Written into each new record: the session that looks after the job.
        self.session = ""

    def _update(self, job_id: str, change: Callable[[JobRecord], None]) -> None:
        if self.store.update(job_id, change) is not None:
            self.changed(job_id)

    def job_submitted(self, job_id: str, submission: JobSubmission) -> None:
        record = record_from_submission(submission)
        record.session = self.session
        self.store.add(record)
        self.changed(job_id)
        if submission.background:
            self.background(job_id)

    def job_status(self, job_id: str, status: JobStatus | None, messages: list[GPMessage]) -> None:
        def change(record: JobRecord) -> None:
            if status is not None:
                record.server_status = status.value
            record.add_messages(_message_dicts(messages))

        self._update(job_id, change)

    def job_ended(self, job_id: str, error: ArcGisError | None) -> None:
        state = state_after(error)

        def change(record: JobRecord) -> None:
            if error is not None and getattr(error, "messages", None):
                seen = {(m["type"], m["description"]) for m in record.messages}
                fresh = [m for m in error.messages if (m.type.value, m.description) not in seen]
                record.add_messages(_message_dicts(fresh))
            if state is None:
                record.error = translate("Recorder", "Not watched any more: {error}").format(
                    error=error
                )
                return
            record.state = state
            record.error = "" if error is None else str(error)
            if error is None:
                record.server_status = JobStatus.SUCCEEDED.value
            elif getattr(error, "status", None) is not None:
                record.server_status = error.status.value
            if record.finished is None:
                record.finished = time.time()
            if state is not JobState.ON_SERVER:
                record.fetch_pending = False

        self._update(job_id, change)

    def job_fetched(self, job_id: str, outputs: dict[str, Any], cut_outputs: list[str]) -> None:
        def change(record: JobRecord) -> None:
            record.state = JobState.TRANSFER_LIMIT if cut_outputs else JobState.DOWNLOADED
            record.outputs = outputs
            record.cut_outputs = list(cut_outputs)
            record.fetch_pending = False
            record.error = ""

        self._update(job_id, change)

    def job_fetch_failed(self, job_id: str, error: BaseException) -> None:
        def change(record: JobRecord) -> None:
            record.state = (
                JobState.EXPIRED if isinstance(error, JobExpiredError) else JobState.ON_SERVER
            )
            record.fetch_pending = False
            failed = translate("Recorder", "Fetching the results failed: {error}")
            record.error = failed.format(error=error)

        self._update(job_id, change)
