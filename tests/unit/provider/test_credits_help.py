"""Services that charge ArcGIS Online credits say so in their algorithm's help."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.provider.algorithm import GPTaskAlgorithm
from arcgis_gp.plugin.rest.credits import consumes_credits
from arcgis_gp.plugin.rest.descriptions import GPService, GPTask
from arcgis_gp.plugin.rest.enums import ExecutionType

BILLED = "consumes ArcGIS Online credits"

#: Esri's ready-to-use GP services, as its REST reference and helperServices name them.
READY_TO_USE = [
    "https://elevation.arcgis.com/arcgis/rest/services/Tools/Elevation/GPServer",
    "https://hydro.arcgis.com/arcgis/rest/services/Tools/Hydrology/GPServer",
    "https://logistics.arcgis.com/arcgis/rest/services/World/ServiceAreas/GPServer",
    "https://logistics.arcgis.com/arcgis/rest/services/World/VehicleRoutingProblem/GPServer",
    "https://route.arcgis.com/arcgis/rest/services/World/Route/GPServer",
    "https://analysis1.arcgis.com/arcgis/rest/services/tasks/GPServer",
    "https://utility.arcgis.com/usrsvcs/appservices/abc123/rest/services/World/Route/GPServer",
]

NOT_BILLED = [
    "https://gis.example.com/server/rest/services/Tools/Elevation/GPServer",  # own server
    "https://services.arcgis.com/abc/arcgis/rest/services/Hosted/GPServer",  # hosted data
    "https://elevation.arcgis.com.example.net/arcgis/rest/services/Tools/GPServer",
    "https://sampleserver6.arcgisonline.com/arcgis/rest/services/Elevation/GPServer",
]


@pytest.mark.parametrize("url", READY_TO_USE)
def test_ready_to_use_hosts_are_billed(url: str) -> None:
    assert consumes_credits(url)


@pytest.mark.parametrize("url", NOT_BILLED)
def test_other_servers_are_not(url: str) -> None:
    assert not consumes_credits(url, "Finds the area visible from points.", None)


def test_a_description_that_mentions_credits_is_taken_at_its_word() -> None:
    url = NOT_BILLED[0]
    assert consumes_credits(url, "", "This tool consumes 1 credit per 1,000 features.")


def _help(url: str, description: str = "") -> str:
    service = GPService(path="Tools/Elevation", url=url, execution_type=ExecutionType.ASYNCHRONOUS)
    task = GPTask.from_json(
        {"name": "Viewshed", "description": description, "parameters": []},
        url=url + "/Viewshed",
        service_path="Tools/Elevation",
    )
    algorithm = GPTaskAlgorithm(Connection("online", url), service, task)
    algorithm.initAlgorithm()
    return algorithm.shortHelpString()


def test_the_help_of_a_billed_task_says_so() -> None:
    assert BILLED in _help(READY_TO_USE[0])
    assert BILLED not in _help(NOT_BILLED[0])
    assert BILLED in _help(NOT_BILLED[0], "Each run uses credits of your organization.")
