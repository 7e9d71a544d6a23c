"""Task descriptions kept on disk per connection, so QGIS starts with every algorithm.

The provider builds its algorithms from here without touching the network; a refresh
(in the background with a GUI, or blocking in headless tools with no cache yet) fetches
the catalog and writes it back. Writes are atomic: a crash never leaves half a file.

This module owns the file's format. A document holds the servers' raw JSON, which
is parsed again on load with ``rest``'s parsers, so a cache never goes stale when
parsing improves. The connection's URL is stored once; the URL of each service and
task is derived from it and its path, and written only where it is not that
(never for a crawled server, kept for whatever else a catalog may hold).
"""

from __future__ import annotations

import json
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from qgis.core import QgsApplication

from ..qgis_log import log_warning
from ..rest.catalog import Catalog, ServiceFailure
from ..rest.descriptions import GPService, GPTask
from ..rest.enums import ExecutionType
from ..rest.errors import ArcGisInvalidResponseError, InvalidUrlError
from ..rest.json_fields import as_list, as_mapping, as_number, as_text
from ..rest.urls import ServerUrl, join_url, parse_server_url
from .connection import Connection

#: Raised whenever the document's layout changes: a file of any other version is
#: ignored (the connection is crawled again), never read by guesswork.
#: 2: the URL once, flat (version 1 repeated it in a nested catalog and per entry).
FORMAT_VERSION = 2


class _Urls:
    """The URL each service and task of a document has unless the entry says otherwise."""

    def __init__(self, url: str) -> None:
        try:
            self.server: ServerUrl | None = parse_server_url(url)
        except InvalidUrlError:
            self.server = None  # nothing to derive from: every entry keeps its own
        self._services: dict[str, str] = {}

    @property
    def catalog(self) -> str | None:
        return self.server.url if self.server else None

    def service(self, path: str) -> str | None:
        if self.server is None:
            return None
        url = self._services.get(path)
        if url is None:
            try:
                url = self.server.with_service(path).service_url
            except InvalidUrlError:  # no service name in the path: nothing to derive
                url = ""
            self._services[path] = url
        return url or None

    def task(self, service_path: str, name: str | None) -> str | None:
        service = self.service(service_path)
        return join_url(service, name) if service and name else None

    def folder(self, path: str) -> str | None:
        return ServerUrl(self.server.services_url, path or None).folder_url if self.server else None

    def failure(self, path: str, task: str | None, *, folder: bool) -> str | None:
        """A folder's, a service's or a task's URL: what a crawl failed to read."""
        if folder:
            return self.folder(path)
        return self.task(path, task) if task else self.service(path)


def _failure_entry(failure: ServiceFailure, urls: _Urls) -> dict[str, Any]:
    """A failure's entry: a folder's is marked as such, so its URL is derived as one."""
    entry: dict[str, Any] = {"path": failure.path, "message": failure.message, "task": failure.task}
    if failure.url == urls.failure(failure.path, failure.task, folder=False):
        return entry
    if not failure.task and failure.url == urls.folder(failure.path):
        entry["folder"] = True
        return entry
    entry["url"] = failure.url
    return entry


def _with_url(entry: dict[str, Any], url: str, derived: str | None) -> dict[str, Any]:
    """``entry``, plus ``url`` only when it is not the one derived on load."""
    if url != derived:
        entry["url"] = url
    return entry


def _url_of(entry: Mapping[str, Any], derived: str | None, key: str = "url") -> str:
    """The inverse of :func:`_with_url`: the entry's own URL if it has one, else the derived."""
    return as_text(entry[key]) if key in entry else derived or ""


def catalog_document(catalog: Catalog, url: str) -> dict[str, Any]:
    """The JSON document stored for ``catalog``, crawled from ``url`` (the connection's)."""
    urls = _Urls(url)
    document: dict[str, Any] = {"version": FORMAT_VERSION, "url": url, "created": catalog.created}
    if catalog.url != urls.catalog:
        document["catalog_url"] = catalog.url
    document["services"] = [
        _with_url({"path": s.path, "json": s.raw}, s.url, urls.service(s.path))
        for s in catalog.services
    ]
    document["tasks"] = [
        _with_url(
            {
                "service": t.service_path,
                "name": t.name,
                "execution_type": t.execution_type.value,
                "json": t.raw,
            },
            t.url,
            urls.task(t.service_path, t.name),
        )
        for t in catalog.tasks
    ]
    document["failures"] = [_failure_entry(f, urls) for f in catalog.failures]
    # A portal's catalog only: a server's document has neither.
    if catalog.kind != "server":
        document["kind"] = catalog.kind
    labels = {s.path: s.label for s in catalog.services if s.label}
    if labels:
        document["labels"] = labels
    return document


def catalog_from_document(document: Any) -> Catalog:
    """The catalog a :func:`catalog_document` holds (``ArcGisInvalidResponseError`` if
    it holds none: another version, or a shape no version has)."""
    document = as_mapping(document, "a cached catalog")
    if document.get("version") != FORMAT_VERSION:
        raise ArcGisInvalidResponseError(
            f"unsupported catalog cache format {document.get('version')!r}"
        )
    urls = _Urls(as_text(document.get("url")))
    services = []
    for item in as_list(document.get("services")):
        entry = as_mapping(item, "a cached service")
        path = as_text(entry.get("path"))
        url = _url_of(entry, urls.service(path))
        services.append(GPService.from_json(entry.get("json"), url=url, path=path))
    tasks = []
    for item in as_list(document.get("tasks")):
        entry = as_mapping(item, "a cached task")
        service, name = as_text(entry.get("service")), as_text(entry.get("name")) or None
        default = ExecutionType.parse(entry.get("execution_type"), ExecutionType.SYNCHRONOUS)
        tasks.append(
            GPTask.from_json(
                entry.get("json"),
                url=_url_of(entry, urls.task(service, name)),
                service_path=service,
                name=name,
                default_execution_type=default or ExecutionType.SYNCHRONOUS,
            )
        )
    labels = document.get("labels")
    if isinstance(labels, Mapping):
        for service in services:
            service.label = as_text(labels.get(service.path))
    failures = []
    for item in as_list(document.get("failures")):
        if isinstance(item, Mapping):
            path, task = as_text(item.get("path")), as_text(item.get("task")) or None
            derived = urls.failure(path, task, folder=item.get("folder") is True)
            failures.append(
                ServiceFailure(path, _url_of(item, derived), as_text(item.get("message")), task)
            )
    return Catalog(
        url=_url_of(document, urls.catalog, "catalog_url"),
        services=services,
        tasks=tasks,
        failures=failures,
        created=as_number(document.get("created")) or 0.0,
        kind=as_text(document.get("kind")) or "server",
    )


def same_catalog(before: Catalog, after: Catalog) -> bool:
    """Whether two catalogs would be stored alike, the time of their crawl aside: what
    a refresh compares to decide whether the algorithms must be built again."""

    def content(catalog: Catalog) -> dict[str, Any]:
        document = catalog_document(catalog, catalog.url)
        document.pop("created")
        return document

    return content(before) == content(after)


def default_cache_dir() -> Path:
    """``<QGIS profile>/arcgis_gp/catalogs``."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "arcgis_gp" / "catalogs"


class CatalogCache:
    """One JSON file per connection, keyed by the connection's slug and checked by URL."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def path_for(self, connection: Connection) -> Path:
        return self.folder / f"{connection.slug}.json"

    def load(self, connection: Connection) -> Catalog | None:
        """The cached catalog, or None when there is none for this connection's URL
        (or it is of another format version: the connection is then crawled again)."""
        path = self.path_for(connection)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log_warning(f"{connection.name}: ignoring unreadable catalog cache {path}: {exc}")
            return None
        if not isinstance(document, dict):
            log_warning(f"{connection.name}: ignoring catalog cache {path}: not a JSON object")
            return None
        if document.get("version") != FORMAT_VERSION or document.get("url") != connection.url:
            return None
        try:
            return catalog_from_document(document)
        except Exception as exc:  # a cache from an older parser must never stop start-up
            log_warning(f"{connection.name}: ignoring catalog cache {path}: {exc}")
            return None

    def save(self, connection: Connection, catalog: Catalog) -> None:
        """Write atomically: a temporary file in the same folder, then rename over."""
        self.folder.mkdir(parents=True, exist_ok=True)
        document = catalog_document(catalog, connection.url)
        handle, temp_name = tempfile.mkstemp(dir=self.folder, prefix=".catalog-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out)
            os.replace(temp_name, self.path_for(connection))
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def remove(self, connection: Connection) -> None:
        self.path_for(connection).unlink(missing_ok=True)
