"""The calls on one job of a GP task: status, cancel, results and inputs.

A mixin of :class:`~.client.GPClient` (whose methods they are): every call answers
"no such job" (an expired, deleted or mistyped id, in the words of any server
version) with :class:`JobExpiredError`, so a caller can tell a job that is gone from
a server that is down.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TypeVar

from . import downloads
from .errors import ArcGisHttpError, ArcGisServerError, JobExpiredError
from .job_info import JobInfo
from .results import GPResult
from .run_options import sr_value
from .urls import join_url

if TYPE_CHECKING:
    from .transport import Transport

T = TypeVar("T")

#: Messages by which servers say a job id is unknown (expired, deleted, wrong).
_UNKNOWN_JOB = re.compile(
    r"\bjob\b.{0,120}?\b(does not exist|not found|inaccessible|expired|deleted)"
    r"|\b(invalid|unknown|no such) job\b",
    re.IGNORECASE,
)


class JobCalls:
    """``GPClient``'s calls on a submitted job, identified by its task URL and job id."""

    if TYPE_CHECKING:
        transport: Transport

        def job_url(self, task_url: str, job_id: str) -> str: ...

    def _job_call(self, job_id: str, call: Callable[[], T]) -> T:
        """Run ``call`` and turn "no such job" answers into :class:`JobExpiredError`."""
        try:
            return call()
        except ArcGisServerError as error:
            if error.code in (400, 404, 500) and any(
                _UNKNOWN_JOB.search(text) for text in (error.message, *error.details)
            ):
                raise JobExpiredError(
                    error.message, job_id=job_id, code=error.code, url=error.url
                ) from error
            raise
        except ArcGisHttpError as error:
            if error.status == 404:
                raise JobExpiredError(
                    "the server answered 404 for the job", job_id=job_id, code=404, url=error.url
                ) from error
            raise

    def job_status(self, task_url: str, job_id: str, return_messages: bool = True) -> JobInfo:
        """The job's status, messages and progress."""
        url = self.job_url(task_url, job_id)
        params = {"f": "json", "returnMessages": "true" if return_messages else "false"}
        data = self._job_call(job_id, lambda: self.transport.get_json(url, params))
        return JobInfo.from_json(data, url=url, job_id=job_id)

    def cancel_job(self, task_url: str, job_id: str) -> JobInfo:
        """Ask the server to cancel (POST ``cancel``); it answers ``esriJobCancelling``."""
        url = self.job_url(task_url, job_id) + "/cancel"
        data = self._job_call(
            job_id, lambda: self.transport.post_json(url, {"f": "json"}, idempotent=True)
        )
        return JobInfo.from_json(data, url=url, job_id=job_id)

    @staticmethod
    def _result_params(
        return_type_data: bool, out_sr: Any, return_z: bool, return_m: bool
    ) -> dict[str, str]:
        params = {"f": "json"}
        if return_type_data:
            params["returnType"] = "data"
        value = sr_value(out_sr)
        if value is not None:
            params["outSR"] = value
        if return_z:
            params["returnZ"] = "true"
        if return_m:
            params["returnM"] = "true"
        return params

    def job_result(
        self,
        task_url: str,
        job_id: str,
        param_name: str,
        *,
        return_type_data: bool = False,
        out_sr: Any = None,
        return_z: bool = False,
        return_m: bool = False,
    ) -> GPResult:
        """One output of a finished job (``jobs/<id>/results/<param>``)."""
        url = join_url(self.job_url(task_url, job_id), "results", param_name)
        params = self._result_params(return_type_data, out_sr, return_z, return_m)
        data = self._job_call(job_id, lambda: self.transport.get_json(url, params))
        return GPResult.from_json(data, url=url, name=param_name)

    def job_result_to_file(
        self,
        task_url: str,
        job_id: str,
        param_name: str,
        path: str | os.PathLike[str],
        *,
        return_type_data: bool = False,
        out_sr: Any = None,
        return_z: bool = False,
        return_m: bool = False,
        chunk_size: int = 1 << 20,
    ) -> Path:
        """Stream one output's JSON answer to ``path`` (for outputs too big for memory)."""
        url = join_url(self.job_url(task_url, job_id), "results", param_name)
        params = self._result_params(return_type_data, out_sr, return_z, return_m)
        return self._job_call(
            job_id,
            lambda: downloads.download(
                self.transport, url, path, params, chunk_size=chunk_size, expect_json=True
            ),
        )

    def job_input(self, task_url: str, job_id: str, param_name: str) -> GPResult:
        """An input of a job as the server stored it (``jobs/<id>/inputs/<param>``)."""
        url = join_url(self.job_url(task_url, job_id), "inputs", param_name)
        data = self._job_call(job_id, lambda: self.transport.get_json(url, {"f": "json"}))
        return GPResult.from_json(data, url=url, name=param_name)
