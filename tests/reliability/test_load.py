"""Load: 50 asynchronous jobs over 5 connections at once, each with its own right outputs.

Every run is one algorithm instance run in its own worker thread (as Processing's
background tasks do), all started together. Each job gets inputs no other job has, so any
mix-up of job ids, results or files between runs shows in its outputs; the server's job
registry confirms which inputs each returned job id really received.
"""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import pytest
from qgis.core import QgsApplication, QgsProcessingContext, QgsVectorLayer

from arcgis_gp.plugin.connections.clients import client_for, forget_clients
from arcgis_gp.plugin.connections.connection import connections_from_file

from .conftest import RecordingFeedback, connection_yaml, fast_retries, make_provider

pytestmark = pytest.mark.timeout(240)

CONNECTIONS = [f"load{i}" for i in range(5)]
JOBS = 50


@pytest.fixture
def load_provider(qgis_processing, gpserver, tmp_path: Path):
    path = tmp_path / "connections.yaml"
    path.write_text(
        "connections:\n"
        + "".join(connection_yaml(n, gpserver.services_url, timeout=30) for n in CONNECTIONS),
        encoding="utf-8",
    )
    provider = make_provider(qgis_processing, path, tmp_path / "catalogs")
    fast_retries(connections_from_file(path))
    yield provider, connections_from_file(path)
    QgsApplication.processingRegistry().removeProvider(provider)
    forget_clients()


def _point_file(folder: Path, label: str, x: float) -> Path:
    path = folder / f"{label}.geojson"
    path.write_text(
        json.dumps(
            {
                "type": "FeatureCollection",
                "features": [
                    {
                        "type": "Feature",
                        "properties": {"label": label},
                        "geometry": {"type": "Point", "coordinates": [x, 47.0]},
                    }
                ],
            }
        ),
        encoding="utf-8",
    )
    return path


def _plan(tmp_path: Path) -> list[dict[str, Any]]:
    """50 runs: even ones Scalars, odd ones Buffer; 10 per connection."""
    runs = []
    for i in range(JOBS):
        connection = CONNECTIONS[i % len(CONNECTIONS)]
        if i % 2 == 0:
            runs.append({
                "i": i,
                "algorithm": f"arcgisgp:{connection}__analysisasync__scalars",
                "params": {"Count": i + 1, "Factor": 1.0 + i / 100},
            })  # fmt: skip
        else:
            label = f"job-{i:02d}"
            runs.append({
                "i": i,
                "label": label,
                "algorithm": f"arcgisgp:{connection}__analysisasync__buffer",
                "params": {
                    "Input_Features": str(_point_file(tmp_path, label, 6.0 + i / 100)),
                    "Distance": 10 + i,
                    "Distance_units": "esriMeters",
                    "Output_Polygons": str(tmp_path / f"{label}.gpkg"),
                    "ADD_RESULT_MAP_LAYER": False,
                },
            })  # fmt: skip
    return runs


def test_fifty_jobs_over_five_connections_at_once(load_provider, leak_guard, gpserver, tmp_path):
    runs = _plan(tmp_path)
    registry = QgsApplication.processingRegistry()
    prepared = []
    for run in runs:  # instances and contexts are made on the main thread, as Processing does
        algorithm = registry.createAlgorithmById(run["algorithm"])
        assert algorithm is not None, run["algorithm"]
        context = QgsProcessingContext()
        prepared.append((run, algorithm, context, RecordingFeedback()))
    start = threading.Barrier(len(prepared))

    def execute(item):
        run, algorithm, context, feedback = item
        start.wait(60)  # all 50 go at once
        results, ok = algorithm.run(run["params"], context, feedback)
        return run, results, ok, feedback

    with ThreadPoolExecutor(max_workers=len(prepared), thread_name_prefix="load") as pool:
        outcomes = list(pool.map(execute, prepared))

    job_ids = []
    for run, results, ok, feedback in outcomes:
        assert ok, (run["algorithm"], feedback.errors)
        job_id = results["JOB_ID"]
        job_ids.append(job_id)
        server_job = gpserver.job(job_id)
        assert server_job is not None
        if "label" not in run:
            count, factor = run["params"]["Count"], run["params"]["Factor"]
            assert server_job.inputs["Count"] == count  # the job id belongs to this run
            assert results["Output_Long"] == 2 * count
            assert results["Output_Double"] == pytest.approx(count * factor)
        else:
            layer = QgsVectorLayer(results["Output_Polygons"], "out", "ogr")
            assert layer.isValid()
            assert [f["label"] for f in layer.getFeatures()] == [run["label"]]
            assert [f["BUFF_DIST"] for f in layer.getFeatures()] == [run["params"]["Distance"]]
    assert len(set(job_ids)) == JOBS
    # Every connection carried its share, over its own pooled session.
    sessions = {id(client_for(c).transport.session) for c in load_provider[1]}
    assert len(sessions) == len(CONNECTIONS)
    assert len(gpserver.requests_to(r"/submitJob$")) == JOBS
