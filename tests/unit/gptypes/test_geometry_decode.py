"""Esri geometry JSON -> QgsGeometry: ring grouping, curves, Z/M, nulls."""

from __future__ import annotations

import math

import pytest
from qgis.core import QgsArcGisRestUtils, QgsWkbTypes

from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.geometry import (
    esri_geometry_type,
    geometry_from_esri,
    wkb_type_from_esri,
)

from .helpers import wkt

W = QgsWkbTypes.Type
POLYGON = "esriGeometryPolygon"
POLYLINE = "esriGeometryPolyline"


def square(a: float, b: float, clockwise: bool = True) -> list[list[float]]:
    ring = [[a, a], [a, b], [b, b], [b, a], [a, a]]  # clockwise with y up
    return ring if clockwise else ring[::-1]


@pytest.mark.parametrize(
    ("esri", "z", "m", "expected"),
    [
        ("esriGeometryPoint", False, False, W.Point),
        ("esriGeometryPoint", True, True, W.PointZM),
        ("esriGeometryMultipoint", False, True, W.MultiPointM),
        ("esriGeometryPolyline", False, False, W.MultiLineString),
        ("esriGeometryPolyline", True, False, W.MultiLineStringZ),
        ("esriGeometryPolygon", False, False, W.MultiPolygon),
        ("esriGeometryPolygon", True, True, W.MultiPolygonZM),
        ("esriGeometryEnvelope", True, False, W.Polygon),
        (None, False, False, W.NoGeometry),
    ],
)
def test_wkb_type_from_esri(esri, z, m, expected) -> None:
    assert wkb_type_from_esri(esri, z, m) == expected


@pytest.mark.parametrize(
    ("wkb", "esri"),
    [
        (W.Point, "esriGeometryPoint"),
        (W.PointZ, "esriGeometryPoint"),
        (W.MultiPoint, "esriGeometryMultipoint"),
        (W.LineString, "esriGeometryPolyline"),
        (W.MultiCurveZ, "esriGeometryPolyline"),
        (W.Polygon, "esriGeometryPolygon"),
        (W.MultiSurface, "esriGeometryPolygon"),
    ],
)
def test_esri_geometry_type(wkb, esri) -> None:
    assert esri_geometry_type(wkb) == esri


@pytest.mark.parametrize("wkb", [W.NoGeometry, W.Unknown, W.GeometryCollection])
def test_esri_geometry_type_refuses_what_esri_cannot_hold(wkb) -> None:
    with pytest.raises(EsriJsonError):
        esri_geometry_type(wkb)


def test_unknown_geometry_type_name() -> None:
    with pytest.raises(EsriJsonError):
        wkb_type_from_esri("esriGeometryBag")


def test_holes_go_to_the_exterior_that_contains_them_whatever_the_order() -> None:
    rings = [square(0, 10), square(20, 30), square(2, 4, clockwise=False)]
    geometry = geometry_from_esri({"rings": rings}, POLYGON)
    assert geometry.wkbType() == W.MultiPolygon
    assert geometry.constGet().numGeometries() == 2
    first = geometry.constGet().geometryN(0)
    assert first.numInteriorRings() == 1
    assert first.boundingBox().xMaximum() == 10
    assert geometry.isGeosValid()


def test_nested_islands() -> None:
    rings = [square(0, 100), square(20, 80), square(10, 90, False), square(30, 70, False)]
    geometry = geometry_from_esri({"rings": rings}, POLYGON)
    assert geometry.constGet().numGeometries() == 2
    assert [geometry.constGet().geometryN(i).numInteriorRings() for i in range(2)] == [1, 1]
    assert geometry.isGeosValid()
    assert geometry.area() == pytest.approx(100**2 - 80**2 + 60**2 - 40**2)


def test_rings_that_ignore_orientation_are_grouped_by_containment() -> None:
    # all counter-clockwise: as written by tools that ignore Esri's rule
    rings = [square(0, 10, False), square(2, 4, False), square(20, 30, False)]
    geometry = geometry_from_esri({"rings": rings}, POLYGON)
    assert geometry.constGet().numGeometries() == 2
    assert geometry.area() == pytest.approx(100 - 4 + 100)
    # reversed orientation throughout: a clockwise "hole" inside a ccw "exterior"
    rings = [square(0, 10, False), square(2, 4, True), square(20, 30, False)]
    assert geometry_from_esri({"rings": rings}, POLYGON).area() == pytest.approx(196)


def test_unclosed_rings_are_closed() -> None:
    geometry = geometry_from_esri({"rings": [[[0, 0], [0, 1], [1, 1]]]}, POLYGON)
    assert wkt(geometry) == "MultiPolygon (((0 0, 0 1, 1 1, 0 0)))"


def test_curve_ring_full_circle_from_the_feature_collection_fixture() -> None:
    obj = {
        "curveRings": [
            [
                [1959000, 642152.4002999999],
                {"a": [[1959000, 642152.4002999999], [1959000, 641999.9999951993], 0, 1]},
            ]
        ]
    }
    assert QgsArcGisRestUtils.convertGeometry(obj, POLYGON, False, False)[0] is None
    geometry = geometry_from_esri(obj, POLYGON)
    assert geometry.wkbType() == W.MultiPolygon
    radius = 642152.4002999999 - 641999.9999951993
    # Shape_Area in the fixture: 72966.16885441207; 1-degree chords lose ~5e-5
    assert geometry.area() == pytest.approx(math.pi * radius**2, rel=1e-4)
    assert geometry.area() == pytest.approx(72966.16885441207, rel=1e-4)
    ring = geometry.constGet().geometryN(0).exteriorRing()
    assert ring.isClosed()
    assert ring.numPoints() == 361


def test_three_point_arc_and_elliptic_arc_and_bezier() -> None:
    half_circle = geometry_from_esri({"curvePaths": [[[0, 0], {"c": [[2, 0], [1, 1]]}]]}, POLYLINE)
    assert half_circle.length() == pytest.approx(math.pi, rel=1e-4)
    assert half_circle.boundingBox().yMaximum() == pytest.approx(1)
    # quarter ellipse, semi-axes 2 (x) and 1 (y), counter-clockwise from (2,0) to (0,1)
    ellipse = geometry_from_esri(
        {"curvePaths": [[[2, 0], {"a": [[0, 1], [0, 0], 1, 0, 0, 2, 0.5]}]]}, POLYLINE
    )
    quarter_perimeter = 2.4221  # a=2, b=1
    assert ellipse.length() == pytest.approx(quarter_perimeter, rel=1e-3)
    bezier = geometry_from_esri(
        {"curvePaths": [[[0, 0], {"b": [[3, 0], [1, 1], [2, 1]]}]]}, POLYLINE
    )
    assert bezier.boundingBox().yMaximum() == pytest.approx(0.75, rel=1e-2)
    last = bezier.constGet().geometryN(0).endPoint()
    assert (last.x(), last.y()) == (3, 0)


def test_curves_keep_z_interpolated() -> None:
    line = geometry_from_esri(
        {"curvePaths": [[[0, 0, 10], {"c": [[2, 0, 20], [1, 1, 15]]}]]}, POLYLINE, has_z=True
    )
    zs = [v.z() for v in line.vertices()]
    assert zs[0] == 10
    assert zs[-1] == 20
    assert zs == sorted(zs)


@pytest.mark.parametrize(
    ("obj", "gtype", "z", "m", "expected"),
    [
        ({"x": 1, "y": 2, "z": 3}, None, True, False, "PointZ (1 2 3)"),
        ({"x": 1, "y": 2}, None, True, True, "PointZM (1 2 0 nan)"),  # missing z 0, m NaN
        ({"x": 1, "y": 2, "m": 4}, None, False, True, "PointM (1 2 4)"),
        ({"points": [[0, 0, 5], [1, 1, 6]]}, None, False, True, "MultiPointM ((0 0 5),(1 1 6))"),
        (
            {"paths": [[[0, 0, 1, 5], [1, 1, 2, 6]]]},
            None,
            True,
            True,
            "MultiLineStringZM ((0 0 1 5,1 1 2 6))",
        ),
        (
            {"paths": [[[0, 0, None], [1, "NaN", 2]]]},
            None,
            True,
            False,
            "MultiLineStringZ ((0 0 nan,1 nan 2))",
        ),
        ({"paths": [[[0, 0, 9], [1, 1, 9]]]}, None, False, False, "MultiLineString ((0 0,1 1))"),
        ({"x": 1, "y": 2, "z": 5, "hasZ": True}, "esriGeometryPoint", False, False, "Point (1 2)"),
        (
            {"paths": [[[0, 0], [1, 1]]], "hasZ": False},
            POLYLINE,
            True,
            False,
            "MultiLineStringZ ((0 0 0,1 1 0))",
        ),
        (
            {"xmin": 0, "ymin": 1, "xmax": 2, "ymax": 3},
            None,
            False,
            False,
            "Polygon ((0 1,2 1,2 3,0 3,0 1))",
        ),
    ],
)
def test_coordinates_layouts(obj, gtype, z, m, expected) -> None:
    assert wkt(geometry_from_esri(obj, gtype, z, m)).replace(", ", ",") == expected


@pytest.mark.parametrize(
    ("obj", "gtype"),
    [
        (None, POLYGON),
        ({}, POLYGON),
        ({"x": None, "y": None}, "esriGeometryPoint"),
        ({"x": "NaN", "y": 1}, "esriGeometryPoint"),
        ({"rings": []}, POLYGON),
        ({"paths": [[]]}, POLYLINE),
        ({"points": []}, "esriGeometryMultipoint"),
        ({"xmin": None, "ymin": 0, "xmax": 1, "ymax": 1}, "esriGeometryEnvelope"),
    ],
)
def test_empty_geometries_are_null(obj, gtype) -> None:
    assert geometry_from_esri(obj, gtype).isNull()


@pytest.mark.parametrize(
    ("obj", "gtype"),
    [
        ({"rings": "nope"}, POLYGON),
        ({"rings": [[[0, 0], [1]]]}, POLYGON),
        ({"paths": [[[0, {"x": 1}]]]}, POLYLINE),
        ({"x": True, "y": 1}, "esriGeometryPoint"),
        ({"curvePaths": [[{"c": [[1, 1], [2, 2]]}]]}, POLYLINE),  # no start point
        ({"curvePaths": [[[0, 0], {"z": [1]}]]}, POLYLINE),
        ({"curvePaths": [[[0, 0], {"a": [[1, 1], [0, 0], 0, "x", "y"]}]]}, POLYLINE),
        ({"foo": 1}, None),
        ([1, 2], None),
    ],
)
def test_malformed_geometries_raise_our_error(obj, gtype) -> None:
    with pytest.raises(EsriJsonError):
        geometry_from_esri(obj, gtype)
