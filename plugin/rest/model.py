"""Typed views of GP service, task, job and result JSON, parsed tolerantly.

Real servers bend the schema: keys go missing or are ``null``, ``"Field"`` stands
for ``"GPField"``, feature inputs default to ``{}``, job ids lack their ``j``,
``paramUrl`` values carry stray spaces, numbers arrive as strings. Parsers here
accept all of that; what they cannot make sense of at all raises
:class:`ArcGisInvalidResponseError` (never ``KeyError``/``TypeError``), so one bad
task is one recorded failure, not a crash.

Every object keeps the ``raw`` dict it was built from: the catalog cache stores
raw JSON and rebuilds objects with these same parsers, so the cache never goes
stale when parsing improves.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .errors import ArcGisInvalidResponseError

# --------------------------------------------------------------------------- helpers


def _text(value: Any, default: str = "") -> str:
    """A display string from whatever the server put there (``None`` -> default)."""
    if type(value) is str:  # nearly always: checked first (thousands per cache load)
        return value
    if value is None:
        return default
    if isinstance(value, str):
        return value
    if isinstance(value, (int, float, bool)):
        return str(value)
    return default


def _number(value: Any) -> float | None:
    """A finite float from a number or numeric string, else ``None``."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        result = float(value)
    elif isinstance(value, str):
        try:
            result = float(value.strip())
        except ValueError:
            return None
    else:
        return None
    return result if math.isfinite(result) else None


def _int(value: Any) -> int | None:
    number = _number(value)
    return int(number) if number is not None else None


def _mapping(value: Any, what: str, url: str | None = None) -> Mapping[str, Any]:
    if type(value) is dict:  # the usual case, without the ABC check's cost (cache load)
        return value
    if not isinstance(value, Mapping):
        raise ArcGisInvalidResponseError(
            f"expected a JSON object for {what}, got {type(value).__name__}", url=url
        )
    return value


def _is_mapping(value: Any) -> bool:
    """``isinstance(value, Mapping)``, with the common JSON cases decided without the ABC."""
    if isinstance(value, dict):
        return True
    if value is None or isinstance(value, (str, int, float, list)):
        return False
    return isinstance(value, Mapping)


def _list(value: Any) -> list[Any]:
    """Lists stay lists; ``None`` or anything else becomes ``[]``."""
    return list(value) if isinstance(value, (list, tuple)) else []


#: (enum class, prefix) -> {accepted spelling in lower case: member}, built on first use.
_MATCH_KEYS: dict[tuple[type[enum.Enum], str], dict[str, Any]] = {}


def _match_keys(enum_cls: type[enum.Enum], prefix: str) -> dict[str, Any]:
    """Every spelling :func:`_match` accepts for ``enum_cls``, the first member winning."""
    keys: dict[str, Any] = {}
    for member in enum_cls:
        full = str(member.value).lower()
        keys.setdefault(full, member)
        if full.startswith(prefix):
            keys.setdefault(full[len(prefix) :], member)
    _MATCH_KEYS[(enum_cls, prefix)] = keys
    return keys


def _match(enum_cls: type[enum.Enum], value: Any, prefix: str, default: Any) -> Any:
    """Match ``esri<Prefix>Name``, ``Name`` or ``name`` against an enum's values.

    One dict look-up: the catalog cache parses thousands of these at QGIS start-up,
    and walking the enum members each time was a quarter of the provider's load.
    """
    if not isinstance(value, str):
        return default
    keys = _MATCH_KEYS.get((enum_cls, prefix)) or _match_keys(enum_cls, prefix)
    return keys.get(value.strip().lower(), default)


# --------------------------------------------------------------------------- enums

_DIRECTION_PREFIX = "esrigpparameterdirection"
_TYPE_PREFIX = "esrigpparametertype"


class Direction(enum.Enum):
    """Parameter direction."""

    INPUT = "esriGPParameterDirectionInput"
    OUTPUT = "esriGPParameterDirectionOutput"

    @classmethod
    def parse(cls, value: Any) -> Direction:
        """Unknown or missing: input (a server that omits it means an input)."""
        return _match(cls, value, _DIRECTION_PREFIX, cls.INPUT)


class ParameterType(enum.Enum):
    """Whether a parameter must be given."""

    REQUIRED = "esriGPParameterTypeRequired"
    OPTIONAL = "esriGPParameterTypeOptional"
    DERIVED = "esriGPParameterTypeDerived"

    @classmethod
    def parse(cls, value: Any) -> ParameterType:
        """Unknown or missing: optional, so a form never blocks on a guess."""
        return _match(cls, value, _TYPE_PREFIX, cls.OPTIONAL)


class ExecutionType(enum.Enum):
    """How a task runs: ``execute`` (synchronous) or ``submitJob`` (asynchronous)."""

    SYNCHRONOUS = "esriExecutionTypeSynchronous"
    ASYNCHRONOUS = "esriExecutionTypeAsynchronous"

    @classmethod
    def parse(cls, value: Any, default: ExecutionType | None = None) -> ExecutionType | None:
        """``default`` when the server did not say."""
        return _match(cls, value, "esriexecutiontype", default)


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
        return _match(cls, value, "esrijobmessagetype", cls.UNKNOWN)


# --------------------------------------------------------------------------- tasks

#: Spellings some servers use for a GP data type, mapped to the documented name.
DATA_TYPE_ALIASES = {"Field": "GPField"}


@dataclass
class GPParameter:
    """One parameter of a task description."""

    name: str
    data_type: str
    display_name: str = ""
    description: str = ""
    direction: Direction = Direction.INPUT
    #: As sent, except that an empty object ``{}`` (feature inputs) becomes ``None``.
    default_value: Any = None
    parameter_type: ParameterType = ParameterType.OPTIONAL
    category: str = ""
    choice_list: list[Any] = field(default_factory=list)
    filter: dict[str, Any] | None = None
    dependency: str | None = None
    parameter_infos: list[GPParameter] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(
        cls, data: Any, *, url: str | None = None, require_name: bool = True
    ) -> GPParameter:
        """Parse a ``parameters[]`` (or ``parameterInfos[]``) entry."""
        data = _mapping(data, "a task parameter", url)
        get = data.get  # one attribute look-up: this runs ~5 times per cached task at start-up
        name = _text(get("name")).strip() if require_name else _text(get("name"))
        if require_name and not name:
            raise ArcGisInvalidResponseError("a task parameter has no name", url=url)
        default = get("defaultValue")
        if not default and _is_mapping(default):
            default = None
        filter_ = get("filter")
        dependency = get("dependency")
        infos = get("parameterInfos")
        return cls(
            name=name,
            data_type=_text(get("dataType"), "GPString").strip() or "GPString",
            display_name=_text(get("displayName")) or name,
            description=_text(get("description")),
            direction=_match(Direction, get("direction"), _DIRECTION_PREFIX, Direction.INPUT),
            default_value=default,
            parameter_type=_match(
                ParameterType, get("parameterType"), _TYPE_PREFIX, ParameterType.OPTIONAL
            ),
            category=_text(get("category")),
            choice_list=_list(get("choiceList")),
            filter=dict(filter_) if _is_mapping(filter_) else None,
            dependency=(_text(dependency).strip() or None) if dependency is not None else None,
            parameter_infos=[
                cls.from_json(info, url=url, require_name=False)
                for info in _list(infos)
                if _is_mapping(info)
            ]
            if infos
            else [],
            raw=dict(data),
        )

    @property
    def is_input(self) -> bool:
        """Sent by the client."""
        return self.direction is Direction.INPUT

    @property
    def is_output(self) -> bool:
        """Produced by the task (Derived and Required outputs alike)."""
        return self.direction is Direction.OUTPUT

    @property
    def is_required(self) -> bool:
        """An input the task cannot run without."""
        return self.is_input and self.parameter_type is ParameterType.REQUIRED

    @property
    def base_type(self) -> str:
        """``GPMultiValue`` for ``GPMultiValue:GPString``; aliases normalised (Field -> GPField)."""
        base = self.data_type.split(":", 1)[0].strip()
        return DATA_TYPE_ALIASES.get(base, base)

    @property
    def item_type(self) -> str | None:
        """``GPString`` for ``GPMultiValue:GPString``, else ``None``."""
        if ":" not in self.data_type:
            return None
        item = self.data_type.split(":", 1)[1].strip()
        return DATA_TYPE_ALIASES.get(item, item) or None


@dataclass
class GPTask:
    """A task description (``.../GPServer/<task>?f=json``)."""

    name: str
    url: str
    service_path: str
    display_name: str = ""
    description: str = ""
    category: str = ""
    help_url: str = ""
    execution_type: ExecutionType = ExecutionType.SYNCHRONOUS
    parameters: list[GPParameter] = field(default_factory=list)
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)

    @classmethod
    def from_json(
        cls,
        data: Any,
        *,
        url: str,
        service_path: str,
        name: str | None = None,
        default_execution_type: ExecutionType = ExecutionType.SYNCHRONOUS,
    ) -> GPTask:
        """Parse a task description; ``name`` (from the URL) fills a missing ``name``."""
        data = _mapping(data, "a task description", url)
        task_name = _text(data.get("name")).strip() or (name or "")
        if not task_name:
            raise ArcGisInvalidResponseError("the task description has no name", url=url)
        raw_parameters = data.get("parameters")
        if raw_parameters is not None and not isinstance(raw_parameters, (list, tuple)):
            raise ArcGisInvalidResponseError("'parameters' is not a list", url=url)
        parameters = [GPParameter.from_json(p, url=url) for p in raw_parameters or []]
        return cls(
            name=task_name,
            url=url,
            service_path=service_path,
            display_name=_text(data.get("displayName")).strip() or task_name,
            description=_text(data.get("description")),
            category=_text(data.get("category")),
            help_url=_text(data.get("helpUrl")),
            execution_type=ExecutionType.parse(data.get("executionType"), default_execution_type)
            or default_execution_type,
            parameters=parameters,
            raw=dict(data),
        )

    @property
    def inputs(self) -> list[GPParameter]:
        """Parameters the client sends, in server order."""
        return [p for p in self.parameters if p.is_input]

    @property
    def outputs(self) -> list[GPParameter]:
        """Parameters the task produces, in server order."""
        return [p for p in self.parameters if p.is_output]

    @property
    def is_async(self) -> bool:
        """Runs through ``submitJob`` rather than ``execute``."""
        return self.execution_type is ExecutionType.ASYNCHRONOUS

    def parameter(self, name: str) -> GPParameter:
        """The parameter called ``name`` (``KeyError`` if there is none)."""
        for parameter in self.parameters:
            if parameter.name == name:
                return parameter
        raise KeyError(name)


# --------------------------------------------------------------------------- services


@dataclass
class GPService:
    """A GP service description (``.../GPServer?f=json``)."""

    path: str
    url: str
    description: str = ""
    execution_type: ExecutionType = ExecutionType.SYNCHRONOUS
    task_names: list[str] = field(default_factory=list)
    result_map_server_name: str = ""
    maximum_records: int | None = None
    capabilities: set[str] = field(default_factory=set)
    current_version: float | None = None
    raw: dict[str, Any] = field(default_factory=dict, repr=False, compare=False)
    #: The group a portal lists it under (an item's title, a helper's name); "" on servers.
    label: str = field(default="", compare=False)

    @classmethod
    def from_json(cls, data: Any, *, url: str, path: str) -> GPService:
        """Parse a GPServer description; ``tasks`` may be names or ``{name}`` objects."""
        data = _mapping(data, "a GP service description", url)
        tasks: list[str] = []
        for task in _list(data.get("tasks")):
            name = _text(task.get("name") if isinstance(task, Mapping) else task).strip()
            if name and name not in tasks:
                tasks.append(name)
        capabilities = data.get("capabilities")
        if isinstance(capabilities, (list, tuple)):
            items = [_text(c) for c in capabilities]
        else:
            items = _text(capabilities).split(",")
        return cls(
            path=path,
            url=url,
            description=_text(data.get("serviceDescription")) or _text(data.get("description")),
            execution_type=ExecutionType.parse(data.get("executionType"), ExecutionType.SYNCHRONOUS)
            or ExecutionType.SYNCHRONOUS,
            task_names=tasks,
            result_map_server_name=_text(data.get("resultMapServerName")).strip(),
            maximum_records=_int(data.get("maximumRecords")),
            capabilities={c.strip() for c in items if c.strip()},
            current_version=_number(data.get("currentVersion")),
            raw=dict(data),
        )

    @property
    def supports_uploads(self) -> bool:
        """The service has the ``uploads`` endpoint (capability ``Uploads``)."""
        return any(c.lower() == "uploads" for c in self.capabilities)

    @property
    def is_async(self) -> bool:
        """Its tasks run through ``submitJob``."""
        return self.execution_type is ExecutionType.ASYNCHRONOUS


# --------------------------------------------------------------------------- jobs


@dataclass(frozen=True)
class GPMessage:
    """One GP message."""

    type: MessageType
    description: str

    @classmethod
    def from_json(cls, data: Any) -> GPMessage:
        """Non-object entries become an unknown message holding their text."""
        if not isinstance(data, Mapping):
            return cls(MessageType.UNKNOWN, _text(data))
        return cls(MessageType.parse(data.get("type")), _text(data.get("description")))

    @property
    def is_error(self) -> bool:
        """Error or abort messages: what a failed job's error says."""
        return self.type in (MessageType.ERROR, MessageType.ABORT)


def parse_messages(value: Any) -> list[GPMessage]:
    """A ``messages`` array (missing or ``null`` -> empty)."""
    return [GPMessage.from_json(item) for item in _list(value)]


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
        percent = _number(data.get("percent"))
        if percent is not None:
            percent = min(max(percent, 0.0), 100.0)
        return cls(percent, _text(data.get("message")), _text(data.get("type"), "default"))


def _param_urls(value: Any) -> dict[str, str]:
    """``{"name": {"paramUrl": " inputs/name"}}`` -> ``{"name": "inputs/name"}``."""
    result: dict[str, str] = {}
    if not isinstance(value, Mapping):
        return result
    for name, entry in value.items():
        url = entry.get("paramUrl") if isinstance(entry, Mapping) else entry
        url = _text(url).strip()
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
        data = _mapping(data, "a job status", url)
        identifier = _text(data.get("jobId")).strip() or (job_id or "")
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
        return _text(self.raw.get("jobStatus"), self.status.value)

    @property
    def error_messages(self) -> list[GPMessage]:
        """Error and abort messages."""
        return [m for m in self.messages if m.is_error]


# --------------------------------------------------------------------------- results


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
        data = _mapping(data, "a GP result", url)
        param_name = _text(data.get("paramName")) or (name or "")
        if not param_name:
            raise ArcGisInvalidResponseError("the result holds no paramName", url=url)
        return cls(
            param_name=param_name,
            data_type=_text(data.get("dataType")),
            value=data.get("value"),
            raw=dict(data),
        )

    @property
    def base_type(self) -> str:
        """Data type without the ``:item`` part, aliases normalised."""
        base = self.data_type.split(":", 1)[0].strip()
        return DATA_TYPE_ALIASES.get(base, base)


def server_words(data: Mapping[str, Any]) -> list[str]:
    """What an answer that is neither data nor a recognised error still says: its
    messages and any status, so the user reads the server's own words."""
    words = [m.description for m in parse_messages(data.get("messages")) if m.description]
    for key in ("jobStatus", "status", "message", "description"):
        text = _text(data.get(key)).strip()
        if text:
            words.append(f"{key}: {text}")
    return words


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
        data = _mapping(data, "an execute answer", url)
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


# --------------------------------------------------------------------------- catalog

CATALOG_FORMAT = 1


@dataclass(frozen=True)
class ServiceFailure:
    """A folder, service or task the crawl could not read (recorded, never fatal)."""

    path: str
    url: str
    message: str
    task: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready."""
        return {"path": self.path, "url": self.url, "message": self.message, "task": self.task}

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> ServiceFailure:
        """Inverse of :meth:`to_dict`."""
        return cls(
            _text(data.get("path")),
            _text(data.get("url")),
            _text(data.get("message")),
            _text(data.get("task")) or None,
        )


@dataclass
class Catalog:
    """Every GP service and task under a URL, plus what could not be read.

    ``to_dict`` keeps the servers' raw JSON, and ``from_dict`` re-parses it, so an
    on-disk cache survives parser improvements.
    """

    url: str = ""
    services: list[GPService] = field(default_factory=list)
    tasks: list[GPTask] = field(default_factory=list)
    failures: list[ServiceFailure] = field(default_factory=list)
    #: When the crawl finished (seconds since the epoch); 0 when unknown.
    created: float = 0.0
    #: What the connection's URL turned out to be when asked: ``"server"`` or ``"portal"``.
    kind: str = "server"

    def service(self, path: str) -> GPService:
        """The service at ``Folder/Service`` (``KeyError`` if absent)."""
        for service in self.services:
            if service.path == path:
                return service
        raise KeyError(path)

    def tasks_of(self, service_path: str) -> list[GPTask]:
        """The tasks of one service, in the service's order."""
        return [task for task in self.tasks if task.service_path == service_path]

    def task(self, service_path: str, name: str) -> GPTask:
        """One task (``KeyError`` if absent)."""
        for task in self.tasks:
            if task.service_path == service_path and task.name == name:
                return task
        raise KeyError(f"{service_path}/{name}")

    def to_dict(self) -> dict[str, Any]:
        """JSON-serialisable form holding the raw server JSON."""
        return {
            "format": CATALOG_FORMAT,
            "url": self.url,
            "created": self.created,
            "services": [{"path": s.path, "url": s.url, "json": s.raw} for s in self.services],
            "tasks": [
                {
                    "service_path": t.service_path,
                    "name": t.name,
                    "url": t.url,
                    "execution_type": t.execution_type.value,
                    "json": t.raw,
                }
                for t in self.tasks
            ],
            "failures": [f.to_dict() for f in self.failures],
            # A portal's catalog only: server caches stay as they were.
            **({"kind": self.kind} if self.kind != "server" else {}),
            **({"labels": labels} if (labels := self._labels()) else {}),
        }

    def _labels(self) -> dict[str, str]:
        return {s.path: s.label for s in self.services if s.label}

    @classmethod
    def from_dict(cls, data: Any) -> Catalog:
        """Rebuild from :meth:`to_dict` output (raises ``ArcGisInvalidResponseError``)."""
        data = _mapping(data, "a cached catalog")
        if data.get("format") != CATALOG_FORMAT:
            raise ArcGisInvalidResponseError(
                f"unsupported catalog cache format {data.get('format')!r}"
            )
        services = [
            GPService.from_json(
                _mapping(item, "a cached service").get("json"),
                url=_text(item.get("url")),
                path=_text(item.get("path")),
            )
            for item in _list(data.get("services"))
        ]
        tasks = []
        for entry in _list(data.get("tasks")):
            item = _mapping(entry, "a cached task")
            default = ExecutionType.parse(item.get("execution_type"), ExecutionType.SYNCHRONOUS)
            tasks.append(
                GPTask.from_json(
                    item.get("json"),
                    url=_text(item.get("url")),
                    service_path=_text(item.get("service_path")),
                    name=_text(item.get("name")) or None,
                    default_execution_type=default or ExecutionType.SYNCHRONOUS,
                )
            )
        failures = [
            ServiceFailure.from_dict(item)
            for item in _list(data.get("failures"))
            if isinstance(item, Mapping)
        ]
        labels = data.get("labels")
        if isinstance(labels, Mapping):
            for service in services:
                service.label = _text(labels.get(service.path))
        return cls(
            url=_text(data.get("url")),
            services=services,
            tasks=tasks,
            failures=failures,
            created=_number(data.get("created")) or 0.0,
            kind=_text(data.get("kind")) or "server",
        )
