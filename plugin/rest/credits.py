"""Which GP services charge ArcGIS Online credits for a run.

No REST answer says so in a field; the rule has two parts, and either is enough:

1. **Where the service is.** Esri's ready-to-use (location) services answer on their own
   hosts under ``arcgis.com``: ``elevation`` (Tools/Elevation: Profile, Viewshed,
   SummarizeElevation), ``hydro`` (Tools/Hydrology: Watershed, TraceDownstream),
   ``logistics`` and ``route`` (World/ServiceAreas, ClosestFacility,
   VehicleRoutingProblem, OriginDestinationCostMatrix, Route), ``analysis``,
   ``analysis1`` … (spatial analysis: tasks/GPServer), ``rasteranalysis`` …, and
   ``utility.arcgis.com/usrsvcs/…``, the proxy an organisation's helper services go
   through. A GP service on one of these hosts is billed per run.
2. **What the service says.** Esri's descriptions of billed tools mention credits
   ("… consumes credits"); a service or task description with the word ``credit``
   is taken at its word.

A web tool on a customer's own ArcGIS Enterprise server matches neither and is
never marked.
"""

from __future__ import annotations

import re
from urllib.parse import urlsplit

#: First labels of Esri's ready-to-use service hosts (``<label>.arcgis.com``); a
#: trailing number (``analysis1``, ``analysis7``) is allowed.
BILLED_HOST_LABELS = frozenset(
    {"elevation", "hydro", "logistics", "route", "analysis", "rasteranalysis", "utility"}
)

_CREDIT_WORD = re.compile(r"\bcredits?\b", re.IGNORECASE)


def _billed_host(url: str) -> bool:
    host = (urlsplit(url).hostname or "").lower()
    if not host.endswith(".arcgis.com"):
        return False
    label = host[: -len(".arcgis.com")]
    return "." not in label and label.rstrip("0123456789") in BILLED_HOST_LABELS


def consumes_credits(url: str, *descriptions: str | None) -> bool:
    """True when a run of the GP service at ``url`` is billed in ArcGIS Online credits
    (by the rule in this module's docstring)."""
    if _billed_host(url):
        return True
    return any(_CREDIT_WORD.search(text or "") for text in descriptions)
