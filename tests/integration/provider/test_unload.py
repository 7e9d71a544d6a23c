"""Unloading the plugin empties the process-wide registries (issue 17, item 6): a
reloaded plugin starts clean, and no secret or session outlives the plugin."""

from __future__ import annotations

from pathlib import Path

import pytest

import arcgis_gp
from arcgis_gp.plugin.connections.clients import client_for, forget_clients
from arcgis_gp.plugin.connections.connection import ENV_CONNECTIONS_FILE, Connection
from arcgis_gp.plugin.jobs.manager import active_manager
from arcgis_gp.plugin.provider.job_events import job_listener
from arcgis_gp.plugin.provider.job_inputs import remember_secrets, remembered_secrets


def test_unload_clears_clients_secrets_and_listeners(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "connections.yaml"
    path.write_text("connections: []\n", encoding="utf-8")
    monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(path))
    monkeypatch.setattr(
        "arcgis_gp.plugin.connections.catalog_cache.default_cache_dir",
        lambda: tmp_path / "profile-cache",
    )
    connection = Connection("unload", "https://gp.example.com/arcgis/rest/services")
    plugin = arcgis_gp.classFactory(None)
    plugin.initProcessing()
    client = client_for(connection)
    assert client_for(connection) is client  # shared while the plugin is loaded
    remember_secrets("job-before-unload", ["hunter2"])
    assert job_listener() is not None
    assert active_manager() is not None

    plugin.unload()

    assert remembered_secrets("job-before-unload") == []
    assert job_listener() is None
    assert active_manager() is None
    fresh = client_for(connection)
    try:
        assert fresh is not client
    finally:
        forget_clients()
