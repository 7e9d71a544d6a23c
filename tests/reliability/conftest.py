"""Reliability fixtures: a provider with small timeouts, and a guard against leaks.

The connection ``rel`` points at tests/gpserver with a short request timeout and a short
overall job timeout, so that every fault ends quickly through the plugin's *own* limits
(hangs are bounded by pytest-timeout markers, never by timed asserts).
"""

from __future__ import annotations

import tempfile
import threading
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QThreadPool

from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.clients import client_for, forget_clients
from arcgis_gp.plugin.connections.connection import Connection, connections_from_file
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider
from tests.integration.provider.conftest import RecordingFeedback, point_layer

#: Seconds the client waits for one answer (latency faults are longer than this).
REQUEST_TIMEOUT = 3
#: Seconds an asynchronous job may take before the plugin cancels it.
JOB_TIMEOUT = 4
#: Prefix of the plugin's temporary folders (runner.py).
TEMP_PREFIX = "arcgis_gp_"


def connection_yaml(name: str, url: str, **extra: object) -> str:
    """One connection entry of an ARCGIS_GP_CONNECTIONS file."""
    lines = [f"  - name: {name}", f"    url: {url}"]
    lines += [f"    {key}: {value}" for key, value in extra.items()]
    return "\n".join(lines) + "\n"


def make_provider(qgis_processing, connections_file: Path, cache: Path) -> ArcGisGpProvider:
    """A provider in the real Processing registry, its catalogs loaded (blocking)."""
    provider = ArcGisGpProvider(
        cache=CatalogCache(cache), connections=lambda: connections_from_file(connections_file)
    )
    assert QgsApplication.processingRegistry().addProvider(provider)
    provider.refresh_catalogs(blocking=True)
    return provider


def fast_retries(connections: list[Connection]) -> None:
    """Short retry pauses on the shared clients: fault tests wait for the plugin's limits
    (retry counts, timeouts), not for its back-off."""
    for connection in connections:
        client_for(connection).transport.retry_backoff = 0.01


@pytest.fixture
def rel_connections(gpserver, tmp_path: Path) -> Path:
    path = tmp_path / "connections.yaml"
    path.write_text(
        "connections:\n"
        + connection_yaml(
            "rel", gpserver.services_url, timeout=REQUEST_TIMEOUT, job_timeout=JOB_TIMEOUT
        ),
        encoding="utf-8",
    )
    return path


@pytest.fixture
def rel_provider(qgis_processing, rel_connections: Path, tmp_path: Path):
    provider = make_provider(qgis_processing, rel_connections, tmp_path / "catalogs")
    fast_retries(connections_from_file(rel_connections))
    yield provider
    QgsApplication.processingRegistry().removeProvider(provider)
    forget_clients()


@pytest.fixture
def feedback() -> RecordingFeedback:
    return RecordingFeedback()


@pytest.fixture
def three_points():
    return point_layer([("Bern", 7.44, 46.95), ("Thun", 7.63, 46.76), ("Biel", 7.25, 47.14)])


def _plugin_threads() -> set[str]:
    """Threads of this process that are not the test server's (its request threads come
    and go on their own, e.g. one still sleeping in a latency fault)."""
    return {
        f"{thread.name}#{thread.ident}"
        for thread in threading.enumerate()
        if not thread.name.startswith("gpserver") and "process_request_thread" not in thread.name
    }


@dataclass
class LeakGuard:
    """What a run may leave behind: nothing of the plugin's."""

    temp_root: Path
    threads_before: set[str]
    pool_before: int

    def temp_dirs(self) -> list[Path]:
        return sorted(self.temp_root.glob(TEMP_PREFIX + "*"))

    def check(self) -> None:
        # Threads that are ending may need a moment: wait (bounded) for the state, then
        # assert on it -- never on how long it took.
        event = threading.Event()
        for _ in range(100):
            if _plugin_threads() <= self.threads_before:
                break
            event.wait(0.05)
        leaked = _plugin_threads() - self.threads_before
        assert not leaked, f"threads left running: {sorted(leaked)}"
        pool = QThreadPool.globalInstance()
        pool.waitForDone(5000)
        assert pool.activeThreadCount() <= self.pool_before
        assert self.temp_dirs() == [], "temporary folders left behind"


@pytest.fixture
def leak_guard(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[LeakGuard]:
    """Checks, after the test, that no thread and no ``arcgis_gp_*`` temp folder is left.

    The plugin's temp folders go to a private ``tempfile.tempdir`` so that other test
    runs on the same machine cannot disturb the check.
    """
    temp_root = tmp_path / "tmp"
    temp_root.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(temp_root))
    guard = LeakGuard(
        temp_root, _plugin_threads(), QThreadPool.globalInstance().activeThreadCount()
    )
    yield guard
    guard.check()
