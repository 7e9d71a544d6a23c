"""Importing the user's QGIS "ArcGIS REST Server" connections (3.22 and 3.30+ layouts)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from qgis.core import QgsSettings

from arcgis_gp.plugin.connections.qgis_import import (
    NEW_GROUP,
    OLD_AUTH_GROUP,
    OLD_GROUPS,
    qgis_arcgis_connections,
)


@pytest.fixture
def settings() -> Iterator[QgsSettings]:
    settings = QgsSettings()
    for group in (*OLD_GROUPS, OLD_AUTH_GROUP, NEW_GROUP):
        settings.remove(group)
    yield settings
    for group in (*OLD_GROUPS, OLD_AUTH_GROUP, NEW_GROUP):
        settings.remove(group)


def test_old_layout_url_authcfg_and_referer(settings) -> None:
    old = "qgis/connections-arcgisfeatureserver"
    settings.setValue(f"{old}/County GIS/url", "https://gis.example.org/arcgis/rest/services")
    settings.setValue(f"{old}/County GIS/referer", "https://app.example.org")
    settings.setValue("qgis/ARCGISFEATURESERVER/County GIS/authcfg", "abc1234")
    settings.setValue(
        "qgis/connections-arcgismapserver/Flood/url",
        "https://hazards.example.gov/gis/rest/services/public/NFHL/MapServer/28",
    )
    by_name = {c.connection.name: c for c in qgis_arcgis_connections(settings)}
    county = by_name["County GIS"].connection
    assert county.url == "https://gis.example.org/arcgis/rest/services"
    assert county.authcfg == "abc1234"
    assert county.referer == "https://app.example.org"
    # a map service URL becomes its folder: the GP services live beside it
    assert by_name["Flood"].connection.url == "https://hazards.example.gov/gis/rest/services/public"


def test_new_layout_with_header_map(settings) -> None:
    base = f"{NEW_GROUP}/Org Server"
    settings.setValue(f"{base}/url", "https://org.example.com/server/rest/services/Tools/GPServer")
    settings.setValue(f"{base}/authcfg", "zz99zz9")
    settings.setValue(f"{base}/http-header", {"referer": "https://maps.example.com"})
    (candidate,) = qgis_arcgis_connections(settings)
    assert candidate.connection.name == "Org Server"
    assert candidate.connection.url == "https://org.example.com/server/rest/services/Tools/GPServer"
    assert candidate.connection.authcfg == "zz99zz9"
    assert candidate.connection.referer == "https://maps.example.com"
    assert candidate.note == ""


def test_plain_passwords_are_not_copied_and_the_user_is_told(settings) -> None:
    base = f"{NEW_GROUP}/Legacy"
    settings.setValue(f"{base}/url", "https://legacy.example.com/arcgis/rest/services")
    settings.setValue(f"{base}/username", "someone")
    settings.setValue(f"{base}/password", "plain-secret")
    (candidate,) = qgis_arcgis_connections(settings)
    assert candidate.connection.authcfg == ""
    assert "authentication configuration" in candidate.note
    assert "plain-secret" not in repr(candidate)


def test_portals_become_portal_connections_and_new_layout_wins(settings) -> None:
    # A portal's REST URL, a portal named by its community endpoint (QGIS 3.30+ and
    # 3.22 keys), and a URL no crawl could start from.
    settings.setValue(f"{NEW_GROUP}/Portal/url", "https://www.example.com/portal/sharing/rest")
    settings.setValue(f"{NEW_GROUP}/Org/url", "https://org.example.com/")
    settings.setValue(
        f"{NEW_GROUP}/Org/community-endpoint",
        "https://gis.example.com/portal/sharing/rest/community/",
    )
    old = "qgis/connections-arcgisfeatureserver"
    settings.setValue(f"{old}/Online/url", "https://myorg.maps.arcgis.com/home/index.html")
    settings.setValue(f"{old}/Old portal/url", "")
    settings.setValue(
        f"{old}/Old portal/community_endpoint",
        "https://old.example.com/arcgis/sharing/rest/community",
    )
    settings.setValue(f"{NEW_GROUP}/Junk/url", "not a url")
    settings.setValue(f"{old}/Both/url", "https://old.example.com/arcgis/rest/services")
    settings.setValue(f"{NEW_GROUP}/Both/url", "https://new.example.com/arcgis/rest/services")
    names = {c.connection.name: c.connection.url for c in qgis_arcgis_connections(settings)}
    assert names == {
        "Both": "https://new.example.com/arcgis/rest/services",
        "Portal": "https://www.example.com/portal",
        "Org": "https://gis.example.com/portal",
        "Online": "https://myorg.maps.arcgis.com",
        "Old portal": "https://old.example.com/arcgis",
    }
