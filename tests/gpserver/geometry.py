"""Esri JSON geometries: to and from OGR, and bulk coordinate rewriting.

Tasks do their geometry work in OGR (buffer, union, area); results travel as Esri JSON
dicts. OGR reads Esri JSON itself (``CreateGeometryFromEsriJson``) but cannot write it, so
the writer is here, with Esri's ring order (exterior clockwise, holes counter-clockwise).
Reprojection and dropping Z/M work on the JSON directly and in bulk (one
``TransformPoints`` call for a whole feature set), which keeps 100,000-feature outputs fast.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from osgeo import ogr, osr

GEOMETRY_TYPES = (
    "esriGeometryPoint",
    "esriGeometryMultipoint",
    "esriGeometryPolyline",
    "esriGeometryPolygon",
    "esriGeometryEnvelope",
)
_FLAT_TYPES = {
    ogr.wkbPoint: "esriGeometryPoint",
    ogr.wkbMultiPoint: "esriGeometryMultipoint",
    ogr.wkbLineString: "esriGeometryPolyline",
    ogr.wkbMultiLineString: "esriGeometryPolyline",
    ogr.wkbPolygon: "esriGeometryPolygon",
    ogr.wkbMultiPolygon: "esriGeometryPolygon",
}


def geometry_type_of(geometry: dict[str, Any] | None) -> str | None:
    """Esri geometry type from the keys of one geometry (feature sets may omit it)."""
    if not geometry:
        return None
    if "rings" in geometry or "curveRings" in geometry:
        return "esriGeometryPolygon"
    if "paths" in geometry or "curvePaths" in geometry:
        return "esriGeometryPolyline"
    if "points" in geometry:
        return "esriGeometryMultipoint"
    if "x" in geometry:
        return "esriGeometryPoint"
    if "xmin" in geometry:
        return "esriGeometryEnvelope"
    return None


def to_ogr(geometry: dict[str, Any] | None, has_z: bool = False, has_m: bool = False):
    """OGR geometry from Esri JSON; ``None`` for a missing or unreadable geometry."""
    if not geometry:
        return None
    if "xmin" in geometry:
        ring = envelope_ring(geometry)
        geometry = {"rings": [ring]}
    payload = dict(geometry)
    if has_z:
        payload["hasZ"] = True
    if has_m:
        payload["hasM"] = True
    payload.pop("spatialReference", None)
    return ogr.CreateGeometryFromEsriJson(json.dumps(payload))


def envelope_ring(env: dict[str, Any]) -> list[list[float]]:
    x0, y0, x1, y1 = (float(env[k]) for k in ("xmin", "ymin", "xmax", "ymax"))
    return [[x0, y0], [x0, y1], [x1, y1], [x1, y0], [x0, y0]]


def _coords(geom, with_z: bool) -> list[list[float]]:
    if with_z:
        return [list(p) for p in geom.GetPoints()] if geom.GetPointCount() else []
    return [[p[0], p[1]] for p in (geom.GetPoints() or [])]


def _signed_area(ring: list[list[float]]) -> float:
    total = 0.0
    for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:]):
        total += x0 * y1 - x1 * y0
    return total / 2.0


def _oriented(ring: list[list[float]], clockwise: bool) -> list[list[float]]:
    is_clockwise = _signed_area(ring) < 0
    return ring if is_clockwise == clockwise else ring[::-1]


def _parts(geom) -> Iterator[Any]:
    """Leaf geometries of a (multi) geometry or collection."""
    if geom.GetGeometryCount() and ogr.GT_Flatten(geom.GetGeometryType()) not in (ogr.wkbPolygon,):
        for i in range(geom.GetGeometryCount()):
            yield from _parts(geom.GetGeometryRef(i))
    else:
        yield geom


def from_ogr(geom, geometry_type: str | None = None) -> dict[str, Any] | None:
    """Esri JSON from an OGR geometry (Z kept when present; curves linearised)."""
    if geom is None or geom.IsEmpty():
        return None
    if geom.HasCurveGeometry():
        geom = geom.GetLinearGeometry()
    with_z = geom.Is3D() == 1
    kind = geometry_type or _FLAT_TYPES.get(ogr.GT_Flatten(geom.GetGeometryType()))
    leaves = list(_parts(geom))
    if kind == "esriGeometryPoint":
        point = leaves[0]
        out = {"x": point.GetX(), "y": point.GetY()}
        if with_z:
            out["z"] = point.GetZ()
        return out
    if kind == "esriGeometryMultipoint":
        return {"points": [c for leaf in leaves for c in _coords(leaf, with_z)]}
    if kind == "esriGeometryPolyline":
        return {"paths": [_coords(leaf, with_z) for leaf in leaves if leaf.GetPointCount()]}
    rings: list[list[list[float]]] = []
    for polygon in leaves:
        if ogr.GT_Flatten(polygon.GetGeometryType()) != ogr.wkbPolygon:
            continue
        for index in range(polygon.GetGeometryCount()):
            ring = _coords(polygon.GetGeometryRef(index), with_z)
            if len(ring) >= 4:
                rings.append(_oriented(ring, clockwise=index == 0))
    return {"rings": rings} if rings else None


def _vertex_indexes(has_z: bool, has_m: bool, keep_z: bool, keep_m: bool) -> list[int]:
    indexes = [0, 1]
    position = 2
    if has_z:
        if keep_z:
            indexes.append(position)
        position += 1
    if has_m and keep_m:
        indexes.append(position)
    return indexes


def _vertex_lists(geometry: dict[str, Any]) -> list[list[list[float]]]:
    for key in ("rings", "paths"):
        if key in geometry:
            return geometry[key]
    if "points" in geometry:
        return [geometry["points"]]
    return []


def reshape_features(
    features: list[dict[str, Any]],
    *,
    has_z: bool,
    has_m: bool,
    keep_z: bool,
    keep_m: bool,
    transform: osr.CoordinateTransformation | None = None,
) -> list[dict[str, Any]]:
    """New features whose geometries are reprojected and/or stripped of Z and M.

    Attributes are shared, not copied (outputs are read-only). All vertices of all features
    go through one ``TransformPoints`` call.
    """
    keep = _vertex_indexes(has_z, has_m, keep_z and has_z, keep_m and has_m)
    full = _vertex_indexes(has_z, has_m, True, True)
    if keep == full and transform is None:
        return features
    plain_slice = keep == list(range(len(keep)))
    xy: list[tuple[float, float]] = []
    if transform is not None:
        for feature in features:
            geometry = feature.get("geometry")
            if not geometry:
                continue
            if "x" in geometry:
                xy.append((geometry["x"], geometry["y"]))
            elif "xmin" in geometry:
                xy.append((geometry["xmin"], geometry["ymin"]))
                xy.append((geometry["xmax"], geometry["ymax"]))
            else:
                for part in _vertex_lists(geometry):
                    xy.extend((v[0], v[1]) for v in part)
        moved = iter(transform.TransformPoints(xy)) if xy else iter(())
    out: list[dict[str, Any]] = []
    for feature in features:
        geometry = feature.get("geometry")
        if not geometry:
            out.append(feature)
            continue
        new_geometry: dict[str, Any]
        if "x" in geometry:
            x, y = (next(moved)[:2]) if transform is not None else (geometry["x"], geometry["y"])
            new_geometry = {"x": x, "y": y}
            if keep_z and "z" in geometry:
                new_geometry["z"] = geometry["z"]
            if keep_m and "m" in geometry:
                new_geometry["m"] = geometry["m"]
        elif "xmin" in geometry:
            new_geometry = dict(geometry)
            if transform is not None:
                (x0, y0, *_), (x1, y1, *_) = next(moved), next(moved)
                new_geometry.update(xmin=x0, ymin=y0, xmax=x1, ymax=y1)
        else:
            key = next(k for k in ("rings", "paths", "points") if k in geometry)
            parts = _vertex_lists(geometry)
            new_parts = []
            for part in parts:
                if transform is not None:
                    new_parts.append(
                        [[*next(moved)[:2], *[v[i] for i in keep[2:] if i < len(v)]] for v in part]
                    )
                elif plain_slice:
                    width = len(keep)
                    new_parts.append([v[:width] for v in part])
                else:
                    new_parts.append([[v[i] for i in keep if i < len(v)] for v in part])
            new_geometry = {key: new_parts[0] if key == "points" else new_parts}
        out.append({"attributes": feature.get("attributes", {}), "geometry": new_geometry})
    return out


def extent_of(features: list[dict[str, Any]]) -> tuple[float, float, float, float] | None:
    """(xmin, ymin, xmax, ymax) of all geometries; ``None`` when there are none."""
    xmin = ymin = float("inf")
    xmax = ymax = float("-inf")
    for feature in features:
        geometry = feature.get("geometry")
        if not geometry:
            continue
        if "x" in geometry:
            points: list[Any] = [(geometry["x"], geometry["y"])]
        elif "xmin" in geometry:
            points = [(geometry["xmin"], geometry["ymin"]), (geometry["xmax"], geometry["ymax"])]
        else:
            points = [v for part in _vertex_lists(geometry) for v in part]
        for x, y, *_ in points:
            xmin, xmax = min(xmin, x), max(xmax, x)
            ymin, ymax = min(ymin, y), max(ymax, y)
    if xmin == float("inf"):
        return None
    return xmin, ymin, xmax, ymax
