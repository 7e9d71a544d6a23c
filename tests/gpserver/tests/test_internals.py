"""Pieces of the server that are easier to pin down directly than over HTTP."""

from __future__ import annotations

import urllib.parse

from hypothesis import given, settings
from hypothesis import strategies as st
from osgeo import ogr

from tests.gpserver.bulk import parse_urlencoded, unquote_plus_bytes
from tests.gpserver.geometry import from_ogr, reshape_features


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=200), st.integers(min_value=0, max_value=70_000))
def test_fast_unquote_matches_urllib(data: bytes, padding: int) -> None:
    value = b"x" * padding + data  # long values take the numpy path
    expected = urllib.parse.unquote_to_bytes(value.replace(b"+", b" "))
    assert unquote_plus_bytes(value) == expected
    quoted = urllib.parse.quote_plus(value).encode()
    assert unquote_plus_bytes(quoted) == value


def test_parse_urlencoded_keeps_the_first_value() -> None:
    body = urllib.parse.urlencode([("a", "1 2"), ("b", '{"x": "é"}'), ("a", "3")]).encode()
    assert parse_urlencoded(body) == {"a": "1 2", "b": '{"x": "é"}'}


def test_rings_follow_esri_orientation() -> None:
    polygon = ogr.CreateGeometryFromWkt(
        "POLYGON ((0 0, 10 0, 10 10, 0 10, 0 0), (2 2, 2 4, 4 4, 4 2, 2 2))"
    )
    rings = from_ogr(polygon)["rings"]

    def signed_area(ring):
        return sum(x0 * y1 - x1 * y0 for (x0, y0), (x1, y1) in zip(ring, ring[1:])) / 2

    assert signed_area(rings[0]) < 0  # exterior clockwise
    assert signed_area(rings[1]) > 0  # hole counter-clockwise


def test_reshape_drops_z_but_keeps_m() -> None:
    features = [{"attributes": {}, "geometry": {"paths": [[[1, 2, 3, 4]]]}}]
    out = reshape_features(features, has_z=True, has_m=True, keep_z=False, keep_m=True)
    assert out[0]["geometry"] == {"paths": [[[1, 2, 4]]]}
    assert features[0]["geometry"] == {"paths": [[[1, 2, 3, 4]]]}  # input untouched
