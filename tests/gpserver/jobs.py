"""GP jobs: their life cycle, a worker pool, cancellation and expiry.

A job moves esriJobSubmitted -> esriJobWaiting -> esriJobExecuting -> a terminal status,
as on ArcGIS Server. Tasks run in daemon worker threads (a never-ending job must not keep
the interpreter alive) and look at a cancel flag through :class:`TaskContext`, so a cancel
really stops the work. Synchronous ``execute`` runs the very same code inline.
"""

from __future__ import annotations

import datetime as dt
import queue
import shutil
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import TaskCancelledError, TaskFailedError, TaskTimedOutError
from .inputs import validate
from .registry import Service, Task

SUBMITTED = "esriJobSubmitted"
WAITING = "esriJobWaiting"
EXECUTING = "esriJobExecuting"
SUCCEEDED = "esriJobSucceeded"
FAILED = "esriJobFailed"
TIMED_OUT = "esriJobTimedOut"
CANCELLING = "esriJobCancelling"
CANCELLED = "esriJobCancelled"
DELETED = "esriJobDeleted"
TERMINAL = {SUCCEEDED, FAILED, TIMED_OUT, CANCELLED, DELETED}

INFO = "esriJobMessageTypeInformative"
WARNING = "esriJobMessageTypeWarning"
ERROR = "esriJobMessageTypeError"


def esri_time(moment: float | None = None) -> str:
    """'Friday, December 16, 2022 6:05:31 PM', the way GP messages print times."""
    value = dt.datetime.fromtimestamp(moment if moment is not None else time.time())
    hour = value.hour % 12 or 12
    return (
        f"{value:%A}, {value:%B} {value.day}, {value.year} "
        f"{hour}:{value:%M}:{value:%S} {'AM' if value.hour < 12 else 'PM'}"
    )


@dataclass
class RunOptions:
    """Environment of a run: ``env:outSR``/``context.outSR``, processSR, returnZ/M."""

    out_sr: dict[str, Any] | None = None
    process_sr: dict[str, Any] | None = None
    return_z: bool = False
    return_m: bool = False


@dataclass
class Job:
    job_id: str
    service: Service
    task: Task
    inputs: dict[str, Any]
    input_echo: dict[str, Any]
    options: RunOptions
    scratch_dir: Path
    synchronous: bool = False
    user: str | None = None
    status: str = SUBMITTED
    #: Every status the job has had, in order (tests check the life cycle with it).
    history: list[str] = field(default_factory=lambda: [SUBMITTED])
    messages: list[dict[str, str]] = field(default_factory=list)
    progress_percent: float | None = None
    progress_message: str = ""
    outputs: dict[str, Any] = field(default_factory=dict)
    submitted_at: float = field(default_factory=time.time)
    started_at: float | None = None
    ended_at: float | None = None
    never_ends: bool = False
    cancel_event: threading.Event = field(default_factory=threading.Event)
    lock: threading.Lock = field(default_factory=threading.Lock)
    extras: dict[str, Any] = field(default_factory=dict)  # e.g. result map layers

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL

    def add_message(self, description: str, kind: str = INFO) -> None:
        with self.lock:
            self.messages.append({"type": kind, "description": description})

    def set_status(self, status: str) -> None:
        with self.lock:
            self.status = status
            self.history.append(status)
            if status in TERMINAL and self.ended_at is None:
                self.ended_at = time.time()

    def error_messages(self) -> list[str]:
        return [m["description"] for m in self.messages if m["type"] == ERROR]

    def snapshot_messages(self) -> list[dict[str, str]]:
        with self.lock:
            return list(self.messages)


class TaskContext:
    """What a task implementation sees: its inputs, and how to report and be stopped."""

    def __init__(self, job: Job) -> None:
        self.job = job

    @property
    def inputs(self) -> dict[str, Any]:
        return self.job.inputs

    @property
    def out_sr(self) -> dict[str, Any] | None:
        return self.job.options.out_sr

    @property
    def process_sr(self) -> dict[str, Any] | None:
        return self.job.options.process_sr

    @property
    def service(self) -> Service:
        return self.job.service

    def message(self, text: str, kind: str = INFO) -> None:
        self.job.add_message(text, kind)

    def warning(self, text: str) -> None:
        self.job.add_message(text, WARNING)

    def progress(self, percent: float | None, message: str = "") -> None:
        with self.job.lock:
            self.job.progress_percent = percent
            self.job.progress_message = message

    def check_cancelled(self) -> None:
        if self.job.cancel_event.is_set():
            raise TaskCancelledError()

    def sleep(self, seconds: float) -> None:
        """Wait, but wake up and stop at once when the job is cancelled."""
        if self.job.cancel_event.wait(max(0.0, seconds)):
            raise TaskCancelledError()

    def scratch_path(self, name: str) -> Path:
        self.job.scratch_dir.mkdir(parents=True, exist_ok=True)
        return self.job.scratch_dir / name


TaskFunction = Callable[[TaskContext], dict[str, Any]]


class JobManager:
    """Creates, runs, finds, cancels and expires jobs."""

    def __init__(
        self,
        workdir: Path,
        implementations: dict[str, TaskFunction],
        *,
        workers: int = 8,
        max_age: float = 600.0,
        queue_delay: float = 0.0,
    ) -> None:
        self.workdir = workdir
        self.implementations = implementations
        self.max_age = max_age
        self.queue_delay = queue_delay
        self._jobs: dict[str, Job] = {}
        self._lock = threading.Lock()
        self._queue: queue.Queue[Job | None] = queue.Queue()
        self._workers = [
            threading.Thread(target=self._work, name=f"gpserver-job-{i}", daemon=True)
            for i in range(workers)
        ]
        for worker in self._workers:
            worker.start()

    # creation and lookup -------------------------------------------------------------
    def new_job(
        self,
        service: Service,
        task: Task,
        inputs: dict[str, Any],
        echo: dict[str, Any],
        options: RunOptions,
        *,
        synchronous: bool,
        user: str | None = None,
    ) -> Job:
        prefix = "j" if synchronous else service.job_id_prefix
        job_id = prefix + uuid.uuid4().hex
        scratch = self.workdir / "arcgisjobs" / service.jobs_dir_name / job_id / "scratch"
        return Job(
            job_id=job_id,
            service=service,
            task=task,
            inputs=inputs,
            input_echo=echo,
            options=options,
            scratch_dir=scratch,
            synchronous=synchronous,
            user=user,
        )

    def submit(self, job: Job) -> None:
        self.expire()
        job.add_message("Submitted.")
        with self._lock:
            self._jobs[job.job_id] = job
        self._queue.put(job)

    def run_inline(self, job: Job) -> None:
        """Run a synchronous execute in the caller's thread (not kept as a job)."""
        self._execute(job)

    def get(self, service: Service, job_id: str) -> Job | None:
        """The job, if it exists on this service and has not expired."""
        self.expire()
        with self._lock:
            job = self._jobs.get(job_id)
        if job is None or job.service is not service:
            return None
        return job

    def all_jobs(self) -> list[Job]:
        with self._lock:
            return list(self._jobs.values())

    # control -------------------------------------------------------------------------
    def cancel(self, job: Job) -> None:
        with job.lock:
            if job.status in TERMINAL:
                return
            job.cancel_event.set()
            job.status = CANCELLING
            job.history.append(CANCELLING)

    def delete(self, job: Job) -> None:
        self.cancel(job)
        with self._lock:
            self._jobs.pop(job.job_id, None)
        shutil.rmtree(job.scratch_dir.parent, ignore_errors=True)

    def cancel_all(self, wait: float = 5.0) -> None:
        """Cancel every job that is still running and wait (bounded) for them to stop."""
        running = [job for job in self.all_jobs() if not job.is_terminal]
        for job in running:
            self.cancel(job)
        deadline = time.time() + wait
        for job in running:
            while not job.is_terminal and time.time() < deadline:
                time.sleep(0.01)

    def forget_all(self) -> None:
        with self._lock:
            jobs = list(self._jobs.values())
            self._jobs.clear()
        for job in jobs:
            shutil.rmtree(job.scratch_dir.parent, ignore_errors=True)

    def expire(self) -> None:
        """Drop finished jobs older than ``max_age`` seconds, files included."""
        limit = time.time() - self.max_age
        with self._lock:
            old = [j for j in self._jobs.values() if j.ended_at is not None and j.ended_at < limit]
            for job in old:
                del self._jobs[job.job_id]
        for job in old:
            shutil.rmtree(job.scratch_dir.parent, ignore_errors=True)

    def shutdown(self) -> None:
        self.cancel_all(wait=2.0)
        for _ in self._workers:
            self._queue.put(None)

    # running -------------------------------------------------------------------------
    def _work(self) -> None:
        while True:
            job = self._queue.get()
            if job is None:
                return
            try:
                self._execute(job)
            except Exception as error:  # a bug in the server must not kill the worker
                job.add_message(f"ERROR 999999: {error}", ERROR)
                job.set_status(FAILED)

    def _advance(self, job: Job, status: str) -> bool:
        """Move to ``status`` unless a cancel came first (then False)."""
        with job.lock:
            if job.cancel_event.is_set():
                return False
            job.status = status
            job.history.append(status)
            return True

    def _queued(self, job: Job) -> bool:
        """Sit in esriJobSubmitted, then esriJobWaiting, ``queue_delay`` each.

        False when the job was cancelled before it could start.
        """
        if job.cancel_event.wait(self.queue_delay) or not self._advance(job, WAITING):
            return False
        return not job.cancel_event.wait(self.queue_delay)

    def _execute(self, job: Job) -> None:
        context = TaskContext(job)
        if not job.synchronous and not self._queued(job):
            self._finish_cancelled(job)
            return
        if not self._advance(job, EXECUTING):
            self._finish_cancelled(job)
            return
        job.started_at = time.time()
        if not job.synchronous:
            job.add_message("Executing...")
        job.add_message(f"Start Time: {esri_time(job.started_at)}")
        try:
            if job.never_ends:
                while True:
                    context.progress(None, "Still working...")
                    context.sleep(0.1)
            problems = validate(job.task.inputs, job.inputs)
            if problems:
                raise TaskFailedError(*problems)
            implementation = self.implementations[job.task.implementation]
            outputs = implementation(context)
            context.check_cancelled()
        except TaskCancelledError:
            self._finish_cancelled(job)
            return
        except TaskTimedOutError as timeout:
            job.add_message(str(timeout) or "The job timed out.", ERROR)
            job.set_status(TIMED_OUT)
            return
        except TaskFailedError as failure:
            for text in failure.messages:
                job.add_message(text, ERROR)
            self._finish_failed(job)
            return
        except Exception as error:
            job.add_message(
                f"ERROR 999999: Something unexpected caused the tool to fail. {error}", ERROR
            )
            self._finish_failed(job)
            return
        job.outputs = outputs or {}
        if job.cancel_event.is_set():
            self._finish_cancelled(job)
            return
        elapsed = time.time() - job.started_at
        job.add_message(f"Succeeded at {esri_time()} (Elapsed Time: {elapsed:.2f} seconds)")
        job.set_status(SUCCEEDED)

    def _finish_failed(self, job: Job) -> None:
        elapsed = time.time() - (job.started_at or job.submitted_at)
        job.add_message(f"Failed to execute ({job.task.name}).", ERROR)
        job.add_message(f"Failed at {esri_time()} (Elapsed Time: {elapsed:.2f} seconds)", ERROR)
        job.set_status(FAILED)

    def _finish_cancelled(self, job: Job) -> None:
        job.add_message("Cancelled.", WARNING)
        job.set_status(CANCELLED)
