"""Answers in odd shapes, services named "...Server", file outputs with the server's
extension, through ``processing.run`` over real HTTP.

Every odd answer must fail the run with the server's own words; none may end in a
success with outputs missing.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

import processing
import pytest
from qgis.core import QgsProcessingException

REALWORLD = Path(__file__).parents[2] / "data" / "realworld" / "odd_answers.json"
BARE_ERROR = json.loads(REALWORLD.read_text(encoding="utf-8"))["bare_error_object"]["body"]
WARNING = {
    "type": "esriJobMessageTypeWarning",
    "description": "WARNING 000117: Warning empty output generated.",
}


def _run(algorithm: str, parameters: dict, feedback) -> dict:
    return processing.run(f"arcgisgp:{algorithm}", parameters, feedback=feedback)


# -- item 6: error answers in other shapes -------------------------------------------------


def test_a_bare_error_object_fails_a_synchronous_run(provider, gpserver, feedback) -> None:
    gpserver.set_fault("json_body", path=r"/Analysis/GPServer/Scalars/execute$", body=BARE_ERROR)
    with pytest.raises(QgsProcessingException) as raised:
        _run("demo__analysis__scalars", {"Count": 2}, feedback)
    text = str(raised.value)
    assert "(code 400)" in text
    assert "'geometry' parameter is invalid" in text


def test_a_bare_error_object_in_place_of_a_job_result(provider, gpserver, feedback) -> None:
    gpserver.set_fault(
        "json_body", path=r"/AnalysisAsync/GPServer/Scalars/jobs/[^/]+/results/", body=BARE_ERROR
    )
    with pytest.raises(QgsProcessingException, match="Unable to complete  operation"):
        _run("demo__analysisasync__scalars", {"Count": 2}, feedback)


def test_an_execute_answer_without_results_fails(provider, gpserver, feedback) -> None:
    gpserver.set_fault(
        "json_body", path=r"/Analysis/GPServer/Scalars/execute$", body={"messages": [WARNING]}
    )
    with pytest.raises(QgsProcessingException) as raised:
        _run("demo__analysis__scalars", {"Count": 2}, feedback)
    assert "neither results nor an error" in str(raised.value)
    assert "WARNING 000117" in str(raised.value)


def test_a_submit_answer_without_job_id_fails_with_its_messages(
    provider, gpserver, feedback
) -> None:
    body = {
        "jobStatus": "esriJobFailed",
        "messages": [
            {
                "type": "esriJobMessageTypeError",
                "description": "ERROR 999999: The job queue is full.",
            }
        ],
    }
    gpserver.set_fault("json_body", path=r"/AnalysisAsync/GPServer/Scalars/submitJob$", body=body)
    with pytest.raises(QgsProcessingException) as raised:
        _run("demo__analysisasync__scalars", {"Count": 2}, feedback)
    assert "no jobId" in str(raised.value)
    assert "The job queue is full." in str(raised.value)
    assert "esriJobFailed" in str(raised.value)


@pytest.mark.parametrize("service", ["tools_reportserver", "printserver"])
def test_a_required_output_without_a_value_fails_the_run(
    provider, gpserver, feedback, service
) -> None:
    """Sync (Tools/ReportServer) and job (PrintServer): the server says "succeeded" but
    sends nothing for an output the task declares required."""
    with pytest.raises(QgsProcessingException) as raised:
        _run(f"demo__{service}__forgetful", {}, feedback)
    text = str(raised.value)
    assert "required output Output Text" in text
    assert "WARNING 000117: Warning empty output generated." in text


def test_a_required_output_whose_value_is_null_fails_the_run(provider, gpserver, feedback):
    body = {
        "results": [{"paramName": "Output_Text", "dataType": "GPString", "value": None}],
        "messages": [WARNING],
    }
    gpserver.set_fault("json_body", path=r"/ReportServer/GPServer/Forgetful/execute$", body=body)
    with pytest.raises(QgsProcessingException, match="required output Output Text"):
        _run("demo__tools_reportserver__forgetful", {}, feedback)


# -- item 7 and item 9: services named "...Server", file extensions ------------------------


def test_a_sync_task_of_a_service_named_report_server(provider, feedback) -> None:
    temporary = {"Output_Report": "TEMPORARY_OUTPUT", "Report_Copy": "TEMPORARY_OUTPUT"}
    result = _run("demo__tools_reportserver__xmlreport", {"Title": "Q3", **temporary}, feedback)
    for name in ("Output_Report", "Report_Copy"):
        path = Path(result[name])
        assert path.suffix == ".xml", path  # report.s.xml: the last suffix, not ".file"
        assert "<title>Q3</title>" in path.read_text(encoding="utf-8")


def test_a_job_of_a_service_named_print_server_keeps_the_zip_extension(provider, feedback):
    result = _run(
        "demo__printserver__zipexport",
        {"Title": "Clip", "Output_File": "TEMPORARY_OUTPUT"},
        feedback,
    )
    path = Path(result["Output_File"])
    assert path.suffix == ".zip"
    with zipfile.ZipFile(path) as archive:
        assert archive.read("readme.txt").decode() == "Clip\n"


def test_a_destination_the_user_chose_stays_as_given(provider, feedback, tmp_path) -> None:
    target = tmp_path / "my report.dat"
    result = _run(
        "demo__tools_reportserver__xmlreport",
        {"Title": "Q4", "Output_Report": str(target), "Report_Copy": "TEMPORARY_OUTPUT"},
        feedback,
    )
    assert Path(result["Output_Report"]) == target
    assert "<title>Q4</title>" in target.read_text(encoding="utf-8")
    assert Path(result["Report_Copy"]).suffix == ".xml"


def test_a_temporary_report_keeps_the_servers_html_extension(provider, three_points, feedback):
    """A relative result URL (``/rest/directories/…/report.html``) on a service whose name
    is ordinary: the extension alone, apart from the "...Server" names."""
    result = _run(
        "demo__elevation_viewshed__report",
        {
            "Input_Features": three_points,
            "Report_Format": "HTML",
            "Output_Report": "TEMPORARY_OUTPUT",
        },
        feedback,
    )
    path = Path(result["Output_Report"])
    assert path.suffix == ".html"
    assert "<html" in path.read_text(encoding="utf-8").lower()


def test_a_bare_error_in_place_of_a_streamed_feature_result(
    provider, gpserver, three_points, feedback
) -> None:
    gpserver.set_fault(
        "json_body",
        path=r"/AnalysisAsync/GPServer/Buffer/jobs/[^/]+/results/Output_Polygons$",
        body=BARE_ERROR,
    )
    with pytest.raises(QgsProcessingException, match="'geometry' parameter is invalid"):
        _run(
            "demo__analysisasync__buffer",
            {"Input_Features": three_points, "Output_Polygons": "TEMPORARY_OUTPUT"},
            feedback,
        )
