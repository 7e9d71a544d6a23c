"""Two QGIS sessions on one profile: a job is looked after by one session only.

"Sessions" here are JobManagers over one store file, as two QGIS windows on one profile
have; the crashed session is a real process holding its lock file, killed with SIGKILL.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

from qgis.core import QgsVectorLayer

from arcgis_gp.plugin.jobs.model import JobState
from arcgis_gp.plugin.jobs.sessions import FOLDER, SessionLock

from .test_background_jobs import _job_layers, _settled, _viewshed

_HOLD_LOCK = """
import sys, time
from qgis.PyQt.QtCore import QLockFile
lock = QLockFile(sys.argv[1])
print("locked" if lock.tryLock(0) else "failed", flush=True)
time.sleep(120)
"""


def test_a_second_session_leaves_the_first_sessions_job_alone(
    make_manager, project, gpserver, three_points
) -> None:
    gpserver.job_queue_delay = 1.5
    first = make_manager()
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT")
    assert first.job(job_id).session == first.session.id

    second = make_manager(resume=True)  # another QGIS window starts on the same profile
    assert not second.is_watched(job_id)

    record = _settled(first, job_id)
    assert record.state is JobState.DOWNLOADED, record.error
    vectors = [layer for layer in _job_layers(project, job_id) if isinstance(layer, QgsVectorLayer)]
    assert len(vectors) == 1  # fetched and loaded once, by the session that owns it
    assert len(gpserver.requests_to(rf"/jobs/{job_id}/results/Output_Viewshed$")) == 1


def test_the_job_of_a_session_that_was_killed_is_resumed(
    make_manager, store_path: Path, gpserver, three_points
) -> None:
    gpserver.job_queue_delay = 1.5
    first = make_manager()
    job_id = _viewshed(three_points, "TEMPORARY_OUTPUT")
    first.stop()
    # The job now belongs to a session in another process, which then crashes.
    dead_id = "0123456789abcdef0123456789abcdef"
    lock_path = store_path.parent / FOLDER / f"{dead_id}.lock"
    holder = subprocess.Popen(
        [sys.executable, "-c", _HOLD_LOCK, str(lock_path)], stdout=subprocess.PIPE, text=True
    )
    try:
        assert holder.stdout is not None
        assert holder.stdout.readline().strip() == "locked"
        first.store.update(job_id, lambda record: setattr(record, "session", dead_id))

        second = make_manager(resume=True)
        assert second.session.is_alive(dead_id)
        assert not second.is_watched(job_id)  # its session still runs
    finally:
        holder.kill()
        holder.wait()
    assert lock_path.exists()  # a crash leaves the lock file behind

    second.resume()
    assert second.is_watched(job_id)
    assert not lock_path.exists()  # the stale lock was cleared on the way
    record = _settled(second, job_id)
    assert record.state is JobState.DOWNLOADED, record.error
    assert record.session == second.session.id


def test_a_session_lock_lives_until_released(tmp_path: Path) -> None:
    folder = tmp_path / FOLDER
    mine, other = SessionLock(folder), SessionLock(folder)
    assert mine.acquire()
    assert other.is_alive(mine.id)
    assert mine.is_alive(mine.id)
    assert not other.is_alive("")
    assert not other.is_alive("../../etc/passwd")
    assert not other.is_alive("feedbeef")  # never existed
    mine.release()
    assert not other.is_alive(mine.id)
    assert not (folder / f"{mine.id}.lock").exists()
