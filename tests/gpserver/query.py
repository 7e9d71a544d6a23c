"""The ``query`` operation of a map or feature layer.

Supports what GP clients and QGIS's ArcGIS providers use: ``where`` (OGR's SQL dialect,
close to ArcGIS standardized queries), ``objectIds``, an envelope ``geometry`` filter
(bounding-box intersection), ``outFields``, ``returnGeometry``, ``outSR``,
``returnZ``/``returnM``, ``orderByFields``, paging with ``resultOffset`` /
``resultRecordCount`` and ``exceededTransferLimit``, ``returnCountOnly``,
``returnIdsOnly`` and ``returnExtentOnly``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

from . import geometry, spatialref
from .errors import RestError
from .maplayers import MapLayer


def _flag(params: Mapping[str, str], name: str, default: bool = False) -> bool:
    value = params.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in ("true", "1", "yes")


def _int(params: Mapping[str, str], name: str, default: int | None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    try:
        return int(value)
    except ValueError:
        raise RestError(400, "Unable to complete operation.", [f"Invalid {name}"]) from None


_DATE_LITERAL = re.compile(r"\b(?:DATE|TIMESTAMP)\s*('[^']*')", re.IGNORECASE)


def _where(layer: MapLayer, clause: str) -> list[int] | None:
    """Indexes matching a where clause; ``None`` means all (``1=1`` or empty).

    ArcGIS's standardized ``DATE '2020-01-01 00:00:00'`` literals become the plain
    strings OGR compares date-time fields with.
    """
    text = _DATE_LITERAL.sub(r"\1", (clause or "").strip())
    if text in ("", "1=1", "1 = 1"):
        return None
    _source, table = layer.attribute_table()
    with layer._lock:  # an OGR layer's filter is state: one query at a time
        try:
            if table.SetAttributeFilter(text) != 0:
                raise RuntimeError(text)
        except RuntimeError:
            table.SetAttributeFilter(None)
            raise RestError(
                400, "Unable to complete operation.", ["Invalid query: where clause"]
            ) from None
        table.ResetReading()
        matched = [row.GetFID() for row in table]
        table.SetAttributeFilter(None)
    return sorted(matched)


def _envelope(params: Mapping[str, str], layer_sr: dict[str, Any]) -> tuple | None:
    raw = params.get("geometry")
    if not raw:
        return None
    try:
        if raw.strip().startswith("{"):
            shape = json.loads(raw)
            in_sr = shape.get("spatialReference") or spatialref.parse_sr(params.get("inSR"))
            box = geometry.extent_of([{"geometry": shape}])
        else:
            box = tuple(float(v) for v in raw.split(","))
            in_sr = spatialref.parse_sr(params.get("inSR"))
            if len(box) == 2:
                box = (box[0], box[1], box[0], box[1])
    except (ValueError, TypeError):
        raise RestError(400, "Unable to complete operation.", ["Invalid geometry"]) from None
    if box is None or len(box) != 4:
        raise RestError(400, "Unable to complete operation.", ["Invalid geometry"])
    transform = spatialref.transformation(in_sr, layer_sr) if in_sr else None
    if transform is not None:
        corners = transform.TransformPoints(
            [(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])]
        )
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        box = (min(xs), min(ys), max(xs), max(ys))
    return box


def _order(layer: MapLayer, indexes: list[int], order_by: str) -> list[int]:
    features = layer.features.features
    for term in reversed([t.strip() for t in order_by.split(",") if t.strip()]):
        parts = term.split()
        name, descending = parts[0], len(parts) > 1 and parts[1].upper() == "DESC"

        def key(index: int, name: str = name) -> tuple[bool, Any]:
            value = (features[index].get("attributes") or {}).get(name)
            return (value is not None, value if value is not None else 0)

        indexes = sorted(indexes, key=key, reverse=descending)
    return indexes


def _out_fields(layer: MapLayer, requested: str | None) -> list[dict[str, Any]]:
    fields = layer.features.fields
    if not requested:
        return [f for f in fields if f["name"] == layer.oid_field]
    if requested.strip() == "*":
        return fields
    wanted = {n.strip().lower() for n in requested.split(",")}
    return [f for f in fields if f["name"].lower() in wanted or f["name"] == layer.oid_field]


def query_layer(layer: MapLayer, params: Mapping[str, str], max_records: int) -> dict[str, Any]:
    if layer.features is None:
        raise RestError(400, "Requested operation is not supported by this service.")
    source = layer.features
    layer_sr = layer.spatial_reference()
    oid = layer.oid_field
    indexes = _where(layer, params.get("where", ""))
    if indexes is None:
        indexes = list(range(len(source.features)))
    if params.get("objectIds"):
        try:
            wanted = {int(v) for v in params["objectIds"].split(",") if v.strip()}
        except ValueError:
            raise RestError(400, "Unable to complete operation.", ["Invalid objectIds"]) from None
        indexes = [i for i in indexes if source.features[i]["attributes"].get(oid) in wanted]
    box = _envelope(params, layer_sr)
    if box is not None:
        boxes = layer.bboxes()
        indexes = [
            i
            for i in indexes
            if boxes[i] is not None
            and boxes[i][0] <= box[2]
            and boxes[i][2] >= box[0]
            and boxes[i][1] <= box[3]
            and boxes[i][3] >= box[1]
        ]
    if _flag(params, "returnCountOnly"):
        return {"count": len(indexes)}
    indexes = _order(layer, indexes, params.get("orderByFields") or oid)
    if _flag(params, "returnIdsOnly"):
        return {
            "objectIdFieldName": oid,
            "objectIds": [source.features[i]["attributes"].get(oid) for i in indexes],
        }
    out_sr = spatialref.parse_sr(params.get("outSR")) or layer_sr
    if _flag(params, "returnExtentOnly"):
        picked = [source.features[i] for i in indexes]
        moved = source.reshaped(picked, out_sr=out_sr, return_z=False, return_m=False)
        box = geometry.extent_of(moved)
        extent = dict(zip(("xmin", "ymin", "xmax", "ymax"), box)) if box else {}
        return {"extent": {**extent, "spatialReference": spatialref.normalise_sr(out_sr)}}
    offset = max(0, _int(params, "resultOffset", 0) or 0)
    count = _int(params, "resultRecordCount", None)
    count = max_records if count is None or count <= 0 else min(count, max_records)
    page = indexes[offset : offset + count]
    fields = _out_fields(layer, params.get("outFields"))
    names = [f["name"] for f in fields]
    features = []
    for index in page:
        attributes = source.features[index].get("attributes") or {}
        item: dict[str, Any] = {"attributes": {n: attributes.get(n) for n in names}}
        if source.features[index].get("geometry"):
            item["geometry"] = source.features[index]["geometry"]
        features.append(item)
    data: dict[str, Any] = {
        "displayFieldName": source.display_field_name,
        "fieldAliases": {f["name"]: f.get("alias", f["name"]) for f in fields},
        "objectIdFieldName": oid,
        "geometryType": source.geometry_type,
        "spatialReference": spatialref.normalise_sr(out_sr),
        "fields": fields,
    }
    if _flag(params, "returnGeometry", True):
        return_z, return_m = _flag(params, "returnZ"), _flag(params, "returnM")
        if source.has_z and return_z:
            data["hasZ"] = True
        if source.has_m and return_m:
            data["hasM"] = True
        data["features"] = source.reshaped(
            features, out_sr=out_sr, return_z=return_z, return_m=return_m
        )
    else:
        data["features"] = [{"attributes": f["attributes"]} for f in features]
    if offset + len(page) < len(indexes):
        data["exceededTransferLimit"] = True
    return data
