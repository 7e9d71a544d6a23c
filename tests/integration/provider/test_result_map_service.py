"""Result map services: the job's map as a layer, and outputs fetched whole past the limit."""

from __future__ import annotations

import processing
from qgis.core import (
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsRasterLayer,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize
from qgis.PyQt.QtGui import QColor


def test_2500_features_arrive_whole_through_map_service_paging(provider, gpserver, feedback):
    result = processing.run(
        "arcgisgp:demo__analysisasync__largeoutput",
        {
            "Feature_Count": 2500,
            "Output_Features": "TEMPORARY_OUTPUT",
            "ADD_RESULT_MAP_LAYER": False,
        },
        feedback=feedback,
    )
    layer = result["Output_Features"]
    assert isinstance(layer, QgsVectorLayer)
    assert layer.featureCount() == 2500
    ids = sorted(f["OBJECTID"] for f in layer.getFeatures())
    assert ids == list(range(ids[0], ids[0] + 2500))  # no page lost or repeated
    assert any("page by page" in warning for warning in feedback.warnings)
    queries = [r for r in gpserver.requests if r.path.endswith("/query")]
    assert len(queries) >= 3  # 1000 + 1000 + 500
    assert "RESULT_MAP_LAYER" not in result


def test_result_map_service_layer_is_valid_and_draws(provider, three_points, feedback):
    result = processing.run(
        "arcgisgp:demo__elevation_viewshed__viewshed",
        {
            "Input_Observer": three_points,
            "Radius": 5,
            "Radius_units": "esriKilometers",
            "Output_Viewshed": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    layer = result["RESULT_MAP_LAYER"]
    assert isinstance(layer, QgsRasterLayer)
    assert layer.isValid()
    assert layer.providerType() == "arcgismapserver"
    assert f"MapServer/jobs/{result['JOB_ID']}" in layer.source()
    assert layer.customProperty("arcgis_gp/job_id") == result["JOB_ID"]

    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(result["Output_Viewshed"].extent())
    settings.setOutputSize(QSize(300, 300))
    settings.setBackgroundColor(QColor(0, 0, 0, 0))  # only what the server drew is opaque
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    drawn = sum(
        1 for x in range(0, 300, 5) for y in range(0, 300, 5) if image.pixelColor(x, y).alpha() > 0
    )
    assert drawn > 50  # the viewsheds are drawn, not an empty image
