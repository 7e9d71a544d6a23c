"""The provider's settings in Processing's options, and its start-up profile entries.

Each setting is checked by what a run does with it: the pool of a new client (and so
the crawl's concurrency), the job timeout of a run against the slow task, the pauses
between polls. A setting changed by the user wins over the environment variable.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path

import processing
import pytest
from processing.core.ProcessingConfig import ProcessingConfig
from qgis.core import QgsApplication, QgsProcessingException, QgsSettings

from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.clients import new_client
from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.provider.provider import PROVIDER_NAME, ArcGisGpProvider, profile_name
from arcgis_gp.plugin.rest.catalog import crawl_catalog
from arcgis_gp.plugin.settings import (
    JOB_TIMEOUT,
    MAX_CONNECTIONS,
    MAX_POLL_INTERVAL,
    PROCESSING_SETTINGS_PREFIX,
    SETTINGS,
)

SLOW = "arcgisgp:demo__elevation_viewshed__slowtask"


@pytest.fixture
def options(provider) -> Iterator[None]:
    """The provider's settings, with what a test changed forgotten afterwards."""
    yield
    for setting in SETTINGS:
        QgsSettings().remove(PROCESSING_SETTINGS_PREFIX + setting.name)
        if setting.name in ProcessingConfig.settings:
            ProcessingConfig.settings[setting.name].value = ProcessingConfig.settings[
                setting.name
            ].default


def _set(name: str, value: float) -> None:
    """As the options dialog does: the value, saved in QGIS settings."""
    ProcessingConfig.setSettingValue(name, value)


def test_settings_are_in_processing_options_while_the_provider_is_loaded(
    qgis_processing, tmp_path: Path
) -> None:
    registry = QgsApplication.processingRegistry()
    provider = ArcGisGpProvider(cache=CatalogCache(tmp_path), connections=list)
    assert registry.addProvider(provider)
    for setting in SETTINGS:
        assert ProcessingConfig.settings[setting.name].group == PROVIDER_NAME
    registry.removeProvider(provider)
    assert not any(setting.name in ProcessingConfig.settings for setting in SETTINGS)


def test_connections_per_server_setting_sets_the_crawl(
    options, gpserver, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(MAX_CONNECTIONS.variable, "7")
    connection = Connection(name="demo", url=gpserver.services_url)
    with new_client(connection) as client:
        assert client.transport.pool_size == 7  # the default setting: the variable counts
    _set(MAX_CONNECTIONS.name, 3)
    gpserver.set_fault("latency", seconds=0.02)  # requests overlap when they can
    threads: set[str] = set()
    with new_client(connection) as client:
        crawl_catalog(client, on_progress=lambda *_: threads.add(threading.current_thread().name))
    assert len({name for name in threads if name.startswith("gp-crawl")}) == 3


def test_job_timeout_setting_ends_a_long_job(options, gpserver, feedback) -> None:
    _set(JOB_TIMEOUT.name, 1.0)  # the demo connection sets no job_timeout of its own
    with pytest.raises(QgsProcessingException, match="did not finish within 1 s"):
        processing.run(SLOW, {"Seconds": 30}, feedback=feedback)
    assert gpserver.requests_to(r"/SlowTask/jobs/[^/]+/cancel$")


def test_poll_interval_setting_caps_the_pauses(options, gpserver, feedback) -> None:
    _set(MAX_POLL_INTERVAL.name, 0.1)
    processing.run(SLOW, {"Seconds": 2}, feedback=feedback)
    polls = gpserver.requests_to(r"/SlowTask/jobs/[^/]+$")
    # 2 s at most 0.1 s apart: ~20 polls; the default cap of 5 s allows about 6.
    assert len(polls) >= 12


def test_start_up_profile_has_each_connection(provider) -> None:
    names = QgsApplication.profiler().childGroups("", "startup")
    assert profile_name(provider.connections()[0]) in names
