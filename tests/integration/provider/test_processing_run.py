"""Every kind of task runs through processing.run against tests/gpserver, sync and async."""

from __future__ import annotations

import threading
from pathlib import Path

import processing
import pytest
import requests
from qgis.core import (
    QgsProcessingException,
    QgsVectorLayer,
    QgsWkbTypes,
)

from .conftest import point_layer

SERVICES = ("analysis", "analysisasync")


def _algorithm_ids(provider) -> set[str]:
    return {algorithm.id() for algorithm in provider.algorithms()}


def _layer(value) -> QgsVectorLayer:
    if isinstance(value, QgsVectorLayer):
        return value
    layer = QgsVectorLayer(value, "out", "ogr")
    assert layer.isValid(), value
    return layer


def test_every_gp_task_is_an_algorithm_with_a_stable_id(provider) -> None:
    ids = _algorithm_ids(provider)
    for expected in (
        "arcgisgp:demo__analysis__buffer",
        "arcgisgp:demo__analysis__hot_spots",
        "arcgisgp:demo__analysisasync__buffer",
        "arcgisgp:demo__elevation_viewshed__viewshed",
        "arcgisgp:demo__elevation_viewshed__slowtask",
    ):
        assert expected in ids
    assert not [i for i in ids if "basemaps" in i or "hosted" in i]  # MapServer/FeatureServer
    buffer = provider.algorithm("demo__analysis__buffer")
    assert buffer.group() == "demo › Analysis"  # noqa: RUF001
    assert buffer.displayName()


@pytest.mark.parametrize("service", SERVICES)
def test_buffer_points_into_a_geopackage(provider, three_points, tmp_path: Path, service, feedback):
    gpkg = tmp_path / "out.gpkg"
    result = processing.run(
        f"arcgisgp:demo__{service}__buffer",
        {
            "Input_Features": three_points,
            "Distance": 2,
            "Distance_units": "esriKilometers",
            "Output_Polygons": str(gpkg),
        },
        feedback=feedback,
    )
    layer = _layer(result["Output_Polygons"])
    assert layer.featureCount() == 3
    assert QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.GeometryType.PolygonGeometry
    assert layer.crs().authid() == "EPSG:4326"
    assert "name" in layer.fields().names()
    names = sorted(f["name"] for f in layer.getFeatures())
    assert names == ["Bern", "Biel", "Thun"]
    # A 2 km buffer around a point at 47°N spans about 0.053° of longitude.
    width = next(layer.getFeatures()).geometry().boundingBox().width()
    assert 0.04 < width < 0.07
    if service == "analysisasync":
        assert result["JOB_ID"]
    else:
        assert "JOB_ID" not in result


def test_selected_features_only_sends_the_selection(provider, three_points, feedback) -> None:
    from qgis.core import QgsProcessingFeatureSourceDefinition, QgsProject

    QgsProject.instance().addMapLayer(three_points)
    try:
        three_points.selectByIds([next(three_points.getFeatures()).id()])
        result = processing.run(
            "arcgisgp:demo__analysis__buffer",
            {
                "Input_Features": QgsProcessingFeatureSourceDefinition(three_points.id(), True),
                "Distance": 100,
                "Output_Polygons": "TEMPORARY_OUTPUT",
            },
            feedback=feedback,
        )
        assert _layer(result["Output_Polygons"]).featureCount() == 1
    finally:
        QgsProject.instance().removeMapLayer(three_points.id())


def test_projected_input_keeps_its_crs(provider, feedback) -> None:
    swiss = point_layer([("Bern", 2600000, 1200000)], crs="EPSG:2056")
    result = processing.run(
        "arcgisgp:demo__analysis__buffer",
        {"Input_Features": swiss, "Distance": 500, "Output_Polygons": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    layer = _layer(result["Output_Polygons"])
    assert layer.crs().authid() == "EPSG:2056"
    width = next(layer.getFeatures()).geometry().boundingBox().width()
    assert width == pytest.approx(1000, rel=0.02)


@pytest.mark.parametrize("service", SERVICES)
def test_scalars(provider, service, feedback) -> None:
    result = processing.run(
        f"arcgisgp:demo__{service}__scalars", {"Count": 7, "Factor": 2.5}, feedback=feedback
    )
    assert isinstance(result["Output_Long"], int)
    assert isinstance(result["Output_Double"], float)
    assert isinstance(result["Output_Boolean"], bool)
    assert isinstance(result["Output_String"], str)
    assert result["Output_Date"].endswith("Z")


@pytest.mark.parametrize("service", SERVICES)
def test_summary_table_has_no_geometry(provider, three_points, service, feedback) -> None:
    result = processing.run(
        f"arcgisgp:demo__{service}__summarize",
        {"Input_Features": three_points, "Group_Field": "name", "Output_Table": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    table = _layer(result["Output_Table"])
    assert table.wkbType() == QgsWkbTypes.Type.NoGeometry
    assert table.featureCount() == 3


def test_async_messages_and_progress_reach_the_feedback(provider, feedback) -> None:
    processing.run("arcgisgp:demo__elevation_viewshed__slowtask", {"Seconds": 2}, feedback=feedback)
    assert any("submitted" in line for line in feedback.infos)
    assert len(feedback.infos) > 2  # the server's messages, one per second
    assert feedback.progress_values
    assert max(feedback.progress_values) == 100


def test_failing_task_raises_with_the_server_message(provider, feedback) -> None:
    with pytest.raises(QgsProcessingException) as raised:
        processing.run("arcgisgp:demo__elevation_viewshed__failingtask", {}, feedback=feedback)
    assert "failed" in str(raised.value).lower()
    assert feedback.errors  # the job's error messages, at error level


def test_timed_out_task_raises(provider, feedback) -> None:
    with pytest.raises(QgsProcessingException, match="timed out"):
        processing.run("arcgisgp:demo__elevation_viewshed__timeouttask", {}, feedback=feedback)


def test_cancel_mid_job_cancels_it_on_the_server(provider, gpserver, feedback) -> None:
    timer = threading.Timer(1.5, feedback.cancel)
    timer.start()
    try:
        result = processing.run(
            "arcgisgp:demo__elevation_viewshed__slowtask", {"Seconds": 60}, feedback=feedback
        )
    finally:
        timer.cancel()
    assert result.get("JOB_ID") is None  # nothing reported as success
    job_id = next(
        line.split()[1]
        for line in feedback.infos
        if line.startswith("Job ") and "submitted" in line
    )
    status = requests.get(
        f"{gpserver.services_url}/Elevation/Viewshed/GPServer/SlowTask/jobs/{job_id}",
        params={"f": "json"},
        timeout=10,
    ).json()
    assert status["jobStatus"] == "esriJobCancelled"


def test_viewshed_polygons_per_observer(provider, three_points, feedback) -> None:
    result = processing.run(
        "arcgisgp:demo__elevation_viewshed__viewshed",
        {
            "Input_Observer": three_points,
            "Radius": 3,
            "Radius_units": "esriKilometers",
            "Output_Viewshed": "TEMPORARY_OUTPUT",
        },
        feedback=feedback,
    )
    layer = _layer(result["Output_Viewshed"])
    assert layer.featureCount() == 3
    assert QgsWkbTypes.geometryType(layer.wkbType()) == QgsWkbTypes.GeometryType.PolygonGeometry


def test_transfer_limit_without_map_service_warns_and_keeps_what_came(provider, feedback):
    result = processing.run(
        "arcgisgp:demo__analysis__largeoutput",
        {"Feature_Count": 1500, "Output_Features": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    assert _layer(result["Output_Features"]).featureCount() == 1000  # maximumRecords
    assert any("transfer limit" in warning for warning in feedback.warnings)


def test_small_output_gives_no_transfer_warning(provider, feedback) -> None:
    processing.run(
        "arcgisgp:demo__analysis__largeoutput",
        {"Feature_Count": 10, "Output_Features": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    assert not any("transfer limit" in warning for warning in feedback.warnings)
