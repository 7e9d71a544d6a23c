"""Processing enums under their 3.22 names and their 3.36+ names (``Qgis.*``).

QGIS 3.36 moved the Processing enums into ``Qgis`` and Qt6 builds drop the old
spellings, so every layer asks here instead of spelling either one.
"""

from __future__ import annotations

from qgis.core import (
    Qgis,
    QgsProcessing,
    QgsProcessingAlgorithm,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterNumber,
)

_NEW = hasattr(Qgis, "ProcessingSourceType")

if _NEW:  # QGIS >= 3.36
    SourceType = Qgis.ProcessingSourceType
    NumberType = Qgis.ProcessingNumberParameterType
    FieldType = Qgis.ProcessingFieldParameterDataType
    FileBehavior = Qgis.ProcessingFileParameterBehavior
    DateTimeType = Qgis.ProcessingDateTimeParameterDataType
    ParameterFlag = Qgis.ProcessingParameterFlag
    AlgorithmFlag = Qgis.ProcessingAlgorithmFlag
    SOURCE_POINT = SourceType.VectorPoint
    SOURCE_LINE = SourceType.VectorLine
    SOURCE_POLYGON = SourceType.VectorPolygon
    SOURCE_ANY_GEOMETRY = SourceType.VectorAnyGeometry
    SOURCE_VECTOR = SourceType.Vector
    SOURCE_RASTER = SourceType.Raster
    FLAG_OPTIONAL = ParameterFlag.Optional
    FLAG_ADVANCED = ParameterFlag.Advanced
    FLAG_HIDDEN = ParameterFlag.Hidden
    FIELD_ANY = FieldType.Any
    FIELD_NUMERIC = FieldType.Numeric
    FIELD_STRING = FieldType.String
    FIELD_DATETIME = FieldType.DateTime
else:
    SourceType = QgsProcessing.SourceType
    NumberType = QgsProcessingParameterNumber.Type
    FieldType = QgsProcessingParameterField.DataType
    FileBehavior = QgsProcessingParameterFile.Behavior
    DateTimeType = QgsProcessingParameterDateTime.Type
    ParameterFlag = QgsProcessingParameterDefinition.Flag
    AlgorithmFlag = QgsProcessingAlgorithm.Flag
    SOURCE_POINT = SourceType.TypeVectorPoint
    SOURCE_LINE = SourceType.TypeVectorLine
    SOURCE_POLYGON = SourceType.TypeVectorPolygon
    SOURCE_ANY_GEOMETRY = SourceType.TypeVectorAnyGeometry
    SOURCE_VECTOR = SourceType.TypeVector
    SOURCE_RASTER = SourceType.TypeRaster
    FLAG_OPTIONAL = ParameterFlag.FlagOptional
    FLAG_ADVANCED = ParameterFlag.FlagAdvanced
    FLAG_HIDDEN = ParameterFlag.FlagHidden
    FIELD_ANY = FieldType.Any
    FIELD_NUMERIC = FieldType.Numeric
    FIELD_STRING = FieldType.String
    FIELD_DATETIME = FieldType.DateTime

NUMBER_INTEGER = NumberType.Integer
NUMBER_DOUBLE = NumberType.Double
FILE_FILE = FileBehavior.File
DATETIME_DATETIME = DateTimeType.DateTime

# Field value types. QGIS 3.38 moved QgsField to QMetaType.Type (the only spelling a Qt6
# build has, where text is ``QString``); older QGIS wants QVariant's constants, which QGIS's
# PyQt5 -> PyQt6 checker accepts only unqualified (``QVariant.Int``).
if Qgis.versionInt() >= 33800:
    from qgis.PyQt.QtCore import QMetaType

    _META = QMetaType.Type
    _NAMES = {
        "Int": "Int", "UInt": "UInt", "LongLong": "LongLong", "ULongLong": "ULongLong",
        "Double": "Double", "Bool": "Bool", "String": "QString", "Date": "QDate",
        "DateTime": "QDateTime", "Time": "QTime", "ByteArray": "QByteArray",
        "List": "QVariantList", "StringList": "QStringList", "Map": "QVariantMap",
        "Invalid": "UnknownType",
    }  # fmt: skip
else:
    from qgis.PyQt.QtCore import QVariant

    _META = QVariant
    _NAMES = {
        name: name
        for name in (
            "Int", "UInt", "LongLong", "ULongLong", "Double", "Bool", "String", "Date",
            "DateTime", "Time", "ByteArray", "List", "StringList", "Map", "Invalid",
        )
    }  # fmt: skip


class VariantType:
    """The field value types this plugin uses, spelled as the running QGIS wants them."""

    Int = getattr(_META, _NAMES["Int"])
    UInt = getattr(_META, _NAMES["UInt"])
    LongLong = getattr(_META, _NAMES["LongLong"])
    ULongLong = getattr(_META, _NAMES["ULongLong"])
    Double = getattr(_META, _NAMES["Double"])
    Bool = getattr(_META, _NAMES["Bool"])
    String = getattr(_META, _NAMES["String"])
    Date = getattr(_META, _NAMES["Date"])
    DateTime = getattr(_META, _NAMES["DateTime"])
    Time = getattr(_META, _NAMES["Time"])
    ByteArray = getattr(_META, _NAMES["ByteArray"])
    List = getattr(_META, _NAMES["List"])
    StringList = getattr(_META, _NAMES["StringList"])
    Map = getattr(_META, _NAMES["Map"])
    Invalid = getattr(_META, _NAMES["Invalid"])
