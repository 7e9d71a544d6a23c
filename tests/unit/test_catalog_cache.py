"""The catalog cache's document: one format version, the URL once, old files ignored."""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings

from arcgis_gp.plugin.connections.catalog_cache import (
    FORMAT_VERSION,
    CatalogCache,
    catalog_document,
    catalog_from_document,
    same_catalog,
)
from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.rest import (
    ArcGisError,
    ArcGisInvalidResponseError,
    Catalog,
    ExecutionType,
    GPService,
    GPTask,
    ServiceFailure,
)
from tests.conftest import REALWORLD_FIXTURES
from tests.unit.rest.test_task_parser_property import json_values, tasks

SERVICES = "https://gis.example.com/server/rest/services"
#: Written out as a crawl of SERVICES makes them (never derived here: that is under test).
SERVICE_URL = SERVICES + "/Tools/Hotspots/GPServer"
TASK_URL = SERVICE_URL + "/911%20Calls%20Hotspot"
FILTERS_URL = SERVICE_URL + "/filters"
FOLDER_URL = SERVICES + "/Secure"


def _realworld(kind: str, name: str) -> dict:
    return json.loads((REALWORLD_FIXTURES / kind / name).read_text(encoding="utf-8"))


def _crawled() -> Catalog:
    """A catalog as a crawl of SERVICES gives it, from Esri's documented answers."""
    service_json = _realworld("gpserver", "esridoc-911CallsHotspot-10.91.json")
    service_json = {**service_json, "tasks": ["911 Calls Hotspot", "filters", "Gone"]}
    service = GPService.from_json(service_json, url=SERVICE_URL, path="Tools/Hotspots")
    hotspot = GPTask.from_json(
        {"name": "911 Calls Hotspot", "parameters": []},
        url=TASK_URL,
        service_path="Tools/Hotspots",
        default_execution_type=service.execution_type,
    )
    filters = GPTask.from_json(
        _realworld("task", "esridoc-Level2_ValueTable_Sync-filters.json"),
        url=FILTERS_URL,
        service_path="Tools/Hotspots",
    )
    return Catalog(
        url=SERVICES,
        services=[service],
        tasks=[hotspot, filters],
        failures=[
            ServiceFailure("Secure", FOLDER_URL, "Token Required"),
            ServiceFailure("Tools/Hotspots", SERVICE_URL + "/Gone", "not found", "Gone"),
        ],
        created=1700000000.5,
    )


def _without_raw_json(document: dict) -> dict:
    """The document less the servers' own JSON (which may hold URLs of its own)."""
    return {
        key: [{k: v for k, v in entry.items() if k != "json"} for entry in value]
        if isinstance(value, list)
        else value
        for key, value in document.items()
    }


def test_the_url_is_stored_once_and_every_other_url_derived_on_load():
    catalog = _crawled()
    document = catalog_document(catalog, SERVICES)
    assert document["version"] == FORMAT_VERSION
    assert json.dumps(_without_raw_json(document)).count("https://") == 1
    again = catalog_from_document(json.loads(json.dumps(document)))
    assert again == catalog
    assert again.service("Tools/Hotspots").url == SERVICE_URL
    assert again.task("Tools/Hotspots", "911 Calls Hotspot").url == TASK_URL
    assert again.task("Tools/Hotspots", "911 Calls Hotspot").is_async  # from the service
    assert [f.url for f in again.failures] == [FOLDER_URL, SERVICE_URL + "/Gone"]
    assert again.task("Tools/Hotspots", "filters").parameters == catalog.tasks[1].parameters


def test_urls_that_are_not_the_derived_ones_are_kept():
    """A task whose description names it otherwise than its URL, a service elsewhere."""
    elsewhere = "https://other.example.com/arcgis/rest/services/S/GPServer"
    service = GPService.from_json({"tasks": ["T"]}, url=elsewhere, path="S")
    renamed = GPTask.from_json(
        {"name": "Renamed", "executionType": "esriExecutionTypeAsynchronous"},
        url=SERVICES + "/S/GPServer/T",
        service_path="S",
    )
    catalog = Catalog(url=SERVICES + "/S/GPServer", services=[service], tasks=[renamed])
    document = catalog_document(catalog, SERVICES)
    again = catalog_from_document(json.loads(json.dumps(document)))
    assert again == catalog
    assert again.url == SERVICES + "/S/GPServer"
    assert again.tasks[0].url == SERVICES + "/S/GPServer/T"
    assert again.tasks[0].execution_type is ExecutionType.ASYNCHRONOUS


def _old_format_document(url: str) -> dict:
    """What version 1 of the cache wrote (the URL at the top, in the catalog, per entry)."""
    return {
        "version": 1,
        "url": url,
        "catalog": {
            "format": 1,
            "url": url,
            "created": 1700000000.5,
            "services": [{"path": "S", "url": url + "/S/GPServer", "json": {"tasks": ["T"]}}],
            "tasks": [
                {
                    "service_path": "S",
                    "name": "T",
                    "url": url + "/S/GPServer/T",
                    "execution_type": "esriExecutionTypeSynchronous",
                    "json": {"name": "T", "parameters": []},
                }
            ],
            "failures": [],
        },
    }


def test_a_file_of_the_old_format_is_ignored_and_the_connection_crawled_again(tmp_path: Path):
    connection = Connection(name="demo", url=SERVICES)
    cache = CatalogCache(tmp_path)
    cache.path_for(connection).write_text(json.dumps(_old_format_document(SERVICES)), "utf-8")
    assert cache.load(connection) is None  # not mis-read as an empty or half catalog
    cache.save(connection, _crawled())  # what the crawl that follows writes
    assert cache.load(connection) == _crawled()


@pytest.mark.parametrize("text", ["[]", '"text"', "null", "{}", '{"version": 99}'])
def test_a_file_that_holds_no_catalog_is_ignored(tmp_path: Path, text: str):
    connection = Connection(name="demo", url=SERVICES)
    cache = CatalogCache(tmp_path)
    cache.path_for(connection).write_text(text, "utf-8")
    assert cache.load(connection) is None


def test_a_file_of_another_connection_url_is_ignored(tmp_path: Path):
    cache = CatalogCache(tmp_path)
    cache.save(Connection(name="demo", url=SERVICES), _crawled())
    assert cache.load(Connection(name="demo", url=SERVICES + "/Tools")) is None


@pytest.mark.parametrize(
    "data",
    [None, [], {"version": 99}, {"version": 1}, {"version": FORMAT_VERSION, "services": [5]}],
)
def test_documents_that_are_no_catalog_raise_typed_errors(data):
    with pytest.raises(ArcGisInvalidResponseError):
        catalog_from_document(data)


def test_same_catalog_ignores_the_time_of_the_crawl_only():
    first, second = _crawled(), _crawled()
    second.created += 60
    assert same_catalog(first, second)
    second.tasks[0].raw["description"] = "changed on the server"
    assert not same_catalog(first, second)


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(tasks)
def test_whatever_task_parsed_once_survives_the_cache(data):
    try:
        task = GPTask.from_json(data, url=SERVICES + "/S/GPServer/T", service_path="S")
    except ArcGisError:
        return
    again = catalog_from_document(catalog_document(Catalog(url=SERVICES, tasks=[task]), SERVICES))
    assert again.tasks[0].parameters == task.parameters
    assert again.tasks[0].url == task.url


@settings(max_examples=200, deadline=None)
@given(json_values)
def test_any_json_gives_a_catalog_or_a_typed_error(data):
    with contextlib.suppress(ArcGisError):
        catalog_from_document(data)
    with contextlib.suppress(ArcGisError):
        catalog_from_document({"version": FORMAT_VERSION, "url": SERVICES, "tasks": data})
