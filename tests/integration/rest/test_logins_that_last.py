"""Logins that outlive a token, over real HTTP: headers asked at every request and once
more after a refusal (HeaderProvider), and Basic logins to a server federated with a
portal (portal login, then the serverUrl exchange)."""

from __future__ import annotations

import threading

import pytest
import requests

from arcgis_gp.plugin.rest import ArcGisAuthError, GenerateTokenProvider, GPClient, HeaderProvider

ECHO = "Secure/Protected/GPServer/Echo"
INVALID_TOKEN = {"error": {"code": 498, "message": "Invalid Token", "details": []}}


def _server_token(gpserver) -> str:
    user, password = gpserver.credentials
    return requests.post(
        gpserver.token_url,
        data={"username": user, "password": password, "client": "requestip", "f": "json"},
        timeout=10,
    ).json()["token"]


class TokenHolder:
    """What an application's auth store holds now (a token the user may replace)."""

    def __init__(self, token: str) -> None:
        self.token = token
        self.asked = 0
        self._lock = threading.Lock()

    def __call__(self) -> dict[str, str]:
        with self._lock:
            self.asked += 1
            return {"X-Esri-Authorization": f"Bearer {self.token} "}


def test_headers_are_asked_for_at_every_request(gpserver):
    holder = TokenHolder(_server_token(gpserver))
    with GPClient(gpserver.services_url, token_provider=HeaderProvider(holder)) as gp:
        assert gp.execute(ECHO, {"Text": "one"}).value("Output_Text") == "one"
        holder.token = _server_token(gpserver)  # replaced in the store
        gpserver.clear_requests()
        assert gp.execute(ECHO, {"Text": "two"}).value("Output_Text") == "two"
    (call,) = gpserver.requests_to(r"/Echo/execute$")
    assert call.header("X-Esri-Authorization") == f"Bearer {holder.token}"


@pytest.mark.parametrize("status", [498, 401])
def test_a_refusal_asks_again_and_sends_once_more(gpserver, status):
    holder = TokenHolder(_server_token(gpserver))
    body = INVALID_TOKEN if status == 498 else None
    if body:
        gpserver.set_fault("json_body", path=r"/Echo/execute$", count=1, body=body)
    else:
        gpserver.set_fault("http_error", path=r"/Echo/execute$", count=1, status=401)
    with GPClient(gpserver.services_url, token_provider=HeaderProvider(holder)) as gp:
        assert gp.execute(ECHO, {"Text": "again"}).value("Output_Text") == "again"
    assert len(gpserver.requests_to(r"/Echo/execute$")) == 2
    assert holder.asked == 2


def test_refused_twice_the_error_says_what_to_fix(gpserver):
    holder = TokenHolder("revoked-token-1234")
    hint = "connection 'x': renew it in QGIS"
    provider = HeaderProvider(holder, refused_hint=hint)
    with (
        GPClient(gpserver.services_url, token_provider=provider) as gp,
        pytest.raises(ArcGisAuthError) as caught,
    ):
        gp.execute(ECHO, {"Text": "no"})
    assert "Invalid Token" in str(caught.value)
    assert hint in str(caught.value)
    assert "revoked-token-1234" not in str(caught.value)
    assert len(gpserver.requests_to(r"/Echo/execute$")) == 2  # one retry, no more


@pytest.mark.parametrize("token_path", ["sharing/rest/generateToken", "sharing/generateToken"])
def test_basic_login_to_a_federated_server_goes_through_the_portal(gpserver, token_path):
    gpserver.federated = True
    gpserver.portal_token_path = token_path
    user, password = gpserver.credentials
    provider = GenerateTokenProvider(user, password)
    with GPClient(gpserver.services_url, token_provider=provider, allow_insecure_http=True) as gp:
        assert gp.execute(ECHO, {"Text": "fed"}).value("Output_Text") == "fed"
    assert provider.owning_system_url == gpserver.portal_url
    login, exchange = gpserver.requests_to(r"/portal/sharing/")
    assert login.path.endswith(token_path)
    assert login.form["username"] == user
    assert exchange.form["serverUrl"] == gpserver.context_url
    assert exchange.form["token"]
    assert "password" not in exchange.form
    assert not gpserver.requests_to(r"/arcgis/tokens/")
    (call,) = gpserver.requests_to(r"/Echo/execute$")
    assert call.form["token"] not in (exchange.form["token"],)  # the server token, not the portal's


def test_federated_token_renewed_when_it_expires(gpserver):
    gpserver.federated = True
    gpserver.token_lifetime = 1.0
    provider = GenerateTokenProvider(*gpserver.credentials)
    with GPClient(gpserver.services_url, token_provider=provider, allow_insecure_http=True) as gp:
        assert gp.execute(ECHO, {"Text": "a", "Delay": 1.2}).value("Output_Text") == "a"
        assert gp.execute(ECHO, {"Text": "b"}).value("Output_Text") == "b"
    exchanges = [r for r in gpserver.requests_to(r"/portal/sharing/") if "serverUrl" in r.form]
    assert len(exchanges) >= 2
