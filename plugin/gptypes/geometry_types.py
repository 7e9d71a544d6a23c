"""Esri ``geometryType`` names <-> QGIS WKB types.

Decoded lines and polygons are always multi types: one Esri polyline may hold
several paths and one polygon several outer rings, and a sink must be created with
one type before the first feature is read.
"""

from __future__ import annotations

from qgis.core import QgsWkbTypes

from .errors import EsriJsonError

POINT = "esriGeometryPoint"
MULTIPOINT = "esriGeometryMultipoint"
POLYLINE = "esriGeometryPolyline"
POLYGON = "esriGeometryPolygon"
ENVELOPE = "esriGeometryEnvelope"

_BASE_WKB = {
    POINT: QgsWkbTypes.Type.Point,
    MULTIPOINT: QgsWkbTypes.Type.MultiPoint,
    POLYLINE: QgsWkbTypes.Type.MultiLineString,
    POLYGON: QgsWkbTypes.Type.MultiPolygon,
    ENVELOPE: QgsWkbTypes.Type.Polygon,
}


def esri_geometry_type(wkb_type: QgsWkbTypes.Type) -> str:
    """The Esri geometry type that holds geometries of ``wkb_type``.

    Raises EsriJsonError for types Esri JSON cannot carry (no geometry, unknown,
    geometry collections), so the caller can ask the user for a typed layer.
    """
    flat = QgsWkbTypes.flatType(QgsWkbTypes.singleType(wkb_type))
    family = QgsWkbTypes.geometryType(wkb_type)
    is_collection = flat == QgsWkbTypes.Type.GeometryCollection
    if family == QgsWkbTypes.GeometryType.PointGeometry and not is_collection:
        return MULTIPOINT if QgsWkbTypes.isMultiType(wkb_type) else POINT
    if family == QgsWkbTypes.GeometryType.LineGeometry:
        return POLYLINE
    if family == QgsWkbTypes.GeometryType.PolygonGeometry:
        return POLYGON
    raise EsriJsonError(
        f"Esri JSON has no geometry type for {QgsWkbTypes.displayString(wkb_type) or 'no geometry'}"
    )


def wkb_type_from_esri(
    geometry_type: str | None, has_z: bool = False, has_m: bool = False
) -> QgsWkbTypes.Type:
    """The QGIS WKB type of decoded Esri geometries (NoGeometry for record sets).

    Envelopes become plain 2D polygons: Esri envelopes carry Z/M only as ranges.
    """
    if not geometry_type:
        return QgsWkbTypes.Type.NoGeometry
    if not isinstance(geometry_type, str):
        raise EsriJsonError(f"unknown Esri geometry type {geometry_type!r:.40}")
    try:
        wkb_type = _BASE_WKB[geometry_type]
    except KeyError:
        raise EsriJsonError(f"unknown Esri geometry type {geometry_type!r}") from None
    if geometry_type == ENVELOPE:
        return wkb_type
    if has_z:
        wkb_type = QgsWkbTypes.addZ(wkb_type)
    if has_m:
        wkb_type = QgsWkbTypes.addM(wkb_type)
    return wkb_type


def esri_geometry_type_of(obj: dict) -> str | None:
    """Guess the geometry type from the keys of one Esri geometry object."""
    if not isinstance(obj, dict):
        return None
    if "x" in obj:
        return POINT
    if "points" in obj:
        return MULTIPOINT
    if "paths" in obj or "curvePaths" in obj:
        return POLYLINE
    if "rings" in obj or "curveRings" in obj:
        return POLYGON
    if "xmin" in obj:
        return ENVELOPE
    return None
