"""What the plugin reads of real portal answers (tests/data/portal): which helpers are GP
services and under which names, which search results are GP service items, and which
URL is a portal's root. Plain Python: the answers as Esri documents them."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arcgis_gp.plugin.connections.catalog_cache import catalog_document, catalog_from_document
from arcgis_gp.plugin.rest.catalog import Catalog
from arcgis_gp.plugin.rest.descriptions import GPService, GPTask
from arcgis_gp.plugin.rest.portal import (
    GPSource,
    _assemble,
    gp_service_items,
    helper_label,
    helper_sources,
    item_sources,
    merge_sources,
    portal_url,
    search_query,
)

DATA = Path(__file__).resolve().parents[2] / "data" / "portal"


def _example(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


def test_only_gp_helpers_of_arcgis_online_become_sources() -> None:
    helpers = _example("arcgis-online-portals-self-anonymous.json")["helperServices"]
    sources = {s.label: (s.service_url, s.tasks) for s in helper_sources(helpers)}
    logistics = "https://logistics.arcgis.com/arcgis/rest/services/World"
    assert sources == {
        "Routing: vehicle routing (synchronous)": (
            f"{logistics}/VehicleRoutingProblemSync/GPServer",
            frozenset({"EditVehicleRoutingProblem"}),
        ),
        "Routing: vehicle routing": (
            f"{logistics}/VehicleRoutingProblem/GPServer",
            frozenset({"SolveVehicleRoutingProblem"}),
        ),
        "Routing: service areas": (
            f"{logistics}/ServiceAreas/GPServer",
            frozenset({"GenerateServiceAreas"}),
        ),
        "Routing: closest facility": (
            f"{logistics}/ClosestFacility/GPServer",
            frozenset({"FindClosestFacilities"}),
        ),
        "Routing: location-allocation": (f"{logistics}/LocationAllocation/GPServer", None),
        "Routing: origin-destination cost matrix": (
            f"{logistics}/OriginDestinationCostMatrix/GPServer",
            None,
        ),
        "Routing: routes": (f"{logistics}/Route/GPServer", None),
        "Elevation": (
            "https://elevation.arcgis.com/arcgis/rest/services/Tools/Elevation/GPServer",
            None,
        ),
        "Elevation (synchronous)": (
            "https://elevation.arcgis.com/arcgis/rest/services/Tools/ElevationSync/GPServer",
            None,
        ),
        "Hydrology": (
            "https://hydro.arcgis.com/arcgis/rest/services/Tools/Hydrology/GPServer",
            None,
        ),
        "Spatial analysis": (
            "https://analysis1.arcgis.com/arcgis/rest/services/tasks/GPServer",
            None,
        ),
    }


def test_helpers_of_odd_shapes_are_skipped_not_fatal() -> None:
    assert helper_sources(None) == []
    assert helper_sources({"elevation": "https://x/arcgis/rest/services/E/GPServer"}) == []
    assert helper_sources({"elevation": [{"url": None}, 3, {"url": "not a url"}]}) == []
    odd = helper_sources({"fooBarTools": [{"url": "https://h/arcgis/rest/services/F/GPServer"}]})
    assert [s.label for s in odd] == ["Foo bar tools"]
    assert helper_label("asyncServiceArea") == "Routing: service areas"


def test_search_results_are_filtered_on_the_exact_type() -> None:
    page = _example("enterprise-search-page.json")
    items = gp_service_items(page["results"])
    assert [i["title"] for i in items] == ["Flood risk"]
    sources = item_sources(items)
    assert sources == [
        GPSource(
            "https://gis.example.com/server/rest/services/Hydro/FloodRisk/GPServer",
            None,
            "Flood risk",
        )
    ]


def test_an_item_title_wins_over_a_helper_name_and_all_tasks_over_one() -> None:
    url = "https://h/arcgis/rest/services/Tools/Hydrology/GPServer"
    merged = merge_sources(
        [
            GPSource(url, frozenset({"Watershed"}), "Our watersheds"),
            GPSource(url.upper(), None, "Hydrology"),
        ]
    )
    assert merged == [GPSource(url, None, "Our watersheds")]


@pytest.mark.parametrize(
    ("pasted", "root"),
    [
        ("https://gis.example.com/portal", "https://gis.example.com/portal"),
        ("https://gis.example.com/portal/", "https://gis.example.com/portal"),
        ("https://gis.example.com/portal/home/index.html", "https://gis.example.com/portal"),
        ("https://org.maps.arcgis.com/sharing/rest?f=json", "https://org.maps.arcgis.com"),
        ("HTTPS://www.arcgis.com/home/", "https://www.arcgis.com"),
    ],
)
def test_a_pasted_portal_url_gives_its_root(pasted: str, root: str) -> None:
    assert portal_url(pasted) == root


def test_a_portal_catalog_keeps_its_kind_and_labels_in_the_cache_form() -> None:
    service = GPService(path="Tools/Hydrology", url="https://h/x/GPServer", label="Hydrology")
    catalog = Catalog(url="https://h/portal", services=[service], kind="portal")
    document = json.loads(json.dumps(catalog_document(catalog, "https://h/portal")))
    again = catalog_from_document(document)
    assert again.kind == "portal"
    assert again.services[0].label == "Hydrology"
    assert again.services[0].url == "https://h/x/GPServer"
    server = Catalog(url="https://h/arcgis/rest/services", services=[service])
    server.services[0].label = ""
    assert {"kind", "labels"}.isdisjoint(catalog_document(server, server.url))


def test_a_service_path_two_servers_share_gets_each_server_host() -> None:
    def crawled(host: str, label: str) -> tuple[GPSource, Catalog]:
        url = f"https://{host}/arcgis/rest/services/Tools/Elevation/GPServer"
        service = GPService(path="Tools/Elevation", url=url)
        task = GPTask(name="Profile", url=url + "/Profile", service_path="Tools/Elevation")
        return GPSource(url, None, label), Catalog(url=url, services=[service], tasks=[task])

    catalog = _assemble(
        "https://www.arcgis.com",
        [crawled("elevation.arcgis.com", "Elevation"), crawled("gis.example.com", "Ours")],
        [],
    )
    assert [(s.path, s.label) for s in catalog.services] == [
        ("elevation.arcgis.com/Tools/Elevation", "Elevation"),
        ("gis.example.com/Tools/Elevation", "Ours"),
    ]
    assert [t.service_path for t in catalog.tasks] == [s.path for s in catalog.services]
    assert catalog.kind == "portal"


def test_arcgis_online_is_searched_within_one_organisation_only() -> None:
    anonymous_www = _example("arcgis-online-portals-self-anonymous.json")
    assert search_query(anonymous_www) is None  # no organisation: helpers only
    org = {**anonymous_www, "id": "0123456789ABCDEF"}
    assert search_query(org) == 'type:"Geoprocessing Service" AND orgid:0123456789ABCDEF'
    signed_in = {**anonymous_www, "user": {"username": "a", "orgId": "AAAA"}}
    assert search_query(signed_in).endswith("AND orgid:AAAA")
    enterprise = {"portalMode": "singletenant", "id": "0123456789ABCDEF"}
    assert search_query(enterprise) == 'type:"Geoprocessing Service"'
