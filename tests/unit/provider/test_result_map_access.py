"""The job's map layer carries the connection's login to the server that ran the job.

On a portal connection (ArcGIS Online, an Enterprise portal) the services live on other
hosts than the connection's URL; the layer QGIS draws the job's map with must still get
the connection's auth configuration and referer there (the plugin ran the job there with
that login).
"""

from __future__ import annotations

from qgis.core import QgsDataSourceUri

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.provider.result_map_service import ResultMapService
from arcgis_gp.plugin.rest.client import GPClient


def _referer(uri: QgsDataSourceUri) -> str:
    """The referer QGIS's ArcGIS REST providers send: an HTTP header of the source from
    QGIS 3.24 on, a ``referer`` parameter on 3.22."""
    if hasattr(uri, "httpHeader"):
        return uri.httpHeader("referer")
    return uri.param("referer")


def _job_map(gpserver) -> ResultMapService:
    """The map of a job of the test server's Viewshed service (at 127.0.0.1)."""
    client = GPClient(gpserver.services_url)
    service = client.service_info("Elevation/Viewshed/GPServer")
    job_map = ResultMapService(client, service, "j1a2b3")
    job_map._info = {"spatialReference": {"wkid": 3857}}  # no job ran: its map's CRS
    return job_map


def test_a_portal_connections_job_map_gets_its_login_on_the_jobs_server(gpserver) -> None:
    # The portal answers on another host name than its servers, as ArcGIS Online does.
    portal_url = gpserver.portal_url.replace("127.0.0.1", "localhost")
    portal = Connection("agol", portal_url, authcfg="abc1234", referer="https://app")
    job_map = _job_map(gpserver)
    uri = QgsDataSourceUri(job_map.layer_uri(portal))
    assert uri.param("url").startswith(gpserver.services_url)
    assert uri.authConfigId() == "abc1234"
    assert _referer(uri) == "https://app"
