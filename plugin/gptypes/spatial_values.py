"""The handlers for GPSpatialReference and GPExtent: a CRS, and an extent with its CRS."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingParameterCrs,
    QgsProcessingParameterExtent,
)

from ..i18n import translate
from ..rest.descriptions import GPParameter
from .base import EncodeContext, GPTypeHandler, bad_input, display_name, result_as_text
from .spatial_reference import crs_from_spatial_reference, spatial_reference_from_crs


class SpatialReferenceType(GPTypeHandler):
    """GPSpatialReference / GPCoordinateSystem: a CRS chooser; sent as {wkid} or {wkt}."""

    qgis_input = "Crs"

    def input_definition(self, param: GPParameter) -> Any:
        default = None
        if isinstance(param.default_value, dict) and param.default_value:
            crs = crs_from_spatial_reference(param.default_value)
            default = crs.authid() or None if crs.isValid() else None
        return QgsProcessingParameterCrs(param.name, display_name(param), defaultValue=default)

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        crs: QgsCoordinateReferenceSystem = ctx.algorithm.parameterAsCrs(
            ctx.parameters, param.name, ctx.context
        )
        if not crs.isValid():
            raise bad_input(
                param,
                translate("Scalars", "not a valid CRS: {value!r}").format(
                    value=ctx.parameters[param.name]
                ),
            )
        return spatial_reference_from_crs(crs)

    def decode_value(self, value: Any) -> Any:
        if isinstance(value, dict):
            crs = crs_from_spatial_reference(value)
            if crs.isValid() and crs.authid():
                return crs.authid()
        return result_as_text(value)


class ExtentType(GPTypeHandler):
    """GPExtent / GPEnvelope: an extent (pickable on the canvas), sent with its SR."""

    qgis_input = "Extent"

    def input_definition(self, param: GPParameter) -> Any:
        default = None
        value = param.default_value
        if isinstance(value, dict) and all(k in value for k in ("xmin", "ymin", "xmax", "ymax")):
            default = f"{value['xmin']},{value['xmax']},{value['ymin']},{value['ymax']}"
            crs = crs_from_spatial_reference(value.get("spatialReference"))
            if crs.isValid() and crs.authid():
                default += f" [{crs.authid()}]"
        return QgsProcessingParameterExtent(param.name, display_name(param), defaultValue=default)

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        rect = ctx.algorithm.parameterAsExtent(ctx.parameters, param.name, ctx.context)
        crs = ctx.algorithm.parameterAsExtentCrs(ctx.parameters, param.name, ctx.context)
        envelope: dict[str, Any] = {
            "xmin": rect.xMinimum(),
            "ymin": rect.yMinimum(),
            "xmax": rect.xMaximum(),
            "ymax": rect.yMaximum(),
        }
        if crs.isValid():
            envelope["spatialReference"] = spatial_reference_from_crs(crs)
        return envelope
