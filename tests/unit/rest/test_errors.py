"""Raw response bodies -> the right typed error, with readable messages and no secrets."""

from __future__ import annotations

import pickle

import pytest
import requests

from arcgis_gp.plugin.rest import (
    ArcGisAuthError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisServerError,
    JobFailedError,
    parse_json_response,
    redact_url,
)
from arcgis_gp.plugin.rest.answers import _describe, error_from_json

URL = "https://gis.example.com/arcgis/rest/services/A/GPServer/T/execute"


def response(body: bytes | str, status: int = 200, content_type: str = "application/json"):
    """A real requests.Response filled the way the adapter fills it."""
    r = requests.Response()
    r.status_code = status
    r._content = body.encode() if isinstance(body, str) else body
    r.headers["Content-Type"] = content_type
    r.url = URL
    r.reason = {200: "OK", 500: "Internal Server Error", 502: "Bad Gateway"}.get(status, "X")
    return r


def test_plain_json_object():
    assert parse_json_response(response('{"a": 1}')) == {"a": 1}
    assert parse_json_response(response(b'\xef\xbb\xbf{"bom": true}')) == {"bom": True}


def test_error_object_under_http_200():
    body = ('{"error":{"code":400,"message":"Unable to complete operation.",'
            '"details":["Error executing tool. Buffer: ERROR 000735"]}}')  # fmt: skip
    with pytest.raises(ArcGisServerError) as caught:
        parse_json_response(response(body))
    error = caught.value
    assert not isinstance(error, ArcGisAuthError)
    assert error.code == 400
    assert error.message == "Unable to complete operation."
    assert error.details == ["Error executing tool. Buffer: ERROR 000735"]
    text = str(error)
    assert "Unable to complete operation" in text
    assert "ERROR 000735" in text
    assert URL in text


@pytest.mark.parametrize(("code", "message"), [(498, "Invalid Token"), (499, "Token Required")])
def test_token_errors_under_http_200(code, message):
    body = f'{{"error":{{"code":{code},"message":"{message}","details":[]}}}}'
    with pytest.raises(ArcGisAuthError) as caught:
        parse_json_response(response(body))
    assert caught.value.code == code
    assert message in str(caught.value)


@pytest.mark.parametrize("status", [498, 499])
def test_token_http_status_without_body(status):
    with pytest.raises(ArcGisAuthError) as caught:
        parse_json_response(response("", status))
    assert caught.value.code == status


def test_error_json_wins_over_http_status():
    body = '{"error":{"code":500,"message":"Server object creation failed"}}'
    with pytest.raises(ArcGisServerError) as caught:
        parse_json_response(response(body, 500))
    assert caught.value.message == "Server object creation failed"


def test_http_error_with_html_body():
    html = "<html><head><title>502 Bad Gateway</title></head><body>nginx</body></html>"
    with pytest.raises(ArcGisHttpError) as caught:
        parse_json_response(response(html, 502, "text/html"))
    assert caught.value.status == 502
    assert "502 Bad Gateway" in str(caught.value)


def test_http_403_is_an_auth_error():
    with pytest.raises(ArcGisAuthError):
        parse_json_response(response("Forbidden", 403, "text/plain"))


def test_html_page_under_200():
    html = "<!DOCTYPE html><html><head><title>Sign In</title></head><body>login</body></html>"
    with pytest.raises(ArcGisInvalidResponseError) as caught:
        parse_json_response(response(html, 200, "text/html"))
    assert "HTML page" in str(caught.value)
    assert "Sign In" in str(caught.value)


@pytest.mark.parametrize("body", ['{"results": [{"paramName": "a", "val', "{'a': 1}", "nan?"])
def test_invalid_or_truncated_json(body):
    with pytest.raises(ArcGisInvalidResponseError) as caught:
        parse_json_response(response(body))
    assert "invalid or truncated" in str(caught.value)


def test_empty_and_non_object_answers():
    with pytest.raises(ArcGisInvalidResponseError, match="empty"):
        parse_json_response(response(""))
    with pytest.raises(ArcGisInvalidResponseError, match="JSON object"):
        parse_json_response(response("[1, 2]"))


def test_other_error_shapes():
    assert isinstance(error_from_json({"error": "Service not started"}), ArcGisServerError)
    admin = error_from_json({"status": "error", "messages": ["Bad thing", "more"], "code": 500})
    assert admin.message == "Bad thing"
    assert admin.details == ["more"]
    assert admin.code == 500
    odd = error_from_json({"error": {"code": "abc", "description": "desc only"}})
    assert odd.code is None
    assert odd.message == "desc only"
    assert error_from_json({"error": None}) is None
    assert error_from_json({"status": "success"}) is None
    assert error_from_json([1]) is None


def test_secrets_scrubbed_from_messages_and_urls():
    error = error_from_json(
        {
            "error": {
                "code": 400,
                "message": "bad token SECRETTOKEN123",
                "details": ["SECRETTOKEN123"],
            }
        },
        url="https://u:pw@host/arcgis/rest/services/A/GPServer?token=SECRETTOKEN123&f=json",
        secrets=["SECRETTOKEN123"],
    )
    text = str(error)
    assert "SECRETTOKEN123" not in text
    assert "pw@" not in text
    assert "f=json" in text


def test_redact_url():
    assert redact_url("https://h/a?token=x&f=json&password=y") == (
        "https://h/a?token=%2A%2A%2A&f=json&password=%2A%2A%2A"
    )
    assert redact_url("https://h/a?f=json") == "https://h/a?f=json"
    assert redact_url(None) is None


def test_str_is_a_sentence_and_errors_pickle():
    error = ArcGisServerError("Unable to complete operation.", code=400, details=["x"], url=URL)
    assert str(error).startswith("The ArcGIS server reported an error (code 400): Unable")
    again = pickle.loads(pickle.dumps(error))
    assert isinstance(again, ArcGisServerError)
    assert again.code == 400
    assert again.details == ["x"]
    job = JobFailedError("ERROR 000735", job_id="j1", messages=["m"])
    assert str(job) == "The geoprocessing job failed (job j1): ERROR 000735"
    assert pickle.loads(pickle.dumps(job)).job_id == "j1"
    assert str(ArcGisError("")) == "ArcGIS request failed."


@pytest.mark.parametrize(
    ("text", "unknown_job"),
    [
        ("Job 'j1.2' does not exist or is inaccessible.", True),
        ("Invalid job ID", True),
        ("The job j1 has expired", True),
        ("Parameter 'No_Such_Output' not found", False),
        ("Unable to complete operation.", False),
        ("Folder not found", False),
    ],
)
def test_unknown_job_messages(text, unknown_job):
    from arcgis_gp.plugin.rest.job_calls import _UNKNOWN_JOB

    assert bool(_UNKNOWN_JOB.search(text)) is unknown_job


@pytest.mark.parametrize(
    "raw",
    [
        # urllib3 1.26 (Debian 12) and urllib3 2 (Debian 13) say the same thing differently
        "('Connection broken: IncompleteRead(22043 bytes read, 22043 more expected)', ...)",
        "Response ended prematurely",
    ],
)
def test_a_cut_answer_reads_the_same_whatever_urllib3_says(raw: str) -> None:
    error = requests.exceptions.ChunkedEncodingError(raw)
    assert _describe(error) == "the connection was dropped before the answer was complete"
