"""ArcGIS Online sign-in through QGIS's real OAuth2 auth method (Authorization Code grant).

QGIS 3.22's OAuth2 method links an app the way a desktop app does: it listens on
``http://127.0.0.1:<redirect port>/``, asks the application to open the portal's
``oauth2/authorize`` page in a browser, takes the ``code`` the portal's redirect brings
to its listener, and redeems it at ``oauth2/token``; later, when the access token is
about to expire, it posts the ``refresh_token`` grant itself (``refreshSynchronous``).

Headless, only the browser is missing. QGIS 3.22 hands the URL to the desktop
application's network auth handler (``QgsNetworkAccessManager::requestAuthOpenBrowser``),
a class PyQGIS 3.22 does not expose (no ``QgsNetworkAuthenticationHandler`` in
``qgis.core``, no ``authBrowserRequested`` signal), so without the QGIS desktop nothing
opens it. The test plays the user's browser instead: it opens the URL QGIS builds
(``response_type=code``, ``client_id``, ``redirect_uri``; QGIS 3.22 sends no ``state``
and no PKCE challenge) and signs in, and the portal redirects to QGIS's own listener.
Everything after that (code exchange, tokens, refreshes, the header on every request)
is QGIS's code against the test portal.
"""

from __future__ import annotations

import json
import threading
from collections.abc import Callable, Iterator

import processing
import pytest
from qgis.core import QgsAuthMethodConfig
from qgis.PyQt.QtCore import QCoreApplication

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.connections.qgis_auth import QGIS_AUTH_LOCK
from tests.qgis_auth import store_auth_config
from tests.qgis_oauth2 import (
    CLIENT_ID,
    free_port,
    oauth2_config,
    qgis_headers,
    sign_in_as_a_browser_would,
)

ECHO = "arcgisgp:{}__secure_protected__echo"
ECHO_ASYNC = "arcgisgp:{}__secure_protectedasync__echo"


@pytest.fixture
def link_oauth2(qgis_auth_manager, gpserver, tmp_path, monkeypatch) -> Iterator[Callable[..., str]]:
    """Store an OAuth2 configuration and link it once (the user signs in in the browser),
    the portal's access tokens living ``lifetime`` seconds (None: ArcGIS's 30 minutes).

    QGIS keeps a token that is not persisted in ``<temp>/oauth2-cache/authcfg-<id>.ini``
    and unlinks when that file is gone; every QGIS 3.22 process that exits empties that
    folder (the OAuth2 method's destructor), other test runs and ``qgis_process``
    included. The test's own temp folder keeps theirs from wiping ours.
    """
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    made: list[str] = []

    def link(lifetime: float | None = None, hosted: bool = True) -> str:
        # hosted: ArcGIS Online, whose services take the portal's OAuth tokens; else an
        # Enterprise server federated with the portal, which wants a server token
        gpserver.portal_hosted = hosted
        gpserver.federated = True
        gpserver.oauth.access_lifetime = lifetime
        port = free_port()
        gpserver.oauth.register(CLIENT_ID, [f"http://127.0.0.1:{port}/"])
        authcfg = store_auth_config(
            qgis_auth_manager,
            "OAuth2",
            "ArcGIS Online (test)",
            {"oauth2config": json.dumps(oauth2_config(gpserver, port))},
        )
        made.append(authcfg)
        browser = sign_in_as_a_browser_would(gpserver, port)
        headers = qgis_headers(authcfg)  # links: QGIS's listener gets the code, redeems it
        browser.join(10)
        assert headers["Authorization"].startswith("Bearer ")
        return authcfg

    yield link
    for authcfg in made:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)


def _bearer_tokens(gpserver, path: str) -> list[str]:
    return [(r.header("Authorization") or "")[7:].strip() for r in gpserver.requests_to(path)]


def test_qgis_links_with_the_portal_code_flow(link_oauth2, gpserver):
    link_oauth2()
    grants = [r.form.get("grant_type") for r in gpserver.requests_to(r"/oauth2/token$")]
    assert grants == ["authorization_code"]
    (redeem,) = gpserver.requests_to(r"/oauth2/token$")
    assert redeem.method == "POST"
    assert redeem.form["client_id"] == CLIENT_ID
    assert "code_verifier" not in redeem.form  # QGIS 3.22 has no PKCE: none needed


def test_an_oauth2_connection_runs_secured_tasks(make_provider, link_oauth2, gpserver):
    authcfg = link_oauth2()
    provider = make_provider(Connection("agol", gpserver.services_url, authcfg=authcfg))
    assert provider.algorithm("agol__secure_protected__echo") is not None, provider.status_notes
    gpserver.clear_requests()
    assert processing.run(ECHO.format("agol"), {"Text": "signed in"})["Output_Text"] == (
        "signed in"
    )
    (execute,) = gpserver.requests_to(r"/Echo/execute$")
    assert execute.header("Authorization").startswith("Bearer ")
    assert "token" not in execute.form
    assert "token" not in execute.query


def test_an_oauth2_configuration_edited_in_qgis_is_the_next_one_used(
    make_provider, link_oauth2, gpserver, qgis_auth_manager
):
    """The user registers a new application and puts its client ID in the configuration,
    while QGIS runs: the next request signs in with it, no restart."""
    authcfg = link_oauth2()
    make_provider(Connection("agol", gpserver.services_url, authcfg=authcfg))
    assert processing.run(ECHO.format("agol"), {"Text": "one"})["Output_Text"] == "one"
    first = _bearer_tokens(gpserver, r"/Echo/execute$")[-1]
    port = free_port()
    gpserver.oauth.register("secondApp", [f"http://127.0.0.1:{port}/"])
    with QGIS_AUTH_LOCK:
        config = QgsAuthMethodConfig()
        qgis_auth_manager.loadAuthenticationConfig(authcfg, config, True)
        settings = json.loads(config.config("oauth2config"))
        settings.update(clientId="secondApp", redirectPort=port)
        config.setConfig("oauth2config", json.dumps(settings))
        assert qgis_auth_manager.updateAuthenticationConfig(config)
    gpserver.state.tokens.revoke(first)
    gpserver.clear_requests()
    browser = sign_in_as_a_browser_would(gpserver, port, client_id="secondApp")
    assert processing.run(ECHO.format("agol"), {"Text": "two"})["Output_Text"] == "two"
    browser.join(10)
    (redeem,) = gpserver.requests_to(r"/oauth2/token$")
    assert redeem.form["client_id"] == "secondApp"
    (second,) = _bearer_tokens(gpserver, r"/Echo/execute$")
    assert second != first


def _run_as_the_dialog_does(run: Callable[[], dict]) -> dict:
    """Run on a worker thread while the main thread turns its event loop, as the
    algorithm dialog does (QGIS 3.22's OAuth2 method writes its token cache file from the
    event loop: with none running, it finds no file and unlinks)."""
    outcome: dict[str, object] = {}

    def work() -> None:
        try:
            outcome["result"] = run()
        except Exception as error:  # re-raised below
            outcome["error"] = error

    worker = threading.Thread(target=work, daemon=True)
    worker.start()
    while worker.is_alive():
        worker.join(0.05)
        QCoreApplication.processEvents()
    if "error" in outcome:
        raise outcome["error"]  # type: ignore[misc]
    return outcome["result"]  # type: ignore[return-value]


def test_an_access_token_that_expires_during_a_long_job(make_provider, link_oauth2, gpserver):
    """Access tokens live 3 s; the job runs 5 s. QGIS refreshes with the refresh token
    when less than 2 s are left, and every poll carries the token QGIS holds then."""
    authcfg = link_oauth2(lifetime=3.0)
    make_provider(Connection("agol", gpserver.services_url, authcfg=authcfg))
    gpserver.clear_requests()
    result = _run_as_the_dialog_does(
        lambda: processing.run(ECHO_ASYNC.format("agol"), {"Text": "long", "Delay": 5.0})
    )
    assert result["Output_Text"] == "long"
    refreshes = [r.form.get("grant_type") for r in gpserver.requests_to(r"/oauth2/token$")]
    assert len(refreshes) >= 2
    assert set(refreshes) == {"refresh_token"}
    polls = gpserver.requests_to(r"/Echo/jobs/")
    assert all(r.status == 200 and r.error_code is None for r in polls)
    assert len(set(_bearer_tokens(gpserver, r"/Echo/jobs/"))) >= 3


def test_an_enterprise_web_tool_gets_a_server_token(make_provider, link_oauth2, gpserver):
    """A server federated with an Enterprise portal takes no portal token: the OAuth2
    access token is exchanged at the portal's generateToken (serverUrl + token)."""
    authcfg = link_oauth2(hosted=False)
    access_token = qgis_headers(authcfg)["Authorization"][7:]
    connection = Connection(
        "enterprise", gpserver.services_url, authcfg=authcfg, allow_insecure_http=True
    )
    provider = make_provider(connection)
    assert provider.algorithm("enterprise__secure_protected__echo") is not None
    gpserver.clear_requests()
    assert processing.run(ECHO.format("enterprise"), {"Text": "web tool"})["Output_Text"] == (
        "web tool"
    )
    (execute,) = gpserver.requests_to(r"/Echo/execute$")
    assert execute.header("Authorization") is None
    server_token = execute.header("X-Esri-Authorization")[7:]
    assert server_token != access_token
    assert server_token in gpserver.state.tokens.issued()
    assert not gpserver.requests_to(r"/generateToken$")  # exchanged once, at the crawl
