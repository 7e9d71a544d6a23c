"""What a catalog is, and how a server (or a folder, a service, one task) is crawled into one.

The crawl runs over one bounded thread pool: folder listings level by level, then
GP service descriptions, each service's task descriptions queued as soon as the
service is read (no wave waits for the slowest service of the previous one).
Services of other types (MapServer, FeatureServer ...) are skipped. A folder,
service or task that cannot be read becomes a :class:`ServiceFailure` and the
crawl goes on: one broken service on a big server must not hide the hundred good
ones. Only a start URL that cannot be read at all is fatal (there is nothing to
show, and a caller keeps its old cache).
"""

from __future__ import annotations

import logging
import threading
import time
from collections.abc import Callable, Iterable, Mapping
from concurrent.futures import Future, ThreadPoolExecutor, as_completed
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar

from .descriptions import GPService, GPTask
from .errors import ArcGisError, InvalidUrlError
from .urls import ServerUrl

if TYPE_CHECKING:
    from .client import GPClient

LOG = logging.getLogger(__name__)
T = TypeVar("T")
R = TypeVar("R")
#: Nested folders do not exist on ArcGIS Server; a bound keeps odd servers finite.
MAX_FOLDER_DEPTH = 3

ProgressCallback = Callable[[int, int, str], None]


@dataclass(frozen=True)
class ServiceFailure:
    """A folder, service or task the crawl could not read (recorded, never fatal)."""

    path: str
    url: str
    message: str
    task: str | None = None


@dataclass
class Catalog:
    """Every GP service and task under a URL, plus what could not be read.

    The on-disk form (the servers' raw JSON, re-parsed on load) belongs to the
    catalog cache (``connections/catalog_cache.py``).
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


class _Progress:
    """Counts finished steps against the steps known so far (the total grows)."""

    def __init__(self, callback: ProgressCallback | None) -> None:
        self.callback = callback
        self.done = 0
        self.total = 0
        self._lock = threading.Lock()

    def add(self, count: int) -> None:
        with self._lock:
            self.total += count

    def step(self, label: str) -> None:
        with self._lock:
            self.done += 1
            done, total = self.done, self.total
        if self.callback:
            self.callback(done, total, label)


def _describe(error: BaseException) -> str:
    if isinstance(error, ArcGisError):
        return str(error)
    return f"{type(error).__name__}: {error}"


def _run_all(
    pool: ThreadPoolExecutor,
    items: Iterable[T],
    work: Callable[[T], R],
    on_error: Callable[[T, BaseException], None],
) -> list[tuple[T, R]]:
    """Run ``work`` on every item concurrently; results in item order, errors reported."""
    items = list(items)
    futures = [pool.submit(work, item) for item in items]
    results: list[tuple[T, R]] = []
    for item, future in zip(items, futures):
        try:
            results.append((item, future.result()))
        except Exception as error:  # one broken item never ends the crawl
            if not isinstance(error, ArcGisError):
                LOG.exception("unexpected error while crawling %s", item)
            on_error(item, error)
    return results


def _gp_services(listing: Mapping[str, Any], folder: str | None) -> list[str]:
    """``Folder/Service`` paths of the GPServer entries of one listing."""
    paths = []
    for entry in listing.get("services") or []:
        if not isinstance(entry, Mapping):
            continue
        if str(entry.get("type", "")).lower() != "gpserver":
            continue
        name = str(entry.get("name") or "").strip().strip("/")
        if not name:
            continue
        if folder and "/" not in name:
            name = f"{folder}/{name}"
        paths.append(name)
    return paths


def _subfolders(listing: Mapping[str, Any], folder: str | None) -> list[str]:
    names = []
    for entry in listing.get("folders") or []:
        name = str(entry or "").strip().strip("/")
        if not name:
            continue
        if folder and not name.startswith(folder + "/"):
            name = f"{folder}/{name}"
        names.append(name)
    return names


def crawl_catalog(
    client: GPClient,
    url: str | None = None,
    *,
    max_workers: int | None = None,
    on_progress: ProgressCallback | None = None,
) -> Catalog:
    """Every GP service and task under ``url`` (default: the client's base URL).

    ``max_workers`` defaults to the pool size the client was built with
    (:attr:`GPClient.pool_size`): one worker per pooled connection, since more
    workers would open and discard connections, and fewer would leave latency idle.
    ``on_progress(done, total, label)`` is called from worker threads after each
    folder, service or task; ``total`` grows as the crawl discovers more.
    """
    start = client.parse(url) if url else client.server
    progress = _Progress(on_progress)
    failures: list[ServiceFailure] = []
    lock = threading.Lock()

    def fail(path: str, where: str, error: BaseException, task: str | None = None) -> None:
        with lock:
            failures.append(ServiceFailure(path, where, _describe(error), task))

    only_task: str | None = None
    if max_workers is None:
        max_workers = client.pool_size
    with ThreadPoolExecutor(max_workers=max(1, max_workers), thread_name_prefix="gp-crawl") as pool:

        def read_task(service: GPService, name: str) -> GPTask:
            try:
                return client.task_info(_task_url(start, service, name))
            finally:
                progress.step(f"{service.path}/{name}")

        def submit_tasks(service: GPService, names: list[str]) -> None:
            progress.add(len(names))
            for name in names:
                task_futures.append((service, name, pool.submit(read_task, service, name)))

        task_futures: list[tuple[GPService, str, Future[GPTask]]] = []
        if start.kind in ("root", "folder"):
            service_paths = _crawl_folders(client, start, pool, progress, fail)
            progress.add(len(service_paths))

            def read_service(path: str) -> GPService:
                try:
                    return client.service_info(start.with_service(path).service_url)
                finally:
                    progress.step(path)

            # No waves: a service's tasks are queued the moment it is read, so the pool
            # never idles between services and tasks (tests/benchmarks/bench_catalog.py).
            pending = {pool.submit(read_service, path): path for path in service_paths}
            read: dict[str, GPService] = {}
            for future in as_completed(pending):
                path = pending[future]
                try:
                    service = future.result()
                except Exception as error:  # one broken service never ends the crawl
                    if not isinstance(error, ArcGisError):
                        LOG.exception("unexpected error while crawling %s", path)
                    fail(path, start.with_service(path).service_url, error)
                    continue
                read[path] = service
                submit_tasks(service, list(service.task_names))
            services = [read[path] for path in service_paths if path in read]
        else:
            if (start.service_type or "").lower() != "gpserver":
                raise InvalidUrlError(
                    f"this is a {start.service_type}, not a geoprocessing service (GPServer)",
                    url=start.url,
                )
            # One service (or task) was asked for: if it cannot be read, that is fatal.
            progress.add(1)
            services = [client.service_info(start.service_url)]
            progress.step(start.service_path or "")
            only_task = start.task_name
            names = [n for n in services[0].task_names if only_task is None or n == only_task]
            # The task is not listed (hidden or renamed?): try it anyway.
            submit_tasks(services[0], names or [only_task] if only_task else names)

        order = {id(service): index for index, service in enumerate(services)}
        task_futures.sort(key=lambda job: order[id(job[0])])  # stable: task order kept
        tasks = []
        for service, name, future in task_futures:
            try:
                tasks.append(future.result())
            except Exception as error:  # one broken task never ends the crawl
                if not isinstance(error, ArcGisError):
                    LOG.exception("unexpected error while crawling %s/%s", service.path, name)
                fail(service.path, _task_url(start, service, name), error, name)
    services.sort(key=lambda s: s.path.lower())
    return Catalog(
        url=start.url,
        services=services,
        tasks=tasks,
        failures=sorted(failures, key=lambda f: (f.path.lower(), f.task or "")),
        created=time.time(),
    )


def _task_url(start: ServerUrl, service: GPService, name: str) -> str:
    return start.with_service(service.path).with_task(name).task_url


def _crawl_folders(
    client: GPClient,
    start: ServerUrl,
    pool: ThreadPoolExecutor,
    progress: _Progress,
    fail: Callable[..., None],
) -> list[str]:
    """Services of the start folder (or root) and every folder below it."""
    progress.add(1)
    listing = client.directory(start.folder_url)  # the start itself failing is fatal
    progress.step(start.folder or "/")
    paths = _gp_services(listing, start.folder)
    seen = {start.folder or ""}
    level = [f for f in _subfolders(listing, start.folder) if f not in seen]
    depth = 1
    while level and depth <= MAX_FOLDER_DEPTH:
        seen.update(level)
        progress.add(len(level))

        def read_folder(folder: str) -> dict[str, Any]:
            try:
                return client.directory(ServerUrl(start.services_url, folder).folder_url)
            finally:
                progress.step(folder)

        next_level: list[str] = []
        for folder, folder_listing in _run_all(
            pool,
            level,
            read_folder,
            lambda folder, error: fail(
                folder, ServerUrl(start.services_url, folder).folder_url, error
            ),
        ):
            paths.extend(_gp_services(folder_listing, folder))
            next_level.extend(f for f in _subfolders(folder_listing, folder) if f not in seen)
        level = next_level
        depth += 1
    unique: list[str] = []
    for path in paths:
        if path not in unique:
            unique.append(path)
    return unique
