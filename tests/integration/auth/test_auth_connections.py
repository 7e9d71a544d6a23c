"""Connections that log in through the QGIS auth database, against the secured test services.

The auth database is a temporary one (tests/qgis_auth.py) holding a Basic configuration
(gpuser/gppass) and an EsriToken configuration (a token the server generated).
"""

from __future__ import annotations

from pathlib import Path

import processing
import pytest
from qgis.core import QgsApplication, QgsAuthMethodConfig, QgsProcessingException, QgsSettings

import arcgis_gp
from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import (
    ENV_CONNECTIONS_FILE,
    Connection,
    connections_to_yaml,
)
from tests.qgis_auth import store_auth_config

ECHO = "arcgisgp:{}__secure_protected__echo"
ECHO_ASYNC = "arcgisgp:{}__secure_protectedasync__echo"


def _logins(gpserver) -> list:
    return gpserver.requests_to(r"/tokens/generateToken$")


def _secured_tokens(gpserver) -> set[str]:
    """Every token the server received on a secured service (form field or header)."""
    tokens = set()
    for request in gpserver.requests_to(r"/Secure/"):
        assert "token" not in request.query  # never in a URL
        value = request.form.get("token") or (request.header("X-Esri-Authorization") or "")[7:]
        if value:
            tokens.add(value.strip())
    return tokens


def _assert_nowhere(secrets: set[str], *texts: str) -> None:
    for secret in secrets:
        assert len(secret) >= 6
        for text in texts:
            assert secret not in text


def test_basic_configuration_gets_a_token_and_runs_secured_tasks(
    make_provider, basic_authcfg, gpserver, qgis_log, tmp_path
):
    connection = Connection(
        "secure", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True
    )
    provider = make_provider(connection)
    names = {a.name() for a in provider.algorithms()}
    assert "secure__secure_protected__echo" in names  # listed only to a valid token
    result = processing.run(ECHO.format("secure"), {"Text": "through basic", "Delay": 0})
    assert result["Output_Text"] == "through basic"

    (login, *_) = _logins(gpserver)
    assert login.method == "POST"
    assert login.form["username"] == "gpuser"
    tokens = _secured_tokens(gpserver)
    assert tokens
    # Secrets stay in the auth database: not in settings, the YAML, the cache, the log.
    settings_text = Path(QgsSettings().fileName()).read_text(encoding="utf-8", errors="replace")
    cache_text = "".join(p.read_text() for p in (tmp_path / "catalogs").glob("*.json"))
    yaml_text = connections_to_yaml([connection])
    assert basic_authcfg in yaml_text
    _assert_nowhere(tokens, settings_text, cache_text, yaml_text, "\n".join(qgis_log))
    # (the test service's own description mentions its password, so not the cache here)
    _assert_nowhere({"gppass"}, settings_text, yaml_text, "\n".join(qgis_log))


def test_anonymous_connection_does_not_see_secured_services(make_provider, gpserver):
    provider = make_provider(Connection("anon", gpserver.services_url))
    names = {a.name() for a in provider.algorithms()}
    assert "anon__analysis__buffer" in names
    assert not [n for n in names if "secure" in n]


def test_esritoken_configuration_sends_its_token_in_a_header(
    make_provider, esritoken_authcfg, qgis_auth_manager, gpserver
):
    provider = make_provider(Connection("static", gpserver.services_url, authcfg=esritoken_authcfg))
    assert provider.algorithm("static__secure_protected__echo") is not None
    gpserver.clear_requests()
    result = processing.run(ECHO.format("static"), {"Text": "through a token"})
    assert result["Output_Text"] == "through a token"
    execute = gpserver.requests_to(r"/Echo/execute$")
    assert execute
    (token,) = _secured_tokens(gpserver)
    assert execute[0].header("X-Esri-Authorization") == f"Bearer {token}"
    assert not _logins(gpserver)  # a static token: no generateToken


def test_token_renewed_when_it_expires_during_a_job(make_provider, basic_authcfg, gpserver):
    gpserver.token_lifetime = 1.0  # every token lives one second
    make_provider(
        Connection("secure", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True)
    )
    gpserver.clear_requests()
    result = processing.run(ECHO_ASYNC.format("secure"), {"Text": "slow", "Delay": 2.5})
    assert result["Output_Text"] == "slow"
    assert len(_logins(gpserver)) >= 2  # renewed while the job ran
    assert len(_secured_tokens(gpserver)) >= 2


def test_498_renews_the_token_and_sends_again(make_provider, basic_authcfg, gpserver):
    make_provider(
        Connection("secure", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True)
    )
    assert processing.run(ECHO.format("secure"), {"Text": "one"})["Output_Text"] == "one"
    gpserver.state.tokens.revoke_all()  # e.g. the server restarted
    gpserver.clear_requests()
    assert processing.run(ECHO.format("secure"), {"Text": "two"})["Output_Text"] == "two"
    answers = [r.error_code for r in gpserver.requests_to(r"/Echo/execute$")]
    assert answers == [498, None]
    assert len(_logins(gpserver)) == 1


def test_rejected_static_token_is_reported_with_the_servers_message(
    make_provider, qgis_auth_manager, gpserver
):
    authcfg = store_auth_config(qgis_auth_manager, "EsriToken", "stale", {"token": "stale-token"})
    try:
        provider = make_provider(Connection("stale", gpserver.services_url, authcfg=authcfg))
        assert provider.algorithms() == []
        note = provider.status_notes["stale"]
        assert "Invalid Token" in note
        assert "stale-token" not in note
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def test_unknown_authcfg_names_the_connection_and_others_still_load(make_provider, gpserver):
    provider = make_provider(
        Connection("broken", gpserver.services_url, authcfg="nosuch1"),
        Connection("demo", gpserver.services_url),
    )
    assert provider.algorithm("demo__analysis__buffer") is not None
    note = provider.status_notes["broken"]
    assert "broken" in note
    assert "nosuch1" in note


def test_changed_password_fails_the_run_with_a_clear_error(
    make_provider, qgis_auth_manager, gpserver
):
    authcfg = store_auth_config(
        qgis_auth_manager, "Basic", "changing", {"username": "gpuser", "password": "gppass"}
    )
    try:
        make_provider(
            Connection("secure", gpserver.services_url, authcfg=authcfg, allow_insecure_http=True)
        )
        # The user edits the configuration in QGIS; cached algorithms stay, runs log in anew.
        config = QgsAuthMethodConfig()
        qgis_auth_manager.loadAuthenticationConfig(authcfg, config, True)
        config.setConfig("password", "wrong-password")
        assert qgis_auth_manager.updateAuthenticationConfig(config)
        forget_clients()
        with pytest.raises(QgsProcessingException, match="could not log in as 'gpuser'") as info:
            processing.run(ECHO.format("secure"), {"Text": "x"})
        assert "wrong-password" not in str(info.value)
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def test_processing_run_works_for_every_connection_right_after_a_headless_start(
    gpserver, basic_authcfg, esritoken_authcfg, tmp_path, monkeypatch, qgis_processing
):
    connections = [
        Connection("demo", gpserver.services_url),
        Connection(
            "secure", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True
        ),
        Connection("static", gpserver.services_url, authcfg=esritoken_authcfg),
    ]
    path = tmp_path / "connections.yaml"
    path.write_text(connections_to_yaml(connections), encoding="utf-8")
    monkeypatch.setenv(ENV_CONNECTIONS_FILE, str(path))
    monkeypatch.setattr(
        "arcgis_gp.plugin.connections.catalog_cache.default_cache_dir",
        lambda: tmp_path / "profile-cache",
    )
    plugin = arcgis_gp.classFactory(None)  # as qgis_process and scripts load it
    plugin.initProcessing()
    try:
        assert QgsApplication.processingRegistry().providerById("arcgisgp") is not None
        scalars = processing.run("arcgisgp:demo__analysis__scalars", {"Count": 2, "Factor": 1.5})
        assert scalars["Output_Long"] == 4
        for name in ("secure", "static"):
            result = processing.run(ECHO.format(name), {"Text": name})
            assert result["Output_Text"] == name
    finally:
        plugin.unload()
