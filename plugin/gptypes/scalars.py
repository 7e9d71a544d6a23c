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

from ..i18n import translate
from ..rest.descriptions import GPParameter
from . import filters
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
from .units import UnitKind, esri_unit

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


def choice_parameter(param: GPParameter, options: list[str], default: Any) -> Any:
    """A combo box of static strings (what scripts and models store is the value itself)."""
    default = None if default is None else str(default)
    return QgsProcessingParameterEnum(
        param.name,
        display_name(param),
        options,
        allowMultiple=False,
        defaultValue=default if default in options else None,
        optional=not param.is_required,
        usesStaticStrings=True,
    )


def with_coded_names(definition: Any, param: GPParameter) -> Any:
    """The names of a codedValue filter in the help: the combo box shows the codes sent."""
    names = filters.coded_names_help(param.filter)
    if names:
        definition.setHelp(f"{definition.help()}\n{names}".strip())
    return definition


class StringType(GPTypeHandler):
    """GPString: a text box, or a combo box when the service gives a choice list or the
    codes of a codedValue filter (their names go to the help)."""

    qgis_input = "String; Enum (static strings) with a choice list or codedValue filter"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = _string_default(param.default_value)
        options = filters.choices(param)
        if options:
            definition = choice_parameter(param, options, default)
        else:
            definition = QgsProcessingParameterString(
                param.name, display_name(param), defaultValue=default
            )
        return [with_coded_names(apply_common(definition, param), param)]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        if filters.choices(param):
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
        how = translate("Scalars", "Choose (or add) an authentication configuration holding "
            "the secret: its password (Basic) or token (EsriToken) is sent. Only the "
            "configuration id appears in the log and the history.")  # fmt: skip
        definition.setHelp((param.description + "\n\n" if param.description else "") + how)
        return [definition]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        value = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        secret = secret_from_auth_config(value)
        return value if secret is None else secret


def _number_text(value: float | int, options: list[str]) -> str:
    """The option that names ``value`` ("2" for 2.0 among "1", "2", "3")."""
    return next((o for o in options if _same_number(o, value)), str(value))


def _same_number(text: str, value: float | int) -> bool:
    try:
        return float(text) == float(value)
    except ValueError:
        return False


class NumberType(GPTypeHandler):
    """GPLong and GPDouble: a range filter as minimum and maximum; a choice list or the codes
    of a codedValue filter as a combo box."""

    def __init__(self, integer: bool) -> None:
        self.integer = integer
        self.qgis_input = "Number (Integer)" if integer else "Number (Double)"
        self.qgis_output = "OutputNumber"

    def input_parameters(self, param: GPParameter) -> list[Any]:
        options = filters.choices(param)
        if options:  # a numeric choice list (or codedValue) is still a choice for the user
            default = self._convert(param.default_value)
            text = None if default is None else _number_text(default, options)
            definition = choice_parameter(param, options, text)
            return [with_coded_names(apply_common(definition, param), param)]
        definition = QgsProcessingParameterNumber(
            param.name,
            display_name(param),
            NUMBER_INTEGER if self.integer else NUMBER_DOUBLE,
            defaultValue=self._convert(param.default_value),
            optional=not param.is_required,
        )
        bounds = filters.range_bounds(param.filter)
        if bounds is not None:
            apply_range(definition, bounds)
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
        if filters.choices(param):
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
            raise bad_input(
                param,
                translate("Scalars", "not a valid date and time: {value!r}").format(
                    value=ctx.parameters[param.name]
                ),
            )
        return moment.toMSecsSinceEpoch()

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: epoch_ms_to_iso(result.value())}


class UnitType(GPTypeHandler):
    """GPLinearUnit, GPArealUnit, GPTimeUnit: a number plus a companion unit chooser.

    The number keeps the GP parameter's name; the unit is ``<name>_units`` (an enum of
    Esri unit names, so scripts and models store ``esriKilometers``, not an index). Its
    default is the unit of the task's own default, and a run that leaves it out sends
    exactly that unit: a script that says ``{"Distance": 5}`` means the task's 5 miles,
    not 5 metres. A choice list of units limits the enum; a range filter bounds the number.
    """

    def __init__(self, kind: UnitKind) -> None:
        self.kind = kind
        self.qgis_input = f"Number + Enum '<name>{UNITS_SUFFIX}' ({kind.value_key} and units)"

    def _default(self, param: GPParameter) -> tuple[float | None, str | None]:
        """The number and the Esri unit of the task's default (either may be None).

        The default is the JSON object (``{"distance": 5, "units": "esriMiles"}``), or the
        text form ArcGIS also reads (``"5 Miles"``, ``"3 SquareKilometers"``).
        """
        value = param.default_value
        if isinstance(value, str):
            number, _, unit = value.strip().partition(" ")
            value = {self.kind.value_key: number, "units": unit}
        if not isinstance(value, dict):
            return None, None
        amount = value.get(self.kind.value_key)
        try:
            number = None if isinstance(amount, bool) else float(amount)
        except (TypeError, ValueError):
            number = None
        return number, esri_unit(value.get("units"), self.kind)

    def units(self, param: GPParameter) -> list[str]:
        """The units offered: those of the task's choice list (in its order), else all.

        The default's unit is always offered, so the task's own default can be sent.
        """
        listed = [esri_unit(str(choice), self.kind) for choice in param.choice_list]
        units = list(dict.fromkeys(unit for unit in listed if unit)) or list(self.kind.units)
        _, default_unit = self._default(param)
        if default_unit and default_unit not in units:
            units.insert(0, default_unit)
        return units

    def default_unit(self, param: GPParameter) -> str:
        """The unit sent when a run gives none: the task default's unit; without one, the
        REST API's own default (metres, for a linear unit) when offered, else the first."""
        _, unit = self._default(param)
        units = self.units(param)
        if unit:
            return unit
        return self.kind.default_unit if self.kind.default_unit in units else units[0]

    def input_parameters(self, param: GPParameter) -> list[Any]:
        amount, _ = self._default(param)
        number = QgsProcessingParameterNumber(
            param.name,
            display_name(param),
            NUMBER_DOUBLE,
            defaultValue=amount,
            optional=not param.is_required,
        )
        bounds = filters.range_bounds(param.filter)
        if bounds is not None:
            apply_range(number, bounds)
        apply_common(number, param)
        units = QgsProcessingParameterEnum(
            param.name + UNITS_SUFFIX,
            translate("Scalars", "{name}: units").format(name=number.description()),
            self.units(param),
            allowMultiple=False,
            defaultValue=self.default_unit(param),
            usesStaticStrings=True,
        )
        # Next to its number and like it (required, optional, advanced): it always has a
        # default, so it never asks for more than the number does.
        units.setFlags(number.flags())
        how = translate("Scalars", "Unit of '{name}' (Esri unit name); a run that gives none "
            "sends {unit}.")  # fmt: skip
        units.setHelp(how.format(name=display_name(param), unit=self.default_unit(param)))
        units.setMetadata({**units.metadata(), "arcgis_gp": number.metadata()["arcgis_gp"]})
        return [number, units]

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        if not ctx.has_value(param.name):
            return OMIT
        amount = ctx.algorithm.parameterAsDouble(ctx.parameters, param.name, ctx.context)
        unit_name = param.name + UNITS_SUFFIX
        if not ctx.has_value(unit_name):
            return {self.kind.value_key: amount, "units": self._unit_default(param, ctx)}
        raw = ctx.parameters[unit_name]
        allowed = self.units(param)
        if isinstance(raw, str) and raw not in allowed:
            raise bad_input(
                param,
                translate(
                    "Scalars", "unit {raw!r} is not one of this task's units: {items}"
                ).format(raw=raw, items=", ".join(allowed)),
            )
        unit = ctx.algorithm.parameterAsEnumString(ctx.parameters, unit_name, ctx.context)
        return {self.kind.value_key: amount, "units": unit}

    def _unit_default(self, param: GPParameter, ctx: EncodeContext) -> str:
        """The ``_units`` parameter's own default: what the dialog shows is what is sent."""
        definition = ctx.algorithm.parameterDefinition(param.name + UNITS_SUFFIX)
        default = definition.defaultValue() if definition is not None else None
        return default if isinstance(default, str) and default else self.default_unit(param)

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        return {param.name: _result_as_text(result.value())}


def apply_range(
    definition: QgsProcessingParameterNumber, bounds: tuple[float | None, float | None]
) -> None:
    """A range filter's bounds as the number's minimum and maximum."""
    low, high = bounds
    if low is not None:
        definition.setMinimum(low)
    if high is not None:
        definition.setMaximum(high)


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

    def input_parameters(self, param: GPParameter) -> list[Any]:
        default = param.default_value
        if isinstance(default, dict):
            default = default.get("name")
        families = filters.field_families(param.filter)
        field_type = FIELD_ANY
        if len(families) == 1:
            field_type = _FIELD_TYPES.get(families.pop(), FIELD_ANY)
        definition = QgsProcessingParameterField(
            param.name,
            display_name(param),
            defaultValue=default or None,
            parentLayerParameterName=param.dependency or "",
            type=field_type,
            allowMultiple=False,
            optional=not param.is_required,
        )
        apply_common(definition, param)
        allowed = filters.list_items(param.filter, filters.FIELD)
        if allowed:
            types = translate("Scalars", "Field types: {types}").format(types=", ".join(allowed))
            definition.setHelp(f"{definition.help()}\n{types}".strip())
        return [definition]

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
                    param,
                    translate(
                        "Scalars", "the layer given for {dependency} has no field {name!r}"
                    ).format(dependency=param.dependency, name=name),
                )
            esri_type = esri_field_type(source.fields().at(index))
            _check_field_type(param, name, esri_type)
        return {"name": name, "type": esri_type}

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [make_output(QgsProcessingOutputString, param)]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        value = result.value()
        if isinstance(value, dict) and "name" in value:
            return {param.name: value["name"]}
        return {param.name: _result_as_text(value)}


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
            raise bad_input(
                param,
                translate("Scalars", "not a valid CRS: {value!r}").format(
                    value=ctx.parameters[param.name]
                ),
            )
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
