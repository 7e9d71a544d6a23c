"""GP values become the form fields the REST API expects; big bodies stream."""

from __future__ import annotations

import json
import math
from decimal import Decimal
from pathlib import Path
from urllib.parse import parse_qsl, quote_from_bytes

import pytest

from arcgis_gp.plugin.rest import RawJson, encode_inputs, encode_value
from arcgis_gp.plugin.rest.encoding import (
    FormBody,
    RawJsonArray,
    RawJsonFile,
    quote_block,
)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("text", "text"),
        ("", ""),
        ('{"already": "json"}', '{"already": "json"}'),
        (True, "true"),
        (False, "false"),
        (5, "5"),
        (-0.5, "-0.5"),
        (1e21, "1e+21"),
        (Decimal("2.50"), "2.50"),
        ({"distance": 5, "units": "esriMiles"}, '{"distance":5,"units":"esriMiles"}'),
        ([1, "a", None, True], '[1,"a",null,true]'),
        ((1, 2), "[1,2]"),
        ({"name": "Zürich"}, '{"name":"Zürich"}'),
        (RawJson('{"features":[]}'), '{"features":[]}'),
        (RawJson(b'{"features":[]}'), b'{"features":[]}'),
    ],
)
def test_encode_value(value, expected):
    assert encode_value(value) == expected


def test_none_is_omitted():
    assert encode_value(None) is None
    assert encode_inputs({"a": None, "b": 1, "c": False}) == {"b": "1", "c": "false"}


@pytest.mark.parametrize("value", [math.nan, math.inf, {"a": math.nan}, Decimal("NaN")])
def test_non_finite_numbers_refused(value):
    with pytest.raises(ValueError, match=r"NaN|infinity|JSON"):
        encode_value(value)


def test_unsupported_types_refused():
    with pytest.raises(TypeError, match="RawJson"):
        encode_value(object())


def test_raw_json_repr_hides_content():
    assert "features" not in repr(RawJson('{"features": [1, 2, 3]}'))


def _read_all(body: FormBody, block: int) -> bytes:
    out = []
    while True:
        piece = body.read(block)
        if not piece:
            return b"".join(out)
        out.append(piece)


@pytest.mark.parametrize("block", [1, 7, 8192, -1])
def test_form_body_streams_exactly_its_length(block):
    big = json.dumps({"features": [{"attributes": {"n": "é & = +"}}] * 500}).encode()
    fields = [("Free Text.Note", "a b&c=d"), ("f", "json"), ("Input", big), ("empty", "")]
    body = FormBody(fields)
    data = _read_all(body, block)
    assert len(data) == len(body) == body.tell()
    decoded = dict(parse_qsl(data.decode("ascii"), keep_blank_values=True))
    assert decoded == {"Free Text.Note": "a b&c=d", "f": "json", "Input": big.decode(), "empty": ""}
    body.seek(0)
    assert _read_all(body, 8192) == data
    with pytest.raises(OSError, match="rewound"):
        body.seek(5)


def test_form_body_read_at_once():
    fields = [("a", "1"), ("b", b"x y")]
    assert FormBody(fields).read() == b"a=1&b=x%20y"


def test_quote_block_matches_urllib_for_every_byte():
    every = bytes(range(256)) * 3 + b"%25%%41"
    assert quote_block(every) == quote_from_bytes(every, safe="").encode("ascii")
    assert quote_block(b"plain-text_1.0~") == b"plain-text_1.0~"


@pytest.mark.parametrize("block", [5, 8192, -1])
def test_raw_json_file_streams_from_its_file(tmp_path: Path, block):
    """A file-backed value is read block by block into the body, exactly as if the
    bytes had been given, and its file is closed when the body is rewound."""
    text = json.dumps({"features": [{"attributes": {"n": f"é & = + % {i}"}} for i in range(3000)]})
    path = tmp_path / "input.json"
    path.write_text(text, encoding="utf-8")
    value = encode_value(RawJsonFile(path))
    assert isinstance(value, RawJsonFile)
    streamed = FormBody([("Input", value), ("f", "json")])
    in_memory = FormBody([("Input", text.encode("utf-8")), ("f", "json")])
    data = _read_all(streamed, block)
    assert data == _read_all(in_memory, 8192)
    assert len(data) == len(streamed) == streamed.tell()
    assert dict(parse_qsl(data.decode("ascii"))) == {"Input": text, "f": "json"}
    streamed.seek(0)
    assert _read_all(streamed, 8192) == data


def test_raw_json_file_text_size_and_repr(tmp_path: Path):
    path = tmp_path / "fs.json"
    path.write_bytes(b'{"features":[{"secret":1}]}')
    value = RawJsonFile(path)
    assert value.text == b'{"features":[{"secret":1}]}'
    assert value.size == len(value.text) == 27
    assert "secret" not in repr(value)
    assert value == RawJsonFile(path)


def test_list_of_raw_json_values_becomes_one_array(tmp_path: Path):
    """GPMultiValue:GPFeatureRecordSetLayer: several encoded feature sets in one array."""
    path = tmp_path / "a.json"
    path.write_bytes(b'{"features":[1]}')
    value = encode_value([RawJsonFile(path), RawJson('{"features":[]}'), {"url": "x"}])
    assert isinstance(value, RawJsonArray)
    expected = '[{"features":[1]},{"features":[]},{"url":"x"}]'
    assert json.loads(value.text) == json.loads(expected)
    assert value.size == len(value.text)
    data = FormBody([("Layers", value)]).read()
    assert dict(parse_qsl(data.decode("ascii"))) == {"Layers": expected}
