"""Benchmark (target 2 of RESULTS.md): crawl 100 GP services x 10 tasks at 50 ms per request.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_catalog``

A GP server (tests/gpserver) runs in a child process with a generated services file:
10 folders x 10 GP services x 10 tasks (1,111 requests per crawl: the root, the
folders, the services and the tasks), and a ``latency`` fault of 50 ms on every request
(``time.sleep`` in the request's own thread: no CPU held, requests served concurrently).
``crawl_catalog`` reads it through the client the plugin makes (``plugin/connections/clients.py``:
QGIS's proxy settings, the connection pool of ``plugin/rest/transport.py``, 48
connections unless ``$ARCGIS_GP_MAX_CONNECTIONS`` says otherwise), with its default
pool (one worker per connection), with 32 (the default before) and 64 connections, sequentially
(``max_workers=1``, once: ~60 s), and without latency (what server and client cost in
CPU here).

Two server fronts: werkzeug's development server (``python -m tests.gpserver``), which
closes the connection after every answer, and ``keepalive_server.py`` (the same app
with HTTP/1.1 keep-alive, as ArcGIS Server has): on 2 shared cores the former's TCP
connect and thread per request take CPU the client needs.
Target: the default crawl in <= 2 s; the ratio to sequential is printed.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.request import Request, urlopen

from tests.benchmarks.common import ROOT, figure

FOLDERS, SERVICES_PER_FOLDER, TASKS_PER_SERVICE = 10, 10, 10
LATENCY = 0.05


def services_yaml(path: Path) -> Path:
    """Tasks with the parameters of a typical description (inputs of several types)."""
    lines = ["tasks:"]
    for t in range(TASKS_PER_SERVICE):
        lines += [
            f"  Task{t}:",
            "    implementation: echo",
            f"    displayName: Task number {t}",
            "    description: A task of the catalog benchmark.",
            "    parameters:",
            "      - {name: Text, dataType: GPString, defaultValue: hello}",
            "      - {name: Delay, dataType: GPDouble, defaultValue: 0, parameterType: Optional}",
            "      - {name: Count, dataType: GPLong, defaultValue: 3}",
            "      - {name: Flag, dataType: GPBoolean, defaultValue: true}",
            "      - {name: Output_Text, dataType: GPString, direction: Output}",
        ]
    lines.append("services:")
    tasks = ", ".join(f"Task{t}" for t in range(TASKS_PER_SERVICE))
    for f in range(FOLDERS):
        for s in range(SERVICES_PER_FOLDER):
            lines += [
                f"  - path: Folder{f}/Service{s}",
                "    executionType: Asynchronous",
                f"    tasks: [{tasks}]",
            ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def _post_json(url: str, body: dict) -> None:
    request = Request(
        url, json.dumps(body).encode(), {"Content-Type": "application/json"}, method="POST"
    )
    with urlopen(request, timeout=10) as response:
        response.read()


def _client(services_url: str, connections: int | None):
    """The plugin's own client for a connection to ``services_url``; ``connections``
    sets ``$ARCGIS_GP_MAX_CONNECTIONS`` (the documented knob) while it is made."""
    from arcgis_gp.plugin.connections.clients import new_client
    from arcgis_gp.plugin.connections.connection import Connection
    from arcgis_gp.plugin.rest.sessions import POOL_SIZE_VARIABLE

    saved = os.environ.get(POOL_SIZE_VARIABLE)
    if connections is not None:
        os.environ[POOL_SIZE_VARIABLE] = str(connections)
    try:
        return new_client(Connection(name="bench", url=services_url))
    finally:
        if saved is None:
            os.environ.pop(POOL_SIZE_VARIABLE, None)
        else:
            os.environ[POOL_SIZE_VARIABLE] = saved


def _start_server(module: str, config: Path) -> tuple[subprocess.Popen, str]:
    server = subprocess.Popen(
        [sys.executable, "-m", module, "--port", "0", "--services", str(config)],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    line = server.stdout.readline() if server.stdout else ""
    return server, line.split()[3]  # "GP server at <url> (Ctrl+C to stop)"


def _stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    server.wait(timeout=30)
    if server.stdout:
        server.stdout.close()


#: (server front, label, connections (None: default), workers (None: = connections), latency)
RUNS = (
    ("werkzeug", "default pool", None, None, LATENCY),
    ("werkzeug", "64 connections", 64, None, LATENCY),
    ("werkzeug", "sequential", None, 1, LATENCY),
    ("werkzeug", "default pool, no latency (CPU floor)", None, None, 0.0),
    ("keep-alive", "default pool", None, None, LATENCY),
    ("keep-alive", "32 connections", 32, None, LATENCY),
    ("keep-alive", "64 connections", 64, None, LATENCY),
    ("keep-alive", "default pool, no latency (CPU floor)", None, None, 0.0),
)
SERVERS = {"werkzeug": "tests.gpserver", "keep-alive": "tests.benchmarks.keepalive_server"}


def main() -> int:
    import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)
    from arcgis_gp.plugin.rest.catalog import crawl_catalog
    from tests.benchmarks.common import qgis_app

    app = qgis_app()  # noqa: F841  (the plugin's client reads QGIS's network settings)
    expected_tasks = FOLDERS * SERVICES_PER_FOLDER * TASKS_PER_SERVICE
    figure(
        "server",
        f"{FOLDERS} folders x {SERVICES_PER_FOLDER} services x {TASKS_PER_SERVICE} "
        f"tasks, {LATENCY * 1000:.0f} ms per request",
    )
    timings = {}
    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as tmp:
        config = services_yaml(Path(tmp) / "services.yaml")
        for front, module in SERVERS.items():
            server, services_url = _start_server(module, config)
            root = services_url.split("/arcgis/")[0]
            try:
                for run_front, label, connections, workers, latency in RUNS:
                    if run_front != front:
                        continue
                    _post_json(root + "/admin/faults/clear", {})
                    if latency:
                        _post_json(root + "/admin/faults", {"kind": "latency", "seconds": latency})
                    with _client(services_url, connections) as client:
                        kwargs = {} if workers is None else {"max_workers": workers}
                        pool = client.transport.pool_size
                        start = time.perf_counter()
                        catalog = crawl_catalog(client, **kwargs)
                        seconds = timings[front, label] = time.perf_counter() - start
                    if len(catalog.tasks) != expected_tasks or catalog.failures:
                        print(f"  ! {len(catalog.tasks)} tasks, {len(catalog.failures)} failures")
                        return 1
                    figure(
                        f"{front}: {label} ({workers or pool} workers, {pool} conn.)",
                        f"{seconds:6.2f} s for {len(catalog.tasks)} tasks",
                    )
            finally:
                _stop_server(server)
    sequential = timings["werkzeug", "sequential"]
    for front in SERVERS:
        default = timings[front, "default pool"]
        figure(
            f"{front}: default / sequential (werkzeug)",
            f"{default / sequential:.3f} ({sequential / default:.1f}x faster; "
            f"{default:.2f} s, target <= 2 s: {'met' if default <= 2.0 else 'NOT met'})",
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
