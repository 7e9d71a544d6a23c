"""Portal connections: a connection URL that is a portal lists the GP services shared with
the user (a search, every page) and the portal's GP helper services, each run through
``processing.run`` on the server that hosts it; anonymous and signed in through a Basic
configuration of QGIS's auth database; offline from the cache when the portal is down.
"""

from __future__ import annotations

import processing
import pytest
from qgis.core import QgsApplication

from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.gui.browser import BrowserHooks, ConnectionItem, RootItem
from arcgis_gp.plugin.provider.provider import ArcGisGpProvider

#: Requests a client has no business making for GP tools (non-GP helpers, fuzzy results).
NOT_GP = (
    r"/(NAServer|GeocodeServer|GeometryServer|ImageServer|MapServer|FeatureServer)\b|PrintingTools"
)


def _connection(gpserver, authcfg: str = "") -> Connection:
    return Connection("portal", gpserver.portal_url, authcfg=authcfg, allow_insecure_http=True)


def _names(provider: ArcGisGpProvider) -> set[str]:
    return {algorithm.name() for algorithm in provider.algorithms()}


def _no_token_in_urls(gpserver) -> None:
    for request in gpserver.requests:
        assert "token" not in {key.lower() for key in request.query}, request.path
        assert "password" not in {key.lower() for key in request.query}, request.path


def test_an_anonymous_portal_lists_shared_items_and_gp_helpers(make_provider, gpserver):
    gpserver.enable_portal()
    provider = make_provider(_connection(gpserver))
    names = _names(provider)
    groups = {a.name(): a.group() for a in provider.algorithms()}
    # Items of type "Geoprocessing Service", under their titles, named by service path.
    assert groups["portal__analysis__scalars"] == "portal › Analysis tools"  # noqa: RUF001
    assert groups["portal__units_filters__unitdefaults"] == "portal › Units and filters"  # noqa: RUF001
    # GP helpers: a service URL lists every task, a task URL that task only.
    assert groups["portal__elevation_viewshed__viewshed"] == "portal › Elevation"  # noqa: RUF001
    assert groups["portal__tools_hydrology__watershed"] == "portal › Hydrology"  # noqa: RUF001
    assert "portal__tools_hydrology__tracedownstream" in names
    assert groups["portal__world_route__findroutes"] == "portal › Routing: routes"  # noqa: RUF001
    assert groups["portal__world_serviceareas__generateserviceareas"] == (
        "portal › Routing: service areas"  # noqa: RUF001
    )
    assert "portal__world_serviceareas__gettravelmodes" not in names
    # Not for anonymous users: the private item and the org item.
    assert not {n for n in names if "secure" in n or "reportserver" in n}
    # Not GP: fuzzy results of other types, NAServer/Geocode/Geometry/ImageServer helpers,
    # and the printing task.
    assert not {n for n in names if "printingtools" in n or "basemaps" in n}
    # A "Geoprocessing Sample" item found by the fuzzy search links a GP service: not listed.
    assert not {n for n in names if "printserver" in n}
    assert not gpserver.requests_to(NOT_GP)
    assert not provider.status_notes
    _no_token_in_urls(gpserver)

    scalars = processing.run("arcgisgp:portal__analysis__scalars", {"Count": 4, "Factor": 2})
    assert scalars["Output_Double"] == 8
    areas = processing.run(
        "arcgisgp:portal__world_serviceareas__generateserviceareas", {"Text": "areas"}
    )
    assert areas["Output_Text"] == "areas"


def test_a_signed_in_portal_lists_private_and_org_items_and_runs_them(
    make_provider, basic_authcfg, gpserver
):
    gpserver.enable_portal()
    provider = make_provider(_connection(gpserver, basic_authcfg))
    names = _names(provider)
    groups = {a.name(): a.group() for a in provider.algorithms()}
    assert groups["portal__secure_protected__echo"] == "portal › Protected echo"  # noqa: RUF001
    assert "portal__tools_reportserver__xmlreport" in names
    searches = gpserver.requests_to(r"/portal/sharing/rest/search$")
    assert searches
    assert all(r.method == "POST" for r in searches)
    assert all(r.form.get("token") or r.header("X-Esri-Authorization") for r in searches)

    result = processing.run("arcgisgp:portal__secure_protected__echo", {"Text": "signed in"})
    assert result["Output_Text"] == "signed in"
    watershed = processing.run("arcgisgp:portal__tools_hydrology__watershed", {"Text": "w"})
    assert watershed["Output_Text"] == "w"
    # The server got a token of its own: the portal's, exchanged (serverUrl).
    assert [bool(r.form.get("serverUrl")) for r in gpserver.requests_to(r"generateToken$")][-1]
    _no_token_in_urls(gpserver)


def test_every_search_page_is_read(make_provider, gpserver):
    gpserver.enable_portal(shared_tools=120)
    provider = make_provider(_connection(gpserver))
    names = _names(provider)
    shared = {n for n in names if n.startswith("portal__shared_tool")}
    assert len(shared) == 240  # 120 items x (Buffer, Echo), the last page included
    assert "portal__shared_tool120__echo" in names
    starts = [r.form["start"] for r in gpserver.requests_to(r"/portal/sharing/rest/search$")]
    assert starts == ["1", "101"]
    result = processing.run("arcgisgp:portal__shared_tool120__echo", {"Text": "last page"})
    assert result["Output_Text"] == "last page"


def test_a_portal_connection_starts_offline_from_its_cache(gpserver, tmp_path, qgis_processing):
    gpserver.enable_portal()
    connection = _connection(gpserver)
    registry = QgsApplication.processingRegistry()
    cache = CatalogCache(tmp_path / "catalogs")
    online = ArcGisGpProvider(cache=cache, connections=lambda: [connection])
    assert registry.addProvider(online)
    online.refresh_catalogs(blocking=True)
    expected = {(a.name(), a.group()) for a in online.algorithms()}
    assert len(expected) > 20
    registry.removeProvider(online)
    forget_clients()
    gpserver.stop()
    gpserver.clear_requests()
    offline = ArcGisGpProvider(cache=cache, connections=lambda: [connection])
    assert registry.addProvider(offline)
    try:
        assert {(a.name(), a.group()) for a in offline.algorithms()} == expected
        offline.refresh_catalogs(blocking=True)  # the portal is down: the cache stays
        assert {(a.name(), a.group()) for a in offline.algorithms()} == expected
        assert "portal" in offline.status_notes
        # The Browser tree, from the cache: the portal's groups, each with its tasks.
        hooks = BrowserHooks(lambda: None, lambda: None, lambda _c: None, lambda _n: None)
        root = RootItem(cache, hooks, dict)
        item = ConnectionItem(root, connection, cache, hooks)
        children = item.createChildren()
        labels = {child.name() for child in children}
        assert {"Analysis tools", "Elevation", "Routing: service areas"} <= labels
        areas = next(c for c in children if c.name() == "Routing: service areas")
        assert [t.name() for t in areas.createChildren()] == ["Generate Service Areas"]
    finally:
        registry.removeProvider(offline)
        forget_clients()
        gpserver.start()
    assert not gpserver.requests


def test_renaming_an_item_changes_its_group_never_an_id(make_provider, gpserver):
    portal = gpserver.enable_portal()
    provider = make_provider(_connection(gpserver))
    before = {a.name() for a in provider.algorithms()}
    next(i for i in portal.items if i.title == "Analysis tools").title = "Our analysis"
    provider.refresh_catalogs(blocking=True)
    algorithm = provider.algorithm("portal__analysis__scalars")
    assert algorithm.group() == "portal › Our analysis"  # noqa: RUF001
    assert {a.name() for a in provider.algorithms()} == before


def test_an_arcgis_online_like_portal_lists_its_organisation_only(make_provider, gpserver):
    gpserver.enable_portal(multitenant=True)
    names = _names(make_provider(_connection(gpserver)))
    assert "portal__analysis__scalars" in names
    assert not {n for n in names if n.startswith("portal__bench_big")}
    queries = [r.form["q"] for r in gpserver.requests_to(r"/portal/sharing/rest/search$")]
    assert queries == ['type:"Geoprocessing Service" AND orgid:0123456789ABCDEF']


@pytest.mark.parametrize("url_suffix", ["", "/", "/sharing/rest", "/home/index.html"])
def test_a_portal_is_told_from_a_server_by_asking_it(make_provider, gpserver, url_suffix):
    gpserver.enable_portal()
    connection = Connection("portal", gpserver.portal_url + url_suffix, allow_insecure_http=True)
    provider = make_provider(connection)
    assert "portal__tools_hydrology__watershed" in _names(provider)
    assert gpserver.requests_to(r"/portal/sharing/rest/info$")
