"""The handler for GPLong and GPDouble, and the range filter as a number's bounds."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingOutputNumber, QgsProcessingParameterNumber

from ..rest.descriptions import GPParameter
from . import filters
from .base import EncodeContext, GPTypeHandler, choice_parameter, display_name
from .compat import NUMBER_DOUBLE, NUMBER_INTEGER


def _number_text(value: float | int, options: list[str]) -> str:
    """The option that names ``value`` ("2" for 2.0 among "1", "2", "3")."""
    return next((o for o in options if _same_number(o, value)), str(value))


def _same_number(text: str, value: float | int) -> bool:
    try:
        return float(text) == float(value)
    except ValueError:
        return False


def apply_range(
    definition: QgsProcessingParameterNumber, bounds: tuple[float | None, float | None]
) -> None:
    """A range filter's bounds as the number's minimum and maximum."""
    low, high = bounds
    if low is not None:
        definition.setMinimum(low)
    if high is not None:
        definition.setMaximum(high)


class NumberType(GPTypeHandler):
    """GPLong and GPDouble: a range filter as minimum and maximum; a choice list or the codes
    of a codedValue filter as a combo box."""

    output_class = QgsProcessingOutputNumber

    def __init__(self, integer: bool) -> None:
        self.integer = integer
        self.qgis_input = "Number (Integer)" if integer else "Number (Double)"
        self.qgis_output = "OutputNumber"

    def input_definition(self, param: GPParameter) -> Any:
        options = filters.choices(param)
        if options:  # a numeric choice list (or codedValue) is still a choice for the user
            default = self._convert(param.default_value)
            text = None if default is None else _number_text(default, options)
            return choice_parameter(param, options, text)
        definition = QgsProcessingParameterNumber(
            param.name,
            display_name(param),
            NUMBER_INTEGER if self.integer else NUMBER_DOUBLE,
            defaultValue=self._convert(param.default_value),
        )
        bounds = filters.range_bounds(param.filter)
        if bounds is not None:
            apply_range(definition, bounds)
        return definition

    def _convert(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return int(value) if self.integer else float(value)
        except (TypeError, ValueError):
            return None

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if filters.choices(param):
            text = ctx.algorithm.parameterAsEnumString(ctx.parameters, param.name, ctx.context)
            return self._convert(text)
        if self.integer:
            return ctx.algorithm.parameterAsInt(ctx.parameters, param.name, ctx.context)
        return ctx.algorithm.parameterAsDouble(ctx.parameters, param.name, ctx.context)

    def decode_value(self, value: Any) -> Any:
        return self._convert(value)
