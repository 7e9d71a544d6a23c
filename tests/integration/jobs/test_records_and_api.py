"""What a job record keeps (and never keeps), the PyQGIS API, and the store across a crash."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

import processing
import pytest
from qgis.core import QgsVectorLayer

from arcgis_gp.plugin.jobs import api
from arcgis_gp.plugin.jobs.model import JobRecord, JobState
from arcgis_gp.plugin.jobs.recorder import StoreRecorder
from arcgis_gp.plugin.jobs.store import JobStore
from tests.conftest import ROOT
from tests.integration.provider.test_all_types_echo import _lines, _table

from .conftest import wait_until
from .test_background_jobs import VIEWSHED, _settled, _viewshed

SECRET = "s3cret-value-4711"


def _all_types(background: bool) -> str:
    result = processing.run(
        "arcgisgp:demo__analysisasync__alltypes",
        {
            "In_Hidden": SECRET,
            "In_Features": _lines(),
            "In_Table": _table(),
            "In_Field": "kind",
            "In_Field_Legacy": "kind",
            "In_Features_echo": "TEMPORARY_OUTPUT",
            "In_Table_echo": "TEMPORARY_OUTPUT",
            "RUN_IN_BACKGROUND": background,
        },
    )
    assert "In_Hidden_echo" in result or background  # the server echoes the secret back
    return result["JOB_ID"]


def test_secret_inputs_never_reach_the_store(manager, store_path: Path) -> None:
    foreground = _all_types(background=False)
    background = _all_types(background=True)
    assert _settled(manager, background).state is JobState.DOWNLOADED

    for job_id in (foreground, background):
        record = manager.job(job_id)
        assert record.inputs["In_Hidden"] == {"$redacted": True}
        assert SECRET not in json.dumps(record.to_dict())
    # Nowhere in the database files either (WAL and its index included).
    for path in store_path.parent.glob("jobs.sqlite*"):
        assert SECRET.encode() not in path.read_bytes(), path


def test_a_job_with_a_secret_input_cannot_be_rerun_from_its_record(manager) -> None:
    job_id = _all_types(background=False)
    notices: list[str] = []
    manager.notice.connect(lambda text, level: notices.append(text))

    assert manager.rerun(job_id)
    wait_until(lambda: notices, "the re-run's answer")

    assert "In_Hidden" in notices[0]
    assert "secret" in notices[0]
    assert len(manager.jobs()) == 1


def test_api_lists_waits_for_and_fetches_a_job(
    manager, gpserver, three_points, tmp_path: Path
) -> None:
    gpserver.job_queue_delay = 0.5
    manager.stop()  # no plugin: the API records, waits and fetches by itself
    job_id = api.submit(
        VIEWSHED,
        {"Input_Observer": three_points, "Radius": 5, "Output_Viewshed": "TEMPORARY_OUTPUT"},
        store=manager.store,
    )
    assert api.get_job(job_id, store=manager.store).state is JobState.RUNNING

    assert [job.job_id for job in api.list_jobs(store=manager.store)] == [job_id]
    assert api.list_jobs([JobState.FAILED], store=manager.store) == []
    with pytest.raises(api.JobNotFoundError):
        api.get_job("no-such-job", store=manager.store)

    outcome: dict[str, JobRecord] = {}
    waiter = threading.Thread(
        target=lambda: outcome.update(done=api.wait(job_id, timeout=60, store=manager.store))
    )
    waiter.start()
    waiter.join()
    assert outcome["done"].state is JobState.ON_SERVER

    gpkg = tmp_path / "fetched.gpkg"
    outputs = api.fetch_results(job_id, {"Output_Viewshed": str(gpkg)}, store=manager.store)
    assert outputs["Output_Viewshed"] == str(gpkg)
    assert QgsVectorLayer(str(gpkg), "fetched", "ogr").featureCount() == 3
    record = api.get_job(job_id, store=manager.store)
    assert record.state is JobState.DOWNLOADED
    assert record.outputs["Output_Viewshed"] == str(gpkg)


def test_api_waits_on_the_main_thread_of_a_headless_session(
    make_manager, gpserver, three_points
) -> None:
    """Scripts and qgis_process load the plugin without a GUI: its manager records jobs
    but watches none, so ``wait`` must poll the job itself rather than wait for a watcher
    that never comes (it used to sit out the whole timeout)."""
    gpserver.job_queue_delay = 0.5
    manager = make_manager(resume=False, watch=False)  # as initProcessing starts it
    job_id = api.submit(
        VIEWSHED,
        {"Input_Observer": three_points, "Radius": 5, "Output_Viewshed": "TEMPORARY_OUTPUT"},
    )
    record = api.wait(job_id, timeout=30)  # on the main thread, with the manager's store
    assert record.state is JobState.ON_SERVER
    assert not manager.is_watched(job_id)
    outputs = api.fetch_results(job_id, {"Output_Viewshed": "TEMPORARY_OUTPUT"})
    assert outputs["Output_Viewshed"].featureCount() == 3


def test_api_wait_gives_up_without_cancelling(manager, gpserver) -> None:
    result = processing.run(
        "arcgisgp:demo__elevation_viewshed__slowtask", {"Seconds": 30, "RUN_IN_BACKGROUND": True}
    )
    job_id = result["JOB_ID"]
    manager.stop()
    with pytest.raises(TimeoutError):
        api.wait(job_id, timeout=0.3, store=manager.store)
    assert not gpserver.job(job_id).is_terminal
    assert not gpserver.requests_to(rf"/jobs/{job_id}/cancel$")


def test_fetch_mode_needs_no_inputs_from_qgis_process_style_callers(
    manager, three_points, tmp_path: Path
) -> None:
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT", background=False)
    gpkg = tmp_path / "again.gpkg"
    result = processing.run(VIEWSHED, {"FETCH_JOB_ID": job_id, "Output_Viewshed": str(gpkg)})
    assert QgsVectorLayer(result["Output_Viewshed"], "again", "ogr").featureCount() == 3
    assert len(manager.jobs()) == 1  # fetching submits nothing


def test_transfer_limit_outputs_are_recorded_as_such(tmp_path: Path) -> None:
    store = JobStore(tmp_path / "jobs.sqlite")
    store.add(JobRecord("j1", "demo", "http://x", "arcgisgp:a", "S", "T", "http://x/T"))
    changed: list[str] = []
    recorder = StoreRecorder(store, changed=changed.append)

    recorder.job_ended("j1", None)
    assert store.get("j1").state is JobState.ON_SERVER
    recorder.job_fetched("j1", {"Out": "layer-id"}, ["Out"])

    record = store.get("j1")
    assert record.state is JobState.TRANSFER_LIMIT
    assert record.state.label == "exceeds transfer limit"
    assert record.cut_outputs == ["Out"]
    assert changed == ["j1", "j1"]


_WRITER = """
import sys, time
sys.path.insert(0, sys.argv[2])
from arcgis_gp.plugin.jobs.model import JobRecord
from arcgis_gp.plugin.jobs.store import JobStore
store = JobStore(__import__("pathlib").Path(sys.argv[1]))
i = 0
while True:
    store.add(JobRecord(f"job{i}", "demo", "u", "a", "S", "T", "t", messages=[
        {"type": "esriJobMessageTypeInformative", "description": "x" * 2000}] * 50))
    store.update(f"job{i // 2}", lambda r: r.add_messages([{"type": "i", "description": "y"}]))
    i += 1
    if i == 20:
        print("writing", flush=True)
"""


def test_the_store_survives_a_process_killed_while_writing(tmp_path: Path) -> None:
    path = tmp_path / "jobs.sqlite"
    plugin_parent = str(ROOT / ".pytest_pkg")
    writer = subprocess.Popen(
        [sys.executable, "-c", _WRITER, str(path), plugin_parent],
        stdout=subprocess.PIPE,
        text=True,
    )
    assert writer.stdout.readline().strip() == "writing"
    writer.kill()  # no clean-up, no close: as a crash
    writer.wait()

    with sqlite3.connect(path) as db:
        assert db.execute("PRAGMA integrity_check").fetchone() == ("ok",)
    records = JobStore(path).list()
    assert len(records) >= 20
    assert all(len(record.messages) >= 50 for record in records)
