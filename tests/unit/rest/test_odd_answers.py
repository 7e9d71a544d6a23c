"""Error answers in the shapes real servers send them, from
``tests/data/realworld/odd_answers.json``: every one is an error, nothing else is."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arcgis_gp.plugin.rest import ArcGisInvalidResponseError, ArcGisServerError
from arcgis_gp.plugin.rest.answers import error_from_json
from arcgis_gp.plugin.rest.job_info import JobInfo
from arcgis_gp.plugin.rest.results import ExecuteResult, GPResult

REALWORLD = json.loads(
    (Path(__file__).parents[2] / "data" / "realworld" / "odd_answers.json").read_text("utf-8")
)
EXAMPLES = {name: entry["body"] for name, entry in REALWORLD.items() if not name.startswith("_")}


@pytest.mark.parametrize("name", sorted(EXAMPLES))
def test_every_real_error_shape_is_an_error_with_the_servers_words(name: str) -> None:
    body = EXAMPLES[name]
    error = error_from_json(body, "https://host/arcgis/rest/services/X/GPServer/T/execute")
    assert isinstance(error, ArcGisServerError)
    inner = body.get("error", body)
    assert error.code == inner["code"]
    assert error.message == inner["message"]
    assert error.details == inner["details"]
    for detail in inner["details"]:
        assert detail in str(error)


@pytest.mark.parametrize(
    "data",
    [
        {"paramName": "code", "dataType": "GPLong", "value": 404},
        {"code": 400, "message": "a value", "results": []},  # data besides: not an error
        {"code": 200, "message": "OK"},
        {"code": "abc", "message": "x"},
        {"code": 500, "message": ""},
        {"code": True, "message": "x"},
        {"jobId": "j1", "jobStatus": "esriJobSucceeded"},
    ],
)
def test_answers_that_only_look_like_errors_are_not(data: dict) -> None:
    assert error_from_json(data) is None


def test_a_numeric_text_code_counts() -> None:
    error = error_from_json({"code": "498", "message": "Invalid Token"})
    assert error is not None
    assert error.code == 498


def test_an_execute_answer_without_results_is_refused_with_its_messages() -> None:
    answer = {
        "messages": [
            {"type": "esriJobMessageTypeWarning", "description": "WARNING 000117: empty output"}
        ]
    }
    with pytest.raises(ArcGisInvalidResponseError) as raised:
        ExecuteResult.from_json(answer, url="https://h/arcgis/rest/services/S/GPServer/T/execute")
    assert "neither results nor an error" in str(raised.value)
    assert "WARNING 000117: empty output" in str(raised.value)
    # an empty list is an answer: a task may have no outputs
    assert ExecuteResult.from_json({"results": [], "messages": []}).results == {}


def test_a_submit_answer_without_job_id_says_what_the_server_said() -> None:
    answer = {
        "jobStatus": "esriJobFailed",
        "messages": [{"type": "esriJobMessageTypeError", "description": "ERROR 001: queue full"}],
    }
    with pytest.raises(ArcGisInvalidResponseError) as raised:
        JobInfo.from_json(answer)
    text = str(raised.value)
    assert "no jobId" in text
    assert "ERROR 001: queue full" in text
    assert "esriJobFailed" in text


def test_a_result_named_like_an_error_key_is_still_a_result() -> None:
    result = GPResult.from_json({"paramName": "message", "dataType": "GPString", "value": "x"})
    assert result.value == "x"
