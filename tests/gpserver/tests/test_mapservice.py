"""Result map services (``…/MapServer/jobs/<jobId>``) and the static map/feature services."""

from __future__ import annotations

import json

import numpy as np
import pytest
import requests
from osgeo import gdal

from .helpers import get, points, run_job


@pytest.fixture
def large_job(gpserver) -> tuple[str, str]:
    """A succeeded AnalysisAsync LargeOutput job of 2500 features: (map URL, job id)."""
    job_id, status = run_job(gpserver.task_url("AnalysisAsync", "LargeOutput"), Feature_Count=2500)
    assert status["jobStatus"] == "esriJobSucceeded"
    return f"{gpserver.services_url}/AnalysisAsync/MapServer/jobs/{job_id}", job_id


def _decode_png(content: bytes) -> np.ndarray:
    name = "/vsimem/gpserver_test.png"
    gdal.FileFromMemBuffer(name, content)
    try:
        dataset = gdal.Open(name)
        assert dataset.GetDriver().ShortName == "PNG"
        return dataset.ReadAsArray()  # bands x rows x columns
    finally:
        dataset = None
        gdal.Unlink(name)


def test_map_service_of_a_job(gpserver, large_job) -> None:
    url, _ = large_job
    description = get(url)
    assert description["layers"] == [
        {
            "id": 0,
            "name": "Output_Features",
            "parentLayerId": -1,
            "defaultVisibility": True,
            "subLayerIds": None,
            "minScale": 0,
            "maxScale": 0,
            "type": "Feature Layer",
            "geometryType": "esriGeometryPolygon",
            "supportsDynamicLegends": True,
        }
    ]
    assert description["spatialReference"] == {"wkid": 4326, "latestWkid": 4326}
    assert description["maxRecordCount"] == 1000
    assert description["singleFusedMapCache"] is False
    extent = description["fullExtent"]
    assert extent["xmin"] == 5.0
    assert extent["ymin"] == 45.0
    assert extent["xmax"] == pytest.approx(5.498)
    assert extent["ymax"] == pytest.approx(45.498)


def test_layer_description(gpserver, large_job) -> None:
    url, _ = large_job
    layer = get(f"{url}/0")
    assert layer["type"] == "Feature Layer"
    assert layer["geometryType"] == "esriGeometryPolygon"
    assert layer["objectIdField"] == "OBJECTID"
    assert [f["name"] for f in layer["fields"]] == [
        "OBJECTID",
        "NAME",
        "CATEGORY",
        "VALUE",
        "COUNT",
        "CREATED",
    ]
    assert layer["advancedQueryCapabilities"]["supportsPagination"] is True
    assert layer["extent"]["spatialReference"]["wkid"] == 4326
    assert get(f"{url}/7")["error"]["code"] == 400


def test_query_pages_through_everything(gpserver, large_job) -> None:
    url, _ = large_job
    seen: list[int] = []
    offset = 0
    while True:
        page = get(
            f"{url}/0/query",
            where="1=1",
            outFields="*",
            resultOffset=offset,
            resultRecordCount=1000,
            returnGeometry="false",
        )
        seen.extend(f["attributes"]["OBJECTID"] for f in page["features"])
        offset += len(page["features"])
        if not page.get("exceededTransferLimit"):
            break
    assert seen == list(range(1, 2501))
    unpaged = get(f"{url}/0/query", where="1=1")
    assert len(unpaged["features"]) == 1000
    assert unpaged["exceededTransferLimit"] is True
    assert list(unpaged["features"][0]["attributes"]) == ["OBJECTID"]


def test_query_filters_and_orders(gpserver, large_job) -> None:
    url, _ = large_job
    count = get(f"{url}/0/query", where="CATEGORY = 3 AND COUNT < 500", returnCountOnly="true")
    expected = sum(1 for i in range(2500) if i % 7 == 3 and (i * 7) % 1000 < 500)
    assert count == {"count": expected}
    ids = get(f"{url}/0/query", where="NAME LIKE 'Feature 1_'", returnIdsOnly="true")
    assert ids == {"objectIdFieldName": "OBJECTID", "objectIds": list(range(10, 20))}
    ordered = get(
        f"{url}/0/query",
        objectIds="3,1,2",
        outFields="NAME,COUNT",
        orderByFields="COUNT DESC",
        returnGeometry="false",
    )
    assert [f["attributes"] for f in ordered["features"]] == [
        {"OBJECTID": 3, "NAME": "Feature 3", "COUNT": 14},
        {"OBJECTID": 2, "NAME": "Feature 2", "COUNT": 7},
        {"OBJECTID": 1, "NAME": "Feature 1", "COUNT": 0},
    ]
    dated = get(f"{url}/0/query", where="CREATED < DATE '2000-01-01 02:30:00'", returnCountOnly=1)
    assert dated == {"count": 3}
    broken = get(f"{url}/0/query", where="NOPE ===")
    assert broken["error"]["code"] == 400


def test_query_geometry_filter_out_sr_and_extent(gpserver, large_job) -> None:
    url, _ = large_job
    box = {
        "xmin": 5.0,
        "ymin": 45.0,
        "xmax": 5.015,
        "ymax": 45.005,
        "spatialReference": {"wkid": 4326},
    }
    hits = get(
        f"{url}/0/query",
        geometry=json.dumps(box),
        geometryType="esriGeometryEnvelope",
        outFields="OBJECTID",
        outSR=3857,
    )
    assert sorted(f["attributes"]["OBJECTID"] for f in hits["features"]) == [1, 2]
    assert hits["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
    x, y = hits["features"][0]["geometry"]["rings"][0][0]
    assert x == pytest.approx(556597.45, abs=0.1)
    assert y == pytest.approx(5621521.49, abs=0.1)
    extent = get(f"{url}/0/query", objectIds="1", returnExtentOnly="true")["extent"]
    assert extent["xmin"] == 5.0
    assert extent["xmax"] == pytest.approx(5.008)


def test_export_draws_a_real_png(gpserver, large_job) -> None:
    url, _ = large_job
    response = requests.get(
        f"{url}/export",
        params={
            "bbox": "4.999,44.999,5.021,45.021",
            "bboxSR": 4326,
            "size": "220,220",
            "format": "png32",
            "transparent": "true",
            "f": "image",
        },
        timeout=30,
    )
    assert response.headers["Content-Type"] == "image/png"
    image = _decode_png(response.content)
    assert image.shape == (4, 220, 220)
    alpha = image[3]
    # a square covers (5.000..5.008, 45.000..45.008): lower left of the image
    assert alpha[-20, 20] > 0
    assert image[0, -20, 20] > image[2, -20, 20]  # orange-ish fill
    # the gap between squares (5.008..5.010) is left transparent
    assert alpha[-20, 100] == 0
    opaque = requests.get(
        f"{url}/export",
        params={"bbox": "0,0,1,1", "size": "10,10", "transparent": "false", "f": "image"},
        timeout=30,
    )
    assert (_decode_png(opaque.content)[3] == 255).all()


def test_export_with_an_empty_layer_list_draws_the_default_layers(gpserver, large_job) -> None:
    """QGIS asks a whole map service for ``layers=show:`` (its URI names no layer)."""
    url, _ = large_job
    params = {"bbox": "4.999,44.999,5.021,45.021", "size": "220,220", "f": "image"}
    for layers in ("show:", "include:", "hide:", "show:0"):
        response = requests.get(
            f"{url}/export", params={**params, "layers": layers, "transparent": "true"}, timeout=30
        )
        assert _decode_png(response.content)[3][-20, 20] > 0, layers  # a square is drawn
    response = requests.get(
        f"{url}/export", params={**params, "layers": "hide:0", "transparent": "true"}, timeout=30
    )
    assert (_decode_png(response.content)[3] == 0).all()


def test_export_as_json_and_in_another_crs(gpserver, large_job) -> None:
    url, _ = large_job
    answer = get(f"{url}/export", bbox="5,45,5.5,45.5", bboxSR=4326, imageSR=3857, size="100,80")
    assert answer["width"] == 100
    assert answer["height"] == 80
    assert answer["extent"]["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
    assert answer["extent"]["xmin"] == pytest.approx(556597.45, abs=1)
    image = requests.get(answer["href"], timeout=10)
    assert _decode_png(image.content).shape == (4, 80, 100)


def test_legend_and_layers(gpserver, large_job) -> None:
    url, _ = large_job
    legend = get(f"{url}/legend")["layers"][0]
    assert legend["layerId"] == 0
    assert legend["legend"][0]["contentType"] == "image/png"
    assert get(f"{url}/layers")["layers"][0]["name"] == "Output_Features"


def test_raster_outputs_are_raster_layers(gpserver) -> None:
    job_id, _ = run_job(gpserver.task_url("Elevation/Viewshed", "ElevationRaster"))
    url = f"{gpserver.services_url}/Elevation/Viewshed/MapServer/jobs/{job_id}"
    description = get(url)
    assert description["layers"][0]["type"] == "Raster Layer"
    image = requests.get(
        f"{url}/export",
        params={"bbox": "10,45,10.5,45.5", "size": "50,50", "transparent": "true", "f": "image"},
        timeout=30,
    )
    pixels = _decode_png(image.content)
    assert (pixels[3] == 255).all()
    assert pixels[0].max() > pixels[0].min()  # a grey ramp, not a flat colour
    assert get(f"{url}/0/query")["error"]["code"] == 400


def test_image_service_outputs_are_image_servers(gpserver) -> None:
    task_url = gpserver.task_url("Elevation/Viewshed", "ElevationImageService")
    job_id, _ = run_job(task_url)
    value = get(f"{task_url}/jobs/{job_id}/results/Output_Image", returnType="data")["value"]
    assert value["type"] == "ImageService"
    assert value["url"].endswith(f"/rest/services/Results/{job_id}_Output_Image/ImageServer")
    description = get(value["url"])
    assert description["serviceDataType"].startswith("esriImageService")
    assert description["extent"]["xmin"] == pytest.approx(10)
    image = requests.get(
        f"{value['url']}/exportImage",
        params={"bbox": "10,45,10.5,45.5", "size": "40,40", "format": "png", "f": "image"},
        timeout=30,
    )
    pixels = _decode_png(image.content)
    assert pixels[0].max() > pixels[0].min()
    assert get(f"{gpserver.services_url}/Results/nothing/ImageServer")["error"]["code"] == 404


def test_result_map_service_errors(gpserver) -> None:
    base = f"{gpserver.services_url}/AnalysisAsync/MapServer"
    assert get(base)["layers"] == []
    assert "does not exist" in get(f"{base}/jobs/jnothing")["error"]["message"]
    failed_id, _ = run_job(gpserver.task_url("Elevation/Viewshed", "FailingTask"))
    failed = get(f"{gpserver.services_url}/Elevation/Viewshed/MapServer/jobs/{failed_id}")
    assert failed["error"]["code"] == 400
    assert get(f"{gpserver.services_url}/Nothing/MapServer")["error"]["code"] == 500


def test_static_services(gpserver) -> None:
    world = f"{gpserver.services_url}/Basemaps/World/MapServer"
    names = get(f"{world}/0/query", where="1=1", outFields="NAME", returnGeometry="false")
    assert [f["attributes"]["NAME"] for f in names["features"]] == [
        "Africa",
        "Europe",
        "Asia",
        "North America",
        "South America",
        "Oceania",
    ]
    image = requests.get(
        f"{world}/export", params={"bbox": "-180,-90,180,90", "f": "image"}, timeout=30
    )
    assert _decode_png(image.content)[3].any()
    parcels = get(
        f"{gpserver.services_url}/Hosted/Parcels/FeatureServer/0/query",
        where="LAND_USE = 'Park'",
        outFields="*",
    )
    assert len(parcels["features"]) == 15
    assert parcels["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}


def test_viewshed_job_layer_in_its_own_crs(gpserver) -> None:
    url = gpserver.task_url("Elevation/Viewshed", "Viewshed")
    job_id, _ = run_job(url, Input_Observer=points([(1113195.0, 5621521.0)], wkid=3857))
    layer = get(f"{gpserver.services_url}/Elevation/Viewshed/MapServer/jobs/{job_id}/0")
    assert layer["extent"]["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}


def test_qgis_providers_read_the_result_map_service(gpserver, large_job, qgis_app) -> None:
    """QGIS's own ArcGIS providers, pointed at …/MapServer/jobs/<jobId>, work."""
    from qgis.core import (
        QgsMapRendererParallelJob,
        QgsMapSettings,
        QgsRasterLayer,
        QgsVectorLayer,
    )
    from qgis.PyQt.QtCore import QSize

    url, _ = large_job
    raster = QgsRasterLayer(
        f"crs='EPSG:4326' format='PNG32' layer='0' url='{url}'", "r", "arcgismapserver"
    )
    assert raster.isValid(), raster.error().message()
    assert raster.extent().xMinimum() == pytest.approx(5.0)
    vector = QgsVectorLayer(f"crs='EPSG:4326' url='{url}/0'", "v", "arcgisfeatureserver")
    assert vector.isValid()
    assert vector.featureCount() == 2500
    assert sum(1 for _ in vector.getFeatures()) == 2500
    settings = QgsMapSettings()
    settings.setLayers([raster])
    settings.setOutputSize(QSize(100, 100))
    settings.setExtent(raster.extent())
    settings.setDestinationCrs(raster.crs())
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    colour = job.renderedImage().pixelColor(50, 50)
    assert colour.alpha() == 255
    assert colour.red() > colour.blue()
    assert gpserver.requests_to(r"/MapServer/jobs/.*/export$")
