"""Waiting for one asynchronous job: poll until it ends, telling the feedback and the job
record each change on the way.

A background watcher waits through the same function; when it lets go of the job
(:meth:`JobWatchFeedback.detach`), the wait ends with :class:`JobDetached` and the job
goes on on the server.
"""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import QgsProcessingFeedback

from ..rest.client import GPClient
from ..rest.descriptions import GPTask
from ..rest.enums import JobStatus
from ..rest.errors import ArcGisError
from ..rest.job_info import GPMessage, JobInfo
from ..rest.waiting import wait_for_job
from ..settings import poll_policy
from .job_events import JobDetached, JobReport, JobWatchFeedback
from .run_results import report_messages


def _cancel_check(feedback: QgsProcessingFeedback) -> Callable[[], bool]:
    """``is_cancelled`` for a wait: a watcher that detaches stops waiting, cancelling nothing."""

    def is_cancelled() -> bool:
        if isinstance(feedback, JobWatchFeedback) and feedback.detached:
            raise JobDetached
        return feedback.isCanceled()

    return is_cancelled


def wait_reporting(
    client: GPClient,
    task: GPTask,
    job_id: str,
    feedback: QgsProcessingFeedback,
    *,
    report: JobReport,
    job_timeout: float | None,
) -> JobInfo:
    """Poll until the job ends, reporting each change; its final status when it succeeded.

    ``job_timeout`` applies to a run that waits for its job; a watched job outlives the
    session, so only the server's own limit applies to it.
    """

    def on_status(status: JobStatus) -> None:
        feedback.setProgressText(f"Job {job_id}: {status.value}")
        report.job_status(status, [])

    def on_messages(messages: list[GPMessage]) -> None:
        report_messages(feedback, messages)
        report.job_status(None, messages)

    def on_progress(progress: Any) -> None:
        if progress is not None and progress.percent is not None:
            feedback.setProgress(float(progress.percent))

    watching = isinstance(feedback, JobWatchFeedback)
    try:
        final = wait_for_job(
            client,
            task.url,
            job_id,
            on_status=on_status,
            on_messages=on_messages,
            on_progress=on_progress,
            is_cancelled=_cancel_check(feedback),
            poll=poll_policy(),
            timeout=None if watching else job_timeout,
        )
    except JobDetached:
        report.job_detached()
        raise
    except ArcGisError as error:
        report.job_ended(error)
        raise
    report.job_ended(None)
    feedback.setProgress(100)
    return final
