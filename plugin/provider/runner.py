"""Running one GP task from Processing: encode inputs, execute or submit and wait, decode.

This is ``processAlgorithm``'s body, kept apart from the algorithm class so that the
class only describes the task. It runs in Processing's worker thread (the dialog) or
the caller's thread (``processing.run``), never blocking QGIS's GUI thread.
"""

from __future__ import annotations

import json
import shutil
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
)

from ..connections.connection import Connection
from ..gptypes.base import OMIT, DecodeContext, EncodeContext, ResultValue, unique_path
from ..gptypes.errors import EsriJsonError
from ..gptypes.execute_answer import AnswerEntry, index_execute_answer
from ..gptypes.featureset import FeatureSetReader
from ..gptypes.table import handler_for
from ..i18n import translate
from ..rest.client import GPClient
from ..rest.descriptions import GPParameter, GPService, GPTask
from ..rest.enums import JobStatus, MessageType, ParameterType
from ..rest.errors import ArcGisError, JobCancelledError, JobError
from ..rest.job_info import GPMessage, JobInfo
from ..rest.results import GPResult
from ..rest.waiting import wait_for_job
from ..settings import default_job_timeout, poll_policy
from .environment import RunEnvironment, is_spatial, read_environment
from .job_hooks import (
    JobDetached,
    JobReport,
    JobSubmission,
    JobWatchFeedback,
    destinations_of,
    has_secret_inputs,
    record_inputs,
    remember_secrets,
    secret_values,
    tag_outputs_on_load,
)
from .result_map_service import ResultMapService, layer_pages, service_access

JOB_ID_OUTPUT = "JOB_ID"
ADD_RESULT_MAP_LAYER = "ADD_RESULT_MAP_LAYER"
RESULT_MAP_LAYER_OUTPUT = "RESULT_MAP_LAYER"
#: Submit, record the job and return its id at once; the jobs layer watches it.
RUN_IN_BACKGROUND = "RUN_IN_BACKGROUND"
#: Hidden: attach to this existing job instead of submitting (resume, "Get Data").
FETCH_JOB_ID = "FETCH_JOB_ID"


def _pages_or_cut(
    map_service: ResultMapService | None,
    output_name: str,
    cut: list[str],
    query: dict[str, Any],
) -> Iterator[Any] | None:
    """Every feature of an output that stopped at the transfer limit, from the job's map.

    Handlers ask only for outputs the server cut; when no map layer can give the rest,
    the output's name goes into ``cut`` (the job record says "exceeds transfer limit").
    """
    layer_id = None if map_service is None else map_service.layer_id_for(output_name)
    if map_service is None or layer_id is None:
        cut.append(output_name)
        return None
    return map_service.pages(layer_id, query)


def _cancel_check(feedback: QgsProcessingFeedback) -> Callable[[], bool]:
    """``is_cancelled`` for a wait: a watcher that detaches stops waiting, cancelling nothing."""

    def is_cancelled() -> bool:
        if isinstance(feedback, JobWatchFeedback) and feedback.detached:
            raise JobDetached
        return feedback.isCanceled()

    return is_cancelled


def report_messages(feedback: QgsProcessingFeedback, messages: list[GPMessage]) -> None:
    """Each GP message at its level: informative, warning or error."""
    for message in messages:
        text = message.description
        if not text:
            continue
        if message.type in (MessageType.ERROR, MessageType.ABORT):
            feedback.reportError(text, False)
        elif message.type == MessageType.WARNING:
            feedback.pushWarning(text)
        else:
            feedback.pushInfo(text)


def _failure_text(task: GPTask, error: ArcGisError) -> str:
    """The server's own words first: the error, then the job's error messages."""
    text = f"{task.display_name or task.name}: {error}"
    if isinstance(error, JobError):
        lines = [m.description for m in error.messages if m.is_error and m.description]
        if lines:
            text += "\n" + "\n".join(lines)
    return text


class _WatchedResult(ResultValue):
    """A result that notes whether the value the handler read was empty (null, "", {}).

    A required output whose value is empty is as missing as one not sent at all.
    """

    def __init__(self, inner: ResultValue) -> None:
        super().__init__(self._read, inner.to_file)
        self._inner = inner
        self.empty = False

    def _read(self, as_data: bool) -> Any:
        value = self._inner.value(as_data)
        self.empty = value is None or value in ("", {})
        return value


def _dump(result: GPResult, path: Path) -> Path:
    path.write_text(json.dumps(result.raw), encoding="utf-8")
    return path


def _copy_entry(entry: AnswerEntry, path: Path) -> Path:
    """The result's own JSON (``{paramName, dataType, value}``), copied from the answer."""
    with entry.range.open() as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


def _sync_result(result: GPResult) -> ResultValue:
    """One output of an execute answer on disk: small values parsed, features streamed."""
    entry = result.value
    if not isinstance(entry, AnswerEntry):  # an answer parsed whole
        return ResultValue(value=lambda as_data: entry, to_file=lambda path: _dump(result, path))
    return ResultValue(
        value=lambda as_data: entry.value(),
        to_file=lambda path: _copy_entry(entry, path),
        reader=lambda: FeatureSetReader(entry.range, header=entry.header),
    )


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

    def run(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="arcgis_gp_") as temp:
            temp_dir = Path(temp)
            report: JobReport | None = None
            try:
                fetch_id = self._job_to_fetch(parameters, context)
                environment = self._environment(parameters, context)
                if fetch_id:
                    report = JobReport(fetch_id)
                    job, results = self._wait(fetch_id, feedback, report, environment)
                else:
                    inputs = self._encode_inputs(parameters, context, feedback, temp_dir)
                    if feedback.isCanceled():
                        return {}
                    if self.task.is_async:
                        background = self._in_background(parameters, context)
                        job_id = self._submit(
                            inputs,
                            parameters,
                            context,
                            feedback,
                            background=background,
                            environment=environment,
                        )
                        if background:
                            feedback.pushInfo(translate("Runner", "Job {job_id} runs in the "
                                "background; its results load when it ends (see the GP Jobs "
                                "panel).").format(job_id=job_id))  # fmt: skip
                            return {JOB_ID_OUTPUT: job_id}
                        report = JobReport(job_id)
                        job, results = self._wait(job_id, feedback, report, environment)
                    else:
                        job, results = None, self._run_sync(inputs, feedback, temp_dir, environment)
                decode = DecodeContext(
                    self.algorithm,
                    parameters,
                    context,
                    feedback,
                    self._download,
                    temp_dir,
                    layer_pages=lambda url: layer_pages(
                        self.client, url, extra=environment.layer_query()
                    ),
                    access=service_access(self.connection),
                )
                map_service = self._result_map_service(job)
                cut: list[str] = []
                decode.all_pages = lambda name, sr: _pages_or_cut(
                    map_service, name, cut, environment.layer_query(sr)
                )
                try:
                    outputs = self._decode_outputs(results, decode)
                    if map_service is not None and self.algorithm.parameterAsBoolean(
                        parameters, ADD_RESULT_MAP_LAYER, context
                    ):
                        outputs.update(self._add_result_map_layer(map_service, context, feedback))
                except Exception as error:
                    if report is not None:
                        report("job_fetch_failed", error)
                    raise
                if report is not None:
                    report("job_fetched", self._recordable(outputs), cut)
                    tag_outputs_on_load(context, report.job_id, self.connection.name)
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
                raise QgsProcessingException(_failure_text(self.task, error)) from error
            except ArcGisError as error:
                raise QgsProcessingException(_failure_text(self.task, error)) from error
        if job is not None:
            outputs[JOB_ID_OUTPUT] = job.job_id
        return outputs

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

    # -- inputs ------------------------------------------------------------------------

    def _encode_inputs(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        temp_dir: Path,
    ) -> dict[str, Any]:
        upload: Callable[[Path], str] | None = None
        if self.service.supports_uploads:
            upload = lambda path: self.client.upload(self.service.url, path)  # noqa: E731
        encode = EncodeContext(self.algorithm, parameters, context, feedback, upload, temp_dir)
        inputs: dict[str, Any] = {}
        for param in self.task.inputs:
            value = handler_for(param.data_type).encode(param, encode)
            if value is not OMIT:
                inputs[param.name] = value
        return inputs

    # -- running -----------------------------------------------------------------------

    def _run_sync(
        self,
        inputs: dict[str, Any],
        feedback: QgsProcessingFeedback,
        temp_dir: Path,
        environment: RunEnvironment,
    ) -> dict[str, ResultValue]:
        """POST ``execute`` with the answer streamed into ``temp_dir`` (removed after the
        run) and indexed in one pass: each output is then read from it in place."""
        executing = translate("Runner", "Executing {task} on {service}…")
        feedback.pushInfo(executing.format(task=self.task.name, service=self.service.path))
        response = self.client.execute_to_file(
            self.task.url,
            inputs,
            unique_path(temp_dir, "execute-answer", ".json"),
            index_execute_answer,
            **environment.run_kwargs,
        )
        self._messages = response.messages
        report_messages(feedback, response.messages)
        feedback.setProgress(100)
        return {r.param_name: _sync_result(r) for r in response.results.values()}

    def _job_to_fetch(self, parameters: dict[str, Any], context: QgsProcessingContext) -> str:
        """The job id of a "fetch job" run (the jobs layer's resume and Get Data), else ""."""
        if not self.task.is_async or FETCH_JOB_ID not in parameters:
            return ""
        return self.algorithm.parameterAsString(parameters, FETCH_JOB_ID, context).strip()

    def _in_background(self, parameters: dict[str, Any], context: QgsProcessingContext) -> bool:
        return RUN_IN_BACKGROUND in parameters and self.algorithm.parameterAsBoolean(
            parameters, RUN_IN_BACKGROUND, context
        )

    def _submit(
        self,
        inputs: dict[str, Any],
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
        *,
        background: bool,
        environment: RunEnvironment,
    ) -> str:
        """POST ``submitJob`` and record the job (its inputs without secrets)."""
        job = self.client.submit_job(self.task.url, inputs, **environment.run_kwargs)
        submitted = translate("Runner", "Job {job_id} submitted to {task}.")
        task = f"{self.service.path}/{self.task.name}"
        feedback.pushInfo(submitted.format(job_id=job.job_id, task=task))
        remember_secrets(job.job_id, secret_values(self.task, inputs))
        submission = JobSubmission(
            job_id=job.job_id,
            connection=self.connection,
            algorithm_id=self.algorithm.id(),
            service_path=self.service.path,
            task_name=self.task.name,
            task_url=self.task.url,
            inputs=record_inputs(self.task, inputs),
            destinations=destinations_of(self.algorithm, parameters, context),
            add_result_map_layer=bool(self.service.result_map_server_name)
            and self.algorithm.parameterAsBoolean(parameters, ADD_RESULT_MAP_LAYER, context),
            background=background,
            status=job.status,
            return_z_m=environment.return_z_m,
            spatial_references=dict(environment.spatial_references),
        )
        JobReport(job.job_id)("job_submitted", submission)
        return job.job_id

    def _wait(
        self,
        job_id: str,
        feedback: QgsProcessingFeedback,
        report: JobReport,
        environment: RunEnvironment,
    ) -> tuple[JobInfo, dict[str, ResultValue]]:
        """Poll until the job ends (reporting each change), then offer its results.

        Each result request asks for z and m itself: ArcGIS drops them from results
        unless that request says so, whatever ``submitJob`` said.
        """

        def on_status(status: JobStatus) -> None:
            feedback.setProgressText(f"Job {job_id}: {status.value}")
            report("job_status", status, [])

        def on_messages(messages: list[GPMessage]) -> None:
            report_messages(feedback, messages)
            report("job_status", None, messages)

        def on_progress(progress: Any) -> None:
            if progress is not None and progress.percent is not None:
                feedback.setProgress(float(progress.percent))

        watching = isinstance(feedback, JobWatchFeedback)
        try:
            final = wait_for_job(
                self.client,
                self.task.url,
                job_id,
                on_status=on_status,
                on_messages=on_messages,
                on_progress=on_progress,
                is_cancelled=_cancel_check(feedback),
                poll=poll_policy(),
                # A watched job outlives the session: only the server's own limit applies.
                timeout=None if watching else self._job_timeout(),
            )
        except JobDetached:
            report("job_detached")
            raise
        except ArcGisError as error:
            report("job_ended", error)
            raise
        report("job_ended", None)
        self._messages = final.messages
        feedback.setProgress(100)
        z_m = {"return_z": environment.return_z_m, "return_m": environment.return_z_m}
        results = {}
        for name in final.results or {p.name: "" for p in self.task.outputs}:
            results[name] = ResultValue(
                value=lambda as_data, name=name: (
                    self.client.job_result(
                        self.task.url, job_id, name, return_type_data=as_data, **z_m
                    ).value
                ),
                to_file=lambda path, name=name: self.client.job_result_to_file(
                    self.task.url, job_id, name, path, **z_m
                ),
            )
        return final, results

    # -- outputs -----------------------------------------------------------------------

    def _decode_outputs(
        self, results: dict[str, ResultValue], decode: DecodeContext
    ) -> dict[str, Any]:
        outputs: dict[str, Any] = {}
        for param in self.task.outputs:
            if decode.feedback.isCanceled():
                raise QgsProcessingException(
                    translate("Runner", "Cancelled before every output was received.")
                )
            result = results.get(param.name)
            required = param.parameter_type is ParameterType.REQUIRED
            if result is None:
                if required:
                    raise self._missing_output(param)
                missing = translate("Runner", "The server returned no value for {name}.")
                decode.feedback.pushWarning(missing.format(name=param.name))
                continue
            watched = _WatchedResult(result)
            try:
                outputs.update(handler_for(param.data_type).decode(param, watched, decode))
            except EsriJsonError as error:
                problem = translate("Runner", "{name}: the server's answer for this output "
                    "is not a valid Esri JSON value (invalid or truncated): {error}")  # fmt: skip
                name = param.display_name or param.name
                raise QgsProcessingException(problem.format(name=name, error=error)) from error
            if required and watched.empty:
                raise self._missing_output(param)
        return outputs

    def _missing_output(self, param: GPParameter) -> QgsProcessingException:
        """A required output without a value: the run failed, whatever the status says.

        The server's last warnings and errors are the only clue, so they come along.
        """
        text = translate("Runner", "{task}: the server reported success but returned no "
            "value for the required output {name}")  # fmt: skip
        text = text.format(
            task=self.task.display_name or self.task.name, name=param.display_name or param.name
        )
        lines = [
            m.description
            for m in self._messages
            if m.description and m.type in (MessageType.ERROR, MessageType.WARNING)
        ]
        if lines:
            text += ".\n" + "\n".join(lines)
        return QgsProcessingException(text)

    def _recordable(self, outputs: dict[str, Any]) -> dict[str, Any]:
        """Output values as the job record keeps them (JSON: text, numbers, booleans).

        A task with secret inputs may echo them in text outputs, so those are not kept.
        """
        destinations = {d.name() for d in self.algorithm.destinationParameterDefinitions()}
        destinations.add(RESULT_MAP_LAYER_OUTPUT)
        secret = has_secret_inputs(self.task)
        kept: dict[str, Any] = {}
        for name, value in outputs.items():
            if isinstance(value, str) and secret and name not in destinations:
                kept[name] = "(not kept: the task has secret inputs)"
            elif value is None or isinstance(value, (str, int, float, bool)):
                kept[name] = value
            else:
                kept[name] = str(value)
        return kept

    def _result_map_service(self, job: JobInfo | None) -> ResultMapService | None:
        if job is None or not self.service.result_map_server_name:
            return None
        return ResultMapService(self.client, self.service, job.job_id)

    def _add_result_map_layer(
        self,
        map_service: ResultMapService,
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        """Load the job's map (``…/MapServer/jobs/<id>``) when the algorithm finishes."""
        name = f"{self.task.display_name or self.task.name} ({map_service.job_id})"
        try:
            layer = map_service.make_layer(self.connection, name)
        except ArcGisError as error:  # the outputs are complete: the map is an extra
            problem = translate("Runner", "The result map service could not be added: {error}")
            feedback.pushWarning(problem.format(error=error))
            return {}
        if not layer.isValid():
            problem = translate("Runner", "The result map service {url} could not be added: "
                "{error}")  # fmt: skip
            error = layer.error().summary() or translate("Runner", "the layer is not valid")
            feedback.pushWarning(problem.format(url=map_service.url, error=error))
            return {}
        layer.setCustomProperty("arcgis_gp/job_id", map_service.job_id)
        layer.setCustomProperty("arcgis_gp/connection", self.connection.name)
        context.temporaryLayerStore().addMapLayer(layer)
        context.addLayerToLoadOnCompletion(
            layer.id(),
            QgsProcessingContext.LayerDetails(name, context.project(), RESULT_MAP_LAYER_OUTPUT),
        )
        feedback.pushInfo(
            translate("Runner", "Result map service: {url}").format(url=map_service.url)
        )
        return {RESULT_MAP_LAYER_OUTPUT: layer.id()}

    def _download(self, url: str, path: Path) -> Path:
        return self.client.download(url, path)
