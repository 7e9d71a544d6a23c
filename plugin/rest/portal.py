"""ArcGIS portals (Enterprise and ArcGIS Online): their GP services as one catalog.

A connection URL may be a portal (``https://host/portal``, ``https://<org>.maps.arcgis.com``,
``https://www.arcgis.com``). :func:`probe_kind` tells a portal from a server by asking it
(``<url>/sharing/rest/info`` answers ``authInfo``/``owningSystemUrl`` on a portal), never
by the words of the URL. :func:`crawl_portal` then lists:

- the GP services shared with the user: a search for items of type "Geoprocessing
  Service" (web tools carry the type keyword "Web Tool"), POSTed with the token in the
  form or header, every page followed through ``nextStart`` until it is -1; the search
  is fuzzy, so results are kept only when their ``type`` is exactly that;
- the portal's ready-to-use GP services: the ``helperServices`` of ``portals/self`` whose
  URLs are GP services (objects or arrays; a service URL lists every task, a task URL
  that task only, since the portal names it for one job and its service may hold
  utilities of other helpers). Helpers that are not GP (NAServer, GeocodeServer,
  GeometryServer, ImageServer ...) and the printing task (it needs a web map that only a
  map viewer makes) are not listed.

Each service is crawled on the server that hosts it (:func:`.catalog.crawl_catalog`,
through a client for that server, so a federated server gets a token of its own) and
named by its service path there, so an algorithm id never changes when an item is
renamed; the item's title (or the helper's name) is only its group label.

The portal's logins are :class:`.auth.GenerateTokenProvider`'s: a Basic login goes to
the portal's ``generateToken`` that ``sharing/rest/info`` names.
"""

from __future__ import annotations

import logging
import re
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, replace
from typing import TYPE_CHECKING, Any
from urllib.parse import urlsplit

from .catalog import Catalog, ServiceFailure, crawl_catalog
from .descriptions import GPService, GPTask
from .errors import ArcGisConnectionError, ArcGisError, ArcGisInvalidResponseError
from .logins import GenerateTokenProvider
from .urls import parse_server_url

if TYPE_CHECKING:
    from .client import GPClient
    from .transport import Transport

LOG = logging.getLogger(__name__)

SERVER = "server"
PORTAL = "portal"
#: The item type of GP services and web tools.
GP_ITEM_TYPE = "Geoprocessing Service"
SEARCH_QUERY = f'type:"{GP_ITEM_TYPE}"'
#: A portal answers at most 100 results a page.
PAGE_SIZE = 100
#: A bound on pages (10,000 items), so a portal whose ``nextStart`` never ends stays finite.
MAX_PAGES = 100
#: Services crawled at once (each crawl reads its tasks concurrently too).
CRAWL_WORKERS = 8
#: Helpers whose GP service is no tool for a user: ``printTask`` exports a web map JSON
#: that only a map viewer produces.
SKIPPED_HELPERS = frozenset({"printTask"})
#: Readable group names of the helpers Esri documents (others: their key in words).
HELPER_LABELS = {
    "analysis": "Spatial analysis",
    "asyncClosestFacility": "Routing: closest facility",
    "asyncElevation": "Elevation",
    "asyncLocationAllocation": "Routing: location-allocation",
    "asyncODCostMatrix": "Routing: origin-destination cost matrix",
    "asyncRoute": "Routing: routes",
    "asyncServiceArea": "Routing: service areas",
    "asyncVRP": "Routing: vehicle routing",
    "elevation": "Elevation",
    "elevationSync": "Elevation (synchronous)",
    "hydrology": "Hydrology",
    "orthoMapping": "Ortho mapping",
    "packaging": "Packaging",
    "rasterAnalytics": "Raster analysis",
    "syncVRP": "Routing: vehicle routing (synchronous)",
}
_GP_URL = re.compile(r"/GPServer(?:/(?P<task>[^/?#]+))?/*(?:[?#].*)?$", re.IGNORECASE)


@dataclass(frozen=True)
class GPSource:
    """A GP service a portal names: where it is, which tasks, and its group label."""

    service_url: str
    #: ``None``: every task of the service; else only these.
    tasks: frozenset[str] | None
    label: str


def portal_url(url: str) -> str:
    """The portal's root from what a user pastes (``…/sharing/rest…``, ``…/home/…`` and
    queries dropped), e.g. ``https://host/portal``."""
    parts = urlsplit(url.strip())
    path = re.split(r"/(?:sharing|home|apps)(?:/|$)", parts.path, maxsplit=1, flags=re.IGNORECASE)
    return f"{parts.scheme.lower()}://{parts.netloc.rsplit('@', 1)[-1]}{path[0].rstrip('/')}"


def _names_rest_path(url: str) -> bool:
    """A URL into ``…/rest/…`` (services directory, folder, service): a server's by the
    REST API's own structure; a bare site root must be asked."""
    return re.search(r"/rest(?:/|$)", urlsplit(url).path, re.IGNORECASE) is not None


def probe_kind(transport: Transport, url: str) -> str:
    """``"portal"`` or ``"server"``: asks ``<url>/sharing/rest/info`` (anonymous).

    A portal answers JSON with ``authInfo`` or ``owningSystemUrl``; a server answers 404
    or a page. An unreachable host raises (nothing is known; a caller keeps its cache).
    """
    if _names_rest_path(portal_url(url)):
        return SERVER
    try:
        info = transport.get_json(
            portal_url(url) + "/sharing/rest/info", {"f": "json"}, authenticate=False
        )
    except ArcGisConnectionError:
        raise
    except ArcGisError:
        return SERVER
    if isinstance(info, Mapping) and ("authInfo" in info or "owningSystemUrl" in info):
        return PORTAL
    return SERVER


class PortalClient:
    """The sharing API of one portal, over a :class:`~.client.GPClient`'s transport (its
    session, proxy, TLS settings and login)."""

    def __init__(self, client: GPClient, url: str) -> None:
        self.transport = client.transport
        self.url = portal_url(url)
        self.sharing_url = self.url + "/sharing/rest"
        self._info: Mapping[str, Any] | None = None
        self._lock = threading.Lock()

    def info(self) -> Mapping[str, Any]:
        """``sharing/rest/info`` (anonymous); names the token service a login goes to."""
        with self._lock:
            if self._info is None:
                self._info = self.transport.get_json(
                    self.sharing_url + "/info", {"f": "json"}, authenticate=False
                )
                self._adopt_token_service(self._info)
            return self._info

    def _adopt_token_service(self, info: Mapping[str, Any]) -> None:
        """A Basic login (username and password) goes to the portal's ``generateToken``:
        a portal has no ``/rest/info`` for the provider to find it in."""
        auth = self.transport.auth
        if isinstance(auth, GenerateTokenProvider) and not auth.token_url:
            auth_info = info.get("authInfo") if isinstance(info, Mapping) else None
            url = auth_info.get("tokenServicesUrl") if isinstance(auth_info, Mapping) else None
            auth.token_url = (
                url.strip()
                if isinstance(url, str) and url.strip()
                else self.sharing_url + "/generateToken"
            )

    def portal_self(self) -> dict[str, Any]:
        """``portals/self``: the portal's settings, ``helperServices``, and ``user`` when
        signed in (the token goes in a header)."""
        self.info()
        return self.transport.get_json(self.sharing_url + "/portals/self", {"f": "json"})

    def search_pages(self, query: str = SEARCH_QUERY) -> Iterator[list[dict[str, Any]]]:
        """Every page of a search (POST: the token in the form, never in the URL)."""
        self.info()
        start = 1
        for _ in range(MAX_PAGES):
            page = self.transport.post_json(
                self.sharing_url + "/search",
                {
                    "q": query,
                    "num": str(PAGE_SIZE),
                    "start": str(start),
                    "sortField": "created",
                    "sortOrder": "asc",
                    "f": "json",
                },
                idempotent=True,
            )
            results = page.get("results")
            if not isinstance(results, list):
                raise ArcGisInvalidResponseError(
                    "the portal's search answer has no results", url=self.sharing_url + "/search"
                )
            yield [item for item in results if isinstance(item, dict)]
            after = page.get("nextStart")
            if not isinstance(after, int) or isinstance(after, bool) or after <= start:
                return  # -1 on the last page (and never backwards)
            start = after

    def gp_items(self, portal_self: Mapping[str, Any]) -> list[dict[str, Any]]:
        """Every item of type "Geoprocessing Service" of the organisation the user sees."""
        query = search_query(portal_self)
        if query is None:
            return []
        return [item for page in self.search_pages(query) for item in gp_service_items(page)]


def search_query(portal_self: Mapping[str, Any]) -> str | None:
    """The search for GP service items, kept to the organisation on ArcGIS Online.

    An Enterprise portal (``portalMode`` singletenant) holds one organisation's content:
    all of it is searched (the portal shows each user what is shared with them). ArcGIS
    Online (multitenant) holds every organisation's public content, thousands of GP
    services: the search keeps to the organisation of the URL or of the signed-in user
    (``orgid``), and without one (anonymous at www.arcgis.com) nothing is searched.
    """
    if str(portal_self.get("portalMode") or "").lower() != "multitenant":
        return SEARCH_QUERY
    user = portal_self.get("user")
    org = portal_self.get("id") or (user.get("orgId") if isinstance(user, Mapping) else None)
    if not isinstance(org, str) or not org.strip():
        return None
    return f"{SEARCH_QUERY} AND orgid:{org.strip()}"


def gp_service_items(results: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The results whose ``type`` is exactly "Geoprocessing Service": a portal's search is
    fuzzy, and answers a "Map Service" or a "Geoprocessing Package" whose words match."""
    return [item for item in results if item.get("type") == GP_ITEM_TYPE]


def _gp_url(url: Any) -> tuple[str, str | None] | None:
    """``(service URL, task or None)`` of a GP service or task URL, else ``None``."""
    if not isinstance(url, str) or not url.strip():
        return None
    try:
        parsed = parse_server_url(url.strip())
    except ArcGisError:
        return None
    if parsed.service_type != "GPServer" or not parsed.service_name:
        return None
    return parsed.service_url, parsed.task_name


def helper_label(key: str) -> str:
    """A readable group name for a helper (``asyncServiceArea`` -> ``Routing: service
    areas``; an unknown ``fooBar`` -> ``Foo bar``)."""
    if key in HELPER_LABELS:
        return HELPER_LABELS[key]
    words = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", " ", key).strip().lower()
    return words[:1].upper() + words[1:] if words else key


def helper_sources(helper_services: Any) -> list[GPSource]:
    """The ``helperServices`` entries that are GP services (values objects or arrays)."""
    sources = []
    if not isinstance(helper_services, Mapping):
        return sources
    for key, value in helper_services.items():
        if key in SKIPPED_HELPERS:
            continue
        for entry in value if isinstance(value, list) else [value]:
            found = _gp_url(entry.get("url")) if isinstance(entry, Mapping) else None
            if found is not None:
                service, task = found
                tasks = frozenset({task}) if task else None
                sources.append(GPSource(service, tasks, helper_label(str(key))))
    return sources


def item_sources(items: list[Mapping[str, Any]]) -> list[GPSource]:
    """GP service items with a GP ``url``, each under its title."""
    sources = []
    for item in items:
        found = _gp_url(item.get("url"))
        if found is None:
            LOG.info("portal item %s has no GP service URL; skipped", item.get("id"))
            continue
        service, task = found
        title = str(item.get("title") or item.get("name") or item.get("id") or service)
        sources.append(GPSource(service, frozenset({task}) if task else None, title.strip()))
    return sources


def merge_sources(sources: list[GPSource]) -> list[GPSource]:
    """One source per service: tasks united (all wins), the first label kept (items come
    first, so an item's title wins over a helper's name)."""
    merged: dict[str, GPSource] = {}
    for source in sources:
        key = source.service_url.lower()
        known = merged.get(key)
        if known is None:
            merged[key] = source
        elif known.tasks is not None:
            tasks = None if source.tasks is None else known.tasks | source.tasks
            merged[key] = replace(known, tasks=tasks)
    return list(merged.values())


def _crawl_source(client: GPClient, source: GPSource) -> Catalog:
    if source.tasks is None:
        return crawl_catalog(client, source.service_url, max_workers=min(client.pool_size, 8))
    parts = [crawl_catalog(client, f"{source.service_url}/{task}") for task in sorted(source.tasks)]
    first = parts[0]
    return Catalog(
        url=source.service_url,
        services=first.services,
        tasks=[task for part in parts for task in part.tasks],
        failures=[failure for part in parts for failure in part.failures],
    )


def _server_key(service_url: str) -> str:
    """The host of a service's server, for paths that two servers share."""
    parts = urlsplit(service_url)
    return parts.hostname or parts.netloc


def crawl_portal(
    portal: PortalClient,
    client_for_url: Callable[[str], GPClient],
    *,
    max_workers: int = CRAWL_WORKERS,
) -> Catalog:
    """Every GP service the portal shares with the user and every GP helper service.

    ``client_for_url(service_url)`` gives the client of the server hosting a service. A
    service that cannot be read is a failure of the catalog, never fatal; a portal that
    cannot be read or searched is (a caller keeps its cache).
    """
    portal_self = portal.portal_self()
    sources = merge_sources(
        item_sources(portal.gp_items(portal_self))
        + helper_sources(portal_self.get("helperServices"))
    )
    failures: list[ServiceFailure] = []
    crawled: list[tuple[GPSource, Catalog]] = []
    with ThreadPoolExecutor(max(1, max_workers), thread_name_prefix="gp-portal") as pool:
        futures = [
            (source, pool.submit(_crawl_source, client_for_url(source.service_url), source))
            for source in sources
        ]
        for source, future in futures:
            try:
                crawled.append((source, future.result()))
            except ArcGisError as error:
                failures.append(ServiceFailure(source.label, source.service_url, str(error)))
    return _assemble(portal.url, crawled, failures)


def _assemble(
    url: str, crawled: list[tuple[GPSource, Catalog]], failures: list[ServiceFailure]
) -> Catalog:
    """One catalog; a service path that two servers share gets its server's host in front."""
    by_path: dict[str, set[str]] = {}
    for _, catalog in crawled:
        for service in catalog.services:
            by_path.setdefault(service.path.lower(), set()).add(service.url.lower())
    services: list[GPService] = []
    tasks: list[GPTask] = []
    for source, catalog in crawled:
        for service in catalog.services:
            path = service.path
            if len(by_path[path.lower()]) > 1:
                path = f"{_server_key(service.url)}/{path}"
            services.append(replace(service, path=path, label=source.label))
            tasks.extend(
                replace(task, service_path=path)
                for task in catalog.tasks
                if task.service_path == service.path
            )
        failures.extend(catalog.failures)
    services.sort(key=lambda s: (s.label.lower(), s.path.lower()))
    return Catalog(
        url=url,
        services=services,
        tasks=tasks,
        failures=sorted(failures, key=lambda f: (f.path.lower(), f.task or "")),
        created=time.time(),
        kind=PORTAL,
    )


def crawl_connection(
    client: GPClient,
    url: str,
    client_for_url: Callable[[str], GPClient],
    kind: str | None = None,
) -> Catalog:
    """A connection's catalog, whether its URL is a server's or a portal's.

    ``kind`` is what an earlier crawl found (from the cache); ``None`` asks the URL.
    """
    if kind is None:
        kind = probe_kind(client.transport, url)
    if kind == PORTAL:
        return crawl_portal(PortalClient(client, url), client_for_url)
    return crawl_catalog(client, url)
