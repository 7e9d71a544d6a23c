"""Services as values: image-service and feature-service outputs, service layers as inputs."""

from __future__ import annotations

import json

import processing
from qgis.core import (
    QgsMapRendererSequentialJob,
    QgsMapSettings,
    QgsProcessingContext,
    QgsProcessingFeatureSourceDefinition,
    QgsProject,
    QgsRasterLayer,
    QgsRectangle,
    QgsVectorLayer,
)
from qgis.PyQt.QtCore import QSize


def _drawn_pixels(layer: QgsRasterLayer, extent: QgsRectangle) -> int:
    settings = QgsMapSettings()
    settings.setLayers([layer])
    settings.setDestinationCrs(layer.crs())
    settings.setExtent(extent)
    settings.setOutputSize(QSize(200, 200))
    job = QgsMapRendererSequentialJob(settings)
    job.start()
    job.waitForFinished()
    image = job.renderedImage()
    return sum(
        1 for x in range(0, 200, 5) for y in range(0, 200, 5) if image.pixelColor(x, y).alpha()
    )


def _form_value(gpserver, operation: str, name: str) -> object:
    posts = [r for r in gpserver.requests if r.method == "POST" and r.path.endswith(operation)]
    return json.loads(posts[-1].form[name])


def test_image_service_output_is_added_as_a_layer_that_draws(provider, gpserver, feedback):
    context = QgsProcessingContext()
    context.setProject(QgsProject.instance())
    result = processing.run(
        "arcgisgp:demo__elevation_viewshed__elevationimageservice",
        {"Cell_Size": 0.01, "Output_Image": "TEMPORARY_OUTPUT"},
        context=context,
        feedback=feedback,
    )
    layer = result["Output_Image"]  # processing.run hands back the layer itself
    assert isinstance(layer, QgsRasterLayer)
    assert layer.id() in context.layersToLoadOnCompletion()
    assert layer.isValid(), layer.error().summary()
    assert layer.providerType() == "arcgismapserver"
    assert f"Results/{result['JOB_ID']}_Output_Image/ImageServer" in layer.source()
    # drawn by the server's exportImage, not downloaded
    assert _drawn_pixels(layer, QgsRectangle(10, 45, 10.5, 45.5)) > 100
    assert any(r.path.endswith("/exportImage") for r in gpserver.requests)
    assert not any("/rest/directories/" in r.path for r in gpserver.requests)


def test_feature_service_output_is_copied_into_the_sink(provider, gpserver, tmp_path, feedback):
    target = tmp_path / "parcels.gpkg"
    result = processing.run(
        "arcgisgp:demo__analysis__parcelsbyzone",
        {"Zone": 1, "Output_Parcels": str(target)},
        feedback=feedback,
    )
    layer = QgsVectorLayer(result["Output_Parcels"], "parcels")
    assert layer.isValid()
    assert layer.featureCount() == 60
    assert layer.crs().authid() == "EPSG:3857"
    assert {"PARCEL_ID", "LAND_USE", "AREA_M2", "ZONE"} <= set(layer.fields().names())
    assert sorted(f["PARCEL_ID"] for f in layer.getFeatures())[0] == "P-1000"
    assert any("copied from the feature service" in info for info in feedback.infos)
    assert any(r.path.endswith("Hosted/Parcels/FeatureServer/0/query") for r in gpserver.requests)


def test_service_layer_url_with_where_is_sent_as_url_and_filter(provider, gpserver, feedback):
    parcels = f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0"
    result = processing.run(
        "arcgisgp:demo__analysis__buffer",
        {
            "Input_Features": f"{parcels}?where=ZONE = 2",
            "Distance": 10,
            "Distance_units": "esriMeters",
            "Output_Polygons": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    assert _form_value(gpserver, "/execute", "Input_Features") == {
        "url": parcels,
        "filter": "ZONE = 2",
    }
    assert result["Output_Polygons"].featureCount() == 10  # the 10 parcels of zone 2


def test_feature_service_layer_is_passed_by_reference(provider, gpserver, feedback):
    parcels = f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0"
    layer = QgsVectorLayer(f"crs='EPSG:3857' url='{parcels}'", "parcels", "arcgisfeatureserver")
    assert layer.isValid()
    processing.run(
        "arcgisgp:demo__analysis__buffer",
        {
            "Input_Features": layer,
            "Distance": 10,
            "Distance_units": "esriMeters",
            "Output_Polygons": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    assert _form_value(gpserver, "/execute", "Input_Features") == {"url": parcels}


def test_a_selection_of_a_service_layer_sends_the_features(provider, gpserver, feedback):
    parcels = f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0"
    layer = QgsVectorLayer(f"crs='EPSG:3857' url='{parcels}'", "parcels", "arcgisfeatureserver")
    QgsProject.instance().addMapLayer(layer)
    try:
        layer.selectByIds([f.id() for f in layer.getFeatures()][:3])
        result = processing.run(
            "arcgisgp:demo__analysis__buffer",
            {
                "Input_Features": QgsProcessingFeatureSourceDefinition(layer.id(), True),
                "Distance": 10,
                "Distance_units": "esriMeters",
                "Output_Polygons": "TEMPORARY_OUTPUT",
            },
            feedback=feedback,
        )
    finally:
        QgsProject.instance().removeMapLayer(layer.id())
    sent = _form_value(gpserver, "/execute", "Input_Features")
    assert "url" not in sent
    assert len(sent["features"]) == 3
    assert result["Output_Polygons"].featureCount() == 3
