"""Units and parameter filters through processing.run, against the Units/Filters service.

The service echoes each input as the server read it (``<input>_echo``), and the server
checks units, ranges, coded values and field types as ArcGIS Server does, so these tests
see the exact unit and value a run sent, and that a bad value is refused by the plugin,
with the parameter named, before anything reaches the server.
"""

from __future__ import annotations

import json

import processing
import pytest
from qgis.core import (
    QgsProcessingException,
    QgsProcessingParameterEnum,
    QgsProcessingParameterField,
    QgsProcessingParameterNumber,
    QgsProcessingParameterString,
)

from arcgis_gp.plugin.gptypes.compat import FIELD_NUMERIC

from .conftest import point_layer

PREFIX = "arcgisgp:demo__units_filters__"


def _executes(gpserver, task: str) -> list:
    return gpserver.requests_to(rf"/Units/Filters/GPServer/{task}/execute$")


def _sent(gpserver, task: str, name: str):
    """The JSON the last execute of ``task`` carried for ``name``."""
    return json.loads(_executes(gpserver, task)[-1].params[name])


# -- 1. a unit left out is the task's own default -----------------------------------


def test_units_left_out_are_the_units_of_the_task_defaults(provider, gpserver, feedback) -> None:
    result = processing.run(
        PREFIX + "unitdefaults", {"Distance": 5, "Area": 3, "Duration": 10}, feedback=feedback
    )
    assert json.loads(result["Distance_echo"]) == {"distance": 5, "units": "esriMiles"}
    assert json.loads(result["Area_echo"]) == {"area": 3, "units": "esriSquareKilometers"}
    assert json.loads(result["Duration_echo"]) == {"time": 10, "units": "esriTimeUnitsMinutes"}
    assert _sent(gpserver, "UnitDefaults", "Distance") == {"distance": 5, "units": "esriMiles"}


def test_the_units_sent_are_what_the_units_parameters_show(provider, gpserver) -> None:
    algorithm = provider.algorithm("demo__units_filters__unitdefaults")
    shown = {
        name: algorithm.parameterDefinition(f"{name}_units").defaultValue()
        for name in ("Distance", "Area", "Duration")
    }
    assert shown == {
        "Distance": "esriMiles",
        "Area": "esriSquareKilometers",
        "Duration": "esriTimeUnitsMinutes",
    }
    processing.run(PREFIX + "unitdefaults", {"Distance": 1, "Area": 1, "Duration": 1})
    for name, unit in shown.items():
        assert _sent(gpserver, "UnitDefaults", name)["units"] == unit
    # a unit given is the unit sent
    result = processing.run(
        PREFIX + "unitdefaults",
        {"Distance": 5, "Distance_units": "esriKilometers", "Duration": 2,
         "Duration_units": "esriTimeUnitsHours"},
    )  # fmt: skip
    assert json.loads(result["Distance_echo"]) == {"distance": 5, "units": "esriKilometers"}
    assert json.loads(result["Duration_echo"]) == {"time": 2, "units": "esriTimeUnitsHours"}


# -- 2. units a task restricts ------------------------------------------------------


def test_a_unit_choice_list_limits_the_units(provider) -> None:
    algorithm = provider.algorithm("demo__units_filters__unitchoices")
    distance = algorithm.parameterDefinition("Distance_units")
    area = algorithm.parameterDefinition("Area_units")
    duration = algorithm.parameterDefinition("Duration_units")
    assert distance.options() == ["esriMeters", "esriKilometers", "esriMiles"]
    assert distance.defaultValue() == "esriKilometers"
    # the task writes ArcGIS's text names (SquareMeters, Hours): the Esri names are offered
    assert area.options() == ["esriSquareMeters", "esriHectares", "esriSquareKilometers"]
    assert area.defaultValue() == "esriHectares"
    assert duration.options() == ["esriTimeUnitsMinutes", "esriTimeUnitsHours"]
    assert duration.defaultValue() == "esriTimeUnitsHours"


def test_a_unit_outside_the_choice_list_is_refused_before_sending(provider, gpserver) -> None:
    with pytest.raises(QgsProcessingException):
        processing.run(PREFIX + "unitchoices", {"Distance": 5, "Distance_units": "esriFeet"})
    assert not _executes(gpserver, "UnitChoices")
    result = processing.run(PREFIX + "unitchoices", {"Distance": 5, "Area": 2})
    assert json.loads(result["Distance_echo"]) == {"distance": 5, "units": "esriKilometers"}
    assert json.loads(result["Area_echo"]) == {"area": 2, "units": "esriHectares"}


def test_a_range_filter_bounds_the_number_of_a_unit(provider, gpserver) -> None:
    algorithm = provider.algorithm("demo__units_filters__unitchoices")
    distance: QgsProcessingParameterNumber = algorithm.parameterDefinition("Distance")
    area: QgsProcessingParameterNumber = algorithm.parameterDefinition("Area")
    assert (distance.minimum(), distance.maximum()) == (0, 100)
    assert (area.minimum(), area.maximum()) == (0.5, 50)
    for too_far in ({"Distance": 150}, {"Distance": 5, "Area": 0.1}):
        with pytest.raises(QgsProcessingException):
            processing.run(PREFIX + "unitchoices", too_far)
    assert not _executes(gpserver, "UnitChoices")
    result = processing.run(
        PREFIX + "unitchoices", {"Distance": 100, "Distance_units": "esriMiles"}
    )
    assert json.loads(result["Distance_echo"]) == {"distance": 100, "units": "esriMiles"}


# -- 3. every filter kind -----------------------------------------------------------


def test_coded_values_without_a_choice_list_are_a_choice_of_the_codes(provider) -> None:
    algorithm = provider.algorithm("demo__units_filters__codedvalues")
    dissolve = algorithm.parameterDefinition("Dissolve_Type")
    level = algorithm.parameterDefinition("Level")
    assert isinstance(dissolve, QgsProcessingParameterEnum)
    assert dissolve.options() == ["NONE", "ALL", "LIST"]
    assert dissolve.defaultValue() == "NONE"
    assert "NONE = No Dissolve" in dissolve.help()
    assert "ALL = Dissolve all output features into a single feature" in dissolve.help()
    assert isinstance(level, QgsProcessingParameterEnum)
    assert level.options() == ["1", "2", "3"]
    assert level.defaultValue() == "2"
    assert "3 = High" in level.help()
    paper = algorithm.parameterDefinition("Paper")  # choice list and codedValue alike
    assert paper.options() == ["A3", "A4", "Letter"]
    assert "Codes:" not in paper.help()  # names equal to codes say nothing more


def test_coded_values_are_sent_as_codes(provider, gpserver) -> None:
    result = processing.run(PREFIX + "codedvalues", {"Dissolve_Type": "ALL", "Level": "3"})
    assert result["Dissolve_Type_echo"] == "ALL"
    assert result["Level_echo"] == 3
    assert _executes(gpserver, "CodedValues")[-1].params["Level"] == "3"
    with pytest.raises(QgsProcessingException):
        processing.run(PREFIX + "codedvalues", {"Dissolve_Type": "No Dissolve"})
    assert len(_executes(gpserver, "CodedValues")) == 1


def test_a_composite_filter_checks_each_value_table_column(provider, gpserver) -> None:
    algorithm = provider.algorithm("demo__units_filters__oddfilters")
    rows = algorithm.parameterDefinition("Rows")
    assert "Kind: one of abc, def" in rows.help()
    assert "Count: from 0 to 10" in rows.help()
    for bad, column in ((["xyz", 1, "n"], "Kind"), (["abc", 11, "n"], "Count")):
        with pytest.raises(QgsProcessingException, match=rf"Rows.*{column}"):
            processing.run(PREFIX + "oddfilters", {"Rows": bad})
    assert not _executes(gpserver, "OddFilters")
    result = processing.run(PREFIX + "oddfilters", {"Rows": ["def", 10, "n", "abc", 0, ""]})
    assert json.loads(result["Rows_echo"]) == [["def", 10, "n"], ["abc", 0, ""]]


def test_unknown_and_misplaced_filters_leave_working_parameters(provider, gpserver) -> None:
    algorithm = provider.algorithm("demo__units_filters__oddfilters")
    assert isinstance(algorithm.parameterDefinition("Tolerance"), QgsProcessingParameterNumber)
    assert isinstance(algorithm.parameterDefinition("Label"), QgsProcessingParameterString)
    notes = algorithm.filter_notes()
    assert any("Tolerance" in note and "'workspace'" in note for note in notes)
    assert any("Label" in note and "'composite'" in note for note in notes)
    result = processing.run(PREFIX + "oddfilters", {"Tolerance": 0.25, "Label": "x"})
    assert result["Tolerance_echo"] == 0.25
    assert result["Label_echo"] == "x"


def test_a_field_filter_limits_the_field_types(provider, gpserver) -> None:
    algorithm = provider.algorithm("demo__units_filters__oddfilters")
    field: QgsProcessingParameterField = algorithm.parameterDefinition("Value_Field")
    assert field.dataType() == FIELD_NUMERIC
    points = point_layer([("Bern", 7.44, 46.95), ("Thun", 7.63, 46.76)])
    with pytest.raises(QgsProcessingException, match="Value_Field"):
        processing.run(PREFIX + "oddfilters", {"Points": points, "Value_Field": "name"})
    assert not _executes(gpserver, "OddFilters")
    result = processing.run(PREFIX + "oddfilters", {"Points": points, "Value_Field": "rank"})
    assert result["Value_Field_echo"] == "rank"


def test_a_feature_class_filter_refuses_other_geometry_types(provider, gpserver) -> None:
    from qgis.core import QgsFeature, QgsGeometry, QgsVectorLayer

    lines = QgsVectorLayer("LineString?crs=EPSG:4326&field=rank:integer", "lines", "memory")
    feature = QgsFeature(lines.fields())
    feature.setAttributes([1])
    feature.setGeometry(QgsGeometry.fromWkt("LINESTRING(7 46, 7.1 46.1)"))
    lines.dataProvider().addFeatures([feature])
    with pytest.raises(QgsProcessingException, match="esriGeometryPoint"):
        processing.run(PREFIX + "oddfilters", {"Points": lines})
    assert not _executes(gpserver, "OddFilters")


def test_a_model_that_leaves_the_unit_out_sends_the_tasks_unit(provider, gpserver) -> None:
    """A model built in code (or by hand) may give a GP task its number but no unit."""
    from qgis.core import (
        QgsProcessingModelAlgorithm,
        QgsProcessingModelChildAlgorithm,
        QgsProcessingModelChildParameterSource,
        QgsProcessingModelParameter,
    )

    from arcgis_gp.plugin.gptypes.compat import NUMBER_DOUBLE

    model = QgsProcessingModelAlgorithm("units", "tests")
    model.addModelParameter(
        QgsProcessingParameterNumber("distance", "Distance", NUMBER_DOUBLE),
        QgsProcessingModelParameter("distance"),
    )
    child = QgsProcessingModelChildAlgorithm(PREFIX + "unitdefaults")
    child.setChildId("units")
    child.addParameterSources(
        "Distance", [QgsProcessingModelChildParameterSource.fromModelParameter("distance")]
    )
    model.addChildAlgorithm(child)
    processing.run(model, {"distance": 7})
    assert _sent(gpserver, "UnitDefaults", "Distance") == {"distance": 7, "units": "esriMiles"}
