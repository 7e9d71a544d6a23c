"""Errors the way ArcGIS Server reports them: a JSON ``error`` object, usually under HTTP 200.

Handlers raise :class:`RestError`; the app turns it into the body real servers send, so
every error in the server has one shape and clients meet the quirk (errors with HTTP 200)
everywhere, not only where someone remembered it.
"""

from __future__ import annotations

from typing import Any


class RestError(Exception):
    """An ArcGIS REST error: ``{"error": {"code", "message", "details"}}``."""

    def __init__(
        self,
        code: int,
        message: str,
        details: list[str] | None = None,
        *,
        http_status: int = 200,
    ) -> None:
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = list(details or [])
        self.http_status = http_status

    def to_json(self) -> dict[str, Any]:
        return {"error": {"code": self.code, "message": self.message, "details": self.details}}


def unable_to_complete(*details: str) -> RestError:
    """The generic 400 a GP service answers for bad input or a failed synchronous run."""
    return RestError(400, "Unable to complete operation.", list(details))


def invalid_url() -> RestError:
    """What ArcGIS answers for an operation the resource does not support."""
    return RestError(400, "Invalid URL", ["Invalid URL"])


#: How ArcGIS Online refuses a run, by reason: a user whose role lacks the privilege
#: (e.g. "Perform analysis") gets the portal's 403 (message code GWM_0003); a run whose
#: cost in credits cannot be met gets the raster analysis service's answer, a string
#: ``error`` with an ``error_description`` (seen in arcgis-python-api issue 1781).
REFUSALS: dict[str, dict[str, Any]] = {
    "privileges": {
        "error": {
            "code": 403,
            "messageCode": "GWM_0003",
            "message": "You do not have permissions to access this resource or perform "
            "this operation.",
            "details": [],
        }
    },
    "credits": {
        "error": "job failed to get submitted",
        "error_description": "Failed to compute cost/credits for tool GenerateRaster",
    },
}


def refusal(reason: str) -> dict[str, Any]:
    """The body of an ArcGIS Online refusal (``REFUSALS``; KeyError for an unknown one)."""
    return REFUSALS[reason]


def token_required() -> RestError:
    return RestError(499, "Token Required")


def invalid_token() -> RestError:
    return RestError(498, "Invalid Token")


def job_not_found(job_id: str) -> RestError:
    return RestError(400, f"Job '{job_id}' does not exist or is inaccessible.")


def not_found(message: str) -> RestError:
    return RestError(404, message)


class TaskFailedError(Exception):
    """Raised inside a task: the job ends esriJobFailed with these error messages."""

    def __init__(self, *messages: str) -> None:
        super().__init__("; ".join(messages))
        self.messages = list(messages)


class TaskTimedOutError(Exception):
    """Raised inside a task: the job ends esriJobTimedOut."""


class TaskCancelledError(Exception):
    """Raised by :meth:`TaskContext.check_cancelled` when a cancel was requested."""
