"""The ``arcgisgp`` Processing provider: one algorithm per GP task of every connection.

Algorithms are built from the on-disk catalog cache, so loading never touches the
network. :meth:`ArcGisGpProvider.refresh_catalogs` fetches fresh catalogs: in a
background task when QGIS has a GUI, or in the caller's thread for headless tools
(qgis_process, scripts), which have no event loop to wait on and no GUI to freeze.
"""

from __future__ import annotations

import contextlib
import gc
from collections.abc import Iterator
from typing import Callable

from qgis.core import QgsApplication, QgsProcessingProvider, QgsTask
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtGui import QIcon

from ..connections.catalog_cache import CatalogCache, same_catalog
from ..connections.clients import client_for
from ..connections.connection import Connection, load_connections
from ..i18n import translate
from ..icons import provider_icon, provider_icon_path
from ..qgis_log import log_info, log_warning
from ..rest.catalog import Catalog
from ..rest.errors import ArcGisError
from ..rest.portal import crawl_connection
from .algorithm import GPTaskAlgorithm
from .options import add_settings, remove_settings

PROVIDER_ID = "arcgisgp"
PROVIDER_NAME = "ArcGIS Geoprocessing"
#: QGIS's group of start-up timings (Settings > Options > System > Startup Profiling).
STARTUP_PROFILE = "startup"


def profile_name(connection: Connection) -> str:
    """The start-up profile entry of loading one connection's algorithms."""
    return f"{PROVIDER_NAME}: {connection.name}"


@contextlib.contextmanager
def _profiled(name: str) -> Iterator[None]:
    """Time the block in QGIS's start-up profile (``QgsScopedRuntimeProfile`` is not
    a context manager in Python before QGIS 3.24, so start and end are called here)."""
    profiler = QgsApplication.profiler()
    profiler.start(name, STARTUP_PROFILE)
    try:
        yield
    finally:
        profiler.end(STARTUP_PROFILE)


def fetch_catalog(connection: Connection, kind: str | None = None) -> Catalog:
    """Crawl a connection's URL, a server's or a portal's (network; never call on the GUI
    thread). ``kind``: what the cached catalog says the URL is (``None``: ask it)."""
    return crawl_connection(
        client_for(connection),
        connection.url,
        lambda url: client_for(connection, url),
        kind,
    )


def cached_kind(cache: CatalogCache, connection: Connection) -> str | None:
    """Whether the connection's URL was a server or a portal when last crawled."""
    catalog = cache.load(connection)
    return catalog.kind if catalog is not None else None


class ArcGisGpProvider(QgsProcessingProvider):
    """Lists every task of the configured GP services as a native algorithm."""

    #: Emitted (on the main thread) after a refresh; the argument is the number of
    #: connections whose catalog changed.
    catalogsRefreshed = pyqtSignal(int)

    def __init__(
        self,
        cache: CatalogCache | None = None,
        connections: Callable[[], list[Connection]] = load_connections,
        fetch_missing_blocking: bool = False,
    ) -> None:
        super().__init__()
        self.cache = cache or CatalogCache()
        self._connections = connections
        #: Headless: fetch a connection with no cache at load time, in this thread.
        self.fetch_missing_blocking = fetch_missing_blocking
        #: connection slug -> why its algorithms may be stale (shown in their help).
        self.status_notes: dict[str, str] = {}
        self._refresh_task: CatalogRefreshTask | None = None

    def id(self) -> str:
        return PROVIDER_ID

    def name(self) -> str:
        return PROVIDER_NAME

    def longName(self) -> str:
        return translate("Provider", "ArcGIS Server geoprocessing services")

    def icon(self) -> QIcon:
        return provider_icon()

    def svgIconPath(self) -> str:
        return provider_icon_path()

    def load(self) -> bool:
        """Add the provider's settings to Processing's options, then the algorithms."""
        add_settings(self.name())
        self.refreshAlgorithms()
        return True

    def unload(self) -> None:
        remove_settings()

    def connections(self) -> list[Connection]:
        return self._connections()

    def loadAlgorithms(self) -> None:
        """Add one algorithm per cached task (no network unless headless with no cache).

        This runs during QGIS start-up, whose budget is 100 ms for 1,000 tasks, so the
        cyclic garbage collector is paused meanwhile: the load allocates tens of
        thousands of long-lived objects (parsed JSON, task descriptions, parameter
        definitions) and nothing cyclic to reclaim, and every collection it would
        trigger would walk all of them again (~20 % of the load, measured).
        """
        collecting = gc.isenabled()
        gc.disable()
        try:
            for connection in self.connections():
                # Reported in QGIS's start-up profile, as QGIS's own providers are.
                with _profiled(profile_name(connection)):
                    self._load_connection(connection)
        finally:
            if collecting:
                gc.enable()

    def _load_connection(self, connection: Connection) -> None:
        catalog = self.cache.load(connection)
        if catalog is None and self.fetch_missing_blocking:
            catalog = self._fetch_and_store(connection)
        if catalog is not None:
            self._add_catalog(connection, catalog)

    def _add_catalog(self, connection: Connection, catalog: Catalog) -> None:
        note = self.status_notes.get(connection.slug, "")
        services = {}
        for service in catalog.services:  # first one wins, as Catalog.service() does
            services.setdefault(service.path, service)
        for task in catalog.tasks:
            service = services.get(task.service_path)
            if service is None:
                continue
            algorithm = GPTaskAlgorithm(connection, service, task, note)
            unknown = algorithm.unknown_types()
            if unknown:
                log_warning(
                    f"{algorithm.name()}: GP type(s) {', '.join(unknown)} are not known; "
                    "they are offered as raw JSON text."
                )
            for note in algorithm.filter_notes():
                log_info(f"{algorithm.name()}: {note}")
            if not self.addAlgorithm(algorithm):
                log_warning(f"{connection.name}: task {task.url} duplicates {algorithm.name()}")

    def _fetch_and_store(self, connection: Connection) -> Catalog | None:
        try:
            catalog = fetch_catalog(connection, cached_kind(self.cache, connection))
        except ArcGisError as error:
            unreachable = translate("Provider", "{connection} was unreachable: {error}")
            self.status_notes[connection.slug] = unreachable.format(
                connection=connection.name, error=error
            )
            log_warning(self.status_notes[connection.slug])
            return None
        self.cache.save(connection, catalog)
        self.status_notes.pop(connection.slug, None)
        for failure in catalog.failures:
            log_warning(f"{connection.name}: skipped {failure.path}: {failure.message}")
        return catalog

    def refresh_catalogs(self, blocking: bool = False) -> None:
        """Fetch every connection's catalog again and reload the algorithms if one changed.

        ``blocking=True`` works in the caller's thread (headless tools, tests);
        otherwise a background :class:`QgsTask` does it and the provider reloads when it
        finishes, on the main thread.
        """
        if blocking:
            changed = 0
            for connection in self.connections():
                before = self.cache.load(connection)
                after = self._fetch_and_store(connection)
                changed += int(after is not None and _differs(before, after))
            self.refreshAlgorithms()
            self.catalogsRefreshed.emit(changed)
            return
        if self._refresh_task is not None:
            return  # one refresh at a time
        task = CatalogRefreshTask(self, self.connections())
        self._refresh_task = task
        QgsApplication.taskManager().addTask(task)

    def _refresh_finished(self, fetched: dict[Connection, Catalog | ArcGisError]) -> None:
        """Main thread: store what the background task fetched, reload when changed."""
        self._refresh_task = None
        changed = 0
        for connection, outcome in fetched.items():
            if isinstance(outcome, ArcGisError):
                note = translate("Provider", "{connection} was unreachable at the last "
                    "refresh; these are the cached task descriptions. ({error})")  # fmt: skip
                self.status_notes[connection.slug] = note.format(
                    connection=connection.name, error=outcome
                )
                log_warning(self.status_notes[connection.slug])
                continue
            before = self.cache.load(connection)
            self.status_notes.pop(connection.slug, None)
            if _differs(before, outcome):
                self.cache.save(connection, outcome)
                changed += 1
        if changed or any(isinstance(o, ArcGisError) for o in fetched.values()):
            log_info(f"Catalog refresh: {changed} connection(s) changed; reloading algorithms.")
            self.refreshAlgorithms()
        self.catalogsRefreshed.emit(changed)

    def cancel_refresh(self) -> None:
        """Stop a background refresh (plugin unload)."""
        if self._refresh_task is not None:
            self._refresh_task.provider = None
            self._refresh_task.cancel()
            self._refresh_task = None


def _differs(before: Catalog | None, after: Catalog) -> bool:
    return before is None or not same_catalog(before, after)


class CatalogRefreshTask(QgsTask):
    """Crawls every connection off the main thread; hands the results back in finished()."""

    def __init__(self, provider: ArcGisGpProvider, connections: list[Connection]) -> None:
        super().__init__(
            translate("Provider", "Refreshing ArcGIS GP services"), QgsTask.Flag.CanCancel
        )
        self.provider: ArcGisGpProvider | None = provider
        self.connections = connections
        self.fetched: dict[Connection, Catalog | ArcGisError] = {}

    def run(self) -> bool:
        for index, connection in enumerate(self.connections):
            if self.isCanceled():
                return False
            try:
                kind = cached_kind(self.provider.cache, connection) if self.provider else None
                self.fetched[connection] = fetch_catalog(connection, kind)
            except ArcGisError as error:
                self.fetched[connection] = error
            self.setProgress(100.0 * (index + 1) / max(len(self.connections), 1))
        return True

    def finished(self, result: bool) -> None:
        if result and self.provider is not None:
            self.provider._refresh_finished(self.fetched)
        elif self.provider is not None:
            self.provider._refresh_task = None
