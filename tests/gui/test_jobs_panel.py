"""The GP Jobs panel with real jobs in every state; a screenshot goes to tests/output/.

Jobs come from tests/gpserver through processing.run and the job manager, except the
"exceeds transfer limit" one: the bundled services all have a result map service, so
the plugin fetches cut outputs whole and never lands there; that job's fetch report is
replayed through the recorder (the same call the runner makes).
"""

from __future__ import annotations

from pathlib import Path

import processing
import pytest
from qgis.core import Qgis, QgsProcessingException

from arcgis_gp.plugin.gui.jobs_panel import STATE, JobsPanel
from arcgis_gp.plugin.jobs.model import JobState
from tests.integration.jobs.conftest import (  # noqa: F401 - fixtures
    connections_file,
    feedback,
    make_manager,
    project,
    provider,
    store_path,
    three_points,
    wait_until,
)
from tests.integration.jobs.test_background_jobs import SLOW, _settled, _viewshed

pytestmark = pytest.mark.gui


def _latest(manager, task_name: str):
    return next(r for r in manager.jobs() if r.task_name == task_name)


def _make_jobs_in_every_state(make_manager, gpserver, three_points) -> tuple:  # noqa: F811
    first = make_manager(resume=False)
    gpserver.job_queue_delay = 3
    expired = _viewshed(three_points, "TEMPORARY_OUTPUT")
    first.stop()
    gpserver.reset()  # forgets the job: it will be found expired at the next start

    manager = make_manager(resume=True)
    _settled(manager, expired)
    _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)  # downloaded
    with pytest.raises(QgsProcessingException):
        processing.run(
            "arcgisgp:demo__elevation_viewshed__failingtask", {"Message": "No elevation here"}
        )
    gpserver.set_fault("http_error", path=r"/results/", status=503)
    with pytest.raises(QgsProcessingException):
        _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)  # stays on the server
    gpserver.clear_faults()
    cut = processing.run(
        "arcgisgp:demo__analysisasync__largeoutput",
        {"Feature_Count": 20, "Output_Features": "TEMPORARY_OUTPUT", "ADD_RESULT_MAP_LAYER": False},
    )["JOB_ID"]
    manager.recorder.job_fetched(cut, {"Output_Features": "memory"}, ["Output_Features"])
    cancel_me = processing.run(SLOW, {"Seconds": 60, "RUN_IN_BACKGROUND": True})["JOB_ID"]
    running = processing.run(SLOW, {"Seconds": 120, "RUN_IN_BACKGROUND": True})["JOB_ID"]
    for job_id in (cancel_me, running):
        wait_until(lambda job_id=job_id: gpserver.job(job_id).status == "esriJobExecuting", "run")
    return manager, cancel_me, running


def test_panel_shows_jobs_in_every_state_and_cancels(
    make_manager,  # noqa: F811 - the fixture imported above
    gpserver,
    three_points,  # noqa: F811
    qgis_iface,
    output_dir: Path,
) -> None:
    manager, cancel_me, running = _make_jobs_in_every_state(make_manager, gpserver, three_points)
    panel = JobsPanel(manager, qgis_iface)
    panel.resize(1180, 620)
    panel.show()

    panel.select_job(cancel_me)
    assert panel.actions_by_name["cancel"].isEnabled()
    assert not panel.actions_by_name["add_server_layer"].isEnabled()
    panel.actions_by_name["cancel"].trigger()
    wait_until(lambda: manager.job(cancel_me).state is JobState.CANCELLED, "the cancel")
    wait_until(lambda: not manager.is_watched(cancel_me), "the watcher to end")
    assert gpserver.job(cancel_me).status == "esriJobCancelled"
    assert not panel.actions_by_name["cancel"].isEnabled()

    wait_until(lambda: manager.job(running).messages, "the running job's messages")
    panel.select_job(running)
    wait_until(lambda: "Step" in panel.details.toPlainText(), "messages in the details")

    states = [panel.model.index(row, STATE).data() for row in range(panel.model.rowCount())]
    for label in (
        "running (Executing)",
        "on server",
        "downloaded",
        "exceeds transfer limit",
        "expired on server",
        "failed",
        "cancelled",
    ):
        assert any(label in text for text in states), (label, states)
    assert "No elevation here" in _latest(manager, "FailingTask").error
    warnings = qgis_iface.messageBar().get_messages(Qgis.MessageLevel.Warning)
    assert any(cancel_me in text and "was cancelled" in text for text in warnings), warnings

    panel.model.tick()
    image = panel.grab()
    path = output_dir / "jobs_panel.png"
    assert image.save(str(path))
    assert image.width() >= 1000
    panel.close()
    panel.deleteLater()
