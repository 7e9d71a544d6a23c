"""Browser panel: "ArcGIS GP Services" -> connections -> folders and services -> tasks.

Items come from the on-disk catalog cache (no network while browsing; the Refresh
action fetches in the background and the tree follows). Double-clicking a task opens
its Processing dialog. What the items do to the rest of the plugin goes through
:class:`BrowserHooks`, so this module only knows widgets and the cache.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsDataCollectionItem,
    QgsDataItem,
    QgsDataItemProvider,
    QgsDataProvider,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QUrl
from qgis.PyQt.QtGui import QDesktopServices
from qgis.PyQt.QtWidgets import QAction, QWidget

from ..connections.catalog_cache import CatalogCache
from ..connections.connection import SETTINGS_ORIGIN, Connection, load_connections
from ..i18n import translate
from ..icons import provider_icon
from ..provider.algorithm import algorithm_name
from ..provider.provider import PROVIDER_ID
from ..rest.catalog import Catalog
from ..rest.descriptions import GPService, GPTask

ROOT_NAME = "ArcGIS GP Services"
ROOT_PATH = "arcgisgp:"
_FAST = Qgis.BrowserItemCapability.Fast
_NO_CAPABILITIES = Qgis.BrowserItemCapability.NoCapabilities
_POPULATED = Qgis.BrowserItemState.Populated
_CUSTOM = Qgis.BrowserItemType.Custom
#: QGIS 3.36 moved the provider capability into Qgis.
_NET = (
    Qgis.DataItemProviderCapability.NetworkSources
    if hasattr(Qgis, "DataItemProviderCapability")
    else QgsDataProvider.Net
)


@dataclass
class BrowserHooks:
    """What Browser items ask of the plugin."""

    refresh: Callable[[], None]
    manage_connections: Callable[[], None]
    edit_connection: Callable[[Connection], None]
    open_algorithm: Callable[[str], None]


def _action(text: str, parent: QWidget, slot: Callable[[], None]) -> QAction:
    action = QAction(text, parent)
    action.triggered.connect(lambda _checked=False: slot())
    return action


def _set_capabilities(item: QgsDataItem, capabilities: object) -> None:
    """``setCapabilitiesV2`` on 3.22-3.x; QGIS 4 takes the Qgis flags in setCapabilities."""
    getattr(item, "setCapabilitiesV2", item.setCapabilities)(capabilities)


def _open_url(url: str) -> None:
    QDesktopServices.openUrl(QUrl(url))


class TaskItem(QgsDataItem):
    """One GP task: double-click opens its algorithm dialog."""

    def __init__(
        self, parent: QgsDataItem, connection: Connection, task: GPTask, hooks: BrowserHooks
    ) -> None:
        name = task.display_name or task.name
        super().__init__(_CUSTOM, parent, name, f"{parent.path()}/{task.name}", PROVIDER_ID)
        self.task = task
        self.hooks = hooks
        self.algorithm_id = (
            f"{PROVIDER_ID}:{algorithm_name(connection, task.service_path, task.name)}"
        )
        self.setIcon(QgsApplication.getThemeIcon("/processingAlgorithm.svg"))
        self.setToolTip(task.description or task.url)
        self.setState(_POPULATED)
        _set_capabilities(self, _NO_CAPABILITIES)

    def handleDoubleClick(self) -> bool:
        self.hooks.open_algorithm(self.algorithm_id)
        return True

    def actions(self, parent: QWidget) -> list[QAction]:
        return [
            _action(
                translate("Browser", "Run…"),
                parent,
                lambda: self.hooks.open_algorithm(self.algorithm_id),
            ),
            _action(
                translate("Browser", "Open Task Page in Web Browser"),
                parent,
                lambda: _open_url(self.task.url),
            ),
        ]


class ServiceItem(QgsDataCollectionItem):
    """One GP service and its tasks."""

    def __init__(
        self,
        parent: QgsDataItem,
        connection: Connection,
        service: GPService,
        tasks: list[GPTask],
        hooks: BrowserHooks,
    ) -> None:
        name = service.path.rsplit("/", 1)[-1]
        # A portal's services (from many servers) are keyed by their whole path.
        key = service.path.replace("/", "_") if service.label else name
        super().__init__(parent, name, f"{parent.path()}/{key}", PROVIDER_ID)
        if service.label:  # a portal's item title or helper name
            self.setName(service.label)
        self.connection = connection
        self.service = service
        self.tasks = tasks
        self.hooks = hooks
        self.setIcon(QgsApplication.getThemeIcon("/mIconGeometryCollectionLayer.svg"))
        self.setToolTip(service.description or service.url)
        _set_capabilities(self, _FAST)

    def createChildren(self) -> list[QgsDataItem]:
        return [TaskItem(self, self.connection, task, self.hooks) for task in self.tasks]

    def actions(self, parent: QWidget) -> list[QAction]:
        return [
            _action(
                translate("Browser", "Open Service Page in Web Browser"),
                parent,
                lambda: _open_url(self.service.url),
            )
        ]


class FolderItem(QgsDataCollectionItem):
    """A server folder holding services."""

    def __init__(
        self,
        parent: QgsDataItem,
        name: str,
        children: Callable[[QgsDataItem], list[QgsDataItem]],
    ) -> None:
        super().__init__(parent, name, f"{parent.path()}/{name}", PROVIDER_ID)
        self._children = children
        self.setIcon(QgsApplication.getThemeIcon("/mIconFolder.svg"))
        _set_capabilities(self, _FAST)

    def createChildren(self) -> list[QgsDataItem]:
        return self._children(self)


class ConnectionItem(QgsDataCollectionItem):
    """A connection: its folders and services, as last fetched (from the cache)."""

    def __init__(
        self,
        parent: QgsDataItem,
        connection: Connection,
        cache: CatalogCache,
        hooks: BrowserHooks,
        note: str = "",
    ) -> None:
        super().__init__(parent, connection.name, f"{ROOT_PATH}/{connection.slug}", PROVIDER_ID)
        self.connection = connection
        self.cache = cache
        self.hooks = hooks
        self.setIcon(provider_icon())
        self.setToolTip(note or connection.url)
        _set_capabilities(self, _FAST)

    def _services(
        self, parent: QgsDataItem, catalog: Catalog, folder: str | None
    ) -> list[QgsDataItem]:
        """The services of one folder (``None``: every service)."""
        items: list[QgsDataItem] = []
        for service in catalog.services:
            service_folder = service.path.rsplit("/", 1)[0] if "/" in service.path else ""
            if folder is None or service_folder == folder:
                tasks = catalog.tasks_of(service.path)
                items.append(ServiceItem(parent, self.connection, service, tasks, self.hooks))
        return items

    def createChildren(self) -> list[QgsDataItem]:
        catalog = self.cache.load(self.connection)
        if catalog is None:
            return [
                _message_item(
                    self,
                    translate(
                        "Browser", "Not fetched yet: use Refresh (right-click the connection)"
                    ),
                )
            ]
        if catalog.kind == "portal":
            # A portal's services come from many servers: listed under their labels.
            return self._services(self, catalog, None)
        folders = sorted(
            {s.path.rsplit("/", 1)[0] for s in catalog.services if "/" in s.path}, key=str.lower
        )
        items: list[QgsDataItem] = [
            FolderItem(self, folder, lambda item, f=folder: self._services(item, catalog, f))
            for folder in folders
        ]
        return items + self._services(self, catalog, "")

    def actions(self, parent: QWidget) -> list[QAction]:
        actions = [
            _action(translate("Browser", "Refresh"), parent, self.hooks.refresh),
            _action(
                translate("Browser", "Open Services Page in Web Browser"), parent, self._open_page
            ),
        ]
        if self.connection.source == SETTINGS_ORIGIN:
            actions.insert(
                1,
                _action(
                    translate("Browser", "Edit Connection…"),
                    parent,
                    lambda: self.hooks.edit_connection(self.connection),
                ),
            )
        return actions

    def _open_page(self) -> None:
        _open_url(self.connection.url)


def _message_item(parent: QgsDataItem, text: str) -> QgsDataItem:
    item = QgsDataItem(_CUSTOM, parent, text, f"{parent.path()}/#message", PROVIDER_ID)
    item.setState(_POPULATED)
    _set_capabilities(item, _NO_CAPABILITIES)
    return item


class RootItem(QgsDataCollectionItem):
    """'ArcGIS GP Services': one child per connection."""

    def __init__(
        self,
        cache: CatalogCache,
        hooks: BrowserHooks,
        notes: Callable[[], dict[str, str]],
    ) -> None:
        super().__init__(None, translate("Browser", "ArcGIS GP Services"), ROOT_PATH, PROVIDER_ID)
        self.cache = cache
        self.hooks = hooks
        self.notes = notes
        self.setIcon(provider_icon())
        _set_capabilities(self, _FAST)

    def createChildren(self) -> list[QgsDataItem]:
        notes = self.notes()
        return [
            ConnectionItem(self, c, self.cache, self.hooks, notes.get(c.slug, ""))
            for c in sorted(load_connections(), key=lambda c: c.name.lower())
        ]

    def actions(self, parent: QWidget) -> list[QAction]:
        return [
            _action(
                translate("Browser", "Manage Connections…"), parent, self.hooks.manage_connections
            ),
            _action(translate("Browser", "Refresh"), parent, self.hooks.refresh),
        ]


class GpDataItemProvider(QgsDataItemProvider):
    """Puts 'ArcGIS GP Services' at the top level of the Browser."""

    def __init__(
        self,
        cache: CatalogCache,
        hooks: BrowserHooks,
        notes: Callable[[], dict[str, str]] = dict,
    ) -> None:
        super().__init__()
        self.cache = cache
        self.hooks = hooks
        self.notes = notes
        #: Root items handed to Browser models (each Browser panel has its own).
        self.roots: list[RootItem] = []

    def name(self) -> str:
        return ROOT_NAME

    def dataProviderKey(self) -> str:
        return PROVIDER_ID

    def capabilities(self) -> int:
        return _NET

    def createDataItem(self, path: str, parentItem: QgsDataItem | None) -> QgsDataItem | None:
        if path:
            return None
        root = RootItem(self.cache, self.hooks, self.notes)
        self.roots = [r for r in self.roots if not sip.isdeleted(r)] + [root]
        return root

    def refresh_items(self) -> None:
        """Rebuild the trees after connections or catalogs changed."""
        self.roots = [r for r in self.roots if not sip.isdeleted(r)]
        for root in self.roots:
            root.refresh()
