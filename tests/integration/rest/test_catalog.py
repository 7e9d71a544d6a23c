"""Crawling the test server into a catalog, from every URL form."""

from __future__ import annotations

import json

import pytest

from arcgis_gp.plugin.connections.catalog_cache import catalog_document, catalog_from_document
from arcgis_gp.plugin.rest import (
    ArcGisConnectionError,
    ArcGisServerError,
    ExecutionType,
    InvalidUrlError,
    crawl_catalog,
)


def test_crawl_root_skips_other_service_types(client, gpserver):
    progress = []
    catalog = crawl_catalog(client, on_progress=lambda d, t, label: progress.append((d, t)))
    paths = [s.path for s in catalog.services]
    assert {"Analysis", "AnalysisAsync", "Elevation/Viewshed", "Bench/Big"} <= set(paths)
    assert "Basemaps/World" not in paths
    assert "Hosted/Parcels" not in paths
    assert not any("MapServer" in r.path or "FeatureServer" in r.path for r in gpserver.requests)
    # an anonymous crawl cannot list the secured folder (499, as on ArcGIS): noted, not fatal
    assert [(f.path, "Token Required" in f.message) for f in catalog.failures] == [("Secure", True)]
    # services named "...Server" (e.g. ArcGIS's own PrintingTools) are services, not types
    assert {"Tools/ReportServer", "PrintServer"} <= set(paths)
    assert [t.name for t in catalog.tasks_of("Tools/ReportServer")] == ["XmlReport", "Forgetful"]
    report = catalog.task("Tools/ReportServer", "XmlReport")
    assert report.url == gpserver.services_url + "/Tools/ReportServer/GPServer/XmlReport"
    assert catalog.task("PrintServer", "ZipExport").is_async
    hot = catalog.task("Analysis", "Hot Spots")
    assert hot.url == gpserver.services_url + "/Analysis/GPServer/Hot%20Spots"
    assert hot.execution_type is ExecutionType.SYNCHRONOUS
    assert catalog.task("AnalysisAsync", "Hot Spots").is_async
    assert [t.name for t in catalog.tasks_of("Elevation/Viewshed")] == [
        "Viewshed", "ElevationRaster", "ElevationImageService", "Report",
        "SlowTask", "FailingTask", "TimeoutTask",
    ]  # fmt: skip
    all_types = catalog.task("Analysis", "AllTypes")
    assert all_types.parameter("In_Field_Legacy").base_type == "GPField"
    assert all_types.parameter("Free Text.Note").is_input
    # progress: every step reported, the last one complete
    assert progress
    assert progress[-1][0] == progress[-1][1] == len(progress)
    # the cache's document is JSON, holds the URL once and rebuilds the same catalog
    document = catalog_document(catalog, client.base_url)
    assert not [e for key in ("services", "tasks", "failures") for e in document[key] if "url" in e]
    assert catalog_from_document(json.loads(json.dumps(document))) == catalog


@pytest.mark.parametrize(
    ("path", "services", "tasks"),
    [
        ("/Elevation", ["Elevation/Viewshed"], 7),
        ("/Elevation/", ["Elevation/Viewshed"], 7),
        ("/Elevation/Viewshed/GPServer?f=pjson", ["Elevation/Viewshed"], 7),
        ("/Analysis/GPServer/Hot%20Spots", ["Analysis"], 1),
        ("/Analysis/GPServer/Hot Spots/", ["Analysis"], 1),
        ("/Tools", ["Tools/ReportServer"], 2),
        ("/Tools/ReportServer/GPServer", ["Tools/ReportServer"], 2),
        ("/Tools/ReportServer/GPServer/XmlReport", ["Tools/ReportServer"], 1),
        ("/PrintServer/GPServer?f=pjson", ["PrintServer"], 2),
    ],
)
def test_crawl_from_any_url_form(client, gpserver, path, services, tasks):
    catalog = crawl_catalog(client, gpserver.services_url + path)
    assert [s.path for s in catalog.services] == services
    assert len(catalog.tasks) == tasks


def test_crawl_with_client_based_on_a_task_url(gpserver):
    from arcgis_gp.plugin.rest import GPClient

    with GPClient(gpserver.services_url + "/Analysis/GPServer/Scalars?f=json") as gp:
        catalog = crawl_catalog(gp)
    assert [t.name for t in catalog.tasks] == ["Scalars"]


def test_broken_service_and_task_are_recorded_not_fatal(client, gpserver):
    gpserver.set_fault("http_error", path=r"/AnalysisAsync/GPServer$", status=500)
    gpserver.set_fault("malformed_json", path=r"/Analysis/GPServer/Summarize$")
    catalog = crawl_catalog(client)
    paths = [s.path for s in catalog.services]
    assert "AnalysisAsync" not in paths
    assert "Analysis" in paths
    failed = {(f.path, f.task) for f in catalog.failures}
    assert failed == {("AnalysisAsync", None), ("Analysis", "Summarize"), ("Secure", None)}
    by_task = {f.task: f for f in catalog.failures if f.path != "Secure"}
    assert "HTTP 500" in by_task[None].message
    assert "invalid or truncated" in by_task["Summarize"].message
    assert by_task["Summarize"].url.endswith("/Analysis/GPServer/Summarize")
    names = [t.name for t in catalog.tasks_of("Analysis")]
    assert "Summarize" not in names
    assert "Buffer" in names
    # a GET was retried (3 retries) before the service was given up
    assert len(gpserver.requests_to(r"/AnalysisAsync/GPServer$")) == 4


def test_unknown_folder_is_fatal_when_it_is_the_start(client, gpserver):
    with pytest.raises(ArcGisServerError) as caught:
        crawl_catalog(client, gpserver.services_url + "/NoSuchFolder")
    assert caught.value.code == 404


def test_non_gp_service_url_refused(client, gpserver):
    with pytest.raises(InvalidUrlError, match="MapServer"):
        crawl_catalog(client, gpserver.services_url + "/Basemaps/World/MapServer")


def test_server_down_is_fatal(client, gpserver):
    gpserver.stop()
    with pytest.raises(ArcGisConnectionError):
        crawl_catalog(client)
