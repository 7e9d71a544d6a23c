"""What a server says about a job: status, messages, progress, result URLs.

Typed views of a job's status page (``.../jobs/<id>?f=json``) and of the answers of
``submitJob`` and ``cancel``, parsed tolerantly (:mod:`.json_fields`): job ids
without their ``j``, ``paramUrl`` values with stray spaces, ``null`` message lists,
statuses in any spelling (:class:`~.enums.JobStatus`).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .enums import JobStatus, MessageType
from .errors import ArcGisInvalidResponseError
from .json_fields import as_list, as_mapping, as_number, as_text


@dataclass(frozen=True)
class GPMessage:
    """One GP message."""

    type: MessageType
    description: str

    @classmethod
    def from_json(cls, data: Any) -> GPMessage:
        """Non-object entries become an unknown message holding their text."""
        if not isinstance(data, Mapping):
            return cls(MessageType.UNKNOWN, as_text(data))
        return cls(MessageType.parse(data.get("type")), as_text(data.get("description")))

    @property
    def is_error(self) -> bool:
        """Error or abort messages: what a failed job's error says."""
        return self.type in (MessageType.ERROR, MessageType.ABORT)


def parse_messages(value: Any) -> list[GPMessage]:
    """A ``messages`` array (missing or ``null`` -> empty)."""
    return [GPMessage.from_json(item) for item in as_list(value)]


@dataclass(frozen=True)
class JobProgress:
    """``progress`` of an executing job (ArcGIS Server 10.6+ / ArcGIS Pro tools)."""

    percent: float | None
    message: str = ""
    type: str = "default"

    @classmethod
    def from_json(cls, data: Any) -> JobProgress | None:
        """``None`` when the job reports no progress."""
        if not isinstance(data, Mapping):
            return None
        percent = as_number(data.get("percent"))
        if percent is not None:
            percent = min(max(percent, 0.0), 100.0)
        return cls(percent, as_text(data.get("message")), as_text(data.get("type"), "default"))


def _param_urls(value: Any) -> dict[str, str]:
    """``{"name": {"paramUrl": " inputs/name"}}`` -> ``{"name": "inputs/name"}``."""
    result: dict[str, str] = {}
    if not isinstance(value, Mapping):
        return result
    for name, entry in value.items():
        url = entry.get("paramUrl") if isinstance(entry, Mapping) else entry
        url = as_text(url).strip()
        if url:
            result[str(name)] = url
    return result


@dataclass
class JobInfo:
    """A job's status page (``.../jobs/<id>?f=json``) or a submit/cancel answer."""

    job_id: str
    status: JobStatus
    messages: list[GPMessage] = field(default_factory=list)
    progress: JobProgress | None = None
    #: Output name -> ``paramUrl`` (relative to the job URL), once known.
    results: dict[str, str] = field(default_factory=dict)
    inputs: dict[str, str] = field(default_factory=dict)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, url: str | None = None, job_id: str | None = None) -> JobInfo:
        """Parse; ``job_id`` stands in when the answer omits ``jobId``."""
        data = as_mapping(data, "a job status", url)
        identifier = as_text(data.get("jobId")).strip() or (job_id or "")
        if not identifier:
            raise ArcGisInvalidResponseError(
                "the answer holds no jobId", details=server_words(data), url=url
            )
        if "jobStatus" not in data:
            raise ArcGisInvalidResponseError("the answer holds no jobStatus", url=url)
        return cls(
            job_id=identifier,
            status=JobStatus.parse(data.get("jobStatus")),
            messages=parse_messages(data.get("messages")),
            progress=JobProgress.from_json(data.get("progress")),
            results=_param_urls(data.get("results")),
            inputs=_param_urls(data.get("inputs")),
            raw=dict(data),
        )

    @property
    def status_text(self) -> str:
        """The status exactly as the server spelled it."""
        return as_text(self.raw.get("jobStatus"), self.status.value)

    @property
    def error_messages(self) -> list[GPMessage]:
        """Error and abort messages."""
        return [m for m in self.messages if m.is_error]


def server_words(data: Mapping[str, Any]) -> list[str]:
    """What an answer that is neither data nor a recognised error still says: its
    messages and any status, so the user reads the server's own words."""
    words = [m.description for m in parse_messages(data.get("messages")) if m.description]
    for key in ("jobStatus", "status", "message", "description"):
        text = as_text(data.get(key)).strip()
        if text:
            words.append(f"{key}: {text}")
    return words
