"""The jobs layer's other network work, each in a QgsTask (never on QGIS's main thread).

- :class:`ServerLayerTask`: the job's result map service as a layer ("Add Server Layer").
- :class:`ResubmitTask`: submit a recorded job's inputs again ("Re-run").
- :class:`ExpiryCheckTask`: ask the server about finished jobs; the ones it no longer
  knows (its jobs directory age has passed) are marked expired.

Each gets what it needs on the main thread (algorithm, client) and reports back in
``finished`` (main thread) or through the recorder (thread-safe).
"""

from __future__ import annotations

from dataclasses import replace
from typing import Callable

from qgis.core import QgsApplication, QgsMapLayer, QgsTask

from ..connections.clients import client_for
from ..i18n import translate
from ..provider.algorithm import GPTaskAlgorithm
from ..provider.destinations import TEMPORARY_OUTPUT
from ..provider.job_events import JobSubmission
from ..provider.job_inputs import replay_inputs
from ..provider.result_map_service import ResultMapService
from ..rest.errors import ArcGisError, JobExpiredError
from .model import JobRecord, JobState
from .recorder import StoreRecorder


class ServerLayerTask(QgsTask):
    """Builds the ``arcgismapserver`` layer of a job's result map service."""

    def __init__(
        self,
        algorithm: GPTaskAlgorithm,
        record: JobRecord,
        done: Callable[[QgsMapLayer | None, str], None],
    ) -> None:
        title = translate("ServerTasks", "Result map service of GP job {job_id}")
        super().__init__(title.format(job_id=record.job_id), QgsTask.Flag.CanCancel)
        self.algorithm = algorithm
        self.record = record
        self.done = done
        self.layer: QgsMapLayer | None = None
        self.problem = ""

    def run(self) -> bool:
        connection, service = self.algorithm.connection, self.algorithm.service
        if not service.result_map_server_name:
            self.problem = f"{service.path} has no result map service"
            return False
        try:
            map_service = ResultMapService(
                client_for(connection, service.url), service, self.record.job_id
            )
            layer = map_service.make_layer(
                connection,
                f"{self.record.task_name} ({self.record.job_id})",
                self.record.connection,
            )
        except ArcGisError as error:
            self.problem = str(error)
            return False
        if not layer.isValid():
            self.problem = layer.error().summary() or "the layer is not valid"
            return False
        layer.moveToThread(QgsApplication.instance().thread())
        self.layer = layer
        return True

    def finished(self, result: bool) -> None:
        self.done(self.layer if result else None, self.problem or "cancelled")


class ResubmitTask(QgsTask):
    """Submits a recorded job's inputs again as a new background job."""

    def __init__(
        self,
        algorithm: GPTaskAlgorithm,
        record: JobRecord,
        recorder: StoreRecorder,
        done: Callable[[str, str], None],
    ) -> None:
        title = translate("ServerTasks", "Re-running GP job {job_id}")
        super().__init__(title.format(job_id=record.job_id), QgsTask.Flag.CanCancel)
        self.algorithm = algorithm
        self.record = record
        self.recorder = recorder
        self.done = done
        self.new_job_id = ""
        self.problem = ""

    def run(self) -> bool:
        record = self.record
        try:
            inputs = replay_inputs(record.inputs)
            job = client_for(self.algorithm.connection, record.task_url).submit_job(
                record.task_url,
                inputs,
                **record.spatial_references,
                return_z=record.return_z_m,
                return_m=record.return_z_m,
            )
        except (ValueError, ArcGisError) as error:
            self.problem = str(error)
            return False
        self.new_job_id = job.job_id
        # New outputs go to temporary layers: re-running must not overwrite the first results.
        destinations = {
            name: replace(destination, sink=TEMPORARY_OUTPUT)
            for name, destination in record.output_destinations().items()
        }
        submission = JobSubmission(
            job_id=job.job_id,
            connection=self.algorithm.connection,
            algorithm_id=record.algorithm_id,
            service_path=record.service_path,
            task_name=record.task_name,
            task_url=record.task_url,
            inputs=record.inputs,
            destinations=destinations,
            add_result_map_layer=record.add_result_map_layer,
            background=False,  # watched once marked as a re-run, in finished()
            status=job.status,
            return_z_m=record.return_z_m,
            spatial_references=dict(record.spatial_references),
        )
        self.recorder.job_submitted(job.job_id, submission)

        def mark(new: JobRecord) -> None:
            new.rerun_of = record.job_id
            new.background = True

        self.recorder.store.update(job.job_id, mark)
        return True

    def finished(self, result: bool) -> None:
        self.done(self.new_job_id if result else "", self.problem or "cancelled")


class ExpiryCheckTask(QgsTask):
    """One status request per finished job; unknown jobs are marked expired."""

    def __init__(
        self,
        jobs: list[tuple[JobRecord, GPTaskAlgorithm]],
        recorder: StoreRecorder,
    ) -> None:
        super().__init__(
            translate("ServerTasks", "Checking GP jobs on their servers"), QgsTask.Flag.CanCancel
        )
        self.jobs = jobs
        self.recorder = recorder
        self.expired: list[str] = []

    def run(self) -> bool:
        for index, (record, algorithm) in enumerate(self.jobs):
            if self.isCanceled():
                return False
            client = client_for(algorithm.connection, record.task_url)
            try:
                client.job_status(record.task_url, record.job_id, return_messages=False)
            except JobExpiredError as error:
                self.expired.append(record.job_id)
                self._mark_expired(record.job_id, str(error))
            except ArcGisError:
                pass  # unreachable now: ask again next time
            self.setProgress(100.0 * (index + 1) / len(self.jobs))
        return True

    def _mark_expired(self, job_id: str, reason: str) -> None:
        def change(record: JobRecord) -> None:
            record.state = JobState.EXPIRED
            record.fetch_pending = False
            record.error = reason

        if self.recorder.store.update(job_id, change) is not None:
            self.recorder.changed(job_id)
