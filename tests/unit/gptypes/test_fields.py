"""Esri field definitions <-> QgsFields, and field inference."""

from __future__ import annotations

import pytest
from qgis.core import QgsArcGisRestUtils, QgsField, QgsFields

from arcgis_gp.plugin.gptypes.compat import VariantType
from arcgis_gp.plugin.gptypes.fields import (
    FieldInference,
    esri_field_type,
    fields_from_esri,
    fields_to_esri,
)

T = VariantType


@pytest.mark.parametrize(
    ("esri_type", "variant"),
    [
        ("esriFieldTypeOID", T.LongLong),
        ("esriFieldTypeSmallInteger", T.Int),
        ("esriFieldTypeInteger", T.Int),
        ("esriFieldTypeBigInteger", T.LongLong),
        ("esriFieldTypeSingle", T.Double),
        ("esriFieldTypeDouble", T.Double),
        ("esriFieldTypeString", T.String),
        ("esriFieldTypeDate", T.DateTime),
        ("esriFieldTypeDateOnly", T.Date),
        ("esriFieldTypeTimeOnly", T.Time),
        ("esriFieldTypeTimestampOffset", T.DateTime),
        ("esriFieldTypeGUID", T.String),
        ("esriFieldTypeGlobalID", T.String),
        ("esriFieldTypeXML", T.String),
        ("esriFieldTypeBlob", T.ByteArray),
        ("esriFieldTypeSomethingNew", T.String),
    ],
)
def test_every_esri_field_type_has_a_qgis_type(esri_type: str, variant) -> None:
    fields = fields_from_esri([{"name": "f", "type": esri_type}])
    assert fields.count() == 1
    assert fields.at(0).type() == variant


def test_qgis_own_converter_misses_the_new_types() -> None:
    """Documents the QGIS 3.22 gap: invalid types for 11.2+ field types."""
    for esri_type in ("esriFieldTypeBigInteger", "esriFieldTypeDateOnly"):
        assert QgsArcGisRestUtils.convertFieldType(esri_type) == T.Invalid
        assert fields_from_esri([{"name": "f", "type": esri_type}]).at(0).type() != T.Invalid


def test_length_alias_shape_and_duplicates() -> None:
    fields = fields_from_esri(
        [
            {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"},
            {"name": "Shape", "type": "esriFieldTypeGeometry"},
            {"name": "UserName", "type": "esriFieldTypeString", "alias": "User", "length": 50},
            {"name": "GlobalID", "type": "esriFieldTypeGlobalID"},
            {"name": "username", "type": "esriFieldTypeInteger"},  # same name, other case
            {"type": "esriFieldTypeInteger"},  # nameless
        ]
    )
    assert fields.names() == ["OBJECTID", "UserName", "GlobalID"]
    assert fields.at(1).length() == 50
    assert fields.at(1).alias() == "User"
    assert fields.at(2).length() == 38
    assert fields.at(0).alias() == ""  # same as the name: no alias


def _fields(*specs: tuple[str, object]) -> QgsFields:
    fields = QgsFields()
    for name, variant in specs:
        fields.append(QgsField(name, variant))
    return fields


def test_fields_to_esri_adds_an_oid_when_the_source_has_none() -> None:
    result = fields_to_esri(
        _fields(
            ("n", T.Int),
            ("big", T.LongLong),
            ("x", T.Double),
            ("s", T.String),
            ("d", T.Date),
            ("dt", T.DateTime),
            ("t", T.Time),
            ("b", T.Bool),
            ("blob", T.ByteArray),
            ("objectid", T.String),  # not an integer: cannot be the OID
        )
    )
    types = {f["name"]: f["type"] for f in result}
    assert result[0] == {"name": "OBJECTID_1", "type": "esriFieldTypeOID", "alias": "OBJECTID_1"}
    assert types == {
        "OBJECTID_1": "esriFieldTypeOID",
        "n": "esriFieldTypeInteger",
        "big": "esriFieldTypeDouble",
        "x": "esriFieldTypeDouble",
        "s": "esriFieldTypeString",
        "d": "esriFieldTypeDate",
        "dt": "esriFieldTypeDate",
        "t": "esriFieldTypeString",
        "b": "esriFieldTypeSmallInteger",
        "objectid": "esriFieldTypeString",
    }  # blob left out


@pytest.mark.parametrize("name", ["OBJECTID", "fid", "Oid"])
def test_an_integer_id_field_of_the_source_becomes_the_oid(name: str) -> None:
    result = fields_to_esri(_fields(("a", T.String), (name, T.LongLong)))
    assert [f["type"] for f in result] == ["esriFieldTypeString", "esriFieldTypeOID"]
    assert result[1]["name"] == name


def test_big_integer_option() -> None:
    result = fields_to_esri(_fields(("big", T.LongLong)), big_integer=True)
    assert result[1]["type"] == "esriFieldTypeBigInteger"


def test_esri_field_type_accepts_definitions_and_qgis_fields() -> None:
    assert esri_field_type({"name": "a", "type": "esriFieldTypeDouble"}) == "esriFieldTypeDouble"
    assert esri_field_type({"name": "a"}) == "esriFieldTypeString"
    assert esri_field_type(QgsField("a", T.Int)) == "esriFieldTypeInteger"
    assert esri_field_type(QgsField("a", T.ByteArray)) == "esriFieldTypeBlob"


def test_field_inference_from_values() -> None:
    inference = FieldInference()
    for attributes in (
        {"i": 1, "f": 1, "s": "a", "n": None, "mixed": 1, "big": 2**40, "huge": 2**70},
        {"i": 2, "f": 2.5, "s": "b", "n": None, "mixed": "x", "big": 1, "j": {"k": [1]}},
    ):
        inference.update(attributes)
    types = {f["name"]: f["type"] for f in inference.fields_json()}
    assert types == {
        "i": "esriFieldTypeInteger",
        "f": "esriFieldTypeDouble",
        "s": "esriFieldTypeString",
        "n": "esriFieldTypeString",
        "mixed": "esriFieldTypeString",
        "big": "esriFieldTypeBigInteger",
        "huge": "esriFieldTypeDouble",
        "j": "esriFieldTypeString",
    }
