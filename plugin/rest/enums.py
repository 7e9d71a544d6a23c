"""The enumerations of the GP protocol, each with the one parser of its spellings.

Servers write ``esriGPParameterDirectionInput``, ``Input`` or ``input``,
``esriJobCanceled`` or ``esriJobCancelled``: every reader of a direction, a parameter
type, an execution type, a job status or a message type goes through the ``parse``
of its enum, which accepts them all and says what an unknown value means.
"""

from __future__ import annotations

import enum
from typing import Any

from .json_fields import match_enum


class Direction(enum.Enum):
    """Parameter direction."""

    INPUT = "esriGPParameterDirectionInput"
    OUTPUT = "esriGPParameterDirectionOutput"

    @classmethod
    def parse(cls, value: Any) -> Direction:
        """Unknown or missing: input (a server that omits it means an input)."""
        return match_enum(cls, value, "esrigpparameterdirection", cls.INPUT)


class ParameterType(enum.Enum):
    """Whether a parameter must be given."""

    REQUIRED = "esriGPParameterTypeRequired"
    OPTIONAL = "esriGPParameterTypeOptional"
    DERIVED = "esriGPParameterTypeDerived"

    @classmethod
    def parse(cls, value: Any) -> ParameterType:
        """Unknown or missing: optional, so a form never blocks on a guess."""
        return match_enum(cls, value, "esrigpparametertype", cls.OPTIONAL)


class ExecutionType(enum.Enum):
    """How a task runs: ``execute`` (synchronous) or ``submitJob`` (asynchronous)."""

    SYNCHRONOUS = "esriExecutionTypeSynchronous"
    ASYNCHRONOUS = "esriExecutionTypeAsynchronous"

    @classmethod
    def parse(cls, value: Any, default: ExecutionType | None = None) -> ExecutionType | None:
        """``default`` when the server did not say."""
        return match_enum(cls, value, "esriexecutiontype", default)


class JobStatus(enum.Enum):
    """Every ``esriJob*`` status, plus the spellings real servers use."""

    NEW = "esriJobNew"
    SUBMITTED = "esriJobSubmitted"
    WAITING = "esriJobWaiting"
    EXECUTING = "esriJobExecuting"
    CANCELLING = "esriJobCancelling"
    SUCCEEDED = "esriJobSucceeded"
    FAILED = "esriJobFailed"
    CANCELLED = "esriJobCancelled"
    TIMED_OUT = "esriJobTimedOut"
    DELETING = "esriJobDeleting"
    DELETED = "esriJobDeleted"
    #: Some servers report a failure the tool raised on purpose this way.
    EXPECTED_FAILURE = "expectedFailure"
    #: Anything else: keep polling, but a wait never loops on it forever.
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: Any) -> JobStatus:
        """``esriJobSucceeded``, ``Succeeded``, ``succeeded``, ``esriJobCanceled`` ..."""
        if not isinstance(value, str):
            return cls.UNKNOWN
        key = value.strip().lower().replace("canceled", "cancelled")
        key = key.replace("_", "").replace(" ", "")
        return _STATUS_BY_KEY.get(key, cls.UNKNOWN)

    @property
    def is_terminal(self) -> bool:
        """The job will not change any more (success or not)."""
        return self in _TERMINAL

    @property
    def is_failure(self) -> bool:
        """The job ended because something went wrong in it."""
        return self in (JobStatus.FAILED, JobStatus.EXPECTED_FAILURE)


_STATUS_BY_KEY = {
    key: member
    for member in JobStatus
    if member is not JobStatus.UNKNOWN
    for key in (member.value.lower(), member.value.lower().replace("esrijob", "", 1))
}
_TERMINAL = frozenset(
    {
        JobStatus.SUCCEEDED,
        JobStatus.FAILED,
        JobStatus.CANCELLED,
        JobStatus.TIMED_OUT,
        JobStatus.DELETING,
        JobStatus.DELETED,
        JobStatus.EXPECTED_FAILURE,
    }
)


class MessageType(enum.Enum):
    """GP message types (``esriJobMessageType*``)."""

    INFORMATIVE = "esriJobMessageTypeInformative"
    PROCESS_DEFINITION = "esriJobMessageTypeProcessDefinition"
    PROCESS_START = "esriJobMessageTypeProcessStart"
    PROCESS_STOP = "esriJobMessageTypeProcessStop"
    WARNING = "esriJobMessageTypeWarning"
    ERROR = "esriJobMessageTypeError"
    EMPTY = "esriJobMessageTypeEmpty"
    ABORT = "esriJobMessageTypeAbort"
    UNKNOWN = "unknown"

    @classmethod
    def parse(cls, value: Any) -> MessageType:
        """Unknown types are kept as :attr:`UNKNOWN` (shown like informative ones)."""
        return match_enum(cls, value, "esrijobmessagetype", cls.UNKNOWN)
