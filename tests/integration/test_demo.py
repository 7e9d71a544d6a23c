"""`make demo` does its whole job: five kinds of GP run, a map worth showing, clean files.

The demo runs twice into the same folder, as a user re-running it would: the second run
must replace the first one's outputs without error. Everything below checks what the
second run left.
"""

from __future__ import annotations

import re
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest
from qgis.core import (
    QgsApplication,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsProject,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtGui import QImage

from tests.conftest import ROOT
from tests.qgis_install import qgis_location

pytestmark = pytest.mark.slow

#: What the demo leaves in its folder, and nothing else (no -wal, -shm, .aux.xml).
EXPECTED_FILES = {
    "connections.yaml",
    "demo.gpkg",
    "demo.pdf",
    "demo.png",
    "demo.qgz",
    "elevation.tif",
}
MAP_SERVICE = "Viewshed job's result map service (valid only while the demo server runs)"


def _run_demo(out: Path, readme: Path, home: Path) -> str:
    result = subprocess.run(
        [sys.executable, "-m", "scripts.demo", "--output", str(out), "--readme-image", str(readme)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=240,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "HOME": str(home),
            **qgis_location(),
        },
        check=False,
    )
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    assert "GP server stopped" in result.stdout
    return result.stdout


@pytest.fixture(scope="module")
def demo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, Path, set[str]]:
    """The demo run twice into one folder: (folder, the second run's output, README copy,
    the folder's files right after it, before any test opens one)."""
    base = tmp_path_factory.mktemp("demo")
    out, readme = base / "demo-output", base / "readme" / "demo.png"
    first = _run_demo(out, readme, base)
    second = _run_demo(out, readme, base)
    assert _job_ids(first) != _job_ids(second)
    return out, second, readme, {path.name for path in out.iterdir()}


def _job_ids(stdout: str) -> list[str]:
    return re.findall(r"job (\w+)…", stdout)


def _summary_line(stdout: str, task: str) -> str:
    lines = [line for line in stdout.splitlines() if line.strip().startswith(task + " ")]
    assert len(lines) == 1, stdout
    return lines[0]


def test_summary_has_one_line_per_kind_of_run(demo) -> None:
    _, stdout, _, _ = demo
    assert "synchronous (execute)" in _summary_line(stdout, "Analysis/Buffer")
    viewshed = _summary_line(stdout, "Elevation/Viewshed/Viewshed")
    assert "asynchronous job" in viewshed
    assert "3 features + result map service layer" in viewshed
    assert "raster elevation.tif" in _summary_line(stdout, "Elevation/Viewshed/ElevationRaster")
    paged = _summary_line(stdout, "AnalysisAsync/LargeOutput")
    assert "1500 features, past the 1000-record limit: paged" in paged
    background = _summary_line(stdout, "AnalysisAsync/Buffer")
    assert "background job" in background
    assert "fetched by its job id" in background
    for line in (viewshed, paged, background):
        assert re.search(r"\d+\.\d\d s$", line)


def test_outputs_are_whole(demo) -> None:
    out, _, _, _ = demo
    gpkg = out / "demo.gpkg"
    for table, count in (
        ("observers", 3),
        ("buffers", 3),
        ("viewsheds", 3),
        ("study_area", 1),  # dissolved
        ("large_output", 1500),  # past the service's 1000-record limit
    ):
        layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
        assert layer.isValid(), table
        assert layer.featureCount() == count, table
    countries = QgsVectorLayer(f"{gpkg}|layername=countries", "countries", "ogr")
    assert {"Switzerland", "France", "Italy"} <= {f["NAME"] for f in countries.getFeatures()}
    elevation = QgsRasterLayer(str(out / "elevation.tif"), "elevation", "gdal")
    assert elevation.isValid()
    assert elevation.crs().authid() == "EPSG:2056"


def test_every_file_is_closed_cleanly_and_nothing_else_is_left(demo) -> None:
    assert demo[3] == EXPECTED_FILES


def test_the_project_opens_as_it_was_rendered(demo) -> None:
    out, _, _, _ = demo
    project = QgsProject()
    assert project.read(str(out / "demo.qgz"))
    layers = {layer.name(): layer for layer in project.mapLayers().values()}
    assert MAP_SERVICE in layers
    assert "valid only while" in layers[MAP_SERVICE].abstract()
    assert len(layers) == 10
    for name, layer in layers.items():  # the map service's server is gone: no matter
        assert layer.isValid() or name == MAP_SERVICE, name
    assert {"Main map", "Locator map"} <= set(project.mapThemeCollection().mapThemes())

    layout = project.layoutManager().layoutByName("Demo map")
    assert layout is not None
    items = layout.items()
    maps = [item for item in items if isinstance(item, QgsLayoutItemMap)]
    assert {item.followVisibilityPresetName() for item in maps} == {"Main map", "Locator map"}
    assert [item for item in items if isinstance(item, QgsLayoutItemScaleBar)]
    legend = next(item for item in items if isinstance(item, QgsLayoutItemLegend))
    legend_text = " ".join(n.name() for n in legend.model().rootGroup().findLayers())
    for task in ("Analysis/Buffer", "Elevation/Viewshed", "AnalysisAsync/LargeOutput"):
        assert task in legend_text
    arrow = next(item for item in items if isinstance(item, QgsLayoutItemPicture))
    assert Path(arrow.picturePath()).name.startswith("NorthArrow_")
    assert Path(arrow.picturePath()).exists()
    labels = " ".join(item.text() for item in items if isinstance(item, QgsLayoutItemLabel))
    assert "Bern" in labels
    assert re.search(r"\d{1,2} [A-Z][a-z]+ 20\d\d", labels)  # the date


def test_the_project_holds_no_absolute_path_of_the_machine(demo) -> None:
    out, _, _, _ = demo
    with zipfile.ZipFile(out / "demo.qgz") as archive:
        (name,) = [n for n in archive.namelist() if n.endswith(".qgs")]
        text = archive.read(name).decode("utf-8")
    assert "./demo.gpkg|layername=viewsheds" in text
    for absolute in (str(out), str(ROOT), QgsApplication.pkgDataPath(), "arcgis_gp_demo_"):
        assert absolute not in text


def test_the_pictures(demo) -> None:
    out, _, readme, _ = demo
    image = QImage(str(out / "demo.png"))
    assert (image.width(), image.height()) == (1753, 1240)  # A4 landscape at 150 dpi
    colours = {
        image.pixel(x, y) for x in range(0, image.width(), 25) for y in range(0, image.height(), 25)
    }
    assert len(colours) > 200  # a map, not a blank page
    small = QImage(str(readme))
    assert small.width() == 900
    pdf = (out / "demo.pdf").read_bytes()
    assert pdf.startswith(b"%PDF")
    assert set(re.findall(rb"/Count\s+(\d+)", pdf)) == {b"1"}  # one page (updated in place)
