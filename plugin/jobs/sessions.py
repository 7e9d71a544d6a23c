"""Which QGIS session looks after which job: one lock file per live session.

Two QGIS windows on one profile share its job store. A job belongs to the session
that submitted it (or last watched it); a session that starts while that one still
runs must not resume the job, or both would poll it and write its outputs into the
same destinations. Each session holds ``sessions/<id>.lock`` for as long as it
runs. QGIS's Qt (``QLockFile``) writes the holder's process id into the file and
treats the lock of a process that has died (closed, crashed, killed) as stale, so a
job whose session is gone is resumed by the next session that starts.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from qgis.PyQt.QtCore import QLockFile

#: The lock files live next to the store, in this folder.
FOLDER = "sessions"


def _lock_file(path: Path) -> QLockFile:
    lock = QLockFile(str(path))
    # Only a dead holder makes a lock stale: the default (30 s) would also call the
    # lock of a session that has simply been open for a while stale.
    lock.setStaleLockTime(0)
    return lock


class SessionLock:
    """This session's id and lock, and the question whether another session lives."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.id = uuid.uuid4().hex
        self._lock = _lock_file(folder / f"{self.id}.lock")

    def acquire(self) -> bool:
        """Hold this session's lock (False when the folder cannot be written)."""
        self.folder.mkdir(parents=True, exist_ok=True)
        return self._lock.tryLock(0)

    def release(self) -> None:
        """Let go of the lock (its file is removed): this session's jobs are free."""
        if self._lock.isLocked():
            self._lock.unlock()

    def is_alive(self, session_id: str) -> bool:
        """True for this session, and for another one whose process still holds its lock.

        A lock left by a dead process is removed on the way, so it is asked about once.
        """
        if session_id == self.id:
            return True
        if not session_id or not session_id.isalnum():
            return False
        path = self.folder / f"{session_id}.lock"
        if not path.exists():
            return False
        probe = _lock_file(path)
        if probe.tryLock(0):  # the holder is gone: the stale lock was taken over
            probe.unlock()
            return False
        return probe.error() == QLockFile.LockError.LockFailedError
