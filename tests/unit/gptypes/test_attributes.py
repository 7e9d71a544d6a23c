"""Attribute values both ways: epoch ms <-> UTC QDateTime, QDate/QTime, NULL, blobs."""

from __future__ import annotations

import json
import os
import time

import pytest
from qgis.core import NULL, QgsArcGisRestUtils, QgsField, QgsFields
from qgis.PyQt.QtCore import QByteArray, QDate, QDateTime, Qt, QTime

from arcgis_gp.plugin.gptypes.attributes import (
    AttributeDecoder,
    AttributeEncoder,
    date_from_esri,
    datetime_from_esri,
    esri_json_default,
    time_from_esri,
)
from arcgis_gp.plugin.gptypes.compat import VariantType

ISO = Qt.DateFormat.ISODateWithMs
T = VariantType


@pytest.fixture
def new_york_time():
    """Run with a local time zone far from UTC, so local/UTC mix-ups show."""
    old = os.environ.get("TZ")
    os.environ["TZ"] = "America/New_York"
    time.tzset()
    yield
    if old is None:
        del os.environ["TZ"]
    else:
        os.environ["TZ"] = old
    time.tzset()


@pytest.mark.usefixtures("new_york_time")
def test_dates_are_utc_whatever_the_local_time_zone() -> None:
    moment = datetime_from_esri(229564800000)  # the hasZ-points fixture
    assert moment.timeSpec() == Qt.TimeSpec.UTC
    assert moment.toString(ISO) == "1977-04-11T00:00:00.000Z"
    # QGIS 3.22's converter gives local time: the date moves to the day before.
    theirs = QgsArcGisRestUtils.convertDateTime(229564800000)
    assert theirs.toUTC() == moment
    assert theirs.date() != moment.date()


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        (1199145600000, "2008-01-01T00:00:00.000Z"),
        ("1199145600000", "2008-01-01T00:00:00.000Z"),
        (-86400000, "1969-12-31T00:00:00.000Z"),
        ("2023-08-07T10:30:00.000-07:00", "2023-08-07T10:30:00.000-07:00"),
    ],
)
def test_datetime_values(value, expected: str) -> None:
    assert datetime_from_esri(value).toString(ISO) == expected


@pytest.mark.parametrize("value", [True, "not a date", float("nan"), 10**30, {"a": 1}])
def test_unreadable_dates_are_null(value) -> None:
    assert datetime_from_esri(value) is None


def test_date_only_and_time_only() -> None:
    assert date_from_esri("2023-08-07") == QDate(2023, 8, 7)
    assert date_from_esri(1199145600000) == QDate(2008, 1, 1)
    assert time_from_esri("13:45:10") == QTime(13, 45, 10)
    assert time_from_esri("13:45:10.250") == QTime(13, 45, 10, 250)
    assert date_from_esri("nope") is None


def test_decoder_follows_field_order_and_fills_missing_with_null() -> None:
    decoder = AttributeDecoder(
        [
            {"name": "OBJECTID", "type": "esriFieldTypeOID"},
            {"name": "d", "type": "esriFieldTypeDate"},
            {"name": "b", "type": "esriFieldTypeBlob"},
            {"name": "s", "type": "esriFieldTypeString"},
        ]
    )
    values = decoder.decode({"s": "é", "d": 0, "b": "aGk=", "extra": 1})
    assert values[0] is None  # GPRecordSet fixture: OBJECTID listed, not sent
    assert values[1].toString(ISO) == "1970-01-01T00:00:00.000Z"
    assert values[2] == QByteArray(b"hi")
    assert values[3] == "é"
    assert decoder.decode(None) == [None] * 4


def test_inferred_string_fields_hold_nested_values_as_json() -> None:
    decoder = AttributeDecoder([{"name": "j", "type": "esriFieldTypeString"}], inferred=True)
    assert json.loads(decoder.decode({"j": {"a": [1, None]}})[0]) == {"a": [1, None]}


def test_encoder_values() -> None:
    fields = QgsFields()
    for name, variant in [("b", T.Bool), ("l", T.StringList), ("blob", T.ByteArray)]:
        fields.append(QgsField(name, variant))
    encoder = AttributeEncoder(fields)
    assert [f["name"] for f in encoder.fields_json] == ["OBJECTID", "b", "l"]
    assert encoder.encode([True, ["a", "é"], QByteArray(b"x")], 7) == {
        "OBJECTID": 7,
        "b": 1,
        "l": '["a", "é"]',
    }


def test_encoder_fills_null_oids_with_the_ordinal() -> None:
    fields = QgsFields()
    fields.append(QgsField("OBJECTID", T.Int))
    encoder = AttributeEncoder(fields)
    assert encoder.encode([NULL], 3) == {"OBJECTID": 3}
    assert encoder.encode([42], 4) == {"OBJECTID": 42}


def test_json_default_for_qt_values() -> None:
    utc = QDateTime(QDate(2020, 1, 2), QTime(3, 4, 5, 6), Qt.TimeSpec.UTC)
    assert esri_json_default(utc) == utc.toMSecsSinceEpoch() == 1577934245006
    assert esri_json_default(QDate(2020, 1, 2)) == 1577923200000
    assert esri_json_default(QTime(1, 2, 3)) == "01:02:03"
    # A NULL attribute is a null QVariant on PyQt5 and plain None on PyQt6 (which json
    # writes itself): either way it is written as null.
    assert json.dumps([NULL], default=esri_json_default) == "[null]"
    assert esri_json_default(QDateTime()) is None
    with pytest.raises(TypeError):
        esri_json_default(object())
