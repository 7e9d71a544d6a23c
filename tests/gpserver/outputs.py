"""Writing GP output values into result JSON, honouring what the client asked for.

The same stored output answers ``execute``, ``jobs/<id>/results/<name>`` (with its own
``outSR``, ``returnZ``, ``returnM``, ``returnType``, ``returnColumnName``) and the result
map service, so the formatting is a function of (value, request options), nothing else.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from .featureset import FeatureSet
from .registry import Parameter

RASTER_TYPES = {"GPRasterDataLayer", "GPRasterData", "GPRasterLayer"}


@dataclass
class OutputFile:
    """A file a task wrote into its scratch folder; clients get a URL to it."""

    path: Path
    format: str | None = None  # "tif" for rasters, as ArcGIS adds it
    #: Published as an image service ({"url": …/ImageServer, "type": "ImageService"}), as
    #: ArcGIS Enterprise does for raster analysis outputs, instead of a file URL.
    image_service: bool = False


@dataclass
class ServiceLayerOutput:
    """An output written to a service layer; clients get ``{"url": <layer URL>}``."""

    path: str  # relative to the services root, e.g. "Hosted/Parcels/FeatureServer/0"
    #: The portal item of a layer the run created (``{"url", "itemId"}``), as analysis
    #: services answer for an ``outputName``.
    item_id: str | None = None


@dataclass
class ResultOptions:
    """What one request asks of the outputs (job-level defaults, then request overrides)."""

    out_sr: dict[str, Any] | None = None
    return_z: bool = False
    return_m: bool = False
    max_records: int | None = None
    limit_mode: str = "truncate"
    return_column_name: bool = False
    return_type_data: bool = True


def format_value(
    parameter: Parameter,
    value: Any,
    options: ResultOptions,
    file_url: Callable[[OutputFile], str],
    map_image: Callable[[Parameter], dict[str, Any]] | None = None,
    image_service_url: Callable[[OutputFile], str] | None = None,
    services_url: str = "",
) -> Any:
    """The ``value`` of a result for ``parameter``."""
    data_type = parameter.data_type
    if isinstance(value, ServiceLayerOutput):
        layer = {"url": f"{services_url}/{value.path}"}
        return {**layer, "itemId": value.item_id} if value.item_id else layer
    if isinstance(value, FeatureSet):
        return value.to_json(
            out_sr=options.out_sr,
            return_z=options.return_z,
            return_m=options.return_m,
            max_records=options.max_records,
            limit_mode=options.limit_mode,
        )
    if isinstance(value, OutputFile):
        if value.image_service and image_service_url is not None:
            return {"url": image_service_url(value), "type": "ImageService"}
        if data_type in RASTER_TYPES and not options.return_type_data and map_image:
            return map_image(parameter)
        out: dict[str, Any] = {"url": file_url(value)}
        if value.format:
            out["format"] = value.format
        return out
    if isinstance(value, list) and any(isinstance(v, OutputFile) for v in value):
        return [format_value(parameter, v, options, file_url) for v in value]
    if data_type == "GPValueTable" and options.return_column_name and isinstance(value, list):
        columns = [c.get("name") for c in parameter.description.get("parameterInfos") or []]
        return [dict(zip(columns, row)) for row in value]
    return value


def result_json(parameter: Parameter, formatted: Any) -> dict[str, Any]:
    return {"paramName": parameter.name, "dataType": parameter.data_type, "value": formatted}
