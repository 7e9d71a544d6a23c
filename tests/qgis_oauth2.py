"""QGIS's OAuth2 auth method against the test portal (tests/gpserver/oauth.py), headless.

QGIS 3.22 hands the authorize URL to the desktop application's network auth handler
(``QgsNetworkAccessManager::requestAuthOpenBrowser``), a class PyQGIS 3.22 does not expose,
so nothing opens it without the QGIS desktop. :func:`sign_in_as_a_browser_would` plays the
user's browser: it opens the URL QGIS builds (``response_type=code``, ``client_id``,
``redirect_uri``; QGIS 3.22 sends no ``state`` and no PKCE challenge) and signs in, and the
portal redirects to QGIS's own listener, which redeems the code.
"""

from __future__ import annotations

import re
import socket
import threading
import time
from urllib.parse import urlencode

import requests
from requests.structures import CaseInsensitiveDict

CLIENT_ID = "qgisGpOAuthTest"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def oauth2_config(gpserver, port: int, timeout: int = 5) -> dict[str, object]:
    """What QGIS's OAuth2 dialog saves (``oauth2config``) for an ArcGIS portal app:
    Authorization Code, no secret, no scope, token in the ``Authorization`` header."""
    return {
        "configType": 1,  # custom (not a predefined config file)
        "grantFlow": 0,  # Authorization Code
        "name": "ArcGIS test portal",
        "requestUrl": gpserver.oauth_authorize_url,
        "tokenUrl": gpserver.oauth_token_url,
        "refreshTokenUrl": gpserver.oauth_token_url,
        "redirectUrl": "",
        "redirectPort": port,
        "clientId": CLIENT_ID,
        "clientSecret": "",
        "scope": "",
        "persistToken": False,
        "accessMethod": 0,  # header
        "requestTimeout": timeout,
        "version": 1,
        "queryPairs": {},
    }


def sign_in_as_a_browser_would(gpserver, port: int, client_id: str = CLIENT_ID) -> threading.Thread:
    """Wait for QGIS's redirect listener, then open the authorize URL and sign in."""
    redirect_uri = f"http://127.0.0.1:{port}/"
    url = f"{gpserver.oauth_authorize_url}?" + urlencode(
        {"response_type": "code", "client_id": client_id, "redirect_uri": redirect_uri}
    )

    def browse() -> None:
        deadline = time.monotonic() + 20
        while time.monotonic() < deadline:
            try:
                socket.create_connection(("127.0.0.1", port), 0.2).close()
                break
            except OSError:
                time.sleep(0.05)
        user, password = gpserver.credentials
        page = requests.get(url, timeout=10)
        state = re.search(r'name="oauth_state" value="([^"]+)"', page.text)
        if state is None:
            return
        requests.post(  # the portal redirects to QGIS's listener, which takes the code
            f"{gpserver.portal_url}/sharing/rest/oauth2/signin",
            data={"oauth_state": state.group(1), "username": user, "password": password},
            timeout=10,
        )

    browser = threading.Thread(target=browse, name="browser", daemon=True)
    browser.start()
    return browser


def qgis_headers(authcfg: str) -> CaseInsensitiveDict:
    """The headers QGIS's method writes now (the first call links: sign in first)."""
    from qgis.core import QgsApplication
    from qgis.PyQt.QtCore import QUrl
    from qgis.PyQt.QtNetwork import QNetworkRequest

    from arcgis_gp.plugin.connections.qgis_auth import QGIS_AUTH_LOCK

    request = QNetworkRequest(QUrl("http://127.0.0.1/"))
    with QGIS_AUTH_LOCK:
        updated = QgsApplication.authManager().updateNetworkRequest(request, authcfg)
    ok = updated[0] if isinstance(updated, tuple) else updated
    assert ok, "QGIS's OAuth2 method could not link"
    if isinstance(updated, tuple):
        request = updated[1]
    # Case-insensitive, as HTTP header names are: Qt 6.7+ gives them in lower case.
    return CaseInsensitiveDict(
        {
            bytes(name).decode(): bytes(request.rawHeader(name)).decode()
            for name in request.rawHeaderList()
        }
    )
