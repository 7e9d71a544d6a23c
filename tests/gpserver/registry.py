"""The catalog of services and tasks, loaded from ``services.yaml``.

Tasks are declared once (top-level ``tasks:``) and listed by name in each service, so the
same task runs synchronously on one service and asynchronously on another with one
definition. Parameters are written in the YAML with the Esri JSON keys of a task
description (short forms ``Input``/``Output`` and ``Required``/``Optional``/``Derived`` are
expanded), so what a client reads is what the YAML says.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

DEFAULT_SERVICES_YAML = Path(__file__).resolve().parent / "services.yaml"

SYNC = "esriExecutionTypeSynchronous"
ASYNC = "esriExecutionTypeAsynchronous"
INPUT = "esriGPParameterDirectionInput"
OUTPUT = "esriGPParameterDirectionOutput"

_DIRECTIONS = {"input": INPUT, "output": OUTPUT}
_PARAMETER_TYPES = {
    "required": "esriGPParameterTypeRequired",
    "optional": "esriGPParameterTypeOptional",
    "derived": "esriGPParameterTypeDerived",
}
_EXECUTION_TYPES = {"synchronous": SYNC, "asynchronous": ASYNC, "sync": SYNC, "async": ASYNC}
# Key order of a parameter in a real task description; optional keys only when declared.
_PARAMETER_KEYS = (
    "name",
    "dataType",
    "displayName",
    "description",
    "direction",
    "defaultValue",
    "parameterType",
    "category",
    "choiceList",
    "filter",
    "dependency",
    "parameterInfos",
)


class RegistryError(ValueError):
    """services.yaml is inconsistent (unknown task, duplicate service ...)."""


@dataclass
class Parameter:
    """One GP parameter; ``description`` is the normalised Esri JSON of it."""

    description: dict[str, Any]

    @property
    def name(self) -> str:
        return self.description["name"]

    @property
    def data_type(self) -> str:
        return self.description["dataType"]

    @property
    def is_input(self) -> bool:
        return self.description["direction"] == INPUT

    @property
    def is_required(self) -> bool:
        return self.description["parameterType"] == "esriGPParameterTypeRequired"

    @property
    def default(self) -> Any:
        return copy.deepcopy(self.description.get("defaultValue"))


@dataclass
class Task:
    """A GP task: its description and the name of the Python function that runs it."""

    name: str
    implementation: str
    display_name: str
    description: str
    category: str
    parameters: list[Parameter]
    result_urls: str = "absolute"  # "relative": file URLs relative to the server context

    @property
    def inputs(self) -> list[Parameter]:
        return [p for p in self.parameters if p.is_input]

    @property
    def outputs(self) -> list[Parameter]:
        return [p for p in self.parameters if not p.is_input]

    def parameter(self, name: str) -> Parameter | None:
        return next((p for p in self.parameters if p.name == name), None)


@dataclass
class Service:
    """A service in the directory: a GP service, or a static MapServer/FeatureServer."""

    path: str  # "Folder/Name" or "Name"
    type: str  # GPServer | MapServer | FeatureServer
    description: str = ""
    execution_type: str = SYNC
    maximum_records: int = 1000
    capabilities: str = ""
    result_map_server_name: str = ""
    tasks: dict[str, Task] = field(default_factory=dict)
    secured: bool = False
    job_id_prefix: str = "j"
    transfer_limit_mode: str = "truncate"  # or "empty": features [] as some servers do
    dataset: str | None = None  # static data of a MapServer/FeatureServer entry
    #: The service's own ``currentVersion`` (``None``: the server's). A 10.4 service
    #: knows only ``env:outSR``/``env:processSR``; ``context`` came at 10.6.1.
    current_version: float | None = None

    @property
    def folder(self) -> str:
        return self.path.rpartition("/")[0]

    @property
    def name(self) -> str:
        return self.path.rpartition("/")[2]

    @property
    def is_async(self) -> bool:
        return self.execution_type == ASYNC

    @property
    def supports_uploads(self) -> bool:
        return "uploads" in self.capabilities.lower().split(",")

    @property
    def jobs_dir_name(self) -> str:
        """``elevation/viewshed_gpserver``: the arcgisjobs folder ArcGIS uses for it."""
        return f"{self.path.lower()}_gpserver"

    @property
    def result_map_path(self) -> str:
        """Directory path of the result map service, ``""`` when there is none."""
        if not self.result_map_server_name:
            return ""
        return f"{self.folder}/{self.result_map_server_name}".lstrip("/")

    def task(self, name: str) -> Task | None:
        """Task by name, case-insensitively (ArcGIS URLs are)."""
        if name in self.tasks:
            return self.tasks[name]
        lowered = name.lower()
        return next((t for n, t in self.tasks.items() if n.lower() == lowered), None)


@dataclass
class Registry:
    current_version: float
    full_version: str
    users: dict[str, str]
    services: list[Service]

    def version_of(self, service: Service) -> float:
        """The ``currentVersion`` a service reports: its own, else the server's."""
        return service.current_version or self.current_version

    def find(self, path: str, service_type: str) -> Service | None:
        """A service by directory path and type, case-insensitively."""
        key = (path.strip("/").lower(), service_type.lower())
        for service in self.services:
            if (service.path.lower(), service.type.lower()) == key:
                return service
        return None

    def result_map_owner(self, path: str) -> Service | None:
        """The GP service whose result map service lives at ``path`` (MapServer)."""
        lowered = path.strip("/").lower()
        for service in self.services:
            if service.type == "GPServer" and service.result_map_path.lower() == lowered:
                return service
        return None

    def folders(self) -> list[str]:
        return sorted({s.folder for s in self.services if s.folder})

    def has_folder(self, folder: str) -> bool:
        return folder.lower() in (f.lower() for f in self.folders())

    def folder_is_secured(self, folder: str) -> bool:
        """A folder whose every service needs a token: ArcGIS secures it as a whole, so an
        anonymous listing of it answers 499 (the root still names the folder)."""
        services = [s for s in self.services if s.folder.lower() == folder.lower()]
        return bool(services) and all(s.secured for s in services)

    def folder_name(self, folder: str) -> str:
        """The folder as declared (case from the YAML)."""
        return next(f for f in self.folders() if f.lower() == folder.lower())

    def directory_entries(self, folder: str) -> list[dict[str, str]]:
        """``services`` of a folder listing, result map services included as MapServer."""
        entries: list[dict[str, str]] = []
        for service in self.services:
            if service.folder.lower() == folder.lower():
                entries.append({"name": service.path, "type": service.type})
                if service.result_map_path:
                    entries.append({"name": service.result_map_path, "type": "MapServer"})
        return sorted(entries, key=lambda e: (e["name"].lower(), e["type"]))

    def entry_is_secured(self, entry: dict[str, str]) -> bool:
        service = self.find(entry["name"], entry["type"]) or self.result_map_owner(entry["name"])
        return bool(service and service.secured)


def _normalise_parameter(raw: dict[str, Any]) -> dict[str, Any]:
    if "name" not in raw or "dataType" not in raw:
        raise RegistryError(f"parameter needs name and dataType: {raw!r}")
    spec = dict(raw)
    direction = str(spec.get("direction", "Input"))
    spec["direction"] = _DIRECTIONS.get(direction.lower(), direction)
    is_output = spec["direction"] == OUTPUT
    default_type = "Derived" if is_output else "Required"
    parameter_type = str(spec.get("parameterType", default_type))
    spec["parameterType"] = _PARAMETER_TYPES.get(parameter_type.lower(), parameter_type)
    spec.setdefault("displayName", spec["name"].replace("_", " "))
    spec.setdefault("description", "")
    spec.setdefault("category", "")
    spec.setdefault("defaultValue", None)  # real servers always send the key (null)
    if "parameterInfos" in spec:
        spec["parameterInfos"] = [_normalise_info(i) for i in spec["parameterInfos"]]
    ordered = {k: spec[k] for k in _PARAMETER_KEYS if k in spec}
    unknown = set(spec) - set(_PARAMETER_KEYS)
    if unknown:
        raise RegistryError(f"unknown keys {sorted(unknown)} in parameter {spec['name']!r}")
    return ordered


def _normalise_info(raw: dict[str, Any]) -> dict[str, Any]:
    info = dict(raw)
    info.setdefault("displayName", info.get("name", ""))
    return info


def _load_task(name: str, raw: dict[str, Any]) -> Task:
    parameters = [Parameter(_normalise_parameter(p)) for p in raw.get("parameters", [])]
    names = [p.name for p in parameters]
    if len(set(names)) != len(names):
        raise RegistryError(f"duplicate parameter names in task {name!r}")
    return Task(
        name=name,
        implementation=raw["implementation"],
        display_name=raw.get("displayName", name),
        description=raw.get("description", ""),
        category=raw.get("category", ""),
        parameters=parameters,
        result_urls=raw.get("resultUrls", "absolute"),
    )


def _version(value: Any) -> float | None:
    """A ``currentVersion`` as ArcGIS writes it (10.4, 10.61, 11.1), ``None`` when absent."""
    if value is None:
        return None
    try:
        return float(value)
    except (TypeError, ValueError):
        raise RegistryError(f"currentVersion must be a number like 10.61: {value!r}") from None


def _load_service(raw: dict[str, Any], tasks: dict[str, Task]) -> Service:
    service_type = raw.get("type", "GPServer")
    execution = str(raw.get("executionType", "Synchronous"))
    service = Service(
        path=raw["path"].strip("/"),
        type=service_type,
        description=raw.get("serviceDescription", ""),
        execution_type=_EXECUTION_TYPES.get(execution.lower(), execution),
        maximum_records=int(raw.get("maximumRecords", 1000)),
        capabilities=raw.get("capabilities", ""),
        result_map_server_name=raw.get("resultMapServerName", ""),
        secured=bool(raw.get("secured", False)),
        job_id_prefix=str(raw.get("jobIdPrefix", "j")),
        transfer_limit_mode=raw.get("transferLimitMode", "truncate"),
        dataset=raw.get("dataset"),
        current_version=_version(raw.get("currentVersion")),
    )
    if service.transfer_limit_mode not in ("truncate", "empty"):
        raise RegistryError(f"{service.path}: transferLimitMode is truncate or empty")
    for task_name in raw.get("tasks", []):
        if task_name not in tasks:
            raise RegistryError(f"{service.path}: unknown task {task_name!r}")
        service.tasks[task_name] = tasks[task_name]
    return service


def load_registry(path: str | Path | None = None) -> Registry:
    """Read services.yaml (the bundled one by default)."""
    with open(path or DEFAULT_SERVICES_YAML, encoding="utf-8") as handle:
        data = yaml.safe_load(handle)
    tasks = {name: _load_task(name, raw) for name, raw in (data.get("tasks") or {}).items()}
    services = [_load_service(raw, tasks) for raw in data.get("services", [])]
    seen: set[tuple[str, str]] = set()
    for service in services:
        key = (service.path.lower(), service.type.lower())
        if key in seen:
            raise RegistryError(f"duplicate service {service.path} {service.type}")
        seen.add(key)
    server = data.get("server") or {}
    return Registry(
        current_version=server.get("currentVersion", 11.1),
        full_version=str(server.get("fullVersion", "11.1.0")),
        users={str(k): str(v) for k, v in (data.get("users") or {}).items()},
        services=services,
    )
