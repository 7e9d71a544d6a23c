"""Tokens over real HTTP: acquired, sent in body or header (never the URL), renewed."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest import (
    ArcGisAuthError,
    GenerateTokenProvider,
    GPClient,
    InsecureTransportError,
    StaticToken,
    wait_for_job,
)

from .conftest import FAST

ECHO = "Secure/Protected/GPServer/Echo"


def _token_requests(gpserver):
    return gpserver.requests_to(r"/tokens/generateToken$")


def test_token_acquired_and_sent_in_form_and_header_never_in_url(secure_client, gpserver):
    result = secure_client.execute(ECHO, {"Text": "hi there"})
    assert result.value("Output_Text") == "hi there"
    task = secure_client.task_info(ECHO)
    assert task.name == "Echo"
    (login,) = _token_requests(gpserver)
    assert login.method == "POST"
    assert login.form["username"] == "gpuser"
    assert login.form["password"] == "gppass"
    assert login.query == {}  # the password is not in the URL
    assert login.form["client"] == "requestip"
    secured = gpserver.requests_to(r"/Secure/")
    assert secured
    for request in secured:
        assert "token" not in request.query
        if request.method == "POST":
            assert request.form["token"]
        else:
            assert request.header("X-Esri-Authorization").startswith("Bearer ")
    # one token, reused for every request
    tokens = {r.form.get("token") or r.header("X-Esri-Authorization")[7:] for r in secured}
    assert len(tokens) == 1
    # token service discovered through /rest/info
    assert gpserver.requests_to(r"/rest/info$")


def test_token_renewed_after_498(secure_client, gpserver):
    secure_client.execute(ECHO, {"Text": "one"})
    gpserver.state.tokens.revoke_all()  # the server forgets every token (e.g. restarted)
    gpserver.clear_requests()
    assert secure_client.execute(ECHO, {"Text": "two"}).value("Output_Text") == "two"
    answers = [r.error_code for r in gpserver.requests_to(r"/Echo/execute$")]
    assert answers == [498, None]  # rejected once, then sent again with the new token
    assert len(_token_requests(gpserver)) == 1


def test_token_expiring_during_a_job(secure_client, gpserver):
    gpserver.token_lifetime = 1.0
    task = "Secure/ProtectedAsync/GPServer/Echo"
    job = secure_client.submit_job(task, {"Text": "slow", "Delay": 2.5})
    info = wait_for_job(secure_client, task, job.job_id, poll=FAST)
    assert secure_client.job_result(task, job.job_id, "Output_Text").value == "slow"
    assert info.status.value == "esriJobSucceeded"
    assert len(_token_requests(gpserver)) >= 2  # renewed while polling


def test_missing_token_is_an_auth_error(client):
    with pytest.raises(ArcGisAuthError) as caught:
        client.execute(ECHO, {"Text": "x"})
    assert caught.value.code == 499
    assert "Token Required" in str(caught.value)


def test_static_token_rejected_is_not_retried(gpserver):
    with (
        GPClient(gpserver.services_url, token_provider=StaticToken("forged-token-123")) as gp,
        pytest.raises(ArcGisAuthError) as caught,
    ):
        gp.execute(ECHO, {"Text": "x"})
    assert caught.value.code == 498
    assert "forged-token-123" not in str(caught.value)
    assert len(gpserver.requests_to(r"/Echo/execute$")) == 1


def test_wrong_password(gpserver):
    provider = GenerateTokenProvider("gpuser", "wrong-password-42")
    with (
        GPClient(gpserver.services_url, token_provider=provider, allow_insecure_http=True) as gp,
        pytest.raises(ArcGisAuthError) as caught,
    ):
        gp.task_info(ECHO)
    assert "wrong-password-42" not in str(caught.value)
    assert "Invalid username or password" in str(caught.value)


def test_password_over_http_refused_by_default(gpserver):
    provider = GenerateTokenProvider("gpuser", "gppass")
    with (
        GPClient(gpserver.services_url, token_provider=provider) as gp,
        pytest.raises(InsecureTransportError),
    ):
        gp.task_info(ECHO)
    assert not _token_requests(gpserver)


def test_referer_bound_token(gpserver):
    provider = GenerateTokenProvider("gpuser", "gppass", referer="https://qgis.example.org/")
    with GPClient(gpserver.services_url, token_provider=provider, allow_insecure_http=True) as gp:
        assert gp.execute(ECHO, {"Text": "r"}).value("Output_Text") == "r"
    (login,) = _token_requests(gpserver)
    assert login.form["client"] == "referer"
    assert login.form["referer"] == "https://qgis.example.org/"
    (call,) = gpserver.requests_to(r"/Echo/execute$")
    assert call.header("Referer") == "https://qgis.example.org/"


def test_token_never_sent_to_another_origin(secure_client, gpserver, tmp_path):
    task = "Elevation/Viewshed/GPServer/ElevationRaster"
    job = secure_client.submit_job(task, {"Cell_Size": 0.1})
    wait_for_job(secure_client, task, job.job_id, poll=FAST)
    url = secure_client.job_result(task, job.job_id, "Output_Raster", return_type_data=True)
    same_server_other_name = url.value["url"].replace("127.0.0.1", "localhost")
    gpserver.clear_requests()
    secure_client.download(same_server_other_name, tmp_path / "x.tif")
    (request,) = gpserver.requests
    assert request.header("X-Esri-Authorization") is None
    assert "token" not in request.params
