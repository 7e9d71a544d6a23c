"""The environment of a run through processing.run: z and m, output and processing CRSs.

tests/gpserver behaves as ArcGIS does: z and m only when the request asks for them
(``execute``, and each ``jobs/<id>/results/<name>``), ``context`` read from 10.6.1 on,
only ``env:outSR``/``env:processSR`` before.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import processing
import pytest
import yaml
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsProcessingException,
    QgsVectorLayer,
    QgsWkbTypes,
)

from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import connections_from_file
from arcgis_gp.plugin.gptypes.compat import FLAG_ADVANCED
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider
from tests.gpserver import GPServer
from tests.gpserver.registry import DEFAULT_SERVICES_YAML

from .conftest import point_layer

RUN_OPTIONS = ("arcgis_gp_return_z_m", "arcgis_gp_output_sr", "arcgis_gp_processing_sr")
#: A line with z and m, as a survey or a route with measures has them.
LINE_ZM = "LineStringZM(7 46 512.5 0, 7.1 46.1 530.25 15.5)"


def _layer(value) -> QgsVectorLayer:
    if isinstance(value, QgsVectorLayer):
        return value
    layer = QgsVectorLayer(value, "out", "ogr")
    assert layer.isValid(), value
    return layer


def _lines_zm() -> QgsVectorLayer:
    layer = QgsVectorLayer("LineStringZM?crs=EPSG:4326&field=kind:string(20)", "zm", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["survey"])
    feature.setGeometry(QgsGeometry.fromWkt(LINE_ZM))
    assert layer.dataProvider().addFeatures([feature])
    return layer


def _echo_lines(service: str, tmp_path: Path, feedback, **options) -> QgsVectorLayer:
    parameters = {
        "In_Features": _lines_zm(),
        "In_Features_echo": str(tmp_path / f"{service}.gpkg"),
        "In_Table_echo": "TEMPORARY_OUTPUT",
        **options,
    }
    if service == "analysisasync":
        parameters["ADD_RESULT_MAP_LAYER"] = False
    result = processing.run(f"arcgisgp:demo__{service}__alltypes", parameters, feedback=feedback)
    return _layer(result["In_Features_echo"])


def _vertices(layer: QgsVectorLayer) -> list[tuple[float, ...]]:
    (feature,) = layer.getFeatures()
    return [(v.x(), v.y(), v.z(), v.m()) for v in feature.geometry().vertices()]


def _run_requests(gpserver, task: str) -> list:
    return gpserver.requests_to(rf"/{task}/(execute|submitJob)$")


@pytest.mark.parametrize(
    ("service", "asked_at"),
    [("analysis", r"/AllTypes/execute$"), ("analysisasync", r"/results/In_Features_echo$")],
)
def test_z_and_m_arrive(provider, gpserver, tmp_path, feedback, service, asked_at) -> None:
    layer = _echo_lines(service, tmp_path, feedback)
    assert QgsWkbTypes.hasZ(layer.wkbType())
    assert QgsWkbTypes.hasM(layer.wkbType())
    assert _vertices(layer) == [(7.0, 46.0, 512.5, 0.0), (7.1, 46.1, 530.25, 15.5)]
    asking = gpserver.requests_to(asked_at)
    assert asking
    assert all(r.params.get("returnZ") == "true" for r in asking)
    assert all(r.params.get("returnM") == "true" for r in asking)


@pytest.mark.parametrize("service", ["analysis", "analysisasync"])
def test_z_and_m_left_out_when_turned_off(provider, gpserver, tmp_path, feedback, service) -> None:
    algorithm = QgsApplication.processingRegistry().algorithmById(
        f"arcgisgp:demo__{service}__alltypes"
    )
    assert algorithm.parameterDefinition("arcgis_gp_return_z_m").defaultValue() is True
    layer = _echo_lines(service, tmp_path, feedback, arcgis_gp_return_z_m=False)
    assert not QgsWkbTypes.hasZ(layer.wkbType())
    assert not QgsWkbTypes.hasM(layer.wkbType())
    assert [(round(x, 6), round(y, 6)) for x, y, *_ in _vertices(layer)] == [(7, 46), (7.1, 46.1)]
    for request in gpserver.requests_to(r"/AllTypes/(execute|submitJob|jobs/.*/results/.*)$"):
        assert "returnZ" not in request.params
        assert "returnM" not in request.params


def test_the_run_options_are_advanced_and_unset_sends_nothing(
    provider, gpserver, three_points, feedback
) -> None:
    algorithm = QgsApplication.processingRegistry().algorithmById("arcgisgp:demo__analysis__buffer")
    for name in RUN_OPTIONS:
        definition = algorithm.parameterDefinition(name)
        assert definition is not None, name
        assert definition.flags() & FLAG_ADVANCED, name
    result = processing.run(
        "arcgisgp:demo__analysis__buffer",
        {"Input_Features": three_points, "Distance": 1, "Output_Polygons": "TEMPORARY_OUTPUT"},
        feedback=feedback,
    )
    assert _layer(result["Output_Polygons"]).crs().authid() == "EPSG:4326"
    (request,) = _run_requests(gpserver, "Buffer")
    for key in ("context", "env:outSR", "env:processSR"):
        assert key not in request.params


def test_a_task_of_text_and_numbers_has_no_run_options_and_sends_none(
    provider, gpserver, feedback
) -> None:
    algorithm = QgsApplication.processingRegistry().algorithmById(
        "arcgisgp:demo__analysis__scalars"
    )
    assert not [n for n in RUN_OPTIONS if algorithm.parameterDefinition(n) is not None]
    processing.run("arcgisgp:demo__analysis__scalars", {}, feedback=feedback)
    (request,) = _run_requests(gpserver, "Scalars")
    for key in ("returnZ", "returnM", "context", "env:outSR", "env:processSR"):
        assert key not in request.params


@pytest.mark.parametrize("service", ["analysis", "analysisasync"])
def test_outputs_come_in_the_output_spatial_reference(
    provider, gpserver, three_points, feedback, service
) -> None:
    parameters = {
        "Input_Features": three_points,
        "Distance": 1,
        "Output_Polygons": "TEMPORARY_OUTPUT",
        "arcgis_gp_output_sr": "EPSG:3857",
        "arcgis_gp_processing_sr": "EPSG:32632",
    }
    if service == "analysisasync":
        parameters["ADD_RESULT_MAP_LAYER"] = False
    result = processing.run(f"arcgisgp:demo__{service}__buffer", parameters, feedback=feedback)
    layer = _layer(result["Output_Polygons"])
    assert layer.crs().authid() == "EPSG:3857"
    extent = layer.extent()
    assert 700_000 < extent.xMinimum() < extent.xMaximum() < 1_000_000  # metres, not degrees
    assert 5_000_000 < extent.yMinimum() < extent.yMaximum() < 6_000_000
    (request,) = _run_requests(gpserver, "Buffer")
    assert json.loads(request.params["context"]) == {
        "outSR": {"wkid": 102100, "latestWkid": 3857},
        "processSR": {"wkid": 32632, "latestWkid": 32632},
    }
    assert "env:outSR" not in request.params
    assert "env:processSR" not in request.params
    if service == "analysisasync":  # the server kept the processing CRS of the job
        (job_id,) = {
            r.path.split("/jobs/")[1].split("/")[0] for r in gpserver.requests_to("/jobs/")
        }
        assert gpserver.job(job_id).options.process_sr == {"wkid": 32632, "latestWkid": 32632}


def test_an_output_crs_without_an_authority_code_goes_as_wkt(
    provider, gpserver, three_points, feedback
) -> None:
    proj = "+proj=tmerc +lat_0=0 +lon_0=9 +k=1 +x_0=500000 +y_0=0 +ellps=WGS84 +units=m +no_defs"
    result = processing.run(
        "arcgisgp:demo__analysis__buffer",
        {
            "Input_Features": three_points,
            "Distance": 1,
            "Output_Polygons": "TEMPORARY_OUTPUT",
            "arcgis_gp_output_sr": f"PROJ:{proj}",
        },
        feedback=feedback,
    )
    (request,) = _run_requests(gpserver, "Buffer")
    sent = json.loads(request.params["context"])["outSR"]
    assert list(sent) == ["wkt"]
    layer = _layer(result["Output_Polygons"])
    assert "+lon_0=9" in layer.crs().toProj()
    assert 300_000 < layer.extent().xMinimum() < 500_000  # metres from the false easting


def test_an_invalid_crs_names_the_parameter(provider, three_points, feedback) -> None:
    with pytest.raises(QgsProcessingException, match="Output spatial reference"):
        processing.run(
            "arcgisgp:demo__analysis__buffer",
            {
                "Input_Features": three_points,
                "Distance": 1,
                "Output_Polygons": "TEMPORARY_OUTPUT",
                "arcgis_gp_output_sr": "EPSG:999999",
            },
            feedback=feedback,
        )


# -- a server older than 10.6.1 ---------------------------------------------------------


@pytest.fixture
def old_server(tmp_path: Path) -> Iterator[GPServer]:
    """A test server whose GP services report ArcGIS Server 10.4."""
    data = yaml.safe_load(DEFAULT_SERVICES_YAML.read_text(encoding="utf-8"))
    data["services"] = [
        {"path": "Old/Analysis", "currentVersion": 10.4, "tasks": ["Buffer"]},
        {
            "path": "Old/AnalysisAsync",
            "currentVersion": 10.4,
            "executionType": "Asynchronous",
            "tasks": ["Buffer"],
        },
    ]
    services = tmp_path / "services.yaml"
    services.write_text(yaml.safe_dump(data), encoding="utf-8")
    with GPServer(services_yaml=services, workdir=tmp_path / "old") as server:
        yield server


@pytest.fixture
def old_provider(qgis_processing, old_server: GPServer, tmp_path: Path) -> Iterator[None]:
    connections = tmp_path / "connections.yaml"
    connections.write_text(
        f"connections:\n  - name: old\n    url: {old_server.services_url}\n", encoding="utf-8"
    )
    registry = QgsApplication.processingRegistry()
    provider = ArcGisGpProvider(
        cache=CatalogCache(tmp_path / "catalogs"),
        connections=lambda: connections_from_file(connections),
    )
    assert registry.addProvider(provider)
    provider.refresh_catalogs(blocking=True)
    yield
    registry.removeProvider(provider)
    forget_clients()


@pytest.mark.parametrize("service", ["analysis", "analysisasync"])
def test_an_old_server_gets_env_out_sr(old_provider, old_server, feedback, service) -> None:
    result = processing.run(
        f"arcgisgp:old__old_{service}__buffer",
        {
            "Input_Features": point_layer([("a", 7.5, 46.9)]),
            "Distance": 1,
            "Output_Polygons": "TEMPORARY_OUTPUT",
            "arcgis_gp_output_sr": "EPSG:3857",
            "arcgis_gp_processing_sr": "EPSG:2056",
        },
        feedback=feedback,
    )
    layer = _layer(result["Output_Polygons"])
    assert layer.crs().authid() == "EPSG:3857"
    assert 800_000 < layer.extent().xMinimum() < 900_000
    (request,) = _run_requests(old_server, "Buffer")
    assert "context" not in request.params
    assert json.loads(request.params["env:outSR"]) == {"wkid": 102100, "latestWkid": 3857}
    assert json.loads(request.params["env:processSR"]) == {"wkid": 2056, "latestWkid": 2056}


# -- outputs read from layers: past the transfer limit, hosted feature layers -----------


def test_pages_past_the_transfer_limit_match_the_first_answer(provider, gpserver, feedback) -> None:
    result = processing.run(
        "arcgisgp:demo__analysisasync__largeoutput",
        {
            "Feature_Count": 2500,
            "Output_Features": "TEMPORARY_OUTPUT",
            "ADD_RESULT_MAP_LAYER": False,
            "arcgis_gp_output_sr": "EPSG:3857",
        },
        feedback=feedback,
    )
    layer = _layer(result["Output_Features"])
    assert layer.featureCount() == 2500
    assert layer.crs().authid() == "EPSG:3857"
    assert QgsWkbTypes.hasZ(layer.wkbType())
    extent = layer.extent()
    assert extent.xMinimum() > 500_000  # every page in metres, none left in degrees
    assert extent.yMinimum() > 5_000_000
    zs = {v.z() for f in layer.getFeatures() for v in f.geometry().vertices()}
    assert len(zs) > 1  # the server's z values, not a filler
    queries = gpserver.requests_to(r"/MapServer/jobs/.*/query$")
    assert len(queries) >= 3
    for query in queries:
        assert query.params["returnZ"] == "true"
        assert json.loads(query.params["outSR"]) == {"wkid": 102100, "latestWkid": 3857}


def test_a_hosted_feature_layer_output_comes_in_the_output_spatial_reference(
    provider, gpserver, feedback
) -> None:
    result = processing.run(
        "arcgisgp:demo__analysis__parcelsbyzone",
        {"Zone": 1, "Output_Parcels": "TEMPORARY_OUTPUT", "arcgis_gp_output_sr": "EPSG:4326"},
        feedback=feedback,
    )
    layer = _layer(result["Output_Parcels"])
    assert layer.featureCount() == 60
    assert layer.crs().authid() == "EPSG:4326"
    extent = layer.extent()
    assert -180 <= extent.xMinimum() <= extent.xMaximum() <= 180
    assert -90 <= extent.yMinimum() <= extent.yMaximum() <= 90
