"""The handler for GPLinearUnit, GPArealUnit and GPTimeUnit: a number and its unit."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingParameterEnum, QgsProcessingParameterNumber

from ..i18n import translate
from ..rest.descriptions import GPParameter
from . import filters
from .base import EncodeContext, GPTypeHandler, bad_input, display_name
from .compat import NUMBER_DOUBLE
from .numeric import apply_range
from .units import UnitKind, esri_unit

UNITS_SUFFIX = "_units"


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

    def input_definition(self, param: GPParameter) -> Any:
        """The number, bounded by a range filter; its unit is a parameter of its own."""
        amount, _ = self._default(param)
        number = QgsProcessingParameterNumber(
            param.name, display_name(param), NUMBER_DOUBLE, defaultValue=amount
        )
        bounds = filters.range_bounds(param.filter)
        if bounds is not None:
            apply_range(number, bounds)
        return number

    def input_parameters(self, param: GPParameter) -> list[Any]:
        [number] = super().input_parameters(param)
        return [number, self._units_parameter(param, number)]

    def _units_parameter(self, param: GPParameter, number: Any) -> Any:
        """The ``<name>_units`` enum that goes with the number."""
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
        return units

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
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
