"""Geometry helpers shared by the task implementations: units and metric frames."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from osgeo import ogr, osr

from .. import spatialref
from ..errors import TaskFailedError

METRES_PER_UNIT = {
    "esriMeters": 1.0,
    "esriKilometers": 1000.0,
    "esriDecimeters": 0.1,
    "esriCentimeters": 0.01,
    "esriMillimeters": 0.001,
    "esriFeet": 0.3048,
    "esriUSSurveyFeet": 1200.0 / 3937.0,
    "esriInches": 0.0254,
    "esriYards": 0.9144,
    "esriMiles": 1609.344,
    "esriNauticalMiles": 1852.0,
    "esriDecimalDegrees": 111319.49,
}


def to_metres(linear_unit: dict[str, Any], label: str = "Distance") -> float:
    """A GPLinearUnit value in metres (a tool error for units the tool does not know)."""
    units = linear_unit.get("units")
    if units not in METRES_PER_UNIT:
        raise TaskFailedError(f"ERROR 000800: {label}: unsupported linear unit {units!r}")
    return float(linear_unit["distance"]) * METRES_PER_UNIT[units]


@dataclass
class MetricFrame:
    """A metric CRS to measure in, with transforms there and back."""

    srs: osr.SpatialReference
    to_metric: osr.CoordinateTransformation | None
    from_metric: osr.CoordinateTransformation | None
    metres_per_unit: float

    def forward(self, geom: Any) -> Any:
        if self.to_metric is not None:
            geom.Transform(self.to_metric)
        return geom

    def back(self, geom: Any) -> Any:
        if self.from_metric is not None:
            geom.Transform(self.from_metric)
        return geom


def metric_frame(
    sr: dict[str, Any] | None,
    extent: tuple[float, float, float, float] | None,
    process_sr: dict[str, Any] | None = None,
) -> MetricFrame:
    """processSR if projected, else the data's own CRS if projected, else the UTM zone
    at the centre of the data."""
    source = spatialref.srs_from_json(sr) or spatialref.srs_from_code(4326)
    candidate = spatialref.srs_from_json(process_sr) if process_sr else None
    if candidate is not None and candidate.IsProjected():
        metric = candidate
    elif source.IsProjected():
        metric = source
    else:
        lon, lat = 0.0, 0.0
        if extent is not None:
            centre = ogr.Geometry(ogr.wkbPoint)
            centre.AddPoint_2D((extent[0] + extent[2]) / 2, (extent[1] + extent[3]) / 2)
            to_wgs84 = spatialref.transformation(sr, spatialref.WGS84)
            if to_wgs84 is not None:
                centre.Transform(to_wgs84)
            lon, lat = centre.GetX(), centre.GetY()
        metric = spatialref.utm_for(lon, lat)
    if metric.IsSame(source):
        return MetricFrame(metric, None, None, spatialref.linear_unit_metres(metric))
    return MetricFrame(
        srs=metric,
        to_metric=osr.CoordinateTransformation(source, metric),
        from_metric=osr.CoordinateTransformation(metric, source),
        metres_per_unit=spatialref.linear_unit_metres(metric),
    )
