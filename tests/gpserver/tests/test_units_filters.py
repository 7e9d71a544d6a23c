"""Units/Filters: units read as ArcGIS Server reads them, and the tool checks of each filter.

Facts from the ArcGIS REST reference (GP data types, GP task "Filters"): a unit value is
``{<distance|area|time>: n, "units": <Esri name>}`` or text such as ``"3 SquareKilometers"``
or ``"1 Week"`` (plural or singular); a unit the type does not have is an error; without
units, a linear unit is in esriMeters and a time unit in esriTimeUnitsUnknown.
"""

from __future__ import annotations

import json

import pytest
import requests

from .helpers import post, results_by_name

SERVICE = "Units/Filters"


def _execute(gpserver, task: str, **inputs):
    return post(f"{gpserver.task_url(SERVICE, task)}/execute", **inputs)


def _echoes(answer) -> dict:
    assert "results" in answer, answer
    return {name: result["value"] for name, result in results_by_name(answer).items()}


@pytest.mark.parametrize(
    ("name", "sent", "read"),
    [
        ("Distance", {"distance": 2, "units": "esriFeet"}, {"distance": 2, "units": "esriFeet"}),
        ("Distance", "3 Kilometers", {"distance": 3, "units": "esriKilometers"}),
        ("Distance", {"distance": 4}, {"distance": 4, "units": "esriMeters"}),
        ("Area", "3 SquareKilometers", {"area": 3, "units": "esriSquareKilometers"}),
        ("Area", "1 SquareFootUS", {"area": 1, "units": "esriSquareFeetUS"}),
        ("Duration", "1 Week", {"time": 1, "units": "esriTimeUnitsWeeks"}),
        ("Duration", "2 Centuries", {"time": 2, "units": "esriTimeUnitsCenturies"}),
        ("Duration", {"time": 5}, {"time": 5, "units": "esriTimeUnitsUnknown"}),
    ],
)
def test_units_are_read_in_every_documented_form(gpserver, name, sent, read) -> None:
    echoes = _echoes(_execute(gpserver, "UnitDefaults", **{name: sent}))
    assert echoes[f"{name}_echo"] == read


def test_defaults_apply_to_units_not_sent(gpserver) -> None:
    echoes = _echoes(_execute(gpserver, "UnitDefaults"))
    assert echoes["Distance_echo"] == {"distance": 5, "units": "esriMiles"}
    assert echoes["Area_echo"] == {"area": 2, "units": "esriSquareKilometers"}
    assert echoes["Duration_echo"] == {"time": 30, "units": "esriTimeUnitsMinutes"}


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("Distance", {"distance": 5, "units": "esriParsecs"}),
        ("Distance", {"distance": 5, "units": "esriSquareMeters"}),
        ("Area", {"area": 5}),
        ("Area", {"area": 5, "units": "esriMeters"}),
        ("Duration", "3 Fortnights"),
    ],
)
def test_a_unit_the_type_does_not_have_is_a_request_error(gpserver, name, value) -> None:
    response = requests.post(
        f"{gpserver.task_url(SERVICE, 'UnitDefaults')}/execute",
        data={
            "f": "json",
            name: value if isinstance(value, str) else json.dumps(value),
        },
        timeout=30,
    )
    error = response.json()["error"]
    assert response.status_code == 200
    assert error["code"] == 400
    assert f"Invalid value for parameter '{name}'" in " ".join(error["details"])


@pytest.mark.parametrize(
    ("inputs", "error"),
    [
        ({"Distance": {"distance": 5, "units": "esriFeet"}}, "ERROR 000800"),
        ({"Duration": "3 Days"}, "ERROR 000800"),
        ({"Distance": {"distance": 150, "units": "esriMiles"}}, "ERROR 000854"),
        ({"Area": {"area": 0.1, "units": "esriHectares"}}, "ERROR 000854"),
    ],
)
def test_unit_choice_lists_and_ranges_fail_the_tool(gpserver, inputs, error) -> None:
    answer = _execute(gpserver, "UnitChoices", **inputs)
    assert answer["error"]["message"] == "Unable to complete operation."
    assert error in " ".join(answer["error"]["details"])


def test_a_unit_choice_list_in_text_names_takes_esri_names(gpserver) -> None:
    echoes = _echoes(
        _execute(gpserver, "UnitChoices", Area={"area": 2, "units": "esriSquareKilometers"})
    )
    assert echoes["Area_echo"] == {"area": 2, "units": "esriSquareKilometers"}


@pytest.mark.parametrize(
    ("inputs", "error"),
    [
        ({"Dissolve_Type": "No Dissolve"}, "ERROR 000800"),  # the name, not the code
        ({"Level": 4}, "ERROR 000800"),
        ({"Rows": [["xyz", 1, ""]]}, "ERROR 000800"),
        ({"Rows": [["abc", 11, ""]]}, "ERROR 000854"),
        (
            {
                "Points": {
                    "geometryType": "esriGeometryPoint",
                    "spatialReference": {"wkid": 4326},
                    "fields": [{"name": "Name", "type": "esriFieldTypeString"}],
                    "features": [{"attributes": {"Name": "a"}, "geometry": {"x": 1, "y": 2}}],
                },
                "Value_Field": {"name": "Name", "type": "esriFieldTypeString"},
            },
            "ERROR 000800",
        ),
    ],
)
def test_coded_values_composite_and_field_filters_fail_the_tool(gpserver, inputs, error) -> None:
    task = "CodedValues" if "Rows" not in inputs and "Points" not in inputs else "OddFilters"
    answer = _execute(gpserver, task, **inputs)
    assert error in " ".join(answer["error"]["details"]), answer


def test_codes_and_empty_string_cells_pass(gpserver) -> None:
    echoes = _echoes(_execute(gpserver, "CodedValues", Dissolve_Type="LIST", Level=1))
    assert (echoes["Dissolve_Type_echo"], echoes["Level_echo"]) == ("LIST", 1)
    echoes = _echoes(_execute(gpserver, "OddFilters", Rows=[["def", 10, ""], ["abc", 0, "x"]]))
    assert echoes["Rows_echo"] == [["def", 10, ""], ["abc", 0, "x"]]
