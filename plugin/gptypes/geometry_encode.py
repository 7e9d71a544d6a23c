"""QgsGeometry -> Esri JSON geometry (text for the feature set writer, dicts for the rest).

Two routes (figures: 100,000 small polygons, this 2-core machine, QGIS 3.22):

* text, for the writer: ``QgsGeometry.forceRHR()`` (Esri ring orientation: exterior
  clockwise, holes counter-clockwise) + ``asJson(17)``, then the GeoJSON
  ``coordinates`` are spliced into ``{"rings": ...}`` with two string operations
  (~140,000 geometries/s). Both C++ calls cost ~0.4 us per vertex; a WKB + ``%r``
  formatter in Python was as fast for 4-vertex rings and 2x slower for 20+.
  ``asJson`` rounds through ``qgsRound(x, 17)``, which can move a coordinate by one
  unit in the last place (~1e-10 m at 1e6 m) and zeroes values below 5e-18: far
  below ArcGIS's own XY resolution (1e-4 m / 1e-9 degree by default), to which a GP
  service snaps every coordinate it loads.
* exact: ``asWkb()`` unpacked with ``struct``. Used where the text route does not
  apply (M values, which GeoJSON lacks; curves; type or Z conversions; envelopes)
  and for ``geometry_to_esri`` dicts.

Curves are segmentized (QGIS default tolerance) rather than sent as ``curveRings``:
every ArcGIS version reads plain rings, not all GP tools read curves.
"""

from __future__ import annotations

import json
import math
import struct
from functools import lru_cache
from typing import Any

from qgis.core import QgsGeometry, QgsWkbTypes

from .errors import EsriJsonError
from .geometry_types import ENVELOPE, MULTIPOINT, POINT, POLYGON, POLYLINE, esri_geometry_type

_FAMILY = {
    POINT: QgsWkbTypes.GeometryType.PointGeometry,
    MULTIPOINT: QgsWkbTypes.GeometryType.PointGeometry,
    POLYLINE: QgsWkbTypes.GeometryType.LineGeometry,
    POLYGON: QgsWkbTypes.GeometryType.PolygonGeometry,
}
# How GeoJSON coordinates become Esri's: as they are, wrapped in one more array
# (single line -> paths, single point -> points), or multipolygon -> flat rings.
_AS_IS, _WRAP, _UNNEST = 0, 1, 2
_PREFIX = '{"coordinates":'
_NAN = float("nan")
_dumps = json.JSONEncoder(separators=(",", ":"), allow_nan=False).encode


class GeometryEncoder:
    """Encodes QgsGeometry into one Esri (type, hasZ, hasM) layout."""

    def __init__(self, geometry_type: str, has_z: bool = False, has_m: bool = False) -> None:
        if geometry_type not in _FAMILY and geometry_type != ENVELOPE:
            raise EsriJsonError(f"unknown Esri geometry type {geometry_type!r}")
        self.geometry_type = geometry_type
        self.has_z = bool(has_z) and geometry_type != ENVELOPE
        self.has_m = bool(has_m) and geometry_type != ENVELOPE
        self._dims = 2 + self.has_z + self.has_m
        self._key = {POINT: "", MULTIPOINT: '{"points":', POLYLINE: '{"paths":'}.get(
            geometry_type, '{"rings":'
        )
        #: per source WKB type: the GeoJSON suffix asJson ends with and how to turn its
        #: coordinates into Esri's, or None when the text route does not apply
        self._plans: dict[int, tuple[str, int] | None] = {}

    def _plan(self, wkb_type: QgsWkbTypes.Type) -> tuple[str, int] | None:
        """The text route applies when asJson of the *source* geometry already has the
        right family and Z, and no M is wanted (GeoJSON has none)."""
        target = self.geometry_type
        if (
            self.has_m
            or target == ENVELOPE
            or QgsWkbTypes.isCurvedType(wkb_type)
            or QgsWkbTypes.geometryType(wkb_type) != _FAMILY[target]
            or QgsWkbTypes.hasZ(wkb_type) != self.has_z
        ):
            return None
        flat = QgsWkbTypes.flatType(wkb_type)
        shapes = {
            QgsWkbTypes.Type.Point: _AS_IS if target == POINT else _WRAP,
            QgsWkbTypes.Type.MultiPoint: None if target == POINT else _AS_IS,
            QgsWkbTypes.Type.LineString: _WRAP,
            QgsWkbTypes.Type.MultiLineString: _AS_IS,
            QgsWkbTypes.Type.Polygon: _AS_IS,
            QgsWkbTypes.Type.MultiPolygon: _UNNEST,
        }
        shape = shapes.get(flat)
        if shape is None:
            return None
        return ',"type":"' + QgsWkbTypes.displayString(flat) + '"}', shape

    # -- public ------------------------------------------------------------------

    def to_json(self, geometry: QgsGeometry | None) -> str | None:
        """The Esri geometry as JSON text; None for a null or empty geometry."""
        if geometry is None:
            return None
        wkb_type = geometry.wkbType()
        try:
            plan = self._plans[wkb_type]
        except KeyError:
            plan = self._plans[wkb_type] = self._plan(wkb_type)
        if plan is not None:
            if self.geometry_type == POLYGON:
                geometry = geometry.forceRHR()
            text = geometry.asJson(17)
            suffix, shape = plan
            if text.startswith(_PREFIX) and text.endswith(suffix):
                coordinates = text[len(_PREFIX) : -len(suffix)]
                if coordinates == "[]":
                    return None  # empty
                if shape == _UNNEST:
                    coordinates = "[" + coordinates[2:-2].replace("]]],[[[", "]],[[") + "]"
                elif shape == _WRAP:
                    coordinates = "[" + coordinates + "]"
                if self.geometry_type == POINT:
                    return self._point_text(coordinates)
                return self._key + coordinates + "}"
        obj = self.to_dict(geometry)
        return None if obj is None else _dumps(obj)

    def _point_text(self, coordinates: str) -> str | None:
        values = coordinates[1:-1].split(",")
        if len(values) != self._dims or values[0] == "null" or values[1] == "null":
            return None
        text = '{"x":' + values[0] + ',"y":' + values[1]
        return text + (',"z":' + values[2] + "}" if self.has_z else "}")

    def to_dict(self, geometry: QgsGeometry | None) -> dict | None:
        """The Esri geometry as a dict (exact coordinates); None for null/empty."""
        prepared = self._prepare(geometry)
        return None if prepared is None else self._to_dict(prepared)

    # -- preparation ---------------------------------------------------------------

    def _prepare(self, geometry: QgsGeometry | None) -> QgsGeometry | None:
        """A copy in the target family, multi, Esri-oriented, with the target Z/M."""
        if geometry is None or geometry.isNull() or geometry.isEmpty():
            return None
        target = self.geometry_type
        if target == ENVELOPE:
            return geometry
        geometry = QgsGeometry(geometry)  # implicitly shared: edits below never reach the caller
        if QgsWkbTypes.isCurvedType(geometry.wkbType()):
            geometry = QgsGeometry(geometry.constGet().segmentize())
        if geometry.type() != _FAMILY[target]:
            converted = geometry.convertToType(_FAMILY[target], target != POINT)
            if converted is None or converted.isNull():
                raise EsriJsonError(
                    f"a {QgsWkbTypes.displayString(geometry.wkbType())} geometry cannot be "
                    f"written as {target}"
                )
            geometry = converted
        if target == POINT:
            if geometry.isMultipart():
                parts = geometry.constGet()
                if parts.numGeometries() != 1:
                    raise EsriJsonError("a multipoint with several points cannot be a point")
                geometry = QgsGeometry(parts.geometryN(0).clone())
        else:
            if not geometry.isMultipart():
                geometry.convertToMultiType()
            if target == POLYGON:
                geometry = geometry.forceRHR()
        wkb_type = geometry.wkbType()
        if self.has_z != QgsWkbTypes.hasZ(wkb_type):
            if self.has_z:
                geometry.get().addZValue(0.0)
            else:
                geometry.get().dropZValue()
        if self.has_m != QgsWkbTypes.hasM(wkb_type):
            if self.has_m:
                geometry.get().addMValue(_NAN)
            else:
                geometry.get().dropMValue()
        return geometry

    # -- exact route -----------------------------------------------------------------

    def _to_dict(self, geometry: QgsGeometry) -> dict | None:
        if self.geometry_type == ENVELOPE:
            box = geometry.boundingBox()
            values = [box.xMinimum(), box.yMinimum(), box.xMaximum(), box.yMaximum()]
            if not all(map(math.isfinite, values)):
                return None
            return dict(zip(("xmin", "ymin", "xmax", "ymax"), values))
        parsed = _WkbReader(bytes(geometry.asWkb()), self._dims).read()
        if self.geometry_type == POINT:
            coords = parsed
            if coords[0] is None or coords[1] is None:
                return None
            obj = {"x": coords[0], "y": coords[1]}
            if self.has_z:
                obj["z"] = coords[2]
            if self.has_m:
                obj["m"] = coords[3 if self.has_z else 2]
            return obj
        if self.geometry_type == MULTIPOINT:
            return {"points": [p for p in parsed if p]}
        if self.geometry_type == POLYLINE:
            return {"paths": [line for line in parsed if line]}
        return {"rings": [ring for polygon in parsed for ring in polygon if ring]}


class _WkbReader:
    """Just enough of a WKB reader for what ``_prepare`` produces (ISO or 2.5D flags)."""

    def __init__(self, data: bytes, dims: int) -> None:
        self._data = data
        self._dims = dims
        self._off = 0
        self._fmt = "<"

    def read(self) -> Any:
        data = self._data
        self._fmt = "<" if data[self._off] == 1 else ">"
        (code,) = struct.unpack_from(self._fmt + "I", data, self._off + 1)
        self._off += 5
        base = (code & 0x0FFFFFFF) % 1000
        if base == 1:
            return self._coords(1)[0]
        if base == 2:
            return self._coords(self._count())
        if base in (3, 17):  # polygon, triangle
            return [self._coords(self._count()) for _ in range(self._count())]
        if base in (4, 5, 6, 7):
            return [self.read() for _ in range(self._count())]
        raise EsriJsonError(f"unexpected WKB geometry type {code}")

    def _count(self) -> int:
        (count,) = struct.unpack_from(self._fmt + "I", self._data, self._off)
        self._off += 4
        return count

    def _coords(self, count: int) -> list[list]:
        size = count * self._dims
        values = list(struct.unpack_from(f"{self._fmt}{size}d", self._data, self._off))
        self._off += 8 * size
        if not all(map(math.isfinite, values)):
            values = [v if math.isfinite(v) else None for v in values]
        it = iter(values)
        return [list(c) for c in zip(*[it] * self._dims)]


@lru_cache(maxsize=64)
def get_encoder(geometry_type: str, has_z: bool = False, has_m: bool = False) -> GeometryEncoder:
    """A (cached) encoder for one layout."""
    return GeometryEncoder(geometry_type, has_z, has_m)


def geometry_to_esri(
    geometry: QgsGeometry | None,
    has_z: bool = False,
    has_m: bool = False,
    geometry_type: str | None = None,
) -> dict | None:
    """One QgsGeometry as an Esri geometry dict; None for null or empty geometries.

    ``geometry_type`` forces the Esri type (e.g. ``esriGeometryEnvelope``, or a
    multipoint for a single point); by default it follows the geometry. Invalid
    geometries are encoded as they are: validity is the server's business.
    """
    if geometry is None or geometry.isNull() or geometry.isEmpty():
        return None
    if geometry_type is None:
        geometry_type = esri_geometry_type(geometry.wkbType())
    return get_encoder(geometry_type, bool(has_z), bool(has_m)).to_dict(geometry)
