"""What a server says its GP services, tasks and task parameters are.

Typed views of a GPServer description (``.../GPServer?f=json``), a task description
(``.../GPServer/<task>?f=json``) and each of its parameters, parsed tolerantly
(:mod:`.json_fields`): ``"Field"`` stands for ``"GPField"``, feature inputs default to
``{}``, keys go missing. What cannot be read at all raises
:class:`ArcGisInvalidResponseError`, so one bad task is one recorded failure.

Every object keeps the ``raw`` dict it was built from: the catalog cache stores raw
JSON and rebuilds objects with these same parsers, so the cache never goes stale
when parsing improves.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from .data_types import base_data_type, item_data_type
from .enums import Direction, ExecutionType, ParameterType
from .errors import ArcGisInvalidResponseError
from .json_fields import as_int, as_list, as_mapping, as_number, as_text, is_mapping


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
        data = as_mapping(data, "a task parameter", url)
        get = data.get  # one attribute look-up: this runs ~5 times per cached task at start-up
        name = as_text(get("name")).strip() if require_name else as_text(get("name"))
        if require_name and not name:
            raise ArcGisInvalidResponseError("a task parameter has no name", url=url)
        default = get("defaultValue")
        if not default and is_mapping(default):
            default = None
        filter_ = get("filter")
        dependency = get("dependency")
        infos = get("parameterInfos")
        return cls(
            name=name,
            data_type=as_text(get("dataType"), "GPString").strip() or "GPString",
            display_name=as_text(get("displayName")) or name,
            description=as_text(get("description")),
            direction=Direction.parse(get("direction")),
            default_value=default,
            parameter_type=ParameterType.parse(get("parameterType")),
            category=as_text(get("category")),
            choice_list=as_list(get("choiceList")),
            filter=dict(filter_) if is_mapping(filter_) else None,
            dependency=(as_text(dependency).strip() or None) if dependency is not None else None,
            parameter_infos=[
                cls.from_json(info, url=url, require_name=False)
                for info in as_list(infos)
                if is_mapping(info)
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
        return base_data_type(self.data_type)

    @property
    def item_type(self) -> str | None:
        """``GPString`` for ``GPMultiValue:GPString``, else ``None``."""
        return item_data_type(self.data_type)


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
        data = as_mapping(data, "a task description", url)
        task_name = as_text(data.get("name")).strip() or (name or "")
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
            display_name=as_text(data.get("displayName")).strip() or task_name,
            description=as_text(data.get("description")),
            category=as_text(data.get("category")),
            help_url=as_text(data.get("helpUrl")),
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
        data = as_mapping(data, "a GP service description", url)
        tasks: list[str] = []
        for task in as_list(data.get("tasks")):
            name = as_text(task.get("name") if isinstance(task, Mapping) else task).strip()
            if name and name not in tasks:
                tasks.append(name)
        capabilities = data.get("capabilities")
        if isinstance(capabilities, (list, tuple)):
            items = [as_text(c) for c in capabilities]
        else:
            items = as_text(capabilities).split(",")
        return cls(
            path=path,
            url=url,
            description=as_text(data.get("serviceDescription")) or as_text(data.get("description")),
            execution_type=ExecutionType.parse(data.get("executionType"), ExecutionType.SYNCHRONOUS)
            or ExecutionType.SYNCHRONOUS,
            task_names=tasks,
            result_map_server_name=as_text(data.get("resultMapServerName")).strip(),
            maximum_records=as_int(data.get("maximumRecords")),
            capabilities={c.strip() for c in items if c.strip()},
            current_version=as_number(data.get("currentVersion")),
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
