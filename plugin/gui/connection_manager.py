"""The connection manager: the list of GP server connections and what can be done to them.

Connections saved here live in QGIS settings; those from the ``ARCGIS_GP_CONNECTIONS``
file are shown read-only (the file is the place to change them). Import and export use
that same YAML schema, which holds authcfg ids and never a secret.
"""

from __future__ import annotations

from collections.abc import Callable

from qgis.PyQt.QtCore import Qt, pyqtSignal
from qgis.PyQt.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QFileDialog,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QMessageBox,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from ..connections.connection import (
    ENV_CONNECTIONS_FILE,
    SETTINGS_ORIGIN,
    Connection,
    ConnectionConfigError,
    connections_from_file,
    connections_to_yaml,
    load_connections,
    remove_connection,
    save_connection,
    update_connection,
)
from ..connections.qgis_import import ImportCandidate, qgis_arcgis_connections
from ..i18n import translate
from .connection_dialog import ConnectionDialog

ROLE_CONNECTION = Qt.ItemDataRole.UserRole + 1


def checked_choice(
    title: str, text: str, labels: list[str], parent: QWidget | None = None
) -> list[int] | None:
    """A list of checkable lines; the indexes the user kept checked (None: cancelled)."""
    dialog = QDialog(parent)
    dialog.setWindowTitle(title)
    listing = QListWidget()
    for label in labels:
        item = QListWidgetItem(label)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked)
        listing.addItem(item)
    buttons = QDialogButtonBox(
        QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
    )
    buttons.accepted.connect(dialog.accept)
    buttons.rejected.connect(dialog.reject)
    layout = QVBoxLayout(dialog)
    label = QLabel(text)
    label.setWordWrap(True)
    layout.addWidget(label)
    layout.addWidget(listing)
    layout.addWidget(buttons)
    if dialog.exec() != QDialog.DialogCode.Accepted:
        return None
    return [
        row
        for row in range(listing.count())
        if listing.item(row).checkState() == Qt.CheckState.Checked
    ]


class ConnectionManagerDialog(QDialog):
    """Add, edit, remove, test, import and export GP server connections."""

    #: Emitted after any change to the saved connections.
    connectionsChanged = pyqtSignal()

    def __init__(
        self,
        parent: QWidget | None = None,
        choose: Callable[..., list[int] | None] = checked_choice,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(translate("ConnectionManager", "ArcGIS GP Server Connections"))
        self.setObjectName("ArcGisGpConnectionManager")
        self._choose = choose
        self.listing = QTreeWidget()
        self.listing.setRootIsDecorated(False)
        self.listing.setHeaderLabels(
            [
                translate("ConnectionManager", "Name"),
                translate("ConnectionManager", "URL"),
                translate("ConnectionManager", "Stored in"),
            ]
        )
        self.listing.setColumnWidth(0, 130)
        self.listing.setColumnWidth(1, 310)
        self.listing.itemDoubleClicked.connect(lambda *_: self.edit_selected())
        self.listing.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.add_button = QPushButton(translate("ConnectionManager", "New…"))
        self.edit_button = QPushButton(translate("ConnectionManager", "Edit…"))
        self.remove_button = QPushButton(translate("ConnectionManager", "Remove"))
        self.import_button = QPushButton(translate("ConnectionManager", "Import YAML…"))
        self.export_button = QPushButton(translate("ConnectionManager", "Export YAML…"))
        self.qgis_button = QPushButton(translate("ConnectionManager", "Import from QGIS…"))
        self.qgis_button.setToolTip(
            translate("ConnectionManager", "Copy QGIS's 'ArcGIS REST Server' connections")
        )
        self.add_button.clicked.connect(self.add_connection)
        self.edit_button.clicked.connect(self.edit_selected)
        self.remove_button.clicked.connect(self.remove_selected)
        self.import_button.clicked.connect(self.import_yaml)
        self.export_button.clicked.connect(self.export_yaml)
        self.qgis_button.clicked.connect(self.import_from_qgis)
        side = QVBoxLayout()
        for button in (
            self.add_button,
            self.edit_button,
            self.remove_button,
            self.import_button,
            self.export_button,
            self.qgis_button,
        ):
            side.addWidget(button)
        side.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.listing, 1)
        row.addLayout(side)
        close = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        close.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(row)
        layout.addWidget(close)
        self.resize(920, 360)
        self.reload()

    # -- the list ------------------------------------------------------------------------

    def reload(self) -> None:
        """List the connections by name; those from the file are read-only."""
        self.listing.clear()
        for connection in sorted(load_connections(), key=lambda c: c.name.lower()):
            where = (
                translate("ConnectionManager", "QGIS settings")
                if self._editable(connection)
                else translate("ConnectionManager", "connections file (read-only)")
            )
            item = QTreeWidgetItem([connection.name, connection.url, where])
            item.setData(0, ROLE_CONNECTION, connection)
            item.setToolTip(1, connection.url)
            item.setToolTip(
                2,
                f"{connection.source} ({ENV_CONNECTIONS_FILE})"
                if not self._editable(connection)
                else connection.source,
            )
            self.listing.addTopLevelItem(item)
        if self.listing.topLevelItemCount():
            self.listing.setCurrentItem(self.listing.topLevelItem(0))
        self._update_buttons()

    def listed(self) -> list[Connection]:
        """The connections in the list, in its order."""
        return [
            self.listing.topLevelItem(row).data(0, ROLE_CONNECTION)
            for row in range(self.listing.topLevelItemCount())
        ]

    def connection_names(self) -> list[str]:
        return [c.name for c in self.listed()]

    def select(self, name: str) -> None:
        """Make the connection called ``name`` the current one."""
        for row in range(self.listing.topLevelItemCount()):
            item = self.listing.topLevelItem(row)
            if item.data(0, ROLE_CONNECTION).name == name:
                self.listing.setCurrentItem(item)

    def selected(self) -> Connection | None:
        item = self.listing.currentItem()
        return item.data(0, ROLE_CONNECTION) if item is not None else None

    def _editable(self, connection: Connection | None) -> bool:
        return connection is not None and connection.source == SETTINGS_ORIGIN

    def _update_buttons(self) -> None:
        editable = self._editable(self.selected())
        self.edit_button.setEnabled(editable)
        self.remove_button.setEnabled(editable)
        self.export_button.setEnabled(self.listing.topLevelItemCount() > 0)

    def _changed(self) -> None:
        self.reload()
        self.connectionsChanged.emit()

    # -- actions -------------------------------------------------------------------------

    def add_connection(self) -> None:
        dialog = ConnectionDialog(None, self.connection_names(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            save_connection(dialog.connection())
            self._changed()

    def edit_selected(self) -> None:
        connection = self.selected()
        if not self._editable(connection):
            return
        dialog = ConnectionDialog(connection, self.connection_names(), self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            update_connection(connection, dialog.connection())
            self._changed()

    def remove_selected(self) -> None:
        connection = self.selected()
        if not self._editable(connection):
            return
        question = translate("ConnectionManager", "Remove the connection '{name}'? Its "
            "algorithms disappear from the Processing toolbox; the authentication "
            "configuration stays in QGIS.")  # fmt: skip
        answer = QMessageBox.question(
            self,
            translate("ConnectionManager", "Remove Connection"),
            question.format(name=connection.name),
        )
        if answer == QMessageBox.StandardButton.Yes:
            remove_connection(connection.name)
            self._changed()

    def import_yaml(self, path: str = "") -> int:
        """Save the connections of a YAML file in settings; returns how many."""
        if not path:
            path, _ = QFileDialog.getOpenFileName(
                self,
                translate("ConnectionManager", "Import Connections"),
                "",
                "YAML (*.yaml *.yml)",
            )
        if not path:
            return 0
        try:
            connections = connections_from_file(path)
        except ConnectionConfigError as error:
            QMessageBox.warning(
                self, translate("ConnectionManager", "Import Connections"), str(error)
            )
            return 0
        for connection in connections:
            save_connection(connection)
        self._changed()
        return len(connections)

    def export_yaml(self, path: str = "") -> int:
        """Write every listed connection to a YAML file; returns how many."""
        if not path:
            path, _ = QFileDialog.getSaveFileName(
                self,
                translate("ConnectionManager", "Export Connections"),
                "arcgis_gp_connections.yaml",
                "YAML (*.yaml *.yml)",
            )
        if not path:
            return 0
        connections = self.listed()
        with open(path, "w", encoding="utf-8") as out:
            out.write(connections_to_yaml(connections))
        return len(connections)

    def import_from_qgis(self) -> int:
        """Offer QGIS's ArcGIS REST connections; save the ones the user keeps checked."""
        candidates: list[ImportCandidate] = qgis_arcgis_connections()
        if not candidates:
            QMessageBox.information(
                self,
                translate("ConnectionManager", "Import from QGIS"),
                translate("ConnectionManager", "QGIS has no ArcGIS REST Server connections."),
            )
            return 0
        labels = [
            f"{c.connection.name}    {c.connection.url}" + (f"\n    {c.note}" if c.note else "")
            for c in candidates
        ]
        question = translate("ConnectionManager", "GP services are looked for on these "
            "ArcGIS REST Server connections:")  # fmt: skip
        chosen = self._choose(
            translate("ConnectionManager", "Import from QGIS"), question, labels, self
        )
        if not chosen:
            return 0
        for index in chosen:
            save_connection(candidates[index].connection)
        self._changed()
        return len(chosen)
