"""Running one GP task from Processing: encode inputs, execute or submit and wait, decode.

This is ``processAlgorithm``'s body, kept apart from the algorithm class so that the
class only describes the task. It runs in Processing's worker thread (the dialog) or
the caller's thread (``processing.run``), never blocking QGIS's GUI thread.

:meth:`TaskRun.run` dispatches: fetch an existing job's outputs, submit a job and leave
it in the background, submit one and wait for it, or execute a synchronous task; then
deliver the outputs. Waiting is :mod:`.job_wait`'s, decoding :mod:`.run_outputs`'.
"""

from __future__ import annotations

import json
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
)

from ..connections.clients import client_for
from ..connections.connection import Connection
from ..gptypes.base import OMIT, DecodeContext, EncodeContext, ResultValue, unique_path
from ..gptypes.execute_answer import index_execute_answer
from ..gptypes.table import handler_for
from ..i18n import translate
from ..rest.client import GPClient
from ..rest.descriptions import GPService, GPTask
from ..rest.errors import ArcGisError, ArcGisRefusedError, JobCancelledError, JobError
from ..rest.job_info import GPMessage, JobInfo
from ..settings import default_job_timeout
from .destinations import destinations_of
from .environment import RunEnvironment, is_spatial, read_environment
from .hosted import (
    encode_output_name,
    is_output_name,
    login_hosts,
    logs_in_to,
    service_token,
)
from .hosted import service_access as hosted_access
from .job_events import JobDetached, JobReport, JobSubmission
from .job_inputs import record_inputs, remember_secrets, secret_values
from .job_wait import wait_reporting
from .layer_tags import tag_outputs_on_load
from .result_map_service import (
    ADD_RESULT_MAP_LAYER,
    ResultMapService,
    layer_pages,
)
from .run_outputs import decode_outputs, pages_or_cut, recordable
from .run_results import job_results, report_messages, sync_result

JOB_ID_OUTPUT = "JOB_ID"
#: Submit, record the job and return its id at once; the jobs layer watches it.
RUN_IN_BACKGROUND = "RUN_IN_BACKGROUND"
#: Hidden: attach to this existing job instead of submitting (resume, "Get Data").
FETCH_JOB_ID = "FETCH_JOB_ID"


def _failure_text(task: GPTask, error: ArcGisError, connection: str = "") -> str:
    """The server's own words first: the error, then the job's error messages.

    A refusal (no privilege, no credits) also names the connection whose sign-in was
    refused: its user, not the plugin, must get the privilege or the credits.
    """
    text = f"{task.display_name or task.name}: {error}"
    if isinstance(error, ArcGisRefusedError) and connection:
        note = translate("Runner", "connection '{name}': the signed-in user may not run "
                         "this task; an administrator of the portal can grant the privilege "
                         "or the credits it needs")  # fmt: skip
        text += f" ({note.format(name=connection)})"
    if isinstance(error, JobError):
        lines = [m.description for m in error.messages if m.is_error and m.description]
        if lines:
            text += "\n" + "\n".join(lines)
    return text


@dataclass
class _Call:
    """What Processing handed one run, and the run's own settings and scratch folder."""

    parameters: dict[str, Any]
    context: QgsProcessingContext
    feedback: QgsProcessingFeedback
    temp_dir: Path
    environment: RunEnvironment
    #: The run named a hosted layer for the service to create (``outputName``).
    hosted_output: bool = False


class TaskRun:
    """One run of one task, with everything it needs in one place."""

    def __init__(
        self,
        algorithm: QgsProcessingAlgorithm,
        client: GPClient,
        connection: Connection,
        service: GPService,
        task: GPTask,
    ) -> None:
        self.algorithm = algorithm
        self.client = client
        self.connection = connection
        self.service = service
        self.task = task
        #: The run's last GP messages (a missing required output quotes them).
        self._messages: list[GPMessage] = []
        #: Hosts the connection logs in to: service layers there get its token.
        self._hosts = login_hosts(connection, [task.url, service.url])

    def run(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        """Processing's outputs; a server's error as a ``QgsProcessingException``."""
        with tempfile.TemporaryDirectory(prefix="arcgis_gp_") as temp:
            try:
                return self._dispatch(parameters, context, feedback, Path(temp))
            except JobDetached:
                feedback.pushInfo(
                    translate("Runner", "Stopped watching the job; it goes on on the server.")
                )
                return {}
            except JobCancelledError as error:
                if feedback.isCanceled():
                    cancelled = translate("Runner", "Cancelled: job {job_id} was cancelled "
                        "on the server.")  # fmt: skip
                    feedback.pushInfo(cancelled.format(job_id=error.job_id))
                    return {}
                raise QgsProcessingException(
                    _failure_text(self.task, error, self.connection.name)
                ) from error
            except ArcGisError as error:
                raise QgsProcessingException(
                    _failure_text(self.task, error, self.connection.name)
                ) from error

    def _dispatch(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        temp_dir: Path,
    ) -> dict[str, Any]:
        """Fetch, background, wait or sync; then deliver the outputs."""
        fetch_id = self._job_to_fetch(parameters, context)
        call = _Call(
            parameters, context, feedback, temp_dir, self._environment(parameters, context)
        )
        if fetch_id:
            return self._wait_and_deliver(fetch_id, call)
        inputs = self._encode_inputs(call)
        if feedback.isCanceled():
            return {}
        if not self.task.is_async:
            return self._deliver(call, self._run_sync(inputs, call))
        background = self._in_background(parameters, context)
        job_id = self._submit(inputs, call, background=background)
        if background:
            started = translate("Runner", "Job {job_id} runs in the background; its results "
                "load when it ends (see the GP Jobs panel).")  # fmt: skip
            feedback.pushInfo(started.format(job_id=job_id))
            return {JOB_ID_OUTPUT: job_id}
        return self._wait_and_deliver(job_id, call)

    def _job_timeout(self) -> float | None:
        """The connection's own limit on a job (0: none), else the provider's setting."""
        own = self.connection.job_timeout
        if own is None:
            return default_job_timeout()
        return own if own > 0 else None

    def _environment(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> RunEnvironment:
        """The run's z/m and spatial references; nothing at all for a task of text and
        numbers only (it has no such parameters, and asks the server for nothing)."""
        if not is_spatial(self.task):
            return RunEnvironment(return_z_m=False)
        return read_environment(
            self.algorithm,
            parameters,
            context,
            self.service.current_version,
            frozenset(p.name for p in self.task.parameters),
        )

    def _job_to_fetch(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
        """The job id of a "fetch job" run (the jobs layer's resume and Get Data), else ""."""
        if not self.task.is_async or FETCH_JOB_ID not in parameters:
            return ""
        return self.algorithm.parameterAsString(parameters, FETCH_JOB_ID, context).strip()

    def _in_background(self, parameters: dict[str, Any], context: QgsProcessingContext) -> bool:
        return RUN_IN_BACKGROUND in parameters and self.algorithm.parameterAsBoolean(
            parameters, RUN_IN_BACKGROUND, context
        )

    # -- inputs ------------------------------------------------------------------------

    def _encode_inputs(self, call: _Call) -> dict[str, Any]:
        upload: Callable[[Path], str] | None = None
        if self.service.supports_uploads:
            upload = lambda path: self.client.upload(self.service.url, path)  # noqa: E731
        encode = EncodeContext(
            self.algorithm,
            call.parameters,
            call.context,
            call.feedback,
            upload,
            call.temp_dir,
            service_token=lambda url: service_token(self.connection, self._hosts, url),
        )
        inputs: dict[str, Any] = {}
        for param in self.task.inputs:
            value = handler_for(param.data_type).encode(param, encode)
            if value is OMIT:
                continue
            if is_output_name(param) and isinstance(value, str) and value.strip():
                value = encode_output_name(self.service, param, value)
                call.hosted_output = True
            inputs[param.name] = value
        self._merge_context(inputs, call)
        return inputs

    def _merge_context(self, inputs: dict[str, Any], call: _Call) -> None:
        """Esri's analysis services list ``context`` as a GP string parameter: the run's
        environment then goes in it (with what the user wrote there winning, key by key)
        instead of a second ``context`` field the server would read either of."""
        name = next((p.name for p in self.task.inputs if p.name.lower() == "context"), None)
        kwargs = call.environment.spatial_references
        if name is None or "context" not in kwargs:
            return
        context = dict(kwargs["context"])
        given = inputs.get(name)
        if isinstance(given, str) and given.strip():
            try:
                own = json.loads(given)
            except json.JSONDecodeError:
                own = None
            if not isinstance(own, dict):
                problem = translate("Runner", "{name}: not a JSON object: {value}")
                raise QgsProcessingException(problem.format(name=name, value=given[:100]))
            context.update(own)
        inputs[name] = json.dumps(context)
        call.environment.spatial_references = {k: v for k, v in kwargs.items() if k != "context"}

    # -- running -----------------------------------------------------------------------

    def _run_sync(self, inputs: dict[str, Any], call: _Call) -> dict[str, ResultValue]:
        """POST ``execute`` with the answer streamed into the run's temporary folder
        (removed after the run) and indexed in one pass: each output is then read from
        it in place."""
        feedback = call.feedback
        executing = translate("Runner", "Executing {task} on {service}…")
        feedback.pushInfo(executing.format(task=self.task.name, service=self.service.path))
        response = self.client.execute_to_file(
            self.task.url,
            inputs,
            unique_path(call.temp_dir, "execute-answer", ".json"),
            index_execute_answer,
            **call.environment.run_kwargs,
        )
        self._messages = response.messages
        report_messages(feedback, response.messages)
        feedback.setProgress(100)
        return {r.param_name: sync_result(r) for r in response.results.values()}

    def _submit(self, inputs: dict[str, Any], call: _Call, *, background: bool) -> str:
        """POST ``submitJob`` and record the job (its inputs without secrets)."""
        environment = call.environment
        job = self.client.submit_job(self.task.url, inputs, **environment.run_kwargs)
        submitted = translate("Runner", "Job {job_id} submitted to {task}.")
        task = f"{self.service.path}/{self.task.name}"
        call.feedback.pushInfo(submitted.format(job_id=job.job_id, task=task))
        remember_secrets(job.job_id, secret_values(self.task, inputs))
        submission = JobSubmission(
            job_id=job.job_id,
            connection=self.connection,
            algorithm_id=self.algorithm.id(),
            service_path=self.service.path,
            task_name=self.task.name,
            task_url=self.task.url,
            inputs=record_inputs(self.task, inputs),
            destinations=destinations_of(self.algorithm, call.parameters, call.context),
            add_result_map_layer=bool(self.service.result_map_server_name)
            and self._wants_result_map_layer(call),
            background=background,
            status=job.status,
            return_z_m=environment.return_z_m,
            spatial_references=dict(environment.spatial_references),
        )
        JobReport(job.job_id).job_submitted(submission)
        return job.job_id

    def _wait_and_deliver(self, job_id: str, call: _Call) -> dict[str, Any]:
        """Wait for the job (reporting each change), then deliver its outputs."""
        report = JobReport(job_id)
        final = wait_reporting(
            self.client,
            self.task,
            job_id,
            call.feedback,
            report=report,
            job_timeout=self._job_timeout(),
        )
        self._messages = final.messages
        results = job_results(self.client, self.task, job_id, final, call.environment.return_z_m)
        return self._deliver(call, results, final, report)

    # -- outputs -----------------------------------------------------------------------

    def _deliver(
        self,
        call: _Call,
        results: dict[str, ResultValue],
        job: JobInfo | None = None,
        report: JobReport | None = None,
    ) -> dict[str, Any]:
        """Each output into its destination (and the job's map, if asked); a job's record
        hears that its outputs arrived, or that fetching them failed."""
        map_service = self._result_map_service(job)
        cut: list[str] = []
        decode = self._decode_context(call, map_service, cut)
        try:
            outputs = decode_outputs(self.task, results, decode, self._messages)
            if map_service is not None and self._wants_result_map_layer(call):
                name = f"{self.task.display_name or self.task.name} ({map_service.job_id})"
                outputs.update(map_service.load_on_completion(self.connection, name, decode))
        except Exception as error:
            if report is not None:
                report.job_fetch_failed(error)
            raise
        if report is not None:
            report.job_fetched(recordable(self.algorithm, self.task, outputs), cut)
            tag_outputs_on_load(call.context, report.job_id, self.connection.name)
        if job is not None:
            outputs[JOB_ID_OUTPUT] = job.job_id
        return outputs

    def _decode_context(
        self, call: _Call, map_service: ResultMapService | None, cut: list[str]
    ) -> DecodeContext:
        """What the handlers decode with; outputs cut at the transfer limit are paged
        from the job's map, and the ones it cannot give go into ``cut``."""
        environment = call.environment
        decode = DecodeContext(
            self.algorithm,
            call.parameters,
            call.context,
            call.feedback,
            self._download,
            call.temp_dir,
            layer_pages=lambda url: layer_pages(
                self._layer_client(url), url, extra=environment.layer_query()
            ),
            access=hosted_access(self.connection, self._hosts),
            hosted_output=call.hosted_output,
        )
        decode.all_pages = lambda name, sr: pages_or_cut(
            map_service, name, cut, environment.layer_query(sr)
        )
        return decode

    def _wants_result_map_layer(self, call: _Call) -> bool:
        return self.algorithm.parameterAsBoolean(
            call.parameters, ADD_RESULT_MAP_LAYER, call.context
        )

    def _result_map_service(self, job: JobInfo | None) -> ResultMapService | None:
        if job is None or not self.service.result_map_server_name:
            return None
        return ResultMapService(self.client, self.service, job.job_id)

    def _layer_client(self, url: str) -> GPClient:
        """The client for a result's service layer: the connection's login on its hosts,
        none elsewhere (this client sends its token only to its own server)."""
        if logs_in_to(self._hosts, url):
            return client_for(self.connection, url)
        return self.client

    def _download(self, url: str, path: Path) -> Path:
        return self.client.download(url, path)
