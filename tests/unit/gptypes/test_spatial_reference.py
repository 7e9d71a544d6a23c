"""Esri spatialReference <-> QgsCoordinateReferenceSystem, including real-server quirks."""

from __future__ import annotations

import pytest
from qgis.core import QgsArcGisRestUtils, QgsCoordinateReferenceSystem

from arcgis_gp.plugin.gptypes.spatial_reference import (
    crs_from_spatial_reference,
    spatial_reference_from_crs,
)

ESRI_WEB_MERCATOR_WKT = (
    'PROJCS["WGS_1984_Web_Mercator_Auxiliary_Sphere",GEOGCS["GCS_WGS_1984",'
    'DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137.0,298.257223563]],'
    'PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],'
    'PROJECTION["Mercator_Auxiliary_Sphere"],PARAMETER["False_Easting",0.0],'
    'PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",0.0],'
    'PARAMETER["Standard_Parallel_1",0.0],PARAMETER["Auxiliary_Sphere_Type",0.0],'
    'UNIT["Meter",1.0]]'
)


@pytest.mark.parametrize(
    ("sr", "authid"),
    [
        ({"wkid": 102100}, "EPSG:3857"),  # old wkid, no latestWkid
        ({"wkid": 102113}, "EPSG:3857"),  # MessageInABottle
        ({"wkid": 102100, "latestWkid": 3857}, "EPSG:3857"),
        ({"wkid": 4326}, "EPSG:4326"),
        ({"wkid": 26944, "latestWkid": 26944}, "EPSG:26944"),
        ({"wkid": 102726}, "ESRI:102726"),  # ESRI-only code
        ({"wkid": "4326"}, "EPSG:4326"),  # numeric string
        ({"wkid": 999999, "latestWkid": 2154}, "EPSG:2154"),  # latestWkid first
        ({"wkid": 999999, "wkt": ESRI_WEB_MERCATOR_WKT}, "EPSG:3857"),  # then wkt
    ],
)
def test_crs_from_spatial_reference(sr: dict, authid: str) -> None:
    crs = crs_from_spatial_reference(sr)
    assert crs.isValid()
    assert crs.authid() == authid


def test_qgis_own_converter_keeps_esri_102100_which_is_why_we_map_it() -> None:
    """Documents the QGIS 3.22 behaviour this module works around."""
    assert QgsArcGisRestUtils.convertSpatialReference({"wkid": 102100}).authid() == "ESRI:102100"
    assert crs_from_spatial_reference({"wkid": 102100}).authid() == "EPSG:3857"


@pytest.mark.parametrize(
    "sr", [None, {}, {"wkid": None}, {"wkid": 999999}, {"wkt": "nonsense"}, []]
)
def test_nothing_fits_gives_an_invalid_crs(sr) -> None:
    assert not crs_from_spatial_reference(sr).isValid()


@pytest.mark.parametrize(
    ("authid", "expected"),
    [
        ("EPSG:3857", {"wkid": 102100, "latestWkid": 3857}),
        ("EPSG:4326", {"wkid": 4326, "latestWkid": 4326}),
        ("EPSG:26944", {"wkid": 26944, "latestWkid": 26944}),
        ("ESRI:102726", {"wkid": 102726}),
        ("ESRI:102100", {"wkid": 102100, "latestWkid": 3857}),
    ],
)
def test_spatial_reference_from_authority_crs(authid: str, expected: dict) -> None:
    sr = spatial_reference_from_crs(QgsCoordinateReferenceSystem(authid))
    assert sr == expected
    assert crs_from_spatial_reference(sr).isValid()


def test_custom_crs_goes_as_esri_wkt_that_reads_back_the_same() -> None:
    crs = QgsCoordinateReferenceSystem.fromProj(
        "+proj=tmerc +lat_0=0 +lon_0=3.5 +k=0.9996 +x_0=500000 +y_0=0 +ellps=GRS80 +units=m"
    )
    assert crs.isValid()
    assert not crs.authid().startswith(("EPSG", "ESRI"))
    sr = spatial_reference_from_crs(crs)
    assert list(sr) == ["wkt"]
    assert sr["wkt"].startswith("PROJCS[")  # WKT1 (ESRI flavour), not WKT2
    back = crs_from_spatial_reference(sr)
    assert back.isValid()
    assert "+lon_0=3.5" in back.toProj()
    assert "+k=0.9996" in back.toProj()


def test_invalid_crs_gives_an_empty_spatial_reference() -> None:
    assert spatial_reference_from_crs(QgsCoordinateReferenceSystem()) == {}
