"""The streamed array of json_stream: its fast loop (one C scanner call per compact
element) must give what the general path gives, for any layout, chunk size and cut."""

from __future__ import annotations

import io
import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.json_stream import Node, TextBuffer, WalkRules, walk_text

RULES = WalkRules(enter=frozenset({"value"}), stream="features")
VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(-(10**20), 10**20),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(alphabet=st.characters(codec="utf-8"), max_size=12),
    ),
    lambda children: st.one_of(
        st.lists(children, max_size=4), st.dictionaries(st.text(max_size=5), children, max_size=4)
    ),
    max_leaves=20,
)
#: compact (as ArcGIS writes), Python's default, indented, and ragged separators
LAYOUTS = [
    {"separators": (",", ":")},
    {},
    {"indent": 2},
    {"separators": (" ,\n ", " : ")},
]


def _stream(text: str, chunk: int, target=("value", "features")) -> tuple[list, Node]:
    buffer = TextBuffer(io.BytesIO(text.encode("utf-8")), chunk)
    root = Node()
    items = list(walk_text(buffer, RULES, root, target))
    return items, root


@settings(max_examples=200, deadline=None)
@given(
    features=st.lists(VALUES, max_size=12),
    layout=st.sampled_from(LAYOUTS),
    chunk=st.integers(1, 40),
)
def test_streamed_elements_equal_json_loads(features, layout, chunk) -> None:
    document = {"value": {"features": features, "after": 1}}
    text = json.dumps(document, **layout)
    items, _ = _stream(text, chunk)
    assert items == json.loads(text)["value"]["features"]
    _, root = _stream(text, chunk, target=None)  # the counting walk reads on to the end
    assert root.children["value"].stream_count == len(features)
    assert root.children["value"].values == {"after": 1}


def test_a_number_cut_by_the_chunk_end_is_read_whole() -> None:
    """Wherever a read boundary falls: after "-12." the scanner would stop at "-12"."""
    text = '{"xmin":-12.5e-3,"features":[1234567,-12.5e-3,{"a":[1.25,2]}],"n":5}'
    for chunk in range(1, len(text) + 1):
        buffer = TextBuffer(io.BytesIO(text.encode()), chunk)
        root = Node()
        items = list(walk_text(buffer, RULES, root, ("features",)))
        assert items == [1234567, -0.0125, {"a": [1.25, 2]}], chunk
        assert root.values == {"xmin": -0.0125}


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"features":[{"a":1} {"b":2}]}', "expected ',' or ']'"),
        ('{"features":[{"a":1},]}', "invalid JSON"),
        ('{"features":[{"a":"open]}', "invalid JSON"),
        ('{"features":[{"a":1}', "expected ',' or ']'"),
    ],
)
def test_broken_arrays_raise_esri_json_errors_with_their_position(text, message) -> None:
    for chunk in (3, 1 << 20):
        with pytest.raises(EsriJsonError, match=message) as caught:
            _stream(text, chunk, target=("features",))
        assert "at character" in str(caught.value)


@settings(max_examples=100, deadline=None)
@given(features=st.lists(VALUES, min_size=1, max_size=6), chunk=st.integers(1, 30), data=st.data())
def test_every_cut_raises_esri_json_error(features, chunk, data) -> None:
    text = json.dumps({"features": features}, separators=(",", ":"))
    cut = data.draw(st.integers(1, len(text) - 1))
    with pytest.raises(EsriJsonError):
        _stream(text[:cut], chunk, target=None)
