"""Property tests that start from real server answers, and round trips with odd names.

tests/unit/rest/test_task_parser_property.py feeds the parsers random JSON, and
tests/unit/gptypes/test_properties.py feeds the FeatureSet reader random documents and
round-trips random geometries. Random JSON rarely looks like a real answer, so here
every file of tests/data/realworld/ is *mutated* (keys dropped, values swapped
for other types, lists emptied or wrapped) and *cut* at every length, and the result is
parsed: only the plugin's own typed errors (``ArcGisError``, ``EsriJsonError``) may come
out. The round trip adds what the unit property leaves out: random field names
(non-ASCII, spaces, dots, digits first) and values at the edges of their types.
"""

from __future__ import annotations

import contextlib
import copy
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.featureset import FeatureSetReader
from arcgis_gp.plugin.rest import (
    ArcGisError,
    ExecuteResult,
    GPResult,
    GPService,
    GPTask,
    JobInfo,
)
from tests.unit.gptypes.helpers import memory_layer, round_trip

TYPED = (ArcGisError, EsriJsonError)
SETTINGS = settings(
    max_examples=60,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
json_scalars = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**63), 2**63), st.floats(), st.text(max_size=12)
)
json_values = st.recursive(
    json_scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)


BASE = "https://organization.example.com/server/rest/services"
PARSERS = {
    "gpserver": lambda d: GPService.from_json(d, url=BASE + "/S/GPServer", path="S"),
    "mapserver": lambda d: GPService.from_json(d, url=BASE + "/M/MapServer", path="M"),
    "task": lambda d: GPTask.from_json(d, url=BASE + "/S/GPServer/T", service_path="S"),
    "job": JobInfo.from_json,
    "result": GPResult.from_json,
    "execute": ExecuteResult.from_json,
}


def _fixtures(realworld_dir: Path) -> list[Path]:
    files = sorted(realworld_dir.glob("*/*.json"))
    assert files
    return files


def _containers(node: Any, path: tuple = ()) -> list[tuple]:
    """Paths of every dict and list in a document (where a mutation can happen)."""
    found = [path] if isinstance(node, (dict, list)) and node else []
    items = (
        node.items()
        if isinstance(node, dict)
        else enumerate(node)
        if isinstance(node, list)
        else []
    )
    for key, child in items:
        found += _containers(child, (*path, key))
    return found


def _at(doc: Any, path: tuple) -> Any:
    for key in path:
        doc = doc[key]
    return doc


@st.composite
def mutated(draw, doc: Any) -> Any:
    """``doc`` with 1-4 random edits at random places."""
    doc = copy.deepcopy(doc)
    for _ in range(draw(st.integers(1, 4))):
        places = _containers(doc)
        if not places:
            return draw(json_values)
        container = _at(doc, draw(st.sampled_from(places)))
        keys = list(container) if isinstance(container, dict) else list(range(len(container)))
        key = draw(st.sampled_from(keys))
        edit = draw(st.sampled_from(["drop", "replace", "wrap", "empty", "stringify"]))
        if edit == "drop":
            del container[key]
        elif edit == "replace":
            container[key] = draw(json_values)
        elif edit == "wrap":
            container[key] = [container[key]]
        elif edit == "empty":
            container[key] = (
                type(container[key])() if isinstance(container[key], (dict, list, str)) else None
            )
        else:
            container[key] = json.dumps(container[key])
    return doc


def _decode_all(source: Any, chunk_chars: int | None = None) -> None:
    reader = (
        FeatureSetReader(source)
        if chunk_chars is None
        else FeatureSetReader(source, chunk_chars=chunk_chars)
    )
    _ = (reader.fields, reader.wkb_type, reader.crs, reader.exceeded_transfer_limit, reader.url)
    for feature in reader.features():
        feature.geometry()
        feature.attributes()


def _feature_set_candidates(doc: Any) -> list[Any]:
    """The parts of an answer that the FeatureSet decoder would be given."""
    if not isinstance(doc, dict):
        return [doc]
    candidates = [doc, doc.get("value")]
    for result in doc.get("results") or [] if isinstance(doc.get("results"), list) else []:
        if isinstance(result, dict):
            candidates.append(result.get("value"))
    return candidates


@SETTINGS
@given(data=st.data())
def test_mutated_real_answers_raise_only_typed_errors(realworld_dir, data):
    path = data.draw(st.sampled_from(_fixtures(realworld_dir)), label="fixture")
    doc = data.draw(mutated(json.loads(path.read_text(encoding="utf-8"))), label="mutated")
    with contextlib.suppress(*TYPED):
        PARSERS[path.parent.name](doc)
    for candidate in _feature_set_candidates(doc):
        with contextlib.suppress(*TYPED):
            _decode_all(candidate)
        with contextlib.suppress(*TYPED):
            _decode_all(json.dumps(candidate, allow_nan=True).encode())


@SETTINGS
@given(data=st.data())
def test_cut_real_answers_raise_only_typed_errors(realworld_dir, data):
    """A body cut anywhere (a dropped connection) never decodes as a smaller FeatureSet."""
    path = data.draw(st.sampled_from(_fixtures(realworld_dir)), label="fixture")
    body = path.read_bytes()
    cut = data.draw(st.integers(0, max(len(body.rstrip()) - 1, 0)), label="cut")
    chunk = data.draw(st.integers(1, 256), label="chunk")
    with pytest.raises(TYPED):
        _decode_all(body[:cut], chunk_chars=chunk)


def test_every_real_feature_set_decodes(realworld_dir):
    """The starting points of the mutations are themselves readable (a control)."""
    decoded = 0
    for path in _fixtures(realworld_dir):
        doc = json.loads(path.read_text(encoding="utf-8"))
        value = doc.get("value") if isinstance(doc, dict) else None
        if isinstance(value, dict) and "features" in value:
            _decode_all(value)
            decoded += 1
    assert decoded >= 3


field_names = st.text(
    st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=30
).filter(lambda name: name.strip() and name.lower() not in {"objectid", "fid"})
edge_integers = st.sampled_from([0, 1, -1, 2**31 - 1, -(2**31) + 1])
edge_doubles = st.one_of(
    st.sampled_from([0.0, -0.0, 1e-300, -1e300, 5e-324, 1.7976931348623157e308]),
    st.floats(allow_nan=False, allow_infinity=False),
)


@SETTINGS
@given(
    names=st.lists(field_names, min_size=1, max_size=4, unique_by=str.lower),
    text=st.text(st.characters(blacklist_categories=("Cs",)), max_size=200),
    integer=edge_integers,
    double=edge_doubles,
)
def test_odd_field_names_and_edge_values_round_trip(names, text, integer, double):
    kinds = ["string", "integer", "double"]
    columns = [(name, kinds[i % 3]) for i, name in enumerate(names)]
    uri = "Point?crs=EPSG:4326" + "".join(
        f"&field={_uri_quote(name)}:{kind}" for name, kind in columns
    )
    values = {"string": text, "integer": integer, "double": double}
    layer = memory_layer(uri, [([values[kind] for _, kind in columns], "Point(7 47)")])
    assert [f.name() for f in layer.fields()] == names, "the memory provider kept the names"
    held = next(layer.getFeatures())
    _, features, _ = round_trip(layer)
    assert len(features) == 1
    got = features[0]
    for name, kind in columns:
        assert got.fields().indexOf(name) >= 0, (name, got.fields().names())
        assert got[name] == held[name]  # what QGIS holds comes back
        if kind != "string" or "\x00" not in text:  # QGIS 3.40 cuts strings at a NUL
            assert got[name] == values[kind]


def _uri_quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name, safe="")
