"""Handlers for GP types that hold several values: GPMultiValue:T and GPValueTable."""

from __future__ import annotations

import json
from typing import Any

from qgis.core import (
    QgsProcessingOutputString,
    QgsProcessingParameterEnum,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..rest.model import GPParameter
from .base import (
    OMIT,
    DecodeContext,
    EncodeContext,
    GPTypeHandler,
    ResultValue,
    apply_common,
    bad_input,
    display_name,
    make_output,
)
from .compat import SOURCE_ANY_GEOMETRY, SOURCE_RASTER
from .features import encode_source_to_feature_set

LAYER_ITEM_TYPES = {
    "GPFeatureRecordSetLayer": SOURCE_ANY_GEOMETRY,
    "GPRasterDataLayer": SOURCE_RASTER,
}


def convert_item(data_type: str, value: Any) -> Any:
    """One list item or table cell as the REST API wants it for its GP type."""
    if value is None or value == "":
        return None
    if data_type == "GPLong":
        return int(float(value))
    if data_type == "GPDouble":
        return float(value)
    if data_type == "GPBoolean":
        return value if isinstance(value, bool) else str(value).strip().lower() == "true"
    if isinstance(value, str) and value.strip()[:1] in ("{", "["):
        try:
            return json.loads(value)
        except ValueError:
            return value
    return value


def split_list_text(text: str) -> list[Any]:
    """Users type lists as a JSON array or as ';'-separated items (ArcGIS's own convention)."""
    stripped = text.strip()
    if stripped.startswith("["):
        return list(json.loads(stripped))
    return [item.strip() for item in stripped.split(";") if item.strip()]


def _as_json_text(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


class MultiValueType(GPTypeHandler):
    """GPMultiValue:T: several choices, several layers, or a list of T typed as text."""

    qgis_input = "Enum allowMultiple / MultipleLayers / list of T (JSON array or 'a; b')"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        item = param.item_type or "GPString"
        default = param.default_value if isinstance(param.default_value, list) else None
        if param.choice_list:
            options = [str(choice) for choice in param.choice_list]
            definition = QgsProcessingParameterEnum(
                param.name,
                display_name(param),
                options,
                allowMultiple=True,
                defaultValue=[str(v) for v in default if str(v) in options] if default else None,
                optional=not param.is_required,
                usesStaticStrings=True,
            )
        elif item in LAYER_ITEM_TYPES:
            definition = QgsProcessingParameterMultipleLayers(
                param.name,
                display_name(param),
                LAYER_ITEM_TYPES[item],
                optional=not param.is_required,
            )
        else:
            definition = QgsProcessingParameterString(
                param.name,
                display_name(param),
                defaultValue=_as_json_text(default) if default else None,
                optional=not param.is_required,
            )
        apply_common(definition, param)
        if isinstance(definition, QgsProcessingParameterString):
            how = f"A list of {item}: a JSON array, or items separated by ';'."
            definition.setHelp(f"{definition.help()}\n{how}".strip())
        return [definition]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        item = param.item_type or "GPString"
        if param.choice_list:
            values = ctx.algorithm.parameterAsEnumStrings(ctx.parameters, param.name, ctx.context)
            return [convert_item(item, value) for value in values]
        if item == "GPFeatureRecordSetLayer":
            layers = ctx.algorithm.parameterAsLayerList(ctx.parameters, param.name, ctx.context)
            return [encode_source_to_feature_set(layer, ctx, param) for layer in layers]
        if item in LAYER_ITEM_TYPES:
            raise bad_input(param, "lists of rasters cannot be sent yet")
        text = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        try:
            items = split_list_text(text)
            return [convert_item(item, value) for value in items]
        except ValueError as exc:
            raise bad_input(param, f"not a list of {item}: {exc}") from exc

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _as_json_text(result.value())}


class ValueTableType(GPTypeHandler):
    """GPValueTable: a matrix with the columns of ``parameterInfos``; sent as rows."""

    qgis_input = "Matrix with the columns of parameterInfos"

    def _columns(self, param: GPParameter) -> list[GPParameter]:
        return list(param.parameter_infos or [])

    def input_parameters(self, param: GPParameter) -> list[Any]:
        columns = self._columns(param)
        headers = [
            column.display_name or column.name or f"Column {i + 1}"
            for i, column in enumerate(columns)
        ]
        default_rows = param.default_value if isinstance(param.default_value, list) else []
        flat: list[Any] = []
        for row in default_rows:
            cells = [row.get(c.name) for c in columns] if isinstance(row, dict) else list(row)
            flat.extend(cells + [None] * (len(headers) - len(cells)))
        definition = QgsProcessingParameterMatrix(
            param.name,
            display_name(param),
            numberRows=max(len(default_rows), 1),
            hasFixedNumberRows=False,
            headers=headers or ["Value"],
            defaultValue=flat or None,
            optional=not param.is_required,
        )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        columns = self._columns(param) or [None]
        cells = ctx.algorithm.parameterAsMatrix(ctx.parameters, param.name, ctx.context)
        if len(cells) % len(columns):
            raise bad_input(
                param, f"{len(cells)} values do not fill rows of {len(columns)} columns"
            )
        rows = []
        for start in range(0, len(cells), len(columns)):
            row = []
            for column, value in zip(columns, cells[start : start + len(columns)]):
                data_type = column.data_type if column is not None else "GPString"
                try:
                    row.append(convert_item(data_type, value))
                except ValueError as exc:
                    name = column.name if column is not None else "value"
                    raise bad_input(
                        param, f"row {start // len(columns) + 1}, {name}: {exc}"
                    ) from exc
            rows.append(row)
        return rows

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _as_json_text(result.value())}
