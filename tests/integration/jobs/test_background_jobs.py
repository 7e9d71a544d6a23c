"""Background jobs against tests/gpserver: submit, restart, resume, expire, cancel, re-run."""

from __future__ import annotations

import json
from pathlib import Path

import processing
from qgis.core import QgsApplication, QgsProject, QgsRasterLayer, QgsVectorLayer

from arcgis_gp.plugin.jobs.model import JobState
from arcgis_gp.plugin.provider.layer_tags import CONNECTION_PROPERTY, JOB_ID_PROPERTY

from .conftest import wait_until

VIEWSHED = "arcgisgp:demo__elevation_viewshed__viewshed"
SLOW = "arcgisgp:demo__elevation_viewshed__slowtask"


def _viewshed(observers, output, background: bool = True, feedback=None) -> str:
    result = processing.run(
        VIEWSHED,
        {
            "Input_Observer": observers,
            "Radius": 5,
            "Radius_units": "esriKilometers",
            "Output_Viewshed": output,
            "RUN_IN_BACKGROUND": background,
        },
        feedback=feedback,
    )
    return result["JOB_ID"]


def _settled(manager, job_id: str):
    """Wait until the job's watch is over (outputs loaded, or the job ended otherwise)."""
    wait_until(
        lambda: (
            manager.job(job_id).state is not JobState.RUNNING and not manager.is_watched(job_id)
        ),
        f"job {job_id} to settle",
    )
    return manager.job(job_id)


def _job_layers(project: QgsProject, job_id: str) -> list:
    return [
        layer
        for layer in project.mapLayers().values()
        if layer.customProperty(JOB_ID_PROPERTY) == job_id
    ]


def test_background_run_returns_the_job_id_at_once_then_loads_the_results(
    manager, project, gpserver, three_points, tmp_path: Path, feedback
) -> None:
    gpserver.job_queue_delay = 1.0  # the job sits in Submitted, then Waiting, for 1 s each
    notices: list[str] = []
    manager.notice.connect(lambda text, level: notices.append(text))
    gpkg = tmp_path / "viewshed.gpkg"

    result = processing.run(
        VIEWSHED,
        {
            "Input_Observer": three_points,
            "Radius": 5,
            "Radius_units": "esriKilometers",
            "Output_Viewshed": str(gpkg),
            "RUN_IN_BACKGROUND": True,
        },
        feedback=feedback,
    )

    job_id = result["JOB_ID"]
    assert set(result) == {"JOB_ID"}  # nothing waited for, nothing fetched
    assert not gpserver.job(job_id).is_terminal
    assert not gpkg.exists()
    record = manager.job(job_id)
    assert record.background
    assert record.state is JobState.RUNNING
    assert record.inputs["Radius"] == {"distance": 5.0, "units": "esriKilometers"}
    assert record.destinations == {"Output_Viewshed": {"sink": str(gpkg), "load": True, "name": ""}}

    record = _settled(manager, job_id)
    assert record.state is JobState.DOWNLOADED, record.error
    assert record.server_status == "esriJobSucceeded"
    assert record.finished is not None
    assert record.finished >= record.submitted
    assert any("Succeeded" in m["description"] for m in record.messages)
    assert record.outputs["Output_Viewshed"] == str(gpkg)
    written = QgsVectorLayer(str(gpkg), "written", "ogr")
    assert written.featureCount() == 3
    layers = _job_layers(project, job_id)
    vectors = [layer for layer in layers if isinstance(layer, QgsVectorLayer)]
    maps = [layer for layer in layers if isinstance(layer, QgsRasterLayer)]
    assert len(vectors) == 1
    assert vectors[0].featureCount() == 3
    assert sorted(f["OBSERVER"] for f in vectors[0].getFeatures()) == [1, 2, 3]
    assert len(maps) == 1
    assert f"MapServer/jobs/{job_id}" in maps[0].source()
    assert all(layer.customProperty(CONNECTION_PROPERTY) == "demo" for layer in layers)
    assert any(job_id in text and "loaded" in text for text in notices)


def test_a_restart_resumes_the_job_and_loads_its_results(
    make_manager, project, gpserver, three_points
) -> None:
    gpserver.job_queue_delay = 1.5
    first = make_manager()
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT")
    wait_until(lambda: first.is_watched(job_id), "the watcher to start")

    first.stop()  # QGIS closes while the job runs
    assert gpserver.job(job_id).status != "esriJobCancelled"  # closing QGIS cancels nothing
    assert first.job(job_id).state is JobState.RUNNING
    assert _job_layers(project, job_id) == []

    second = make_manager(resume=True)  # QGIS starts again over the same store
    assert second.is_watched(job_id)
    record = _settled(second, job_id)
    assert record.state is JobState.DOWNLOADED, record.error
    layers = [layer for layer in _job_layers(project, job_id) if isinstance(layer, QgsVectorLayer)]
    assert len(layers) == 1
    assert layers[0].featureCount() == 3


def test_a_headless_session_records_background_jobs_and_leaves_them_to_the_next(
    make_manager, gpserver, three_points
) -> None:
    """qgis_process records a background job but does not watch it: the process ends
    right after the run (QGIS 3.40's qgis_process crashed when a watcher started)."""
    gpserver.job_queue_delay = 1.0
    headless = make_manager(resume=False, watch=False)
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT")
    QgsApplication.processEvents()  # deliver the recorder's queued watch request
    assert not headless.is_watched(job_id)
    assert headless.job(job_id).state is JobState.RUNNING
    headless.stop()

    gui = make_manager(resume=True)  # the next QGIS session with a GUI
    assert gui.is_watched(job_id)
    assert _settled(gui, job_id).state is JobState.DOWNLOADED


def test_a_job_the_server_forgot_is_marked_expired_not_polled_forever(
    make_manager, gpserver, three_points
) -> None:
    gpserver.job_queue_delay = 5.0
    first = make_manager()
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT")
    first.stop()
    gpserver.reset()  # the server forgets every job (as after its jobs directory was cleaned)

    second = make_manager(resume=True)
    record = _settled(second, job_id)

    assert record.state is JobState.EXPIRED
    assert "does not exist" in record.error
    assert len(gpserver.requests_to(rf"/jobs/{job_id}$")) == 1  # asked once, then let go


def test_finished_jobs_whose_results_expired_are_marked_at_start(
    make_manager, gpserver, three_points
) -> None:
    first = make_manager()
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)
    assert first.job(job_id).state is JobState.DOWNLOADED
    first.stop()
    gpserver.job_max_age = 0  # the server's jobs directory age has passed

    second = make_manager(resume=True)
    wait_until(lambda: second.job(job_id).state is JobState.EXPIRED, "the expiry check")
    notices: list[str] = []
    second.notice.connect(lambda text, level: notices.append(text))
    assert not second.get_data(job_id)
    assert "expired" in notices[-1]


def test_a_foreground_run_is_recorded_too(manager, three_points, feedback) -> None:
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT", background=False, feedback=feedback)
    record = manager.job(job_id)
    assert not record.background
    assert record.state is JobState.DOWNLOADED
    assert record.fetch_pending is False
    assert record.outputs["Output_Viewshed"]
    assert [r.job_id for r in manager.jobs()] == [job_id]


def test_cancel_stops_the_job_on_the_server(manager, gpserver) -> None:
    result = processing.run(SLOW, {"Seconds": 30, "RUN_IN_BACKGROUND": True})
    job_id = result["JOB_ID"]
    wait_until(lambda: gpserver.job(job_id).status == "esriJobExecuting", "the job to execute")

    assert manager.cancel(job_id)
    record = _settled(manager, job_id)

    assert record.state is JobState.CANCELLED
    assert gpserver.job(job_id).status == "esriJobCancelled"
    assert gpserver.requests_to(rf"/jobs/{job_id}/cancel$")


def test_rerun_submits_the_same_inputs_as_a_new_job(manager, project, gpserver, three_points):
    first_id = _viewshed(three_points, "TEMPORARY_OUTPUT")
    assert _settled(manager, first_id).state is JobState.DOWNLOADED

    assert manager.rerun(first_id)
    wait_until(
        lambda: any(r.rerun_of == first_id for r in manager.jobs()), "the re-run to be submitted"
    )
    again = next(r for r in manager.jobs() if r.rerun_of == first_id)
    record = _settled(manager, again.job_id)

    assert record.job_id != first_id
    assert record.state is JobState.DOWNLOADED, record.error
    assert record.inputs == manager.job(first_id).inputs
    submits = gpserver.requests_to(r"/Viewshed/submitJob$")
    assert len(submits) == 2
    assert submits[0].params["Input_Observer"] == submits[1].params["Input_Observer"]
    assert submits[0].params["Radius"] == submits[1].params["Radius"]
    rerun_layers = [
        layer for layer in _job_layers(project, again.job_id) if isinstance(layer, QgsVectorLayer)
    ]
    assert len(rerun_layers) == 1
    assert rerun_layers[0].featureCount() == 3


def test_add_server_layer_adds_the_jobs_map_service(manager, project, three_points) -> None:
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)
    project.clear()

    assert manager.add_server_layer(job_id)
    wait_until(lambda: _job_layers(project, job_id), "the map service layer")

    (layer,) = _job_layers(project, job_id)
    assert isinstance(layer, QgsRasterLayer)
    assert layer.isValid()
    assert layer.providerType() == "arcgismapserver"
    assert f"MapServer/jobs/{job_id}" in layer.source()


def test_remove_forgets_the_job(manager, three_points) -> None:
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)
    removed: list[str] = []
    manager.jobRemoved.connect(removed.append)
    assert manager.remove(job_id)
    assert manager.job(job_id) is None
    assert removed == [job_id]


def test_layers_loaded_by_processing_carry_their_job_and_survive_a_project_reload(
    manager, project, three_points, tmp_path: Path
) -> None:
    from arcgis_gp.plugin.jobs import api

    result = processing.runAndLoadResults(  # loads like the dialog: post-processors run
        VIEWSHED,
        {
            "Input_Observer": three_points,
            "Radius": 5,
            "Radius_units": "esriKilometers",
            "Output_Viewshed": str(tmp_path / "tagged.gpkg"),
            "ADD_RESULT_MAP_LAYER": False,
        },
    )
    job_id = result["JOB_ID"]
    (layer,) = _job_layers(project, job_id)
    assert layer.customProperty(CONNECTION_PROPERTY) == "demo"

    saved = tmp_path / "project.qgz"
    assert project.write(str(saved))
    project.clear()
    assert project.read(str(saved))
    (reopened,) = _job_layers(project, job_id)
    assert api.job_for_layer(reopened, store=manager.store).job_id == job_id


def test_get_data_fetches_a_finished_job_again(manager, project, three_points) -> None:
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)
    project.clear()

    assert manager.get_data(job_id)
    record = _settled(manager, job_id)

    assert record.state is JobState.DOWNLOADED
    vectors = [layer for layer in _job_layers(project, job_id) if isinstance(layer, QgsVectorLayer)]
    assert [layer.featureCount() for layer in vectors] == [3]


def test_a_background_job_keeps_its_run_environment_for_the_fetch_and_the_rerun(
    manager, project, gpserver, three_points
) -> None:
    parameters = {
        "Input_Features": three_points,
        "Distance": 1,
        "Output_Polygons": "TEMPORARY_OUTPUT",
        "ADD_RESULT_MAP_LAYER": False,
        "RUN_IN_BACKGROUND": True,
        "arcgis_gp_return_z_m": False,
        "arcgis_gp_output_sr": "EPSG:3857",
    }
    first_id = processing.run("arcgisgp:demo__analysisasync__buffer", parameters)["JOB_ID"]
    record = _settled(manager, first_id)
    assert record.state is JobState.DOWNLOADED, record.error
    assert record.return_z_m is False
    fetches = gpserver.requests_to(rf"/jobs/{first_id}/results/Output_Polygons$")
    assert fetches
    assert not [r for r in fetches if "returnZ" in r.params or "returnM" in r.params]
    (layer,) = [x for x in _job_layers(project, first_id) if isinstance(x, QgsVectorLayer)]
    assert layer.crs().authid() == "EPSG:3857"

    assert manager.rerun(first_id)
    wait_until(
        lambda: any(r.rerun_of == first_id for r in manager.jobs()), "the re-run to be submitted"
    )
    again = _settled(manager, next(r for r in manager.jobs() if r.rerun_of == first_id).job_id)
    assert again.state is JobState.DOWNLOADED, again.error
    first, second = gpserver.requests_to(r"/Buffer/submitJob$")
    assert json.loads(second.params["context"]) == json.loads(first.params["context"])
    assert json.loads(first.params["context"]) == {"outSR": {"wkid": 102100, "latestWkid": 3857}}
    assert "returnZ" not in second.params
    (layer,) = [x for x in _job_layers(project, again.job_id) if isinstance(x, QgsVectorLayer)]
    assert layer.crs().authid() == "EPSG:3857"
