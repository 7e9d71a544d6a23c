"""A run ArcGIS Online refuses (no privilege, not enough credits) fails with the portal's
own words and the connection's name, once: a refusal is no expired token to renew."""

from __future__ import annotations

import processing
import pytest
from qgis.core import QgsProcessingException

from arcgis_gp.plugin.connections.connection import Connection

ECHO = "arcgisgp:{}__secure_protected__echo"
ECHO_ASYNC = "arcgisgp:{}__secure_protectedasync__echo"


@pytest.mark.parametrize(
    ("reason", "words"),
    [
        (
            "privileges",
            "You do not have permissions to access this resource or perform this operation.",
        ),
        ("credits", "Failed to compute cost/credits for tool GenerateRaster"),
    ],
)
@pytest.mark.parametrize("task", [ECHO, ECHO_ASYNC])
def test_a_refused_run_says_why_and_where(
    make_provider, esritoken_authcfg, gpserver, reason, words, task
):
    make_provider(Connection("online", gpserver.services_url, authcfg=esritoken_authcfg))
    gpserver.clear_requests()
    gpserver.set_fault("refuse", path=r"/Echo/(execute|submitJob)$", reason=reason)
    with pytest.raises(QgsProcessingException) as caught:
        processing.run(task.format("online"), {"Text": "x"})
    message = str(caught.value)
    assert words in message
    assert "'online'" in message
    assert "renew" not in message  # not a token problem: nothing to renew
    assert len(gpserver.requests_to(r"/Echo/(execute|submitJob)$")) == 1
