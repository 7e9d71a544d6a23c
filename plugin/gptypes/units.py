"""Esri unit names for GPLinearUnit, GPArealUnit and GPTimeUnit values.

Each unit type is a JSON object of a number and a unit name, e.g.
``{"distance": 5, "units": "esriMiles"}``. The lists follow the ArcGIS REST API
reference (GP data types); the first entry of each is the "unknown" unit.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class UnitKind:
    """One family of GP unit values: the JSON key of the number and the unit names."""

    gp_type: str
    value_key: str
    units: tuple[str, ...]
    default_unit: str


LINEAR = UnitKind(
    "GPLinearUnit",
    "distance",
    (
        "esriUnknownUnits", "esriInches", "esriPoints", "esriFeet", "esriYards", "esriMiles",
        "esriNauticalMiles", "esriMillimeters", "esriCentimeters", "esriMeters",
        "esriKilometers", "esriDecimalDegrees", "esriDecimeters", "esriIntInches",
        "esriIntFeet", "esriIntYards", "esriIntMiles", "esriIntNauticalMiles",
    ),
    "esriMeters",
)  # fmt: skip

AREAL = UnitKind(
    "GPArealUnit",
    "area",
    (
        "esriUnknownAreaUnits", "esriSquareInches", "esriSquareFeet", "esriSquareYards",
        "esriAcres", "esriSquareMiles", "esriSquareMillimeters", "esriSquareCentimeters",
        "esriSquareDecimeters", "esriSquareMeters", "esriAres", "esriHectares",
        "esriSquareKilometers", "esriSquareInchesUS", "esriSquareFeetUS", "esriSquareYardsUS",
        "esriAcresUS", "esriSquareMilesUS",
    ),
    "esriSquareMeters",
)  # fmt: skip

TIME = UnitKind(
    "GPTimeUnit",
    "time",
    (
        "esriTimeUnitsUnknown", "esriTimeUnitsMilliseconds", "esriTimeUnitsSeconds",
        "esriTimeUnitsMinutes", "esriTimeUnitsHours", "esriTimeUnitsDays", "esriTimeUnitsWeeks",
        "esriTimeUnitsMonths", "esriTimeUnitsYears", "esriTimeUnitsDecades",
        "esriTimeUnitsCenturies",
    ),
    "esriTimeUnitsSeconds",
)  # fmt: skip

UNIT_KINDS = {kind.gp_type: kind for kind in (LINEAR, AREAL, TIME)}
