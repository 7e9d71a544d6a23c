"""A temporary file output ends as the server's file does."""

from __future__ import annotations

import pytest
from qgis.core import QgsProcessing, QgsProcessingOutputLayerDefinition, QgsProperty

from arcgis_gp.plugin.gptypes.files import (
    is_temporary_output,
    server_extension,
    with_server_extension,
)


@pytest.mark.parametrize(
    ("url", "extension"),
    [
        ("https://h/arcgis/rest/directories/arcgisjobs/s_gpserver/j1/scratch/report.s.xml", ".xml"),
        ("https://h/arcgis/rest/directories/arcgisoutput/S_GPServer/_ags_1a2b_clip.zip", ".zip"),
        ("https://h/out/Report.S.XML?token=abc&f=json", ".xml"),  # the query is not the name
        ("https://h/out/my%20file.tar.gz#frag", ".gz"),
        ("/rest/directories/arcgisoutput/x/report.csv", ".csv"),  # relative, as servers send
        ("https://h/out/no_extension", ""),
        ("https://h/out/folder/", ""),
        ("https://h/out/weird.name with space", ""),
        ("https://h/out/.hidden", ""),
    ],
)
def test_server_extension(url: str, extension: str) -> None:
    assert server_extension(url) == extension


def test_with_server_extension_replaces_only_the_temporary_suffix() -> None:
    temporary = "/tmp/processing_x/abc/Output_Report.file"
    assert with_server_extension(temporary, "https://h/report.s.xml") == (
        "/tmp/processing_x/abc/Output_Report.xml"
    )
    assert with_server_extension(temporary, "https://h/noext") == temporary


@pytest.mark.parametrize(
    ("value", "temporary"),
    [
        (None, True),
        ("", True),
        (QgsProcessing.TEMPORARY_OUTPUT, True),
        (QgsProcessingOutputLayerDefinition(QgsProcessing.TEMPORARY_OUTPUT), True),
        (QgsProperty.fromValue(QgsProcessing.TEMPORARY_OUTPUT), True),
        ("/data/my report.dat", False),
        (QgsProcessingOutputLayerDefinition("/data/out.xml"), False),
    ],
)
def test_is_temporary_output(value: object, temporary: bool) -> None:
    assert is_temporary_output(value) is temporary
