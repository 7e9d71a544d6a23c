"""Everything the plugin adds to the QGIS window for connections, in one place to undo.

- Web menu > ArcGIS GP Services: "Manage Connections…" and "Refresh GP Services";
- the same two in the Processing toolbox's button for the provider;
- the Browser panel's "ArcGIS GP Services" tree.
After a change of connections the clients are dropped, the provider reloads from the
cache at once and a background refresh fetches what is new.
"""

from __future__ import annotations

import contextlib
from typing import Any

from qgis.core import QgsApplication
from qgis.PyQt.QtWidgets import QAction, QDialog

from ..connections.clients import forget_clients
from ..connections.connection import Connection, connections_from_settings, update_connection
from ..i18n import translate
from ..icons import plugin_icon
from ..provider.provider import ArcGisGpProvider
from .browser import BrowserHooks, GpDataItemProvider
from .connection_dialog import ConnectionDialog
from .connection_manager import ConnectionManagerDialog


def _toolbox_action(name: str, slot: Any) -> Any:
    """A Processing toolbox action (the toolbox shows them under the provider's button)."""
    from processing.gui.ToolboxAction import ToolboxAction

    class _Action(ToolboxAction):
        def __init__(self) -> None:
            self.name = name
            self.group = "Tools"

        def execute(self) -> None:
            slot()

    return _Action()


class ConnectionsUi:
    """Menu entries, toolbox actions and Browser items for connections (setup/teardown)."""

    def __init__(self, iface: Any, provider: ArcGisGpProvider) -> None:
        self.iface = iface
        self.provider = provider
        self.actions: list[QAction] = []
        self.browser: GpDataItemProvider | None = None
        self._toolbox_actions: list[Any] = []
        self._open_dialogs: list[Any] = []
        #: The Web menu's entry (translated once: removing needs the name it was added as).
        self.menu = translate("ConnectionsUi", "&ArcGIS GP Services")

    def setup(self) -> None:
        manage = QAction(plugin_icon(), translate("ConnectionsUi", "Manage Connections…"))
        manage.setObjectName("arcgis_gp_manage_connections")
        manage.triggered.connect(lambda _checked=False: self.manage_connections())
        refresh = QAction(
            QgsApplication.getThemeIcon("/mActionRefresh.svg"),
            translate("ConnectionsUi", "Refresh GP Services"),
        )
        refresh.setObjectName("arcgis_gp_refresh")
        refresh.triggered.connect(lambda _checked=False: self.refresh())
        self.actions = [manage, refresh]
        for action in self.actions:
            self.iface.addPluginToWebMenu(self.menu, action)
        hooks = BrowserHooks(
            refresh=self.refresh,
            manage_connections=self.manage_connections,
            edit_connection=self.edit_connection,
            open_algorithm=self.open_algorithm,
        )
        self.browser = GpDataItemProvider(self.provider.cache, hooks, self._notes)
        QgsApplication.dataItemProviderRegistry().addProvider(self.browser)
        self.provider.catalogsRefreshed.connect(self._catalogs_refreshed)
        self._register_toolbox_actions()

    def teardown(self) -> None:
        for action in self.actions:
            self.iface.removePluginWebMenu(self.menu, action)
        self.actions = []
        if self.browser is not None:
            QgsApplication.dataItemProviderRegistry().removeProvider(self.browser)  # deletes it
            self.browser = None
        with contextlib.suppress(TypeError):
            self.provider.catalogsRefreshed.disconnect(self._catalogs_refreshed)
        if self._toolbox_actions:
            from processing.gui.ProviderActions import ProviderActions

            ProviderActions.deregisterProviderActions(self.provider)
            self._toolbox_actions = []
        for dialog in self._open_dialogs:
            dialog.close()
        self._open_dialogs = []

    def _register_toolbox_actions(self) -> None:
        try:
            from processing.gui.ProviderActions import ProviderActions
        except ImportError:  # Processing plugin disabled
            return
        self._toolbox_actions = [
            _toolbox_action(
                translate("ConnectionsUi", "Manage Connections…"), self.manage_connections
            ),
            _toolbox_action(translate("ConnectionsUi", "Refresh GP Services"), self.refresh),
        ]
        ProviderActions.registerProviderActions(self.provider, self._toolbox_actions)

    def _notes(self) -> dict[str, str]:
        return dict(self.provider.status_notes)

    # -- what the actions do -------------------------------------------------------------

    def refresh(self) -> None:
        """Fetch every catalog again in the background (new credentials count too)."""
        forget_clients()
        self.provider.refresh_catalogs(blocking=False)

    def connections_changed(self) -> None:
        """Algorithms from the cache at once, then a background refresh for what is new."""
        forget_clients()
        self.provider.refreshAlgorithms()
        if self.browser is not None:
            self.browser.refresh_items()
        self.provider.refresh_catalogs(blocking=False)

    def _catalogs_refreshed(self, _changed: int) -> None:
        if self.browser is not None:
            self.browser.refresh_items()

    def manage_connections(self) -> None:
        dialog = ConnectionManagerDialog(self.iface.mainWindow())
        dialog.connectionsChanged.connect(self.connections_changed)
        dialog.exec()
        dialog.deleteLater()

    def edit_connection(self, connection: Connection) -> None:
        names = [c.name for c in connections_from_settings()]
        dialog = ConnectionDialog(connection, names, self.iface.mainWindow())
        if dialog.exec() == QDialog.DialogCode.Accepted:
            update_connection(connection, dialog.connection())
            self.connections_changed()
        dialog.deleteLater()

    def open_algorithm(self, algorithm_id: str) -> Any:
        """Show a task's Processing dialog (not modal: the map stays usable)."""
        import processing

        dialog = processing.createAlgorithmDialog(algorithm_id)
        if dialog is None:
            self.iface.messageBar().pushWarning(
                translate("ConnectionsUi", "ArcGIS GP Services"),
                translate(
                    "ConnectionsUi", "{algorithm} is not loaded yet; refresh the GP services."
                ).format(algorithm=algorithm_id),
            )
            return None
        self._open_dialogs = [d for d in self._open_dialogs if d.isVisible()] + [dialog]
        dialog.show()
        return dialog
