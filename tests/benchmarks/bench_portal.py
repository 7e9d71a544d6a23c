"""Benchmark (issue 19 item 2): a portal connection, cold crawl and start-up from the cache.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_portal``

The test server's portal with 100 shared GP service items (two search pages with the
portal's own items) and its full set of helper services (GP ones by service and by task
URL, and the NAServer, GeocodeServer, GeometryServer, printing and ImageServer helpers a
client must skip) is crawled cold through ``crawl_connection`` (the probe of
``sharing/rest/info``, ``portals/self``, every search page, every service and task), on
loopback and with 50 ms added to every request (a portal across the internet). Best of
three. The catalog is saved with ``CatalogCache``; a child process then starts QGIS and
Processing and times ``addProvider(ArcGisGpProvider(...))`` for the portal connection,
counting every ``socket.connect``; the server's request log must stay empty. Best (and
median) of five child runs. Target: within start-up's budget (100 ms for 1,000 tasks,
``bench_startup.py``), 0 connections.
"""

from __future__ import annotations

import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import (
    child_load_rounds,
    figure,
    load_provider_from_cache,
    qgis_app,
)

MODULE = "tests.benchmarks.bench_portal"
SHARED_ITEMS = 100
ROUNDS = 5
CRAWLS = 3
LATENCY_S = 0.05


def _child(cache_dir: str, url: str) -> None:
    """Start QGIS + Processing, then time the provider load; print ms, count, connects."""
    load = load_provider_from_cache(cache_dir, "portal", url)
    provider, seconds, connects = load.provider, load.seconds, load.connects
    groups = {algorithm.group() for algorithm in provider.algorithms()}
    print(json.dumps({"ms": seconds * 1000, "algorithms": len(provider.algorithms()),
                      "groups": len(groups), "connects": connects}))  # fmt: skip


def _crawl(server):
    """One cold crawl of the portal (new clients: no token, no connection kept)."""
    from arcgis_gp.plugin.rest import GPClient
    from arcgis_gp.plugin.rest.portal import crawl_connection

    clients: dict[str, GPClient] = {}

    def client_for(url: str) -> GPClient:
        root = url.split("/rest/services", 1)[0] + "/rest/services"
        return clients.setdefault(root, GPClient(root))

    start = time.perf_counter()
    with GPClient(server.portal_url) as portal:
        catalog = crawl_connection(portal, server.portal_url, client_for)
    seconds = time.perf_counter() - start
    for client in clients.values():
        client.close()
    return catalog, seconds


def main() -> int:
    import tests.conftest  # noqa: F401
    from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
    from arcgis_gp.plugin.connections.connection import Connection
    from tests.gpserver import GPServer

    app = qgis_app()  # noqa: F841  (CatalogCache lives in the QGIS layer)
    with tempfile.TemporaryDirectory(prefix="bench-portal-") as tmp:
        folder = Path(tmp)
        with GPServer(port=0) as server:
            server.enable_portal(shared_tools=SHARED_ITEMS)
            catalog, seconds = min((_crawl(server) for _ in range(CRAWLS)), key=lambda r: r[1])
            requests_made = len(server.requests) // CRAWLS
            figure(
                f"cold crawl on loopback, best of {CRAWLS}",
                f"{seconds:6.2f} s, {len(catalog.services)} services, {len(catalog.tasks)} "
                f"tasks, ~{requests_made} requests, {len(catalog.failures)} failures",
            )
            server.set_fault("latency", seconds=LATENCY_S)
            _, slow = min((_crawl(server) for _ in range(CRAWLS)), key=lambda r: r[1])
            server.clear_faults()
            figure(
                f"cold crawl, {LATENCY_S * 1000:.0f} ms per request, best of {CRAWLS}",
                f"{slow:6.2f} s",
            )
            connection = Connection(name="portal", url=server.portal_url)
            cache = CatalogCache(folder / "cache")
            cache.save(connection, catalog)
            size = cache.path_for(connection).stat().st_size
            figure("cache", f"{len(catalog.tasks)} tasks, {size / 1e6:.2f} MB of JSON")
            server.clear_requests()
            best, times = child_load_rounds(
                MODULE, ROUNDS, str(folder / "cache"), server.portal_url
            )
            requests_seen = len(server.requests)
        figure(
            f"provider load (addProvider), best of {ROUNDS}",
            f"{best['ms']:7.1f} ms for {best['algorithms']} algorithms in {best['groups']} "
            "groups (budget: 100 ms per 1,000)",
        )
        figure(f"provider load, median of {ROUNDS}", f"{statistics.median(times):7.1f} ms")
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
