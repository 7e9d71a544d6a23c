"""What the plugin remembers of one asynchronous job, and the states a job moves through.

A record is plain data (JSON-ready) so the store can keep it across sessions and the
panel, the API and the watcher can share it without sharing objects between threads.
"""

from __future__ import annotations

import enum
import time
from dataclasses import asdict, dataclass, field, fields
from typing import Any

from ..i18n import translate
from ..provider.destinations import Destination


class JobState(enum.Enum):
    """Where a job is, as the user sees it."""

    #: Submitted; waiting or executing on the server.
    RUNNING = "running"
    #: Succeeded; its results are on the server and not (or no longer) downloaded.
    ON_SERVER = "on_server"
    #: Succeeded and its outputs were received.
    DOWNLOADED = "downloaded"
    #: Received, but an output stopped at the service's transfer limit.
    TRANSFER_LIMIT = "transfer_limit"
    FAILED = "failed"
    CANCELLED = "cancelled"
    TIMED_OUT = "timed_out"
    #: The server no longer knows the job (its jobs directory age has passed).
    EXPIRED = "expired"

    @property
    def label(self) -> str:
        return _labels()[self]

    @property
    def is_final(self) -> bool:
        """Nothing will happen to the job on the server any more."""
        return self is not JobState.RUNNING

    @property
    def results_on_server(self) -> bool:
        """The server keeps the job's results (until its jobs directory age passes)."""
        return self in (JobState.ON_SERVER, JobState.DOWNLOADED, JobState.TRANSFER_LIMIT)


def _labels() -> dict[JobState, str]:
    """What the jobs panel shows for each state (translated when it is asked)."""
    return {
        JobState.RUNNING: translate("JobState", "running"),
        JobState.ON_SERVER: translate("JobState", "on server"),
        JobState.DOWNLOADED: translate("JobState", "downloaded"),
        JobState.TRANSFER_LIMIT: translate("JobState", "exceeds transfer limit"),
        JobState.FAILED: translate("JobState", "failed"),
        JobState.CANCELLED: translate("JobState", "cancelled"),
        JobState.TIMED_OUT: translate("JobState", "timed out on server"),
        JobState.EXPIRED: translate("JobState", "expired on server"),
    }


#: Messages kept per job (the newest); GP tools can write thousands.
MAX_MESSAGES = 500


@dataclass
class JobRecord:
    """One asynchronous job submitted through the plugin."""

    job_id: str
    connection: str
    connection_url: str
    algorithm_id: str
    service_path: str
    task_name: str
    task_url: str
    state: JobState = JobState.RUNNING
    #: The server's last status (``esriJobExecuting`` …).
    server_status: str = ""
    submitted: float = field(default_factory=time.time)
    updated: float = field(default_factory=time.time)
    finished: float | None = None
    #: Submitted with "Run in background".
    background: bool = False
    #: Fetch and load the outputs when the job ends (also after a restart).
    fetch_pending: bool = True
    #: ``[{"type": "esriJobMessageTypeInformative", "description": "…"}]``, newest last.
    messages: list[dict[str, str]] = field(default_factory=list)
    #: The inputs as sent, secrets redacted (``{"$redacted": true}``).
    inputs: dict[str, Any] = field(default_factory=dict)
    #: Output name -> ``{"sink", "load", "name"}``: where the user asked it to go.
    destinations: dict[str, dict[str, Any]] = field(default_factory=dict)
    add_result_map_layer: bool = False
    #: Fetch the outputs with their z and m (the run's advanced option; older records: yes).
    return_z_m: bool = True
    #: The run's spatial references as sent (``submit_job`` keyword arguments), for re-runs.
    spatial_references: dict[str, Any] = field(default_factory=dict)
    #: Output name -> value of the last fetch (paths, layer ids, strings, numbers).
    outputs: dict[str, Any] = field(default_factory=dict)
    #: Outputs the server cut at its transfer limit that could not be fetched whole.
    cut_outputs: list[str] = field(default_factory=list)
    #: The last problem (failure, fetch error), in words.
    error: str = ""
    #: The job this one re-runs.
    rerun_of: str = ""
    #: The QGIS session that submitted or last watched the job (``sessions.py``): no
    #: other session resumes it while that one runs.
    session: str = ""

    def elapsed(self, now: float | None = None) -> float:
        """Seconds from submission to the end (or to now, while it runs)."""
        end = self.finished if self.finished is not None else (now or time.time())
        return max(end - self.submitted, 0.0)

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["state"] = self.state.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> JobRecord:
        """Tolerant of records written by older or newer versions (unknown keys dropped)."""
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        try:
            values["state"] = JobState(values.get("state", JobState.RUNNING.value))
        except ValueError:
            values["state"] = JobState.RUNNING
        return cls(**values)

    def output_destinations(self) -> dict[str, Destination]:
        """Where each output was asked to go (:attr:`destinations`, read back)."""
        return {name: Destination.from_dict(data) for name, data in self.destinations.items()}

    def add_messages(self, messages: list[dict[str, str]]) -> None:
        self.messages = (self.messages + messages)[-MAX_MESSAGES:]


def format_elapsed(seconds: float) -> str:
    """``0.4 s``, ``42 s``, ``3 min 05 s``, ``2 h 07 min``: how long a job ran."""
    if seconds < 10:
        return f"{seconds:.1f} s"
    seconds = int(seconds)
    if seconds < 60:
        return f"{seconds} s"
    minutes, seconds = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes} min {seconds:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"
