"""A run's outputs: each result decoded by its GP type handler, and what the job keeps.

A required output the server left empty fails the run, whatever the job's status says,
and the server's last warnings and errors come along as the only clue.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from qgis.core import QgsProcessingAlgorithm, QgsProcessingException

from ..gptypes.base import DecodeContext, ResultValue
from ..gptypes.errors import EsriJsonError
from ..gptypes.table import handler_for
from ..i18n import translate
from ..rest.descriptions import GPParameter, GPTask
from ..rest.enums import MessageType, ParameterType
from ..rest.job_info import GPMessage
from .job_inputs import has_secret_inputs
from .result_map_service import RESULT_MAP_LAYER_OUTPUT, ResultMapService


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


def pages_or_cut(
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


def decode_outputs(
    task: GPTask,
    results: dict[str, ResultValue],
    decode: DecodeContext,
    messages: list[GPMessage],
) -> dict[str, Any]:
    """Processing's outputs of every GP output, each written by its type's handler.

    ``messages`` are the run's last GP messages, quoted when a required output is missing.
    """
    outputs: dict[str, Any] = {}
    for param in task.outputs:
        if decode.feedback.isCanceled():
            raise QgsProcessingException(
                translate("Runner", "Cancelled before every output was received.")
            )
        result = results.get(param.name)
        required = param.parameter_type is ParameterType.REQUIRED
        if result is None:
            if required:
                raise missing_output(task, param, messages)
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
            raise missing_output(task, param, messages)
    return outputs


def missing_output(
    task: GPTask, param: GPParameter, messages: list[GPMessage]
) -> QgsProcessingException:
    """A required output without a value: the run failed, whatever the status says.

    The server's last warnings and errors are the only clue, so they come along.
    """
    text = translate("Runner", "{task}: the server reported success but returned no "
        "value for the required output {name}")  # fmt: skip
    text = text.format(task=task.display_name or task.name, name=param.display_name or param.name)
    lines = [
        m.description
        for m in messages
        if m.description and m.type in (MessageType.ERROR, MessageType.WARNING)
    ]
    if lines:
        text += ".\n" + "\n".join(lines)
    return QgsProcessingException(text)


def recordable(
    algorithm: QgsProcessingAlgorithm, task: GPTask, outputs: dict[str, Any]
) -> dict[str, Any]:
    """Output values as the job record keeps them (JSON: text, numbers, booleans).

    A task with secret inputs may echo them in text outputs, so those are not kept.
    """
    destinations = {d.name() for d in algorithm.destinationParameterDefinitions()}
    destinations.add(RESULT_MAP_LAYER_OUTPUT)
    secret = has_secret_inputs(task)
    kept: dict[str, Any] = {}
    for name, value in outputs.items():
        if isinstance(value, str) and secret and name not in destinations:
            kept[name] = "(not kept: the task has secret inputs)"
        elif value is None or isinstance(value, (str, int, float, bool)):
            kept[name] = value
        else:
            kept[name] = str(value)
    return kept
