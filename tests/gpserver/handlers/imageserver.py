"""``/…/ImageServer``: raster outputs that a task publishes as image services.

ArcGIS Enterprise's raster analysis writes some raster outputs as hosted image services
and returns ``{"url": "…/ImageServer", "type": "ImageService"}`` instead of a file. Such
a service is made here when its result is first formatted; it answers its description
(``?f=json``) and ``exportImage`` (drawn like a result map service's raster layer).
"""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from ..call import Call
from ..errors import RestError, invalid_url
from ..jobs import Job
from ..maplayers import MapLayer
from ..outputs import OutputFile
from ..registry import Parameter, Service
from .catalog import authenticate
from .mapserver import MAX_IMAGE_SIZE, MapContext, export

FOLDER = "Results"


def _key(name: str) -> tuple[str, str]:
    return ("image_service", name.lower())


def publish(call: Call, job: Job, parameter: Parameter, output: OutputFile) -> str:
    """Register the output as ``Results/<jobId>_<param>/ImageServer``; its URL."""
    name = f"{job.job_id}_{parameter.name}"
    call.state.cache[_key(name)] = (output.path, job.service)
    return f"{call.context_url}/rest/services/{FOLDER}/{name}/ImageServer"


def _description(call: Call, name: str, layer: MapLayer) -> dict[str, Any]:
    box = layer.extent() or (0.0, 0.0, 1.0, 1.0)
    sr = layer.spatial_reference()
    extent = dict(zip(("xmin", "ymin", "xmax", "ymax"), box), spatialReference=sr)
    return {
        "currentVersion": call.state.registry.current_version,
        "serviceDescription": f"Raster output {name}",
        "name": name,
        "description": "",
        "extent": extent,
        "initialExtent": extent,
        "fullExtent": extent,
        "pixelSizeX": (box[2] - box[0]) / 100.0,
        "pixelSizeY": (box[3] - box[1]) / 100.0,
        "bandCount": 1,
        "pixelType": "F32",
        "minPixelSize": 0,
        "maxPixelSize": 0,
        "serviceDataType": "esriImageServiceDataTypeElevation",
        "spatialReference": sr,
        "capabilities": "Image,Metadata",
        "defaultResamplingMethod": "Bilinear",
        "maxImageHeight": MAX_IMAGE_SIZE,
        "maxImageWidth": MAX_IMAGE_SIZE,
        "allowedMosaicMethods": "",
        "singleFusedMapCache": False,
    }


def image_server(call: Call, path: str, sub: list[str]) -> Response:
    folder, _, name = path.partition("/")
    entry = call.state.cache.get(_key(name)) if folder.lower() == FOLDER.lower() else None
    if entry is None:
        raise RestError(404, f"Service {path}/ImageServer not found", [])
    raster, owner = entry
    service: Service = owner
    authenticate(call, service)
    layer = MapLayer(0, name, raster=raster)
    url = f"{call.context_url}/rest/services/{path}/ImageServer"
    if not sub:
        return call.respond(_description(call, name, layer))
    if len(sub) == 1 and sub[0].lower() == "exportimage":
        return export(call, MapContext(name, "", [layer], 1000, url))
    raise invalid_url()
