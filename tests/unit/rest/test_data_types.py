"""GP data type names as servers write them, read by the one function that splits them."""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import pytest

from arcgis_gp.plugin.rest.data_types import (
    base_data_type,
    item_data_type,
    split_data_type,
    value_data_type,
)
from tests.conftest import REALWORLD_FIXTURES

#: name as sent -> (type without ``:T``, item type T); the first group as Esri's
#: documented answers in tests/data/realworld spell them.
NAMES = {
    "GPMultiValue:GPString": ("GPMultiValue", "GPString"),
    "GPMultiValue:GPRasterDataLayer": ("GPMultiValue", "GPRasterDataLayer"),
    "GPMultiValue:GPLinearUnit": ("GPMultiValue", "GPLinearUnit"),
    "GPMultiValue:GPDouble": ("GPMultiValue", "GPDouble"),
    "GPFeatureRecordSetLayer": ("GPFeatureRecordSetLayer", None),
    "GPRecordSet": ("GPRecordSet", None),
    "GPRasterDataLayer": ("GPRasterDataLayer", None),
    "GPDataFile": ("GPDataFile", None),
    "GPValueTable": ("GPValueTable", None),
    "GPString": ("GPString", None),
    "GPLong": ("GPLong", None),
    "GPDouble": ("GPDouble", None),
    "GPDate": ("GPDate", None),
    "Field": ("GPField", None),  # what real servers say as often as GPField
    # seen from servers and the test server, or what a tolerant reader must survive
    "GPMultiValue:Field": ("GPMultiValue", "GPField"),
    "GPMultiValue:GPFeatureRecordSetLayer": ("GPMultiValue", "GPFeatureRecordSetLayer"),
    "GPMultiValue: GPLong": ("GPMultiValue", "GPLong"),
    "GPMultiValue:": ("GPMultiValue", None),
    "GPMultiValue": ("GPMultiValue", None),
    "": ("", None),
}


def _data_types(value: Any) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            if key == "dataType" and isinstance(item, str):
                yield item
            else:
                yield from _data_types(item)
    elif isinstance(value, list):
        for item in value:
            yield from _data_types(item)


def test_every_type_name_in_esris_documented_answers_is_covered():
    names = {
        name
        for path in REALWORLD_FIXTURES.rglob("*.json")
        for name in _data_types(json.loads(path.read_text(encoding="utf-8")))
    }
    assert "GPMultiValue:GPRasterDataLayer" in names  # the fixtures are read at all
    assert names <= set(NAMES)


@pytest.mark.parametrize(("name", "parts"), NAMES.items())
def test_the_item_part_is_split_off_and_aliases_normalised(name, parts):
    assert split_data_type(name) == parts
    assert base_data_type(name) == parts[0]
    assert item_data_type(name) == parts[1]


@pytest.mark.parametrize(
    ("name", "value_type"),
    [
        ("GPMultiValue:GPLong", "GPLong"),
        ("GPMultiValue:Field", "GPField"),
        ("GPLong", "GPLong"),
        ("Field", "GPField"),
        ("GPMultiValue", "GPMultiValue"),  # a list that names no item: itself
        ("GPMultiValue:", "GPMultiValue"),
    ],
)
def test_the_type_of_one_value_is_the_item_type_of_a_list(name, value_type):
    assert value_data_type(name) == value_type


def test_none_reads_as_no_name():
    assert split_data_type(None) == ("", None)
