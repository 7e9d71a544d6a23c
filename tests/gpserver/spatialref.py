"""Spatial references: Esri JSON ``{"wkid", "latestWkid", "wkt"}`` <-> OSR, and transforms.

Kept apart from geometry code because every other module (inputs, outputs, tasks, the map
service) needs "what CRS is this JSON" and "reproject these coordinates", and both carry
the same Esri quirks: old wkids (102100/102113 mean EPSG:3857), ESRI-only codes (102726),
and ``outSR`` given as a bare number or as JSON.
"""

from __future__ import annotations

import json
import math
from typing import Any

from osgeo import osr

WEB_MERCATOR_ALIASES = {102100, 102113, 900913, 3785}
WGS84 = {"wkid": 4326, "latestWkid": 4326}


def _new_srs() -> osr.SpatialReference:
    srs = osr.SpatialReference()
    # x = longitude / easting, like Esri JSON, whatever the authority's axis order says.
    srs.SetAxisMappingStrategy(osr.OAMS_TRADITIONAL_GIS_ORDER)
    return srs


def _succeeds(call: Any, *args: Any) -> bool:
    """True when an OSR call worked, whether or not someone enabled GDAL exceptions.

    The server shares its process with QGIS and the plugin, so it never switches the
    bindings' global exception mode itself.
    """
    try:
        return call(*args) == 0
    except RuntimeError:
        return False


def srs_from_code(code: int) -> osr.SpatialReference:
    """EPSG first, then the ESRI authority (10xxxx codes), web mercator aliases -> 3857."""
    srs = _new_srs()
    if code in WEB_MERCATOR_ALIASES:
        code = 3857
    if not (_succeeds(srs.ImportFromEPSG, code) or _succeeds(srs.SetFromUserInput, f"ESRI:{code}")):
        raise ValueError(f"unknown spatial reference wkid {code}")
    return srs


def parse_sr(value: Any) -> dict[str, Any] | None:
    """``outSR``/``processSR``/``inSR`` as sent: ``4326``, ``"4326"`` or JSON -> SR JSON."""
    if value is None or value == "":
        return None
    if isinstance(value, dict):
        return value
    if isinstance(value, (int, float)):
        return {"wkid": int(value)}
    text = str(value).strip()
    if text.lstrip("-").isdigit():
        return {"wkid": int(text)}
    decoded = json.loads(text)
    if isinstance(decoded, int):
        return {"wkid": decoded}
    if not isinstance(decoded, dict):
        raise ValueError(f"not a spatial reference: {text[:80]}")
    return decoded


def srs_from_json(sr: dict[str, Any] | None) -> osr.SpatialReference | None:
    """OSR for an Esri SR JSON; ``None`` when the JSON names none. Raises on junk."""
    if not sr:
        return None
    for key in ("latestWkid", "wkid"):
        code = sr.get(key)
        if code not in (None, ""):
            return srs_from_code(int(code))
    wkt = sr.get("wkt") or sr.get("wkt2")
    if wkt:
        srs = _new_srs()
        if not _succeeds(srs.SetFromUserInput, wkt):
            raise ValueError("unreadable spatial reference wkt")
        return srs
    return None


def sr_to_json(srs: osr.SpatialReference) -> dict[str, Any]:
    """The JSON ArcGIS writes for a CRS: wkid + latestWkid, or ESRI WKT."""
    name = srs.GetAuthorityName(None)
    code = srs.GetAuthorityCode(None)
    if name == "EPSG" and code:
        wkid = int(code)
        if wkid == 3857:
            return {"wkid": 102100, "latestWkid": 3857}
        return {"wkid": wkid, "latestWkid": wkid}
    if name == "ESRI" and code:
        return {"wkid": int(code)}
    return {"wkt": srs.ExportToWkt(["FORMAT=WKT1_ESRI"])}


def normalise_sr(sr: dict[str, Any] | None) -> dict[str, Any] | None:
    """Rewrite an SR JSON the way ArcGIS echoes it (adds latestWkid); keeps junk as is."""
    if not sr:
        return sr
    try:
        srs = srs_from_json(sr)
    except (RuntimeError, ValueError, TypeError):
        return sr
    return sr_to_json(srs) if srs is not None else sr


def same_sr(a: dict[str, Any] | None, b: dict[str, Any] | None) -> bool:
    if not a or not b:
        return True
    if a == b:
        return True
    srs_a, srs_b = srs_from_json(a), srs_from_json(b)
    if srs_a is None or srs_b is None:
        return True
    return bool(srs_a.IsSame(srs_b))


def transformation(
    source: dict[str, Any] | None, target: dict[str, Any] | None
) -> osr.CoordinateTransformation | None:
    """A transform between two SR JSONs, ``None`` when nothing needs to move.

    A new object per call: PROJ transformations must not be shared across threads.
    """
    if same_sr(source, target):
        return None
    return osr.CoordinateTransformation(srs_from_json(source), srs_from_json(target))


def utm_for(lon: float, lat: float) -> osr.SpatialReference:
    """The UTM zone (WGS 84) around a point: a metric CRS for buffers and areas."""
    zone = min(60, max(1, math.floor((lon + 180.0) / 6.0) + 1))
    return srs_from_code((32600 if lat >= 0 else 32700) + zone)


def local_metric(lon: float, lat: float) -> osr.SpatialReference:
    """An azimuthal equidistant CRS centred on a point: true distances from it."""
    srs = _new_srs()
    proj = f"+proj=aeqd +lat_0={lat} +lon_0={lon} +datum=WGS84 +units=m +no_defs"
    _succeeds(srs.SetFromUserInput, proj)
    return srs


def linear_unit_metres(srs: osr.SpatialReference) -> float:
    """Metres per unit of a projected CRS (1.0 for metres, 0.3048... for feet)."""
    return float(srs.GetLinearUnits() or 1.0)
