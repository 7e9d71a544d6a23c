"""What the server answered a run, as values the GP type handlers read when they need them.

A synchronous ``execute`` answer is on disk, indexed once: each output is read from it
in place. An asynchronous job's outputs stay on the server until a handler asks for one
(``…/jobs/<id>/results/<name>``), as data or streamed to a file.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from qgis.core import QgsProcessingFeedback

from ..gptypes.base import ResultValue
from ..gptypes.execute_answer import AnswerEntry
from ..gptypes.featureset import FeatureSetReader
from ..rest.client import GPClient
from ..rest.descriptions import GPTask
from ..rest.enums import MessageType
from ..rest.job_info import GPMessage, JobInfo
from ..rest.results import GPResult


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


def _dump(result: GPResult, path: Path) -> Path:
    path.write_text(json.dumps(result.raw), encoding="utf-8")
    return path


def _copy_entry(entry: AnswerEntry, path: Path) -> Path:
    """The result's own JSON (``{paramName, dataType, value}``), copied from the answer."""
    with entry.range.open() as source, path.open("wb") as out:
        shutil.copyfileobj(source, out)
    return path


def sync_result(result: GPResult) -> ResultValue:
    """One output of an execute answer on disk: small values parsed, features streamed."""
    entry = result.value
    if not isinstance(entry, AnswerEntry):  # an answer parsed whole
        return ResultValue(value=lambda as_data: entry, to_file=lambda path: _dump(result, path))
    return ResultValue(
        value=lambda as_data: entry.value(),
        to_file=lambda path: _copy_entry(entry, path),
        reader=lambda: FeatureSetReader(entry.range, header=entry.header),
    )


def job_results(
    client: GPClient, task: GPTask, job_id: str, final: JobInfo, return_z_m: bool
) -> dict[str, ResultValue]:
    """Each output of the finished job ``job_id``, fetched when a handler reads it.

    Each result request asks for z and m itself: ArcGIS drops them from results unless
    that request says so, whatever ``submitJob`` said.
    """
    z_m: dict[str, Any] = {"return_z": return_z_m, "return_m": return_z_m}
    results = {}
    for name in final.results or {p.name: "" for p in task.outputs}:
        results[name] = ResultValue(
            value=lambda as_data, name=name: (
                client.job_result(task.url, job_id, name, return_type_data=as_data, **z_m).value
            ),
            to_file=lambda path, name=name: client.job_result_to_file(
                task.url, job_id, name, path, **z_m
            ),
        )
    return results
