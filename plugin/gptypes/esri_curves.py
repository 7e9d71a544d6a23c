"""Esri curve segments (``curvePaths`` / ``curveRings``) -> plain vertices.

ArcGIS writes true curves as a start point followed by segment objects:
``{"c": [end, through]}`` (circular arc through three points),
``{"a": [end, center, minor, clockwise(, rotation, axis, ratio)]}`` (circular or
elliptic arc around a centre) and ``{"b": [end, control1, control2]}`` (cubic
Bézier). QGIS 3.22's ``QgsArcGisRestUtils.convertGeometry`` returns nothing for the
``"a"`` form (the FeatureCollection fixture) and QGIS has no elliptic or Bézier
curve type, so they are densified here: with the same default as QGIS's
``segmentize()`` (at most 1 degree per segment), Z and M interpolated linearly.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Callable, NamedTuple

from .errors import EsriJsonError

#: Largest angle one chord may span, as QGIS's default segmentize tolerance.
MAX_ANGLE = math.pi / 180.0
#: Chords per Bézier segment; Esri Béziers are short (smoothed line work).
BEZIER_STEPS = 32

Coord = list  # [x, y(, z)(, m)] with a fixed number of floats per layout


def densify_curve_path(
    items: Sequence, normalize: Callable[[object], Coord], max_angle: float = MAX_ANGLE
) -> list[Coord]:
    """The vertices of one curve path; ``normalize`` turns an Esri point into a Coord."""
    out: list[Coord] = []
    for item in items:
        if isinstance(item, (list, tuple)):
            out.append(normalize(item))
            continue
        if not isinstance(item, dict) or not out:
            raise EsriJsonError(f"curve segment without a start point: {item!r:.80}")
        start = out[-1]
        if "c" in item:
            end, through = _args(item["c"], 2, "c")
            out.extend(_three_point_arc(start, normalize(through), normalize(end), max_angle))
        elif "a" in item:
            args = _args(item["a"], 4, "a")
            out.extend(_centre_arc(start, normalize(args[0]), args, max_angle))
        elif "b" in item:
            end, c1, c2 = _args(item["b"], 3, "b")
            out.extend(_bezier(start, normalize(c1), normalize(c2), normalize(end)))
        else:
            raise EsriJsonError(f"unknown curve segment {sorted(item)!r}")
    return out


def _args(value: object, count: int, kind: str) -> list:
    if not isinstance(value, (list, tuple)) or len(value) < count:
        raise EsriJsonError(f"malformed {kind!r} curve segment: {value!r:.80}")
    return list(value)


def _lerp_extra(start: Coord, end: Coord, t: float) -> list[float]:
    """Z/M (everything after x, y) interpolated between the segment ends."""
    return [a + (b - a) * t for a, b in zip(start[2:], end[2:])]


class _Arc(NamedTuple):
    """An arc in a circle frame: an ellipse is a circle rotated and squashed by ratio."""

    centre: tuple[float, float]
    a0: float  # start angle
    sweep: float  # signed: positive counter-clockwise
    r0: float  # radius at the start ...
    r1: float  # ... and at the end (equal for exact data)
    rotation: float = 0.0
    ratio: float = 1.0


def _sample(start: Coord, end: Coord, arc: _Arc, max_angle: float) -> list[Coord]:
    """Vertices after ``start`` up to ``end`` along ``arc``; the last one is ``end``
    itself, so rings stay exactly closed."""
    steps = max(1, math.ceil(abs(arc.sweep) / max_angle - 1e-9))
    cos_r, sin_r = math.cos(arc.rotation), math.sin(arc.rotation)
    cx, cy = arc.centre
    pts: list[Coord] = []
    for k in range(1, steps):
        t = k / steps
        angle = arc.a0 + arc.sweep * t
        r = arc.r0 + (arc.r1 - arc.r0) * t
        u, v = r * math.cos(angle), r * math.sin(angle) * arc.ratio
        x = cx + u * cos_r - v * sin_r
        y = cy + u * sin_r + v * cos_r
        pts.append([x, y, *_lerp_extra(start, end, t)])
    pts.append(list(end))
    return pts


def _to_frame(
    p: Coord, centre: tuple[float, float], rotation: float, ratio: float
) -> tuple[float, float]:
    dx, dy = p[0] - centre[0], p[1] - centre[1]
    cos_r, sin_r = math.cos(rotation), math.sin(rotation)
    u = dx * cos_r + dy * sin_r
    v = (-dx * sin_r + dy * cos_r) / ratio
    return u, v


def _centre_arc(start: Coord, end: Coord, args: list, max_angle: float) -> list[Coord]:
    """``{"a": [end, centre, minor, clockwise(, rotation, axis, ratio)]}``.

    The direction flag fixes the arc; start == end means a full ellipse/circle, as
    in Esri's buffer output (the FeatureCollection fixture).
    """
    centre_pt = args[1]
    if not isinstance(centre_pt, (list, tuple)) or len(centre_pt) < 2:
        raise EsriJsonError(f"malformed arc centre: {centre_pt!r:.80}")
    centre = (float(centre_pt[0]), float(centre_pt[1]))
    clockwise = bool(args[3])
    rotation = float(args[4]) if len(args) > 4 and args[4] is not None else 0.0
    ratio = float(args[6]) if len(args) > 6 and args[6] else 1.0
    u0, v0 = _to_frame(start, centre, rotation, ratio)
    u1, v1 = _to_frame(end, centre, rotation, ratio)
    a0, a1 = math.atan2(v0, u0), math.atan2(v1, u1)
    r0, r1 = math.hypot(u0, v0), math.hypot(u1, v1)
    sweep = -((a0 - a1) % (2 * math.pi)) if clockwise else (a1 - a0) % (2 * math.pi)
    if abs(sweep) < 1e-12:
        sweep = -2 * math.pi if clockwise else 2 * math.pi
    if r0 == 0 and r1 == 0:
        return [list(end)]
    return _sample(start, end, _Arc(centre, a0, sweep, r0, r1, rotation, ratio), max_angle)


def _three_point_arc(start: Coord, through: Coord, end: Coord, max_angle: float) -> list[Coord]:
    """``{"c": [end, through]}``: the circle through start, through and end."""
    ox, oy = start[0], start[1]
    bx, by = through[0] - ox, through[1] - oy
    ex, ey = end[0] - ox, end[1] - oy
    if ex == 0 and ey == 0:  # full circle: the through point is diametrically opposite
        centre = (ox + bx / 2, oy + by / 2)
        a0 = math.atan2(oy - centre[1], ox - centre[0])
        r = math.hypot(bx, by) / 2
        return _sample(start, end, _Arc(centre, a0, 2 * math.pi, r, r), max_angle)
    d = 2 * (bx * ey - by * ex)
    if abs(d) <= 1e-12 * max(1.0, bx * bx + by * by + ex * ex + ey * ey):
        return [list(end)]  # collinear: a straight segment
    b2, e2 = bx * bx + by * by, ex * ex + ey * ey
    ux = (ey * b2 - by * e2) / d
    uy = (bx * e2 - ex * b2) / d
    centre = (ox + ux, oy + uy)
    a0 = math.atan2(-uy, -ux)
    a_through = math.atan2(by - uy, bx - ux)
    a_end = math.atan2(ey - uy, ex - ux)
    ccw_to_through = (a_through - a0) % (2 * math.pi)
    ccw_to_end = (a_end - a0) % (2 * math.pi)
    sweep = ccw_to_end if ccw_to_through <= ccw_to_end else ccw_to_end - 2 * math.pi
    r = math.hypot(ux, uy)
    return _sample(start, end, _Arc(centre, a0, sweep, r, r), max_angle)


def _bezier(start: Coord, c1: Coord, c2: Coord, end: Coord) -> list[Coord]:
    """A cubic Bézier as BEZIER_STEPS chords."""
    pts: list[Coord] = []
    for k in range(1, BEZIER_STEPS):
        t = k / BEZIER_STEPS
        s = 1 - t
        w0, w1, w2, w3 = s * s * s, 3 * s * s * t, 3 * s * t * t, t * t * t
        x = w0 * start[0] + w1 * c1[0] + w2 * c2[0] + w3 * end[0]
        y = w0 * start[1] + w1 * c1[1] + w2 * c2[1] + w3 * end[1]
        pts.append([x, y, *_lerp_extra(start, end, t)])
    pts.append(list(end))
    return pts
