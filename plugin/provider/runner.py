"""Running one GP task from Processing: encode inputs, execute or submit and wait, decode.

This is ``processAlgorithm``'s body, kept apart from the algorithm class so that the
class only describes the task. It runs in Processing's worker thread (the dialog) or
the caller's thread (``processing.run``), never blocking QGIS's GUI thread.
"""

from __future__ import annotations

import json
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

from ..connections import Connection
from ..gptypes.base import OMIT, DecodeContext, EncodeContext, ResultValue
from ..gptypes.table import handler_for
from ..rest.client import GPClient
from ..rest.errors import ArcGisError, JobCancelledError, JobError
from ..rest.model import GPMessage, GPResult, GPService, GPTask, JobInfo, MessageType
from ..rest.waiting import wait_for_job
from .result_map_service import ResultMapService, layer_pages, service_access

JOB_ID_OUTPUT = "JOB_ID"
ADD_RESULT_MAP_LAYER = "ADD_RESULT_MAP_LAYER"
RESULT_MAP_LAYER_OUTPUT = "RESULT_MAP_LAYER"


def _pages_of(map_service: ResultMapService, output_name: str) -> Iterator[Any] | None:
    layer_id = map_service.layer_id_for(output_name)
    return None if layer_id is None else map_service.pages(layer_id)


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


def _dump_result(path: Path, result: GPResult) -> Path:
    with path.open("w", encoding="utf-8") as out:
        json.dump(
            {"paramName": result.param_name, "dataType": result.data_type, "value": result.value},
            out,
        )
    return path


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

    def run(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        with tempfile.TemporaryDirectory(prefix="arcgis_gp_") as temp:
            temp_dir = Path(temp)
            try:
                inputs = self._encode_inputs(parameters, context, feedback, temp_dir)
                if feedback.isCanceled():
                    return {}
                if self.task.is_async:
                    job, results = self._run_async(inputs, feedback)
                else:
                    job, results = None, self._run_sync(inputs, feedback)
                decode = DecodeContext(
                    self.algorithm,
                    parameters,
                    context,
                    feedback,
                    self._download,
                    temp_dir,
                    layer_pages=lambda url: layer_pages(self.client, url),
                    access=service_access(self.connection),
                )
                map_service = self._result_map_service(job)
                if map_service is not None:
                    decode.all_pages = lambda name: _pages_of(map_service, name)
                outputs = self._decode_outputs(results, decode)
                if map_service is not None and self.algorithm.parameterAsBoolean(
                    parameters, ADD_RESULT_MAP_LAYER, context
                ):
                    outputs.update(self._add_result_map_layer(map_service, context, feedback))
            except JobCancelledError as error:
                if feedback.isCanceled():
                    feedback.pushInfo(f"Cancelled: job {error.job_id} was cancelled on the server.")
                    return {}
                raise QgsProcessingException(_failure_text(self.task, error)) from error
            except ArcGisError as error:
                raise QgsProcessingException(_failure_text(self.task, error)) from error
        if job is not None:
            outputs[JOB_ID_OUTPUT] = job.job_id
        return outputs

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
        self, inputs: dict[str, Any], feedback: QgsProcessingFeedback
    ) -> dict[str, ResultValue]:
        feedback.pushInfo(f"Executing {self.task.name} on {self.service.path}…")
        response = self.client.execute(self.task.url, inputs)
        report_messages(feedback, response.messages)
        feedback.setProgress(100)
        results = {}
        for result in response.results.values():
            results[result.param_name] = ResultValue(
                value=lambda as_data, result=result: result.value,
                to_file=lambda path, result=result: _dump_result(path, result),
            )
        return results

    def _run_async(
        self, inputs: dict[str, Any], feedback: QgsProcessingFeedback
    ) -> tuple[JobInfo, dict[str, ResultValue]]:
        job = self.client.submit_job(self.task.url, inputs)
        feedback.pushInfo(f"Job {job.job_id} submitted to {self.service.path}/{self.task.name}.")

        def on_progress(progress: Any) -> None:
            if progress is not None and progress.percent is not None:
                feedback.setProgress(float(progress.percent))

        final = wait_for_job(
            self.client,
            self.task.url,
            job.job_id,
            on_status=lambda status: feedback.setProgressText(f"Job {job.job_id}: {status.value}"),
            on_messages=lambda messages: report_messages(feedback, messages),
            on_progress=on_progress,
            is_cancelled=feedback.isCanceled,
        )
        feedback.setProgress(100)
        results = {}
        for name in final.results or {p.name: "" for p in self.task.outputs}:
            results[name] = ResultValue(
                value=lambda as_data, name=name: (
                    self.client.job_result(
                        self.task.url, job.job_id, name, return_type_data=as_data
                    ).value
                ),
                to_file=lambda path, name=name: self.client.job_result_to_file(
                    self.task.url, job.job_id, name, path
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
                raise QgsProcessingException("Cancelled before every output was received.")
            result = results.get(param.name)
            if result is None:
                decode.feedback.pushWarning(f"The server returned no value for {param.name}.")
                continue
            outputs.update(handler_for(param.data_type).decode(param, result, decode))
        return outputs

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
        layer = map_service.make_layer(self.connection, name)
        if not layer.isValid():
            feedback.pushWarning(
                f"The result map service {map_service.url} could not be added: "
                f"{layer.error().summary() or 'the layer is not valid'}"
            )
            return {}
        layer.setCustomProperty("arcgis_gp/job_id", map_service.job_id)
        layer.setCustomProperty("arcgis_gp/connection", self.connection.name)
        context.temporaryLayerStore().addMapLayer(layer)
        context.addLayerToLoadOnCompletion(
            layer.id(),
            QgsProcessingContext.LayerDetails(name, context.project(), RESULT_MAP_LAYER_OUTPUT),
        )
        feedback.pushInfo(f"Result map service: {map_service.url}")
        return {RESULT_MAP_LAYER_OUTPUT: layer.id()}

    def _download(self, url: str, path: Path) -> Path:
        return self.client.download(url, path)
