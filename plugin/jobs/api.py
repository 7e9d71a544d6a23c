"""The PyQGIS API of GP jobs: list them, wait for one, fetch its results.

.. code-block:: python

    from arcgis_gp.plugin.jobs import api

    job_id = api.submit("arcgisgp:demo__elevation_viewshed__viewshed", {...})
    job = api.wait(job_id, timeout=600)          # until it ends on the server
    outputs = api.fetch_results(job_id, {"Output_Viewshed": "/data/viewshed.gpkg"})
    for job in api.list_jobs():
        print(job.job_id, job.task_name, job.state.label, job.elapsed())

The functions use the store of the running plugin (the QGIS profile's
``arcgis_gp/jobs.sqlite``) unless given another one. :func:`wait` and
:func:`fetch_results` block their caller like ``processing.run``; on QGIS's main thread,
:func:`wait` keeps the interface alive (it runs the event loop while the plugin's
watcher polls in a task), so prefer calling both from scripts or worker threads.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from typing import Any

from qgis.core import QgsApplication, QgsMapLayer, QgsProcessingFeedback
from qgis.PyQt.QtCore import QThread

from ..connections.clients import client_for
from ..provider.destinations import TEMPORARY_OUTPUT
from ..provider.job_events import JobDetached, job_listener, set_job_listener
from ..provider.layer_tags import JOB_ID_PROPERTY
from ..provider.runner import JOB_ID_OUTPUT, RUN_IN_BACKGROUND
from ..rest.errors import ArcGisError
from ..rest.waiting import wait_for_job
from .manager import JobManager, active_manager
from .model import JobRecord, JobState
from .recorder import StoreRecorder
from .store import JobStore
from .watcher import fetch_parameters


class JobNotFoundError(KeyError):
    """No job with this id in the store."""


def _store(store: JobStore | None) -> JobStore:
    if store is not None:
        return store
    manager = active_manager()
    return manager.store if manager is not None else JobStore()


def list_jobs(
    states: Iterable[JobState] | None = None, store: JobStore | None = None
) -> list[JobRecord]:
    """Every recorded job, newest first (only those in ``states`` when given)."""
    return _store(store).list(states)


def get_job(job_id: str, store: JobStore | None = None) -> JobRecord:
    record = _store(store).get(job_id)
    if record is None:
        raise JobNotFoundError(f"no GP job {job_id!r} is recorded")
    return record


def job_for_layer(layer: QgsMapLayer, store: JobStore | None = None) -> JobRecord | None:
    """The job a result layer came from (its ``arcgis_gp/job_id`` property), if recorded.

    Result layers keep the property in saved projects, so a project reopened later can
    fetch its job again: ``fetch_results(job_for_layer(layer).job_id)``.
    """
    job_id = layer.customProperty(JOB_ID_PROPERTY)
    return _store(store).get(str(job_id)) if job_id else None


@contextmanager
def _recording(store: JobStore) -> Iterator[StoreRecorder]:
    """The session's recorder, or one for ``store`` while no plugin records jobs."""
    manager = active_manager()
    if manager is not None and manager.store.path == store.path:
        yield manager.recorder
        return
    recorder = StoreRecorder(store)
    installed = job_listener() is None
    if installed:
        set_job_listener(recorder)
    try:
        yield recorder
    finally:
        if installed and job_listener() is recorder:
            set_job_listener(None)


def _algorithm(record: JobRecord) -> Any:
    algorithm = QgsApplication.processingRegistry().createAlgorithmById(record.algorithm_id)
    if algorithm is None:
        raise JobNotFoundError(
            f"GP job {record.job_id}: the algorithm {record.algorithm_id} is not available "
            f"(is the connection '{record.connection}' configured?)"
        )
    return algorithm


def submit(
    algorithm_id: str,
    parameters: dict[str, Any],
    feedback: QgsProcessingFeedback | None = None,
    store: JobStore | None = None,
) -> str:
    """Submit an asynchronous task with "Run in background"; the job id, at once.

    The job is recorded (in the plugin's store, or ``store``); with the plugin's GUI, its
    watcher loads the outputs into the project when it ends, as for the dialog.
    """
    import processing

    with _recording(_store(store)):
        result = processing.run(
            algorithm_id, {**parameters, RUN_IN_BACKGROUND: True}, feedback=feedback
        )
    return result[JOB_ID_OUTPUT]


def wait(job_id: str, timeout: float | None = None, store: JobStore | None = None) -> JobRecord:
    """Wait until the job ends on its server; its record afterwards.

    Raises ``TimeoutError`` after ``timeout`` seconds (the job is *not* cancelled) and
    :class:`JobNotFoundError` for an unknown job. A job the server no longer knows ends
    ``EXPIRED``; a failed one ``FAILED`` (see the record's ``error`` and ``messages``).
    """
    store = _store(store)
    record = get_job(job_id, store)
    if record.state.is_final:
        return record
    manager = active_manager()
    on_main_thread = QThread.currentThread() == QgsApplication.instance().thread()
    # A headless session (qgis_process, scripts) records jobs but watches none: poll then.
    if (
        manager is not None
        and manager.store.path == store.path
        and on_main_thread
        and manager.watch(job_id)
    ):
        return _wait_in_event_loop(manager, job_id, timeout)
    return _wait_polling(store, record, timeout)


def _wait_in_event_loop(manager: JobManager, job_id: str, timeout: float | None) -> JobRecord:
    """Let the manager's watcher poll in its task while the event loop keeps running."""
    deadline = None if timeout is None else time.monotonic() + timeout
    while True:
        record = get_job(job_id, manager.store)
        if record.state.is_final:
            return record
        if deadline is not None and time.monotonic() > deadline:
            raise TimeoutError(f"GP job {job_id} did not end within {timeout:g} s")
        QgsApplication.processEvents()
        QThread.msleep(20)


def _wait_polling(store: JobStore, record: JobRecord, timeout: float | None) -> JobRecord:
    algorithm = _algorithm(record)
    deadline = None if timeout is None else time.monotonic() + timeout

    def past_deadline() -> bool:
        if deadline is not None and time.monotonic() > deadline:
            raise JobDetached
        return False

    with _recording(store) as recorder:
        try:
            wait_for_job(
                client_for(algorithm.connection, record.task_url),
                record.task_url,
                record.job_id,
                on_status=lambda status: recorder.job_status(record.job_id, status, []),
                on_messages=lambda messages: recorder.job_status(record.job_id, None, messages),
                is_cancelled=past_deadline,
            )
        except JobDetached:
            raise TimeoutError(f"GP job {record.job_id} did not end within {timeout:g} s") from None
        except ArcGisError as error:
            recorder.job_ended(record.job_id, error)
        else:
            recorder.job_ended(record.job_id, None)
    return get_job(record.job_id, store)


def fetch_results(
    job_id: str,
    destinations: dict[str, Any] | None = None,
    feedback: QgsProcessingFeedback | None = None,
    store: JobStore | None = None,
) -> dict[str, Any]:
    """Fetch a finished job's outputs, through its algorithm: Processing's result dict.

    ``destinations`` maps output names to sinks (a path, ``TEMPORARY_OUTPUT``, …);
    without it, the ones recorded at submission. Outputs not named are skipped. Waits
    for the job first if it still runs. Raises ``QgsProcessingException`` when the job
    failed or expired (the record says which).
    """
    import processing  # QGIS's Processing plugin; imported late, like QGIS's own scripts

    store = _store(store)
    record = get_job(job_id, store)
    algorithm = _algorithm(record)
    if destinations is None:
        destinations = {name: d.sink for name, d in record.output_destinations().items()} or {
            definition.name(): TEMPORARY_OUTPUT
            for definition in algorithm.destinationParameterDefinitions()
        }
    parameters = fetch_parameters(algorithm, record, None, destinations)
    with _recording(store):
        return processing.run(record.algorithm_id, parameters, feedback=feedback)
