"""The handler for GP types with no closer QGIS parameter, and for unknown types."""

from __future__ import annotations

import json
from typing import Any

from qgis.core import QgsProcessingParameterString

from ..rest.descriptions import GPParameter
from .base import EncodeContext, GPTypeHandler, display_name, string_default


class RawJsonType(GPTypeHandler):
    """Types with no closer QGIS parameter, and unknown types: a string of raw JSON.

    The text is sent parsed when it is JSON (so objects and arrays arrive as such), and
    as plain text otherwise; results come back as their JSON text.
    """

    qgis_input = "String holding raw JSON"

    def __init__(self, known: bool = True) -> None:
        self.known = known

    def input_definition(self, param: GPParameter) -> Any:
        return QgsProcessingParameterString(
            param.name,
            display_name(param),
            defaultValue=string_default(param.default_value),
            multiLine=isinstance(param.default_value, (dict, list)),
        )

    def help_notes(self, param: GPParameter, definition: Any) -> list[str]:
        if self.known:
            return []
        return [
            f"(GP type {param.data_type} is not known to this plugin: the text is sent as "
            "raw JSON.)"
        ]

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        text = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        try:
            return json.loads(text)
        except ValueError:
            return text
