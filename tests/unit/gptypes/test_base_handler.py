"""The handler base class is itself the handler of plain strings (GPString): every other
type's handler changes only what differs, through its hooks."""

from __future__ import annotations

from pathlib import Path

from qgis.core import (
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)

from arcgis_gp.plugin.gptypes.base import DecodeContext, GPTypeHandler, ResultValue
from arcgis_gp.plugin.gptypes.compat import FLAG_OPTIONAL
from arcgis_gp.plugin.gptypes.table import GP_TYPES
from arcgis_gp.plugin.rest.descriptions import GPParameter


def _decoded(handler: GPTypeHandler, param: GPParameter, value: object) -> dict:
    def no_download(url: str, path: Path) -> Path:
        raise AssertionError("a string result is never downloaded")

    result = ResultValue(lambda as_data: value, to_file=lambda path: path)
    ctx = DecodeContext(None, {}, QgsProcessingContext(), QgsProcessingFeedback(), no_download)
    return handler.decode(param, result, ctx)


def test_gpstring_is_handled_by_the_base_class_itself() -> None:
    assert type(GP_TYPES["GPString"]) is GPTypeHandler
    assert type(GP_TYPES["GPSQLExpression"]) is GPTypeHandler


def test_the_base_handler_makes_a_text_box_an_output_string_and_text_results() -> None:
    handler = GPTypeHandler()
    param = GPParameter.from_json(
        {
            "name": "Label",
            "dataType": "GPString",
            "displayName": "Label text",
            "description": "What to write",
            "parameterType": "esriGPParameterTypeOptional",
            "defaultValue": "north",
        }
    )

    [definition] = handler.input_parameters(param)
    assert isinstance(definition, QgsProcessingParameterString)
    assert (definition.name(), definition.description()) == ("Label", "Label text")
    assert definition.defaultValue() == "north"
    assert definition.help() == "What to write"
    assert definition.flags() & FLAG_OPTIONAL

    [output] = handler.output_definitions(param)
    assert isinstance(output, QgsProcessingOutputString)
    assert (output.name(), output.description()) == ("Label", "Label text")

    assert _decoded(handler, param, "done") == {"Label": "done"}
    # Real servers sometimes answer a GPString with an object: it is kept as JSON text.
    assert _decoded(handler, param, {"a": [1, "é"]}) == {"Label": '{"a": [1, "é"]}'}
    assert _decoded(handler, param, None) == {"Label": None}


def test_the_base_handler_offers_a_choice_list_with_the_names_of_coded_values() -> None:
    param = GPParameter.from_json(
        {
            "name": "Method",
            "dataType": "GPString",
            "parameterType": "esriGPParameterTypeRequired",
            "defaultValue": "ALL",
            "filter": {
                "type": "codedValue",
                "list": [
                    {"dataType": "GPString", "name": "No Dissolve", "value": "NONE"},
                    {"dataType": "GPString", "name": "Dissolve All", "value": "ALL"},
                ],
            },
        }
    )

    [definition] = GPTypeHandler().input_parameters(param)
    assert isinstance(definition, QgsProcessingParameterEnum)
    assert definition.options() == ["NONE", "ALL"]
    assert definition.defaultValue() == "ALL"
    assert not definition.flags() & FLAG_OPTIONAL
    assert "NONE = No Dissolve" in definition.help()
