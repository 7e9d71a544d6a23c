"""Esri ``spatialReference`` objects <-> QGIS coordinate reference systems.

ArcGIS names a CRS by ``latestWkid`` (current EPSG/ESRI code), ``wkid`` (possibly an
old alias such as 102100/102113 for Web Mercator, or an ESRI-only code like 102726)
or ``wkt``. QGIS 3.22's ``QgsArcGisRestUtils.convertSpatialReference`` resolves
102100 to ``ESRI:102100`` rather than ``EPSG:3857``, which makes layers from the same
server land in "different" CRSs; hence this module.
"""

from __future__ import annotations

from typing import Any

from qgis.core import QgsCoordinateReferenceSystem

#: Esri's and others' aliases of Web Mercator; all of them mean EPSG:3857 in QGIS.
WEB_MERCATOR_ALIASES = frozenset({102100, 102113, 900913, 3785})

#: What ArcGIS itself writes for Web Mercator (10.x servers only know 102100).
WEB_MERCATOR_SR = {"wkid": 102100, "latestWkid": 3857}


def _as_code(value: Any) -> int | None:
    """A wkid as int, accepting numeric strings; None for anything else."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value if value > 0 else None
    if isinstance(value, float) and value.is_integer():
        return int(value) if value > 0 else None
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip()) or None
    return None


def crs_from_wkid(code: int) -> QgsCoordinateReferenceSystem:
    """The CRS of one Esri wkid: Web Mercator aliases, then EPSG, then ESRI authority."""
    if code in WEB_MERCATOR_ALIASES:
        return QgsCoordinateReferenceSystem("EPSG:3857")
    crs = QgsCoordinateReferenceSystem(f"EPSG:{code}")
    if crs.isValid():
        return crs
    return QgsCoordinateReferenceSystem(f"ESRI:{code}")


def crs_from_spatial_reference(sr: dict | None) -> QgsCoordinateReferenceSystem:
    """The QGIS CRS of an Esri ``spatialReference``; an invalid CRS when nothing fits.

    ``latestWkid`` wins over ``wkid`` because servers keep ``wkid`` at the code the
    data was published with, which may be a deprecated alias.
    """
    if not isinstance(sr, dict):
        return QgsCoordinateReferenceSystem()
    for key in ("latestWkid", "wkid"):
        code = _as_code(sr.get(key))
        if code is not None:
            crs = crs_from_wkid(code)
            if crs.isValid():
                return crs
    for key in ("wkt2", "wkt"):
        wkt = sr.get(key)
        if isinstance(wkt, str) and wkt.strip():
            crs = QgsCoordinateReferenceSystem.fromWkt(wkt)
            if crs.isValid():
                return crs
    return QgsCoordinateReferenceSystem()


def spatial_reference_from_crs(crs: QgsCoordinateReferenceSystem) -> dict:
    """The Esri ``spatialReference`` for a CRS; ``{}`` for an invalid CRS.

    EPSG and ESRI codes go as ``wkid`` (with ``latestWkid`` as ArcGIS writes it);
    anything else (user CRSs, IGNF, PROJ strings) goes as ESRI-flavoured WKT1, the
    only WKT that every ArcGIS Server version parses.
    """
    if crs is None or not crs.isValid():
        return {}
    authority, _, code_text = crs.authid().partition(":")
    code = _as_code(code_text)
    authority = authority.upper()
    if code is not None and authority == "EPSG":
        if code in WEB_MERCATOR_ALIASES or code == 3857:
            return dict(WEB_MERCATOR_SR)
        return {"wkid": code, "latestWkid": code}
    if code is not None and authority == "ESRI":
        if code in WEB_MERCATOR_ALIASES:
            return dict(WEB_MERCATOR_SR) if code == 102100 else {"wkid": code}
        return {"wkid": code}
    wkt = crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT1_ESRI)
    if not wkt:
        wkt = crs.toWkt(QgsCoordinateReferenceSystem.WktVariant.WKT1_GDAL)
    return {"wkt": wkt} if wkt else {}
