"""The handler for GPField: a field of another input's layer, checked against its filter."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingParameterField

from ..i18n import translate
from ..rest.descriptions import GPParameter
from . import filters
from .base import EncodeContext, GPTypeHandler, bad_input, display_name, result_as_text
from .compat import FIELD_ANY, FIELD_DATETIME, FIELD_NUMERIC, FIELD_STRING
from .fields import esri_field_type

#: The QGIS field type for a field filter whose types are all of one family.
_FIELD_TYPES = {
    filters.NUMERIC: FIELD_NUMERIC,
    filters.TEXT: FIELD_STRING,
    filters.DATE: FIELD_DATETIME,
}


class FieldType(GPTypeHandler):
    """GPField (and real servers' "Field"): a field of the layer its ``dependency`` names.

    A field filter (``esriFieldTypeDouble``, or arcpy's ``Double``) of one family becomes
    the QGIS field type (numeric, string, date); a mix QGIS cannot express is checked
    when the run starts, so a field of another type is refused with a clear message.
    """

    qgis_input = "Field, parent = the dependency parameter; field filter -> field type"

    def input_definition(self, param: GPParameter) -> Any:
        default = param.default_value
        if isinstance(default, dict):
            default = default.get("name")
        families = filters.field_families(param.filter)
        field_type = FIELD_ANY
        if len(families) == 1:
            field_type = _FIELD_TYPES.get(families.pop(), FIELD_ANY)
        return QgsProcessingParameterField(
            param.name,
            display_name(param),
            defaultValue=default or None,
            parentLayerParameterName=param.dependency or "",
            type=field_type,
            allowMultiple=False,
        )

    def help_notes(self, param: GPParameter, definition: Any) -> list[str]:
        allowed = filters.list_items(param.filter, filters.FIELD)
        if not allowed:
            return []
        return [translate("Scalars", "Field types: {types}").format(types=", ".join(allowed))]

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        name = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        esri_type = "esriFieldTypeString"
        if param.dependency and ctx.has_value(param.dependency):
            source = ctx.algorithm.parameterAsSource(ctx.parameters, param.dependency, ctx.context)
            index = source.fields().lookupField(name) if source is not None else -1
            if index < 0:
                raise bad_input(
                    param,
                    translate(
                        "Scalars", "the layer given for {dependency} has no field {name!r}"
                    ).format(dependency=param.dependency, name=name),
                )
            esri_type = esri_field_type(source.fields().at(index))
            _check_field_type(param, name, esri_type)
        return {"name": name, "type": esri_type}

    def decode_value(self, value: Any) -> Any:
        if isinstance(value, dict) and "name" in value:
            return value["name"]
        return result_as_text(value)


def _check_field_type(param: GPParameter, name: str, esri_type: str) -> None:
    """Refuse a field whose type the task's field filter does not allow."""
    families = filters.field_families(param.filter)
    if families and filters.field_family(esri_type) not in families:
        allowed = ", ".join(filters.list_items(param.filter, filters.FIELD))
        raise bad_input(
            param,
            translate("Scalars", "field {name!r} is {esri_type}; the task takes {allowed}").format(
                name=name, esri_type=esri_type, allowed=allowed
            ),
        )
