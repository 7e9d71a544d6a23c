"""Watch one job in a background task, then fetch its outputs: the algorithm in "fetch" mode.

There is one decode path in the plugin: the algorithm's. A watcher runs that same
algorithm with ``FETCH_JOB_ID`` (no inputs, no submission) through Processing's own
:class:`QgsProcessingAlgRunnerTask`, so the wait happens in a task thread and the outputs
are written by the GP type handlers exactly as in a dialog run, into the destinations
the user chose when submitting.

Cancelling the task (QGIS closing, the task manager's button) only stops watching: the
job goes on and is watched again at the next start. :meth:`JobWatchTask.cancel_job`
cancels it on the server.
"""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingAlgRunnerTask,
    QgsProcessingContext,
    QgsProject,
)

from ..provider.destinations import TEMPORARY_OUTPUT, Destination
from ..provider.environment import RETURN_Z_M
from ..provider.job_events import JobWatchFeedback
from ..provider.result_map_service import ADD_RESULT_MAP_LAYER
from ..provider.runner import FETCH_JOB_ID
from .model import JobRecord


def fetch_parameters(
    algorithm: QgsProcessingAlgorithm,
    record: JobRecord,
    project: QgsProject | None,
    destinations: dict[str, Any] | None = None,
) -> dict[str, Any]:
    """Parameters of a "fetch job" run: the job id and where each output goes.

    Without ``destinations``, the ones recorded at submission, loaded into ``project``
    when the user asked for that (a record with none gets temporary outputs, loaded).
    Given ``destinations`` (API callers) are passed to Processing as they are.
    """
    parameters: dict[str, Any] = {FETCH_JOB_ID: record.job_id}
    if algorithm.parameterDefinition(ADD_RESULT_MAP_LAYER) is not None:
        parameters[ADD_RESULT_MAP_LAYER] = record.add_result_map_layer
    if algorithm.parameterDefinition(RETURN_Z_M) is not None:
        parameters[RETURN_Z_M] = record.return_z_m
    if destinations is not None:
        parameters.update(destinations)
        return parameters
    wanted = record.output_destinations() or {
        definition.name(): Destination(TEMPORARY_OUTPUT)
        for definition in algorithm.destinationParameterDefinitions()
    }
    for name, destination in wanted.items():
        if algorithm.parameterDefinition(name) is not None:
            parameters[name] = destination.output_definition(project)
    return parameters


class JobWatchTask(QgsProcessingAlgRunnerTask):
    """Waits for ``record``'s job, then fetches its outputs (a Processing run in a task)."""

    def __init__(
        self,
        algorithm: QgsProcessingAlgorithm,
        record: JobRecord,
        project: QgsProject,
        cancel_at_once: bool = False,
    ) -> None:
        context = QgsProcessingContext()
        context.setProject(project)
        feedback = JobWatchFeedback()
        if cancel_at_once:
            feedback.cancel()  # the wait asks the server to cancel before its first poll
        super().__init__(algorithm, fetch_parameters(algorithm, record, project), context, feedback)
        self.setDescription(f"GP job {record.job_id} ({record.task_name})")
        self.job_id = record.job_id
        #: Processing keeps references to both: they must live as long as the task.
        self.context = context
        self.feedback = feedback

    def cancel(self) -> None:
        """Stop watching; the job goes on on the server."""
        self.feedback.detach()
        super().cancel()

    def cancel_job(self) -> None:
        """Cancel the job on the server (the wait asks it, then waits for it to stop)."""
        self.feedback.cancel()
