"""qgis_process: a background run is recorded in the profile, and FETCH_JOB_ID fetches it later.

qgis_process itself refuses a run without the task's mandatory inputs, so the fetch names
them too; a fetch sends nothing (one submitJob in all).
"""

from __future__ import annotations

import json
from pathlib import Path

from qgis.core import QgsVectorLayer

from arcgis_gp.plugin.jobs.model import JobState
from arcgis_gp.plugin.jobs.store import JobStore
from tests.integration.test_qgis_process import (  # noqa: F401 - fixtures
    QGIS_PROCESS,
    _qgis_process,
    points_file,
    pytestmark,
    qgis_process_env,
)

VIEWSHED = "arcgisgp:demo__elevation_viewshed__viewshed"


def test_background_in_qgis_process_is_recorded_and_fetched_by_a_later_process(
    qgis_process_env,  # noqa: F811
    points_file,  # noqa: F811
    tmp_path: Path,
    gpserver,
) -> None:
    run = _qgis_process(
        qgis_process_env,
        "--json",
        "run",
        VIEWSHED,
        f"--Input_Observer={points_file}",
        "--Radius=5",
        f"--Output_Viewshed={tmp_path / 'later.gpkg'}",
        "--RUN_IN_BACKGROUND=true",
    )
    assert run.returncode == 0, run.stderr
    job_id = json.loads(run.stdout)["results"]["JOB_ID"]
    assert not (tmp_path / "later.gpkg").exists()  # not waited for

    store_path = Path(qgis_process_env["QGIS_CUSTOM_CONFIG_PATH"], "profiles", "default")
    record = JobStore(store_path / "arcgis_gp" / "jobs.sqlite").get(job_id)
    assert record is not None
    assert record.state is JobState.RUNNING
    assert record.background
    assert record.destinations["Output_Viewshed"]["sink"] == str(tmp_path / "later.gpkg")

    fetched = tmp_path / "fetched.gpkg"
    fetch = _qgis_process(
        qgis_process_env,
        "--json",
        "run",
        VIEWSHED,
        f"--FETCH_JOB_ID={job_id}",
        f"--Input_Observer={points_file}",  # qgis_process insists on mandatory inputs
        f"--Output_Viewshed={fetched}",
    )
    assert fetch.returncode == 0, fetch.stderr
    assert QgsVectorLayer(str(fetched), "fetched", "ogr").featureCount() == 2
    record = JobStore(store_path / "arcgis_gp" / "jobs.sqlite").get(job_id)
    assert record.state is JobState.DOWNLOADED
    assert len(gpserver.requests_to(r"/Viewshed/submitJob$")) == 1
