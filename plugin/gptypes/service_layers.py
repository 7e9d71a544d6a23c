"""ArcGIS service layers that GP values point to, in both directions.

A GP result may be a service rather than data: an image service
(``{"url": …/ImageServer, "type": "ImageService"}``) or a hosted feature layer
(``{"url": …/FeatureServer/0}``). A GP input may likewise name a map or feature service
layer, with an optional where clause, for the server to read itself
(``{"url", "filter"}``) instead of the client downloading and re-sending its features.
QGIS's own ``arcgismapserver`` provider draws image and map services, so nothing here
renders anything: it only builds data sources and recognises service layer URLs.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Callable
from urllib.parse import parse_qsl, urlsplit, urlunsplit

from qgis.core import QgsDataSourceUri, QgsMapLayer, QgsRasterLayer

#: ``…/FeatureServer/<id>`` or ``…/MapServer/<id>``: one layer of a service.
_LAYER_URL = re.compile(r"/(FeatureServer|MapServer)/\d+/?$", re.IGNORECASE)

#: Pages (FeatureSet readers) of every feature of a service layer URL.
LayerPages = Callable[[str], Iterator[Any]]


@dataclass(frozen=True)
class ServiceAccess:
    """How to reach the connection's servers from a QGIS data provider.

    The connection's auth configuration is applied only to URLs on a host the connection
    logs in to (its own, and for a portal the servers of its services): a result may point
    at another server, which must not receive its credentials.
    """

    authcfg: str = ""
    referer: str = ""
    #: The hosts (``netloc``, lower case) the connection logs in to.
    hosts: frozenset[str] = frozenset()

    def applies_to(self, url: str) -> bool:
        return urlsplit(url).netloc.lower() in self.hosts


def arcgis_map_layer_uri(url: str, access: ServiceAccess, crs_authid: str = "") -> str:
    """The ``arcgismapserver`` data source of a map or image service URL."""
    params = {"format": "png", **({"crs": crs_authid} if crs_authid else {})}
    return _service_uri(url, access, params)


def image_service_layer(url: str, name: str, access: ServiceAccess) -> QgsRasterLayer:
    """An image service result as a layer QGIS draws through ``exportImage``."""
    return QgsRasterLayer(arcgis_map_layer_uri(url, access), name, "arcgismapserver")


def split_layer_url(text: str) -> tuple[str, str] | None:
    """``(layer URL, where clause)`` when ``text`` is a map/feature service layer URL.

    A ``where`` in the URL's query becomes the filter (``…/FeatureServer/0?where=POP>10``),
    so a user can type one string in a script or the dialog's text box.
    """
    if not text.lower().startswith(("http://", "https://")):
        return None
    parts = urlsplit(text.strip())
    if not _LAYER_URL.search(parts.path):
        return None
    where = next((v for k, v in parse_qsl(parts.query) if k.lower() == "where"), "")
    return urlunsplit((parts.scheme, parts.netloc, parts.path.rstrip("/"), "", "")), where


@dataclass(frozen=True)
class LayerReference:
    """A map/feature service layer the GP server reads itself, instead of its features.

    ``secured``: QGIS reaches the layer with credentials (an auth configuration or a
    user name), so the GP server needs a token for it (``serviceToken``) or cannot read it.
    """

    url: str
    where: str = ""
    secured: bool = False


def feature_service_reference(layer: QgsMapLayer) -> LayerReference | None:
    """The layer URL and filter of a QGIS ``arcgisfeatureserver`` layer (its subset string
    as the filter); None for other layers."""
    if layer is None or layer.providerType() != "arcgisfeatureserver":
        return None
    uri = QgsDataSourceUri(layer.source())
    split = split_layer_url(uri.param("url"))
    if split is None:
        return None
    url, where = split
    subset = layer.subsetString() if hasattr(layer, "subsetString") else ""
    secured = bool(uri.authConfigId() or uri.username())
    return LayerReference(url, subset or where, secured)


def hosted_layer_uri(url: str, access: ServiceAccess) -> str:
    """The ``arcgisfeatureserver`` data source of a feature layer URL, with the
    connection's auth configuration and referer when the layer is on its host."""
    return _service_uri(url, access, {})


def _service_uri(url: str, access: ServiceAccess, params: dict[str, str]) -> str:
    """A data source of QGIS's ArcGIS REST providers: the URL, ``params``, and the
    connection's auth configuration and referer when the URL is on one of its hosts."""
    uri = QgsDataSourceUri()
    uri.setParam("url", url.rstrip("/"))
    for key, value in params.items():
        uri.setParam(key, value)
    if access.applies_to(url):
        if access.authcfg:
            uri.setAuthConfigId(access.authcfg)
        if access.referer:
            _set_referer(uri, access.referer)
    return uri.uri(False)


def _set_referer(uri: QgsDataSourceUri, referer: str) -> None:
    """QGIS 3.24+ providers read HTTP headers (``http-header:referer`` in the source);
    3.22's read a plain ``referer`` parameter, which later ones keep as an unused param."""
    if hasattr(uri, "setHttpHeaders"):
        from qgis.core import QgsHttpHeaders  # QGIS 3.24+

        uri.setHttpHeaders(QgsHttpHeaders({"referer": referer}))
    else:
        uri.setParam("referer", referer)
