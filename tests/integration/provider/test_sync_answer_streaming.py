"""A synchronous task's big answer is streamed to a temporary file and read in place.

Bench/Big LargeSummary answers ``execute`` with four results: a text, a count, a
FeatureSet of polygons with Z, and a total (the feature set is neither first nor last).
The server runs in its own process here, so that Python's traced memory is the
plugin's alone: the answer is never held whole (today's code parsed it whole, then
wrote the feature set out again, peaking at ~6x the answer's size).
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import tracemalloc
from collections.abc import Iterator
from pathlib import Path

import processing
import pytest
import requests
from qgis.core import QgsProcessingException, QgsVectorLayer, QgsWkbTypes

from tests.conftest import ROOT

ALGORITHM = "arcgisgp:demo__bench_big__largesummary"
COUNT = 40_000


@pytest.fixture(scope="module")
def server_process() -> Iterator[str]:
    """``python -m tests.gpserver`` in a child process; its services URL."""
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.gpserver", "--port", "0"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        line = process.stdout.readline() if process.stdout else ""
        assert line.startswith("GP server at "), line
        yield line.split()[3]
    finally:
        process.terminate()
        process.wait(timeout=30)
        if process.stdout:
            process.stdout.close()


@pytest.fixture
def connections_file(server_process: str, tmp_path: Path) -> Path:
    """The provider's connection points at the server process (overrides conftest's)."""
    path = tmp_path / "connections.yaml"
    path.write_text(f"connections:\n  - name: demo\n    url: {server_process}\n", encoding="utf-8")
    return path


@pytest.fixture
def temp_root(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Python's temporary folder for the run, to see what the run leaves there."""
    folder = tmp_path / "temp"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder


def _answer_size(services_url: str, count: int) -> int:
    response = requests.post(
        f"{services_url}/Bench/Big/GPServer/LargeSummary/execute",
        data={"Feature_Count": str(count), "returnZ": "true", "f": "json"},
        timeout=300,
    )
    response.raise_for_status()
    return len(response.content)


def test_big_answer_is_read_in_place_from_a_temporary_file(
    provider, server_process, temp_root: Path, tmp_path: Path, feedback
) -> None:
    size = _answer_size(server_process, COUNT)
    target = tmp_path / "polygons.gpkg"
    tracemalloc.start()
    try:
        result = processing.run(
            ALGORITHM,
            {"Feature_Count": COUNT, "Output_Features": str(target)},
            feedback=feedback,
        )
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    # The small values next to the feature set, each from its own place in the answer.
    total = sum(i * 0.5 + (i % 13) * 0.25 for i in range(COUNT))
    assert result["Summary_Text"] == f"{COUNT} polygons, VALUE total {total:g} (Zürich → 東京)"
    assert result["Polygon_Count"] == COUNT
    assert result["Value_Total"] == pytest.approx(total)
    layer = QgsVectorLayer(str(target), "polygons", "ogr")
    assert layer.featureCount() == COUNT
    assert QgsWkbTypes.hasZ(layer.wkbType())
    last = layer.getFeature(COUNT)
    assert last["NAME"] == f"Feature {COUNT}"
    z_values = {round(v.z()) for v in last.geometry().vertices()}
    assert z_values == {(COUNT - 1) % 100}
    # Never the whole answer in memory: today's json.loads + json.dump peaked at ~6x.
    assert peak < size / 2, f"peak {peak / 1e6:.1f} MB for an answer of {size / 1e6:.1f} MB"
    # The answer file lived in the run's temporary folder, which is gone.
    assert list(temp_root.iterdir()) == []


def test_error_answer_fails_the_run_with_the_server_words(
    provider, temp_root: Path, tmp_path: Path, feedback
) -> None:
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(
            ALGORITHM,
            {"Feature_Count": 10, "Fail": True, "Output_Features": str(tmp_path / "no.gpkg")},
            feedback=feedback,
        )
    assert "ERROR 999998: Fail was set, so the task failed as asked." in str(raised.value)
    assert not (tmp_path / "no.gpkg").exists()
    assert list(temp_root.iterdir()) == []
