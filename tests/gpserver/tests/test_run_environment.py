"""The environment of a run as real servers read it: outSR/processSR by version, z and m.

ArcGIS reads ``context`` (``outSR``, ``processSR``) from 10.6.1 on and still honours the
deprecated ``env:outSR``/``env:processSR``; an older server knows only the ``env:`` keys
and ignores ``context``. z and m come only when the request asks (``returnZ``/``returnM``,
default false) on ``execute`` and on each ``jobs/<id>/results/<name>``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest
import yaml

from tests.gpserver import GPServer
from tests.gpserver.registry import DEFAULT_SERVICES_YAML, RegistryError, load_registry

from .helpers import get, points, post, result, run_job

#: Per the services directory of a 10.4 server: only env:outSR / env:processSR exist.
OLD_VERSION = 10.4

LINE_ZM = {
    "geometryType": "esriGeometryPolyline",
    "hasZ": True,
    "hasM": True,
    "spatialReference": {"wkid": 4326},
    "features": [{"attributes": {"OBJECTID": 1}, "geometry": {"paths": [[[1, 2, 3, 4]]]}}],
}


def _yaml_with_old_services(tmp_path: Path) -> Path:
    data = yaml.safe_load(DEFAULT_SERVICES_YAML.read_text(encoding="utf-8"))
    data["services"] = [
        {"path": "Old/Analysis", "currentVersion": OLD_VERSION, "tasks": ["Buffer"]},
        {"path": "New/Analysis", "tasks": ["Buffer"]},
    ]
    path = tmp_path / "services.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def versions_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GPServer]:
    folder = tmp_path_factory.mktemp("versions")
    with GPServer(services_yaml=_yaml_with_old_services(folder), workdir=folder / "w") as server:
        yield server


def _buffer(server: GPServer, service: str, **environment: str) -> dict:
    answer = post(
        f"{server.task_url(service, 'Buffer')}/execute",
        Input_Features=points([(10.0, 45.0)]),
        **environment,
    )
    return {r["paramName"]: r["value"] for r in answer["results"]}["Output_Polygons"]


def test_a_service_reports_its_own_version(versions_server) -> None:
    assert get(versions_server.service_url("Old/Analysis"))["currentVersion"] == OLD_VERSION
    assert get(versions_server.service_url("New/Analysis"))["currentVersion"] == 11.1


def test_a_version_must_be_a_number(tmp_path) -> None:
    data = yaml.safe_load(DEFAULT_SERVICES_YAML.read_text(encoding="utf-8"))
    data["services"] = [{"path": "X", "currentVersion": "ten", "tasks": ["Buffer"]}]
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RegistryError, match="currentVersion"):
        load_registry(broken)


def test_an_old_server_ignores_context_and_reads_env(versions_server) -> None:
    context = json.dumps({"outSR": {"wkid": 3857}})
    ignored = _buffer(versions_server, "Old/Analysis", context=context)
    assert ignored["spatialReference"] == {"wkid": 4326, "latestWkid": 4326}
    legacy = _buffer(versions_server, "Old/Analysis", **{"env:outSR": "3857"})
    assert legacy["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
    process = _buffer(versions_server, "Old/Analysis", **{"env:processSR": '{"wkid": 3857}'})
    assert process["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}


def test_a_new_server_reads_context_and_still_the_deprecated_env(versions_server) -> None:
    for environment in (
        {"context": json.dumps({"outSR": {"wkid": 3857}})},
        {"env:outSR": "3857"},
    ):
        value = _buffer(versions_server, "New/Analysis", **environment)
        assert value["spatialReference"] == {"wkid": 102100, "latestWkid": 3857}
        x, _ = value["features"][0]["geometry"]["rings"][0][0]
        assert abs(x - 1_113_195) < 1_000


def test_execute_keeps_z_and_m_only_when_asked(gpserver) -> None:
    url = f"{gpserver.task_url('Analysis', 'AllTypes')}/execute"

    def echo(**flags: str) -> dict:
        answer = post(url, In_Features=LINE_ZM, **flags)
        return {r["paramName"]: r["value"] for r in answer["results"]}["In_Features_echo"]

    plain = echo()
    assert "hasZ" not in plain
    assert "hasM" not in plain
    assert plain["features"][0]["geometry"] == {"paths": [[[1, 2]]]}
    both = echo(returnZ="true", returnM="true")
    assert both["hasZ"] is True
    assert both["hasM"] is True
    assert both["features"][0]["geometry"] == {"paths": [[[1, 2, 3, 4]]]}


def test_job_results_keep_z_and_m_only_when_the_results_request_asks(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "AllTypes")
    job_id, status = run_job(url, In_Features=LINE_ZM, returnZ="true", returnM="true")
    assert status["jobStatus"] == "esriJobSucceeded"
    plain = result(url, job_id, "In_Features_echo")["value"]  # submitJob's flags do not carry
    assert plain["features"][0]["geometry"] == {"paths": [[[1, 2]]]}
    asked = result(url, job_id, "In_Features_echo", returnZ="true", returnM="true")["value"]
    assert asked["features"][0]["geometry"] == {"paths": [[[1, 2, 3, 4]]]}
