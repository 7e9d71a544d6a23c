"""Jobs tests: the provider of tests/integration/provider, a job store in tmp_path, a manager.

A "restart" is a new :class:`JobManager` over the same store file, started the way the
plugin starts it (resume = True), after the first one was stopped.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from qgis.core import QgsApplication, QgsProject

from arcgis_gp.plugin.jobs.manager import JobManager
from arcgis_gp.plugin.jobs.store import JobStore
from tests.integration.provider.conftest import (  # noqa: F401 - fixtures
    connections_file,
    feedback,
    provider,
    three_points,
)

#: Longest wait for a job to reach a state: a guard against hanging, not a speed check.
GUARD_S = 60.0


def wait_until(condition: Callable[[], bool], what: str, guard: float = GUARD_S) -> None:
    """Let QGIS's event loop and task threads work until ``condition()`` holds."""
    end = time.monotonic() + guard
    while not condition():
        if time.monotonic() > end:
            pytest.fail(f"gave up waiting for {what}")
        QgsApplication.processEvents()
        time.sleep(0.02)


@pytest.fixture
def store_path(tmp_path: Path) -> Path:
    return tmp_path / "profile" / "arcgis_gp" / "jobs.sqlite"


@pytest.fixture
def project() -> Iterator[QgsProject]:
    project = QgsProject.instance()
    project.clear()
    yield project
    project.clear()


@pytest.fixture
def make_manager(
    provider,  # noqa: F811 - the fixture, imported above
    store_path: Path,
    project: QgsProject,
) -> Iterator[Callable[..., JobManager]]:
    """Start a manager over the test store; every one made is stopped at the end."""
    managers: list[JobManager] = []

    def make(resume: bool = True, watch: bool = True) -> JobManager:
        manager = JobManager(JobStore(store_path), project=lambda: project)
        managers.append(manager)
        manager.start(resume=resume, watch=watch)
        return manager

    yield make
    for manager in managers:
        manager.stop()
    wait_until(lambda: QgsApplication.taskManager().countActiveTasks() == 0, "tasks to end")


@pytest.fixture
def manager(make_manager) -> JobManager:
    return make_manager(resume=False)
