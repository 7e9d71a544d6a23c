"""Handlers for GPFeatureRecordSetLayer and GPRecordSet: QGIS features in, sinks out.

Inputs are streamed into an Esri JSON FeatureSet file (in the source's CRS) and sent from
there; outputs are streamed from the result file into the sink the user chose, so a big
result never lives in memory as one object.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable
from pathlib import Path
from typing import Any

from qgis.core import (
    QgsFeatureSource,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeatureSourceDefinition,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProviderRegistry,
    QgsVectorFileWriter,
    QgsVectorLayer,
    QgsWkbTypes,
)

from ..i18n import translate
from ..rest.descriptions import GPParameter, GPTask
from ..rest.encoding import RawJson, RawJsonFile
from . import filters
from .base import (
    DecodeContext,
    EncodeContext,
    GPTypeHandler,
    ResultValue,
    bad_input,
    destination_parameter,
    display_name,
    unique_path,
)
from .compat import SOURCE_ANY_GEOMETRY, SOURCE_LINE, SOURCE_POINT, SOURCE_POLYGON, SOURCE_VECTOR
from .errors import EsriJsonError
from .featureset import FeatureSetReader, write_feature_set, write_features_to_sink
from .geometry_types import esri_geometry_type
from .service_layers import (
    LayerReference,
    feature_service_reference,
    hosted_layer_uri,
    split_layer_url,
)

#: A feature service's layer URL (``…/FeatureServer/<id>``), not the service's.
_LAYER_URL_END = re.compile(r"/(FeatureServer|MapServer)/\d+/?$", re.IGNORECASE)

_SOURCE_TYPES = {
    "esriGeometryPoint": SOURCE_POINT,
    "esriGeometryMultipoint": SOURCE_POINT,
    "esriGeometryPolyline": SOURCE_LINE,
    "esriGeometryPolygon": SOURCE_POLYGON,
    "esriGeometryEnvelope": SOURCE_POLYGON,
}


def accepted_geometry_types(param: GPParameter) -> list[Any]:
    """Source types a feature input accepts: its featureClass filter, else its template's."""
    geometry_types: list[str] = []
    if filters.kind(param.filter) == filters.FEATURE_CLASS:
        geometry_types = filters.list_items(param.filter, filters.FEATURE_CLASS)
    elif isinstance(param.default_value, dict) and param.default_value.get("geometryType"):
        geometry_types = [str(param.default_value["geometryType"])]
    types = sorted({_SOURCE_TYPES[t] for t in geometry_types if t in _SOURCE_TYPES}, key=int)
    return types or [SOURCE_ANY_GEOMETRY]


def check_geometry_type(param: GPParameter, wkb_type: Any) -> None:
    """Refuse features whose geometry type the task's featureClass filter leaves out.

    The dialog offers only such layers, but scripts and models may pass any layer, and
    the server's answer would then be a bare ERROR 000366. The check is on the Esri type
    the features are sent as (a multipoint layer is sent as esriGeometryMultipoint).
    """
    allowed = [
        t for t in filters.list_items(param.filter, filters.FEATURE_CLASS) if t in _SOURCE_TYPES
    ]
    if not allowed:
        return
    try:
        sent_as = esri_geometry_type(wkb_type)
    except EsriJsonError:
        return  # the encoder says why such features cannot be sent at all
    if sent_as == "esriGeometryPolygon" and "esriGeometryEnvelope" in allowed:
        return
    if sent_as not in allowed:
        raise bad_input(
            param,
            translate(
                "Features", "the features are {geometry} ({sent_as}); the task takes {items}"
            ).format(
                geometry=QgsWkbTypes.displayString(wkb_type),
                sent_as=sent_as,
                items=", ".join(allowed),
            ),
        )


def encode_source_to_feature_set(
    source: QgsFeatureSource | Any, ctx: EncodeContext, param: GPParameter
) -> RawJson:
    """Stream a feature source (or layer) into a FeatureSet file and send it from there
    (the request body is read from the file block by block, never held in memory)."""
    path = unique_path(ctx.temp_dir, "input", ".json")
    crs = source.sourceCrs() if hasattr(source, "sourceCrs") else None
    if crs is not None and not crs.isValid():
        warning = translate("Features", "{name}: the layer has no valid CRS, so its "
            "features are sent without a spatial reference and the server assumes its own "
            "default.")  # fmt: skip
        ctx.feedback.pushWarning(warning.format(name=display_name(param)))
    with path.open("wb") as out:
        info = write_feature_set(source, out, feedback=ctx.feedback)
    ctx.feedback.pushInfo(
        translate("Features", "{name}: sending {feature_count} feature(s)").format(
            name=display_name(param), feature_count=info.feature_count
        )
    )
    return RawJsonFile(path)


def service_layer_url_inputs(task: GPTask, parameters: dict[str, Any]) -> set[str]:
    """Feature inputs given as a service layer URL (checked by the server, not by QGIS)."""
    return {
        param.name
        for param in task.inputs
        if param.base_type in ("GPFeatureRecordSetLayer", "GPRecordSet")
        and isinstance(parameters.get(param.name), str)
        and split_layer_url(parameters[param.name]) is not None
    }


def service_layer_input(param: GPParameter, ctx: EncodeContext) -> dict[str, str] | None:
    """``{"url", "filter", "serviceToken"}`` when the input is a map/feature service layer
    the server can read.

    A layer URL typed as the value (``…/FeatureServer/0?where=…``) or an
    ``arcgisfeatureserver`` layer (its subset string as the filter) is passed by reference:
    the server reads it itself, so nothing is downloaded and re-sent. A selection cannot be
    expressed as a filter, so "selected features only" sends the features as usual.

    On a host the connection logs in to (the portal, its servers), the layer goes with the
    token the connection holds (``serviceToken``, as Esri's analysis services read it), so
    the server can read a secured hosted layer. A secured layer elsewhere, or one the
    connection has no token for, is sent as features: the server could not read it.
    """
    raw = ctx.parameters.get(param.name)
    if isinstance(raw, QgsProcessingFeatureSourceDefinition):
        if raw.selectedFeaturesOnly:
            return None
        raw = raw.source.staticValue()
    split = split_layer_url(raw) if isinstance(raw, str) else None
    reference = LayerReference(*split) if split is not None else None
    if reference is None:
        layer = ctx.algorithm.parameterAsVectorLayer(ctx.parameters, param.name, ctx.context)
        reference = feature_service_reference(layer) if layer is not None else None
    if reference is None:
        return None
    token = ctx.service_token(reference.url) if ctx.service_token is not None else None
    if reference.secured and not token:
        return None
    url, where = reference.url, reference.where
    ctx.feedback.pushInfo(
        f"{display_name(param)}: the server reads the service layer {url}"
        + (f" where {where}" if where else "")
        + (translate("Features", " (with your login)") if token else "")
    )
    value = {"url": url}
    if where:
        value["filter"] = where
    if token:
        value["serviceToken"] = token
    return value


def _new_output_file(ctx: DecodeContext, name: str) -> Path | None:
    """The local file a sink is about to create (None: a memory layer, a database, or a
    file that exists already and may hold other layers)."""
    # Asked in a scratch context: with "Open output file after running" (the dialog's
    # default), parameterAsOutputLayer also schedules its answer for loading, and
    # "memory:<name>" is no layer: the dialog then reported the output as "not correctly
    # generated". parameterAsSink below schedules the real layer.
    scratch = QgsProcessingContext()
    scratch.setProject(ctx.context.project())
    destination = ctx.algorithm.parameterAsOutputLayer(ctx.parameters, name, scratch)
    path = QgsProviderRegistry.instance().decodeUri("ogr", destination or "").get("path")
    if not path or "://" in path or path.startswith("memory:"):
        return None
    file = Path(path)
    return None if file.exists() else file


def _discard(file: Path | None) -> None:
    """A half-written output must not look like a result: remove the file it created."""
    if file is None or not file.exists():
        return
    if file.suffix.lower() == ".shp":
        QgsVectorFileWriter.deleteShapeFile(str(file))
    else:
        file.unlink()


def load_hosted_layer(param: GPParameter, url: str, ctx: DecodeContext) -> dict[str, Any] | None:
    """The hosted layer the service created in the user's content, loaded from its URL
    with QGIS's ``arcgisfeatureserver`` provider and the connection's auth configuration.

    None when QGIS cannot open it (e.g. a Basic login, which QGIS's provider does not turn
    into an ArcGIS token): its features are then copied into the output as for any
    feature service result, and a warning says so.
    """
    layer_url = url if _LAYER_URL_END.search(url) else url.rstrip("/") + "/0"
    name = f"{display_name(param)} ({layer_url.rstrip('/').split('/')[-3]})"
    layer = QgsVectorLayer(hosted_layer_uri(layer_url, ctx.access), name, "arcgisfeatureserver")
    if not layer.isValid():
        warning = translate("Features", "{name}: QGIS could not open the hosted layer "
            "{url} with this connection's login; its features are copied into the output "
            "instead.")  # fmt: skip
        ctx.feedback.pushWarning(warning.format(name=display_name(param), url=layer_url))
        return None
    ctx.feedback.pushInfo(
        translate("Features", "{name}: the hosted layer {url} ({count} feature(s))").format(
            name=display_name(param), url=layer_url, count=layer.featureCount()
        )
    )
    return {param.name: ctx.load_on_completion(layer, param.name)}


class FeatureSetType(GPTypeHandler):
    """GPFeatureRecordSetLayer (with geometry) and GPRecordSet (tables, without)."""

    def __init__(self, tables: bool) -> None:
        self.tables = tables
        self.qgis_input = "FeatureSource (tables)" if tables else "FeatureSource"
        self.qgis_output = "FeatureSink without geometry" if tables else "FeatureSink"

    def input_definition(self, param: GPParameter) -> Any:
        types = [SOURCE_VECTOR] if self.tables else accepted_geometry_types(param)
        return QgsProcessingParameterFeatureSource(param.name, display_name(param), types)

    def help_notes(self, param: GPParameter, definition: Any) -> list[str]:
        layers = [entry.name for entry in filters.coded_values(param.filter) if entry.is_layer]
        if not layers:
            return []
        # a codedValue filter of the server's own layers (Enterprise 12.0)
        return [f"The server offers the layers {', '.join(layers)}; give features like them."]

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        reference = service_layer_input(param, ctx)
        if reference is not None:
            return reference
        source = ctx.algorithm.parameterAsSource(ctx.parameters, param.name, ctx.context)
        if source is None:
            raise bad_input(
                param,
                translate("Features", "cannot read features from {value!r}").format(
                    value=ctx.parameters[param.name]
                ),
            )
        if not self.tables:
            check_geometry_type(param, source.wkbType())
        return encode_source_to_feature_set(source, ctx, param)

    def output_definitions(self, param: GPParameter) -> list[Any]:
        if self.tables:
            sink_type = SOURCE_VECTOR
        else:
            template = param.default_value if isinstance(param.default_value, dict) else {}
            sink_type = _SOURCE_TYPES.get(str(template.get("geometryType")), SOURCE_ANY_GEOMETRY)
        definition = QgsProcessingParameterFeatureSink(
            param.name,
            display_name(param),
            sink_type,
            optional=True,
            createByDefault=True,
        )
        return [destination_parameter(definition, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        reader = result.reader(unique_path(ctx.temp_dir, "result", ".json"))
        if reader.url and ctx.hosted_output:
            loaded = load_hosted_layer(param, reader.url, ctx)
            if loaded is not None:
                return loaded
        if reader.url:
            return self._decode_feature_service(param, reader.url, ctx)
        pages = None
        if reader.exceeded_transfer_limit and ctx.all_pages is not None:
            pages = ctx.all_pages(param.name, reader.spatial_reference)
        written = self._write_to_sink(param, reader, [reader] if pages is None else pages, ctx)
        if written is None:
            return {}  # the user skipped this output
        count, destination = written
        ctx.feedback.pushInfo(
            translate("Features", "{name}: {count} feature(s) received").format(
                name=display_name(param), count=count
            )
        )
        if reader.exceeded_transfer_limit and pages is not None:
            warning = translate("Features", "{name}: the GP result stopped at the service's "
                "transfer limit, so all {count} feature(s) were fetched page by page from the "
                "job's result map service.")  # fmt: skip
            ctx.feedback.pushWarning(warning.format(name=display_name(param), count=count))
        elif reader.exceeded_transfer_limit:
            warning = translate("Features", "{name}: the server returned only {count} "
                "feature(s); the full result exceeds its transfer limit (maximumRecords) and the "
                "service has no result map service to fetch the rest from.")  # fmt: skip
            ctx.feedback.pushWarning(warning.format(name=display_name(param), count=count))
        return {param.name: destination}

    def _write_to_sink(
        self,
        param: GPParameter,
        header: FeatureSetReader,
        pages: Iterable[FeatureSetReader],
        ctx: DecodeContext,
    ) -> tuple[int, Any] | None:
        """Write every page into the output sink made with ``header``'s fields, geometry
        type and CRS: ``(count, destination)``, or None when the user skipped the output.

        A failed or cancelled write removes the file it created: nothing half-written is
        left to look like a result.
        """
        wkb_type = QgsWkbTypes.Type.NoGeometry if self.tables else header.wkb_type
        new_file = _new_output_file(ctx, param.name)
        sink, destination = ctx.algorithm.parameterAsSink(
            ctx.parameters, param.name, ctx.context, header.fields, wkb_type, header.crs
        )
        if sink is None:
            if ctx.parameters.get(param.name) is None:
                return None
            raise QgsProcessingException(ctx.algorithm.invalidSinkError(ctx.parameters, param.name))
        try:
            count = sum(
                write_features_to_sink(page, sink, ctx.feedback, target_fields=header.fields)
                for page in pages
            )
            del sink  # flush and close before Processing loads the output
            if ctx.feedback.isCanceled():
                raise QgsProcessingException(
                    translate("Features", "{name}: cancelled while receiving.").format(
                        name=display_name(param)
                    )
                )
        except BaseException:
            sink = None  # noqa: F841 - the traceback keeps this frame: close the file now
            _discard(new_file)
            raise
        return count, destination

    def _decode_feature_service(
        self, param: GPParameter, url: str, ctx: DecodeContext
    ) -> dict[str, Any]:
        """The output is a hosted feature layer: copy its features into the sink, page by page."""
        if ctx.layer_pages is None:
            problem = translate("Features", "{name}: the server wrote this output to the "
                "feature service {url}, which cannot be read from here.")  # fmt: skip
            raise QgsProcessingException(problem.format(name=display_name(param), url=url))
        pages = ctx.layer_pages(url)
        first = next(pages, None)
        if first is None:
            first = FeatureSetReader({"features": [], "fields": []})
        written = self._write_to_sink(param, first, itertools.chain([first], pages), ctx)
        if written is None:
            return {}
        count, destination = written
        ctx.feedback.pushInfo(
            translate(
                "Features", "{name}: {count} feature(s) copied from the feature service {url}"
            ).format(name=display_name(param), count=count, url=url)
        )
        return {param.name: destination}
