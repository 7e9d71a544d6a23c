"""The jobs of this QGIS session: record, watch, resume, cancel, fetch, re-run, remove.

One :class:`JobManager` lives on QGIS's main thread (the plugin makes it at start).
It installs the recorder every run reports to, starts a watcher for each background
job, resumes unfinished jobs at start, and offers the actions of the GP Jobs panel.
All network work happens in tasks; the manager reacts to them with Qt signals, which
the panel (or a script) connects to. It touches no widget.
"""

from __future__ import annotations

from typing import Any, Callable

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsMapLayer,
    QgsProcessingRegistry,
    QgsProject,
    QgsTask,
)
from qgis.PyQt.QtCore import QObject, Qt, pyqtSignal

from ..i18n import translate
from ..provider.algorithm import GPTaskAlgorithm
from ..provider.job_events import job_listener, set_job_listener
from .loading import load_outputs
from .model import JobRecord, JobState
from .recorder import StoreRecorder
from .server_tasks import ExpiryCheckTask, ResubmitTask, ServerLayerTask
from .sessions import FOLDER as SESSIONS_FOLDER
from .sessions import SessionLock
from .store import JobStore
from .watcher import JobWatchTask

#: ``notice`` levels (``Qgis.MessageLevel`` values as int, for the signal).
INFO, SUCCESS, WARNING = (
    int(Qgis.MessageLevel.Info),
    int(Qgis.MessageLevel.Success),
    int(Qgis.MessageLevel.Warning),
)

#: The job states that end a watch without results.
_FAILURES = (JobState.FAILED, JobState.CANCELLED, JobState.TIMED_OUT, JobState.EXPIRED)


def _failure_words(state: JobState) -> str:
    """How the notice says what happened to a job (translated when it is shown)."""
    return {
        JobState.FAILED: translate("JobManager", "failed"),
        JobState.CANCELLED: translate("JobManager", "was cancelled"),
        JobState.TIMED_OUT: translate("JobManager", "timed out on the server"),
        JobState.EXPIRED: translate("JobManager", "is no longer known to the server (expired)"),
    }[state]


_active: JobManager | None = None


def active_manager() -> JobManager | None:
    """The manager the plugin started in this QGIS session, if any."""
    return _active


class JobManager(QObject):
    """Owns the job store, the recorder and every job task of the session."""

    #: A job was added or changed (its id); emitted on the main thread.
    jobChanged = pyqtSignal(str)
    jobRemoved = pyqtSignal(str)
    #: Something the user should see in the message bar: text, ``Qgis.MessageLevel``.
    notice = pyqtSignal(str, int)
    #: A watcher loaded a job's outputs: job id, layer names.
    resultsLoaded = pyqtSignal(str, list)
    #: A job's watch ended (loaded, failed, cancelled or detached).
    watchEnded = pyqtSignal(str)
    _watchRequested = pyqtSignal(str)
    _changedAnyThread = pyqtSignal(str)

    def __init__(
        self,
        store: JobStore | None = None,
        project: Callable[[], QgsProject] = QgsProject.instance,
        registry: QgsProcessingRegistry | None = None,
    ) -> None:
        super().__init__()
        self.store = store or JobStore()
        self._project = project
        self._registry = registry or QgsApplication.processingRegistry()
        # Recorder callbacks come from worker threads: they go through queued signals.
        self.recorder = StoreRecorder(
            self.store, changed=self._changedAnyThread.emit, background=self._watchRequested.emit
        )
        self._changedAnyThread.connect(self.jobChanged, Qt.ConnectionType.QueuedConnection)
        self._watchRequested.connect(self.watch, Qt.ConnectionType.QueuedConnection)
        self._watchers: dict[str, JobWatchTask] = {}
        self._tasks: set[QgsTask] = set()
        self.started = False
        #: Background jobs are watched (needs an event loop that outlives the run: the GUI's).
        self.watching = False
        #: This session's lock: other QGIS sessions on the profile leave its jobs alone.
        self.session = SessionLock(self.store.path.parent / SESSIONS_FOLDER)
        self.recorder.session = self.session.id

    # -- life cycle --------------------------------------------------------------------

    def start(self, resume: bool = True, watch: bool = True) -> None:
        """Record every job from now on; with ``watch``, watch background jobs (and, with
        ``resume``, the unfinished ones of earlier sessions).

        Headless (qgis_process) records only: the process ends right after its run, so
        a watcher it started would die with it, or worse, mid-way; the next QGIS session
        resumes the job.
        """
        global _active  # noqa: PLW0603 - the session's manager, for the PyQGIS API
        self.session.acquire()
        set_job_listener(self.recorder)
        self.started = True
        _active = self
        if watch:
            self.start_watching(resume)

    def start_watching(self, resume: bool = True) -> None:
        """Watch background jobs from now on (the GUI calls this once it is up)."""
        self.watching = True
        if resume:
            self.resume()

    def stop(self) -> None:
        """Stop recording and watching (the jobs go on on their servers)."""
        global _active  # noqa: PLW0603
        if job_listener() is self.recorder:
            set_job_listener(None)
        if _active is self:
            _active = None
        self.started = False
        self.watching = False
        for task in list(self._watchers.values()):
            task.cancel()
        for task in list(self._tasks):
            task.cancel()
        self._watchers.clear()
        self._tasks.clear()
        self.session.release()

    def resume(self) -> None:
        """Watch jobs left running (or not yet fetched) by an earlier session; check the rest.

        Jobs of another QGIS session that still runs on this profile are its own.
        """
        for record in self.store.list([JobState.RUNNING, JobState.ON_SERVER]):
            if record.state is not JobState.RUNNING and not record.fetch_pending:
                continue
            if record.session != self.session.id and self.session.is_alive(record.session):
                continue
            self.watch(record.job_id)
        self.check_expiry()

    # -- queries -----------------------------------------------------------------------

    def jobs(self) -> list[JobRecord]:
        return self.store.list()

    def job(self, job_id: str) -> JobRecord | None:
        return self.store.get(job_id)

    def is_watched(self, job_id: str) -> bool:
        return job_id in self._watchers

    def algorithm_for(self, record: JobRecord) -> GPTaskAlgorithm | None:
        """The job's algorithm as the provider has it now (None: connection or task gone)."""
        algorithm = self._registry.createAlgorithmById(record.algorithm_id)
        return algorithm if isinstance(algorithm, GPTaskAlgorithm) else None

    def _algorithm_or_notice(self, record: JobRecord) -> GPTaskAlgorithm | None:
        algorithm = self.algorithm_for(record)
        if algorithm is None:
            missing = translate("JobManager", "the algorithm {algorithm} is not available (is "
                "the connection '{connection}' still configured?)")  # fmt: skip
            self._note(
                record,
                missing.format(algorithm=record.algorithm_id, connection=record.connection),
                WARNING,
            )
        return algorithm

    # -- actions -----------------------------------------------------------------------

    def watch(self, job_id: str, cancel_at_once: bool = False) -> bool:
        """Watch a job in a task and fetch its outputs when it succeeds."""
        watcher = self._watchers.get(job_id)
        if watcher is not None:
            if cancel_at_once:
                watcher.cancel_job()
            return True
        record = self.store.get(job_id)
        if record is None or not self.started or not self.watching:
            return False
        algorithm = self._algorithm_or_notice(record)
        if algorithm is None:
            return False
        if record.session != self.session.id:
            record = self.store.update(job_id, self._claim) or record
        task = JobWatchTask(algorithm, record, self._project(), cancel_at_once)
        task.executed.connect(lambda ok, results, task=task: self._watch_done(task, ok, results))
        self._watchers[job_id] = task
        QgsApplication.taskManager().addTask(task)
        self.jobChanged.emit(job_id)
        return True

    def _claim(self, record: JobRecord) -> None:
        record.session = self.session.id

    def _watch_done(self, task: JobWatchTask, ok: bool, results: dict[str, Any]) -> None:
        if self._watchers.get(task.job_id) is task:
            del self._watchers[task.job_id]
        record = self.store.get(task.job_id)
        if record is not None and not task.feedback.detached:
            if ok:
                names = load_outputs(task.context, record)
                text = translate("JobManager", "GP job {job_id} ({task}) finished")
                text = text.format(job_id=record.job_id, task=record.task_name)
                if names:
                    loaded = translate("JobManager", ": loaded {layers}")
                    text += loaded.format(layers=", ".join(names))
                if record.state is JobState.TRANSFER_LIMIT:
                    cut = translate("JobManager", "; {outputs} exceeds the transfer limit")
                    text += cut.format(outputs=", ".join(record.cut_outputs))
                self.notice.emit(text, WARNING if record.cut_outputs else SUCCESS)
                self.resultsLoaded.emit(record.job_id, names)
            elif record.state in _FAILURES:
                self._note(record, _failure_words(record.state), WARNING, record.error)
            elif record.error:
                self._note(
                    record, translate("JobManager", "could not be fetched"), WARNING, record.error
                )
        self.jobChanged.emit(task.job_id)
        self.watchEnded.emit(task.job_id)

    def cancel(self, job_id: str) -> bool:
        """Cancel a running job on its server (the watcher records the outcome)."""
        record = self.store.get(job_id)
        if record is None or record.state is not JobState.RUNNING:
            return False
        return self.watch(job_id, cancel_at_once=True)

    def get_data(self, job_id: str) -> bool:
        """Fetch the outputs again into the recorded destinations ("Get Data")."""
        record = self.store.get(job_id)
        if record is None:
            return False
        if record.state is JobState.EXPIRED:
            self._note(
                record,
                translate("JobManager", "has expired on the server: its results are gone"),
                WARNING,
            )
            return False
        return self.watch(job_id)

    def add_server_layer(self, job_id: str) -> bool:
        """Add the job's result map service layer to the project ("Add Server Layer")."""
        record = self.store.get(job_id)
        algorithm = None if record is None else self._algorithm_or_notice(record)
        if record is None or algorithm is None:
            return False

        def done(layer: QgsMapLayer | None, problem: str) -> None:
            if layer is None:
                self._note(
                    record,
                    translate("JobManager", "has no result map service layer"),
                    WARNING,
                    problem,
                )
                return
            self._project().addMapLayer(layer)
            self.notice.emit(
                translate("JobManager", "Added {layer}").format(layer=layer.name()), SUCCESS
            )
            self.resultsLoaded.emit(record.job_id, [layer.name()])

        self._run(ServerLayerTask(algorithm, record, done))
        return True

    def rerun(self, job_id: str) -> bool:
        """Submit the job's inputs again, as a new background job."""
        record = self.store.get(job_id)
        algorithm = None if record is None else self._algorithm_or_notice(record)
        if record is None or algorithm is None:
            return False

        def done(new_job_id: str, problem: str) -> None:
            if not new_job_id:
                self._note(record, translate("JobManager", "could not be re-run"), WARNING, problem)
                return
            rerun = translate("JobManager", "GP job {job_id} re-run as job {new_job_id}")
            self.notice.emit(rerun.format(job_id=job_id, new_job_id=new_job_id), INFO)
            self.watch(new_job_id)

        self._run(ResubmitTask(algorithm, record, self.recorder, done))
        return True

    def remove(self, job_id: str) -> bool:
        """Forget a job (stop watching it first; the server keeps it until it expires)."""
        watcher = self._watchers.pop(job_id, None)
        if watcher is not None:
            watcher.cancel()
        removed = self.store.remove(job_id)
        if removed:
            self.jobRemoved.emit(job_id)
        return removed

    def check_expiry(self) -> None:
        """Ask the servers about finished jobs whose results should still be there."""
        jobs = []
        states = [state for state in JobState if state.results_on_server]
        for record in self.store.list(states):
            algorithm = None if record.job_id in self._watchers else self.algorithm_for(record)
            if algorithm is not None:
                jobs.append((record, algorithm))
        if jobs:
            self._run(ExpiryCheckTask(jobs, self.recorder))

    # -- helpers -----------------------------------------------------------------------

    def _run(self, task: QgsTask) -> None:
        self._tasks.add(task)
        task.taskCompleted.connect(lambda task=task: self._tasks.discard(task))
        task.taskTerminated.connect(lambda task=task: self._tasks.discard(task))
        QgsApplication.taskManager().addTask(task)

    def _note(self, record: JobRecord, what: str, level: int, detail: str = "") -> None:
        text = translate("JobManager", "GP job {job_id} ({task}) {what}")
        text = text.format(job_id=record.job_id, task=record.task_name, what=what)
        if detail:
            text += f": {detail}"
        self.notice.emit(text, level)
