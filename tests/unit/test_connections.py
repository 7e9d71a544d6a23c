"""Connections from the ARCGIS_GP_CONNECTIONS file and from QGIS settings."""

from __future__ import annotations

import pytest
from qgis.core import QgsSettings

from arcgis_gp.plugin.connections.connection import (
    ENV_CONNECTIONS_FILE,
    Connection,
    ConnectionConfigError,
    connections_from_settings,
    connections_to_yaml,
    load_connections,
    parse_connections_yaml,
    remove_connection,
    save_connection,
    slug,
)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Demo", "demo"),
        ("Elevation/Viewshed", "elevation_viewshed"),
        ("911 Calls Hotspot", "911_calls_hotspot"),
        ("  --Zürich  GP--  ", "z_rich_gp"),
        ("a.b c", "a_b_c"),
    ],
)
def test_slug(text: str, expected: str) -> None:
    assert slug(text) == expected


def test_smallest_yaml_form() -> None:
    (connection,) = parse_connections_yaml(
        "connections:\n  - name: demo\n    url: http://127.0.0.1:8399/arcgis/rest/services\n"
    )
    assert connection.name == "demo"
    assert connection.authcfg == ""
    assert connection.allow_insecure_http is False


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("connections:\n  - url: http://x/arcgis/rest/services\n", "no 'name'"),
        ("connections:\n  - name: a\n", "has no 'url'"),
        ("connections:\n  - name: a\n    url: ftp://x\n", "http(s)://"),
        ("connections:\n  - name: a\n    url: http://x\n    password: p\n", "unknown keys"),
        ("connections: [", "not valid YAML"),
        ("- just a list", "'connections' list"),
    ],
)
def test_bad_files_name_the_problem(text: str, message: str) -> None:
    with pytest.raises(
        ConnectionConfigError, match=message.replace("(", r"\(").replace(")", r"\)")
    ):
        parse_connections_yaml(text, origin="file.yaml")


def test_export_import_round_trip_has_no_secrets() -> None:
    connections = [
        Connection("a", "https://x/arcgis/rest/services", authcfg="abc1234", timeout=10),
        Connection("b", "http://127.0.0.1/arcgis/rest/services", allow_insecure_http=True),
    ]
    text = connections_to_yaml(connections)
    assert "password" not in text
    assert parse_connections_yaml(text) == connections


def test_settings_and_env_file_are_merged(tmp_path, monkeypatch) -> None:
    settings = QgsSettings()
    save_connection(Connection("From Settings", "https://s/arcgis/rest/services"), settings)
    save_connection(Connection("shared", "https://old/arcgis/rest/services"), settings)
    try:
        path = tmp_path / "c.yaml"
        path.write_text(
            "connections:\n  - name: shared\n    url: https://new/arcgis/rest/services\n",
            encoding="utf-8",
        )
        monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(path))
        by_name = {c.name: c for c in load_connections()}
        assert by_name["From Settings"].url == "https://s/arcgis/rest/services"
        assert by_name["shared"].url == "https://new/arcgis/rest/services"  # the file wins
        names = [c.name for c in connections_from_settings(settings)]
        assert "From Settings" in names
    finally:
        remove_connection("From Settings", settings)
        remove_connection("shared", settings)
    assert "From Settings" not in [c.name for c in connections_from_settings(settings)]


def test_a_broken_env_file_does_not_stop_loading(tmp_path, monkeypatch) -> None:
    monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(tmp_path / "missing.yaml"))
    assert isinstance(load_connections(), list)
