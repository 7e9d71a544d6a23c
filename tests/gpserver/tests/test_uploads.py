"""``uploads/upload`` and inputs that reference an uploaded item or a URL."""

from __future__ import annotations

import json
import re
from pathlib import Path

import requests

from .helpers import get, points, post, result, run_job


def _upload(gpserver, service: str, path: Path, description: str = "") -> dict:
    with open(path, "rb") as handle:
        response = requests.post(
            f"{gpserver.service_url(service)}/uploads/upload",
            data={"f": "json", "description": description},
            files={"file": (path.name, handle)},
            timeout=30,
        )
    return response.json()


def test_upload_and_item_info(gpserver, tmp_path) -> None:
    source = tmp_path / "numbers.csv"
    source.write_text("a,b\n1,2\n", encoding="utf-8")
    answer = _upload(gpserver, "AnalysisAsync", source, "two numbers")
    assert answer["success"] is True
    item = answer["item"]
    assert re.fullmatch(r"i[0-9a-f-]{36}", item["itemID"])
    assert item["itemName"] == "numbers.csv"
    assert item["description"] == "two numbers"
    assert item["committed"] is True
    assert isinstance(item["date"], int)
    info = get(f"{gpserver.service_url('AnalysisAsync')}/uploads/{item['itemID']}")
    assert info == {"item": item}
    upload_request = gpserver.requests_to(r"/uploads/upload$")[0]
    assert upload_request.files["file"]["filename"] == "numbers.csv"
    assert upload_request.form["description"] == "two numbers"


def test_uploaded_items_feed_file_and_raster_inputs(gpserver, tmp_path) -> None:
    source = tmp_path / "data.csv"
    source.write_bytes(b"x,y\n1,2\n3,4\n")
    item_id = _upload(gpserver, "AnalysisAsync", source)["item"]["itemID"]
    url = gpserver.task_url("AnalysisAsync", "AllTypes")
    job_id, status = run_job(url, In_File={"itemID": item_id})
    assert status["jobStatus"] == "esriJobSucceeded"
    echo = result(url, job_id, "In_File_echo")["value"]
    assert echo["url"].endswith(f"/arcgisjobs/analysisasync_gpserver/{job_id}/scratch/data.csv")
    assert requests.get(echo["url"], timeout=10).content == source.read_bytes()
    assert get(f"{url}/jobs/{job_id}/inputs/In_File")["value"] == {"itemID": item_id}


def test_uploaded_feature_files_feed_feature_inputs(gpserver, tmp_path) -> None:
    geojson = tmp_path / "points.geojson"
    geojson.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"Kind": "a"},
                        "geometry": {"type": "Point", "coordinates": [10, 45]},
                    },
                    {
                        "type": "Feature",
                        "properties": {"Kind": "a"},
                        "geometry": {"type": "Point", "coordinates": [10.1, 45]},
                    },
                ],
            }
        ),
        encoding="utf-8",
    )
    esri = tmp_path / "esri.json"
    esri.write_text(json.dumps(points([(1, 1)])), encoding="utf-8")
    url = gpserver.task_url("AnalysisAsync", "Summarize")
    for path, group, expected in ((geojson, "Kind", 2), (esri, "Name", 1)):
        item_id = _upload(gpserver, "AnalysisAsync", path)["item"]["itemID"]
        job_id, status = run_job(url, Input_Features={"itemID": item_id}, Group_Field=group)
        assert status["jobStatus"] == "esriJobSucceeded", status
        rows = result(url, job_id, "Output_Table")["value"]["features"]
        assert rows[0]["attributes"]["COUNT"] == expected


def test_items_belong_to_their_service(gpserver, tmp_path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("a", encoding="utf-8")
    item_id = _upload(gpserver, "Elevation/Viewshed", source)["item"]["itemID"]
    answer = get(f"{gpserver.service_url('AnalysisAsync')}/uploads/{item_id}")
    assert answer["error"]["code"] == 400
    submit = post(
        f"{gpserver.task_url('AnalysisAsync', 'AllTypes')}/submitJob", In_File={"itemID": item_id}
    )
    assert "not found on this service" in submit["error"]["details"][0]


def test_uploads_need_the_capability_and_post(gpserver, tmp_path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("a", encoding="utf-8")
    refused = _upload(gpserver, "Analysis", source)
    assert refused["error"]["details"] == ["Uploads are not enabled on this service."]
    by_get = get(f"{gpserver.service_url('AnalysisAsync')}/uploads/upload")
    assert by_get["error"]["code"] == 400


def test_delete_item(gpserver, tmp_path) -> None:
    source = tmp_path / "a.txt"
    source.write_text("a", encoding="utf-8")
    item_id = _upload(gpserver, "AnalysisAsync", source)["item"]["itemID"]
    uploads = f"{gpserver.service_url('AnalysisAsync')}/uploads"
    assert post(f"{uploads}/{item_id}/delete") == {"success": True}
    assert get(f"{uploads}/{item_id}")["error"]["code"] == 400


def test_file_input_by_url_is_fetched_from_loopback_only(gpserver) -> None:
    url = gpserver.task_url("AnalysisAsync", "AllTypes")
    report_id, _ = run_job(
        gpserver.task_url("Elevation/Viewshed", "Report"),
        Input_Features=points([(1, 1)]),
        Report_Format="CSV",
    )
    relative = result(gpserver.task_url("Elevation/Viewshed", "Report"), report_id, "Output_Report")
    csv_url = gpserver.context_url + relative["value"]["url"]
    job_id, _ = run_job(url, In_File={"url": csv_url})
    echo = result(url, job_id, "In_File_echo")["value"]["url"]
    assert requests.get(echo, timeout=10).text.startswith("OBJECTID,Name")
    remote = post(f"{url}/submitJob", In_File={"url": "https://example.org/data.csv"})
    assert "loopback" in remote["error"]["details"][0]
    wrong_type = run_job(url, In_File={"url": f"{gpserver.root}/arcgis/rest/info?f=json"})[1]
    assert wrong_type["jobStatus"] == "esriJobFailed"  # the file filter wants csv/txt/json/...
