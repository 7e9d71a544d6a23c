"""Handlers for GP types that hold several values: GPMultiValue:T and GPValueTable."""

from __future__ import annotations

import json
from typing import Any

from qgis.core import (
    QgsProcessingParameterEnum,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterMultipleLayers,
    QgsProcessingParameterString,
)

from ..i18n import translate
from ..rest.descriptions import GPParameter
from . import filters
from .base import EncodeContext, GPTypeHandler, bad_input, display_name
from .compat import SOURCE_ANY_GEOMETRY, SOURCE_RASTER
from .features import (
    accepted_geometry_types,
    check_geometry_type,
    encode_source_to_feature_set,
)

LAYER_ITEM_TYPES = {
    "GPFeatureRecordSetLayer": SOURCE_ANY_GEOMETRY,
    "GPRasterDataLayer": SOURCE_RASTER,
}


_STRING_TYPES = frozenset({"GPString", "GPStringHidden", "GPSQLExpression"})


def convert_item(data_type: str, value: Any) -> Any:
    """One list item or table cell as the REST API wants it for its GP type.

    An empty cell is ``null``, except in a string column, where the REST reference asks
    for ``""`` (GPValueTable, "array of arrays syntax").
    """
    if value is None:
        return None
    if value == "":
        return "" if data_type in _STRING_TYPES else None
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


def _layer_type(param: GPParameter, item: str) -> Any:
    """The layer type of a list of layers: one geometry type when a featureClass filter
    (or the template) allows only one, else any layer of the item's kind."""
    if item != "GPFeatureRecordSetLayer":
        return LAYER_ITEM_TYPES[item]
    types = accepted_geometry_types(param)
    return types[0] if len(types) == 1 else SOURCE_ANY_GEOMETRY


def _out_of_range(value: Any, bounds: tuple[float | None, float | None] | None) -> str | None:
    """Why a number breaks a range filter (None for other values or no range)."""
    if bounds is None or isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return filters.out_of_range(value, bounds)


class _SeveralValues(GPTypeHandler):
    """What GPMultiValue and GPValueTable share: their results are JSON text (an array, a
    table of rows), even when the server answers with a lone string."""

    def decode_value(self, value: Any) -> Any:
        return _as_json_text(value)


class MultiValueType(_SeveralValues):
    """GPMultiValue:T: several choices, several layers, or a list of T typed as text."""

    qgis_input = "Enum allowMultiple / MultipleLayers / list of T (JSON array or 'a; b')"

    def input_definition(self, param: GPParameter) -> Any:
        item = param.item_type or "GPString"
        default = param.default_value if isinstance(param.default_value, list) else None
        options = filters.choices(param)
        if options:
            return QgsProcessingParameterEnum(
                param.name,
                display_name(param),
                options,
                allowMultiple=True,
                defaultValue=[str(v) for v in default if str(v) in options] if default else None,
                usesStaticStrings=True,
            )
        if item in LAYER_ITEM_TYPES:
            return QgsProcessingParameterMultipleLayers(
                param.name, display_name(param), _layer_type(param, item)
            )
        return QgsProcessingParameterString(
            param.name,
            display_name(param),
            defaultValue=_as_json_text(default) if default else None,
        )

    def help_notes(self, param: GPParameter, definition: Any) -> list[str]:
        if not isinstance(definition, QgsProcessingParameterString):
            return super().help_notes(param, definition)  # the names of a combo box's codes
        how = translate("Collections", "A list of {item}: a JSON array, or items "
            "separated by ';'.")  # fmt: skip
        return [how.format(item=param.item_type or "GPString")]

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        item = param.item_type or "GPString"
        if filters.choices(param):
            values = ctx.algorithm.parameterAsEnumStrings(ctx.parameters, param.name, ctx.context)
            return [convert_item(item, value) for value in values]
        if item == "GPFeatureRecordSetLayer":
            layers = ctx.algorithm.parameterAsLayerList(ctx.parameters, param.name, ctx.context)
            for layer in layers:
                if hasattr(layer, "wkbType"):
                    check_geometry_type(param, layer.wkbType())
            return [encode_source_to_feature_set(layer, ctx, param) for layer in layers]
        if item in LAYER_ITEM_TYPES:
            raise bad_input(param, translate("Collections", "lists of rasters cannot be sent yet"))
        text = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        try:
            values = [convert_item(item, value) for value in split_list_text(text)]
        except ValueError as exc:
            raise bad_input(
                param,
                translate("Collections", "not a list of {item}: {exc}").format(item=item, exc=exc),
            ) from exc
        bounds = filters.range_bounds(param.filter)
        for value in values:
            problem = _out_of_range(value, bounds)
            if problem:
                raise bad_input(param, problem)
        return values


def _cell_problem(value: Any, flt: Any) -> str | None:
    """Why a table cell breaks its column's range or codedValue filter (None: it keeps it).

    Matrix cells are free text, so these are checked here, with the column named, rather
    than left to a server error about the whole table.
    """
    if value in (None, "") or flt is None:  # an empty cell is no value to check
        return None
    if isinstance(value, dict):  # a unit's number: {"distance" | "area" | "time": n, ...}
        number = next((value[k] for k in ("distance", "area", "time") if k in value), None)
        return _out_of_range(number, filters.range_bounds(flt))
    problem = _out_of_range(value, filters.range_bounds(flt))
    if problem:
        return problem
    codes = [str(entry.value) for entry in filters.value_codes(flt)]
    if codes and str(value) not in codes:
        return f"{value!r} is not one of {', '.join(codes)}"
    return None


def _column_rules(param: GPParameter) -> str:
    """The columns' filters, in words, for the parameter's help."""
    rules = []
    for column, flt in zip(param.parameter_infos, filters.column_filters(param)):
        label = column.display_name or column.name
        bounds = filters.range_bounds(flt)
        codes = filters.value_codes(flt)
        if bounds is not None:
            low, high = bounds
            between = translate("Collections", "{column}: from {low} to {high}")
            rules.append(between.format(column=label, low=_bound(low), high=_bound(high)))
        elif codes:
            one_of = translate("Collections", "{column}: one of {codes}")
            rules.append(one_of.format(column=label, codes=", ".join(map(_code_text, codes))))
        elif filters.kind(flt) in (filters.FEATURE_CLASS, filters.FILE, filters.FIELD):
            items = filters.list_items(flt, filters.kind(flt))
            rules.append(f"{label}: {', '.join(items)}")
    columns = translate("Collections", "Columns: {rules}")
    return columns.format(rules="; ".join(rules)) if rules else ""


def _bound(value: float | None) -> str:
    return "-" if value is None else f"{value:g}"


def _code_text(entry: filters.CodedValue) -> str:
    code = str(entry.value)
    return code if entry.name == code else f"{code} ({entry.name})"


class ValueTableType(_SeveralValues):
    """GPValueTable: a matrix with the columns of ``parameterInfos``; sent as rows."""

    qgis_input = "Matrix with the columns of parameterInfos"

    def _columns(self, param: GPParameter) -> list[GPParameter]:
        return list(param.parameter_infos or [])

    def input_definition(self, param: GPParameter) -> Any:
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
        return QgsProcessingParameterMatrix(
            param.name,
            display_name(param),
            numberRows=max(len(default_rows), 1),
            hasFixedNumberRows=False,
            headers=headers or ["Value"],
            defaultValue=flat or None,
        )

    def help_notes(self, param: GPParameter, definition: Any) -> list[str]:
        return [_column_rules(param)]

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        columns = self._columns(param) or [None]
        column_filters = filters.column_filters(param) or [None]
        cells = ctx.algorithm.parameterAsMatrix(ctx.parameters, param.name, ctx.context)
        if len(cells) % len(columns):
            raise bad_input(
                param,
                translate(
                    "Collections", "{values} values do not fill rows of {columns} columns"
                ).format(values=len(cells), columns=len(columns)),
            )
        rows = []
        for start in range(0, len(cells), len(columns)):
            row = []
            cells_of_row = cells[start : start + len(columns)]
            for column, flt, value in zip(columns, column_filters, cells_of_row):
                data_type = column.data_type if column is not None else "GPString"
                name = column.name if column is not None else "value"
                try:
                    converted = convert_item(data_type, value)
                    problem = _cell_problem(converted, flt)
                except ValueError as exc:
                    problem = str(exc)
                if problem:
                    raise bad_input(
                        param,
                        translate("Collections", "row {row}, {name}: {problem}").format(
                            row=start // len(columns) + 1, name=name, problem=problem
                        ),
                    )
                row.append(converted)
            rows.append(row)
        return rows
