"""A portal at ``/portal`` (ArcGIS Enterprise's sharing API) in front of the test server.

What a GP client of a portal meets, with the care for fidelity of the server itself:

- ``sharing/rest/info``: ``owningSystemUrl`` and ``authInfo.tokenServicesUrl``;
- ``sharing/rest/portals/self``: no ``user`` when anonymous, ``user`` with a token;
  ``helperServices`` mixing objects and arrays, GP service URLs (``…/GPServer``) and GP
  task URLs (``…/GPServer/<task>``), and helpers that are not GP at all (NAServer route,
  GeocodeServer array, GeometryServer, the printing task, ImageServer elevation layers);
- ``sharing/rest/community/self``: the signed-in user (403 when anonymous);
- ``sharing/rest/search``: ``q``, ``num`` (at most 100), ``start`` (1-based), ``nextStart``
  (-1 on the last page), ``total``; fuzzy as a real portal's (``type:"Geoprocessing
  Service"`` also finds a "Map Service" or a "Geoprocessing Package" whose words match,
  so a client must filter on the exact ``type``); items hold the ``url`` of this server's
  GP services, web tools the type keyword "Web Tool"; private items only for their owner,
  ``org`` items only for a signed-in user. The token comes by POST form or
  ``X-Esri-Authorization`` header (a query string works too, as on a real portal: tests
  check that the client never puts it there).

Logins are ``generateToken`` of ``handlers/tokens.py`` (portal tokens; the server is
federated while the portal is on). The ready-to-use services the helpers name, and the
shared tools of the big portal, are added to the server's registry while the portal is on
and removed when it is switched off (``GPServer.reset``).
"""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

from werkzeug.wrappers import Response

from .call import Call
from .errors import RestError, invalid_token
from .handlers import tokens as token_handlers
from .registry import ASYNC, SYNC, Registry, Service
from .tokens import token_from_request

PORTAL_ID = "0123456789ABCDEF"
#: A portal answers at most 100 results a page, whatever ``num`` asks.
MAX_NUM = 100
GEOPROCESSING_SERVICE = "Geoprocessing Service"
WEB_TOOL_KEYWORDS = ["ArcGIS Server", "Geoprocessing Service", "Service", "Tool", "Web Tool"]
GP_SERVICE_KEYWORDS = ["ArcGIS Server", "Data", "Geoprocessing Service", "Service", "Tool"]


@dataclass
class PortalItem:
    """One item of the portal's content (what ``search`` lists)."""

    id: str
    title: str
    type: str
    #: Path of the service below ``/arcgis/rest/services`` (``None``: an item with no URL).
    service: str | None
    access: str = "public"  # public | org | private
    owner: str = "gpadmin"
    type_keywords: list[str] = field(default_factory=lambda: list(GP_SERVICE_KEYWORDS))
    tags: list[str] = field(default_factory=list)
    snippet: str = ""
    created: int = 1_700_000_000_000
    org_id: str = PORTAL_ID

    def visible_to(self, user: str | None) -> bool:
        if self.access == "public":
            return True
        if self.access == "org":
            return user is not None
        return user is not None and user == self.owner

    def to_json(self, call: Call) -> dict[str, Any]:
        """The item as ``search`` answers it (the keys of a real portal's results)."""
        url = f"{call.context_url}/rest/services/{self.service}" if self.service else None
        return {
            "id": self.id,
            "owner": self.owner,
            "orgId": self.org_id,
            "created": self.created,
            "modified": self.created + 60_000,
            "guid": None,
            "name": re.sub(r"\W+", "", self.title) or None,
            "title": self.title,
            "type": self.type,
            "typeKeywords": list(self.type_keywords),
            "description": None,
            "tags": list(self.tags),
            "snippet": self.snippet or None,
            "thumbnail": None,
            "extent": [],
            "spatialReference": None,
            "accessInformation": None,
            "licenseInfo": None,
            "culture": "en-us",
            "properties": None,
            "url": url,
            "access": self.access,
            "size": -1,
            "listed": False,
            "numViews": 0,
        }


def _item_id(number: int) -> str:
    return f"{number:032x}"


#: (path, execution type, {task name: task of services.yaml to copy}): the ready-to-use
#: services the helpers name, and the printing service (a GP service no tool list shows).
READY_TO_USE: list[tuple[str, str, dict[str, str]]] = [
    ("Tools/Hydrology", ASYNC, {"Watershed": "Echo", "TraceDownstream": "Echo"}),
    ("World/Route", ASYNC, {"FindRoutes": "Echo"}),
    (
        "World/ServiceAreas",
        ASYNC,
        {"GenerateServiceAreas": "Echo", "GetTravelModes": "Echo", "GetToolInfo": "Echo"},
    ),
    ("Utilities/PrintingTools", SYNC, {"Export Web Map Task": "Echo"}),
]


def default_items() -> list[PortalItem]:
    """The portal's content: GP services (some web tools), items of other types whose
    words match a search for geoprocessing services, a private and an org-only item."""
    return [
        PortalItem(
            _item_id(1),
            "Analysis tools",
            GEOPROCESSING_SERVICE,
            "Analysis/GPServer",
            type_keywords=list(WEB_TOOL_KEYWORDS),
            tags=["analysis"],
            snippet="Buffer, summarize and more",
        ),
        PortalItem(
            _item_id(2),
            "Results of the geoprocessing (map)",
            "Map Service",
            "Basemaps/World/MapServer",
            type_keywords=["ArcGIS Server", "Data", "Map Service", "Service"],
        ),
        PortalItem(
            _item_id(3), "Units and filters", GEOPROCESSING_SERVICE, "Units/Filters/GPServer"
        ),
        PortalItem(
            _item_id(4),
            "Parcels for geoprocessing",
            "Feature Service",
            "Hosted/Parcels/FeatureServer",
            type_keywords=["ArcGIS Server", "Data", "Feature Service", "Service"],
        ),
        PortalItem(
            _item_id(5),
            "Protected echo",
            GEOPROCESSING_SERVICE,
            "Secure/Protected/GPServer",
            access="private",
            owner="gpuser",
            type_keywords=list(WEB_TOOL_KEYWORDS),
        ),
        PortalItem(
            _item_id(6),
            "Analysis geoprocessing package",
            "Geoprocessing Package",
            None,
            type_keywords=["Geoprocessing Package", "Tool"],
        ),
        PortalItem(
            _item_id(8),
            "Export sample (geoprocessing)",
            "Geoprocessing Sample",
            "PrintServer/GPServer",
            type_keywords=["Geoprocessing Sample", "Sample"],
        ),
        PortalItem(
            _item_id(7),
            "Report tools",
            GEOPROCESSING_SERVICE,
            "Tools/ReportServer/GPServer",
            access="org",
            type_keywords=list(WEB_TOOL_KEYWORDS),
        ),
    ]


class Portal:
    """The portal's content and helpers; adds its services to the registry while on."""

    def __init__(
        self,
        registry: Registry,
        shared_tools: int = 0,
        shared_access: str = "public",
        multitenant: bool = False,
    ) -> None:
        self.registry = registry
        #: ArcGIS Online's mode: many organisations' content in one portal.
        self.multitenant = multitenant
        self.items = default_items()
        if multitenant:  # another organisation's public web tool, found by a bare search
            self.items.append(
                PortalItem(
                    _item_id(9),
                    "Another organisation's tool",
                    GEOPROCESSING_SERVICE,
                    "Bench/Big/GPServer",
                    owner="someone",
                    type_keywords=list(WEB_TOOL_KEYWORDS),
                    org_id="FEDCBA9876543210",
                )
            )
        self._added: list[Service] = []
        #: More helpers (key -> path below ``rest/services``), e.g. ready.py's ``analysis``.
        self.extra_helpers: dict[str, str] = {}
        for path, execution, tasks in READY_TO_USE:
            self._add_service(path, execution, tasks)
        for number in range(1, shared_tools + 1):
            path = f"Shared/Tool{number:03d}"
            self._add_service(path, SYNC, {"Buffer": "Buffer", "Echo": "Echo"})
            self.items.append(
                PortalItem(
                    _item_id(1000 + number),
                    f"Shared tool {number:03d}",
                    GEOPROCESSING_SERVICE,
                    f"{path}/GPServer",
                    access=shared_access,
                    type_keywords=list(WEB_TOOL_KEYWORDS),
                    created=1_700_000_000_000 + number,
                )
            )

    def _add_service(self, path: str, execution: str, tasks: dict[str, str]) -> None:
        if self.registry.find(path, "GPServer") is not None:
            return
        originals = {name: self._task(name) for name in set(tasks.values())}
        service = Service(
            path=path,
            type="GPServer",
            description=f"{path} (published with the portal)",
            execution_type=execution,
            tasks={
                name: dataclasses.replace(originals[source], name=name, display_name=_words(name))
                for name, source in tasks.items()
            },
        )
        self.registry.services.append(service)
        self._added.append(service)

    def _task(self, name: str) -> Any:
        for service in self.registry.services:
            if name in service.tasks:
                return service.tasks[name]
        raise KeyError(name)

    def close(self) -> None:
        """Unpublish what the portal added."""
        for service in self._added:
            if service in self.registry.services:
                self.registry.services.remove(service)
        self._added.clear()

    def helper_services(self, call: Call) -> dict[str, Any]:
        """``helperServices`` as a portal federated with this server lists them."""
        services = f"{call.context_url}/rest/services"
        extra = {key: {"url": f"{services}/{path}"} for key, path in self.extra_helpers.items()}
        return {
            **extra,
            "geocode": [
                {
                    "url": f"{services}/World/GeocodeServer",
                    "northLat": "Ymax",
                    "southLat": "Ymin",
                    "eastLon": "Xmax",
                    "westLon": "Xmin",
                    "name": "World geocoder",
                    "batch": True,
                    "placefinding": True,
                    "suggest": True,
                }
            ],
            "route": {"url": f"{services}/World/Route/NAServer/Route_World"},
            "geometry": {"url": f"{services}/Utilities/Geometry/GeometryServer"},
            "printTask": {
                "url": f"{services}/Utilities/PrintingTools/GPServer/Export%20Web%20Map%20Task"
            },
            "elevation": {"url": f"{services}/Elevation/Viewshed/GPServer"},
            "hydrology": {"url": f"{services}/Tools/Hydrology/GPServer"},
            "asyncRoute": {"url": f"{services}/World/Route/GPServer"},
            "asyncServiceArea": {
                "url": f"{services}/World/ServiceAreas/GPServer/GenerateServiceAreas"
            },
            "defaultElevationLayers": [
                {
                    "url": f"{services}/WorldElevation3D/Terrain3D/ImageServer",
                    "id": "globalElevation",
                    "layerType": "ArcGISTiledElevationServiceLayer",
                }
            ],
        }


def _words(name: str) -> str:
    """``GenerateServiceAreas`` -> ``Generate Service Areas`` (a display name)."""
    return re.sub(r"(?<=[a-z])(?=[A-Z])", " ", name)


# --------------------------------------------------------------------------- requests


def handle(call: Call, portal: Portal, segments: list[str]) -> Response:
    """``/portal/<segments>``."""
    lowered = [s.lower() for s in segments]
    if lowered in (["sharing", "rest", "generatetoken"], ["sharing", "generatetoken"]):
        return token_handlers.portal_generate_token(call)
    if lowered[:2] != ["sharing", "rest"]:
        raise RestError(400, "Invalid URL")
    rest = lowered[2:]
    if rest == ["info"]:
        return call.respond(_info(call))
    user = _user(call)
    if rest == ["portals", "self"]:
        return call.respond(_portal_self(call, portal, user))
    if rest == ["community", "self"]:
        if user is None:
            raise RestError(
                403,
                "You do not have permissions to access this resource or perform this operation.",
            )
        return call.respond(_user_json(user))
    if rest == ["search"]:
        return call.respond(_search(call, portal, user))
    raise RestError(400, "Invalid URL")


def _info(call: Call) -> dict[str, Any]:
    portal_url = f"{call.root}/portal"
    return {
        "owningSystemUrl": portal_url,
        "authInfo": {
            "tokenServicesUrl": f"{portal_url}/sharing/rest/generateToken",
            "isTokenBasedSecurity": True,
        },
    }


def _user(call: Call) -> str | None:
    """The signed-in user of a request (a portal token), ``None`` when anonymous; 498
    for a token the portal does not know (a server token is not a portal token)."""
    value = token_from_request(call.params, call.headers)
    if not value:
        return None
    token = call.state.tokens._valid(  # the portal shares the token store
        value, call.request.headers.get("Referer"), call.request.remote_addr or ""
    )
    if token.kind != "portal":
        raise invalid_token()
    return token.user


def _user_json(user: str) -> dict[str, Any]:
    return {
        "username": user,
        "id": f"{abs(hash(user)) % (1 << 64):032x}",
        "fullName": user,
        "email": f"{user}@example.com",
        "orgId": PORTAL_ID,
        "role": "org_user",
        "roleId": "iAAAAAAAAAAAAAAA",
        "userLicenseTypeId": "creatorUT",
        "privileges": ["portal:user:createItem", "portal:user:joinGroup"],
        "level": "2",
        "provider": "arcgis",
        "access": "org",
        "created": 1_690_000_000_000,
        "modified": 1_700_000_000_000,
        "groups": [],
    }


def _portal_self(call: Call, portal: Portal, user: str | None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "access": "public",
        "allSSL": False,
        "canSearchPublic": True,
        "culture": "en",
        "currentVersion": "11.1",
        "id": PORTAL_ID,
        "isPortal": True,
        "name": "Test portal",
        "portalHostname": f"{call.request.host}/portal",
        "portalMode": "multitenant" if portal.multitenant else "singletenant",
        "portalName": "ArcGIS Enterprise",
        "supportsOAuth": True,
        "helperServices": portal.helper_services(call),
    }
    if user is not None:
        data["user"] = _user_json(user)
    return data


_FIELD = re.compile(r'(\w+):(?:"([^"]*)"|(\S+))')
_OPERATORS = {"and", "or", "not"}


def _clauses(query: str) -> tuple[list[tuple[str, str]], list[str]]:
    """``type:"Geoprocessing Service" AND owner:x words`` -> field clauses, free words."""
    fields = [
        (m.group(1).lower(), (m.group(2) or m.group(3) or "").lower())
        for m in _FIELD.finditer(query)
    ]
    rest = _FIELD.sub(" ", query)
    words = [w.lower() for w in re.findall(r"[\w-]+", rest) if w.lower() not in _OPERATORS]
    return fields, words


def _text_words(item: PortalItem) -> set[str]:
    return set(re.findall(r"\w+", f"{item.title} {item.snippet} {' '.join(item.tags)}".lower()))


def _matches(item: PortalItem, fields: list[tuple[str, str]], words: list[str]) -> bool:
    """Fuzzy as a portal's index: a field phrase matches on any of its words."""
    for name, value in fields:
        phrase = set(re.findall(r"\w+", value))
        if name == "type":
            if not phrase & (set(re.findall(r"\w+", item.type.lower())) | _text_words(item)):
                return False
        elif name == "typekeywords":
            if value not in (k.lower() for k in item.type_keywords):
                return False
        elif name == "owner":
            if value != item.owner.lower():
                return False
        elif name == "id":
            if value != item.id:
                return False
        elif name == "orgid":
            if value != item.org_id.lower():
                return False
        elif not phrase & _text_words(item):
            return False
    return all(word in _text_words(item) for word in words)


def _int_param(call: Call, name: str, default: int) -> int:
    raw = (call.params.get(name) or "").strip()
    if not raw:
        return default
    try:
        return int(raw)
    except ValueError:
        raise RestError(400, f"'{name}' must be an integer.") from None


def _search(call: Call, portal: Portal, user: str | None) -> dict[str, Any]:
    query = (call.params.get("q") or "").strip()
    if not query:
        raise RestError(400, "'q' must be specified.")
    num = min(max(_int_param(call, "num", 10), 0), MAX_NUM)
    start = max(_int_param(call, "start", 1), 1)
    fields, words = _clauses(query)
    found = [
        item for item in portal.items if item.visible_to(user) and _matches(item, fields, words)
    ]
    sort_field = (call.params.get("sortField") or "").strip().lower()
    if sort_field in ("title", "created", "modified"):
        key = "title" if sort_field == "title" else "created"
        found.sort(key=lambda item: getattr(item, key))
        if (call.params.get("sortOrder") or "").lower() == "desc":
            found.reverse()
    page = found[start - 1 : start - 1 + num]
    after = start + len(page)
    return {
        "query": query,
        "total": len(found),
        "start": start,
        "num": num,
        "nextStart": after if page and after <= len(found) else -1,
        "results": [item.to_json(call) for item in page],
    }
