"""tests/gpserver as Esri's own Python client (``arcgis`` from PyPI) sees it.

Skipped where ``arcgis`` is not importable (it is not in the QGIS venv). Run it from a
venv that has it, against a running server, without the QGIS conftest::

    .venv/bin/python -m tests.gpserver --port 8421 &
    ARCGIS_GP_TEST_SERVER=http://127.0.0.1:8421/arcgis/rest/services \
        /work/arcgis-venv/bin/python -m pytest --noconftest -o addopts="" \
        tests/esri_client/test_esri_client.py

Without ``ARCGIS_GP_TEST_SERVER`` the test starts a server itself (which needs GDAL).
Services with a result map service are loaded but not run: Esri's client then builds a
MapImageLayer through a portal (www.arcgis.com without one). ``Analysis`` and
``AnalysisAsync`` are left out: their parameter ``Free Text.Note`` (a real-world name)
becomes invalid Python in the module Esri's client generates.
"""

from __future__ import annotations

import os
import zipfile
from collections.abc import Iterator
from io import BytesIO

import pytest
import requests

geoprocessing = pytest.importorskip("arcgis.geoprocessing")

LOADABLE = ["Elevation/Viewshed", "Bench/Big", "Tools/ReportServer", "PrintServer"]


@pytest.fixture(scope="module")
def services_url() -> Iterator[str]:
    url = os.environ.get("ARCGIS_GP_TEST_SERVER", "").rstrip("/")
    if url:
        yield url
        return
    gpserver = pytest.importorskip("tests.gpserver")
    with gpserver.GPServer(port=0) as server:
        yield server.services_url


@pytest.mark.parametrize("path", LOADABLE)
def test_esri_client_loads_the_service(services_url: str, path: str) -> None:
    """Esri's client reads ``defaultValue`` of every parameter: a description without
    the key raises KeyError there (it did for Elevation/Viewshed)."""
    toolbox = geoprocessing.import_toolbox(f"{services_url}/{path}/GPServer")
    tasks = requests.get(f"{services_url}/{path}/GPServer", params={"f": "json"}, timeout=10)
    for task in tasks.json()["tasks"]:
        name = "".join("_" + c.lower() if c.isupper() else c for c in task).lstrip("_")
        assert hasattr(toolbox, name), (path, task, name)


def test_esri_client_runs_a_synchronous_task(services_url: str) -> None:
    toolbox = geoprocessing.import_toolbox(f"{services_url}/Tools/ReportServer/GPServer")
    result = toolbox.xml_report(title="Quarterly")
    url = result.output_report.url
    assert url.endswith("report.s.xml")
    assert result.report_copy.url == url
    assert "<title>Quarterly</title>" in requests.get(url, timeout=10).text


def test_esri_client_runs_an_asynchronous_job(services_url: str) -> None:
    """The job queues (esriJobSubmitted, esriJobWaiting) before it executes; Esri's
    client waits through every state and fetches the result."""
    toolbox = geoprocessing.import_toolbox(f"{services_url}/PrintServer/GPServer")
    job = toolbox.zip_export(title="Clip", future=True)
    result = job.result()
    assert job.status == "esriJobSucceeded"
    assert result.url.endswith("/clip.zip")
    archive = zipfile.ZipFile(BytesIO(requests.get(result.url, timeout=10).content))
    assert archive.read("readme.txt") == b"Clip\n"
