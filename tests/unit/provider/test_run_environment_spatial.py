"""Which tasks get the run parameters (z and m, output and processing CRS)."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.provider.environment import is_spatial
from arcgis_gp.plugin.rest.descriptions import GPTask
from tests.unit.provider.test_algorithm_definitions import _out, _param

URL = "https://example.com/arcgis/rest/services/Tools/GPServer/T"


def _task(*types: str) -> GPTask:
    parameters = [_param(f"P{i}", t) for i, t in enumerate(types)]
    return GPTask.from_json({"name": "T", "parameters": parameters}, url=URL, service_path="Tools")


@pytest.mark.parametrize(
    "types",
    [
        ("GPString", "GPLong", "GPDouble", "GPBoolean", "GPDate"),
        ("GPLinearUnit", "GPArealUnit", "GPTimeUnit", "GPSQLExpression", "Field"),
        ("GPRecordSet", "GPMultiValue:GPString", "GPStringHidden", "GPField"),
    ],
)
def test_text_numbers_units_and_tables_only_are_not_spatial(types) -> None:
    assert not is_spatial(_task(*types))


@pytest.mark.parametrize(
    "spatial",
    [
        "GPFeatureRecordSetLayer",
        "GPMultiValue:GPFeatureRecordSetLayer",
        "GPRasterDataLayer",
        "GPDataFile",  # a zipped shapefile is a file too
        "GPExtent",
        "GPSpatialReference",
        "GPValueTable",
        "GPSomethingNew",
    ],
)
def test_one_parameter_that_may_hold_spatial_data_is_enough(spatial) -> None:
    assert is_spatial(_task("GPString", "GPLong", spatial))


def test_a_spatial_output_counts() -> None:
    task = GPTask.from_json(
        {"name": "T", "parameters": [_param("N", "GPLong"), _out("F", "GPFeatureRecordSetLayer")]},
        url=URL,
        service_path="Tools",
    )
    assert is_spatial(task)
