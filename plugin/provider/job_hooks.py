"""How a run tells the layer above (``plugin/jobs``) about its asynchronous job.

The provider must not import ``jobs`` (layers depend only downwards), yet every job it
submits has to be recorded, and a background watcher has to be able to stop watching a
job without cancelling it on the server. So the provider defines the contract here and
the jobs layer plugs in: :func:`set_job_listener` installs a :class:`JobListener`, and a
watcher passes a :class:`JobWatchFeedback` whose :meth:`~JobWatchFeedback.detach` ends
the wait but leaves the job running.

Inputs are recorded as they were sent (after encoding) so a job can be submitted again
without the layers it was made from, but never with secrets: ``GPStringHidden`` values
are replaced by a marker, and feature sets larger than :data:`MAX_RECORDED_JSON` are
left out.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Any

from qgis.core import (
    QgsMapLayer,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
    QgsProcessingOutputLayerDefinition,
)

from ..connections.connection import Connection
from ..qgis_log import log_warning
from ..rest.descriptions import GPTask
from ..rest.encoding import RawJson
from ..rest.enums import JobStatus
from ..rest.errors import ArcGisError, JobError, redact_url, scrub
from ..rest.job_info import GPMessage

#: Layer custom properties that tie a result layer to its job (a reopened project can
#: fetch the job again from them).
JOB_ID_PROPERTY = "arcgis_gp/job_id"
CONNECTION_PROPERTY = "arcgis_gp/connection"

#: Recorded in place of a secret input (``GPStringHidden``).
REDACTED = {"$redacted": True}
#: Pre-encoded JSON (feature sets) is recorded up to this many characters.
MAX_RECORDED_JSON = 20_000_000


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


@dataclass(frozen=True)
class Destination:
    """Where the user asked one output to go, and whether to load it into the project."""

    sink: str
    load: bool = True
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"sink": self.sink, "load": self.load, "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Destination:
        return cls(str(data.get("sink") or ""), bool(data.get("load", True)), data.get("name", ""))


@dataclass
class JobSubmission:
    """Everything known about a job at the moment it was submitted."""

    job_id: str
    connection: Connection
    algorithm_id: str
    service_path: str
    task_name: str
    task_url: str
    #: The inputs as sent, JSON-ready, secrets redacted (see :func:`record_inputs`).
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
    """What the jobs layer hears from a run; every method may be called from any thread."""

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
    """Install (or remove, with ``None``) the listener every run reports to."""
    global _listener  # noqa: PLW0603 - one listener per QGIS process, like the registry
    with _lock:
        _listener = listener


def job_listener() -> JobListener | None:
    with _lock:
        return _listener


#: Secret input values of this session's jobs, by job id, to scrub from what is recorded
#: (a server may echo them in messages). Never written anywhere. A job's entry goes when
#: its record ends (outputs fetched, or the job failed or was cancelled on the server);
#: the least recently used go beyond :data:`MAX_REMEMBERED_JOBS`, so that jobs never
#: fetched (timed out, fetch failed, abandoned) cannot grow it for a session's lifetime.
_secrets: OrderedDict[str, list[str]] = OrderedDict()

#: Far more jobs than one session watches at once; evicting a live job's secrets only
#: means later messages of that job are recorded unscrubbed, hence the generous figure.
MAX_REMEMBERED_JOBS = 256


def remember_secrets(job_id: str, secrets: list[str]) -> None:
    """Keep a job's secret input values for scrubbing what it reports."""
    kept = [s for s in secrets if s]
    if not kept:
        return
    with _lock:
        _secrets[job_id] = kept
        _secrets.move_to_end(job_id)
        while len(_secrets) > MAX_REMEMBERED_JOBS:
            _secrets.popitem(last=False)


def remembered_secrets(job_id: str) -> list[str]:
    """The secret input values kept for a job (``[]`` once its record ended)."""
    with _lock:
        kept = _secrets.get(job_id)
        if kept is None:
            return []
        _secrets.move_to_end(job_id)
        return list(kept)


def forget_secrets(job_id: str | None = None) -> None:
    """Drop one job's secret values, or every job's (``None``: the plugin unloads)."""
    with _lock:
        if job_id is None:
            _secrets.clear()
        else:
            _secrets.pop(job_id, None)


def _ends_record(method: str, args: tuple[Any, ...]) -> bool:
    """Whether this event is the last a job reports: its outputs arrived, or the server
    ended it without outputs (failed, cancelled). A fetch that failed may be retried."""
    if method == "job_fetched":
        return True
    if method != "job_ended" or not args or args[0] is None:
        return False
    status = getattr(args[0], "status", None)
    return isinstance(status, JobStatus) and status.is_terminal


def _scrubbed(value: Any, secrets: list[str]) -> Any:
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, GPMessage):
        return dataclasses.replace(value, description=scrub(value.description, secrets))
    if isinstance(value, list):
        return [_scrubbed(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: _scrubbed(item, secrets) for key, item in value.items()}
    if isinstance(value, ArcGisError):
        clean = copy.copy(value)
        clean.message = scrub(value.message, secrets)
        clean.details = [scrub(detail, secrets) for detail in value.details]
        if isinstance(clean, JobError):
            clean.messages = _scrubbed(list(value.messages), secrets)
        return clean
    return value


class JobReport:
    """Reports one job to the listener; a failing listener never breaks the run.

    Known secret inputs of the job are scrubbed from everything reported.
    """

    def __init__(self, job_id: str) -> None:
        self.job_id = job_id
        self.listener = job_listener()

    def __call__(self, method: str, *args: Any) -> None:
        if self.listener is None:
            if _ends_record(method, args):
                forget_secrets(self.job_id)
            return
        secrets = remembered_secrets(self.job_id)
        try:
            clean = [_scrubbed(arg, secrets) for arg in args]
            getattr(self.listener, method)(self.job_id, *clean)
        except Exception as error:  # recording must never fail a run
            log_warning(f"Job {self.job_id}: could not record {method}: {error}")
        finally:
            if _ends_record(method, args):
                forget_secrets(self.job_id)


def _is_secret(data_type: str) -> bool:
    return "GPStringHidden" in data_type


def _holds_secret_url(value: Any) -> bool:
    """``{"url": "…?token=…"}``: a feature or file URL that carries a credential."""
    url = value.get("url") if isinstance(value, dict) else None
    return isinstance(url, str) and redact_url(url) != url


def secret_values(task: GPTask, inputs: dict[str, Any]) -> list[str]:
    """The values of a task's secret inputs (to scrub them from records)."""
    secret = {param.name for param in task.inputs if _is_secret(param.data_type)}
    return [str(value) for name, value in inputs.items() if name in secret and value]


def has_secret_inputs(task: GPTask) -> bool:
    return any(_is_secret(param.data_type) for param in task.inputs)


def record_inputs(task: GPTask, inputs: dict[str, Any]) -> dict[str, Any]:
    """The encoded inputs in a JSON-ready form, with secrets replaced by :data:`REDACTED`."""
    recorded: dict[str, Any] = {}
    types = {param.name: param.data_type for param in task.inputs}
    for name, value in inputs.items():
        if _is_secret(types.get(name, "")) or _holds_secret_url(value):
            recorded[name] = REDACTED
        elif isinstance(value, RawJson):
            size = value.size  # a file-backed FeatureSet is not read to measure it
            if size > MAX_RECORDED_JSON:
                recorded[name] = {"$omitted": f"{size} bytes of JSON"}
            else:
                text = value.text.decode("utf-8") if isinstance(value.text, bytes) else value.text
                recorded[name] = {"$rawjson": text}
        else:
            recorded[name] = value
    return recorded


def replay_inputs(recorded: dict[str, Any]) -> dict[str, Any]:
    """Recorded inputs back into values :meth:`GPClient.submit_job` sends.

    Raises ``ValueError`` naming the inputs that were not kept (secrets, huge feature
    sets): such a job cannot be submitted again from its record.
    """
    missing = [
        name
        for name, value in recorded.items()
        if isinstance(value, dict) and ("$redacted" in value or "$omitted" in value)
    ]
    if missing:
        raise ValueError(
            f"the record does not keep the value of {', '.join(missing)} (secret or too large); "
            "run the algorithm again from its dialog"
        )
    return {
        name: RawJson(value["$rawjson"])
        if isinstance(value, dict) and set(value) == {"$rawjson"}
        else value
        for name, value in recorded.items()
    }


def destinations_of(
    algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext
) -> dict[str, Destination]:
    """Where each output was asked to go; outputs the user skipped are left out.

    A plain value (a path, ``TEMPORARY_OUTPUT``) means "write there and load it"; an
    output definition says itself whether to load (the dialog's "Open output file").
    """
    destinations: dict[str, Destination] = {}
    for definition in algorithm.destinationParameterDefinitions():
        value = parameters.get(definition.name())
        if value is None or value == "":
            continue
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            sink = value.sink.valueAsString(context.expressionContext(), "")[0]
            destinations[definition.name()] = Destination(
                sink, value.destinationProject is not None, value.destinationName
            )
        else:
            destinations[definition.name()] = Destination(str(value))
    return destinations


def tag_layer(layer: QgsMapLayer, job_id: str, connection_name: str) -> None:
    """Mark a result layer with its job, so a reopened project can fetch it again."""
    layer.setCustomProperty(JOB_ID_PROPERTY, job_id)
    layer.setCustomProperty(CONNECTION_PROPERTY, connection_name)


class _TagOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Tags an output layer when Processing loads it into the project (main thread)."""

    #: Processing does not keep Python post-processors alive: these references do, until
    #: each has run (bounded, in case a run's layers are never loaded).
    alive: list[_TagOnLoad] = []

    def __init__(self, job_id: str, connection_name: str) -> None:
        super().__init__()
        self.job_id = job_id
        self.connection_name = connection_name

    def postProcessLayer(
        self, layer: QgsMapLayer, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> None:
        tag_layer(layer, self.job_id, self.connection_name)

    @classmethod
    def keep(cls, processor: _TagOnLoad) -> _TagOnLoad:
        cls.alive.append(processor)
        del cls.alive[:-500]
        return processor


def tag_outputs_on_load(context: QgsProcessingContext, job_id: str, connection_name: str) -> None:
    """Every layer this run will load gets the job's id and connection as properties."""
    for layer_id in context.layersToLoadOnCompletion():
        details = context.layerToLoadOnCompletionDetails(layer_id)
        if details.postProcessor() is None:
            details.setPostProcessor(_TagOnLoad.keep(_TagOnLoad(job_id, connection_name)))
