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


def _bare(unit: str) -> str:
    """One key for a unit however it is written: ``esriSquareFeetUS``, ``SquareFootUS``,
    ``Square Feet US``; ``esriTimeUnitsCenturies``, ``Century`` (ArcGIS reads its unit
    texts in plural and singular)."""
    key = unit.strip().lower().replace(" ", "").replace("_", "")
    for prefix in ("esritimeunits", "esri"):
        if key.startswith(prefix):
            key = key[len(prefix) :]
            break
    us = ""
    if key.endswith("us") and len(key) > 2:
        key, us = key[:-2], "us"
    key = key.replace("feet", "foot").replace("inches", "inch").replace("centuries", "century")
    return (key[:-1] if key.endswith("s") else key) + us


def esri_unit(name: str, kind: UnitKind) -> str | None:
    """The Esri unit name of ``name`` for this kind of unit, or None when it is not one.

    Task descriptions write a unit choice list with the Esri names (``esriMiles``) or with
    the names of ArcGIS's own unit strings (``Miles``, ``SquareKilometers``, ``Hours``):
    both are read.
    """
    if not isinstance(name, str) or not name.strip():
        return None
    if name in kind.units:
        return name
    wanted = _bare(name)
    return next((unit for unit in kind.units if _bare(unit) == wanted), None)
