"""Task descriptions become algorithms with the parameters of the GP type table."""

from __future__ import annotations

import json
from typing import Any

import pytest
from qgis.core import (
    QgsProcessingOutputNumber,
    QgsProcessingOutputString,
    QgsProcessingParameterAuthConfig,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDateTime,
    QgsProcessingParameterEnum,
    QgsProcessingParameterExtent,
    QgsProcessingParameterFeatureSink,
    QgsProcessingParameterFeatureSource,
    QgsProcessingParameterField,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterMatrix,
    QgsProcessingParameterNumber,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProcessingParameterString,
)

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.gptypes.compat import (
    FLAG_OPTIONAL,
    SOURCE_ANY_GEOMETRY,
    SOURCE_LINE,
    SOURCE_POLYGON,
    SOURCE_VECTOR,
)
from arcgis_gp.plugin.provider.algorithm import GPTaskAlgorithm
from arcgis_gp.plugin.rest.descriptions import GPService, GPTask
from arcgis_gp.plugin.rest.enums import ExecutionType

CONNECTION = Connection(name="Demo Server", url="https://gis.example.com/arcgis/rest/services")


def _algorithm(
    task_json: dict[str, Any], service_path: str = "Tools/My Service"
) -> GPTaskAlgorithm:
    service = GPService(
        path=service_path,
        url=f"https://gis.example.com/arcgis/rest/services/{service_path}/GPServer",
        execution_type=ExecutionType.ASYNCHRONOUS,
    )
    task = GPTask.from_json(
        task_json, url=service.url + "/" + task_json["name"], service_path=service_path
    )
    algorithm = GPTaskAlgorithm(CONNECTION, service, task)
    algorithm.initAlgorithm()
    return algorithm


def _param(name: str, data_type: str, **extra: Any) -> dict[str, Any]:
    return {
        "name": name,
        "dataType": data_type,
        "displayName": name.replace("_", " "),
        "direction": "esriGPParameterDirectionInput",
        "parameterType": "esriGPParameterTypeRequired",
        **extra,
    }


def _out(name: str, data_type: str, **extra: Any) -> dict[str, Any]:
    return _param(
        name,
        data_type,
        direction="esriGPParameterDirectionOutput",
        parameterType="esriGPParameterTypeDerived",
        **extra,
    )


def test_names_follow_the_stable_scheme() -> None:
    algorithm = _algorithm({"name": "911 Calls Hotspot", "parameters": []})
    assert algorithm.name() == "demo_server__tools_my_service__911_calls_hotspot"
    assert algorithm.group() == "Demo Server › Tools/My Service"  # noqa: RUF001
    assert algorithm.displayName() == "911 Calls Hotspot"
    assert algorithm.helpUrl().endswith("/GPServer/911 Calls Hotspot")


def test_real_feature_task_from_esri_reference(realworld_dir) -> None:
    task_json = json.loads(
        (
            realworld_dir / "task/esridoc-Level2_Features_Async-FeatureFiltersLinePolygon.json"
        ).read_text()
    )
    algorithm = _algorithm(task_json, "Level2_Features_Async")
    source = algorithm.parameterDefinition("Input_Features")
    assert isinstance(source, QgsProcessingParameterFeatureSource)
    assert sorted(source.dataTypes()) == sorted([int(SOURCE_LINE), int(SOURCE_POLYGON)])
    assert not source.flags() & FLAG_OPTIONAL
    sink = algorithm.parameterDefinition("Output_Feature_Class")
    assert isinstance(sink, QgsProcessingParameterFeatureSink)
    assert algorithm.outputDefinition("JOB_ID") is not None  # an asynchronous task
    assert "line and polygon only" in algorithm.shortHelpString()


def test_real_value_table_task_from_esri_reference(realworld_dir) -> None:
    task_json = json.loads(
        (realworld_dir / "task/esridoc-Level2_ValueTable_Sync-filters.json").read_text()
    )
    algorithm = _algorithm(task_json, "Level2_ValueTable_Sync")
    matrix = algorithm.parameterDefinition("Input_range_filters")
    assert isinstance(matrix, QgsProcessingParameterMatrix)
    assert matrix.headers() == ["input long column", "input double column"]
    assert matrix.defaultValue() == [567, -56756.567, -6567, 67886.678]
    assert isinstance(algorithm.outputDefinition("Output_raster_layers"), QgsProcessingOutputString)


ALL_TYPES_TASK = {
    "name": "AllTypes",
    "executionType": "esriExecutionTypeSynchronous",
    "parameters": [
        _param("Mode", "GPString", choiceList=["fast", "exact"], defaultValue="exact"),
        _param("Secret", "GPStringHidden", parameterType="esriGPParameterTypeOptional"),
        _param(
            "Count", "GPLong", filter={"type": "range", "minimum": 1, "maximum": 10}, defaultValue=3
        ),
        _param("Factor", "GPDouble", defaultValue=1.5),
        _param("Flag", "GPBoolean", defaultValue=True),
        _param("When", "GPDate", defaultValue=1199145600000),
        _param("Distance", "GPLinearUnit", defaultValue={"distance": 5, "units": "esriMiles"}),
        _param("Area", "GPArealUnit", defaultValue={"area": 2, "units": "esriHectares"}),
        _param(
            "Features",
            "GPFeatureRecordSetLayer",
            defaultValue={"geometryType": "esriGeometryPolygon"},
        ),
        _param("Table", "GPRecordSet", defaultValue={}),
        _param("Raster", "GPRasterDataLayer", parameterType="esriGPParameterTypeOptional"),
        _param("Document", "GPDataFile", parameterType="esriGPParameterTypeOptional"),
        _param(
            "Colours", "GPMultiValue:GPString", choiceList=["red", "green"], defaultValue=["red"]
        ),
        _param("Numbers", "GPMultiValue:GPLong", defaultValue=[1, 2]),
        _param(
            "Rows",
            "GPValueTable",
            parameterInfos=[
                {"name": "a", "dataType": "GPLong", "displayName": "A"},
                {"name": "b", "dataType": "GPString", "displayName": "B"},
            ],
        ),
        _param(
            "Field_Name",
            "Field",
            dependency="Features",
            filter={"type": "field", "list": ["Double"]},
        ),
        _param(
            "Output_SR", "GPSpatialReference", defaultValue={"wkid": 102100, "latestWkid": 3857}
        ),
        _param(
            "Area_Of_Interest",
            "GPExtent",
            defaultValue={
                "xmin": 1,
                "ymin": 2,
                "xmax": 3,
                "ymax": 4,
                "spatialReference": {"wkid": 4326},
            },
        ),
        _param("Where", "GPSQLExpression", parameterType="esriGPParameterTypeOptional"),
        _param("Mystery", "GPSomethingNew", defaultValue={"a": 1}),
        _param("Free Text.Note", "GPString", parameterType="esriGPParameterTypeOptional"),
        _out(
            "Out_Features",
            "GPFeatureRecordSetLayer",
            defaultValue={"geometryType": "esriGeometryPoint"},
        ),
        _out("Out_Table", "GPRecordSet"),
        _out("Out_Raster", "GPRasterDataLayer"),
        _out("Out_File", "GPDataFile"),
        _out("Out_Count", "GPLong"),
        _out("Out_Date", "GPDate"),
    ],
}


@pytest.fixture(scope="module")
def all_types() -> GPTaskAlgorithm:
    return _algorithm(ALL_TYPES_TASK, "Analysis")


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("Mode", QgsProcessingParameterEnum),
        ("Secret", QgsProcessingParameterAuthConfig),
        ("Count", QgsProcessingParameterNumber),
        ("Factor", QgsProcessingParameterNumber),
        ("Flag", QgsProcessingParameterBoolean),
        ("When", QgsProcessingParameterDateTime),
        ("Distance", QgsProcessingParameterNumber),
        ("Distance_units", QgsProcessingParameterEnum),
        ("Area_units", QgsProcessingParameterEnum),
        ("Features", QgsProcessingParameterFeatureSource),
        ("Table", QgsProcessingParameterFeatureSource),
        ("Raster", QgsProcessingParameterRasterLayer),
        ("Document", QgsProcessingParameterFile),
        ("Colours", QgsProcessingParameterEnum),
        ("Numbers", QgsProcessingParameterString),
        ("Rows", QgsProcessingParameterMatrix),
        ("Field_Name", QgsProcessingParameterField),
        ("Output_SR", QgsProcessingParameterCrs),
        ("Area_Of_Interest", QgsProcessingParameterExtent),
        ("Where", QgsProcessingParameterString),
        ("Mystery", QgsProcessingParameterString),
        ("Free Text.Note", QgsProcessingParameterString),
        ("Out_Features", QgsProcessingParameterFeatureSink),
        ("Out_Table", QgsProcessingParameterFeatureSink),
        ("Out_Raster", QgsProcessingParameterRasterDestination),
        ("Out_File", QgsProcessingParameterFileDestination),
    ],
)
def test_every_gp_type_has_its_qgis_parameter(all_types, name, expected) -> None:
    definition = all_types.parameterDefinition(name)
    assert isinstance(definition, expected), (name, type(definition))


def test_defaults_choices_ranges_and_dependencies(all_types) -> None:
    mode = all_types.parameterDefinition("Mode")
    assert mode.options() == ["fast", "exact"]
    assert mode.defaultValue() == "exact"
    assert mode.usesStaticStrings()
    count = all_types.parameterDefinition("Count")
    assert (count.minimum(), count.maximum(), count.defaultValue()) == (1, 10, 3)
    assert all_types.parameterDefinition("Distance").defaultValue() == 5
    assert all_types.parameterDefinition("Distance_units").defaultValue() == "esriMiles"
    assert all_types.parameterDefinition("When").defaultValue().toMSecsSinceEpoch() == 1199145600000
    assert all_types.parameterDefinition("Features").dataTypes() == [int(SOURCE_POLYGON)]
    assert all_types.parameterDefinition("Table").dataTypes() == [int(SOURCE_VECTOR)]
    field = all_types.parameterDefinition("Field_Name")
    assert field.parentLayerParameterName() == "Features"
    assert all_types.parameterDefinition("Output_SR").defaultValue() == "EPSG:3857"
    assert all_types.parameterDefinition("Area_Of_Interest").defaultValue() == "1,3,2,4 [EPSG:4326]"
    assert all_types.parameterDefinition("Colours").defaultValue() == ["red"]
    assert all_types.parameterDefinition("Secret").flags() & FLAG_OPTIONAL
    assert not all_types.parameterDefinition("Count").flags() & FLAG_OPTIONAL
    assert "not known to this plugin" in all_types.parameterDefinition("Mystery").help()
    assert all_types.unknown_types() == ["GPSomethingNew"]


def test_scalar_outputs_and_no_job_id_for_synchronous_tasks(all_types) -> None:
    assert isinstance(all_types.outputDefinition("Out_Count"), QgsProcessingOutputNumber)
    assert isinstance(all_types.outputDefinition("Out_Date"), QgsProcessingOutputString)
    assert all_types.outputDefinition("JOB_ID") is None


def test_untyped_feature_input_accepts_any_geometry() -> None:
    algorithm = _algorithm(
        {"name": "T", "parameters": [_param("In", "GPFeatureRecordSetLayer", defaultValue={})]}
    )
    assert algorithm.parameterDefinition("In").dataTypes() == [int(SOURCE_ANY_GEOMETRY)]


def test_help_lists_parameters_as_the_dialog_shows_them() -> None:
    """Uncategorised inputs first, then each category under its name, then the outputs."""

    def param(name: str, category: str = "", direction: str = "esriGPParameterDirectionInput"):
        return {
            "name": name,
            "dataType": "GPString",
            "direction": direction,
            "parameterType": "esriGPParameterTypeRequired",
            "category": category,
        }

    algorithm = _algorithm(
        {
            "name": "Ordered",
            "parameters": [
                param("Out_Text", direction="esriGPParameterDirectionOutput"),
                param("Radius", "Distance"),
                param("Title"),
                param("Note", "Labels"),
                param("Units", "Distance"),
            ],
        }
    )
    help_text = algorithm.shortHelpString()
    order = ["Title", "<b>Distance</b>", "Radius", "Units", "<b>Labels</b>", "Note"]
    order += ["<b>Outputs</b>", "Out_Text"]
    positions = [help_text.index(f"<code>{n}</code>" if "<b>" not in n else n) for n in order]
    assert positions == sorted(positions), help_text
