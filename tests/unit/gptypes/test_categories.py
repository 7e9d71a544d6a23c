"""GP categories: kept together in the parameter order, named in labels, optional ones advanced."""

from __future__ import annotations

from typing import Any

from qgis.core import (
    NULL,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingParameterEnum,
    QgsProcessingParameterFile,
)

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.gptypes.base import CATEGORY_SEPARATOR as SEP
from arcgis_gp.plugin.gptypes.base import OMIT, EncodeContext
from arcgis_gp.plugin.gptypes.categories import in_category_order
from arcgis_gp.plugin.gptypes.compat import FLAG_ADVANCED, FLAG_OPTIONAL
from arcgis_gp.plugin.gptypes.table import handler_for
from arcgis_gp.plugin.provider.algorithm import GPTaskAlgorithm
from arcgis_gp.plugin.provider.environment import RUN_PARAMETER_NAMES
from arcgis_gp.plugin.rest.descriptions import GPService, GPTask
from arcgis_gp.plugin.rest.enums import ExecutionType
from tests.unit.provider.test_algorithm_definitions import _param

URL = "https://gis.example.com/arcgis/rest/services/Tools/GPServer"


def _optional(name: str, data_type: str = "GPString", **extra: Any) -> dict[str, Any]:
    return _param(name, data_type, parameterType="esriGPParameterTypeOptional", **extra)


def _algorithm(*params: dict[str, Any]) -> GPTaskAlgorithm:
    service = GPService(path="Tools", url=URL, execution_type=ExecutionType.SYNCHRONOUS)
    task = GPTask.from_json(
        {"name": "Task", "parameters": list(params)}, url=URL + "/Task", service_path="Tools"
    )
    algorithm = GPTaskAlgorithm(Connection("demo", URL), service, task)
    algorithm.initAlgorithm()
    return algorithm


TASK = (
    _param("Input", "GPFeatureRecordSetLayer"),
    _optional("Tolerance", "GPDouble", category="Advanced options"),
    _param("Distance", "GPLinearUnit", category="Distances"),
    _optional("Method", category="Advanced options", choiceList=["fast", "exact"]),
    _optional("Note"),
    _optional("Max_Distance", "GPLinearUnit", category="Distances"),
)


def test_uncategorised_first_then_each_category_in_order_of_first_appearance():
    algorithm = _algorithm(*TASK)  # keep it: it owns the definitions
    names = [d.name() for d in algorithm.parameterDefinitions()]
    assert names[-len(RUN_PARAMETER_NAMES) :] == list(RUN_PARAMETER_NAMES)  # the run's, last
    assert names[: -len(RUN_PARAMETER_NAMES)] == [
        "Input",
        "Note",
        "Tolerance",
        "Method",
        "Distance",
        "Distance_units",
        "Max_Distance",
        "Max_Distance_units",
    ]


def test_order_is_unchanged_without_categories():
    task = GPTask.from_json(
        {
            "name": "T",
            "parameters": [_param("B", "GPString"), _param("A", "GPString"), _optional("C")],
        },
        url=URL,
        service_path="Tools",
    )
    assert [p.name for p in in_category_order(task.inputs)] == ["B", "A", "C"]


def test_labels_name_the_category_and_names_stay_gp_names():
    algorithm = _algorithm(*TASK)
    labels = {d.name(): d.description() for d in algorithm.parameterDefinitions()}
    assert labels["Input"] == "Input"
    assert labels["Tolerance"] == f"Advanced options{SEP}Tolerance"
    assert labels["Distance"] == f"Distances{SEP}Distance"
    assert labels["Distance_units"] == f"Distances{SEP}Distance: units"
    metadata = algorithm.parameterDefinition("Method").metadata()["arcgis_gp"]
    assert metadata == {"dataType": "GPString", "category": "Advanced options"}


def test_optional_parameters_of_a_category_are_advanced_required_ones_are_not():
    algorithm = _algorithm(*TASK)

    def flags(name: str) -> Any:
        return algorithm.parameterDefinition(name).flags()

    for name in ("Tolerance", "Method", "Max_Distance", "Max_Distance_units"):
        assert flags(name) & FLAG_ADVANCED, name
        assert flags(name) & FLAG_OPTIONAL, name
    for name in ("Input", "Distance", "Distance_units", "Note"):
        assert not flags(name) & FLAG_ADVANCED, name
    # A unit chooser is as required as its number (it always has a default).
    assert not flags("Distance_units") & FLAG_OPTIONAL
    units = algorithm.parameterDefinition("Distance_units")
    assert isinstance(units, QgsProcessingParameterEnum)
    assert units.defaultValue() == "esriMeters"


def test_data_file_filter_becomes_the_file_choosers_filter():
    algorithm = _algorithm(
        _param("Data", "GPDataFile", filter={"type": "file", "list": ["csv", ".TIF"]}),
        _param("Any_File", "GPDataFile"),
    )
    data = algorithm.parameterDefinition("Data")
    assert isinstance(data, QgsProcessingParameterFile)
    assert data.fileFilter() == "Accepted files (*.csv *.tif);;All files (*.*)"
    assert data.checkValueIsAcceptable("https://example.com/data.zip")  # URLs still go
    assert "*.csv" not in algorithm.parameterDefinition("Any_File").fileFilter()


def test_null_from_the_dialog_is_no_value():
    """The dialog, batch mode and models give NULL for an optional input left empty."""
    algorithm = _algorithm(
        _optional("Data", "GPDataFile"), _optional("Raster", "GPRasterDataLayer")
    )
    ctx = EncodeContext(
        algorithm, {"Data": NULL, "Raster": NULL}, QgsProcessingContext(), QgsProcessingFeedback()
    )
    assert not ctx.has_value("Data")
    for param in algorithm.task.inputs:
        assert handler_for(param.data_type).encode(param, ctx) is OMIT, param.name
