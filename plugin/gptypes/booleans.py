"""The handler for GPBoolean."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingOutputBoolean, QgsProcessingParameterBoolean

from ..rest.descriptions import GPParameter
from .base import EncodeContext, GPTypeHandler, display_name


class BooleanType(GPTypeHandler):
    """GPBoolean: a check box."""

    qgis_input = "Boolean"
    qgis_output = "OutputBoolean"
    output_class = QgsProcessingOutputBoolean

    def input_definition(self, param: GPParameter) -> Any:
        default = param.default_value if isinstance(param.default_value, bool) else None
        return QgsProcessingParameterBoolean(param.name, display_name(param), defaultValue=default)

    def is_given(self, param: GPParameter, ctx: EncodeContext) -> bool:
        """Only a missing value is no value: a check box left clear is ``false``, sent."""
        return ctx.parameters.get(param.name) is not None

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        return ctx.algorithm.parameterAsBoolean(ctx.parameters, param.name, ctx.context)

    def decode_value(self, value: Any) -> Any:
        if isinstance(value, str):
            value = value.strip().lower() == "true"
        return None if value is None else bool(value)
