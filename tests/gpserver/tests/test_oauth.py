"""The portal's OAuth 2.0 endpoints: authorization code with PKCE, refresh, refusals."""

from __future__ import annotations

import base64
import hashlib
import re
import secrets
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import requests

ECHO = "Secure/Protected"
REDIRECT = "http://127.0.0.1:7071/callback"
CLIENT = "pkceTestApp"


@pytest.fixture
def portal(gpserver):
    gpserver.portal_hosted = True
    gpserver.oauth.register(CLIENT, [REDIRECT])
    return gpserver


def _pkce() -> tuple[str, str]:
    verifier = secrets.token_urlsafe(48)
    digest = hashlib.sha256(verifier.encode("ascii")).digest()
    return verifier, base64.urlsafe_b64encode(digest).rstrip(b"=").decode("ascii")


def _sign_in(server, **params) -> str:
    """What a browser does: open authorize, post the sign-in form; the redirect target."""
    user, password = server.credentials
    page = requests.get(server.oauth_authorize_url, params=params, timeout=10)
    assert page.status_code == 200, page.text
    state = re.search(r'name="oauth_state" value="([^"]+)"', page.text)
    assert state, page.text
    answer = requests.post(
        f"{server.portal_url}/sharing/rest/oauth2/signin",
        data={"oauth_state": state.group(1), "username": user, "password": password},
        allow_redirects=False,
        timeout=10,
    )
    assert answer.status_code == 302, answer.text
    return answer.headers["Location"]


def _code(server, challenge: str | None = None) -> str:
    params = {"client_id": CLIENT, "response_type": "code", "redirect_uri": REDIRECT}
    if challenge:
        params.update(code_challenge=challenge, code_challenge_method="S256")
    location = _sign_in(server, state="xyz", **params)
    assert location.startswith(REDIRECT + "?")
    query = parse_qs(urlsplit(location).query)
    assert query["state"] == ["xyz"]
    return query["code"][0]


def _token(server, **form) -> dict:
    return requests.post(server.oauth_token_url, data=form, timeout=10).json()


def _echo(server, headers: dict[str, str]) -> dict:
    return requests.post(
        server.task_url(ECHO, "Echo") + "/execute",
        data={"Text": "hi", "f": "json"},
        headers=headers,
        timeout=10,
    ).json()


def test_authorization_code_with_pkce(portal) -> None:
    verifier, challenge = _pkce()
    code = _code(portal, challenge)
    answer = _token(
        portal,
        client_id=CLIENT,
        grant_type="authorization_code",
        code=code,
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert set(answer) == {
        "access_token",
        "expires_in",
        "username",
        "ssl",
        "refresh_token",
        "refresh_token_expires_in",
    }
    assert answer["expires_in"] == 1800  # seconds, ArcGIS's default
    assert answer["refresh_token_expires_in"] == 14 * 24 * 3600
    assert answer["username"] == portal.credentials[0]
    bearer = {"Authorization": f"Bearer {answer['access_token']}"}
    assert _echo(portal, bearer)["results"][0]["value"] == "hi"
    esri = {"X-Esri-Authorization": f"Bearer {answer['access_token']}"}
    assert _echo(portal, esri)["results"][0]["value"] == "hi"


def test_pkce_verifier_is_checked(portal) -> None:
    verifier, challenge = _pkce()
    form = {"client_id": CLIENT, "grant_type": "authorization_code", "redirect_uri": REDIRECT}
    missing = _token(portal, code=_code(portal, challenge), **form)
    assert missing["error"]["error_description"] == "code_verifier not specified"
    wrong = _token(portal, code=_code(portal, challenge), code_verifier="x" * 43, **form)
    assert wrong["error"] == {
        "code": 400,
        "error": "invalid_request",
        "error_description": "Invalid code_verifier",
        "message": "Invalid code_verifier",
    }
    code = _code(portal, challenge)
    assert "access_token" in _token(portal, code=code, code_verifier=verifier, **form)
    again = _token(portal, code=code, code_verifier=verifier, **form)  # one use only
    assert again["error"]["code"] == 498
    assert again["error"]["message"] == "Invalid authorization code"


def test_code_without_pkce_needs_no_secret(portal) -> None:
    """What QGIS 3.22's Authorization Code flow sends: no verifier, an empty secret."""
    answer = _token(
        portal,
        client_id=CLIENT,
        client_secret="",
        grant_type="authorization_code",
        code=_code(portal),
        redirect_uri=REDIRECT,
    )
    assert answer["access_token"]


def test_refresh_token_grant(portal) -> None:
    portal.oauth.access_lifetime = 1.0
    verifier, challenge = _pkce()
    first = _token(
        portal,
        client_id=CLIENT,
        grant_type="authorization_code",
        code=_code(portal, challenge),
        redirect_uri=REDIRECT,
        code_verifier=verifier,
    )
    assert first["expires_in"] == 1
    time.sleep(1.2)
    bearer = {"Authorization": f"Bearer {first['access_token']}"}
    assert _echo(portal, bearer)["error"]["code"] == 498
    second = _token(
        portal, client_id=CLIENT, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )
    assert set(second) == {"access_token", "expires_in", "username", "ssl"}
    assert second["access_token"] != first["access_token"]
    bearer = {"Authorization": f"Bearer {second['access_token']}"}
    assert _echo(portal, bearer)["results"][0]["value"] == "hi"
    exchanged = _token(
        portal,
        client_id=CLIENT,
        grant_type="exchange_refresh_token",
        redirect_uri=REDIRECT,
        refresh_token=first["refresh_token"],
    )
    assert exchanged["refresh_token"] != first["refresh_token"]
    stale = _token(
        portal, client_id=CLIENT, grant_type="refresh_token", refresh_token=first["refresh_token"]
    )
    assert stale["error"]["code"] == 498
    assert stale["error"]["message"] == "Invalid refresh_token"


def test_no_password_grant_and_other_refusals(portal) -> None:
    user, password = portal.credentials
    grant = _token(
        portal, client_id=CLIENT, grant_type="password", username=user, password=password
    )
    assert grant["error"]["error"] == "invalid_request"
    assert grant["error"]["message"] == "Invalid grant_type"
    unknown = _token(portal, client_id="nope", grant_type="refresh_token", refresh_token="x")
    assert unknown["error"]["message"] == "Invalid client_id"
    no_redirect = _token(
        portal, client_id=CLIENT, grant_type="exchange_refresh_token", refresh_token="x"
    )
    assert no_redirect["error"]["message"] == "redirect_uri not specified"
    page = requests.get(
        portal.oauth_authorize_url,
        params={"client_id": CLIENT, "response_type": "code", "redirect_uri": "http://evil/"},
        timeout=10,
    ).json()
    assert page["error"]["message"] == "Invalid redirect_uri"


def test_implicit_grant_puts_the_token_in_the_fragment(portal) -> None:
    location = _sign_in(
        portal, client_id=CLIENT, response_type="token", redirect_uri=REDIRECT, state="s"
    )
    fragment = parse_qs(urlsplit(location).fragment)
    assert fragment["expires_in"] == ["1800"]
    assert fragment["state"] == ["s"]
    assert _echo(portal, {"Authorization": f"Bearer {fragment['access_token'][0]}"})["results"]


def test_a_federated_server_wants_an_exchanged_token(gpserver) -> None:
    """Enterprise: an OAuth token is a portal token, which a federated server takes only
    through the serverUrl exchange."""
    gpserver.federated = True
    gpserver.oauth.register(CLIENT, [REDIRECT])
    answer = _token(
        gpserver,
        client_id=CLIENT,
        grant_type="authorization_code",
        code=_code(gpserver),
        redirect_uri=REDIRECT,
    )
    bearer = {"Authorization": f"Bearer {answer['access_token']}"}
    assert _echo(gpserver, bearer)["error"]["code"] == 498
    exchanged = requests.post(
        f"{gpserver.portal_url}/sharing/rest/generateToken",
        data={"token": answer["access_token"], "serverUrl": gpserver.context_url, "f": "json"},
        timeout=10,
    ).json()
    assert set(exchanged) == {"token", "expires"}
    assert _echo(gpserver, {"X-Esri-Authorization": f"Bearer {exchanged['token']}"})["results"]


def test_oauth_is_the_portals(gpserver) -> None:
    """A standalone server has no portal, so no OAuth endpoints."""
    answer = requests.post(gpserver.oauth_token_url, data={"grant_type": "x"}, timeout=10)
    assert answer.status_code == 404


def test_portal_tokens_bound_to_a_referer(gpserver) -> None:
    """``client=referer``: the portal token works only with that Referer (here: in the
    serverUrl exchange); ``expiration`` is in minutes."""
    gpserver.federated = True
    user, password = gpserver.credentials
    before = time.time() * 1000
    login = requests.post(
        f"{gpserver.portal_url}/sharing/rest/generateToken",
        data={
            "username": user,
            "password": password,
            "client": "referer",
            "referer": "https://app.example.com",
            "expiration": "5",
            "f": "json",
        },
        timeout=10,
    ).json()
    assert set(login) == {"token", "expires", "ssl"}
    assert before + 5 * 60_000 - 5_000 <= login["expires"] <= time.time() * 1000 + 5 * 60_000
    form = {"token": login["token"], "serverUrl": gpserver.context_url, "f": "json"}
    url = f"{gpserver.portal_url}/sharing/rest/generateToken"
    refused = requests.post(url, data=form, timeout=10).json()
    assert refused["error"]["code"] == 498
    taken = requests.post(
        url, data=form, headers={"Referer": "https://app.example.com"}, timeout=10
    ).json()
    assert set(taken) == {"token", "expires"}
