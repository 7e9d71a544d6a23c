"""MapServer and FeatureServer resources: result map services of GP jobs
(``…/MapServer/jobs/<jobId>``) and the static non-GP directory entries.

What QGIS's ``arcgismapserver`` provider asks of ``…/MapServer/jobs/<jobId>``: ``?f=json``,
``/<layer>?f=json``, ``/legend?f=json`` and ``/export?…&f=image``; its
``arcgisfeatureserver`` provider on ``…/<layer>`` uses ``/query`` with
``returnIdsOnly`` and ``objectIds``. All of those are here.
"""

from __future__ import annotations

import base64
import json
import urllib.parse
import uuid
from dataclasses import dataclass
from typing import Any

from werkzeug.wrappers import Response

from .. import spatialref
from ..bulk import no_gc
from ..call import Call
from ..errors import RestError, invalid_url, job_not_found
from ..jobs import SUCCEEDED, Job
from ..maplayers import MapLayer, dataset_layers, job_layers
from ..query import query_layer
from ..registry import Parameter, Service
from ..render import render_png, swatch_png
from .catalog import CIM_VERSION, authenticate

MAX_IMAGE_SIZE = 4096
_RENDERERS = {
    "esriGeometryPolygon": {
        "type": "esriSFS",
        "style": "esriSFSSolid",
        "color": [230, 85, 13, 160],
        "outline": {
            "type": "esriSLS",
            "style": "esriSLSSolid",
            "color": [110, 110, 110, 255],
            "width": 0.7,
        },
    },
    "esriGeometryPolyline": {
        "type": "esriSLS",
        "style": "esriSLSSolid",
        "color": [49, 130, 189, 255],
        "width": 1.5,
    },
    "esriGeometryPoint": {
        "type": "esriSMS",
        "style": "esriSMSCircle",
        "color": [49, 163, 84, 255],
        "size": 6,
        "angle": 0,
        "xoffset": 0,
        "yoffset": 0,
    },
}
_RENDERERS["esriGeometryMultipoint"] = _RENDERERS["esriGeometryPoint"]


@dataclass
class MapContext:
    """A map (or feature) service: its layers and where it lives."""

    name: str
    description: str
    layers: list[MapLayer]
    max_records: int
    url: str  # absolute URL of the service resource (…/MapServer or …/MapServer/jobs/<id>)


def _not_found(path: str, kind: str) -> RestError:
    return RestError(500, f"Service {path}/{kind} not found ", [])


def _map_sr(layers: list[MapLayer]) -> dict[str, Any]:
    return layers[0].spatial_reference() if layers else dict(spatialref.WGS84)


def _extent(layers: list[MapLayer], sr: dict[str, Any]) -> dict[str, Any]:
    xs: list[float] = []
    ys: list[float] = []
    for layer in layers:
        box = layer.extent()
        if box is None:
            continue
        transform = spatialref.transformation(layer.spatial_reference(), sr)
        corners = [(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])]
        if transform is not None:
            corners = [c[:2] for c in transform.TransformPoints(corners)]
        xs.extend(c[0] for c in corners)
        ys.extend(c[1] for c in corners)
    if not xs:
        xs, ys = [-1.0, 1.0], [-1.0, 1.0]
    if max(xs) == min(xs):
        xs = [xs[0] - 0.001, xs[0] + 0.001]
    if max(ys) == min(ys):
        ys = [ys[0] - 0.001, ys[0] + 0.001]
    return {
        "xmin": min(xs),
        "ymin": min(ys),
        "xmax": max(xs),
        "ymax": max(ys),
        "spatialReference": sr,
    }


def _units(sr: dict[str, Any]) -> str:
    srs = spatialref.srs_from_json(sr)
    return "esriDecimalDegrees" if srs is not None and srs.IsGeographic() else "esriMeters"


def _layer_summary(layer: MapLayer) -> dict[str, Any]:
    summary: dict[str, Any] = {
        "id": layer.id,
        "name": layer.name,
        "parentLayerId": -1,
        "defaultVisibility": True,
        "subLayerIds": None,
        "minScale": 0,
        "maxScale": 0,
        "type": "Raster Layer" if layer.is_raster else "Feature Layer",
    }
    if not layer.is_raster:
        summary["geometryType"] = layer.features.geometry_type
    summary["supportsDynamicLegends"] = True
    return summary


def map_description(call: Call, context: MapContext) -> dict[str, Any]:
    sr = _map_sr(context.layers)
    extent = _extent(context.layers, sr)
    return {
        "currentVersion": call.state.registry.current_version,
        "cimVersion": CIM_VERSION,
        "serviceDescription": context.description,
        "mapName": context.name,
        "description": "",
        "copyrightText": "",
        "supportsDynamicLayers": False,
        "layers": [_layer_summary(layer) for layer in context.layers],
        "tables": [],
        "spatialReference": sr,
        "singleFusedMapCache": False,
        "initialExtent": extent,
        "fullExtent": extent,
        "datesInUnknownTimezone": False,
        "minScale": 0,
        "maxScale": 0,
        "units": _units(sr),
        "mapUnits": {"uwkid": 9102 if _units(sr) == "esriDecimalDegrees" else 9001},
        "supportedImageFormatTypes": "PNG32,PNG24,PNG",
        "documentInfo": {
            "Title": context.name,
            "Author": "gpserver",
            "Comments": "",
            "Subject": "",
            "Category": "",
            "Version": "3.1.0",
            "AntialiasingMode": "Fast",
            "TextAntialiasingMode": "Force",
            "Keywords": "",
        },
        "capabilities": "Map,Query,Data",
        "supportedQueryFormats": "JSON, geoJSON",
        "exportTilesAllowed": False,
        "maxRecordCount": context.max_records,
        "maxImageHeight": MAX_IMAGE_SIZE,
        "maxImageWidth": MAX_IMAGE_SIZE,
        "supportedExtensions": "",
    }


def layer_description(call: Call, context: MapContext, layer: MapLayer) -> dict[str, Any]:
    sr = layer.spatial_reference()
    data: dict[str, Any] = {
        "currentVersion": call.state.registry.current_version,
        "cimVersion": CIM_VERSION,
        "id": layer.id,
        "name": layer.name,
        "type": "Raster Layer" if layer.is_raster else "Feature Layer",
        "description": "",
        "sourceSpatialReference": sr,
        "copyrightText": "",
        "parentLayer": None,
        "subLayers": [],
        "minScale": 0,
        "maxScale": 0,
        "defaultVisibility": True,
        "extent": _extent([layer], sr),
        "capabilities": "Map" if layer.is_raster else "Map,Query,Data",
        "maxRecordCount": context.max_records,
    }
    if layer.is_raster:
        data.update(geometryType=None, fields=None, drawingInfo=None, supportedQueryFormats="")
        return data
    source = layer.features
    data.update(
        {
            "geometryType": source.geometry_type,
            "hasZ": source.has_z,
            "hasM": source.has_m,
            "drawingInfo": {
                "renderer": {
                    "type": "simple",
                    "symbol": _RENDERERS.get(source.geometry_type, {}),
                    "label": "",
                    "description": "",
                },
                "transparency": 0,
                "labelingInfo": None,
            },
            "hasAttachments": False,
            "htmlPopupType": "esriServerHTMLPopupTypeAsHTMLText",
            "displayField": source.display_field_name,
            "typeIdField": None,
            "fields": source.fields,
            "geometryField": {
                "name": "Shape",
                "type": "esriFieldTypeGeometry",
                "alias": "Shape",
            },
            "indexes": [],
            "relationships": [],
            "canModifyLayer": False,
            "canScaleSymbols": False,
            "hasLabels": False,
            "supportsStatistics": False,
            "supportsAdvancedQueries": True,
            "supportedQueryFormats": "JSON, geoJSON",
            "isDataVersioned": False,
            "ownershipBasedAccessControlForFeatures": {"allowOthersToQuery": True},
            "useStandardizedQueries": True,
            "advancedQueryCapabilities": {
                "useStandardizedQueries": True,
                "supportsStatistics": False,
                "supportsHavingClause": False,
                "supportsOrderBy": True,
                "supportsDistinct": False,
                "supportsCountDistinct": False,
                "supportsPagination": True,
                "supportsTrueCurve": False,
                "supportsReturningQueryExtent": True,
                "supportsQueryWithDistance": False,
                "supportsSqlExpression": False,
            },
            "supportsDatumTransformation": True,
            "supportsCoordinatesQuantization": False,
            "objectIdField": layer.oid_field,
        }
    )
    return data


def _bbox(call: Call, default_sr: dict[str, Any]) -> tuple[tuple[float, ...], dict[str, Any]]:
    raw = call.params.get("bbox", "")
    try:
        if raw.strip().startswith("{"):
            envelope = json.loads(raw)
            box = tuple(float(envelope[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
            sr = envelope.get("spatialReference")
        else:
            box = tuple(float(v) for v in raw.split(","))
            sr = None
        sr = sr or spatialref.parse_sr(call.params.get("bboxSR")) or default_sr
    except (ValueError, KeyError, TypeError):
        raise RestError(400, "Unable to complete operation.", ["Invalid bbox"]) from None
    if len(box) != 4 or box[2] <= box[0] or box[3] <= box[1]:
        raise RestError(400, "Unable to complete operation.", ["Invalid bbox"])
    return box, sr


def _size(call: Call) -> tuple[int, int]:
    try:
        width, height = (int(float(v)) for v in (call.params.get("size") or "400,400").split(","))
    except ValueError:
        raise RestError(400, "Unable to complete operation.", ["Invalid size"]) from None
    if not (0 < width <= MAX_IMAGE_SIZE and 0 < height <= MAX_IMAGE_SIZE):
        raise RestError(400, "Unable to complete operation.", ["Invalid size"])
    return width, height


def _visible(call: Call, layers: list[MapLayer]) -> list[MapLayer]:
    spec = call.params.get("layers") or ""
    if ":" not in spec:
        return layers
    mode, _, ids_text = spec.partition(":")
    ids = {int(v) for v in ids_text.split(",") if v.strip().lstrip("-").isdigit()}
    if not ids:
        # "show:" with no ids, as QGIS's arcgismapserver sends for a whole-service layer
        # (no layer= in its URI): no override, the layers draw as they do by default.
        return layers
    mode = mode.strip().lower()
    if mode in ("show", "include"):
        return [layer for layer in layers if layer.id in ids]
    if mode in ("hide", "exclude"):
        return [layer for layer in layers if layer.id not in ids]
    return layers


def export(call: Call, context: MapContext) -> Response:
    box, bbox_sr = _bbox(call, _map_sr(context.layers))
    image_sr = spatialref.parse_sr(call.params.get("imageSR")) or bbox_sr
    transform = spatialref.transformation(bbox_sr, image_sr)
    if transform is not None:
        corners = transform.TransformPoints(
            [(box[0], box[1]), (box[0], box[3]), (box[2], box[1]), (box[2], box[3])]
        )
        xs, ys = [c[0] for c in corners], [c[1] for c in corners]
        box = (min(xs), min(ys), max(xs), max(ys))
    size = _size(call)
    png = render_png(_visible(call, context.layers), image_sr, box, size, call.flag("transparent"))
    if call.f == "image":
        return Response(png, mimetype="image/png")
    folder = call.state.workdir / "arcgisoutput"
    folder.mkdir(parents=True, exist_ok=True)
    name = f"_ags_map{uuid.uuid4().hex}.png"
    (folder / name).write_bytes(png)
    metres = (box[2] - box[0]) * (111_319.49 if _units(image_sr) == "esriDecimalDegrees" else 1)
    return call.respond(
        {
            "href": f"{call.context_url}/rest/directories/arcgisoutput/{name}",
            "width": size[0],
            "height": size[1],
            "extent": dict(
                zip(("xmin", "ymin", "xmax", "ymax"), box),
                spatialReference=spatialref.normalise_sr(image_sr),
            ),
            "scale": metres / (size[0] * 0.0254 / 96.0),
        }
    )


def legend(call: Call, context: MapContext) -> Response:
    entries = []
    for layer in context.layers:
        image = base64.b64encode(swatch_png(layer.id, layer.is_raster)).decode("ascii")
        entries.append(
            {
                "layerId": layer.id,
                "layerName": layer.name,
                "layerType": "Raster Layer" if layer.is_raster else "Feature Layer",
                "minScale": 0,
                "maxScale": 0,
                "legend": [
                    {
                        "label": "",
                        "url": uuid.uuid5(uuid.NAMESPACE_URL, layer.name).hex,
                        "imageData": image,
                        "contentType": "image/png",
                        "height": 20,
                        "width": 20,
                    }
                ],
            }
        )
    return call.respond({"layers": entries})


def _layer(context: MapContext, text: str) -> MapLayer:
    index = int(text)
    if not 0 <= index < len(context.layers):
        raise RestError(400, "Invalid layer ID", ["Invalid layer ID"])
    return context.layers[index]


def map_routes(call: Call, context: MapContext, sub: list[str]) -> Response:
    if not sub:
        return call.respond(map_description(call, context), context.name)
    head = sub[0].lower()
    if len(sub) == 1 and head == "export":
        return export(call, context)
    if len(sub) == 1 and head == "legend":
        return legend(call, context)
    if len(sub) == 1 and head == "layers":
        layers = [layer_description(call, context, layer) for layer in context.layers]
        return call.respond({"layers": layers, "tables": []})
    if len(sub) == 1 and head == "identify":
        return call.respond({"results": []})
    if head.isdigit():
        layer = _layer(context, head)
        if len(sub) == 1:
            return call.respond(layer_description(call, context, layer), layer.name)
        if len(sub) == 2 and sub[1].lower() == "query":
            with no_gc():
                answer = query_layer(layer, call.params, context.max_records)
            return call.respond(answer)
    raise invalid_url()


def _static_layers(call: Call, service: Service) -> list[MapLayer]:
    key = ("dataset", service.path, service.type)
    if key not in call.state.cache:
        dataset = call.state.datasets[service.dataset or ""]
        name = service.name if service.type == "FeatureServer" else service.dataset or ""
        call.state.cache[key] = dataset_layers(name.title(), dataset)
    return call.state.cache[key]


def _succeeded_job(call: Call, owner: Service, job_id: str) -> Job:
    job = call.state.jobs.get(owner, job_id)
    if job is None:
        raise job_not_found(job_id)
    if job.status != SUCCEEDED:
        raise RestError(400, "Unable to complete operation.", [f"Job '{job_id}' has no results."])
    return job


def map_server(call: Call, path: str, sub: list[str]) -> Response:
    registry = call.state.registry
    static = registry.find(path, "MapServer")
    base = f"{call.context_url}/rest/services/{path}/MapServer"
    if static is not None:
        authenticate(call, static)
        context = MapContext(
            static.name, static.description, _static_layers(call, static), 1000, base
        )
        return map_routes(call, context, sub)
    owner = registry.result_map_owner(path)
    if owner is None:
        raise _not_found(path, "MapServer")
    authenticate(call, owner)
    if not sub:
        empty = MapContext(owner.result_map_server_name, owner.description, [], 1000, base)
        return call.respond(map_description(call, empty))
    if sub[0].lower() != "jobs" or len(sub) < 2:
        raise invalid_url()
    job = _succeeded_job(call, owner, sub[1])
    context = MapContext(
        owner.result_map_server_name,
        owner.description,
        job_layers(job),
        owner.maximum_records,
        f"{base}/jobs/{job.job_id}",
    )
    return map_routes(call, context, sub[2:])


def feature_server(call: Call, path: str, sub: list[str]) -> Response:
    service = call.state.registry.find(path, "FeatureServer")
    if service is None:
        raise _not_found(path, "FeatureServer")
    authenticate(call, service)
    base = f"{call.context_url}/rest/services/{path}/FeatureServer"
    context = MapContext(
        service.name, service.description, _static_layers(call, service), 1000, base
    )
    if sub:
        return map_routes(call, context, sub)
    sr = _map_sr(context.layers)
    extent = _extent(context.layers, sr)
    return call.respond(
        {
            "currentVersion": call.state.registry.current_version,
            "serviceDescription": service.description,
            "hasVersionedData": False,
            "supportsDisconnectedEditing": False,
            "supportedQueryFormats": "JSON",
            "maxRecordCount": 1000,
            "capabilities": "Query",
            "description": "",
            "copyrightText": "",
            "spatialReference": sr,
            "initialExtent": extent,
            "fullExtent": extent,
            "allowGeometryUpdates": False,
            "units": _units(sr),
            "layers": [_layer_summary(layer) for layer in context.layers],
            "tables": [],
        }
    )


def map_image_for(call: Call, job: Job, parameter: Parameter) -> dict[str, Any]:
    """The ``mapImage`` value a raster result has on a service with a result map service."""
    layer = next((lyr for lyr in job_layers(job) if lyr.name == parameter.name), None)
    if layer is None:
        return {}
    sr = layer.spatial_reference()
    extent = _extent([layer], sr)
    box = ",".join(str(extent[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
    query = urllib.parse.urlencode(
        {
            "bbox": box,
            "bboxSR": json.dumps(sr),
            "size": "400,400",
            "layers": f"show:{layer.id}",
            "format": "png",
            "transparent": "true",
            "f": "image",
        }
    )
    href = (
        f"{call.context_url}/rest/services/{job.service.result_map_path}/MapServer/jobs/"
        f"{job.job_id}/export?{query}"
    )
    return {"mapImage": {"href": href, "width": 400, "height": 400, "extent": extent, "scale": 0}}
