"""``execute``, ``submitJob`` and the ``jobs/<id>`` resources of a GP task."""

from __future__ import annotations

import json
import shutil
import urllib.error
import urllib.parse
import urllib.request
import uuid
from pathlib import Path
from typing import Any

from werkzeug.wrappers import Response

from .. import jobs as job_states
from ..bulk import no_gc
from ..call import Call
from ..errors import RestError, invalid_url, job_not_found, unable_to_complete
from ..inputs import InputError, InputSources, is_loopback_url, parse_inputs
from ..jobs import Job, RunOptions
from ..outputs import OutputFile, ResultOptions, format_value, result_json
from ..registry import Parameter, Service, Task
from ..spatialref import parse_sr, srs_from_json

FETCH_TIMEOUT = 30.0


def fetch_loopback(url: str, headers: dict[str, str] | None = None) -> bytes:
    """Fetch an input URL: loopback only (the server must never reach the internet)."""
    if not is_loopback_url(url):
        raise InputError(f"only URLs on this machine (loopback) can be fetched: {url[:100]}")
    try:
        request = urllib.request.Request(url, headers=headers or {})
        with urllib.request.urlopen(request, timeout=FETCH_TIMEOUT) as response:
            return response.read()
    except (urllib.error.URLError, OSError) as error:
        raise InputError(f"could not fetch {url[:100]}: {error}") from None


def _sr_param(call: Call, value: Any, name: str) -> dict[str, Any] | None:
    try:
        sr = parse_sr(value)
        if sr is not None:
            srs_from_json(sr)
        return sr
    except (ValueError, TypeError, RuntimeError):
        raise unable_to_complete(f"Invalid value for '{name}': {str(value)[:80]}") from None


#: ``context`` (``outSR``, ``processSR``) came at ArcGIS Server 10.6.1; older servers
#: know only ``env:outSR``/``env:processSR`` and ignore a ``context`` like any unknown key.
CONTEXT_VERSION = 10.61


def _run_context(call: Call, version: float) -> dict[str, Any]:
    """The ``context`` object of a run (``{}`` on a server older than 10.6.1)."""
    if version < CONTEXT_VERSION or not call.params.get("context"):
        return {}
    try:
        context = json.loads(call.params["context"])
    except json.JSONDecodeError:
        raise unable_to_complete("Invalid value for 'context': not JSON") from None
    if not isinstance(context, dict):
        raise unable_to_complete("Invalid value for 'context': not an object")
    return context


def run_options(call: Call, service: Service) -> RunOptions:
    """``context`` (10.6.1+) first, then the legacy ``env:outSR``/``env:processSR``.

    Newer servers still honour the deprecated ``env:`` keys; older ones never read
    ``context``. ``returnZ``/``returnM`` default to false: ArcGIS drops z and m unless asked.
    """
    context = _run_context(call, call.state.registry.version_of(service))
    out_sr = context.get("outSR") or call.params.get("env:outSR")
    process_sr = context.get("processSR") or call.params.get("env:processSR")
    return RunOptions(
        out_sr=_sr_param(call, out_sr, "outSR"),
        process_sr=_sr_param(call, process_sr, "processSR"),
        return_z=call.flag("returnZ"),
        return_m=call.flag("returnM"),
    )


def _prepare(call: Call, service: Service, task: Task, synchronous: bool) -> Job:
    state = call.state
    job = state.jobs.new_job(
        service, task, {}, {}, run_options(call, service), synchronous=synchronous, user=call.user
    )

    def upload_path(item_id: str) -> Path | None:
        item = state.uploads.get(service.path, item_id)
        return item.path if item else None

    sources = InputSources(upload_path, fetch_loopback, job.scratch_dir)
    try:
        with no_gc():
            job.inputs, job.input_echo = parse_inputs(task.inputs, call.params, sources)
    except InputError as error:
        shutil.rmtree(job.scratch_dir.parent, ignore_errors=True)
        raise unable_to_complete(str(error)) from None
    return job


def file_url(call: Call, task: Task, output: OutputFile) -> str:
    """URL of a result file; relative to the server context for tasks declared so."""
    relative = output.path.relative_to(call.state.workdir).as_posix()
    path = f"/rest/directories/{relative}"
    return path if task.result_urls == "relative" else f"{call.context_url}{path}"


def _publish_sync_files(call: Call, job: Job) -> None:
    """Sync results live in arcgisoutput as ``_ags_*`` files, like ArcGIS writes them."""
    folder = call.state.workdir / "arcgisoutput" / f"{job.service.path}_GPServer"
    moved: dict[Path, Path] = {}  # two outputs may name the same scratch file
    for name, value in list(job.outputs.items()):
        if isinstance(value, OutputFile):
            target = moved.get(value.path)
            if target is None:
                folder.mkdir(parents=True, exist_ok=True)
                target = folder / f"_ags_{uuid.uuid4().hex[:8]}_{value.path.name}"
                shutil.move(str(value.path), target)
                moved[value.path] = target
            job.outputs[name] = OutputFile(target, value.format, value.image_service)


def result_options(call: Call, job: Job, from_request: bool) -> ResultOptions:
    """What an answer holds: ``execute`` follows the run's own request; a job's
    ``results/<name>`` follows its own ``outSR``/``returnZ``/``returnM``.

    As on ArcGIS, a result's z and m come only when the results request asks for them
    (both default to false there, whatever ``submitJob`` said); its spatial reference
    defaults to the one the job's outputs were made in (``outSR``, else ``processSR``).
    """
    options = job.options
    out_sr = options.out_sr or options.process_sr
    return_z, return_m = options.return_z, options.return_m
    if from_request:
        out_sr = _sr_param(call, call.params.get("outSR"), "outSR") or out_sr
        return_z = call.flag("returnZ")
        return_m = call.flag("returnM")
    return ResultOptions(
        out_sr=out_sr,
        return_z=return_z,
        return_m=return_m,
        max_records=job.service.maximum_records,
        limit_mode=job.service.transfer_limit_mode,
        return_column_name=call.flag("returnColumnName"),
        return_type_data=(call.params.get("returnType") or "").lower() == "data"
        or not job.service.result_map_path,
    )


def _format(call: Call, job: Job, parameter: Parameter, options: ResultOptions) -> Any:
    def map_image(p: Parameter) -> dict[str, Any]:
        from .mapserver import map_image_for

        return map_image_for(call, job, p)

    def image_service_url(output: OutputFile) -> str:
        from .imageserver import publish

        return publish(call, job, parameter, output)

    with no_gc():
        return format_value(
            parameter,
            job.outputs.get(parameter.name),
            options,
            lambda output: file_url(call, job.task, output),
            map_image,
            image_service_url,
            f"{call.context_url}/rest/services",
        )


def execute(call: Call, service: Service, task: Task) -> Response:
    if service.is_async:
        raise invalid_url()
    job = _prepare(call, service, task, synchronous=True)
    call.state.jobs.run_inline(job)
    if job.status != job_states.SUCCEEDED:
        errors = [m for m in job.error_messages() if not m.startswith("Failed at")]
        first = errors[0] if errors else "ERROR 999999: The task failed."
        raise unable_to_complete(
            f"Error executing tool. {task.name} Job ID: {job.job_id} : {first}", *errors[1:]
        )
    _publish_sync_files(call, job)
    options = result_options(call, job, from_request=False)
    results = [
        result_json(p, _format(call, job, p, options)) for p in task.outputs if _listed(job, p)
    ]
    return call.respond({"results": results, "messages": job.snapshot_messages()})


def _listed(job: Job, parameter: Parameter) -> bool:
    """Outputs in the results: every one with a value, and every Required one (the user
    named it, so ArcGIS lists it, with ``"value": null`` when the tool never set it)."""
    return parameter.name in job.outputs or parameter.is_required


def submit_job(call: Call, service: Service, task: Task) -> Response:
    if not service.is_async:
        raise invalid_url()
    job = _prepare(call, service, task, synchronous=False)
    task_path = call.request.path.rsplit("/", 1)[0]
    never_ending = call.state.faults.take(("never_ending_job",), task_path, call.request.method)
    job.never_ends = bool(never_ending)
    call.state.jobs.submit(job)
    return call.respond({"jobId": job.job_id, "jobStatus": job_states.SUBMITTED})


def job_json(job: Job, return_messages: bool = True) -> dict[str, Any]:
    with job.lock:
        status = job.status
        percent, message = job.progress_percent, job.progress_message
        messages = list(job.messages)
    data: dict[str, Any] = {"jobId": job.job_id, "jobStatus": status}
    if status == job_states.EXECUTING:
        # As ArcGIS Server 10.8+ reports arcpy.SetProgressor: a "default" progressor
        # has a label only; a "step" progressor adds how far it is (percent).
        progress: dict[str, Any] = {"type": "default", "message": message}
        if percent is not None:
            progress = {"type": "step", "message": message, "percent": round(percent, 1)}
        data["progress"] = progress
    results: dict[str, Any] = {}
    if status == job_states.SUCCEEDED:
        for parameter in job.task.outputs:
            if _listed(job, parameter):
                results[parameter.name] = {"paramUrl": f"results/{parameter.name}"}
    data["results"] = results
    data["inputs"] = {p.name: {"paramUrl": f"inputs/{p.name}"} for p in job.task.inputs}
    if return_messages:
        data["messages"] = messages
    return data


def job_resource(call: Call, service: Service, task: Task, rest: list[str]) -> Response:
    """``jobs/<id>``, ``/cancel``, ``/delete``, ``/results/<p>``, ``/inputs/<p>``."""
    if not rest:
        raise invalid_url()
    job = call.state.jobs.get(service, rest[0])
    if job is None:
        raise job_not_found(rest[0])
    action = rest[1].lower() if len(rest) > 1 else ""
    if action == "" and len(rest) == 1:
        return call.respond(job_json(job, call.flag("returnMessages", True)))
    if action == "cancel" and len(rest) == 2:
        call.state.jobs.cancel(job)
        return call.respond({"jobId": job.job_id, "jobStatus": job.status})
    if action == "delete" and len(rest) == 2:
        call.state.jobs.delete(job)
        return call.respond({"jobId": job.job_id, "jobStatus": job_states.DELETED})
    if action in ("results", "inputs") and len(rest) == 3:
        return _parameter_value(call, job, action, rest[2])
    raise invalid_url()


def _parameter_value(call: Call, job: Job, kind: str, name: str) -> Response:
    parameters = job.task.outputs if kind == "results" else job.task.inputs
    parameter = next((p for p in parameters if p.name == name), None)
    if parameter is None:
        raise RestError(400, "Unable to complete operation.", [f"Parameter '{name}' not found"])
    if kind == "inputs":
        return call.respond(result_json(parameter, job.input_echo.get(name)))
    if job.status != job_states.SUCCEEDED:
        raise unable_to_complete(f"Job '{job.job_id}' has not succeeded ({job.status}).")
    if not _listed(job, parameter):
        raise unable_to_complete(f"Parameter '{name}' has no value.")
    options = result_options(call, job, from_request=True)
    return call.respond(result_json(parameter, _format(call, job, parameter, options)))
