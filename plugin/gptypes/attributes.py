"""Attribute values: Esri JSON <-> what QgsFeature holds.

Esri dates are epoch milliseconds in UTC; QGIS 3.22's
``QgsArcGisRestUtils.convertDateTime`` returns them in the machine's *local* time
(measured with TZ=America/New_York: 1977-04-11T00:00Z came back as 04-10 19:00
local), so dates are converted here, as UTC QDateTimes. ArcGIS 11.2+ date-only,
time-only and timestamp-with-offset fields arrive as ISO strings; numbers are
accepted too. Blobs arrive base64-encoded, if at all.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Sequence
from typing import Any

from qgis.core import QgsFields
from qgis.PyQt.QtCore import QByteArray, QDate, QDateTime, Qt, QTime, QVariant

from .compat import VariantType
from .fields import (
    BLOB,
    DATE,
    DATE_ONLY,
    STRING,
    TIME_ONLY,
    TIMESTAMP_OFFSET,
    esri_field,
    esri_field_type,
    fields_to_esri,
    source_oid_index,
)

_UTC = Qt.TimeSpec.UTC
_ISO_MS = Qt.DateFormat.ISODateWithMs
_MIDNIGHT = QTime(0, 0)

# -- decoding ------------------------------------------------------------------------


_MAX_MS = 2**53  # ~285,000 years; beyond, Qt overflows


def _epoch_ms(value: Any) -> int | None:
    ms = None
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        ms = int(value) if math.isfinite(value) else None
    elif isinstance(value, str):
        text = value.strip()
        if text.lstrip("-").isdigit():
            ms = int(text)
    return ms if ms is not None and -_MAX_MS <= ms <= _MAX_MS else None


def datetime_from_esri(value: Any) -> QDateTime | None:
    """Epoch milliseconds (or an ISO string) -> a UTC QDateTime; None if unreadable."""
    ms = _epoch_ms(value)
    if ms is not None:
        return QDateTime.fromMSecsSinceEpoch(ms, _UTC)
    if isinstance(value, str):
        parsed = QDateTime.fromString(value.strip(), _ISO_MS)
        if parsed.isValid():
            return parsed
    return None


def date_from_esri(value: Any) -> QDate | None:
    """A date-only value: ``"YYYY-MM-DD"`` or epoch milliseconds (UTC day)."""
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        parsed = QDate.fromString(value.strip()[:10], Qt.DateFormat.ISODate)
        return parsed if parsed.isValid() else None
    moment = datetime_from_esri(value)
    return moment.date() if moment is not None else None


def time_from_esri(value: Any) -> QTime | None:
    """A time-only value: ``"HH:mm:ss[.zzz]"`` or epoch milliseconds (UTC time of day)."""
    if isinstance(value, str) and not value.strip().lstrip("-").isdigit():
        text = value.strip()
        parsed = QTime.fromString(text, _ISO_MS)
        if not parsed.isValid():
            parsed = QTime.fromString(text, Qt.DateFormat.ISODate)
        return parsed if parsed.isValid() else None
    moment = datetime_from_esri(value)
    return moment.time() if moment is not None else None


def blob_from_esri(value: Any) -> QByteArray | None:
    """Base64 text -> bytes; anything else is dropped (ArcGIS usually sends nothing)."""
    if isinstance(value, str):
        return QByteArray.fromBase64(value.encode("ascii", "ignore"))
    return None


def _json_text(value: Any) -> Any:
    """Nested objects/arrays in a String field (inferred fields) as JSON text."""
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    return value


_DECODERS: dict[str, Callable[[Any], Any]] = {
    DATE: datetime_from_esri,
    TIMESTAMP_OFFSET: datetime_from_esri,
    DATE_ONLY: date_from_esri,
    TIME_ONLY: time_from_esri,
    BLOB: blob_from_esri,
    "esriFieldTypeRaster": blob_from_esri,
}


class AttributeDecoder:
    """Esri ``attributes`` objects -> attribute lists in the order of the fields.

    A field missing from a feature (the GPRecordSet fixture lists OBJECTID but its
    features do not carry it) becomes NULL.
    """

    def __init__(self, fields_json: Sequence[dict], *, inferred: bool = False) -> None:
        self.names = [str(f["name"]) for f in fields_json]
        self._converters: list[tuple[int, Callable[[Any], Any]]] = []
        for index, field_json in enumerate(fields_json):
            esri_type = esri_field_type(field_json)
            converter = _DECODERS.get(esri_type)
            if converter is None and inferred and esri_type == STRING:
                converter = _json_text
            if converter is not None:
                self._converters.append((index, converter))

    def decode(self, attributes: Any) -> list:
        if not isinstance(attributes, dict):
            return [None] * len(self.names)
        values = list(map(attributes.get, self.names))
        for index, converter in self._converters:
            value = values[index]
            if value is not None:
                values[index] = converter(value)
        return values


# -- encoding ------------------------------------------------------------------------


def epoch_ms_from_date(value: QDate) -> int | None:
    """A QDate as Esri Date: epoch milliseconds of its UTC midnight."""
    if not value.isValid():
        return None
    return QDateTime(value, _MIDNIGHT, _UTC).toMSecsSinceEpoch()


def esri_json_default(value: Any) -> Any:
    """``default=`` hook for json: the Qt values QgsFeature.attributes() returns.

    Going through the C json encoder with this hook is the fast path of the
    feature set writer: plain ints, floats and strings never reach Python code.
    """
    if isinstance(value, QVariant):
        return None if value.isNull() else value.value()
    if isinstance(value, QDateTime):
        return value.toMSecsSinceEpoch() if value.isValid() else None
    if isinstance(value, QDate):
        return epoch_ms_from_date(value)
    if isinstance(value, QTime):
        if not value.isValid():
            return None
        return value.toString("HH:mm:ss.zzz" if value.msec() else "HH:mm:ss")
    if isinstance(value, (QByteArray, bytes, bytearray, memoryview)):
        return None
    if isinstance(value, (set, tuple)):
        return list(value)
    raise TypeError(f"{type(value).__name__} is not an Esri JSON attribute value")


def is_null(value: Any) -> bool:
    return value is None or (isinstance(value, QVariant) and value.isNull())


def _bool_to_int(value: Any) -> Any:
    return int(value) if isinstance(value, bool) else value


def _datetime_to_ms(value: Any) -> Any:
    """A DateTime field's value as epoch ms here, in ``AttributeEncoder.encode``,
    rather than in ``esri_json_default``: the json encoder's call into a ``default``
    hook costs more than this call (bench_inputs: write_feature_set +12 %)."""
    if isinstance(value, QDateTime):
        return value.toMSecsSinceEpoch() if value.isValid() else None
    return value  # NULL: left to esri_json_default


def _date_to_ms(value: Any) -> Any:
    return epoch_ms_from_date(value) if isinstance(value, QDate) else value


def _to_json_text(value: Any) -> Any:
    if is_null(value):
        return None
    return json.dumps(value, default=esri_json_default, ensure_ascii=False)


class AttributeEncoder:
    """QgsFeature attribute lists -> Esri ``attributes`` dicts, plus the ``fields``.

    The OID field (see ``fields_to_esri``) gets the 1-based feature ordinal when
    the source has none or its value is NULL: ArcGIS re-numbers OIDs on load
    anyway, but rejects feature sets whose OIDs are missing.
    """

    def __init__(self, fields: QgsFields, *, big_integer: bool = False) -> None:
        self.fields_json = fields_to_esri(fields, big_integer=big_integer)
        oid_index = source_oid_index(fields)
        self.oid_name = next(f["name"] for f in self.fields_json if f["type"] == "esriFieldTypeOID")
        self._oid_added = oid_index is None
        self._keep: list[int] = []
        self._names: list[str] = []
        self._converters: list[tuple[int, Callable[[Any], Any]]] = []
        self._oid_pos: int | None = None
        for index, field in enumerate(fields):
            if index != oid_index and esri_field(field) is None:
                continue
            position = len(self._keep)
            if index == oid_index:
                self._oid_pos = position
            variant = field.type()
            if variant == VariantType.Bool:
                self._converters.append((position, _bool_to_int))
            elif variant == VariantType.DateTime:
                self._converters.append((position, _datetime_to_ms))
            elif variant == VariantType.Date:
                self._converters.append((position, _date_to_ms))
            elif variant in (VariantType.List, VariantType.StringList, VariantType.Map):
                self._converters.append((position, _to_json_text))
            self._keep.append(index)
            self._names.append(field.name())
        self._all_kept = self._keep == list(range(len(fields)))

    def encode(self, values: list, ordinal: int) -> dict:
        """The ``attributes`` dict of one feature; Qt values are left for
        ``esri_json_default`` (use it as the json ``default``)."""
        if not self._all_kept:
            values = [values[i] for i in self._keep]
        for position, converter in self._converters:
            values[position] = converter(values[position])
        if self._oid_added:
            result = {self.oid_name: ordinal}
            result.update(zip(self._names, values))
            return result
        result = dict(zip(self._names, values))
        if self._oid_pos is not None and is_null(values[self._oid_pos]):
            result[self.oid_name] = ordinal
        return result
