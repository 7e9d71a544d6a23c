"""An execute answer on disk, indexed in one pass and read in place (gptypes.execute_answer).

Real answers and results from Esri's REST reference (tests/data/realworld) are
indexed at several read chunk sizes (so values straddle read boundaries) and compared
with ``json.load`` of the same file: every small value equal, every feature set read
from its byte range equal to the same feature set read from the parsed document.
"""

from __future__ import annotations

import codecs
import json
from pathlib import Path

import pytest

from arcgis_gp.plugin.gptypes.errors import EsriJsonError
from arcgis_gp.plugin.gptypes.execute_answer import AnswerEntry, index_execute_answer
from arcgis_gp.plugin.gptypes.featureset import FeatureSetReader
from arcgis_gp.plugin.rest.errors import ArcGisServerError
from arcgis_gp.plugin.rest.results import execute_result

CHUNKS = (7, 64, 1 << 20)


def _features(reader: FeatureSetReader) -> list[tuple[list, str]]:
    return [(f.attributes(), f.geometry().asWkt(6)) for f in reader.features()]


def _check_against_parsed(path: Path, chunk: int) -> int:
    """Index ``path``; compare with json.load; return how many feature sets were read."""
    parsed = json.loads(path.read_bytes().decode("utf-8-sig"))
    index = index_execute_answer(path, chunk_chars=chunk)
    assert set(index) == set(parsed)
    for key in parsed:
        if key != "results":
            assert index[key] == parsed[key]
    read = 0
    for entry_json, result in zip(parsed["results"], index["results"], strict=True):
        entry = result["value"]
        assert isinstance(entry, AnswerEntry)
        assert result.get("paramName") == entry_json.get("paramName")
        assert result.get("dataType") == entry_json.get("dataType")
        assert json.loads(entry.range.read()) == entry_json  # the range is the entry, exactly
        assert entry.value() == entry_json.get("value")
        if entry.holds_features:
            in_place = FeatureSetReader(entry.range, header=entry.header)
            rescanned = FeatureSetReader(entry.range)
            reference = FeatureSetReader(entry_json)
            for reader in (in_place, rescanned):
                assert reader.param_name == reference.param_name
                assert reader.feature_count == reference.feature_count
                assert reader.fields.names() == reference.fields.names()
                assert reader.wkb_type == reference.wkb_type
                assert _features(reader) == _features(reference)
            read += 1
    return read


@pytest.mark.parametrize("chunk", CHUNKS)
def test_esri_execute_answers(realworld_dir: Path, chunk: int) -> None:
    paths = sorted((realworld_dir / "execute").glob("*.json"))
    assert paths
    assert sum(_check_against_parsed(path, chunk) for path in paths) >= 1


@pytest.mark.parametrize("chunk", CHUNKS)
def test_every_esri_result_in_one_answer_text_first(
    realworld_dir: Path, tmp_path: Path, chunk: int
) -> None:
    """Every result example of the reference in one answer, feature sets among the
    others, after text with characters of two and three bytes, messages first."""
    results = [
        json.loads(p.read_text(encoding="utf-8"))
        for p in sorted((realworld_dir / "result").glob("*.json"))
    ]
    text = {"paramName": "Zürich", "dataType": "GPString", "value": "Zürich → 東京 ✓"}
    answer = {
        "messages": [{"type": "esriJobMessageTypeInformative", "description": "Début ✓"}],
        "results": [text, *reversed(results), {"value": 5, "paramName": "n", "dataType": "GPLong"}],
    }
    path = tmp_path / "answer.json"
    path.write_bytes(codecs.BOM_UTF8 + json.dumps(answer, ensure_ascii=False).encode("utf-8"))
    assert _check_against_parsed(path, chunk) >= 4


def test_the_rest_layer_checks_the_index_as_a_whole_answer(tmp_path: Path) -> None:
    path = tmp_path / "answer.json"
    path.write_text(
        '{"messages": [], "error": {"code": 400, "message": "Unable to complete operation.",'
        ' "details": ["ERROR 000735: Input Features: Value is required"]}}',
        encoding="utf-8",
    )
    with pytest.raises(ArcGisServerError) as raised:
        execute_result(index_execute_answer(path), "http://host/execute")
    assert raised.value.code == 400
    assert raised.value.details == ["ERROR 000735: Input Features: Value is required"]


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ('[{"results": []}]', "expected a JSON object"),
        ('{"results": [{"paramName": "a", "value": {"features": [{"attributes"', "invalid JSON"),
        ('{"results": []} {"more": 1}', "unexpected text after the answer"),
        ("", "expected a JSON object"),
    ],
)
def test_broken_answers_are_refused(tmp_path: Path, text: str, words: str) -> None:
    path = tmp_path / "answer.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(EsriJsonError, match=words):
        index_execute_answer(path, chunk_chars=16)
