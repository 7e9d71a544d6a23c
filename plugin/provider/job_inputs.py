"""What a job keeps of its inputs, and the secrets it must never keep or report.

Inputs are recorded as they were sent (after encoding) so a job can be submitted again
without the layers it was made from, but never with secrets: ``GPStringHidden`` values
are replaced by a marker, and feature sets larger than :data:`MAX_RECORDED_JSON` are
left out. A server may echo a secret in its messages, so this session also remembers
each job's secret values (in memory only) to scrub them from everything it reports.
"""

from __future__ import annotations

import copy
import dataclasses
import threading
from collections import OrderedDict
from typing import Any

from ..rest.descriptions import GPTask
from ..rest.encoding import RawJson
from ..rest.errors import ArcGisError, JobError, redact_url, scrub
from ..rest.job_info import GPMessage

#: Recorded in place of a secret input (``GPStringHidden``).
REDACTED = {"$redacted": True}
#: Pre-encoded JSON (feature sets) is recorded up to this many characters.
MAX_RECORDED_JSON = 20_000_000

_lock = threading.Lock()

#: Secret input values of this session's jobs, by job id, to scrub from what is recorded
#: (a server may echo them in messages). Never written anywhere. A job's entry goes when
#: its record ends (outputs fetched, or the job failed or was cancelled on the server);
#: the least recently used go beyond :data:`MAX_REMEMBERED_JOBS`, so that jobs never
#: fetched (timed out, fetch failed, abandoned) cannot grow it for a session's lifetime.
_secrets: OrderedDict[str, list[str]] = OrderedDict()

#: Far more jobs than one session watches at once; evicting a live job's secrets only
#: means later messages of that job are recorded unscrubbed, hence the generous figure.
MAX_REMEMBERED_JOBS = 256


def remember_secrets(job_id: str, secrets: list[str]) -> None:
    """Keep a job's secret input values for scrubbing what it reports."""
    kept = [s for s in secrets if s]
    if not kept:
        return
    with _lock:
        _secrets[job_id] = kept
        _secrets.move_to_end(job_id)
        while len(_secrets) > MAX_REMEMBERED_JOBS:
            _secrets.popitem(last=False)


def remembered_secrets(job_id: str) -> list[str]:
    """The secret input values kept for a job (``[]`` once its record ended)."""
    with _lock:
        kept = _secrets.get(job_id)
        if kept is None:
            return []
        _secrets.move_to_end(job_id)
        return list(kept)


def forget_secrets(job_id: str | None = None) -> None:
    """Drop one job's secret values, or every job's (``None``: the plugin unloads)."""
    with _lock:
        if job_id is None:
            _secrets.clear()
        else:
            _secrets.pop(job_id, None)


def scrubbed(value: Any, secrets: list[str]) -> Any:
    """``value`` (text, messages, errors, lists and dicts of them) without ``secrets``."""
    if not secrets:
        return value
    if isinstance(value, str):
        return scrub(value, secrets)
    if isinstance(value, GPMessage):
        return dataclasses.replace(value, description=scrub(value.description, secrets))
    if isinstance(value, list):
        return [scrubbed(item, secrets) for item in value]
    if isinstance(value, dict):
        return {key: scrubbed(item, secrets) for key, item in value.items()}
    if isinstance(value, ArcGisError):
        clean = copy.copy(value)
        clean.message = scrub(value.message, secrets)
        clean.details = [scrub(detail, secrets) for detail in value.details]
        if isinstance(clean, JobError):
            clean.messages = scrubbed(list(value.messages), secrets)
        return clean
    return value


def _is_secret(data_type: str) -> bool:
    return "GPStringHidden" in data_type


#: The key of a service layer input that holds the token the GP server reads it with.
SERVICE_TOKEN = "serviceToken"


def _holds_secret_url(value: Any) -> bool:
    """``{"url": "…?token=…"}`` or ``{"url", "serviceToken"}``: a feature or file URL that
    carries a credential."""
    if not isinstance(value, dict):
        return False
    if value.get(SERVICE_TOKEN):
        return True
    url = value.get("url")
    return isinstance(url, str) and redact_url(url) != url


def secret_values(task: GPTask, inputs: dict[str, Any]) -> list[str]:
    """The values of a task's secret inputs and the service tokens of its layer inputs
    (to scrub them from records: a server may echo them)."""
    secret = {param.name for param in task.inputs if _is_secret(param.data_type)}
    values = [str(value) for name, value in inputs.items() if name in secret and value]
    tokens = [
        str(value[SERVICE_TOKEN])
        for value in inputs.values()
        if isinstance(value, dict) and value.get(SERVICE_TOKEN)
    ]
    return values + tokens


def has_secret_inputs(task: GPTask) -> bool:
    return any(_is_secret(param.data_type) for param in task.inputs)


def record_inputs(task: GPTask, inputs: dict[str, Any]) -> dict[str, Any]:
    """The encoded inputs in a JSON-ready form, with secrets replaced by :data:`REDACTED`."""
    recorded: dict[str, Any] = {}
    types = {param.name: param.data_type for param in task.inputs}
    for name, value in inputs.items():
        if _is_secret(types.get(name, "")) or _holds_secret_url(value):
            recorded[name] = REDACTED
        elif isinstance(value, RawJson):
            size = value.size  # a file-backed FeatureSet is not read to measure it
            if size > MAX_RECORDED_JSON:
                recorded[name] = {"$omitted": f"{size} bytes of JSON"}
            else:
                text = value.text.decode("utf-8") if isinstance(value.text, bytes) else value.text
                recorded[name] = {"$rawjson": text}
        else:
            recorded[name] = value
    return recorded


def replay_inputs(recorded: dict[str, Any]) -> dict[str, Any]:
    """Recorded inputs back into values :meth:`GPClient.submit_job` sends.

    Raises ``ValueError`` naming the inputs that were not kept (secrets, huge feature
    sets): such a job cannot be submitted again from its record.
    """
    missing = [
        name
        for name, value in recorded.items()
        if isinstance(value, dict) and ("$redacted" in value or "$omitted" in value)
    ]
    if missing:
        raise ValueError(
            f"the record does not keep the value of {', '.join(missing)} (secret or too large); "
            "run the algorithm again from its dialog"
        )
    return {
        name: RawJson(value["$rawjson"])
        if isinstance(value, dict) and set(value) == {"$rawjson"}
        else value
        for name, value in recorded.items()
    }
