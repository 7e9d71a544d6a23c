"""A graphical model that chains GP tasks with a native algorithm loads, validates and runs.

``tests/data/models/gp_buffer_dissolve_summary.model3`` was saved by QGIS's modeler API:
GP Buffer (Analysis) -> native:dissolve by a field -> GP Summarize (Analysis).
"""

from __future__ import annotations

import processing
from qgis.core import QgsProcessingModelAlgorithm, QgsVectorLayer

from tests.conftest import ROOT
from tests.integration.provider.conftest import point_layer

MODEL = ROOT / "tests" / "data" / "models" / "gp_buffer_dissolve_summary.model3"


def _load_model() -> QgsProcessingModelAlgorithm:
    model = QgsProcessingModelAlgorithm()
    assert model.fromFile(str(MODEL))
    return model


def test_the_model_loads_and_validates(provider) -> None:
    model = _load_model()
    valid, issues = model.validate()
    assert valid, issues
    assert [model.childAlgorithm(c).algorithmId() for c in sorted(model.childAlgorithms())] == [
        "native:dissolve",
        "arcgisgp:demo__analysis__buffer",
        "arcgisgp:demo__analysis__summarize",
    ]


def test_the_model_is_invalid_without_the_gp_connection(qgis_processing) -> None:
    valid, issues = _load_model().validate()
    assert not valid
    assert any("arcgisgp:demo__analysis__buffer" in issue for issue in issues)


def test_the_model_runs_through_processing_run(provider, feedback, tmp_path) -> None:
    points = point_layer(
        [("a", 7.44, 46.95), ("b", 7.45, 46.951), ("c", 7.63, 46.76), ("d", 7.25, 47.14)]
    )
    ranks = {"a": 1, "b": 1, "c": 2, "d": 3}  # a and b are 1 km apart: their buffers overlap
    points.startEditing()
    for feature in points.getFeatures():
        points.changeAttributeValue(feature.id(), 1, ranks[feature["name"]])
    assert points.commitChanges()

    result = processing.run(
        _load_model(),
        {
            "points": points,
            "distance": 2000,
            "group_field": "rank",
            "dissolve:dissolved": str(tmp_path / "dissolved.gpkg"),
            "gp_summarize:summary": str(tmp_path / "summary.gpkg"),
        },
        feedback=feedback,
    )
    dissolved = QgsVectorLayer(result["dissolve:dissolved"], "dissolved")
    assert dissolved.featureCount() == 3  # one polygon per rank
    summary = QgsVectorLayer(result["gp_summarize:summary"], "summary")
    assert summary.featureCount() == 3
    assert not summary.isSpatial()
    rows = {f["rank"]: f for f in summary.getFeatures()}
    assert set(rows) == {1, 2, 3}
    assert all(rows[rank]["COUNT"] == 1 for rank in rows)
