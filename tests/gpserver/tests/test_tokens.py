"""Token security: generateToken, 499/498, where tokens may travel, expiry."""

from __future__ import annotations

import time

import requests

from .helpers import get


def _token(gpserver, **extra) -> dict:
    user, password = gpserver.credentials
    response = requests.post(
        gpserver.token_url,
        data={"username": user, "password": password, "client": "requestip", "f": "json", **extra},
        timeout=10,
    )
    return response.json()


def test_credentials_come_from_the_yaml(gpserver) -> None:
    assert gpserver.credentials == ("gpuser", "gppass")
    assert gpserver.users == {"gpuser": "gppass"}


def test_generate_token(gpserver) -> None:
    before = time.time() * 1000
    answer = _token(gpserver, expiration=30)
    assert set(answer) == {"token", "expires", "ssl"}
    assert answer["ssl"] is False
    assert before + 29 * 60_000 < answer["expires"] < before + 31 * 60_000
    assert len(answer["token"]) > 20


def test_generate_token_refusals(gpserver) -> None:
    wrong = requests.post(
        gpserver.token_url,
        data={"username": "gpuser", "password": "nope", "f": "json"},
        timeout=10,
    ).json()
    assert wrong == {
        "error": {
            "code": 400,
            "message": "Unable to generate token.",
            "details": ["Invalid username or password."],
        }
    }
    missing = requests.post(gpserver.token_url, data={"f": "json"}, timeout=10).json()
    assert "'username' must be specified." in missing["error"]["details"]
    by_get = requests.get(
        gpserver.token_url,
        params={"username": "gpuser", "password": "gppass", "f": "json"},
        timeout=10,
    ).json()
    assert by_get["error"]["message"] == "Unable to generate token."
    no_referer = _token(gpserver, client="referer")
    assert "'referer' must be specified." in no_referer["error"]["details"]


def test_missing_token_is_499_and_a_bad_one_498(gpserver) -> None:
    url = gpserver.service_url("Secure/Protected")
    response = requests.get(url, params={"f": "json"}, timeout=10)
    assert response.status_code == 200
    assert response.json() == {"error": {"code": 499, "message": "Token Required", "details": []}}
    assert get(url, token="garbage") == {
        "error": {"code": 498, "message": "Invalid Token", "details": []}
    }
    # ArcGIS checks any token it is given, on public resources too
    assert get(gpserver.service_url("Analysis"), token="garbage")["error"]["code"] == 498


def test_token_in_form_query_or_header(gpserver) -> None:
    token = _token(gpserver)["token"]
    task = gpserver.task_url("Secure/Protected", "Echo")
    in_form = requests.post(
        f"{task}/execute", data={"f": "json", "Text": "form", "token": token}, timeout=10
    ).json()
    assert in_form["results"][0]["value"] == "form"
    in_query = get(f"{task}/execute", Text="query", token=token)
    assert in_query["results"][0]["value"] == "query"
    in_header = requests.post(
        f"{task}/execute",
        data={"f": "json", "Text": "header"},
        headers={"X-Esri-Authorization": f"Bearer {token} "},  # QGIS adds a trailing space
        timeout=10,
    ).json()
    assert in_header["results"][0]["value"] == "header"
    recorded = gpserver.requests_to(r"/Secure/Protected/GPServer/Echo/execute$")
    assert [bool(r.query.get("token")) for r in recorded] == [False, True, False]
    assert recorded[2].header("x-esri-authorization").startswith("Bearer ")


def test_secured_services_are_listed_only_with_a_token(gpserver) -> None:
    folder = f"{gpserver.services_url}/Secure"
    # a folder of secured services only: the anonymous listing asks for a token
    assert get(folder)["error"]["code"] == 499
    token = _token(gpserver)["token"]
    assert get(folder, token=token)["services"] == [
        {"name": "Secure/Protected", "type": "GPServer"},
        {"name": "Secure/ProtectedAsync", "type": "GPServer"},
    ]
    assert "Secure" in get(gpserver.services_url)["folders"]


def test_referer_bound_tokens(gpserver) -> None:
    token = _token(gpserver, client="referer", referer="https://app.example")["token"]
    url = gpserver.service_url("Secure/Protected")
    same = requests.get(
        url,
        params={"f": "json", "token": token},
        headers={"Referer": "https://app.example"},
        timeout=10,
    ).json()
    assert same["tasks"] == ["Echo"]
    other = requests.get(url, params={"f": "json", "token": token}, timeout=10).json()
    assert other["error"]["code"] == 498


def test_tokens_expire(gpserver) -> None:
    gpserver.token_lifetime = 0.3
    token = _token(gpserver)["token"]
    url = gpserver.service_url("Secure/Protected")
    assert get(url, token=token)["tasks"] == ["Echo"]
    time.sleep(0.5)
    assert get(url, token=token)["error"]["code"] == 498


def test_token_expiring_during_a_job(gpserver) -> None:
    gpserver.set_fault("token_lifetime", seconds=0.4, count=1)
    short = _token(gpserver)["token"]
    task = gpserver.task_url("Secure/ProtectedAsync", "Echo")
    submitted = requests.post(
        f"{task}/submitJob",
        data={"f": "json", "Text": "late", "Delay": "0.8", "token": short},
        timeout=10,
    ).json()
    job_id = submitted["jobId"]
    time.sleep(0.5)
    assert get(f"{task}/jobs/{job_id}", token=short)["error"]["code"] == 498
    fresh = _token(gpserver)["token"]  # the fault applied to one token only
    deadline = time.monotonic() + 10
    status = get(f"{task}/jobs/{job_id}", token=fresh)
    while status["jobStatus"] != "esriJobSucceeded":
        assert time.monotonic() < deadline, status
        time.sleep(0.05)
        status = get(f"{task}/jobs/{job_id}", token=fresh)
    value = get(f"{task}/jobs/{job_id}/results/Output_Text", token=fresh)["value"]
    assert value == "late"
    assert get(f"{task}/jobs/{job_id}")["error"]["code"] == 499


def test_jobs_of_secured_services_need_the_token(gpserver) -> None:
    token = _token(gpserver)["token"]
    task = gpserver.task_url("Secure/ProtectedAsync", "Echo")
    job_id = requests.post(
        f"{task}/submitJob", data={"f": "json", "token": token}, timeout=10
    ).json()["jobId"]
    status = requests.get(f"{task}/jobs/{job_id}", params={"f": "json", "token": token}, timeout=10)
    assert status.json()["jobId"] == job_id
    assert get(f"{task}/jobs/{job_id}")["error"]["code"] == 499
