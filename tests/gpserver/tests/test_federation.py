"""A server federated with a portal: rest/info names the portal, logins go to the portal,
and services take the server tokens the portal gives in exchange of a portal token."""

from __future__ import annotations

import json
import time
from pathlib import Path

import pytest
import requests

from .helpers import get

DATA = Path(__file__).resolve().parents[2] / "data" / "federation"
ECHO = "Secure/Protected"


def _example(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def federated(gpserver):
    gpserver.federated = True
    return gpserver


def _portal_login(server, **extra) -> dict:
    user, password = server.credentials
    return requests.post(
        f"{server.portal_url}/sharing/rest/generateToken",
        data={"username": user, "password": password, "client": "requestip", "f": "json", **extra},
        timeout=10,
    ).json()


def _exchange(server, portal_token: str, server_url: str | None = None) -> dict:
    return requests.post(
        f"{server.portal_url}/sharing/rest/generateToken",
        data={"token": portal_token, "serverUrl": server_url or server.context_url, "f": "json"},
        timeout=10,
    ).json()


def _echo(server, token: str, referer: str | None = None) -> dict:
    headers = {"Referer": referer} if referer else {}
    return requests.post(
        server.task_url(ECHO, "Echo") + "/execute",
        data={"Text": "hi", "f": "json", "token": token},
        headers=headers,
        timeout=10,
    ).json()


def test_rest_info_names_the_portal_as_real_federated_servers_do(federated) -> None:
    info = get(f"{federated.context_url}/rest/info")
    real = _example("enterprise-federated-rest-info.json")
    assert set(real) <= set(info)
    assert set(real["authInfo"]) <= set(info["authInfo"])
    assert info["owningSystemUrl"] == federated.portal_url
    assert info["authInfo"]["tokenServicesUrl"] == (
        f"{federated.portal_url}/sharing/rest/generateToken"
    )
    federated.portal_token_path = "sharing/generateToken"  # the legacy URL
    info = get(f"{federated.context_url}/rest/info")
    assert info["authInfo"]["tokenServicesUrl"].endswith("/portal/sharing/generateToken")


def test_standalone_server_has_no_portal(gpserver) -> None:
    info = get(f"{gpserver.context_url}/rest/info")
    assert "owningSystemUrl" not in info
    assert info["authInfo"]["tokenServicesUrl"] == gpserver.token_url
    answer = requests.post(f"{gpserver.root}/portal/sharing/rest/generateToken", timeout=10)
    assert answer.status_code == 404


def test_portal_login_and_exchange_answer_as_documented(federated) -> None:
    before = time.time() * 1000
    login = _portal_login(federated, expiration=60)
    assert set(login) == set(_example("portal-login.json"))
    assert before + 59 * 60_000 < login["expires"] < before + 61 * 60_000
    exchanged = _exchange(federated, login["token"])
    assert set(exchanged) == set(_example("server-token-exchange.json"))
    assert exchanged["token"] != login["token"]
    assert exchanged["expires"] <= login["expires"]


def test_services_take_server_tokens_not_portal_tokens(federated) -> None:
    portal = _portal_login(federated)["token"]
    assert _echo(federated, portal)["error"]["code"] == 498
    server = _exchange(federated, portal)["token"]
    assert _echo(federated, server)["results"][0]["value"] == "hi"


def test_a_referer_bound_portal_token_is_taken_with_its_referer(federated) -> None:
    referer = "https://qgis.example.org/"
    portal = _portal_login(federated, client="referer", referer=referer)["token"]
    assert _echo(federated, portal, referer=referer)["results"][0]["value"] == "hi"
    assert _echo(federated, portal)["error"]["code"] == 498


def test_exchange_refusals(federated) -> None:
    portal = _portal_login(federated)["token"]
    wrong_server = _exchange(federated, portal, "https://elsewhere.example.com/arcgis")
    assert wrong_server["error"]["message"] == "Unable to generate token."
    assert _exchange(federated, "not-a-token")["error"]["code"] == 498
    server = _exchange(federated, portal)["token"]
    assert _exchange(federated, server)["error"]["code"] == 498  # only portal tokens


def test_legacy_token_url_answers_too(federated) -> None:
    user, password = federated.credentials
    login = requests.post(
        f"{federated.portal_url}/sharing/generateToken",
        data={"username": user, "password": password, "f": "json"},
        timeout=10,
    ).json()
    assert "token" in login


def test_the_servers_own_token_service_knows_no_portal_user(federated) -> None:
    user, password = federated.credentials
    answer = requests.post(
        federated.token_url,
        data={"username": user, "password": password, "f": "json"},
        timeout=10,
    ).json()
    assert answer["error"]["message"] == "Unable to generate token."


def test_reset_ends_the_federation(gpserver) -> None:
    gpserver.federated = True
    gpserver.reset()
    assert not gpserver.federated
