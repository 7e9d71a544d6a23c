"""Parsing every URL form users paste, and resolving the relative URLs servers send."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest import InvalidUrlError, ServerUrl, parse_server_url, resolve_url
from arcgis_gp.plugin.rest.urls import join_url

ROOT = "https://gis.example.com/arcgis/rest/services"

# url, services_url, folder, service_name, service_type, task_name, job_id, kind
CASES = [
    (ROOT, ROOT, None, None, None, None, None, "root"),
    (ROOT + "/", ROOT, None, None, None, None, None, "root"),
    (ROOT + "?f=pjson", ROOT, None, None, None, None, None, "root"),
    ("https://gis.example.com/arcgis", ROOT, None, None, None, None, None, "root"),
    ("https://gis.example.com/arcgis/", ROOT, None, None, None, None, None, "root"),
    ("https://gis.example.com/arcgis/rest", ROOT, None, None, None, None, None, "root"),
    (
        "https://gis.example.com/arcgis/rest/services/Elevation",
        ROOT,
        "Elevation",
        None,
        None,
        None,
        None,
        "folder",
    ),
    (
        "https://gis.example.com/arcgis/rest/services/Elevation/?f=json",
        ROOT,
        "Elevation",
        None,
        None,
        None,
        None,
        "folder",
    ),
    (
        ROOT + "/Elevation/Viewshed/GPServer",
        ROOT,
        "Elevation",
        "Viewshed",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        ROOT + "/Elevation/Viewshed/GPServer/?f=pjson",
        ROOT,
        "Elevation",
        "Viewshed",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        ROOT + "/Elevation/Viewshed/gpserver",
        ROOT,
        "Elevation",
        "Viewshed",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        ROOT + "/Analysis/GPServer/Buffer",
        ROOT,
        None,
        "Analysis",
        "GPServer",
        "Buffer",
        None,
        "task",
    ),
    (
        ROOT + "/Analysis/GPServer/Buffer/execute",
        ROOT,
        None,
        "Analysis",
        "GPServer",
        "Buffer",
        None,
        "task",
    ),
    (
        ROOT + "/Analysis/GPServer/Buffer/submitJob?f=json",
        ROOT,
        None,
        "Analysis",
        "GPServer",
        "Buffer",
        None,
        "task",
    ),
    (
        ROOT + "/Analysis/GPServer/Hot%20Spots",
        ROOT,
        None,
        "Analysis",
        "GPServer",
        "Hot Spots",
        None,
        "task",
    ),
    (
        ROOT + "/Analysis/GPServer/Hot Spots/",
        ROOT,
        None,
        "Analysis",
        "GPServer",
        "Hot Spots",
        None,
        "task",
    ),
    (
        "https://sampleserver6.arcgisonline.com/arcgis/rest/services/911CallsHotspot(Pro)/GPServer/"
        "911%20Calls%20Hotspot?f=pjson",
        "https://sampleserver6.arcgisonline.com/arcgis/rest/services",
        None,
        "911CallsHotspot(Pro)",
        "GPServer",
        "911 Calls Hotspot",
        None,
        "task",
    ),
    (
        ROOT + "/Elevation/Viewshed/GPServer/Viewshed/jobs/j0123abc",
        ROOT,
        "Elevation",
        "Viewshed",
        "GPServer",
        "Viewshed",
        "j0123abc",
        "job",
    ),
    (
        ROOT + "/Elevation/Viewshed/GPServer/Viewshed/jobs/0123abc/results/Out",
        ROOT,
        "Elevation",
        "Viewshed",
        "GPServer",
        "Viewshed",
        "0123abc",
        "job",
    ),
    (
        ROOT + "/FileProcessing/GPServer/uploads/upload",
        ROOT,
        None,
        "FileProcessing",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        "https://host:6443/server/rest/services/Tools/GPServer",
        "https://host:6443/server/rest/services",
        None,
        "Tools",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        "https://host/gis/rest/services/Utilities/PrintingTools/GPServer/Export%20Web%20Map%20Task",
        "https://host/gis/rest/services",
        "Utilities",
        "PrintingTools",
        "GPServer",
        "Export Web Map Task",
        None,
        "task",
    ),
    (
        "https://services.arcgis.com/Org1/ArcGIS/rest/services/Parcels/FeatureServer/0",
        "https://services.arcgis.com/Org1/ArcGIS/rest/services",
        None,
        "Parcels",
        "FeatureServer",
        None,
        None,
        "service",
    ),
    (
        "http://127.0.0.1:8399/arcgis/rest/services/Basemaps/World/MapServer",
        "http://127.0.0.1:8399/arcgis/rest/services",
        "Basemaps",
        "World",
        "MapServer",
        None,
        None,
        "service",
    ),
    (
        "https://host/rest/services/A/GPServer/T",
        "https://host/rest/services",
        None,
        "A",
        "GPServer",
        "T",
        None,
        "task",
    ),
    (
        "  HTTPS://host/arcgis/REST/Services/A/GPServer  ",
        "https://host/arcgis/REST/Services",
        None,
        "A",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        "https://host/arcgis/rest/services//A//GPServer",
        "https://host/arcgis/rest/services",
        None,
        "A",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        "https://host/arcgis/rest/services/A/NewThingServer",
        "https://host/arcgis/rest/services",
        None,
        "A",
        "NewThingServer",
        None,
        None,
        "service",
    ),
    # Services named "...Server" (e.g. PrintingTools) are services, not service types.
    (
        ROOT + "/Tools/ReportServer/GPServer",
        ROOT,
        "Tools",
        "ReportServer",
        "GPServer",
        None,
        None,
        "service",
    ),
    (
        ROOT + "/Tools/ReportServer/GPServer/Make Report/jobs/j1",
        ROOT,
        "Tools",
        "ReportServer",
        "GPServer",
        "Make Report",
        "j1",
        "job",
    ),
    (ROOT + "/PrintServer/GPServer", ROOT, None, "PrintServer", "GPServer", None, None, "service"),
    (
        # Esri's own Utilities folder: a print service named like a type, at any depth
        ROOT + "/Utilities/PrintingTools/GPServer/Export%20Web%20Map%20Task",
        ROOT,
        "Utilities",
        "PrintingTools",
        "GPServer",
        "Export Web Map Task",
        None,
        "task",
    ),
    (
        ROOT + "/A/GeocodeServer/GPServer",
        ROOT,
        "A",
        "GeocodeServer",
        "GPServer",
        None,
        None,
        "service",
    ),
    (ROOT + "/MapServer/MapServer", ROOT, None, "MapServer", "MapServer", None, None, "service"),
    (ROOT + "/S/GPServer/MapServer", ROOT, None, "S", "GPServer", "MapServer", None, "task"),
]


@pytest.mark.parametrize(
    ("url", "services_url", "folder", "name", "service_type", "task", "job", "kind"), CASES
)
def test_parse_forms(url, services_url, folder, name, service_type, task, job, kind):
    parsed = parse_server_url(url)
    assert (parsed.services_url, parsed.folder, parsed.service_name) == (services_url, folder, name)
    assert (parsed.service_type, parsed.task_name, parsed.job_id) == (service_type, task, job)
    assert parsed.kind == kind


def test_parsed_url_round_trips():
    for case in CASES:
        parsed = parse_server_url(case[0])
        assert parse_server_url(parsed.url) == parsed


def test_task_urls_are_escaped_and_paths_are_folder_service():
    parsed = parse_server_url(ROOT + "/Elevation/Viewshed/GPServer/Hot Spots")
    assert parsed.service_path == "Elevation/Viewshed"
    assert parsed.task_url == ROOT + "/Elevation/Viewshed/GPServer/Hot%20Spots"
    assert parsed.service_url == ROOT + "/Elevation/Viewshed/GPServer"
    assert parsed.context_url == "https://gis.example.com/arcgis"
    assert parsed.info_url == "https://gis.example.com/arcgis/rest/info"
    assert parse_server_url(ROOT + "/Analysis/GPServer").service_path == "Analysis"


def test_with_service_and_task():
    root = parse_server_url(ROOT)
    svc = root.with_service("Elevation/Viewshed")
    assert svc.service_url == ROOT + "/Elevation/Viewshed/GPServer"
    assert svc.with_task("Free Text.Note").task_url.endswith("/GPServer/Free%20Text.Note")
    assert root.with_service("Analysis").folder is None


def test_user_info_and_tokens_never_kept():
    parsed = parse_server_url("https://bob:secret@host/arcgis/rest/services/A/GPServer?token=abc")
    assert "secret" not in parsed.url
    assert "abc" not in parsed.url


@pytest.mark.parametrize(
    "url",
    [
        "",
        "   ",
        "host/arcgis/rest/services",
        "ftp://host/arcgis/rest/services",
        "https://",
        "https://host/arcgis/rest/services/GPServer",
        None,
    ],
)
def test_invalid_urls(url):
    with pytest.raises(InvalidUrlError):
        parse_server_url(url)


def test_missing_parts_raise_typed_errors():
    root = parse_server_url(ROOT)
    with pytest.raises(InvalidUrlError):
        _ = root.service_url
    with pytest.raises(InvalidUrlError):
        _ = root.with_service("A").task_url
    with pytest.raises(InvalidUrlError):
        _ = root.with_service("A").with_task("T").job_url


SERVER = ServerUrl("https://gis.example.com/arcgis/rest/services")
JOB = ROOT + "/Level2/GPServer/Task/jobs/j1"


@pytest.mark.parametrize(
    ("url", "base", "expected"),
    [
        ("https://other.example.com/x.tif", None, "https://other.example.com/x.tif"),
        (
            "/rest/directories/arcgisjobs/a_gpserver/j1/scratch/out.tif",
            None,
            "https://gis.example.com/arcgis/rest/directories/arcgisjobs/a_gpserver/j1/scratch/out.tif",
        ),
        (
            "/arcgis/rest/directories/arcgisoutput/x.png",
            None,
            "https://gis.example.com/arcgis/rest/directories/arcgisoutput/x.png",
        ),
        (" inputs/thread_count", JOB, JOB + "/inputs/thread_count"),
        ("results/Output_Long", JOB, JOB + "/results/Output_Long"),
        ("results/Output_Long", JOB + "/", JOB + "/results/Output_Long"),
        ("./results/Out", JOB, JOB + "/results/Out"),
        ("//cdn.example.com/a.png", None, "https://cdn.example.com/a.png"),
    ],
)
def test_resolve(url, base, expected):
    assert resolve_url(url, SERVER, base) == expected


def test_resolve_without_context_path():
    server = ServerUrl("http://127.0.0.1:8399/rest/services")
    assert resolve_url("/rest/directories/x", server) == "http://127.0.0.1:8399/rest/directories/x"


def test_resolve_empty_is_an_error():
    with pytest.raises(InvalidUrlError):
        resolve_url("  ", SERVER)


def test_join_url_escapes_each_segment():
    assert join_url(JOB + "/", "results", "Free Text.Note") == JOB + "/results/Free%20Text.Note"
    assert join_url(JOB, "results", "a/b") == JOB + "/results/a%2Fb"
