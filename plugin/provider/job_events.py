"""How a run tells the layer above (``plugin/jobs``) about its asynchronous job.

The provider must not import ``jobs`` (layers depend only downwards), yet every job it
submits has to be recorded, and a background watcher has to be able to stop watching a
job without cancelling it on the server. So the provider defines the contract here and
the jobs layer plugs in: :func:`set_job_listener` installs a :class:`JobListener`, and a
watcher passes a :class:`JobWatchFeedback` whose :meth:`~JobWatchFeedback.detach` ends
the wait but leaves the job running.

Each event is a method of :class:`JobListener`, and a run reports it through the method
of the same name on :class:`JobReport`: an event that does not exist is an
``AttributeError`` where it is sent, never a warning in the log.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass, field
from typing import Any, Callable

from qgis.core import QgsProcessingFeedback

from ..connections.connection import Connection
from ..qgis_log import log_warning
from ..rest.enums import JobStatus
from ..rest.errors import ArcGisError
from ..rest.job_info import GPMessage
from .destinations import Destination
from .job_inputs import forget_secrets, remembered_secrets, scrubbed


class JobDetached(Exception):  # noqa: N818 - not an error: the watcher let go of the job
    """Raised inside a wait when the watcher stops watching; the job keeps running."""


class JobWatchFeedback(QgsProcessingFeedback):
    """Feedback of a background watcher.

    ``cancel()`` cancels the job on the server (the panel's Cancel); ``detach()`` only
    stops watching it (plugin unload, QGIS closing), so it can be resumed later.
    """

    def __init__(self) -> None:
        super().__init__()
        self.detached = False

    def detach(self) -> None:
        self.detached = True
        self.cancel()


@dataclass
class JobSubmission:
    """Everything known about a job at the moment it was submitted."""

    job_id: str
    connection: Connection
    algorithm_id: str
    service_path: str
    task_name: str
    task_url: str
    #: The inputs as sent, JSON-ready, secrets redacted (see ``job_inputs.record_inputs``).
    inputs: dict[str, Any]
    destinations: dict[str, Destination] = field(default_factory=dict)
    add_result_map_layer: bool = False
    background: bool = False
    status: JobStatus = JobStatus.SUBMITTED
    #: Ask for z and m when the outputs are fetched (the run's advanced option).
    return_z_m: bool = True
    #: The run's spatial references as sent: keyword arguments of ``submit_job``
    #: (``context``, or ``out_sr``/``process_sr`` for servers before 10.6.1), JSON-ready.
    spatial_references: dict[str, Any] = field(default_factory=dict)


class JobListener:
    """What the jobs layer hears from a run; every method may be called from any thread.

    The methods do nothing here: a listener overrides the events it cares about.
    """

    def job_submitted(self, job_id: str, submission: JobSubmission) -> None:
        """A job was submitted (foreground or background)."""

    def job_status(self, job_id: str, status: JobStatus | None, messages: list[GPMessage]) -> None:
        """A poll saw a new status (``None``: unchanged) and/or new ``messages``."""

    def job_ended(self, job_id: str, error: ArcGisError | None) -> None:
        """The wait ended: ``None`` when the job succeeded, else why it did not."""

    def job_fetched(self, job_id: str, outputs: dict[str, Any], cut_outputs: list[str]) -> None:
        """The outputs were received; ``cut_outputs`` stopped at the transfer limit."""

    def job_fetch_failed(self, job_id: str, error: BaseException) -> None:
        """Receiving the outputs failed (the job may still be on the server)."""

    def job_detached(self, job_id: str) -> None:
        """A watcher stopped watching the job; it still runs on the server."""


_listener: JobListener | None = None
_lock = threading.Lock()


def set_job_listener(listener: JobListener | None) -> None:
    """Install (or remove, with ``None``) the listener every run reports to.

    Only a :class:`JobListener` is accepted: an object with some of its methods, or a
    misspelt one, would miss events without a word.
    """
    global _listener  # noqa: PLW0603 - one listener per QGIS process, like the registry
    if listener is not None and not isinstance(listener, JobListener):
        raise TypeError(f"a job listener must be a JobListener, not {type(listener).__name__}")
    with _lock:
        _listener = listener


def job_listener() -> JobListener | None:
    with _lock:
        return _listener


def _ends_record(error: ArcGisError | None) -> bool:
    """Whether a wait that ended with ``error`` is the job's last event: the server ended
    it without outputs (failed, cancelled). A success leaves the outputs to fetch."""
    status = getattr(error, "status", None)
    return isinstance(status, JobStatus) and status.is_terminal


class JobReport:
    """Reports one job to the listener; a failing listener never breaks the run.

    One method per event of :class:`JobListener`, with the same name and arguments but
    the job id. Known secret inputs of the job are scrubbed from everything reported,
    and forgotten after the job's last event (see ``job_inputs``).
    """

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        #: Without a listener (nothing records jobs), the events go nowhere.
        self.listener = job_listener() or JobListener()

    def job_submitted(self, submission: JobSubmission) -> None:
        self._deliver(self.listener.job_submitted, submission)

    def job_status(self, status: JobStatus | None, messages: list[GPMessage]) -> None:
        self._deliver(self.listener.job_status, status, messages)

    def job_ended(self, error: ArcGisError | None) -> None:
        self._deliver(self.listener.job_ended, error, last=_ends_record(error))

    def job_fetched(self, outputs: dict[str, Any], cut_outputs: list[str]) -> None:
        self._deliver(self.listener.job_fetched, outputs, cut_outputs, last=True)

    def job_fetch_failed(self, error: BaseException) -> None:
        self._deliver(self.listener.job_fetch_failed, error)

    def job_detached(self) -> None:
        self._deliver(self.listener.job_detached)

    def _deliver(self, event: Callable[..., None], *args: Any, last: bool = False) -> None:
        """Call ``event`` with the job id and ``args`` scrubbed; ``last`` drops the secrets."""
        try:
            secrets = remembered_secrets(self.job_id)
            event(self.job_id, *(scrubbed(arg, secrets) for arg in args))
        except Exception as error:  # recording must never fail a run
            log_warning(f"Job {self.job_id}: could not record {event.__name__}: {error}")
        finally:
            if last:
                forget_secrets(self.job_id)
