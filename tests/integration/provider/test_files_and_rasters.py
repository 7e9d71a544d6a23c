"""Raster and file outputs are downloaded; local files are uploaded."""

from __future__ import annotations

import json
from pathlib import Path

import processing
import pytest
from osgeo import gdal
from qgis.core import QgsProcessingException, QgsRasterLayer


def test_raster_output_is_downloaded_and_opens(provider, tmp_path: Path, feedback) -> None:
    target = tmp_path / "elevation.tif"
    result = processing.run(
        "arcgisgp:demo__elevation_viewshed__elevationraster",
        {
            "Extent": "7.3,7.5,46.9,47.0 [EPSG:4326]",
            "Cell_Size": 0.01,
            "Output_Raster": str(target),
        },
        feedback=feedback,
    )
    assert Path(result["Output_Raster"]) == target
    layer = QgsRasterLayer(str(target), "elevation")
    assert layer.isValid()
    assert layer.width() == pytest.approx(20, abs=1)
    assert layer.crs().authid() == "EPSG:4326"
    dataset = gdal.Open(str(target))  # keep it referenced while its band is used
    minimum, maximum = dataset.GetRasterBand(1).ComputeRasterMinMax(False)
    assert maximum > minimum  # real values, not an empty raster


@pytest.mark.parametrize(("fmt", "marker"), [("CSV", ","), ("HTML", "<html")])
def test_file_output_is_downloaded(provider, three_points, tmp_path, fmt, marker, feedback):
    target = tmp_path / f"report.{fmt.lower()}"
    result = processing.run(
        "arcgisgp:demo__elevation_viewshed__report",
        {"Input_Features": three_points, "Report_Format": fmt, "Output_Report": str(target)},
        feedback=feedback,
    )
    assert Path(result["Output_Report"]) == target
    text = target.read_text(encoding="utf-8")
    assert marker in text.lower()
    assert "Bern" in text


def test_local_file_is_uploaded_and_sent_as_item_id(provider, gpserver, tmp_path, feedback):
    document = tmp_path / "notes.csv"
    document.write_text("a,b\n1,2\n", encoding="utf-8")
    processing.run(
        "arcgisgp:demo__analysisasync__alltypes",
        {"In_File": str(document), "In_Features_echo": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    uploads = [r for r in gpserver.requests if r.path.endswith("/uploads/upload")]
    assert len(uploads) == 1
    submits = [r for r in gpserver.requests if r.path.endswith("/submitJob")]
    sent = json.loads(submits[-1].form["In_File"])
    assert set(sent) == {"itemID"}


def test_local_file_without_uploads_capability_names_the_reason(provider, tmp_path, feedback):
    document = tmp_path / "notes.csv"
    document.write_text("a,b\n", encoding="utf-8")
    with pytest.raises(QgsProcessingException, match="Uploads"):
        processing.run(
            "arcgisgp:demo__analysis__alltypes", {"In_File": str(document)}, feedback=feedback
        )
