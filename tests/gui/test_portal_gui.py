"""A portal connection as a user sees it: the Processing toolbox and the Browser list the
portal's shared GP items and its ready-to-use helper services, each in its group.

Marked ``gui``; the screenshots under tests/output/ are the ones the user guide shows
(docs/images/portal-toolbox.png, docs/images/portal-browser.png).
"""

from __future__ import annotations

import pytest
from qgis.core import QgsApplication
from qgis.gui import QgsBrowserGuiModel, QgsBrowserTreeView, QgsProcessingToolboxTreeView
from qgis.PyQt.QtCore import QModelIndex, Qt
from qgis.PyQt.QtWidgets import QApplication

import arcgis_gp
from arcgis_gp.plugin.connections.connection import Connection, save_connection
from arcgis_gp.plugin.gui.browser import ROOT_NAME
from tests.gui.test_connections_gui import _children, clean_connections, screenshot
from tests.qt_wait import wait_for_signal

pytestmark = pytest.mark.gui

__all__ = ["clean_connections"]  # the fixture, used by name

#: What the test portal lists anonymously, as groups under the connection's name.
PORTAL_GROUPS = {"Analysis tools", "Elevation", "Hydrology", "Routing: service areas"}


def _texts(model, parent: QModelIndex) -> dict[str, QModelIndex]:
    return {
        model.data(model.index(row, 0, parent), Qt.ItemDataRole.DisplayRole): model.index(
            row, 0, parent
        )
        for row in range(model.rowCount(parent))
    }


@pytest.fixture
def portal_plugin(clean_connections, gpserver, qgis_iface, qgis_processing):
    gpserver.enable_portal()
    save_connection(Connection("My portal", gpserver.portal_url, allow_insecure_http=True))
    plugin = arcgis_gp.classFactory(qgis_iface)
    plugin.initProcessing()
    wait_for_signal(plugin.provider.catalogsRefreshed, plugin.initGui)
    yield plugin
    plugin.unload()


def test_the_toolbox_lists_a_portals_tools_by_group(portal_plugin, output_dir):
    provider = portal_plugin.provider
    view = QgsProcessingToolboxTreeView(None, QgsApplication.processingRegistry())
    try:
        view.setHeaderHidden(True)  # as in the Processing Toolbox panel
        view.setFilterString("portal")
        model = view.model()
        providers = _texts(model, QModelIndex())
        assert provider.name() in providers, list(providers)
        provider_index = providers[provider.name()]
        view.expand(provider_index)
        groups = _texts(model, provider_index)
        shown = {name.split("›")[-1].strip() for name in groups}  # noqa: RUF001
        assert shown >= PORTAL_GROUPS, sorted(shown)
        for name, index in groups.items():
            if name.split("›")[-1].strip() in PORTAL_GROUPS:  # noqa: RUF001
                view.expand(index)
        elevation = next(i for n, i in groups.items() if n.endswith("Elevation"))
        tasks = _texts(model, elevation)
        assert "Viewshed" in tasks, list(tasks)
        view.resize(520, 640)
        screenshot(view, output_dir / "portal_toolbox.png")
    finally:
        view.close()


def test_the_browser_shows_a_portal_connection_with_its_groups(portal_plugin, output_dir):
    model = QgsBrowserGuiModel()
    model.initialize()
    view = QgsBrowserTreeView()
    try:
        root = _children(model, QModelIndex())[ROOT_NAME]
        connection = _children(model, root)["My portal"]
        groups = _children(model, connection)
        assert set(groups) >= PORTAL_GROUPS, sorted(groups)
        view.setBrowserModel(model)
        view.setModel(model)
        view.setHeaderHidden(True)
        for index in (root, connection, groups["Elevation"], groups["Hydrology"]):
            view.expand(index)
            QApplication.processEvents()
        view.resize(460, 560)
        screenshot(view, output_dir / "portal_browser.png")
    finally:
        view.close()
