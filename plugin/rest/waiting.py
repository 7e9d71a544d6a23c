"""Wait for an asynchronous GP job: poll with back-off, stream news, cancel, time out.

A first check comes soon after submitting (most jobs are short), then the pause
grows to a ceiling (long jobs do not hammer the server). Each poll forwards only
what is new: status changes, *new* messages, changed progress. Cancelling is
cooperative: ``is_cancelled()`` (e.g. ``QgsFeedback.isCanceled``) is checked
during every pause, in small steps, so a click on Cancel acts within a fraction
of a second; the server is then asked to cancel and given ``cancel_wait``
seconds to confirm. Nothing here can loop forever: an overall ``timeout``, a
limit on unknown statuses and a limit on consecutive poll errors all end it.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, NoReturn

from .enums import JobStatus
from .errors import (
    ArcGisConnectionError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisTimeoutError,
    JobCancelledError,
    JobExpiredError,
    JobFailedError,
    JobTimedOutError,
)
from .job_info import GPMessage, JobInfo, JobProgress

if TYPE_CHECKING:
    from .client import GPClient

LOG = logging.getLogger(__name__)

#: Longest single sleep between two checks of ``is_cancelled``.
CANCEL_CHECK_STEP = 0.05
#: Poll failures that may pass (a proxy's error page, a cut answer, a short outage):
#: polling is read-only, so the next poll simply asks again.
POLL_ERRORS = (
    ArcGisConnectionError,
    ArcGisTimeoutError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
)


@dataclass(frozen=True)
class PollPolicy:
    """Pause before poll *n* (0-based): ``min(first * factor**n, ceiling)`` seconds."""

    first: float = 0.2
    factor: float = 1.5
    ceiling: float = 5.0

    def delay(self, poll_number: int) -> float:
        """Seconds to wait before poll ``poll_number``."""
        try:
            value = self.first * (self.factor ** max(poll_number, 0))
        except OverflowError:
            value = self.ceiling
        return max(min(value, self.ceiling), 0.0)


def new_messages(previous: Sequence[GPMessage], current: Sequence[GPMessage]) -> list[GPMessage]:
    """Messages in ``current`` not yet seen in ``previous``.

    Usually ``current`` extends ``previous``; some servers keep only the latest
    messages, so the longest tail of ``previous`` that starts ``current`` counts
    as already seen.
    """
    if len(current) >= len(previous) and list(current[: len(previous)]) == list(previous):
        return list(current[len(previous) :])
    for overlap in range(min(len(previous), len(current)), 0, -1):
        if list(previous[-overlap:]) == list(current[:overlap]):
            return list(current[overlap:])
    return list(current)


class _Reporter:
    """Forwards only what changed to the callbacks."""

    def __init__(
        self,
        on_status: Callable[[JobStatus], None] | None,
        on_messages: Callable[[list[GPMessage]], None] | None,
        on_progress: Callable[[JobProgress], None] | None,
    ) -> None:
        self.on_status = on_status
        self.on_messages = on_messages
        self.on_progress = on_progress
        self.status: JobStatus | None = None
        self.messages: list[GPMessage] = []
        self.progress: JobProgress | None = None
        self.last: JobInfo | None = None

    def update(self, info: JobInfo) -> None:
        self.last = info
        if info.status is not self.status:
            self.status = info.status
            if self.on_status:
                self.on_status(info.status)
        fresh = new_messages(self.messages, info.messages)
        self.messages = list(info.messages)
        if fresh and self.on_messages:
            self.on_messages(fresh)
        if info.progress is not None and info.progress != self.progress:
            self.progress = info.progress
            if self.on_progress:
                self.on_progress(info.progress)


def _pause(seconds: float, is_cancelled: Callable[[], bool] | None, until: float | None) -> bool:
    """Sleep ``seconds`` (not past ``until``); ``True`` as soon as cancel is requested."""
    end = time.monotonic() + seconds
    if until is not None:
        end = min(end, until)
    while True:
        if is_cancelled is not None and is_cancelled():
            return True
        left = end - time.monotonic()
        if left <= 0:
            return False
        time.sleep(min(left, CANCEL_CHECK_STEP) if is_cancelled else left)


def _summary(info: JobInfo) -> str:
    errors = [m.description for m in info.error_messages if m.description]
    if errors:
        return "; ".join(errors[-5:])
    texts = [m.description for m in info.messages if m.description]
    if texts:
        return texts[-1]
    return f"the server reports {info.status_text}"


def _finish(info: JobInfo, url: str) -> JobInfo:
    status = info.status
    details = {"job_id": info.job_id, "status": status, "messages": info.messages, "url": url}
    if status is JobStatus.SUCCEEDED:
        return info
    if status.is_failure:
        raise JobFailedError(_summary(info), **details)
    if status is JobStatus.TIMED_OUT:
        raise JobTimedOutError(_summary(info), **details)
    if status is JobStatus.CANCELLED:
        raise JobCancelledError("the job was cancelled on the server", **details)
    raise JobExpiredError(f"the job was deleted on the server ({info.status_text})", **details)


def wait_for_job(
    client: GPClient,
    task_url: str,
    job_id: str,
    *,
    poll: PollPolicy | None = None,
    timeout: float | None = None,
    on_status: Callable[[JobStatus], None] | None = None,
    on_messages: Callable[[list[GPMessage]], None] | None = None,
    on_progress: Callable[[JobProgress], None] | None = None,
    is_cancelled: Callable[[], bool] | None = None,
    cancel_wait: float = 30.0,
    max_poll_errors: int = 5,
    unknown_status_timeout: float = 300.0,
) -> JobInfo:
    """Poll until the job ends; return its final :class:`JobInfo` when it succeeded.

    Raises :class:`JobFailedError`, :class:`JobTimedOutError` (the server's own
    limit), :class:`JobCancelledError` (after ``is_cancelled()`` turned true, or
    cancelled elsewhere), :class:`JobExpiredError` (the server no longer knows
    the job), :class:`ArcGisTimeoutError` after ``timeout`` seconds (the job is
    asked to cancel first), or :class:`ArcGisInvalidResponseError` when the
    server reports an unknown status for ``unknown_status_timeout`` seconds.
    Transient poll failures (connection, HTTP 5xx, timeouts, an HTML page or cut
    JSON) are tolerated ``max_poll_errors`` times in a row; the last one is named
    if the overall ``timeout`` ends the wait meanwhile.
    """
    job = _Job(client, task_url, job_id, _Reporter(on_status, on_messages, on_progress))
    poll = poll or PollPolicy()
    deadline = time.monotonic() + timeout if timeout is not None else None
    unknown_since: float | None = None
    failures = 0
    poll_number = 0
    while True:
        if _pause(poll.delay(poll_number), is_cancelled, deadline):
            job.cancel(poll, cancel_wait)
        poll_number += 1
        if deadline is not None and time.monotonic() >= deadline:
            job.give_up(timeout or 0.0)
        try:
            info = client.job_status(task_url, job_id)
        except JobExpiredError as error:
            error.job_id = job_id
            error.messages = job.reporter.messages
            raise
        except POLL_ERRORS as error:
            failures += 1
            job.poll_error = error
            LOG.warning("polling job %s failed (%d in a row): %s", job_id, failures, error)
            if failures > max_poll_errors:
                raise
            continue
        failures = 0
        job.poll_error = None
        job.reporter.update(info)
        if info.status.is_terminal:
            return _finish(info, job.url)
        if is_cancelled is not None and is_cancelled():
            job.cancel(poll, cancel_wait)
        if info.status is JobStatus.UNKNOWN:
            unknown_since = unknown_since if unknown_since is not None else time.monotonic()
            if time.monotonic() - unknown_since > unknown_status_timeout:
                raise ArcGisInvalidResponseError(
                    f"the server kept reporting the unknown job status '{info.status_text}'",
                    url=job.url,
                )
        else:
            unknown_since = None


class _Job:
    """The job being waited for: where it is, and what was reported of it."""

    def __init__(self, client: GPClient, task_url: str, job_id: str, reporter: _Reporter) -> None:
        self.client = client
        self.task_url = task_url
        self.job_id = job_id
        self.reporter = reporter
        self.url = client.job_url(task_url, job_id)
        #: Why the last poll failed, while polls fail (named when the wait gives up).
        self.poll_error: ArcGisError | None = None

    def give_up(self, timeout: float) -> NoReturn:
        """Overall timeout: ask the server to cancel (best effort), then raise."""
        try:
            self.client.cancel_job(self.task_url, self.job_id)
        except ArcGisError as error:
            LOG.warning("could not cancel job %s after the timeout: %s", self.job_id, error)
        status = self.reporter.status
        cause = f"; polling it failed: {self.poll_error}" if self.poll_error else ""
        raise ArcGisTimeoutError(
            f"the job did not finish within {timeout:g} s "
            f"(last status {status.value if status else 'unknown'}){cause}; "
            "it was asked to cancel",
            job_id=self.job_id,
            url=self.url,
        )

    def cancel(self, poll: PollPolicy, cancel_wait: float) -> NoReturn:
        """Ask the server to cancel, wait (bounded) for it to stop, raise JobCancelledError."""
        try:
            self.reporter.update(self.client.cancel_job(self.task_url, self.job_id))
        except JobExpiredError:
            raise JobCancelledError(
                "cancelled; the server no longer knows the job",
                job_id=self.job_id,
                messages=self.reporter.messages,
                url=self.url,
            ) from None
        except ArcGisError as error:
            # The job may have ended meanwhile; its status below tells.
            LOG.warning("cancel request for job %s failed: %s", self.job_id, error)
        status = self._wait_until_stopped(poll, cancel_wait)
        if status is JobStatus.CANCELLED:
            message = "cancelled at your request"
        elif status is not None and status.is_terminal:
            message = f"cancelled at your request, but the job had already ended ({status.value})"
        else:
            message = (
                f"cancelled at your request; the server did not confirm within {cancel_wait:g} s"
            )
        raise JobCancelledError(
            message,
            job_id=self.job_id,
            status=status,
            messages=self.reporter.messages,
            url=self.url,
        )

    def _wait_until_stopped(self, poll: PollPolicy, cancel_wait: float) -> JobStatus | None:
        end = time.monotonic() + max(cancel_wait, 0.0)
        poll_number = 0
        status = self.reporter.status
        while status is None or not status.is_terminal:
            left = end - time.monotonic()
            if left <= 0:
                break
            time.sleep(min(poll.delay(poll_number), 1.0, left))
            poll_number += 1
            try:
                info = self.client.job_status(self.task_url, self.job_id)
            except JobExpiredError:
                break
            except ArcGisError as error:
                LOG.warning("polling cancelled job %s failed: %s", self.job_id, error)
                continue
            self.reporter.update(info)
            status = info.status
        return status
