"""ArcGIS Online's refusals of a run (fault ``refuse``): no privilege, no credits."""

from __future__ import annotations

import requests

from ..errors import REFUSALS


def _execute(server) -> dict:
    return requests.post(
        server.task_url("Analysis", "Buffer") + "/execute", data={"f": "json"}, timeout=10
    ).json()


def test_refusals_have_arcgis_onlines_shapes(gpserver) -> None:
    gpserver.set_fault("refuse", path=r"/execute$", count=1)
    privileges = _execute(gpserver)
    assert privileges == REFUSALS["privileges"]
    assert privileges["error"]["code"] == 403
    gpserver.set_fault("refuse", path=r"/execute$", count=1, reason="credits")
    credits = _execute(gpserver)
    assert set(credits) == {"error", "error_description"}
    assert isinstance(credits["error"], str)
    (first, second) = gpserver.requests_to(r"/execute$")
    assert first.fault == second.fault == "refuse"
