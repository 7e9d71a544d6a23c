"""Which form a run's spatial references take: ``context`` from 10.6.1 on, ``env:`` before.

Facts from Esri's reference: ``context`` (``outSR``, ``processSR``) "was added at 10.6.1",
when ``env:outSR``/``env:processSR`` were deprecated; help pages of servers before it
list only the ``env:`` keys. ArcGIS writes 10.6.1 as ``currentVersion`` 10.61.
"""

from __future__ import annotations

import json

import pytest

from arcgis_gp.plugin.rest import GPService
from arcgis_gp.plugin.rest.run_options import CONTEXT_VERSION, run_environment

WEB_MERCATOR = {"wkid": 102100, "latestWkid": 3857}


@pytest.mark.parametrize("version", [10.0, 10.22, 10.4, 10.51, 10.6])
def test_before_10_6_1_the_env_keys(version) -> None:
    assert version < CONTEXT_VERSION
    assert run_environment(version, WEB_MERCATOR, 2056) == {
        "out_sr": WEB_MERCATOR,
        "process_sr": 2056,
    }


@pytest.mark.parametrize("version", [10.61, 10.7, 10.81, 10.91, 11.0, 11.5])
def test_from_10_6_1_the_context(version) -> None:
    assert run_environment(version, WEB_MERCATOR, None) == {"context": {"outSR": WEB_MERCATOR}}
    assert run_environment(version, None, 2056) == {"context": {"processSR": 2056}}


def test_an_unknown_version_gets_both_forms_with_the_same_values() -> None:
    assert run_environment(None, WEB_MERCATOR, None) == {
        "context": {"outSR": WEB_MERCATOR},
        "out_sr": WEB_MERCATOR,
        "process_sr": None,
    }


def test_nothing_set_sends_nothing() -> None:
    for version in (None, 10.4, 11.1):
        assert run_environment(version) == {}


@pytest.mark.parametrize(
    ("name", "version"),
    [
        ("esridoc-911CallsHotspot-10.91.json", 10.91),
        ("esridoc-FileProcessing-11.1-uploads-schema.json", 11.1),
    ],
)
def test_real_service_descriptions_give_the_version(realworld_dir, name, version) -> None:
    data = json.loads((realworld_dir / "gpserver" / name).read_text(encoding="utf-8"))
    service = GPService.from_json(data, url="https://example.com/x/GPServer", path="x")
    assert service.current_version == version
    assert "context" in run_environment(service.current_version, 4326)


EXTENT = {"xmin": 9.0, "ymin": 45.0, "xmax": 10.0, "ymax": 46.0, "spatialReference": {"wkid": 4326}}


def test_an_extent_goes_in_the_context_with_its_own_spatial_reference() -> None:
    assert run_environment(11.1, None, None, EXTENT) == {"context": {"extent": EXTENT}}
    assert run_environment(11.1, WEB_MERCATOR, None, EXTENT) == {
        "context": {"outSR": WEB_MERCATOR, "extent": EXTENT}
    }
    # Unknown version: the context carries it (old servers have no other key for it).
    assert run_environment(None, None, None, EXTENT) == {"context": {"extent": EXTENT}}
