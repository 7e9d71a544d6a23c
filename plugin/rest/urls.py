"""Read any ArcGIS REST URL a user pastes, and resolve the relative URLs servers send.

Users paste whatever their browser shows: the services directory, a folder, a
GPServer, one task, a job page, with ``?f=pjson``, a trailing slash, ``%20`` or a
raw space in a task name, under any web-adaptor name (``/arcgis``, ``/server``,
``/gis`` ... or none). :func:`parse_server_url` turns all of them into one typed
:class:`ServerUrl`, so the rest of the code never splits URLs by hand.

Servers, for their part, send result URLs relative to their context
(``/rest/directories/...``) and ``paramUrl`` values relative to the job
(``" inputs/thread_count"``, leading space included); :func:`resolve_url` makes
them absolute.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import quote, unquote, urljoin, urlsplit, urlunsplit

from .errors import InvalidUrlError, redact_url

#: Service types as ArcGIS spells them (matching is case-insensitive).
SERVICE_TYPES = (
    "GPServer",
    "MapServer",
    "FeatureServer",
    "ImageServer",
    "GeometryServer",
    "GeocodeServer",
    "GeoDataServer",
    "GlobeServer",
    "NAServer",
    "SceneServer",
    "StreamServer",
    "VectorTileServer",
    "MobileServer",
    "SchematicsServer",
    "UtilityNetworkServer",
    "VersionManagementServer",
    "KnowledgeGraphServer",
    "ParcelFabricServer",
    "WorkflowManagerServer",
    "WFSServer",
    "WMSServer",
    "WCSServer",
    "KmlServer",
)
_TYPES_BY_LOWER = {name.lower(): name for name in SERVICE_TYPES}
_GENERIC_TYPE = re.compile(r"^[A-Za-z]+Server$")
_SERVICES_MARKER = re.compile(r"/rest/services(?=/|$)", re.IGNORECASE)
_REST_MARKER = re.compile(r"/rest(?=/|$)", re.IGNORECASE)
#: RFC 3986 path characters that need no escaping (space, ``%``, ``#``, ``?`` do).
_PATH_SAFE = "!$&'()*+,;=:@-._~"


def quote_segment(segment: str) -> str:
    """Escape one path segment (task names hold spaces; ``/`` must not split them)."""
    return quote(segment, safe=_PATH_SAFE)


@dataclass(frozen=True)
class ServerUrl:
    """A parsed ArcGIS REST services URL; every part optional below ``services_url``."""

    #: ``https://host[:port]/<context>/rest/services`` (no trailing slash).
    services_url: str
    folder: str | None = None
    service_name: str | None = None
    service_type: str | None = None
    task_name: str | None = None
    job_id: str | None = None

    @property
    def kind(self) -> str:
        """``"root"``, ``"folder"``, ``"service"``, ``"task"`` or ``"job"``."""
        if self.job_id:
            return "job"
        if self.task_name:
            return "task"
        if self.service_name:
            return "service"
        if self.folder:
            return "folder"
        return "root"

    @property
    def origin(self) -> str:
        """``scheme://host[:port]``: where absolute paths such as ``/arcgis/...`` resolve."""
        parts = urlsplit(self.services_url)
        return f"{parts.scheme}://{parts.netloc}"

    @property
    def context_url(self) -> str:
        """The web adaptor / site root (``https://host/arcgis``), where ``/rest/...`` resolves."""
        return _SERVICES_MARKER.split(self.services_url, maxsplit=1)[0]

    @property
    def rest_url(self) -> str:
        """``https://host/arcgis/rest``."""
        return self.context_url + "/rest"

    @property
    def info_url(self) -> str:
        """``/rest/info``: version and ``authInfo.tokenServicesUrl``."""
        return self.rest_url + "/info"

    @property
    def service_path(self) -> str | None:
        """``Folder/Service`` or ``Service``: the name the services directory lists."""
        if not self.service_name:
            return None
        return f"{self.folder}/{self.service_name}" if self.folder else self.service_name

    @property
    def folder_url(self) -> str:
        """The folder's URL, or the services root when there is no folder."""
        if not self.folder:
            return self.services_url
        return self.services_url + "/" + "/".join(quote_segment(p) for p in self.folder.split("/"))

    @property
    def service_url(self) -> str:
        """``.../Folder/Service/GPServer``; :class:`InvalidUrlError` when no service is named."""
        if not self.service_name or not self.service_type:
            raise InvalidUrlError("the URL names no service", url=self.services_url)
        return f"{self.folder_url}/{quote_segment(self.service_name)}/{self.service_type}"

    @property
    def task_url(self) -> str:
        """``.../GPServer/<task>`` with the task name escaped."""
        if not self.task_name:
            raise InvalidUrlError("the URL names no task", url=self.services_url)
        return f"{self.service_url}/{quote_segment(self.task_name)}"

    @property
    def job_url(self) -> str:
        """``.../GPServer/<task>/jobs/<jobId>``."""
        if not self.job_id:
            raise InvalidUrlError("the URL names no job", url=self.services_url)
        return f"{self.task_url}/jobs/{quote_segment(self.job_id)}"

    @property
    def url(self) -> str:
        """The most specific URL this object names."""
        kind = self.kind
        if kind == "job":
            return self.job_url
        if kind == "task":
            return self.task_url
        if kind == "service":
            return self.service_url
        return self.folder_url

    def with_service(self, service_path: str, service_type: str = "GPServer") -> ServerUrl:
        """The same server, another service given as ``Folder/Service`` or ``Service``."""
        folder, _, name = service_path.strip("/").rpartition("/")
        return ServerUrl(self.services_url, folder or None, name, _canonical_type(service_type))

    def with_task(self, task_name: str) -> ServerUrl:
        """This service, one of its tasks."""
        return ServerUrl(
            self.services_url, self.folder, self.service_name, self.service_type, task_name
        )

    def resolve(self, url: str, base: str | None = None) -> str:
        """Shortcut for :func:`resolve_url` against this server."""
        return resolve_url(url, self, base)


def _canonical_type(segment: str) -> str:
    return _TYPES_BY_LOWER.get(segment.lower(), segment)


def _is_service_type(segment: str, index: int) -> bool:
    if segment.lower() in _TYPES_BY_LOWER:
        return True
    # Unknown newer types ("FooServer"), but never the first segment: that is a folder.
    return index > 0 and bool(_GENERIC_TYPE.match(segment))


def parse_server_url(url: str) -> ServerUrl:
    """Parse a services root, folder, service, task or job URL in any form users paste.

    A URL without ``/rest/services`` is taken as the site root (``https://host/arcgis``
    or ``.../arcgis/rest``) and gets it appended.
    """
    if not isinstance(url, str) or not url.strip():
        raise InvalidUrlError("an empty URL was given")
    text = url.strip()
    if "://" not in text:
        raise InvalidUrlError("the URL must start with http:// or https://", url=redact_url(text))
    try:
        parts = urlsplit(text)
    except ValueError as error:
        raise InvalidUrlError(str(error), url=redact_url(text)) from None
    if parts.scheme.lower() not in ("http", "https") or not parts.hostname:
        raise InvalidUrlError("the URL must start with http:// or https://", url=redact_url(text))
    path = re.sub(r"/{2,}", "/", parts.path)
    marker = _SERVICES_MARKER.search(path)
    if marker is None:
        rest = _REST_MARKER.search(path)
        context = path[: rest.start()] if rest else path.rstrip("/")
        services_path = context + "/rest/services"
        tail = ""
    else:
        services_path = path[: marker.end()]
        tail = path[marker.end() :]
    # User info ("user:password@") never stays in a URL we keep, log or show.
    netloc = parts.netloc.rsplit("@", 1)[-1]
    services_url = urlunsplit((parts.scheme.lower(), netloc, services_path, "", ""))
    segments = [unquote(s) for s in tail.split("/") if s.strip()]
    return _from_segments(services_url, segments, text)


def _type_index(segments: list[str]) -> int | None:
    """Where the service type is: the first segment that looks like one, unless the
    next segment is a known type too (``Tools/ReportServer/GPServer``,
    ``PrintServer/GPServer``: a service may be named "...Server")."""
    for index, segment in enumerate(segments):
        if not _is_service_type(segment, index):
            continue
        following = segments[index + 1] if index + 1 < len(segments) else ""
        if following.lower() in _TYPES_BY_LOWER and segment.lower() != "gpserver":
            continue  # a service named like a type, followed by its real type
        return index
    return None


def _from_segments(services_url: str, segments: list[str], original: str) -> ServerUrl:
    type_index = _type_index(segments)
    if type_index is None:
        folder = "/".join(segments) or None
        return ServerUrl(services_url, folder)
    if type_index == 0:
        raise InvalidUrlError(
            f"'{segments[0]}' must follow a service name", url=redact_url(original)
        )
    name = segments[type_index - 1]
    folder = "/".join(segments[: type_index - 1]) or None
    service_type = _canonical_type(segments[type_index])
    after = segments[type_index + 1 :]
    task_name = job_id = None
    # Anything after the task other than ``jobs/<id>`` (``execute``, ``submitJob``)
    # is an operation, not part of what the URL names.
    if service_type == "GPServer" and after and after[0].lower() not in ("uploads", "jobs"):
        task_name = after[0]
        if len(after) >= 3 and after[1].lower() == "jobs":
            job_id = after[2]
    return ServerUrl(services_url, folder, name, service_type, task_name, job_id)


def join_url(base: str, *segments: str) -> str:
    """``base`` + escaped path segments (each may hold spaces, dots or slashes in names)."""
    base = base.rstrip("/")
    return "/".join([base, *(quote_segment(s) for s in segments)])


def resolve_url(url: str, server: ServerUrl, base: str | None = None) -> str:
    """Make a URL the server sent absolute.

    - ``https://...``: unchanged;
    - ``/rest/...``: relative to the site context (``https://host/arcgis/rest/...``);
    - any other ``/path``: relative to the host (``/arcgis/rest/directories/...``);
    - ``inputs/x`` (a ``paramUrl``, maybe with stray spaces): relative to ``base``
      (the job URL), else to the services root.
    """
    text = (url or "").strip()
    if not text:
        raise InvalidUrlError("an empty URL cannot be resolved", url=base)
    if re.match(r"^[A-Za-z][A-Za-z0-9+.-]*://", text):
        return text
    if text.startswith("//"):
        return urlsplit(server.services_url).scheme + ":" + text
    if text.startswith("/"):
        if re.match(r"^/rest(/|$)", text, re.IGNORECASE):
            return server.context_url + text
        return server.origin + text
    anchor = (base or server.services_url).rstrip("/") + "/"
    return urljoin(anchor, text)
