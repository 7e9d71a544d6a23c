"""Logins that last, through QGIS's real auth methods (a temporary auth database).

QGIS is asked for a connection's headers at every request, so the token sent is the one
QGIS holds now: edited by the user in the Authentication settings, or refreshed by its
method while a long job runs. A refusal asks QGIS once more and retries once; refused
again, the error names the connection and what to fix. A Basic login on a server
federated with a portal goes through the portal and its serverUrl exchange.
"""

from __future__ import annotations

import threading
from collections.abc import Iterator

import processing
import pytest
import requests
from qgis.core import QgsAuthMethodConfig, QgsProcessingException
from qgis.PyQt.QtCore import QCoreApplication

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.connections.qgis_auth import QGIS_AUTH_LOCK
from tests.qgis_auth import generate_token, store_auth_config

ECHO = "arcgisgp:{}__secure_protected__echo"
ECHO_ASYNC = "arcgisgp:{}__secure_protectedasync__echo"
INVALID_TOKEN = {"error": {"code": 498, "message": "Invalid Token", "details": []}}


def _set_token(manager, authcfg: str, token: str) -> None:
    """What a user does in QGIS's Authentication settings: edit the configuration.

    Under the plugin's auth lock: QGIS 3.22 deadlocks when a configuration is updated
    while another thread loads it afresh (README: known limits), which a refresh every
    0.3 s against polls on a worker thread would hit in one run out of a few.
    """
    with QGIS_AUTH_LOCK:
        config = QgsAuthMethodConfig()
        manager.loadAuthenticationConfig(authcfg, config, True)
        config.setConfig("token", token)
        assert manager.updateAuthenticationConfig(config)


def _header_tokens(gpserver, path: str) -> list[str]:
    return [
        (r.header("X-Esri-Authorization") or "")[7:].strip() for r in gpserver.requests_to(path)
    ]


@pytest.fixture
def token_config(qgis_auth_manager, gpserver) -> Iterator[str]:
    """An EsriToken configuration (a token from the test server), removed afterwards."""
    authcfg = store_auth_config(
        qgis_auth_manager, "EsriToken", "lasting", {"token": generate_token(gpserver)}
    )
    yield authcfg
    qgis_auth_manager.removeAuthenticationConfig(authcfg)


def test_a_token_changed_in_qgis_is_the_next_one_sent(
    make_provider, token_config, qgis_auth_manager, gpserver
):
    make_provider(Connection("lasting", gpserver.services_url, authcfg=token_config))
    assert processing.run(ECHO.format("lasting"), {"Text": "one"})["Output_Text"] == "one"
    old = _header_tokens(gpserver, r"/Echo/execute$")[-1]
    new = generate_token(gpserver)
    _set_token(qgis_auth_manager, token_config, new)  # while QGIS runs: no restart
    gpserver.state.tokens.revoke(old)
    gpserver.clear_requests()
    assert processing.run(ECHO.format("lasting"), {"Text": "two"})["Output_Text"] == "two"
    assert _header_tokens(gpserver, r"/Echo/execute$") == [new]


def _run_while_qgis_refreshes(
    manager, authcfg: str, gpserver, run, period: float
) -> tuple[int, dict]:
    """Run ``run`` on a worker thread (as the algorithm dialog does) while the main thread
    replaces the configuration's token every ``period`` seconds with a fresh one, as
    QGIS's OAuth2 method refreshes its access token. Returns the number of refreshes."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = run()
        except Exception as error:  # reported by the test below
            outcome["error"] = error

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    refreshed = 0
    while worker.is_alive():
        worker.join(period)
        QCoreApplication.processEvents()
        if worker.is_alive():
            _set_token(manager, authcfg, generate_token(gpserver))
            refreshed += 1
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return refreshed, outcome["result"]


def test_a_token_that_expires_during_a_long_job(make_provider, qgis_auth_manager, gpserver):
    gpserver.token_lifetime = 1.5  # every token lives 1.5 s; QGIS refreshes each 0.3 s
    authcfg = store_auth_config(
        qgis_auth_manager, "EsriToken", "short", {"token": generate_token(gpserver)}
    )
    try:
        make_provider(Connection("short", gpserver.services_url, authcfg=authcfg))
        gpserver.clear_requests()
        refreshed, result = _run_while_qgis_refreshes(
            qgis_auth_manager,
            authcfg,
            gpserver,
            lambda: processing.run(ECHO_ASYNC.format("short"), {"Text": "slow", "Delay": 3.0}),
            0.3,
        )
        assert result["Output_Text"] == "slow"
        assert refreshed >= 5
        polls = gpserver.requests_to(r"/Echo/jobs/")
        assert len(set(_header_tokens(gpserver, r"/Echo/jobs/"))) >= 3
        assert all(r.status == 200 and r.error_code is None for r in polls)
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def test_a_498_asks_qgis_again_and_retries_once(make_provider, token_config, gpserver):
    make_provider(Connection("retry", gpserver.services_url, authcfg=token_config))
    gpserver.clear_requests()
    gpserver.set_fault("json_body", path=r"/Echo/execute$", count=1, body=INVALID_TOKEN)
    assert processing.run(ECHO.format("retry"), {"Text": "again"})["Output_Text"] == "again"
    first, second = gpserver.requests_to(r"/Echo/execute$")
    assert first.fault == "json_body"
    assert second.fault is None
    assert second.error_code is None


def test_a_refused_token_names_the_connection_and_what_to_fix(
    make_provider, token_config, gpserver
):
    make_provider(Connection("refused", gpserver.services_url, authcfg=token_config))
    gpserver.state.tokens.revoke_all()  # e.g. an administrator revoked the user's tokens
    gpserver.clear_requests()
    with pytest.raises(QgsProcessingException) as caught:
        processing.run(ECHO.format("refused"), {"Text": "x"})
    message = str(caught.value)
    assert "Invalid Token" in message
    assert "connection 'refused'" in message
    assert f"authentication configuration '{token_config}'" in message
    assert "renew it in QGIS's Authentication settings" in message
    assert len(gpserver.requests_to(r"/Echo/execute$")) == 2  # one retry, no more


@pytest.mark.parametrize("token_path", ["sharing/rest/generateToken", "sharing/generateToken"])
def test_basic_login_on_a_federated_server_goes_through_the_portal(
    make_provider, basic_authcfg, gpserver, token_path
):
    gpserver.federated = True
    gpserver.portal_token_path = token_path
    connection = Connection(
        "fed", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True
    )
    provider = make_provider(connection)
    assert provider.algorithm("fed__secure_protected__echo") is not None, provider.status_notes
    result = processing.run(ECHO.format("fed"), {"Text": "federated"})
    assert result["Output_Text"] == "federated"
    portal = gpserver.requests_to(r"/portal/sharing/")
    assert [bool(r.form.get("serverUrl")) for r in portal] == [False, True]
    assert portal[0].path.endswith(token_path)
    assert not gpserver.requests_to(r"/arcgis/tokens/")


def test_an_api_header_changed_in_qgis_is_the_next_one_sent(
    make_provider, qgis_auth_manager, gpserver
):
    """QGIS's API header method (not in QGIS 3.22: skipped there) is asked per request."""
    if "APIHeader" not in qgis_auth_manager.authMethodsKeys():
        pytest.skip("this QGIS has no API header auth method (QGIS 3.22 lists none)")
    first = generate_token(gpserver)
    authcfg = store_auth_config(
        qgis_auth_manager, "APIHeader", "header", {"X-Esri-Authorization": f"Bearer {first}"}
    )
    try:
        make_provider(Connection("header", gpserver.services_url, authcfg=authcfg))
        assert processing.run(ECHO.format("header"), {"Text": "one"})["Output_Text"] == "one"
        second = generate_token(gpserver)
        with QGIS_AUTH_LOCK:
            config = QgsAuthMethodConfig()
            qgis_auth_manager.loadAuthenticationConfig(authcfg, config, True)
            config.setConfig("X-Esri-Authorization", f"Bearer {second}")
            assert qgis_auth_manager.updateAuthenticationConfig(config)
        gpserver.state.tokens.revoke(first)
        gpserver.clear_requests()
        assert processing.run(ECHO.format("header"), {"Text": "two"})["Output_Text"] == "two"
        assert _header_tokens(gpserver, r"/Echo/execute$") == [second]
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def test_a_server_token_on_a_federated_server_is_sent_as_it_is(
    make_provider, qgis_auth_manager, gpserver
):
    """An EsriToken configuration holding a token of the server itself (exchanged
    elsewhere): the portal will not exchange it again, so it goes as QGIS gives it."""
    gpserver.federated = True
    user, password = gpserver.credentials
    portal = f"{gpserver.portal_url}/sharing/rest/generateToken"
    login = requests.post(
        portal,
        data={"username": user, "password": password, "client": "requestip", "f": "json"},
        timeout=10,
    ).json()
    server_token = requests.post(
        portal,
        data={"token": login["token"], "serverUrl": gpserver.context_url, "f": "json"},
        timeout=10,
    ).json()["token"]
    authcfg = store_auth_config(qgis_auth_manager, "EsriToken", "fed", {"token": server_token})
    try:
        connection = Connection(
            "fedtoken", gpserver.services_url, authcfg=authcfg, allow_insecure_http=True
        )
        make_provider(connection)
        gpserver.clear_requests()
        for text in ("one", "two"):
            result = processing.run(ECHO.format("fedtoken"), {"Text": text})
            assert result["Output_Text"] == text
        assert _header_tokens(gpserver, r"/Echo/execute$") == [server_token, server_token]
        assert not gpserver.requests_to(r"/generateToken$")  # refused once, at the crawl
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)
