"""Benchmark (target 5 of RESULTS.md): the overhead of a trivial asynchronous job.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_jobs``

AnalysisAsync Scalars (instant work) runs as a job on a GP server started here, ten
times each way:

* ``GPClient``: submitJob, ``wait_for_job`` (default poll policy), every result fetched;
* ``processing.run`` of the plugin's algorithm (encode, submit, wait, decode outputs).

Server time is the job's own life on the server (submitted -> ended). The figure is
client time / (server time + first poll interval), median of the runs. Target <= 1.2.
"""

from __future__ import annotations

import statistics
import sys
import tempfile
import time
from pathlib import Path

from tests.benchmarks.common import figure, qgis_app

RUNS = 10
INPUTS = {"Count": 3, "Factor": 1.5}


def main() -> int:
    import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)

    app = qgis_app()  # noqa: F841
    from qgis.core import QgsApplication

    sys.path.append(str(Path(QgsApplication.pkgDataPath()) / "python" / "plugins"))
    import processing
    from processing.core.Processing import Processing

    from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
    from arcgis_gp.plugin.connections.clients import forget_clients
    from arcgis_gp.plugin.connections.connection import Connection
    from arcgis_gp.plugin.provider.provider import ArcGisGpProvider
    from arcgis_gp.plugin.rest import GPClient, wait_for_job
    from arcgis_gp.plugin.rest.waiting import PollPolicy
    from tests.gpserver import GPServer

    Processing.initialize()
    first_poll = PollPolicy().first
    with tempfile.TemporaryDirectory(prefix="bench-jobs-") as tmp, GPServer(port=0) as server:
        task = "AnalysisAsync/GPServer/Scalars"

        def server_seconds() -> float:
            job = server.job(job_id)
            return job.ended_at - job.submitted_at

        ratios: dict[str, list[float]] = {"GPClient": [], "processing.run": []}
        details: dict[str, list[tuple[float, float]]] = {k: [] for k in ratios}
        with GPClient(server.services_url) as client:
            for _ in range(RUNS):
                start = time.perf_counter()
                job_id = client.submit_job(task, INPUTS).job_id
                final = wait_for_job(client, task, job_id)
                for name in final.results or {}:
                    client.job_result(task, job_id, name)
                seconds = time.perf_counter() - start
                details["GPClient"].append((seconds, server_seconds()))

        connection = Connection(name="bench", url=server.services_url)
        provider = ArcGisGpProvider(
            cache=CatalogCache(Path(tmp) / "cache"), connections=lambda: [connection]
        )
        QgsApplication.processingRegistry().addProvider(provider)
        provider.refresh_catalogs(blocking=True)
        for _ in range(RUNS):
            start = time.perf_counter()
            result = processing.run("arcgisgp:bench__analysisasync__scalars", dict(INPUTS))
            seconds = time.perf_counter() - start
            job_id = result["JOB_ID"]
            details["processing.run"].append((seconds, server_seconds()))
        QgsApplication.processingRegistry().removeProvider(provider)
        forget_clients()

    figure("first poll interval (PollPolicy.first)", f"{first_poll:.2f} s")
    for label, runs in details.items():
        ratios[label] = [client / (server_time + first_poll) for client, server_time in runs]
        figure(
            f"{label}: client time, server time (medians)",
            f"{statistics.median(c for c, _ in runs):.3f} s, "
            f"{statistics.median(s for _, s in runs):.3f} s",
        )
        figure(
            f"{label}: client / (server + first poll), median",
            f"{statistics.median(ratios[label]):.2f} (max {max(ratios[label]):.2f}; target <= 1.2)",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
