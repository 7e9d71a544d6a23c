"""Uploads and downloads over real HTTP: multipart, item ids, streamed result files."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest import ArcGisCapabilityError, ArcGisHttpError, wait_for_job

from .conftest import FAST


def test_upload_then_use_the_item(client, gpserver, tmp_path):
    source = tmp_path / "survey.csv"
    source.write_text("id,value\n1,2.5\n2,3.5\n", encoding="utf-8")
    item_id = client.upload("AnalysisAsync/GPServer", source, description="field survey")
    (request,) = gpserver.requests_to(r"/AnalysisAsync/GPServer/uploads/upload$")
    assert request.method == "POST"
    assert request.files["file"]["filename"] == "survey.csv"
    assert request.form["description"] == "field survey"
    task = "AnalysisAsync/GPServer/AllTypes"
    job = client.submit_job(task, {"In_File": {"itemID": item_id}})
    wait_for_job(client, task, job.job_id, poll=FAST)
    echoed = client.job_result(task, job.job_id, "In_File_echo").value
    copy = client.download(echoed["url"], tmp_path / "copy.csv")
    assert copy.read_bytes() == source.read_bytes()


def test_upload_refused_without_capability(client, gpserver, tmp_path):
    source = tmp_path / "a.txt"
    source.write_text("x", encoding="utf-8")
    with pytest.raises(ArcGisCapabilityError, match="Uploads"):
        client.upload(gpserver.service_url("Analysis"), source)
    assert not gpserver.requests_to(r"/uploads/")


def test_upload_of_missing_file(client, tmp_path):
    with pytest.raises(FileNotFoundError):
        client.upload("AnalysisAsync/GPServer", tmp_path / "nope.csv")


def test_download_relative_result_url(client, gpserver, tmp_path):
    task = "Elevation/Viewshed/GPServer/Report"
    points = {
        "geometryType": "esriGeometryPoint",
        "spatialReference": {"wkid": 4326},
        "features": [{"geometry": {"x": 1, "y": 2}, "attributes": {"Name": "n1"}}],
    }
    job = client.submit_job(task, {"Input_Features": points, "Report_Format": "CSV"})
    wait_for_job(client, task, job.job_id, poll=FAST)
    url = client.job_result(task, job.job_id, "Output_Report").value["url"]
    assert url.startswith("/rest/directories/")  # the quirk this task reproduces
    path = client.download(url, tmp_path / "sub" / "report.csv", chunk_size=16)
    assert "n1" in path.read_text(encoding="utf-8")
    (request,) = gpserver.requests_to(r"/directories/")
    assert request.path.startswith("/arcgis/rest/directories/")


def test_download_raster(client, tmp_path):
    task = "Elevation/Viewshed/GPServer/ElevationRaster"
    job = client.submit_job(task, {"Cell_Size": 0.05})
    wait_for_job(client, task, job.job_id, poll=FAST)
    value = client.job_result(task, job.job_id, "Output_Raster", return_type_data=True).value
    path = client.download(value["url"], tmp_path / "dem.tif")
    assert path.read_bytes()[:4] in (b"II*\x00", b"MM\x00*")
    from osgeo import gdal

    dataset = gdal.Open(str(path))
    assert dataset is not None
    assert dataset.RasterXSize > 0


def test_download_of_missing_file_raises_and_leaves_nothing(client, gpserver, tmp_path):
    target = tmp_path / "missing.tif"
    with pytest.raises(ArcGisHttpError) as caught:
        client.download(
            "/rest/directories/arcgisjobs/analysisasync_gpserver/jnope/scratch/x.tif", target
        )
    assert caught.value.status == 404
    assert not list(tmp_path.iterdir())
