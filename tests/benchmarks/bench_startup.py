"""Benchmark (target 1 of RESULTS.md): provider load from 1,000 cached task descriptions.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_startup``

The catalog of the catalog benchmark's server (100 GP services x 10 tasks, generated
services file) is crawled once and saved with ``CatalogCache``. A child process then
starts QGIS and Processing and times ``addProvider(ArcGisGpProvider(...))``, which loads
every algorithm from that cache, as ``initProcessing`` does at QGIS start-up. Every
``socket.connect`` in the child is counted, and the server's request log must stay
empty: loading must do no network I/O. Best (and median) of five child runs.
Target: <= 100 ms added, 0 connections.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
from pathlib import Path

from tests.benchmarks.common import (
    child_load_rounds,
    figure,
    load_provider_from_cache,
    qgis_app,
)

MODULE = "tests.benchmarks.bench_startup"
ROUNDS = 5


def _child(cache_dir: str, url: str) -> None:
    """Start QGIS + Processing, then time the provider load; print ms, count, connects."""
    load = load_provider_from_cache(cache_dir, "bench", url)
    provider, seconds, connects = load.provider, load.seconds, load.connects
    count = len(provider.algorithms())
    # What the toolbox and qgis_process read first: names, groups, parameters of one.
    from qgis.core import QgsApplication

    algorithm = QgsApplication.processingRegistry().algorithmById(
        "arcgisgp:bench__folder9_service9__task9"
    )
    parameters = len(algorithm.parameterDefinitions()) if algorithm else -1
    print(json.dumps({"ms": seconds * 1000, "algorithms": count, "parameters": parameters,
                      "connects": connects}))  # fmt: skip


def main() -> int:
    import tests.conftest  # noqa: F401
    from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
    from arcgis_gp.plugin.connections.connection import Connection
    from arcgis_gp.plugin.rest import GPClient
    from arcgis_gp.plugin.rest.catalog import crawl_catalog
    from tests.benchmarks.bench_catalog import services_yaml
    from tests.gpserver import GPServer

    app = qgis_app()  # noqa: F841  (CatalogCache lives in the QGIS layer)
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as tmp:
        folder = Path(tmp)
        with GPServer(port=0, services_yaml=services_yaml(folder / "services.yaml")) as server:
            connection = Connection(name="bench", url=server.services_url)
            with GPClient(server.services_url) as client:
                catalog = crawl_catalog(client)
            cache = CatalogCache(folder / "cache")
            cache.save(connection, catalog)
            size = cache.path_for(connection).stat().st_size
            figure("cache", f"{len(catalog.tasks)} tasks, {size / 1e6:.1f} MB of JSON")
            server.clear_requests()
            best, times = child_load_rounds(
                MODULE, ROUNDS, str(folder / "cache"), server.services_url
            )
            requests_seen = len(server.requests)
        figure(
            f"provider load (addProvider), best of {ROUNDS}",
            f"{best['ms']:7.1f} ms for {best['algorithms']} algorithms (target <= 100 ms)",
        )
        figure(f"provider load, median of {ROUNDS}", f"{statistics.median(times):7.1f} ms")
        figure("parameters of one algorithm after load", str(best["parameters"]))
        figure(
            "network during load",
            f"{best['connects']} socket connects, {requests_seen} requests at the server "
            "(target 0)",
        )
    return 0


if __name__ == "__main__":
    if sys.argv[1:2] == ["child"]:
        _child(*sys.argv[2:])
        sys.exit(0)
    sys.exit(main())
