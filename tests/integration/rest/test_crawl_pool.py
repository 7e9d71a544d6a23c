"""The crawl's concurrency follows the client's connection pool ($ARCGIS_GP_MAX_CONNECTIONS)."""

from __future__ import annotations

import threading

import pytest

from arcgis_gp.plugin.rest import GPClient, crawl_catalog
from arcgis_gp.plugin.rest.sessions import POOL_SIZE_VARIABLE


@pytest.mark.parametrize("connections", [1, 3])
def test_crawl_uses_one_worker_per_pooled_connection(gpserver, monkeypatch, connections):
    monkeypatch.setenv(POOL_SIZE_VARIABLE, str(connections))
    gpserver.set_fault("latency", seconds=0.02)  # requests overlap when they can
    threads: set[str] = set()
    with GPClient(gpserver.services_url, timeout=15) as client:
        assert client.transport.pool_size == connections
        catalog = crawl_catalog(
            client, on_progress=lambda *_: threads.add(threading.current_thread().name)
        )
    # only the secured folder, which an anonymous listing may not read (499)
    assert [(f.path, "499" in f.message) for f in catalog.failures] == [("Secure", True)]
    assert catalog.task("Analysis", "Buffer").name == "Buffer"
    crawl_threads = {name for name in threads if name.startswith("gp-crawl")}
    assert len(crawl_threads) == connections
