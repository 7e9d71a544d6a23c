"""The connection dialog, the connection manager and the Browser items, as a user sees them.

Marked ``gui``: make test runs it under xvfb-run with real X11 windows (it also runs
offscreen); each test saves a screenshot under tests/output/ for a person to look at.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsSettings
from qgis.gui import QgsBrowserGuiModel, QgsBrowserTreeView
from qgis.PyQt.QtCore import QModelIndex, Qt
from qgis.PyQt.QtWidgets import QApplication, QDialog, QWidget

import arcgis_gp
from arcgis_gp.plugin.connections.connection import (
    ENV_CONNECTIONS_FILE,
    SETTINGS_GROUP,
    Connection,
    connections_from_settings,
    parse_connections_yaml,
    save_connection,
)
from arcgis_gp.plugin.connections.qgis_import import NEW_GROUP
from arcgis_gp.plugin.gui.browser import ROOT_NAME
from arcgis_gp.plugin.gui.connection_dialog import ConnectionDialog
from arcgis_gp.plugin.gui.connection_manager import ConnectionManagerDialog
from tests.qt_wait import wait_for_signal

pytestmark = pytest.mark.gui


def screenshot(widget: QWidget, path: Path) -> Path:
    """Paint the widget (and its children) into a PNG; fails on an empty picture."""
    widget.show()
    QApplication.processEvents()
    image = widget.grab().toImage()
    assert image.width() > 100
    assert image.height() > 100
    assert image.save(str(path))
    return path


@pytest.fixture
def clean_connections(monkeypatch, tmp_path) -> Iterator[None]:
    """No saved connections, no connections file, a private catalog cache."""
    settings = QgsSettings()
    settings.remove(SETTINGS_GROUP)
    settings.remove(NEW_GROUP)
    monkeypatch.delenv(ENV_CONNECTIONS_FILE, raising=False)
    monkeypatch.setattr(
        "arcgis_gp.plugin.connections.catalog_cache.default_cache_dir",
        lambda: tmp_path / "catalogs",
    )
    yield
    settings.remove(SETTINGS_GROUP)
    settings.remove(NEW_GROUP)


def test_connection_dialog_tests_the_server_and_checks_its_fields(
    clean_connections, gpserver, basic_authcfg, output_dir
):
    connection = Connection(
        "GP test server", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True
    )
    dialog = ConnectionDialog(connection, taken_names=["Other"])
    assert dialog.auth_select.configId() == basic_authcfg
    assert dialog.allow_http_check.isChecked()
    ok, text = wait_for_signal(dialog.testFinished, dialog.test_button.click)
    assert ok, text
    assert "10 GP services" in text  # with the token: the Secure services are listed too
    assert dialog.connection() == connection
    screenshot(dialog, output_dir / "connection_dialog.png")

    dialog.url_edit.setText("ftp://example.com/arcgis/rest/services")
    dialog.accept()
    assert dialog.result() != QDialog.DialogCode.Accepted
    assert "http(s)://" in dialog.status_label.text()
    dialog.url_edit.setText(gpserver.services_url)
    dialog.name_edit.setText("other")
    dialog.accept()
    assert "exists already" in dialog.status_label.text()
    screenshot(dialog, output_dir / "connection_dialog_error.png")
    dialog.close()


def test_new_connection_dialog_defaults(clean_connections, output_dir):
    dialog = ConnectionDialog()
    assert dialog.windowTitle() == "New GP Server Connection"
    assert not dialog.allow_http_check.isChecked()  # plain http is off by default
    assert dialog.timeout_spin.value() == 60
    assert dialog.auth_select.configId() == ""
    dialog.close()


def test_connection_dialog_reports_an_unreachable_server(clean_connections, gpserver):
    dialog = ConnectionDialog(Connection("down", gpserver.services_url))
    gpserver.set_fault("http_error", status=503)
    ok, text = wait_for_signal(dialog.testFinished, dialog.test_button.click)
    assert not ok
    assert "503" in text
    dialog.close()


def test_connection_manager_lists_imports_and_exports(
    clean_connections, gpserver, tmp_path, monkeypatch, output_dir
):
    save_connection(Connection("Saved", gpserver.services_url, referer="https://app.example"))
    headless = tmp_path / "headless.yaml"
    headless.write_text(
        f"connections:\n  - name: From File\n    url: {gpserver.services_url}\n", encoding="utf-8"
    )
    monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(headless))
    QgsSettings().setValue(
        f"{NEW_GROUP}/County/url",
        "https://gis.example.org/arcgis/rest/services/Tools/Roads/MapServer",
    )
    offered: list[list[str]] = []

    def choose(title, text, labels, parent):
        offered.append(labels)
        return [0]

    dialog = ConnectionManagerDialog(choose=choose)
    assert dialog.connection_names() == ["From File", "Saved"]
    stored_in = [dialog.listing.topLevelItem(r).text(2) for r in range(2)]
    assert stored_in == ["connections file (read-only)", "QGIS settings"]
    dialog.select("From File")
    assert not dialog.edit_button.isEnabled()
    assert not dialog.remove_button.isEnabled()
    dialog.select("Saved")
    assert dialog.edit_button.isEnabled()

    exported = tmp_path / "export.yaml"
    assert dialog.export_yaml(str(exported)) == 2
    by_name = {c.name: c for c in parse_connections_yaml(exported.read_text(encoding="utf-8"))}
    assert by_name["Saved"].referer == "https://app.example"

    changes: list[bool] = []
    dialog.connectionsChanged.connect(lambda: changes.append(True))
    assert dialog.import_from_qgis() == 1
    assert offered == [["County    https://gis.example.org/arcgis/rest/services/Tools"]]
    importing = tmp_path / "import.yaml"
    importing.write_text(
        "connections:\n  - name: Imported\n    url: https://x.example/arcgis/rest/services\n"
        "    authcfg: abc1234\n",
        encoding="utf-8",
    )
    assert dialog.import_yaml(str(importing)) == 1
    assert changes == [True, True]
    saved = {c.name: c for c in connections_from_settings()}
    assert set(saved) == {"Saved", "County", "Imported"}
    assert saved["Imported"].authcfg == "abc1234"
    assert dialog.connection_names() == ["County", "From File", "Imported", "Saved"]
    screenshot(dialog, output_dir / "connection_manager.png")
    dialog.close()


def _children(model, index: QModelIndex) -> dict[str, QModelIndex]:
    if model.canFetchMore(index):
        model.fetchMore(index)
    QApplication.processEvents()
    return {
        model.data(model.index(row, 0, index), Qt.ItemDataRole.DisplayRole): model.index(
            row, 0, index
        )
        for row in range(model.rowCount(index))
    }


def test_browser_items_show_connections_services_and_tasks(
    clean_connections, gpserver, qgis_iface, qgis_processing, output_dir, monkeypatch
):
    save_connection(Connection("Test Server", gpserver.services_url))
    plugin = arcgis_gp.classFactory(qgis_iface)
    plugin.initProcessing()
    provider = plugin.provider
    # initGui starts the background refresh; wait for it to land
    wait_for_signal(provider.catalogsRefreshed, plugin.initGui)
    model = QgsBrowserGuiModel()
    model.initialize()
    # the algorithm dialog asks the interface for the Browser model (a mock in pytest-qgis)
    monkeypatch.setattr(qgis_iface, "browserModel", lambda: model, raising=False)
    view = QgsBrowserTreeView()
    try:
        top = _children(model, QModelIndex())
        assert ROOT_NAME in top
        root = top[ROOT_NAME]
        connections = _children(model, root)
        assert list(connections) == ["Test Server"]
        server = _children(model, connections["Test Server"])
        assert {"Analysis", "AnalysisAsync", "Elevation", "Bench"} <= set(server)
        assert "Secure" not in server  # anonymous: the secured services are not listed
        viewshed_service = _children(model, server["Elevation"])["Viewshed"]
        tasks = _children(model, viewshed_service)
        assert {"Viewshed", "Slow Task", "Failing Task"} <= set(tasks)  # display names

        root_item = model.dataItem(root)
        assert [a.text() for a in root_item.actions(view)] == ["Manage Connections…", "Refresh"]
        connection_item = model.dataItem(connections["Test Server"])
        assert [a.text() for a in connection_item.actions(view)] == [
            "Refresh",
            "Edit Connection…",
            "Open Services Page in Web Browser",
        ]
        task_item = model.dataItem(tasks["Viewshed"])
        assert task_item.algorithm_id == "arcgisgp:test_server__elevation_viewshed__viewshed"

        view.setBrowserModel(model)
        view.setModel(model)
        view.setHeaderHidden(True)  # as in QGIS's Browser panel
        for index in (root, connections["Test Server"], server["Elevation"], viewshed_service):
            view.expand(index)
        view.resize(460, 560)
        screenshot(view, output_dir / "browser_items.png")

        assert task_item.handleDoubleClick()  # opens the algorithm dialog
        QApplication.processEvents()
        dialogs = [d for d in plugin.connections_ui._open_dialogs if d.isVisible()]
        assert len(dialogs) == 1
        assert dialogs[0].algorithm().id() == task_item.algorithm_id
        screenshot(dialogs[0], output_dir / "algorithm_dialog_from_browser.png")
    finally:
        view.close()
        plugin.unload()
    assert ROOT_NAME not in [
        p.name() for p in QgsApplication.dataItemProviderRegistry().providers()
    ]
