"""QgsGeometry -> Esri geometry JSON: ring orientation, Z/M, curves, both routes."""

from __future__ import annotations

import json
import math

import pytest
from qgis.core import QgsGeometry, QgsWkbTypes

from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.geometry import geometry_to_esri
from arcgis_gp.plugin.gptypes.geometry_encode import get_encoder
from arcgis_gp.plugin.gptypes.geometry_types import esri_geometry_type

from .helpers import close


def signed_area(ring: list[list[float]]) -> float:
    """Shoelace; negative = clockwise (y up), written independently of the plugin."""
    return sum(x0 * y1 - x1 * y0 for (x0, y0, *_), (x1, y1, *_) in zip(ring, ring[1:])) / 2


def test_rings_follow_esri_orientation() -> None:
    # exterior counter-clockwise and hole clockwise: the OGC/GeoJSON way round
    geometry = QgsGeometry.fromWkt(
        "MultiPolygon(((0 0, 10 0, 10 10, 0 10, 0 0),(2 2, 2 4, 4 4, 4 2, 2 2)),"
        "((20 20, 30 20, 30 30, 20 20)))"
    )
    rings = geometry_to_esri(geometry)["rings"]
    assert len(rings) == 3
    assert [signed_area(r) < 0 for r in rings] == [True, False, True]
    assert [abs(signed_area(r)) for r in rings] == [100, 4, 50]


@pytest.mark.parametrize(
    ("wkt", "z", "m", "expected"),
    [
        ("Point (1 2)", False, False, {"x": 1, "y": 2}),
        ("PointZM (1 2 3 4)", True, True, {"x": 1, "y": 2, "z": 3, "m": 4}),
        ("PointZ (1 2 3)", False, True, {"x": 1, "y": 2, "m": None}),
        ("Point (1 2)", True, False, {"x": 1, "y": 2, "z": 0}),
        ("MultiPoint ((1 2),(3 4))", False, False, {"points": [[1, 2], [3, 4]]}),
        ("LineStringM (0 0 5, 1 1 6)", False, True, {"paths": [[[0, 0, 5], [1, 1, 6]]]}),
        (
            "MultiLineStringZ ((0 0 1, 1 1 2),(5 5 0, 6 6 0))",
            True,
            False,
            {"paths": [[[0, 0, 1], [1, 1, 2]], [[5, 5, 0], [6, 6, 0]]]},
        ),
        ("LineStringZM (0 0 1 2, 1 1 3 4)", False, False, {"paths": [[[0, 0], [1, 1]]]}),
    ],
)
def test_coordinate_layouts(wkt, z, m, expected) -> None:
    geometry = QgsGeometry.fromWkt(wkt)
    assert geometry_to_esri(geometry, z, m) == expected
    text = get_encoder(esri_geometry_type(geometry.wkbType()), z, m).to_json(geometry)
    assert json.loads(text) == expected


def test_nan_m_and_z_become_null() -> None:
    geometry = QgsGeometry.fromWkt("LineStringZM (0 0 1 2, 1 1 3 4)")
    geometry.get().setZAt(0, math.nan)
    geometry.get().setMAt(1, math.nan)
    assert geometry_to_esri(geometry, True, True) == {"paths": [[[0, 0, None, 2], [1, 1, 3, None]]]}
    text = get_encoder("esriGeometryPolyline", True, False).to_json(geometry)
    assert json.loads(text) == {"paths": [[[0, 0, None], [1, 1, 3]]]}


@pytest.mark.parametrize("wkt", [None, "", "Polygon EMPTY", "MultiLineString EMPTY", "Point EMPTY"])
def test_null_and_empty_give_none(wkt) -> None:
    geometry = None if wkt is None else QgsGeometry.fromWkt(wkt)
    assert geometry_to_esri(geometry) is None
    for esri in ("esriGeometryPolygon", "esriGeometryPolyline", "esriGeometryPoint"):
        assert get_encoder(esri).to_json(geometry) is None


def test_curves_are_segmentized() -> None:
    geometry = QgsGeometry.fromWkt("CurvePolygon (CircularString (0 0, 1 1, 2 0, 1 -1, 0 0))")
    rings = geometry_to_esri(geometry)["rings"]
    assert len(rings) == 1
    assert len(rings[0]) > 100
    assert abs(signed_area(rings[0])) == pytest.approx(math.pi, rel=1e-3)
    assert signed_area(rings[0]) < 0


def test_forced_types() -> None:
    polygon = QgsGeometry.fromWkt("Polygon ((0 0, 10 0, 10 10, 0 0))")
    assert geometry_to_esri(polygon, geometry_type="esriGeometryEnvelope") == {
        "xmin": 0,
        "ymin": 0,
        "xmax": 10,
        "ymax": 10,
    }
    assert geometry_to_esri(polygon, geometry_type="esriGeometryPolyline") == {
        "paths": [[[0, 0], [10, 0], [10, 10], [0, 0]]]
    }
    point = QgsGeometry.fromWkt("Point (1 2)")
    assert geometry_to_esri(point, geometry_type="esriGeometryMultipoint") == {"points": [[1, 2]]}
    single = QgsGeometry.fromWkt("MultiPoint ((1 2))")
    assert geometry_to_esri(single, geometry_type="esriGeometryPoint") == {"x": 1, "y": 2}
    with pytest.raises(EsriJsonError):
        geometry_to_esri(
            QgsGeometry.fromWkt("MultiPoint ((1 2),(3 4))"), geometry_type="esriGeometryPoint"
        )
    with pytest.raises(EsriJsonError):
        geometry_to_esri(
            QgsGeometry.fromWkt("LineString (0 0, 1 1)"), geometry_type="esriGeometryPolygon"
        )


def test_the_callers_geometry_is_left_alone() -> None:
    geometry = QgsGeometry.fromWkt("Polygon ((0 0, 10 0, 10 10, 0 0))")
    before = geometry.asWkt()
    geometry_to_esri(geometry, has_z=True, has_m=True)
    get_encoder("esriGeometryPolygon", True, False).to_json(geometry)
    assert geometry.asWkt() == before


def test_invalid_geometries_are_still_encoded() -> None:
    bowtie = QgsGeometry.fromWkt("Polygon ((0 0, 10 10, 10 0, 0 10, 0 0))")
    assert not bowtie.isGeosValid()
    assert len(geometry_to_esri(bowtie)["rings"][0]) == 5


@pytest.mark.parametrize(
    "wkt",
    [
        "MultiPolygon (((0.1 0.2, 10.3 0.4, 10.5 10.6, 0.1 0.2)),((20 20, 30 20, 30 30, 20 20),"
        "(22 21, 28 27, 28 21, 22 21)))",
        "PolygonZ ((123456.789 9876543.21 1.5, 123466.789 9876543.21 2.5, 123466.789 "
        "9876553.21 3.5, 123456.789 9876543.21 1.5))",
        "LineString (-179.99999999 -89.123456789, 179.99999999 89.987654321)",
        "MultiLineStringZ ((1e-7 2e-7 3, 4e7 5e7 6))",
        "MultiPoint ((1 2),(3 4))",
        "Point (0.30000000000000004 -1e15)",
    ],
)
def test_text_route_matches_the_exact_route(wkt: str) -> None:
    geometry = QgsGeometry.fromWkt(wkt)
    esri = esri_geometry_type(geometry.wkbType())
    has_z = QgsWkbTypes.hasZ(geometry.wkbType())
    exact = geometry_to_esri(geometry, has_z, False)
    fast = json.loads(get_encoder(esri, has_z, False).to_json(geometry))
    assert fast.keys() == exact.keys()
    flat_fast = list(_numbers(fast))
    flat_exact = list(_numbers(exact))
    assert len(flat_fast) == len(flat_exact)
    assert all(close(a, b) for a, b in zip(flat_fast, flat_exact))


def _numbers(obj):
    if isinstance(obj, dict):
        for value in obj.values():
            yield from _numbers(value)
    elif isinstance(obj, list):
        for value in obj:
            yield from _numbers(value)
    else:
        yield obj
