"""Decode a FeatureSet from whatever shape a server wraps it in, streaming.

Shapes found in real responses (see tests/data/realworld): a bare
FeatureSet; a GP result ``{"paramName", "dataType", "value": FeatureSet}``;
``value`` as a FeatureCollection ``{"layerDefinition", "featureSet"}`` (or with
``layers``); ``value`` as ``{"url"}`` for a feature service output; an execute
response ``{"results": [...], "messages": [...]}``; ``{"error": {...}}``.

Why not GDAL's ESRIJSON driver? Measured on the fixtures (GDAL 3.6): it refuses
feature sets without a ``fields`` array (MessageInABottle) and FeatureCollections
(curveRings), drops the CRS of wkid 102113 and 102726, reads Date fields as
strings, reads M as Z, and loads the whole document into memory.

The document is read twice: a first pass records the header (keys may come in any
order, ``exceededTransferLimit`` usually after the features) and counts the
features; ``features()`` then streams them. Feature sets without ``fields`` or
``geometryType`` get one more pass to infer them.
"""

from __future__ import annotations

import contextlib
import io
import os
from collections.abc import Iterator
from typing import IO, Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsFeature,
    QgsFeatureSink,
    QgsFields,
    QgsWkbTypes,
)

from .attributes import AttributeDecoder
from .errors import EsriJsonError
from .fields import OID, FieldInference, esri_field_type, esri_fields_kept, fields_from_esri
from .geometry_decode import get_decoder
from .geometry_types import esri_geometry_type_of, wkb_type_from_esri
from .json_stream import (
    CHUNK_CHARS,
    ByteRange,
    JsonPath,
    Node,
    TextBuffer,
    WalkRules,
    resolve,
    walk_object,
    walk_text,
)
from .spatial_reference import crs_from_spatial_reference

RULES = WalkRules(
    enter=frozenset({"value", "featureSet", "featureCollection"}),
    enter_lists=frozenset({"results", "layers"}),
    stream="features",
)
_SINK_BATCH = 1000


#: dataTypes whose ``{"url": ...}`` value is a feature service rather than a file
_FEATURE_DATA_TYPES = frozenset({None, "GPFeatureRecordSetLayer", "GPRecordSet"})


def _is_feature_set(node: Node) -> bool:
    """A FeatureSet always has a ``features`` array (map service layers, which also
    carry ``geometryType`` and ``fields``, do not)."""
    return node.stream_key is not None


def _find_feature_set(node: Node, layer_definition: dict) -> tuple[Node, dict] | None:
    """The first FeatureSet at or below ``node``, with the nearest layerDefinition."""
    if _is_feature_set(node):
        return node, layer_definition
    own = node.values.get("layerDefinition")
    if isinstance(own, dict):
        layer_definition = own
    for key in ("featureSet", "featureCollection", "value"):
        child = node.children.get(key)
        found = child is not None and _find_feature_set(child, layer_definition)
        if found:
            return found
    for layer in node.lists.get("layers", ()):
        found = layer is not None and _find_feature_set(layer, layer_definition)
        if found:
            return found
    return None


def _url_of(node: Node) -> str | None:
    data_type = node.values.get("dataType")
    if not isinstance(data_type, (str, type(None))) or data_type not in _FEATURE_DATA_TYPES:
        return None
    value = node.children.get("value")
    url = (value.values if value is not None else node.values).get("url")
    return url if isinstance(url, str) and url else None


def _server_error(root: Node) -> EsriJsonError | None:
    error = root.values.get("error")
    if not isinstance(error, dict):
        return None
    message = str(error.get("message") or "unknown error")
    details = error.get("details")
    if isinstance(details, list) and details:
        message += ": " + "; ".join(str(d) for d in details)
    code = error.get("code")
    return EsriJsonError(f"server error {code}: {message}" if code else f"server error: {message}")


class FeatureSetReader:
    """A FeatureSet in a file, bytes or dict, read as QGIS fields and features.

    ``source``: a path (str or PathLike; a str is always a path, never JSON text),
    bytes, an already parsed dict, a seekable binary file, or a :class:`ByteRange`
    (one result inside an execute answer on disk, read in place). ``param_name``
    picks one entry of an execute response's ``results`` (default: the first that
    holds features or a URL). ``header``: the walk of ``source`` already made by
    whoever found it (see :mod:`.execute_answer`), which spares the first pass.

    When the result is a feature service (``value`` is ``{"url": ...}``), ``url``
    is set and the feature set is empty. Raises EsriJsonError for server errors,
    invalid JSON and documents without a feature set.
    """

    def __init__(
        self,
        source: Any,
        *,
        param_name: str | None = None,
        chunk_chars: int = CHUNK_CHARS,
        header: Node | None = None,
    ) -> None:
        self._chunk_chars = chunk_chars
        self._document: dict | None = None
        self._path: str | None = None
        self._bytes: bytes | None = None
        self._file: IO[bytes] | None = None
        self._range: ByteRange | None = None
        self._file_start = 0
        if isinstance(source, ByteRange):
            self._range = source
        elif isinstance(source, dict):
            self._document = source
        elif isinstance(source, (bytes, bytearray, memoryview)):
            self._bytes = bytes(source)
        elif isinstance(source, (str, os.PathLike)):
            self._path = os.fspath(source)
        elif hasattr(source, "read") and hasattr(source, "seek"):
            self._file = source
            self._file_start = source.tell()
        else:
            raise EsriJsonError(f"cannot read a FeatureSet from {type(source).__name__}")
        self.param_name: str | None = None
        self.data_type: str | None = None
        self.url: str | None = None
        self.geometry_type: str | None = None
        self.spatial_reference: dict = {}
        self.has_z = False
        self.has_m = False
        self.esri_fields: list[dict] = []
        self.fields_inferred = False
        self.exceeded_transfer_limit = False
        self.feature_count: int | None = 0
        self.oid_field: str | None = None
        self._features_path: JsonPath | None = None
        self._interpret(header if header is not None else self._scan(), param_name)
        self.fields: QgsFields = fields_from_esri(self.esri_fields)
        self.wkb_type: QgsWkbTypes.Type = wkb_type_from_esri(
            self.geometry_type, self.has_z, self.has_m
        )
        self.crs: QgsCoordinateReferenceSystem = crs_from_spatial_reference(self.spatial_reference)
        self._attributes = AttributeDecoder(self.esri_fields, inferred=self.fields_inferred)

    # -- reading ---------------------------------------------------------------------

    @contextlib.contextmanager
    def _open(self) -> Iterator[IO[bytes]]:
        if self._path is not None:
            try:
                with open(self._path, "rb") as raw:
                    yield raw
            except OSError as error:
                raise EsriJsonError(f"cannot read {self._path}: {error.strerror}") from None
        elif self._range is not None:
            try:
                with self._range.open() as window:
                    yield window
            except OSError as error:
                raise EsriJsonError(f"cannot read {self._range.path}: {error.strerror}") from None
        elif self._bytes is not None:
            yield io.BytesIO(self._bytes)
        else:
            assert self._file is not None
            self._file.seek(self._file_start)
            yield self._file

    def _walk(self, root: Node, target: JsonPath | None) -> Iterator[Any]:
        with self._open() as raw:
            buffer = TextBuffer(raw, self._chunk_chars)
            if buffer.peek() != "{":
                raise buffer.error("expected a JSON object")
            try:
                yield from walk_text(buffer, RULES, root, target)
            except RecursionError:
                raise buffer.error("JSON nested too deeply") from None

    def _scan(self) -> Node:
        if self._document is not None:
            try:
                return walk_object(self._document, RULES)
            except RecursionError:
                raise EsriJsonError("JSON nested too deeply") from None
        root = Node()
        for _ in self._walk(root, None):
            pass
        return root

    def _raw_features(self) -> Iterator[Any]:
        if self._features_path is None:
            return
        if self._document is not None:
            items = resolve(self._document, self._features_path)
            yield from items if isinstance(items, list) else ()
        else:
            yield from self._walk(Node(), self._features_path)

    # -- header ----------------------------------------------------------------------

    def _interpret(self, root: Node, param_name: str | None) -> None:
        error = _server_error(root)
        if error is not None:
            raise error
        start = root
        results = root.lists.get("results")
        if results is not None:
            start = self._pick_result(results, param_name)
        elif param_name is not None and root.values.get("paramName", param_name) != param_name:
            found_name = root.values.get("paramName")
            raise EsriJsonError(f"this result is {found_name!r}, not {param_name!r}")
        name, data_type = start.values.get("paramName"), start.values.get("dataType")
        self.param_name = name if isinstance(name, str) else None
        self.data_type = data_type if isinstance(data_type, str) else None
        found = _find_feature_set(start, {})
        if found is None:
            self.url = _url_of(start)
            if self.url is None:
                kind = f" (its dataType is {self.data_type})" if self.data_type else ""
                raise EsriJsonError(f"the response holds no FeatureSet{kind}")
            self.feature_count = 0
            return
        node, layer_definition = found
        values = node.values
        self.geometry_type = values.get("geometryType") or layer_definition.get("geometryType")
        if self.geometry_type is not None and not isinstance(self.geometry_type, str):
            raise EsriJsonError(f"unknown Esri geometry type {self.geometry_type!r:.40}")
        extent = layer_definition.get("extent")
        spatial_reference = (
            values.get("spatialReference")
            or layer_definition.get("spatialReference")
            or (extent.get("spatialReference") if isinstance(extent, dict) else None)
        )
        self.spatial_reference = spatial_reference if isinstance(spatial_reference, dict) else {}
        self.has_z = bool(values.get("hasZ", layer_definition.get("hasZ", False)))
        self.has_m = bool(values.get("hasM", layer_definition.get("hasM", False)))
        fields_json = values.get("fields") or layer_definition.get("fields") or []
        self.esri_fields = esri_fields_kept(fields_json if isinstance(fields_json, list) else [])
        self.exceeded_transfer_limit = bool(values.get("exceededTransferLimit", False))
        if node.stream_key is not None:
            self._features_path = (*node.path, node.stream_key)
        self.feature_count = node.stream_count
        if self.feature_count:
            self._infer_missing()
        self.oid_field = next(
            (f["name"] for f in self.esri_fields if esri_field_type(f) == OID),
            values.get("objectIdFieldName") or layer_definition.get("objectIdField"),
        )

    def _pick_result(self, results: list[Node | None], param_name: str | None) -> Node:
        for result in results:
            if result is None:
                continue
            name = result.values.get("paramName")
            if param_name is not None and name != param_name:
                continue
            if _find_feature_set(result, {}) is not None or _url_of(result) is not None:
                return result
        wanted = f"named {param_name!r} " if param_name else ""
        raise EsriJsonError(f"the response holds no FeatureSet result {wanted}".strip())

    def _infer_missing(self) -> None:
        """Fields from attribute values and the geometry type from the first geometry,
        for feature sets that leave them out."""
        need_fields = not self.esri_fields
        need_geometry = not self.geometry_type and self.data_type != "GPRecordSet"
        if not need_fields and not need_geometry:
            return
        inference = FieldInference()
        for item in self._raw_features():
            if not isinstance(item, dict):
                continue
            if need_fields:
                inference.update(item.get("attributes"))
            if need_geometry:
                geometry = item.get("geometry")
                guessed = esri_geometry_type_of(geometry)
                if guessed:
                    self.geometry_type = guessed
                    self.has_z = self.has_z or bool(geometry.get("hasZ"))
                    self.has_m = self.has_m or bool(geometry.get("hasM"))
                    need_geometry = False
                    if not need_fields:
                        break
        if need_fields:
            self.esri_fields = inference.fields_json()
            self.fields_inferred = True

    # -- features --------------------------------------------------------------------

    def features(self) -> Iterator[QgsFeature]:
        """The features, one at a time, with ``self.fields`` and ``self.wkb_type``.

        May be called again: each call reads the source anew.
        """
        fields = self.fields
        decode_attributes = self._attributes.decode
        decode_geometry = (
            get_decoder(self.geometry_type, self.has_z, self.has_m)
            if self.wkb_type != QgsWkbTypes.Type.NoGeometry
            else None
        )
        for index, item in enumerate(self._raw_features()):
            if not isinstance(item, dict):
                raise EsriJsonError(f"feature {index} is not a JSON object")
            feature = QgsFeature(fields, index + 1)
            feature.setAttributes(decode_attributes(item.get("attributes")))
            if decode_geometry is not None:
                geometry = item.get("geometry")
                if geometry:
                    try:
                        feature.setGeometry(decode_geometry(geometry))
                    except EsriJsonError as error:
                        raise EsriJsonError(f"feature {index}: {error}") from None
            yield feature


def write_features_to_sink(
    reader: FeatureSetReader, sink: QgsFeatureSink, feedback=None, target_fields=None
) -> int:
    """Copy every feature of ``reader`` into ``sink``; returns how many were written.

    ``target_fields`` (the sink's fields) maps attributes by name when the reader's
    fields differ, e.g. pages of a result map service layer written into the sink made
    for the GP result. Stops early (returning the count so far) when ``feedback`` is
    canceled; raises EsriJsonError when the sink refuses features.
    """
    total = reader.feature_count or 0
    written = 0
    batch: list[QgsFeature] = []

    def flush() -> None:
        nonlocal written
        result = sink.addFeatures(batch, QgsFeatureSink.Flag.FastInsert)
        ok = result[0] if isinstance(result, tuple) else result
        if not ok:
            last_error = getattr(sink, "lastError", lambda: "")()
            raise EsriJsonError(f"could not write features: {last_error or 'sink error'}")
        written += len(batch)
        batch.clear()
        if feedback is not None and total:
            feedback.setProgress(100.0 * written / total)

    features = reader.features()
    if target_fields is not None and target_fields.names() != reader.fields.names():
        features = _remap(features, target_fields)
    for feature in features:
        batch.append(feature)
        if len(batch) >= _SINK_BATCH:
            flush()
            if feedback is not None and feedback.isCanceled():
                return written
    if batch:
        flush()
    return written


def _remap(features, target_fields):
    """The same features with the attributes of ``target_fields``, matched by name."""
    for feature in features:
        source_fields = feature.fields()
        remapped = QgsFeature(target_fields)
        remapped.setGeometry(feature.geometry())
        for index, field in enumerate(target_fields):
            source_index = source_fields.lookupField(field.name())
            if source_index >= 0:
                remapped.setAttribute(index, feature.attribute(source_index))
        yield remapped
