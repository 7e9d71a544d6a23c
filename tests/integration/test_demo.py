"""`make demo` does its whole job: outputs in a GeoPackage, a project, a rendered map."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qgis.core import QgsProject, QgsVectorLayer
from qgis.PyQt.QtGui import QImage

from tests.conftest import ROOT


def test_demo_leaves_outputs_a_project_and_a_map(tmp_path: Path) -> None:
    out = tmp_path / "demo"
    result = subprocess.run(
        [sys.executable, "-m", "scripts.demo", "--output", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=180,
        env={"QT_QPA_PLATFORM": "offscreen", "PATH": "/usr/bin:/bin", "HOME": str(tmp_path)},
        check=False,
    )
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-3000:]
    assert "GP server stopped" in result.stdout
    for layer_name, count in (("observers", 3), ("buffers", 3), ("viewsheds", 3)):
        layer = QgsVectorLayer(f"{out / 'demo.gpkg'}|layername={layer_name}", layer_name, "ogr")
        assert layer.isValid(), layer_name
        assert layer.featureCount() == count, layer_name

    project = QgsProject()
    assert project.read(str(out / "demo.qgz"))
    names = {layer.name() for layer in project.mapLayers().values()}
    assert {"result map service", "viewsheds (async job)", "buffers (sync execute)"} <= names

    image = QImage(str(out / "demo.png"))
    assert not image.isNull()
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 20) for y in range(0, image.height(), 20)
    }
    assert len(colours) > 3  # not a blank canvas
