"""The GP type table: one handler per GP ``dataType``.

This is the single place that says how a GP data type becomes a QGIS Processing
parameter, how its value is sent, and what output it gives (README, "GP types").
An unknown type falls back to a raw-JSON string, with a warning in the log: a task
with a new type still becomes an algorithm.
"""

from __future__ import annotations

from ..rest.data_types import base_data_type
from .base import GPTypeHandler
from .booleans import BooleanType
from .collections import MultiValueType, ValueTableType
from .credentials import HiddenStringType
from .dates import DateType
from .features import FeatureSetType
from .files import DataFileType, RasterType
from .layer_fields import FieldType
from .measures import UnitType
from .numeric import NumberType
from .raw_json import RawJsonType
from .spatial_values import ExtentType, SpatialReferenceType
from .units import AREAL, LINEAR, TIME

GP_TYPES: dict[str, GPTypeHandler] = {
    "GPString": GPTypeHandler(),  # the default handler: a plain string
    "GPStringHidden": HiddenStringType(),
    "GPLong": NumberType(integer=True),
    "GPDouble": NumberType(integer=False),
    "GPBoolean": BooleanType(),
    "GPDate": DateType(),
    "GPLinearUnit": UnitType(LINEAR),
    "GPArealUnit": UnitType(AREAL),
    "GPTimeUnit": UnitType(TIME),
    "GPFeatureRecordSetLayer": FeatureSetType(tables=False),
    "GPRecordSet": FeatureSetType(tables=True),
    "GPRasterDataLayer": RasterType(),
    "GPRasterData": RasterType(),
    "GPDataFile": DataFileType(),
    "GPMultiValue": MultiValueType(),
    "GPValueTable": ValueTableType(),
    "GPField": FieldType(),
    "Field": FieldType(),  # what real servers say as often as GPField
    "GPSpatialReference": SpatialReferenceType(),
    "GPCoordinateSystem": SpatialReferenceType(),
    "GPExtent": ExtentType(),
    "GPEnvelope": ExtentType(),
    "GPSQLExpression": GPTypeHandler(),
    "GPComposite": RawJsonType(),
    "GPSACellSize": RawJsonType(),
    "GPRasterFormulaOrConstant": RawJsonType(),
}

UNKNOWN_TYPE = RawJsonType(known=False)


def handler_for(data_type: str) -> GPTypeHandler:
    """The handler for a GP dataType (the raw-JSON fallback when it is unknown)."""
    # Exact names first: one dict look-up for nearly every parameter at start-up.
    return GP_TYPES.get(data_type) or GP_TYPES.get(base_data_type(data_type), UNKNOWN_TYPE)


def is_known(data_type: str) -> bool:
    return base_data_type(data_type) in GP_TYPES
