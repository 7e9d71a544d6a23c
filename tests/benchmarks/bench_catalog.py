"""Benchmark (issue 10, target 2): crawl 100 GP services x 10 tasks at 50 ms per request.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_catalog``

A GP server (tests/gpserver) runs in a child process with a generated services file:
10 folders x 10 GP services x 10 tasks (1,111 requests per crawl: the root, the
folders, the services and the tasks), and a ``latency`` fault of 50 ms on every request.
``crawl_catalog`` then reads it sequentially (``max_workers=1``) and with its default
pool, through a ``GPClient`` made as the plugin makes it (16 pooled connections); then,
for the record, 64 workers over 64 connections, and the default crawl without latency
(what the server and client cost in CPU on this machine).
Target: the default crawl in <= 2 s; the ratio to sequential is printed.
"""

from __future__ import annotations

import json
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


def _session(pool: int | None):
    """None (the client's own session, as the plugin has it) or one with ``pool``
    connections, to show what a bigger pool would give."""
    if pool is None:
        return None
    import requests
    from requests.adapters import HTTPAdapter

    session = requests.Session()
    session.mount("http://", HTTPAdapter(pool_connections=4, pool_maxsize=pool))
    return session


def main() -> int:
    import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)
    from arcgis_gp.plugin.rest import GPClient
    from arcgis_gp.plugin.rest.catalog import crawl_catalog

    expected_tasks = FOLDERS * SERVICES_PER_FOLDER * TASKS_PER_SERVICE
    with tempfile.TemporaryDirectory(prefix="bench-catalog-") as tmp:
        config = services_yaml(Path(tmp) / "services.yaml")
        server = subprocess.Popen(
            [sys.executable, "-m", "tests.gpserver", "--port", "0", "--services", str(config)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        try:
            line = server.stdout.readline() if server.stdout else ""
            services_url = line.split()[3]  # "GP server at <url> (Ctrl+C to stop)"
            root = services_url.split("/arcgis/")[0]
            _post_json(root + "/admin/faults", {"kind": "latency", "seconds": LATENCY})
            figure(
                "server",
                f"{FOLDERS} folders x {SERVICES_PER_FOLDER} services x {TASKS_PER_SERVICE} "
                f"tasks, {LATENCY * 1000:.0f} ms per request",
            )
            timings = {}
            runs = (
                ("default pool", None, None),
                ("64 workers, 64 pooled connections", 64, 64),
                ("sequential", 1, None),
                ("default pool, no latency (CPU floor)", None, None),
            )
            for label, workers, pool in runs:
                if label.endswith("(CPU floor)"):
                    _post_json(root + "/admin/faults/clear", {})
                with GPClient(services_url, session=_session(pool)) as client:
                    kwargs = {} if workers is None else {"max_workers": workers}
                    start = time.perf_counter()
                    catalog = crawl_catalog(client, **kwargs)
                    seconds = timings[label] = time.perf_counter() - start
                if len(catalog.tasks) != expected_tasks or catalog.failures:
                    print(f"  ! {len(catalog.tasks)} tasks, {len(catalog.failures)} failures")
                    return 1
                figure(f"crawl, {label}", f"{seconds:6.2f} s for {len(catalog.tasks)} tasks")
            figure(
                "ratio default / sequential",
                f"{timings['default pool'] / timings['sequential']:.3f} "
                f"({timings['sequential'] / timings['default pool']:.1f}x faster; target <= 2 s)",
            )
        finally:
            server.terminate()
            server.wait(timeout=30)
            if server.stdout:
                server.stdout.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
