"""Parameter filters: the REST reference's examples, real task descriptions, and odd ones.

Every filter kind maps to what QGIS can hold, and a filter that cannot be held (or cannot
be read) still leaves a working parameter and a note for the log.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterNumber,
)

from arcgis_gp.plugin.gptypes import filters
from arcgis_gp.plugin.gptypes.compat import (
    FIELD_ANY,
    FIELD_NUMERIC,
    FIELD_STRING,
    SOURCE_LINE,
    SOURCE_POLYGON,
)
from arcgis_gp.plugin.gptypes.table import GP_TYPES, handler_for
from arcgis_gp.plugin.gptypes.units import AREAL, LINEAR, TIME, esri_unit
from arcgis_gp.plugin.rest.descriptions import GPParameter

EXAMPLES: dict[str, Any] = json.loads(
    (Path(__file__).parents[2] / "data" / "filters" / "rest-reference-filters.json").read_text(
        encoding="utf-8"
    )
)


def parameter(data_type: str, flt: Any = None, **extra: Any) -> GPParameter:
    raw = {"name": "P", "dataType": data_type, "direction": "esriGPParameterDirectionInput"}
    if flt is not None:
        raw["filter"] = flt
    return GPParameter.from_json({**raw, **extra})


def test_the_reference_examples_read() -> None:
    assert filters.list_items(EXAMPLES["featureClass"], filters.FEATURE_CLASS) == [
        "esriGeometryPolyline",
        "esriGeometryPolygon",
    ]
    assert filters.range_bounds(EXAMPLES["range"]) == (-9999, 9999)
    assert filters.field_families(EXAMPLES["field"]) == {filters.NUMERIC}
    assert filters.list_items(EXAMPLES["file"], filters.FILE) == ["pdf", "txt"]
    codes = filters.value_codes(EXAMPLES["codedValue"])
    assert [c.value for c in codes] == ["NONE", "ALL", "LIST"]
    assert filters.coded_names_help(EXAMPLES["codedValue"]).startswith(
        "Codes: NONE = No Dissolve; ALL = Dissolve all"
    )
    layers = filters.coded_values(EXAMPLES["codedValueLayers"])
    assert [layer.is_layer for layer in layers] == [True, True]
    assert filters.value_codes(EXAMPLES["codedValueLayers"]) == []


def test_a_coded_value_filter_without_a_choice_list_is_a_choice_of_codes() -> None:
    param = parameter("GPString", EXAMPLES["codedValue"], defaultValue="ALL")
    [definition] = handler_for("GPString").input_parameters(param)
    assert isinstance(definition, QgsProcessingParameterEnum)
    assert definition.options() == ["NONE", "ALL", "LIST"]
    assert definition.defaultValue() == "ALL"
    assert "LIST = Dissolve features using" in definition.help()
    assert filters.notes(param) == []


def test_the_composite_example_gives_each_value_table_column_its_filter() -> None:
    columns = [{"name": f"c{i}", "dataType": t} for i, t in enumerate(EXAMPLES["compositeColumns"])]
    param = parameter("GPValueTable", EXAMPLES["composite"], parameterInfos=columns)
    per_column = filters.column_filters(param)
    assert [filters.kind(f) for f in per_column] == ["codedValue", "featureClass", "file", "", ""]
    [definition] = handler_for("GPValueTable").input_parameters(param)
    assert isinstance(definition, QgsProcessingParameterMatrix)
    assert "c0: one of abc, def, ghu" in definition.help()
    assert "c1: esriGeometryPoint, esriGeometryPolyline" in definition.help()
    notes = filters.notes(param)
    assert len(notes) == 2
    assert all("checked by the server" in n for n in notes)


def test_real_value_table_ranges_from_parameter_infos(realworld_dir: Path) -> None:
    task = json.loads(
        (realworld_dir / "task" / "esridoc-Level2_ValueTable_Sync-filters.json").read_text()
    )
    param = GPParameter.from_json(task["parameters"][0])
    bounds = [filters.range_bounds(f) for f in filters.column_filters(param)]
    assert bounds == [(-99999, 99999), (-12345678.9, 98765.4321)]
    [definition] = handler_for("GPValueTable").input_parameters(param)
    assert "input long column: from -99999 to 99999" in definition.help()
    assert filters.notes(param) == []


def test_real_feature_class_filter(realworld_dir: Path) -> None:
    task = json.loads(
        (
            realworld_dir / "task" / "esridoc-Level2_Features_Async-FeatureFiltersLinePolygon.json"
        ).read_text()
    )
    param = GPParameter.from_json(task["parameters"][0])
    [definition] = handler_for(param.data_type).input_parameters(param)
    assert isinstance(definition, QgsProcessingParameterFeatureSource)
    assert sorted(map(int, definition.dataTypes())) == sorted(
        map(int, [SOURCE_LINE, SOURCE_POLYGON])
    )
    assert filters.notes(param) == []


@pytest.mark.parametrize(
    ("flt", "field_type"),
    [
        ({"type": "field", "list": ["esriFieldTypeInteger", "esriFieldTypeOID"]}, FIELD_NUMERIC),
        ({"type": "field", "list": ["Short", "Long", "Double"]}, FIELD_NUMERIC),
        ({"type": "field", "list": ["esriFieldTypeString", "esriFieldTypeGUID"]}, FIELD_STRING),
        ({"type": "field", "list": ["esriFieldTypeString", "esriFieldTypeInteger"]}, FIELD_ANY),
        ({"type": "field", "list": ["esriFieldTypeSomethingNew"]}, FIELD_ANY),
    ],
)  # fmt: skip
def test_field_filters_in_esri_and_arcpy_names(flt, field_type) -> None:
    [definition] = handler_for("GPField").input_parameters(parameter("GPField", flt))
    assert isinstance(definition, QgsProcessingParameterField)
    assert definition.dataType() == field_type


ODD_FILTERS = [
    {"type": "range", "minimum": "abc", "maximum": None},
    {"type": "range", "minimum": 10, "maximum": 1},
    {"type": "range"},
    {"type": "featureClass", "list": "esriGeometryPoint"},
    {"type": "file", "list": [None, ".csv", 5]},
    {"type": "field"},
    {"type": "codedValue", "list": [None, {"name": "no value"}, {"value": 3}]},
    {"type": "composite", "list": [None, "range", {"type": "range", "minimum": 0}]},
    {"type": "workspace", "list": ["esriLocalDatabaseWorkspace"]},
    {"type": 5},
    {"list": [1, 2]},
    {},
]


@pytest.mark.parametrize("data_type", [*sorted(GP_TYPES), "GPMultiValue:GPLong", "GPNew"])
@pytest.mark.parametrize(
    "flt", [*ODD_FILTERS, *(v for k, v in EXAMPLES.items() if isinstance(v, dict))]
)
def test_any_filter_on_any_type_leaves_a_working_parameter(data_type, flt) -> None:
    extra: dict[str, Any] = {}
    if data_type == "GPValueTable":
        extra["parameterInfos"] = [{"name": "a", "dataType": "GPLong"}]
    param = parameter(data_type, flt, **extra)
    definitions = handler_for(data_type).input_parameters(param)
    assert definitions
    assert definitions[0].name() == "P"
    assert all(isinstance(note, str) for note in filters.notes(param))


def test_notes_name_what_is_left_to_the_server() -> None:
    assert "'workspace'" in filters.notes(parameter("GPDouble", ODD_FILTERS[8]))[0]
    assert "without usable bounds" in filters.notes(parameter("GPDouble", ODD_FILTERS[1]))[0]
    assert "'range'" in filters.notes(parameter("GPString", EXAMPLES["range"]))[0]
    layers = filters.notes(parameter("GPFeatureRecordSetLayer", EXAMPLES["codedValueLayers"]))
    assert "polygonZ_FeatureToPoint1, polylinesZM1" in layers[0]
    assert filters.notes(parameter("GPLong", EXAMPLES["range"])) == []
    assert filters.notes(parameter("GPLinearUnit", EXAMPLES["range"])) == []
    assert filters.notes(parameter("GPMultiValue:GPLong", EXAMPLES["range"])) == []
    assert (
        "left to the server"
        in filters.notes(parameter("GPMultiValue:GPDataFile", EXAMPLES["file"]))[0]
    )


@pytest.mark.parametrize(
    ("kind", "name", "unit"),
    [
        (LINEAR, "esriMiles", "esriMiles"),
        (LINEAR, "Miles", "esriMiles"),
        (LINEAR, "Mile", "esriMiles"),
        (LINEAR, "Feet", "esriFeet"),
        (LINEAR, "NauticalMiles", "esriNauticalMiles"),
        (AREAL, "SquareKilometers", "esriSquareKilometers"),
        (AREAL, "SquareFootUS", "esriSquareFeetUS"),
        (AREAL, "Acres", "esriAcres"),
        (TIME, "Hours", "esriTimeUnitsHours"),
        (TIME, "Century", "esriTimeUnitsCenturies"),
        (LINEAR, "SquareMeters", None),
        (AREAL, "esriMeters", None),
        (TIME, "Fortnights", None),
        (LINEAR, "", None),
    ],
)
def test_unit_names_in_either_form(kind, name, unit) -> None:
    assert esri_unit(name, kind) == unit


def test_unit_defaults_choices_and_ranges() -> None:
    param = parameter(
        "GPArealUnit",
        {"type": "range", "minimum": 0.5, "maximum": 50},
        defaultValue={"area": 3, "units": "esriAcres"},
        choiceList=["SquareMeters", "Hectares", "Parsecs"],
    )
    number, units = handler_for("GPArealUnit").input_parameters(param)
    assert isinstance(number, QgsProcessingParameterNumber)
    assert (number.defaultValue(), number.minimum(), number.maximum()) == (3, 0.5, 50)
    # the default's unit stays offered (and is the default) although the list leaves it out
    assert units.options() == ["esriAcres", "esriSquareMeters", "esriHectares"]
    assert units.defaultValue() == "esriAcres"
    text_default = parameter("GPTimeUnit", defaultValue="3 Days")
    number, units = handler_for("GPTimeUnit").input_parameters(text_default)
    assert (number.defaultValue(), units.defaultValue()) == (3, "esriTimeUnitsDays")
