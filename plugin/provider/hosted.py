"""What ArcGIS's ready-to-use services need from a client: hosted layers in and out.

Esri's analysis services (Spatial Analysis, Raster Analysis, the Elevation and Hydrology
services of ArcGIS Online) read their feature inputs from a hosted layer's URL, with a
token for a secured one (``{"url", "filter", "serviceToken"}``), and write their results
as a hosted layer in the user's content when given a name for it (``outputName``, or
``esri_out_feature_service_name`` on the Elevation and Hydrology services). This module
decides which hosts get the connection's token, gives the token, and encodes the name.
"""

from __future__ import annotations

import json
from urllib.parse import urlsplit

from qgis.core import QgsProcessingParameterDefinition

from ..connections.clients import client_for
from ..connections.connection import Connection
from ..gptypes.compat import FLAG_OPTIONAL
from ..gptypes.service_layers import ServiceAccess
from ..i18n import translate
from ..rest.descriptions import GPParameter, GPService
from ..rest.errors import ArcGisError
from ..rest.logins import bearer_header, is_arcgis_online_host

#: GP string inputs that name the hosted layer a ready-to-use service creates, lowercase.
OUTPUT_NAME = "outputname"
FEATURE_SERVICE_NAME = "esri_out_feature_service_name"

#: Services whose ``outputName`` is JSON (``{"serviceProperties": {"name": …}}``), by the
#: last part of their path: ArcGIS Online's analysis service (``…/services/tasks``) and
#: ArcGIS Enterprise's Spatial, Raster and GeoAnalytics tools.
_JSON_NAME_SERVICES = frozenset(
    {"tasks", "spatialanalysistools", "rasteranalysistools", "geoanalyticstools"}
)


def _host(url: str) -> str:
    return urlsplit(url).netloc.lower()


def login_hosts(connection: Connection, urls: list[str]) -> frozenset[str]:
    """Hosts the connection logs in to: its own and those of its services (``urls``)."""
    return frozenset({_host(connection.url), *(_host(url) for url in urls)} - {""})


def logs_in_to(hosts: frozenset[str], url: str) -> bool:
    """Whether ``url`` is on a host the connection logs in to. ArcGIS Online's hosted
    layers (``services<N>.arcgis.com``) take an ArcGIS Online login as it is."""
    host = _host(url)
    if not host:
        return False
    if host in hosts:
        return True
    return is_arcgis_online_host(host) and any(is_arcgis_online_host(h) for h in hosts)


def service_token(connection: Connection, hosts: frozenset[str], url: str) -> str | None:
    """The token the connection holds for the server of ``url`` (the GP server reads the
    layer with it), or None: not a host the connection logs in to, or no login."""
    if not logs_in_to(hosts, url):
        return None
    try:
        client = client_for(connection, url)
        transport = client.transport
        token = transport.auth.token(transport.token_site)
        bearer = bearer_header(transport.auth.headers(transport.token_site))
        return token or (bearer[1] if bearer else None)
    except ArcGisError:
        return None  # no token for it: the features are sent instead


def service_access(connection: Connection, hosts: frozenset[str]) -> ServiceAccess:
    """The connection's auth configuration for QGIS providers, on all its hosts."""
    return ServiceAccess(
        authcfg=connection.authcfg or "", referer=connection.referer or "", hosts=hosts
    )


def is_output_name(param: GPParameter) -> bool:
    """A string input naming the hosted layer the service creates in the user's content."""
    return param.base_type in ("GPString",) and param.name.lower() in (
        OUTPUT_NAME,
        FEATURE_SERVICE_NAME,
    )


def offer_hosted_output(definition: QgsProcessingParameterDefinition) -> None:
    """An output name is an option: optional, with help that says what it does."""
    definition.setFlags(definition.flags() | FLAG_OPTIONAL)
    own = definition.help()
    definition.setHelp(output_name_help() + (f"\n\n{own}" if own else ""))


def output_name_help() -> str:
    return translate("Hosted", "Optional: create a hosted layer in your content with this "
        "name. The service writes its result there (it must not exist yet), and the layer "
        "is loaded from its URL after the run. Empty: the result comes back as data.")  # fmt: skip


def encode_output_name(service: GPService, param: GPParameter, value: str) -> str:
    """The name as the service reads it: JSON ``{"serviceProperties": {"name": …}}`` for
    the analysis services' ``outputName``, the plain name otherwise. A value already
    JSON (``{"itemProperties": …}`` to overwrite an item) goes as it is."""
    text = value.strip()
    if text.startswith("{") or param.name.lower() != OUTPUT_NAME:
        return text
    if service.path.rsplit("/", 1)[-1].lower() not in _JSON_NAME_SERVICES:
        return text
    return json.dumps({"serviceProperties": {"name": text}})
