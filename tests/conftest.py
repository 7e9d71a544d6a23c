"""Shared test set-up.

The repository root *is* the plugin folder, which QGIS imports as ``arcgis_gp``.
Tests import it under that same name, through a link in ``.pytest_pkg/``, so
that relative imports inside the plugin behave exactly as in QGIS.
"""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

pytest_plugins = ["tests.gpserver.pytest_plugin"]

ROOT = Path(__file__).resolve().parent.parent
#: Esri's documented example responses (the REST reference's own examples, sources in
#: SOURCES.md), kept in the repository so a plain clone runs every test.
REALWORLD_FIXTURES = ROOT / "tests" / "data" / "realworld"
OUTPUT_DIR = ROOT / "tests" / "output"


def _expose_plugin_as_arcgis_gp() -> None:
    link_dir = ROOT / ".pytest_pkg"
    link = link_dir / "arcgis_gp"
    link_dir.mkdir(exist_ok=True)
    if not link.is_symlink():
        link.symlink_to(ROOT, target_is_directory=True)
    if str(link_dir) not in sys.path:
        sys.path.insert(0, str(link_dir))


_expose_plugin_as_arcgis_gp()


@pytest.fixture(scope="session")
def realworld_dir() -> Path:
    """The real-world Esri responses in tests/data/realworld."""
    return REALWORLD_FIXTURES


@pytest.fixture(scope="session")
def output_dir() -> Path:
    """tests/output/: screenshots and other artefacts a person should look at."""
    OUTPUT_DIR.mkdir(parents=True, exist_ok=True)
    return OUTPUT_DIR


@pytest.fixture(scope="session", autouse=True)
def _iface_has_a_layer_tree_view(qgis_iface) -> object:
    """pytest-qgis's stand-in iface answers unknown calls with a MagicMock; QGIS 3.44's
    Processing post-processing hands ``iface.layerTreeView()`` to C++, which needs a real
    layer tree view (a MagicMock there aborts the test process)."""
    from qgis.core import QgsLayerTreeModel, QgsProject
    from qgis.gui import QgsLayerTreeView

    view = QgsLayerTreeView()
    view.setModel(QgsLayerTreeModel(QgsProject.instance().layerTreeRoot()))
    qgis_iface.layerTreeView = lambda: view
    return view
