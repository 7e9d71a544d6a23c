"""A job's result map service (``…/MapServer/jobs/<jobId>``): its layer, and every feature.

Services published with a result map service draw each job's outputs as a dynamic map
service. The plugin uses it twice: to add the job's map as a layer (QGIS's own
``arcgismapserver`` provider draws it), and to fetch outputs that the GP result cut at
the service's transfer limit, by paging the matching map layer's ``query``.

The job's map is loaded like every other output layer of a run (Processing loads it
when the algorithm succeeds) and tagged with its job like them.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from typing import Any

from qgis.core import QgsRasterLayer

from ..connections.connection import Connection
from ..gptypes.base import DecodeContext
from ..gptypes.featureset import FeatureSetReader
from ..gptypes.service_layers import arcgis_map_layer_uri
from ..gptypes.spatial_reference import crs_from_spatial_reference
from ..i18n import translate
from ..rest.client import GPClient
from ..rest.descriptions import GPService
from ..rest.errors import ArcGisError
from .hosted import login_hosts, service_access
from .layer_tags import tag_layer

DEFAULT_PAGE_SIZE = 1000

#: The algorithm's option to add the job's map to the project, and the output it gives.
ADD_RESULT_MAP_LAYER = "ADD_RESULT_MAP_LAYER"
RESULT_MAP_LAYER_OUTPUT = "RESULT_MAP_LAYER"


def layer_pages(
    client: GPClient,
    layer_url: str,
    page_size: int | None = None,
    extra: Mapping[str, Any] | None = None,
) -> Iterator[FeatureSetReader]:
    """Every feature of a map or feature service layer, one page (a FeatureSet) at a time.

    Pages with ``resultOffset`` in object-id order (the layer's own OID field), with the
    page size the layer allows (``maxRecordCount``), until a page says it holds the last.
    ``extra`` adds to each page's query: ``returnZ``/``returnM`` (a layer query drops z and
    m unless asked, like a GP result) and ``outSR``.
    """
    info = client.get_json(layer_url)
    oid_field = info.get("objectIdField") or next(
        (f.get("name") for f in info.get("fields") or [] if f.get("type") == "esriFieldTypeOID"),
        None,
    )
    size = page_size or int(info.get("maxRecordCount") or DEFAULT_PAGE_SIZE)
    offset = 0
    while True:
        query: dict[str, Any] = {
            **(extra or {}),
            "where": "1=1",
            "outFields": "*",
            "returnGeometry": True,
            "resultOffset": offset,
            "resultRecordCount": size,
        }
        if oid_field:
            query["orderByFields"] = oid_field
        page = client.query_layer(layer_url, query)
        features = page.get("features") or []
        if features:
            yield FeatureSetReader(page)
        offset += len(features)
        if not features or not (page.get("exceededTransferLimit") or len(features) >= size):
            return


class ResultMapService:
    """The result map service of one job of one service."""

    def __init__(self, client: GPClient, service: GPService, job_id: str) -> None:
        self.client = client
        self.service = service
        self.job_id = job_id
        self.url = client.result_map_service_url(service.url, job_id)
        self._info: dict[str, Any] | None = None

    def info(self) -> dict[str, Any]:
        if self._info is None:
            self._info = self.client.result_map_service_info(self.service.url, self.job_id)
        return self._info

    def layer_id_for(self, output_name: str) -> int | None:
        """The map layer that draws a GP output (ArcGIS names it after the parameter)."""
        for layer in list(self.info().get("layers") or []) + list(self.info().get("tables") or []):
            if str(layer.get("name", "")).lower() == output_name.lower():
                return int(layer["id"])
        return None

    def pages(
        self, layer_id: int, extra: Mapping[str, Any] | None = None
    ) -> Iterator[FeatureSetReader]:
        """Every feature of one of the job's map layers, one page at a time."""
        page_size = int(self.info().get("maxRecordCount") or DEFAULT_PAGE_SIZE)
        return layer_pages(self.client, f"{self.url}/{layer_id}", page_size, extra)

    def layer_uri(self, connection: Connection) -> str:
        """The ``arcgismapserver`` data source of the whole job map, with the connection's auth."""
        crs = crs_from_spatial_reference(self.info().get("spatialReference"))
        # The job's server, not the connection's URL: a portal's services live elsewhere.
        access = service_access(connection, login_hosts(connection, [self.url]))
        return arcgis_map_layer_uri(self.url, access, crs.authid() if crs.isValid() else "")

    def make_layer(
        self, connection: Connection, name: str, connection_name: str | None = None
    ) -> QgsRasterLayer:
        """The job's map as a layer, tagged with the job and ``connection_name`` (by
        default the connection's) like the job's other result layers."""
        layer = QgsRasterLayer(self.layer_uri(connection), name, "arcgismapserver")
        tag_layer(
            layer, self.job_id, connection.name if connection_name is None else connection_name
        )
        return layer

    def load_on_completion(
        self, connection: Connection, name: str, decode: DecodeContext
    ) -> dict[str, Any]:
        """Load the job's map when the algorithm finishes, as a handler loads its layers.

        The outputs are complete without it: a map that cannot be added is a warning.
        """
        feedback = decode.feedback
        try:
            layer = self.make_layer(connection, name)
        except ArcGisError as error:
            problem = translate("Runner", "The result map service could not be added: {error}")
            feedback.pushWarning(problem.format(error=error))
            return {}
        if not layer.isValid():
            problem = translate("Runner", "The result map service {url} could not be added: "
                "{error}")  # fmt: skip
            error = layer.error().summary() or translate("Runner", "the layer is not valid")
            feedback.pushWarning(problem.format(url=self.url, error=error))
            return {}
        decode.load_on_completion(layer, RESULT_MAP_LAYER_OUTPUT)
        feedback.pushInfo(translate("Runner", "Result map service: {url}").format(url=self.url))
        return {RESULT_MAP_LAYER_OUTPUT: layer.id()}
