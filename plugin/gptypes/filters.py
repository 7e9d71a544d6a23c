"""GP parameter filters (the ``filter`` of a task parameter) read into what QGIS can hold.

The ArcGIS REST reference (GP task, "Filters") names six kinds:

- ``range``: ``{"type": "range", "minimum": -9999, "maximum": 9999}``, on numbers and units;
- ``featureClass``: ``{"type": "featureClass", "list": ["esriGeometryPolygon", ...]}``;
- ``file``: ``{"type": "file", "list": ["csv", "txt"]}`` (extensions without the dot);
- ``field``: ``{"type": "field", "list": ["esriFieldTypeSmallInteger", ...]}`` (arcpy's
  own names, ``Short``, ``Text`` ..., are read too);
- ``codedValue`` (Enterprise 12.0): ``{"type": "codedValue", "list": [{"dataType": "GPString",
  "name": "No Dissolve", "value": "NONE"}, ...]}``: the value sent and the name shown; for
  layer choices the value is a layer's schema;
- ``composite`` (Enterprise 12.0): ``{"type": "composite", "list": [<filter>|null, ...]}``,
  one entry per column of a GPValueTable (or per type of a GPComposite).

Servers are not always tidy: every reader here takes whatever JSON arrives and never
raises, so a filter it cannot use leaves a working parameter (and a note for the log).
Plain Python: no QGIS here.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

from ..i18n import translate
from ..rest.data_types import MULTI_VALUE, split_data_type
from ..rest.descriptions import GPParameter

RANGE = "range"
FEATURE_CLASS = "featureClass"
FILE = "file"
FIELD = "field"
CODED_VALUE = "codedValue"
COMPOSITE = "composite"
KNOWN_KINDS = (RANGE, FEATURE_CLASS, FILE, FIELD, CODED_VALUE, COMPOSITE)

#: Which filter kinds each GP data type can honour (GPMultiValue:T and value table
#: columns go by their item type T).
_HONOURED = {
    "GPLong": {RANGE, CODED_VALUE},
    "GPDouble": {RANGE, CODED_VALUE},
    "GPString": {CODED_VALUE},
    "GPSQLExpression": {CODED_VALUE},
    "GPLinearUnit": {RANGE},
    "GPArealUnit": {RANGE},
    "GPTimeUnit": {RANGE},
    "GPFeatureRecordSetLayer": {FEATURE_CLASS},
    "GPDataFile": {FILE},
    "GPField": {FIELD},  # and "Field", which split_data_type reads as GPField
    "GPValueTable": {COMPOSITE},
}

#: What a list (GPMultiValue:T) can honour, by its item type T.
_HONOURED_IN_LISTS = {
    "GPLong": {RANGE, CODED_VALUE},
    "GPDouble": {RANGE, CODED_VALUE},
    "GPString": {CODED_VALUE},
    "GPFeatureRecordSetLayer": {FEATURE_CLASS},
}

#: Field types by the family QGIS can filter on (QgsProcessingParameterField's types).
NUMERIC, TEXT, DATE, OTHER = "numeric", "string", "date", "other"
_FIELD_FAMILIES = {
    "smallinteger": NUMERIC, "short": NUMERIC, "integer": NUMERIC, "long": NUMERIC,
    "biginteger": NUMERIC, "single": NUMERIC, "float": NUMERIC, "double": NUMERIC,
    "oid": NUMERIC,
    "string": TEXT, "text": TEXT, "guid": TEXT, "globalid": TEXT, "xml": TEXT,
    "date": DATE, "dateonly": DATE, "timestampoffset": DATE,
    "timeonly": OTHER, "geometry": OTHER, "blob": OTHER, "raster": OTHER,
}  # fmt: skip


@dataclass(frozen=True)
class CodedValue:
    """One entry of a codedValue filter: the value sent, and the name a user reads."""

    value: Any
    name: str
    data_type: str = ""

    @property
    def is_layer(self) -> bool:
        """Layer choices carry a schema object as the value, not something to send."""
        return isinstance(self.value, (dict, list))


def kind(flt: Any) -> str:
    """The filter's ``type`` ("" when it has none or is not an object)."""
    if not isinstance(flt, dict):
        return ""
    value = flt.get("type")
    return value if isinstance(value, str) else ""


def _items(flt: Any) -> list[Any]:
    items = flt.get("list") if isinstance(flt, dict) else None
    return list(items) if isinstance(items, list) else []


def _number(value: Any) -> float | None:
    if isinstance(value, bool) or value is None:
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return number if math.isfinite(number) else None


def range_bounds(flt: Any) -> tuple[float | None, float | None] | None:
    """``(minimum, maximum)`` of a range filter (either may be None); None for others.

    Bounds that are not numbers are dropped, and a range whose minimum is above its
    maximum is no range at all (QGIS would refuse every value).
    """
    if kind(flt) != RANGE:
        return None
    low, high = _number(flt.get("minimum")), _number(flt.get("maximum"))
    if low is not None and high is not None and low > high:
        return None
    if low is None and high is None:
        return None
    return low, high


def out_of_range(value: float, bounds: tuple[float | None, float | None]) -> str | None:
    """Why ``value`` breaks the bounds, or None when it keeps them."""
    low, high = bounds
    if (low is not None and value < low) or (high is not None and value > high):
        return f"{value:g} is outside the range {_bound_text(low)} to {_bound_text(high)}"
    return None


def _bound_text(bound: float | None) -> str:
    return "-" if bound is None else f"{bound:g}"


def coded_values(flt: Any) -> list[CodedValue]:
    """The entries of a codedValue filter that have a value (a name defaults to it)."""
    if kind(flt) != CODED_VALUE:
        return []
    entries = []
    for item in _items(flt):
        if not isinstance(item, dict) or item.get("value") is None:
            continue
        value = item["value"]
        name = item.get("name")
        entries.append(
            CodedValue(
                value=value,
                name=str(name) if name not in (None, "") else str(value),
                data_type=str(item.get("dataType") or ""),
            )
        )
    return entries


def value_codes(flt: Any) -> list[CodedValue]:
    """The coded values that are values to send (strings and numbers, not layer schemas)."""
    return [entry for entry in coded_values(flt) if not entry.is_layer]


def choices(param: GPParameter) -> list[str]:
    """What a user may pick: the choice list, else the codes of a codedValue filter."""
    if param.choice_list:
        return [str(choice) for choice in param.choice_list]
    return [str(entry.value) for entry in value_codes(param.filter)]


def coded_names_help(flt: Any) -> str:
    """``"Codes: NONE = No Dissolve; ALL = …"`` when the names say more than the codes."""
    entries = value_codes(flt)
    if not any(entry.name != str(entry.value) for entry in entries):
        return ""
    codes = "; ".join(f"{entry.value} = {entry.name}" for entry in entries)
    return translate("Filters", "Codes: {codes}").format(codes=codes)


def list_items(flt: Any, filter_kind: str) -> list[str]:
    """The text items of a featureClass, file or field filter (empty for other kinds)."""
    if kind(flt) != filter_kind:
        return []
    return [str(item).strip() for item in _items(flt) if str(item).strip()]


def field_family(esri_or_arcpy_type: str) -> str | None:
    """``numeric``/``string``/``date``/``other`` for ``esriFieldTypeSmallInteger`` or
    ``Short``; None when the name is not a field type."""
    key = esri_or_arcpy_type.strip().lower().replace(" ", "")
    key = key.removeprefix("esrifieldtype")
    return _FIELD_FAMILIES.get(key)


def field_families(flt: Any) -> set[str]:
    """The families a field filter allows (empty: no field filter, or nothing readable)."""
    found = (field_family(item) for item in list_items(flt, FIELD))
    return {family for family in found if family}


def column_filters(param: GPParameter) -> list[Any]:
    """One filter (or None) per column of a GPValueTable.

    A column's own ``filter`` in ``parameterInfos`` (ArcGIS 11.x) wins; else the entry at
    its position in the parameter's composite filter (Enterprise 12.0).
    """
    parts = _items(param.filter) if kind(param.filter) == COMPOSITE else []
    filters = []
    for index, column in enumerate(param.parameter_infos):
        own = column.filter if isinstance(column.filter, dict) else None
        part = parts[index] if index < len(parts) and isinstance(parts[index], dict) else None
        filters.append(own or part)
    return filters


def notes(param: GPParameter) -> list[str]:
    """What a filter asks that the QGIS parameter cannot hold (for the plugin's log).

    An empty list means every filter of the parameter is honoured (or there is none).
    """
    found = _notes_for(param.data_type, param.filter, param.name)
    if param.base_type == "GPValueTable":
        for column, flt in zip(param.parameter_infos, column_filters(param)):
            label = f"{param.name}, column {column.name or column.display_name or '?'}"
            found.extend(_column_notes(column.data_type, flt, label))
    return found


def _notes_for(data_type: str, flt: Any, label: str) -> list[str]:
    if flt is None:
        return []
    filter_kind = kind(flt)
    if not filter_kind:
        return [f"{label}: a filter without a type is ignored"]
    if filter_kind not in KNOWN_KINDS:
        return [f"{label}: filter type {filter_kind!r} is not known; the server checks the value"]
    base, item = split_data_type(data_type)
    if filter_kind == CODED_VALUE and any(entry.is_layer for entry in coded_values(flt)):
        names = ", ".join(entry.name for entry in coded_values(flt))
        return [f"{label}: the server offers the layers {names}; any layer of that schema is sent"]
    if base == MULTI_VALUE:  # a list honours what its item type does in a list
        honoured, base = _HONOURED_IN_LISTS, item or base
    else:
        honoured = _HONOURED
    if filter_kind not in honoured.get(base, set()):
        return [f"{label}: a {filter_kind!r} filter on {data_type} is left to the server"]
    if filter_kind == RANGE and range_bounds(flt) is None:
        return [f"{label}: a range filter without usable bounds is ignored"]
    return []


def _column_notes(data_type: str, flt: Any, label: str) -> list[str]:
    """Matrix cells are text: ranges and codes are checked before sending, the rest not."""
    if flt is None:
        return []
    if kind(flt) in (FEATURE_CLASS, FILE, FIELD):
        return [f"{label}: a {kind(flt)!r} filter in a table cell is checked by the server"]
    return _notes_for(data_type, flt, label)
