"""The dialog that adds or edits one GP server connection, and tests it.

Secrets never pass through here: authentication is a QGIS auth configuration picked
with QgsAuthConfigSelect; only its id is kept. "Test" crawls the URL in a QgsTask, so the
dialog stays responsive while a slow server answers.
"""

from __future__ import annotations

from collections.abc import Iterable

from qgis.core import QgsApplication, QgsTask
from qgis.gui import QgsAuthConfigSelect
from qgis.PyQt.QtCore import pyqtSignal
from qgis.PyQt.QtWidgets import (
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from ..connections.clients import new_client
from ..connections.connection import DEFAULT_TIMEOUT_S, Connection, ConnectionConfigError, validate
from ..i18n import translate
from ..rest.client import GPClient
from ..rest.errors import ArcGisError
from ..rest.portal import crawl_connection
from ..rest.urls import parse_server_url


class ConnectionTestTask(QgsTask):
    """Crawls a connection off the main thread and reports one line of text."""

    def __init__(self, connection: Connection) -> None:
        super().__init__(
            translate("ConnectionDialog", "Testing {name}").format(name=connection.name),
            QgsTask.Flag.CanCancel,
        )
        self.connection = connection
        self.ok = False
        self.summary = ""

    def run(self) -> bool:
        try:
            servers: dict[str, GPClient] = {}

            def server_client(url: str) -> GPClient:
                # A portal's services are on other servers: a client of their own each.
                key = parse_server_url(url).services_url
                if key not in servers:
                    servers[key] = new_client(self.connection, key)
                return servers[key]

            try:
                with new_client(self.connection) as client:
                    catalog = crawl_connection(client, self.connection.url, server_client)
            finally:
                for other in servers.values():
                    other.close()
        except ArcGisError as error:
            self.summary = str(error)
            return True
        self.ok = True
        self.summary = translate("ConnectionDialog", "OK: {services} GP services, {tasks} tasks")
        self.summary = self.summary.format(services=len(catalog.services), tasks=len(catalog.tasks))
        if catalog.failures:
            unread = translate("ConnectionDialog", "({count} services could not be read)")
            self.summary += " " + unread.format(count=len(catalog.failures))
        return True


class ConnectionDialog(QDialog):
    """Name, URL, authentication, referer, timeout and 'allow plain http' of a connection."""

    #: Emitted with the test's text when a connection test finishes (ok, text).
    testFinished = pyqtSignal(bool, str)

    def __init__(
        self,
        connection: Connection | None = None,
        taken_names: Iterable[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(
            translate("ConnectionDialog", "Edit GP Server Connection")
            if connection
            else translate("ConnectionDialog", "New GP Server Connection")
        )
        self.setObjectName("ArcGisGpConnectionDialog")
        self._taken = {name.lower() for name in taken_names}
        self._test_task: ConnectionTestTask | None = None

        self.name_edit = QLineEdit()
        self.name_edit.setPlaceholderText(translate("ConnectionDialog", "e.g. County GIS"))
        self.url_edit = QLineEdit()
        self.url_edit.setPlaceholderText("https://host/arcgis/rest/services")
        self.url_edit.setToolTip(translate("ConnectionDialog", "A services directory, a folder, "
            "a GPServer or a task URL; it may be pasted straight from a browser."))  # fmt: skip
        self.auth_select = QgsAuthConfigSelect(self)
        self.referer_edit = QLineEdit()
        self.referer_edit.setPlaceholderText(
            translate("ConnectionDialog", "optional, for tokens bound to a referer")
        )
        self.timeout_spin = QSpinBox()
        self.timeout_spin.setRange(1, 3600)
        self.timeout_spin.setSuffix(" s")
        self.allow_http_check = QCheckBox(
            translate("ConnectionDialog", "Allow passwords over plain http (trusted networks only)")
        )
        self.test_button = QPushButton(translate("ConnectionDialog", "Test Connection"))
        self.test_button.clicked.connect(self.start_test)
        self.status_label = QLabel()
        self.status_label.setWordWrap(True)
        self.status_label.setObjectName("status")

        form = QFormLayout()
        form.addRow(translate("ConnectionDialog", "Name"), self.name_edit)
        form.addRow(translate("ConnectionDialog", "URL"), self.url_edit)
        form.addRow(translate("ConnectionDialog", "Authentication"), self.auth_select)
        form.addRow(translate("ConnectionDialog", "Referer"), self.referer_edit)
        form.addRow(translate("ConnectionDialog", "Timeout"), self.timeout_spin)
        form.addRow("", self.allow_http_check)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.test_button)
        layout.addWidget(self.status_label)
        layout.addWidget(self.buttons)
        self.set_connection(connection or Connection(name="", url="", timeout=DEFAULT_TIMEOUT_S))
        self.resize(560, self.sizeHint().height())

    def set_connection(self, connection: Connection) -> None:
        """Fill the form (other settings of the connection are kept as they are)."""
        self._base = connection
        self.name_edit.setText(connection.name)
        self.url_edit.setText(connection.url)
        self.auth_select.setConfigId(connection.authcfg)
        self.referer_edit.setText(connection.referer)
        self.timeout_spin.setValue(round(connection.timeout))
        self.allow_http_check.setChecked(connection.allow_insecure_http)

    def connection(self) -> Connection:
        """The connection as the form says (raises ConnectionConfigError naming a field)."""
        edited = Connection(
            name=self.name_edit.text().strip(),
            url=self.url_edit.text().strip(),
            authcfg=self.auth_select.configId(),
            referer=self.referer_edit.text().strip(),
            timeout=float(self.timeout_spin.value()),
            job_timeout=self._base.job_timeout,
            allow_insecure_http=self.allow_http_check.isChecked(),
        )
        return validate(edited, origin="Connection")

    def _show(self, ok: bool, text: str) -> None:
        colour = "#1a7f37" if ok else "#b42318"
        self.status_label.setStyleSheet(f"color: {colour};")
        self.status_label.setText(text)

    def accept(self) -> None:
        """Refuse to close on a bad form, and say which field is wrong."""
        try:
            connection = self.connection()
        except ConnectionConfigError as error:
            self._show(False, str(error))
            return
        if connection.name.lower() != self._base.name.lower() and (
            connection.name.lower() in self._taken
        ):
            self._show(
                False,
                translate("ConnectionDialog", "A connection named '{name}' exists already.").format(
                    name=connection.name
                ),
            )
            return
        super().accept()

    def start_test(self) -> None:
        """Crawl the URL in the background; the result lands in the status line."""
        try:
            connection = self.connection()
        except ConnectionConfigError as error:
            self._show(False, str(error))
            return
        if self._test_task is not None:
            return
        self._show(True, translate("ConnectionDialog", "Testing…"))
        self.test_button.setEnabled(False)
        task = ConnectionTestTask(connection)
        task.taskCompleted.connect(lambda: self._test_done(task))
        task.taskTerminated.connect(lambda: self._test_done(task))
        self._test_task = task
        QgsApplication.taskManager().addTask(task)

    def _test_done(self, task: ConnectionTestTask) -> None:
        self._test_task = None
        self.test_button.setEnabled(True)
        text = task.summary or translate("ConnectionDialog", "The test was cancelled.")
        self._show(task.ok, text)
        self.testFinished.emit(task.ok, text)

    def done(self, result: int) -> None:
        if self._test_task is not None:
            self._test_task.cancel()
        super().done(result)
