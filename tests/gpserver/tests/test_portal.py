"""The portal at /portal answers as real portals do: sharing/rest/info, portals/self (no
``user`` when anonymous), community/self, and a fuzzy, paged search that honours access."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import requests

from .helpers import get

DATA = Path(__file__).resolve().parents[2] / "data" / "portal"
GP = 'type:"Geoprocessing Service"'


def _example(name: str) -> dict:
    return json.loads((DATA / name).read_text(encoding="utf-8"))


@pytest.fixture
def portal(gpserver):
    gpserver.enable_portal()
    return gpserver


def _token(server) -> str:
    user, password = server.credentials
    return requests.post(
        f"{server.portal_url}/sharing/rest/generateToken",
        data={"username": user, "password": password, "client": "requestip", "f": "json"},
        timeout=10,
    ).json()["token"]


def _search(server, token: str | None = None, header: bool = False, **form) -> dict:
    data = {"q": GP, "f": "json", **form}
    headers = {}
    if token and header:
        headers["X-Esri-Authorization"] = f"Bearer {token}"
    elif token:
        data["token"] = token
    return requests.post(
        f"{server.portal_url}/sharing/rest/search", data=data, headers=headers, timeout=10
    ).json()


def test_sharing_info_has_the_keys_of_arcgis_online(portal) -> None:
    info = get(f"{portal.portal_url}/sharing/rest/info")
    real = _example("arcgis-online-sharing-info.json")
    assert set(real) <= set(info)
    assert set(real["authInfo"]) <= set(info["authInfo"])
    assert info["authInfo"]["tokenServicesUrl"] == (
        f"{portal.portal_url}/sharing/rest/generateToken"
    )


def test_portals_self_has_a_user_only_when_signed_in(portal) -> None:
    anonymous = get(f"{portal.portal_url}/sharing/rest/portals/self")
    real = _example("arcgis-online-portals-self-anonymous.json")
    assert "user" not in anonymous
    assert {"helperServices", "isPortal", "portalName", "portalMode"} <= set(real) & set(anonymous)
    helpers = anonymous["helperServices"]
    assert isinstance(helpers["geocode"], list)
    assert isinstance(helpers["elevation"], dict)
    assert helpers["asyncServiceArea"]["url"].endswith("/GPServer/GenerateServiceAreas")
    assert helpers["hydrology"]["url"].endswith("/GPServer")
    assert "/NAServer/" in helpers["route"]["url"]
    signed_in = requests.get(
        f"{portal.portal_url}/sharing/rest/portals/self",
        params={"f": "json"},
        headers={"X-Esri-Authorization": f"Bearer {_token(portal)}"},
        timeout=10,
    ).json()
    assert signed_in["user"]["username"] == portal.credentials[0]


def test_community_self_needs_a_portal_token(portal) -> None:
    anonymous = get(f"{portal.portal_url}/sharing/rest/community/self")
    assert anonymous["error"]["code"] == 403
    me = requests.post(
        f"{portal.portal_url}/sharing/rest/community/self",
        data={"f": "json", "token": _token(portal)},
        timeout=10,
    ).json()
    assert set(_example("enterprise-community-self.json")) <= set(me)
    bogus = requests.post(
        f"{portal.portal_url}/sharing/rest/community/self",
        data={"f": "json", "token": "not-a-token"},
        timeout=10,
    ).json()
    assert bogus["error"]["code"] == 498


def test_search_pages_as_real_portals_do(gpserver) -> None:
    gpserver.enable_portal(shared_tools=150)
    first = _search(gpserver, num=500)
    real = _example("enterprise-search-page.json")
    assert set(real) == set(first)
    assert set(real["results"][0]) <= set(first["results"][0])
    assert first["num"] == 100
    assert len(first["results"]) == 100
    assert first["start"] == 1
    assert first["nextStart"] == 101
    last = _search(gpserver, num=100, start=first["nextStart"])
    assert last["nextStart"] == -1
    assert len(first["results"]) + len(last["results"]) == first["total"]
    ids = [i["id"] for i in first["results"] + last["results"]]
    assert len(set(ids)) == len(ids)


def test_search_is_fuzzy_and_honours_access(portal) -> None:
    anonymous = _search(portal, num=100)
    types = {item["type"] for item in anonymous["results"]}
    assert {"Geoprocessing Service", "Map Service", "Feature Service"} <= types
    assert {"Geoprocessing Package", "Geoprocessing Sample"} <= types
    titles = {item["title"] for item in anonymous["results"]}
    assert "Protected echo" not in titles
    assert "Report tools" not in titles
    token = _token(portal)
    for header in (False, True):
        signed_in = _search(portal, token, header=header, num=100)
        titles = {item["title"] for item in signed_in["results"]}
        assert {"Protected echo", "Report tools"} <= titles
    tool = next(i for i in anonymous["results"] if i["title"] == "Analysis tools")
    assert "Web Tool" in tool["typeKeywords"]
    assert tool["url"] == portal.service_url("Analysis")


def test_switching_the_portal_off_unpublishes_its_services(gpserver) -> None:
    gpserver.enable_portal(shared_tools=2)
    assert get(gpserver.service_url("Shared/Tool002"))["tasks"] == ["Buffer", "Echo"]
    gpserver.reset()
    assert get(gpserver.service_url("Shared/Tool002"))["error"]["code"] == 404
    assert requests.get(f"{gpserver.portal_url}/sharing/rest/info", timeout=10).status_code == 404
