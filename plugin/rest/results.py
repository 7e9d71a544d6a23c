"""What a task produced: one output's value, or a synchronous ``execute`` answer.

``GPResult`` is ``{paramName, dataType, value}`` (``jobs/<id>/results/<name>`` or
one entry of an ``execute`` answer's ``results``); :func:`execute_result` is the one
check of an ``execute`` answer, whether parsed whole or indexed from a file.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .answers import error_from_json
from .data_types import base_data_type
from .errors import ArcGisInvalidResponseError
from .job_info import GPMessage, parse_messages, server_words
from .json_fields import as_mapping, as_text


@dataclass
class GPResult:
    """One output (or echoed input) value: ``{paramName, dataType, value}``."""

    param_name: str
    data_type: str
    value: Any
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, url: str | None = None, name: str | None = None) -> GPResult:
        """Parse; ``name`` stands in for a missing ``paramName``."""
        data = as_mapping(data, "a GP result", url)
        param_name = as_text(data.get("paramName")) or (name or "")
        if not param_name:
            raise ArcGisInvalidResponseError("the result holds no paramName", url=url)
        return cls(
            param_name=param_name,
            data_type=as_text(data.get("dataType")),
            value=data.get("value"),
            raw=dict(data),
        )

    @property
    def base_type(self) -> str:
        """Data type without the ``:item`` part, aliases normalised."""
        return base_data_type(self.data_type)


def check_execute_answer(data: Mapping[str, Any], url: str | None = None) -> None:
    """Refuse an ``execute`` answer without ``results`` (and without an error).

    Such an answer must fail the run: read as "no outputs", it would report success
    with every output missing. The answer's own messages go into the error.
    """
    if "results" not in data:
        raise ArcGisInvalidResponseError(
            "the execute answer holds neither results nor an error",
            details=server_words(data),
            url=url,
        )


@dataclass
class ExecuteResult:
    """The answer of a synchronous ``execute``."""

    results: dict[str, GPResult] = field(default_factory=dict)
    messages: list[GPMessage] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(cls, data: Any, *, url: str | None = None) -> ExecuteResult:
        """Parse ``{results: [...], messages: [...]}``."""
        data = as_mapping(data, "an execute answer", url)
        check_execute_answer(data, url)
        raw_results = data.get("results")
        if raw_results is not None and not isinstance(raw_results, (list, tuple)):
            raise ArcGisInvalidResponseError("'results' is not a list", url=url)
        results: dict[str, GPResult] = {}
        for item in raw_results or []:
            result = GPResult.from_json(item, url=url)
            results[result.param_name] = result
        return cls(results, parse_messages(data.get("messages")), dict(data))

    def value(self, name: str, default: Any = None) -> Any:
        """The value of output ``name``, or ``default``."""
        result = self.results.get(name)
        return default if result is None else result.value


def execute_result(data: Any, url: str | None) -> ExecuteResult:
    """The one check of an ``execute`` answer, whether parsed whole or indexed from a
    file: an error it carries is raised, else its results and messages are read."""
    error = error_from_json(data, url)
    if error is not None:
        raise error
    return ExecuteResult.from_json(data, url=url)
