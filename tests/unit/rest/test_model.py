"""Tolerant parsing of what real servers send, and enums."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest import (
    ArcGisInvalidResponseError,
    Direction,
    ExecuteResult,
    ExecutionType,
    GPMessage,
    GPParameter,
    GPResult,
    GPService,
    GPTask,
    JobInfo,
    JobStatus,
    MessageType,
    ParameterType,
)

URL = "http://127.0.0.1/arcgis/rest/services/S/GPServer/T"


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("esriJobNew", JobStatus.NEW),
        ("esriJobSubmitted", JobStatus.SUBMITTED),
        ("esriJobWaiting", JobStatus.WAITING),
        ("esriJobExecuting", JobStatus.EXECUTING),
        ("esriJobCancelling", JobStatus.CANCELLING),
        ("esriJobSucceeded", JobStatus.SUCCEEDED),
        ("esriJobFailed", JobStatus.FAILED),
        ("esriJobCancelled", JobStatus.CANCELLED),
        ("esriJobCanceled", JobStatus.CANCELLED),
        ("esriJobTimedOut", JobStatus.TIMED_OUT),
        ("esriJobDeleting", JobStatus.DELETING),
        ("esriJobDeleted", JobStatus.DELETED),
        ("expectedFailure", JobStatus.EXPECTED_FAILURE),
        ("Succeeded", JobStatus.SUCCEEDED),
        (" esrijobsucceeded ", JobStatus.SUCCEEDED),
        ("Timed_Out", JobStatus.TIMED_OUT),
        ("esriJobSomethingNew", JobStatus.UNKNOWN),
        ("unknown", JobStatus.UNKNOWN),
        ("", JobStatus.UNKNOWN),
        (None, JobStatus.UNKNOWN),
        (3, JobStatus.UNKNOWN),
    ],
)
def test_job_status_parse(text, status):
    assert JobStatus.parse(text) is status


def test_terminal_statuses():
    terminal = {s for s in JobStatus if s.is_terminal}
    assert terminal == {
        JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.CANCELLED, JobStatus.TIMED_OUT,
        JobStatus.DELETING, JobStatus.DELETED, JobStatus.EXPECTED_FAILURE,
    }  # fmt: skip
    assert JobStatus.EXPECTED_FAILURE.is_failure
    assert JobStatus.FAILED.is_failure
    assert not JobStatus.UNKNOWN.is_terminal


def test_message_types():
    assert MessageType.parse("esriJobMessageTypeError") is MessageType.ERROR
    assert MessageType.parse("esriJobMessageTypeAbort") is MessageType.ABORT
    assert MessageType.parse("esriJobMessageTypeEmpty") is MessageType.EMPTY
    assert MessageType.parse("Warning") is MessageType.WARNING
    assert MessageType.parse("esriJobMessageTypeNovel") is MessageType.UNKNOWN
    assert GPMessage.from_json("plain text") == GPMessage(MessageType.UNKNOWN, "plain text")
    assert GPMessage.from_json({"type": "esriJobMessageTypeAbort"}).is_error


def test_parameter_tolerance():
    p = GPParameter.from_json(
        {
            "name": " Group_Field ",
            "dataType": "Field",
            "dependency": "Input_Features",
            "defaultValue": {},
            "choiceList": None,
            "filter": "junk",
            "parameterInfos": None,
            "category": None,
            "displayName": None,
        }
    )
    assert p.name == "Group_Field"
    assert p.display_name == "Group_Field"
    assert p.base_type == "GPField"
    assert p.data_type == "Field"
    assert p.default_value is None  # {} means "no template"
    assert p.choice_list == []
    assert p.filter is None
    assert p.parameter_infos == []
    assert p.direction is Direction.INPUT
    assert p.parameter_type is ParameterType.OPTIONAL
    assert p.dependency == "Input_Features"
    assert p.category == ""
    minimal = GPParameter.from_json({"name": "x"})
    assert minimal.data_type == "GPString"
    assert GPParameter.from_json({"name": "m", "dataType": "GPMultiValue:Field"}).item_type == (
        "GPField"
    )
    assert GPParameter.from_json({"name": "d", "defaultValue": False}).default_value is False


def test_parameter_direction_spellings():
    out = GPParameter.from_json({"name": "o", "direction": "Output", "parameterType": "Derived"})
    assert out.is_output
    assert out.parameter_type is ParameterType.DERIVED
    assert not out.is_required


@pytest.mark.parametrize(
    "data",
    [None, [], "text", {"name": ""}, {"name": None}, {"dataType": "GPString"}],
)
def test_parameter_needs_object_and_name(data):
    with pytest.raises(ArcGisInvalidResponseError):
        GPParameter.from_json(data)


def test_task_tolerance():
    task = GPTask.from_json(
        {"parameters": None, "executionType": None}, url=URL, service_path="S", name="T",
        default_execution_type=ExecutionType.ASYNCHRONOUS,
    )  # fmt: skip
    assert task.name == "T"
    assert task.display_name == "T"
    assert task.parameters == []
    assert task.is_async
    with pytest.raises(ArcGisInvalidResponseError):
        GPTask.from_json({"name": "T", "parameters": {"a": 1}}, url=URL, service_path="S")
    with pytest.raises(ArcGisInvalidResponseError):
        GPTask.from_json({}, url=URL, service_path="S")
    with pytest.raises(ArcGisInvalidResponseError):
        GPTask.from_json({"name": "T", "parameters": [{"name": "a"}, 5]}, url=URL, service_path="S")


def test_service_tolerance():
    s = GPService.from_json(
        {"tasks": ["A", {"name": "B"}, None, "A", 7], "capabilities": "Uploads, ,Other",
         "maximumRecords": "500", "currentVersion": "11.1", "resultMapServerName": None},
        url=URL, path="S",
    )  # fmt: skip
    assert s.task_names == ["A", "B", "7"]
    assert s.capabilities == {"Uploads", "Other"}
    assert s.supports_uploads
    assert s.maximum_records == 500
    assert s.current_version == pytest.approx(11.1)
    assert s.result_map_server_name == ""
    assert s.execution_type is ExecutionType.SYNCHRONOUS
    assert GPService.from_json({"capabilities": ["uploads"]}, url=URL, path="S").supports_uploads


def test_job_info_tolerance():
    info = JobInfo.from_json(
        {"jobId": "0f3a", "jobStatus": "esriJobExecuting", "messages": None,
         "progress": {"type": "default", "message": "Working", "percent": 150},
         "results": {"a": {"paramUrl": " results/a "}, "b": None}, "inputs": []}
    )  # fmt: skip
    assert info.job_id == "0f3a"  # no "j" prefix: fine
    assert info.progress.percent == 100.0
    assert info.progress.message == "Working"
    assert info.results == {"a": "results/a"}
    assert info.inputs == {}
    assert info.messages == []
    assert JobInfo.from_json({"jobStatus": "esriJobSucceeded"}, job_id="j1").job_id == "j1"
    assert (
        JobInfo.from_json({"jobId": "j", "jobStatus": "x", "progress": {}}).progress.percent is None
    )
    with pytest.raises(ArcGisInvalidResponseError):
        JobInfo.from_json({"jobStatus": "esriJobSucceeded"})
    with pytest.raises(ArcGisInvalidResponseError):
        JobInfo.from_json({"jobId": "j1"})


def test_failed_job_error_messages():
    info = JobInfo.from_json(
        {"jobId": "j1", "jobStatus": "esriJobFailed", "messages": [
            {"type": "esriJobMessageTypeInformative", "description": "Start"},
            {"type": "esriJobMessageTypeError", "description": "ERROR 000735: value required"},
        ]}
    )  # fmt: skip
    assert [m.description for m in info.error_messages] == ["ERROR 000735: value required"]
    assert info.status_text == "esriJobFailed"


def test_results_tolerance():
    r = GPResult.from_json({"dataType": "GPString", "value": None}, name="Out")
    assert r.param_name == "Out"
    assert r.value is None
    with pytest.raises(ArcGisInvalidResponseError):
        GPResult.from_json({"value": 1})
    empty = ExecuteResult.from_json({"results": []})
    assert empty.results == {}
    assert empty.messages == []
    with pytest.raises(ArcGisInvalidResponseError):  # no results and no error: not an answer
        ExecuteResult.from_json({})
    with pytest.raises(ArcGisInvalidResponseError):
        ExecuteResult.from_json({"results": {"a": 1}})
