"""The user's existing QGIS "ArcGIS REST Server" connections, offered for import.

QGIS keeps them in two layouts:
- up to 3.28: ``qgis/connections-arcgisfeatureserver/<name>/url`` (and the older
  ``connections-arcgismapserver``), the referer as ``…/referer`` or
  ``…/http-header/referer``, the authentication under ``qgis/ARCGISFEATURESERVER/<name>/``;
- 3.30 and later: ``connections/arcgisfeatureserver/items/<name>/`` with ``url``,
  ``authcfg`` and an ``http-header`` map holding ``referer``.

A connection whose URL is not an ArcGIS Server services URL (a portal's ``…/sharing/rest``,
``https://<org>.maps.arcgis.com``), or that names a portal's community endpoint, becomes a
portal connection (the portal's root URL); whether it is one is asked at its first crawl,
as for any pasted URL. Only the URL, the authcfg id and the referer are taken. A username
and password that
QGIS stored in plain settings are *not* copied (this plugin keeps no secret in
settings); the candidate says so, and the user picks an authentication configuration.
"""

from __future__ import annotations

from dataclasses import dataclass

from qgis.core import QgsSettings

from ..rest.errors import InvalidUrlError
from ..rest.portal import portal_url
from ..rest.urls import parse_server_url
from .connection import Connection, slug

OLD_GROUPS = ("qgis/connections-arcgisfeatureserver", "qgis/connections-arcgismapserver")
OLD_AUTH_GROUP = "qgis/ARCGISFEATURESERVER"
NEW_GROUP = "connections/arcgisfeatureserver/items"


@dataclass(frozen=True)
class ImportCandidate:
    """A QGIS connection as it would be imported, and what the user should know."""

    connection: Connection
    note: str = ""


def _text(settings: QgsSettings, key: str) -> str:
    value = settings.value(key, "")
    return str(value).strip() if value is not None else ""


def _services_url(url: str) -> str:
    """GP tasks live beside map and feature services: keep the folder, drop the service."""
    if "/rest/services" not in url.lower():
        raise InvalidUrlError("not an ArcGIS Server services URL (a portal?)", url=url)
    parsed = parse_server_url(url)
    if parsed.service_type == "GPServer":
        return parsed.url
    if parsed.folder:
        return f"{parsed.services_url}/{parsed.folder}"
    return parsed.services_url


def _portal_root(url: str, community_endpoint: str) -> str | None:
    """A portal's root from a QGIS connection that is not a services URL: its community
    endpoint (``…/portal/sharing/rest/community/``) or its own URL; None if neither is
    an http(s) URL with a host."""
    for candidate in (community_endpoint, url):
        if candidate.lower().startswith(("https://", "http://")):
            root = portal_url(candidate)
            if root.split("://", 1)[1]:
                return root
    return None


def _candidate(
    name: str,
    url: str,
    authcfg: str,
    referer: str,
    has_password: bool,
    *,
    community_endpoint: str = "",
) -> ImportCandidate | None:
    try:
        services_url = _services_url(url)
    except InvalidUrlError:
        root = _portal_root(url, community_endpoint)
        if root is None:
            return None  # no URL a crawl could start from
        services_url = root
    note = ""
    if has_password and not authcfg:
        note = (
            "QGIS stored a username and password for this connection in its settings; they "
            "are not copied: choose an authentication configuration for it."
        )
    return ImportCandidate(
        Connection(name=name, url=services_url, authcfg=authcfg, referer=referer, source="QGIS"),
        note,
    )


def _from_old_layout(settings: QgsSettings) -> list[ImportCandidate]:
    found = []
    for group in OLD_GROUPS:
        settings.beginGroup(group)
        names = settings.childGroups()
        settings.endGroup()
        for name in names:
            base = f"{group}/{name}"
            auth = f"{OLD_AUTH_GROUP}/{name}"
            candidate = _candidate(
                name,
                _text(settings, f"{base}/url"),
                _text(settings, f"{auth}/authcfg"),
                _text(settings, f"{base}/http-header/referer")
                or _text(settings, f"{base}/referer"),
                bool(_text(settings, f"{auth}/password")),
                community_endpoint=_text(settings, f"{base}/community_endpoint"),
            )
            if candidate is not None:
                found.append(candidate)
    return found


def _from_new_layout(settings: QgsSettings) -> list[ImportCandidate]:
    settings.beginGroup(NEW_GROUP)
    names = settings.childGroups()
    settings.endGroup()
    found = []
    for name in names:
        base = f"{NEW_GROUP}/{name}"
        headers = settings.value(f"{base}/http-header", {})
        referer = str(headers.get("referer", "")) if isinstance(headers, dict) else ""
        candidate = _candidate(
            name,
            _text(settings, f"{base}/url"),
            _text(settings, f"{base}/authcfg"),
            referer.strip() or _text(settings, f"{base}/http-header/referer"),
            bool(_text(settings, f"{base}/password")),
            community_endpoint=_text(settings, f"{base}/community-endpoint"),
        )
        if candidate is not None:
            found.append(candidate)
    return found


def qgis_arcgis_connections(settings: QgsSettings | None = None) -> list[ImportCandidate]:
    """QGIS's ArcGIS REST connections from both layouts (the newer one wins on a name)."""
    settings = settings or QgsSettings()
    by_slug: dict[str, ImportCandidate] = {}
    for candidate in (*_from_old_layout(settings), *_from_new_layout(settings)):
        if candidate.connection.url.strip():
            by_slug[slug(candidate.connection.name)] = candidate
    return sorted(by_slug.values(), key=lambda c: c.connection.name.lower())
