"""An ArcGIS-Server-compatible geoprocessing server for tests, benchmarks and demos.

It speaks the ArcGIS REST API (services directory, GP services and tasks, execute,
submitJob and jobs, results, uploads, tokens, result map services) on 127.0.0.1, with
services declared in ``services.yaml`` and tasks that compute real results. It never
imports the plugin: it is an independent peer of the client under test.

    from tests.gpserver import GPServer
    with GPServer(port=8399) as server:
        ...
"""

from __future__ import annotations

from .server import GPServer

__all__ = ["GPServer"]
