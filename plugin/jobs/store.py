"""Job records on disk: one SQLite file in the QGIS profile that survives crashes.

SQLite commits atomically (a crash leaves the last committed state, never half a
record), WAL mode lets the panel read while a watcher thread writes, and every
change is one short transaction that reads and rewrites one record (``BEGIN
IMMEDIATE``), so two threads never lose each other's updates. One table: a few
columns to sort and filter on, and the whole record as JSON.

Each call opens its own connection: calls come from QGIS's main thread and from
task threads, and sqlite3 connections must not cross threads.
"""

from __future__ import annotations

import json
import sqlite3
import time
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing, contextmanager
from pathlib import Path

from qgis.core import QgsApplication

from .model import JobRecord, JobState

SCHEMA = """
CREATE TABLE IF NOT EXISTS jobs (
    job_id    TEXT PRIMARY KEY,
    state     TEXT NOT NULL,
    submitted REAL NOT NULL,
    updated   REAL NOT NULL,
    record    TEXT NOT NULL
)
"""


def default_store_path() -> Path:
    """``<QGIS profile>/arcgis_gp/jobs.sqlite``."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "arcgis_gp" / "jobs.sqlite"


class JobStore:
    """Every job record, keyed by the job id the server gave."""

    def __init__(self, path: Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_store_path()
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with self._connect() as db:
            db.execute("PRAGMA journal_mode=WAL")
            db.execute(SCHEMA)

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        with closing(sqlite3.connect(self.path, timeout=10.0, isolation_level=None)) as db:
            db.execute("PRAGMA synchronous=NORMAL")
            yield db

    @contextmanager
    def _transaction(self) -> Iterator[sqlite3.Connection]:
        with self._connect() as db:
            db.execute("BEGIN IMMEDIATE")
            try:
                yield db
            except BaseException:
                db.execute("ROLLBACK")
                raise
            db.execute("COMMIT")

    @staticmethod
    def _write(db: sqlite3.Connection, record: JobRecord) -> None:
        record.updated = time.time()
        db.execute(
            "INSERT OR REPLACE INTO jobs (job_id, state, submitted, updated, record) "
            "VALUES (?, ?, ?, ?, ?)",
            (
                record.job_id,
                record.state.value,
                record.submitted,
                record.updated,
                json.dumps(record.to_dict(), ensure_ascii=False),
            ),
        )

    @staticmethod
    def _read(text: str) -> JobRecord:
        return JobRecord.from_dict(json.loads(text))

    def add(self, record: JobRecord) -> None:
        """Insert a record, or replace the one with the same job id."""
        with self._transaction() as db:
            self._write(db, record)

    def get(self, job_id: str) -> JobRecord | None:
        with self._connect() as db:
            row = db.execute("SELECT record FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
        return None if row is None else self._read(row[0])

    def list(self, states: Iterable[JobState] | None = None) -> list[JobRecord]:
        """Records, newest submission first; only those in ``states`` when given."""
        query = "SELECT record FROM jobs"
        args: list[str] = []
        if states is not None:
            wanted = [state.value for state in states]
            query += f" WHERE state IN ({', '.join('?' * len(wanted))})"
            args = wanted
        with self._connect() as db:
            rows = db.execute(query + " ORDER BY submitted DESC", args).fetchall()
        return [self._read(row[0]) for row in rows]

    def update(self, job_id: str, change: Callable[[JobRecord], None]) -> JobRecord | None:
        """Apply ``change`` to a record in one transaction; None when there is no such job."""
        with self._transaction() as db:
            row = db.execute("SELECT record FROM jobs WHERE job_id = ?", (job_id,)).fetchone()
            if row is None:
                return None
            record = self._read(row[0])
            change(record)
            self._write(db, record)
            return record

    def remove(self, job_id: str) -> bool:
        with self._transaction() as db:
            return db.execute("DELETE FROM jobs WHERE job_id = ?", (job_id,)).rowcount > 0
