"""Handlers for GP types that are one value: strings, numbers, booleans, dates, units,
fields, spatial references, extents, and the raw-JSON fallback for unknown types."""

from __future__ import annotations

import json
from datetime import datetime, timezone
from typing import Any

from qgis.core import (
    QgsApplication,
    QgsAuthMethodConfig,
    QgsCoordinateReferenceSystem,
    QgsProcessingOutputBoolean,
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QDateTime, Qt

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
from .compat import (
    DATETIME_DATETIME,
    FIELD_ANY,
    FIELD_DATETIME,
    FIELD_NUMERIC,
    FIELD_STRING,
    NUMBER_DOUBLE,
    NUMBER_INTEGER,
)
from .fields import esri_field_type
from .spatial_reference import crs_from_spatial_reference, spatial_reference_from_crs
from .units import UnitKind

UNITS_SUFFIX = "_units"


def _string_default(value: Any) -> Any:
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def _result_as_text(value: Any) -> str | None:
    """GPString results are sometimes objects or arrays on real servers: keep them as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


class StringType(GPTypeHandler):
    """GPString: a text box, or a combo box when the service gives a choice list."""

    qgis_input = "String; Enum (static strings) with a choice list"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = _string_default(param.default_value)
        if param.choice_list:
            options = [str(choice) for choice in param.choice_list]
            definition = QgsProcessingParameterEnum(
                param.name,
                display_name(param),
                options,
                allowMultiple=False,
                defaultValue=default if default in options else None,
                optional=not param.is_required,
                usesStaticStrings=True,
            )
        else:
            definition = QgsProcessingParameterString(
                param.name, display_name(param), defaultValue=default
            )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        if param.choice_list:
            return ctx.algorithm.parameterAsEnumString(ctx.parameters, param.name, ctx.context)
        return ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _result_as_text(result.value())}


#: Where each QGIS auth method keeps the secret a GPStringHidden value is taken from.
_SECRET_KEYS = ("password", "token", "apikey", "value")


def secret_from_auth_config(authcfg: str) -> str | None:
    """The secret held by a QGIS authentication configuration, or None if there is none.

    Basic keeps it as ``password``, EsriToken as ``token``, API-Header style methods under
    their own keys; the first one present wins.
    """
    manager = QgsApplication.authManager()
    if not authcfg or authcfg not in manager.configIds():
        return None
    config = QgsAuthMethodConfig()
    loaded = manager.loadAuthenticationConfig(authcfg, config, True)
    if isinstance(loaded, tuple):
        ok, config = loaded[0], loaded[-1] if len(loaded) > 1 else config
    else:
        ok = loaded
    if not ok:
        return None
    return next((config.config(k) for k in _SECRET_KEYS if config.config(k)), None)


class HiddenStringType(StringType):
    """GPStringHidden: a password or key, picked from the QGIS authentication database.

    Processing writes every input value to the dialog's log and to its history, so a
    secret typed into a text box would be kept in clear. The parameter is an auth
    configuration instead: only its id is logged, and the secret is read from the auth
    database when the request is built. Scripts may still pass the plain value.
    """

    qgis_input = "AuthConfig (the secret stays in the QGIS auth database); or the plain value"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        definition = QgsProcessingParameterAuthConfig(
            param.name, display_name(param), optional=not param.is_required
        )
        definition.setMetadata({**definition.metadata(), "arcgis_gp_secret": True})
        definition = apply_common(definition, param)
        definition.setHelp(
            (param.description + "\n\n" if param.description else "")
            + "Choose (or add) an authentication configuration holding the secret: its "
            "password (Basic) or token (EsriToken) is sent. Only the configuration id "
            "appears in the log and the history."
        )
        return [definition]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        value = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        secret = secret_from_auth_config(value)
        return value if secret is None else secret


class NumberType(GPTypeHandler):
    """GPLong and GPDouble, with a range filter as minimum and maximum."""

    def __init__(self, integer: bool) -> None:
        self.integer = integer
        self.qgis_input = "Number (Integer)" if integer else "Number (Double)"
        self.qgis_output = "OutputNumber"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        if param.choice_list:  # a numeric choice list is still a choice list for the user
            return StringType().input_parameters(param)
        number_filter = param.filter if isinstance(param.filter, dict) else {}
        definition = QgsProcessingParameterNumber(
            param.name,
            display_name(param),
            NUMBER_INTEGER if self.integer else NUMBER_DOUBLE,
            defaultValue=self._convert(param.default_value),
            optional=not param.is_required,
        )
        if number_filter.get("type") == "range":
            if number_filter.get("minimum") is not None:
                definition.setMinimum(float(number_filter["minimum"]))
            if number_filter.get("maximum") is not None:
                definition.setMaximum(float(number_filter["maximum"]))
        return [apply_common(definition, param)]

    def _convert(self, value: Any) -> Any:
        if value is None or value == "":
            return None
        try:
            return int(value) if self.integer else float(value)
        except (TypeError, ValueError):
            return None

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        if param.choice_list:
            text = ctx.algorithm.parameterAsEnumString(ctx.parameters, param.name, ctx.context)
            return self._convert(text)
        if self.integer:
            return ctx.algorithm.parameterAsInt(ctx.parameters, param.name, ctx.context)
        return ctx.algorithm.parameterAsDouble(ctx.parameters, param.name, ctx.context)

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputNumber, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: self._convert(result.value())}


class BooleanType(GPTypeHandler):
    """GPBoolean: a check box."""

    qgis_input = "Boolean"
    qgis_output = "OutputBoolean"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = param.default_value if isinstance(param.default_value, bool) else None
        definition = QgsProcessingParameterBoolean(
            param.name, display_name(param), defaultValue=default, optional=not param.is_required
        )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if ctx.parameters.get(param.name) is None:
            return OMIT
        return ctx.algorithm.parameterAsBoolean(ctx.parameters, param.name, ctx.context)

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputBoolean, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        value = result.value()
        if isinstance(value, str):
            value = value.strip().lower() == "true"
        return {param.name: None if value is None else bool(value)}


def epoch_ms_to_iso(value: Any) -> str | None:
    """GPDate values are epoch milliseconds (UTC); outputs show them as ISO 8601."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value  # already a date string: some servers send text dates
    moment = datetime.fromtimestamp(float(value) / 1000.0, tz=timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


class DateType(GPTypeHandler):
    """GPDate: a date-time chooser; sent as epoch milliseconds, returned as ISO 8601."""

    qgis_input = "DateTime"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = None
        if isinstance(param.default_value, (int, float)):
            default = QDateTime.fromMSecsSinceEpoch(int(param.default_value), Qt.TimeSpec.UTC)
        definition = QgsProcessingParameterDateTime(
            param.name,
            display_name(param),
            DATETIME_DATETIME,
            defaultValue=default,
            optional=not param.is_required,
        )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        moment = ctx.algorithm.parameterAsDateTime(ctx.parameters, param.name, ctx.context)
        if not moment.isValid():
            raise bad_input(param, f"not a valid date and time: {ctx.parameters[param.name]!r}")
        return moment.toMSecsSinceEpoch()

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: epoch_ms_to_iso(result.value())}


class UnitType(GPTypeHandler):
    """GPLinearUnit, GPArealUnit, GPTimeUnit: a number plus a companion unit chooser.

    The number keeps the GP parameter's name; the unit is ``<name>_units`` (an enum of
    Esri unit names, so scripts and models store ``esriKilometers``, not an index).
    """

    def __init__(self, kind: UnitKind) -> None:
        self.kind = kind
        self.qgis_input = f"Number + Enum '<name>{UNITS_SUFFIX}' ({kind.value_key} and units)"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = param.default_value if isinstance(param.default_value, dict) else {}
        amount = default.get(self.kind.value_key)
        unit = default.get("units") if default.get("units") in self.kind.units else None
        number = QgsProcessingParameterNumber(
            param.name,
            display_name(param),
            NUMBER_DOUBLE,
            defaultValue=float(amount) if isinstance(amount, (int, float)) else None,
            optional=not param.is_required,
        )
        apply_common(number, param)
        units = QgsProcessingParameterEnum(
            param.name + UNITS_SUFFIX,
            f"{number.description()}: units",
            list(self.kind.units),
            allowMultiple=False,
            defaultValue=unit or self.kind.default_unit,
            usesStaticStrings=True,
        )
        # Next to its number and like it (required, optional, advanced): it always has a
        # default, so it never asks for more than the number does.
        units.setFlags(number.flags())
        units.setHelp(f"Unit of '{display_name(param)}' (Esri unit name).")
        units.setMetadata({**units.metadata(), "arcgis_gp": number.metadata()["arcgis_gp"]})
        return [number, units]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        amount = ctx.algorithm.parameterAsDouble(ctx.parameters, param.name, ctx.context)
        unit_name = param.name + UNITS_SUFFIX
        unit = self.kind.default_unit
        if ctx.has_value(unit_name):
            unit = ctx.algorithm.parameterAsEnumString(ctx.parameters, unit_name, ctx.context)
        return {self.kind.value_key: amount, "units": unit}

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _result_as_text(result.value())}


_FIELD_FILTERS = {
    "short": FIELD_NUMERIC,
    "long": FIELD_NUMERIC,
    "biginteger": FIELD_NUMERIC,
    "single": FIELD_NUMERIC,
    "float": FIELD_NUMERIC,
    "double": FIELD_NUMERIC,
    "text": FIELD_STRING,
    "string": FIELD_STRING,
    "date": FIELD_DATETIME,
}


class FieldType(GPTypeHandler):
    """GPField (and real servers' "Field"): a field of the layer its ``dependency`` names."""

    qgis_input = "Field, parent = the dependency parameter"

    def __init__(self) -> None:
        self._parents: dict[str, str] = {}

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = param.default_value
        if isinstance(default, dict):
            default = default.get("name")
        allowed = {
            _FIELD_FILTERS.get(str(item).lower())
            for item in (param.filter or {}).get("list", [])
            if isinstance(param.filter, dict)
        } - {None}
        field_type = allowed.pop() if len(allowed) == 1 else FIELD_ANY
        definition = QgsProcessingParameterField(
            param.name,
            display_name(param),
            defaultValue=default or None,
            parentLayerParameterName=param.dependency or "",
            type=field_type,
            allowMultiple=False,
            optional=not param.is_required,
        )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        name = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        esri_type = "esriFieldTypeString"
        if param.dependency and ctx.has_value(param.dependency):
            source = ctx.algorithm.parameterAsSource(ctx.parameters, param.dependency, ctx.context)
            index = source.fields().lookupField(name) if source is not None else -1
            if index < 0:
                raise bad_input(
                    param, f"the layer given for {param.dependency} has no field {name!r}"
                )
            esri_type = esri_field_type(source.fields().at(index))
        return {"name": name, "type": esri_type}

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        value = result.value()
        if isinstance(value, dict) and "name" in value:
            return {param.name: value["name"]}
        return {param.name: _result_as_text(value)}


class SpatialReferenceType(GPTypeHandler):
    """GPSpatialReference / GPCoordinateSystem: a CRS chooser; sent as {wkid} or {wkt}."""

    qgis_input = "Crs"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = None
        if isinstance(param.default_value, dict) and param.default_value:
            crs = crs_from_spatial_reference(param.default_value)
            default = crs.authid() or None if crs.isValid() else None
        definition = QgsProcessingParameterCrs(
            param.name, display_name(param), defaultValue=default, optional=not param.is_required
        )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        crs: QgsCoordinateReferenceSystem = ctx.algorithm.parameterAsCrs(
            ctx.parameters, param.name, ctx.context
        )
        if not crs.isValid():
            raise bad_input(param, f"not a valid CRS: {ctx.parameters[param.name]!r}")
        return spatial_reference_from_crs(crs)

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        value = result.value()
        if isinstance(value, dict):
            crs = crs_from_spatial_reference(value)
            if crs.isValid() and crs.authid():
                return {param.name: crs.authid()}
        return {param.name: _result_as_text(value)}


class ExtentType(GPTypeHandler):
    """GPExtent / GPEnvelope: an extent (pickable on the canvas), sent with its SR."""

    qgis_input = "Extent"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = None
        value = param.default_value
        if isinstance(value, dict) and all(k in value for k in ("xmin", "ymin", "xmax", "ymax")):
            default = f"{value['xmin']},{value['xmax']},{value['ymin']},{value['ymax']}"
            crs = crs_from_spatial_reference(value.get("spatialReference"))
            if crs.isValid() and crs.authid():
                default += f" [{crs.authid()}]"
        definition = QgsProcessingParameterExtent(
            param.name, display_name(param), defaultValue=default, optional=not param.is_required
        )
        return [apply_common(definition, param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        rect = ctx.algorithm.parameterAsExtent(ctx.parameters, param.name, ctx.context)
        crs = ctx.algorithm.parameterAsExtentCrs(ctx.parameters, param.name, ctx.context)
        envelope: dict[str, Any] = {
            "xmin": rect.xMinimum(),
            "ymin": rect.yMinimum(),
            "xmax": rect.xMaximum(),
            "ymax": rect.yMaximum(),
        }
        if crs.isValid():
            envelope["spatialReference"] = spatial_reference_from_crs(crs)
        return envelope

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _result_as_text(result.value())}


class RawJsonType(GPTypeHandler):
    """Types with no closer QGIS parameter, and unknown types: a string of raw JSON.

    The text is sent parsed when it is JSON (so objects and arrays arrive as such), and
    as plain text otherwise; results come back as their JSON text.
    """

    qgis_input = "String holding raw JSON"

    def __init__(self, known: bool = True) -> None:
        self.known = known

    def input_parameters(self, param: GPParameter) -> list[Any]:
        definition = QgsProcessingParameterString(
            param.name,
            display_name(param),
            defaultValue=_string_default(param.default_value),
            multiLine=isinstance(param.default_value, (dict, list)),
            optional=not param.is_required,
        )
        apply_common(definition, param)
        if not self.known:
            definition.setHelp(
                f"{definition.help()}\n(GP type {param.data_type} is not known to this "
                "plugin: the text is sent as raw JSON.)".strip()
            )
        return [definition]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        text = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        try:
            return json.loads(text)
        except ValueError:
            return text

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _result_as_text(result.value())}
