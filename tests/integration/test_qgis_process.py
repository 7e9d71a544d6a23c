"""qgis_process: the plugin in a profile plus ARCGIS_GP_CONNECTIONS lists and runs GP tasks.

The real ``/usr/bin/qgis_process.bin`` runs in a throw-away configuration folder
(``QGIS_CUSTOM_CONFIG_PATH``), with the plugin linked into its default profile and enabled
the way the plugin manager enables it; nothing touches the user's own profile.
"""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest
from qgis.core import QgsVectorLayer

from tests.conftest import ROOT
from tests.qgis_install import qgis_location

# Debian's binary (its qgis_process wrapper is broken); another build names its own.
QGIS_PROCESS = Path(os.environ.get("ARCGIS_GP_TEST_QGIS_PROCESS", "/usr/bin/qgis_process.bin"))
#: What a QGIS installed outside the system paths needs to start (a self-built QGIS).

pytestmark = pytest.mark.skipif(
    not QGIS_PROCESS.exists(), reason="qgis_process is not installed (make setup installs it)"
)


@pytest.fixture
def qgis_process_env(gpserver, tmp_path: Path) -> dict[str, str]:
    config = tmp_path / "config"
    plugins = config / "profiles" / "default" / "python" / "plugins"
    plugins.mkdir(parents=True)
    (plugins / "arcgis_gp").symlink_to(ROOT, target_is_directory=True)
    settings = config / "profiles" / "default" / "QGIS" / "QGIS3.ini"
    settings.parent.mkdir(parents=True)
    settings.write_text("[PythonPlugins]\narcgis_gp=true\n", encoding="utf-8")
    connections = tmp_path / "connections.yaml"
    connections.write_text(
        f"connections:\n  - name: demo\n    url: {gpserver.services_url}\n", encoding="utf-8"
    )
    return {
        "PATH": "/usr/bin:/bin",
        "HOME": str(tmp_path),
        "QT_QPA_PLATFORM": "offscreen",
        "QGIS_CUSTOM_CONFIG_PATH": str(config),
        "ARCGIS_GP_CONNECTIONS": str(connections),
        "LANG": os.environ.get("LANG", "C.UTF-8"),
        **qgis_location(),
    }


@pytest.fixture
def points_file(tmp_path: Path) -> Path:
    path = tmp_path / "points.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"name": name},
                        "geometry": {"type": "Point", "coordinates": [x, y]},
                    }
                    for name, x, y in (("Bern", 7.44, 46.95), ("Thun", 7.63, 46.76))
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def _qgis_process(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(QGIS_PROCESS), *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_list_shows_every_gp_task(qgis_process_env) -> None:
    listing = _qgis_process(qgis_process_env, "list")
    assert listing.returncode == 0, listing.stderr[-2000:]
    assert "ArcGIS Geoprocessing" in listing.stdout
    for algorithm in (
        "arcgisgp:demo__analysis__buffer",
        "arcgisgp:demo__analysisasync__summarize",
        "arcgisgp:demo__elevation_viewshed__viewshed",
    ):
        assert algorithm in listing.stdout


def test_run_a_synchronous_task(qgis_process_env, points_file, tmp_path) -> None:
    output = tmp_path / "buffers.gpkg"
    run = _qgis_process(
        qgis_process_env,
        "--json",
        "run",
        "arcgisgp:demo__analysis__buffer",
        "--",
        f"Input_Features={points_file}",
        "Distance=500",
        "Distance_units=esriMeters",
        f"Output_Polygons={output}",
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads(run.stdout)["results"]
    assert results["Output_Polygons"] == str(output)
    layer = QgsVectorLayer(str(output), "buffers")
    assert layer.featureCount() == 2
    assert layer.geometryType() == 2  # polygons


def test_run_an_asynchronous_task(qgis_process_env, points_file, tmp_path, gpserver) -> None:
    output = tmp_path / "viewsheds.gpkg"
    run = _qgis_process(
        qgis_process_env,
        "--json",
        "run",
        "arcgisgp:demo__elevation_viewshed__viewshed",
        "--",
        f"Input_Observer={points_file}",
        "Radius=3",
        "Radius_units=esriKilometers",
        f"Output_Viewshed={output}",
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads(run.stdout)["results"]
    assert results["JOB_ID"]
    assert any(r.path.endswith(f"/jobs/{results['JOB_ID']}") for r in gpserver.requests)
    assert QgsVectorLayer(str(output), "viewsheds").featureCount() == 2


def test_a_failing_task_fails_the_process_with_the_server_message(qgis_process_env) -> None:
    run = _qgis_process(
        qgis_process_env, "run", "arcgisgp:demo__elevation_viewshed__failingtask", "--"
    )
    assert run.returncode != 0
    assert "ERROR 000210: Cannot create output Output." in run.stdout + run.stderr


def test_a_unit_left_out_is_the_tasks_default_unit(qgis_process_env, gpserver) -> None:
    """``Distance=5`` on a task whose default is 5 miles sends miles, not metres."""
    run = _qgis_process(
        qgis_process_env,
        "--json",
        "run",
        "arcgisgp:demo__units_filters__unitdefaults",
        "--",
        "Distance=5",
        "Duration=10",
    )
    assert run.returncode == 0, run.stdout[-2000:] + run.stderr[-2000:]
    results = json.loads(run.stdout)["results"]
    assert json.loads(results["Distance_echo"]) == {"distance": 5, "units": "esriMiles"}
    assert json.loads(results["Duration_echo"]) == {"time": 10, "units": "esriTimeUnitsMinutes"}
    [execute] = gpserver.requests_to(r"/UnitDefaults/execute$")
    assert json.loads(execute.params["Distance"])["units"] == "esriMiles"
