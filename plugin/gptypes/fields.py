"""Esri field definitions <-> QgsFields.

Why not ``QgsArcGisRestUtils.convertFieldType`` (QGIS 3.22)? It returns an invalid
type for esriFieldTypeBigInteger, DateOnly, TimeOnly and TimestampOffset (ArcGIS
11.2+), and knows nothing about lengths, aliases or which field is the OID.

Encoding aims at what every ArcGIS Server version since 10.x accepts: 64-bit
integers go as Double unless the caller knows the server has BigInteger (11.2+),
QDate/QTime as Date/String, booleans as SmallInteger, binary fields are left out
(GP services never read blobs from JSON), lists go as JSON text.
"""

from __future__ import annotations

from collections.abc import Iterable

from qgis.core import QgsField, QgsFields

from .compat import VariantType

OID = "esriFieldTypeOID"
GEOMETRY = "esriFieldTypeGeometry"
DATE = "esriFieldTypeDate"
DATE_ONLY = "esriFieldTypeDateOnly"
TIME_ONLY = "esriFieldTypeTimeOnly"
TIMESTAMP_OFFSET = "esriFieldTypeTimestampOffset"
BLOB = "esriFieldTypeBlob"
STRING = "esriFieldTypeString"

#: Esri type -> (QVariant type, QGIS type name). typeName uses the memory
#: provider's names so a QgsFields from here builds memory layers unchanged.
_TO_QGIS = {
    OID: (VariantType.LongLong, "int8"),
    "esriFieldTypeSmallInteger": (VariantType.Int, "integer"),
    "esriFieldTypeInteger": (VariantType.Int, "integer"),
    "esriFieldTypeBigInteger": (VariantType.LongLong, "int8"),
    "esriFieldTypeSingle": (VariantType.Double, "double"),
    "esriFieldTypeDouble": (VariantType.Double, "double"),
    STRING: (VariantType.String, "string"),
    DATE: (VariantType.DateTime, "datetime"),
    TIMESTAMP_OFFSET: (VariantType.DateTime, "datetime"),
    DATE_ONLY: (VariantType.Date, "date"),
    TIME_ONLY: (VariantType.Time, "time"),
    "esriFieldTypeGUID": (VariantType.String, "string"),
    "esriFieldTypeGlobalID": (VariantType.String, "string"),
    "esriFieldTypeXML": (VariantType.String, "string"),
    BLOB: (VariantType.ByteArray, "binary"),
    "esriFieldTypeRaster": (VariantType.ByteArray, "binary"),
}
_GUID_LENGTH = 38  # "{8-4-4-4-12}"

#: Names that mark an integer field of the source as its object id.
OID_NAMES = frozenset({"objectid", "oid", "fid"})
_INTEGER_TYPES = (VariantType.Int, VariantType.LongLong, VariantType.UInt)


def esri_field_type(field: dict | QgsField) -> str:
    """The Esri type of an Esri field definition (String when missing), or the type
    a QgsField is sent as (what ``fields_to_esri`` writes; Blob for binary)."""
    if isinstance(field, QgsField):
        definition = esri_field(field)
        return definition["type"] if definition is not None else BLOB
    value = field.get("type") if isinstance(field, dict) else None
    return value if isinstance(value, str) and value else STRING


def field_from_esri(field_json: dict) -> QgsField | None:
    """One Esri field as QgsField; None for the geometry (Shape) field."""
    esri_type = esri_field_type(field_json)
    if esri_type == GEOMETRY:
        return None
    variant, type_name = _TO_QGIS.get(esri_type, (VariantType.String, "string"))
    length = field_json.get("length")
    if variant != VariantType.String or not isinstance(length, int) or length < 0:
        length = 0
    if esri_type in ("esriFieldTypeGUID", "esriFieldTypeGlobalID") and not length:
        length = _GUID_LENGTH
    field = QgsField(str(field_json.get("name") or ""), variant, type_name, length)
    alias = field_json.get("alias")
    if isinstance(alias, str) and alias and alias != field.name():
        field.setAlias(alias)
    return field


def fields_from_esri(fields_json: Iterable[dict] | None) -> QgsFields:
    """QgsFields for an Esri ``fields`` array, in its order, without the Shape field
    and without nameless or repeated names (which no QGIS sink accepts)."""
    fields = QgsFields()
    for field_json in esri_fields_kept(fields_json):
        field = field_from_esri(field_json)
        if field is not None:
            fields.append(field)
    return fields


def esri_fields_kept(fields_json: Iterable[dict] | None) -> list[dict]:
    """The field definitions ``fields_from_esri`` turns into QgsFields, in order."""
    kept: list[dict] = []
    seen: set[str] = set()
    for field_json in fields_json or ():
        if not isinstance(field_json, dict) or esri_field_type(field_json) == GEOMETRY:
            continue
        name = field_json.get("name")
        if not isinstance(name, str) or not name or name.lower() in seen:
            continue
        seen.add(name.lower())
        kept.append(field_json)
    return kept


def source_oid_index(fields: QgsFields) -> int | None:
    """The index of the source field that can serve as Esri OID, if any.

    An integer field named OBJECTID / OID / FID (any case): Esri data keeps its
    OID under those names and GeoPackages expose their primary key as ``fid``.
    """
    for index, field in enumerate(fields):
        if field.type() in _INTEGER_TYPES and field.name().lower() in OID_NAMES:
            return index
    return None


def esri_field(field: QgsField, *, big_integer: bool = False) -> dict | None:
    """The Esri definition of one QGIS field; None for fields Esri JSON cannot carry."""
    variant = field.type()
    definition: dict = {"name": field.name()}
    if variant in (VariantType.Int, VariantType.UInt):
        definition["type"] = "esriFieldTypeInteger"
    elif variant in (VariantType.LongLong, VariantType.ULongLong):
        definition["type"] = "esriFieldTypeBigInteger" if big_integer else "esriFieldTypeDouble"
    elif variant == VariantType.Double:
        definition["type"] = "esriFieldTypeDouble"
    elif variant == VariantType.Bool:
        definition["type"] = "esriFieldTypeSmallInteger"
    elif variant in (VariantType.DateTime, VariantType.Date):
        definition["type"] = DATE
    elif variant == VariantType.ByteArray:
        return None
    else:  # String, Time ("HH:mm:ss"), lists and maps (JSON text), anything else
        definition["type"] = STRING
        if variant == VariantType.String and field.length() > 0:
            definition["length"] = field.length()
    definition["alias"] = field.alias() or field.name()
    return definition


def unique_name(base: str, taken: Iterable[str]) -> str:
    """``base`` or ``base_1``, ``base_2`` ... whichever no field uses (case-insensitive)."""
    lower = {name.lower() for name in taken}
    name, counter = base, 0
    while name.lower() in lower:
        counter += 1
        name = f"{base}_{counter}"
    return name


def fields_to_esri(fields: QgsFields, *, big_integer: bool = False) -> list[dict]:
    """The Esri ``fields`` array for QgsFields, always with exactly one OID field.

    ArcGIS wants an OID in every feature set: an integer OBJECTID/OID/FID field of
    the source becomes it, otherwise an ``OBJECTID`` field is added in front.
    """
    oid_index = source_oid_index(fields)
    result: list[dict] = []
    if oid_index is None:
        name = unique_name("OBJECTID", fields.names())
        result.append({"name": name, "type": OID, "alias": name})
    for index, field in enumerate(fields):
        if index == oid_index:
            alias = field.alias() or field.name()
            result.append({"name": field.name(), "type": OID, "alias": alias})
            continue
        definition = esri_field(field, big_integer=big_integer)
        if definition is not None:
            result.append(definition)
    return result


class FieldInference:
    """Esri field definitions guessed from attribute values, for feature sets that
    come without a ``fields`` array (e.g. sampleserver's MessageInABottle).

    Types: only integers -> Integer (BigInteger beyond 32 bits), integers and
    floats -> Double, anything else or a mixture -> String (the attribute decoder
    writes nested objects/arrays there as JSON text); no value seen -> String.
    """

    def __init__(self) -> None:
        self._kinds: dict[str, set[str]] = {}

    def update(self, attributes: object) -> None:
        if not isinstance(attributes, dict):
            return
        kinds = self._kinds
        for name, value in attributes.items():
            seen = kinds.get(name)
            if seen is None:
                seen = kinds[name] = set()
            if value is None:
                continue
            if isinstance(value, int):  # bool is an int too
                number = int(value)
                if -(2**31) <= number < 2**31:
                    seen.add("int")
                else:
                    seen.add("bigint" if -(2**63) <= number < 2**63 else "float")
            elif isinstance(value, float):
                seen.add("float")
            else:
                seen.add("str")

    def fields_json(self) -> list[dict]:
        result = []
        for name, seen in self._kinds.items():
            if seen and seen <= {"int"}:
                esri_type = "esriFieldTypeInteger"
            elif seen and seen <= {"int", "bigint"}:
                esri_type = "esriFieldTypeBigInteger"
            elif seen and seen <= {"int", "bigint", "float"}:
                esri_type = "esriFieldTypeDouble"
            else:
                esri_type = STRING
            result.append({"name": name, "type": esri_type, "alias": name})
        return result
