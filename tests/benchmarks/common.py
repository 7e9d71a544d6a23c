"""Shared helpers of the benchmarks: a QGIS application, child processes with their peak
memory, the result FeatureSet of Bench/Big LargeOutput, and uniform figure lines."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]


def qgis_app(gui: bool = False):
    """A started QgsApplication (headless unless ``gui``)."""
    from qgis.core import QgsApplication

    app = QgsApplication([], gui)
    app.initQgis()
    return app


@dataclass
class ProviderLoad:
    """A provider added to Processing from the cache, and what it cost."""

    app: Any  # the QgsApplication: kept alive while the provider is read
    provider: Any
    seconds: float
    connects: int  # socket connects during the load: 0 means no network at start-up


def load_provider_from_cache(cache_dir: str, name: str, url: str) -> ProviderLoad:
    """In a fresh child: start QGIS and Processing, then add the provider for one
    connection whose catalog is in ``cache_dir``, timing that last step."""
    import socket

    connects = []
    real_connect = socket.socket.connect

    def counting_connect(self, address):  # any network I/O would pass here
        connects.append(address)
        return real_connect(self, address)

    socket.socket.connect = counting_connect  # type: ignore[method-assign]
    import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)

    app = qgis_app()
    from qgis.core import QgsApplication

    sys.path.append(str(Path(QgsApplication.pkgDataPath()) / "python" / "plugins"))
    from processing.core.Processing import Processing

    Processing.initialize()
    from arcgis_gp.plugin.connections.catalog_cache import CatalogCache
    from arcgis_gp.plugin.connections.connection import Connection
    from arcgis_gp.plugin.provider.provider import ArcGisGpProvider

    connection = Connection(name=name, url=url)
    start = time.perf_counter()
    provider = ArcGisGpProvider(
        cache=CatalogCache(Path(cache_dir)), connections=lambda: [connection]
    )
    QgsApplication.processingRegistry().addProvider(provider)
    return ProviderLoad(app, provider, time.perf_counter() - start, len(connects))


@dataclass
class ChildRun:
    """One child process: wall seconds, peak resident memory (MiB) and its output."""

    seconds: float
    peak_mib: float
    stdout: str
    returncode: int


def run_child(args: list[str], env: dict | None = None) -> ChildRun:
    """Run ``args`` alone and measure its wall time and peak resident memory.

    The child is started by a small launcher process (``measure`` below): on Linux a
    child's ``ru_maxrss`` includes the RSS of the process it was forked from, so a
    child forked straight from this (big) benchmark process would report our memory.
    """
    launcher = [sys.executable, "-S", str(Path(__file__)), "measure", *args]
    with subprocess.Popen(
        launcher, cwd=ROOT, env=env or os.environ.copy(), stdout=subprocess.PIPE, text=True
    ) as process:
        stdout = process.stdout.read() if process.stdout else ""
    lines = stdout.rstrip("\n").split("\n")
    _, seconds, peak_kib, returncode = lines[-1].split()
    if int(returncode):
        print(f"  ! {' '.join(args)} exited with {returncode}", file=sys.stderr)
    return ChildRun(float(seconds), int(peak_kib) / 1024.0, "\n".join(lines[:-1]), int(returncode))


def _measure(args: list[str]) -> int:
    """Launcher side of ``run_child``: run ``args``, then print ``MEASURE s kib rc``."""
    start = time.perf_counter()
    process = subprocess.Popen(args)
    _, status, usage = os.wait4(process.pid, 0)
    seconds = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    print(f"MEASURE {seconds:.4f} {usage.ru_maxrss} {code}", flush=True)
    return 0


def python_child(module: str, *args: str) -> list[str]:
    """The command line that runs ``module`` of this package in a fresh interpreter."""
    return [sys.executable, "-m", module, *args]


def figure(label: str, value: str) -> None:
    print(f"  {label:<58} {value}", flush=True)


def rate(label: str, count: int, seconds: float) -> float:
    per_second = count / seconds if seconds > 0 else float("inf")
    figure(label, f"{count:>8} in {seconds:6.2f} s = {per_second:>10,.0f} /s")
    return per_second


def large_output_feature_set(path: Path, count: int) -> Path:
    """The Output_Features of Bench/Big LargeOutput (``count`` polygons with Z, six
    fields incl. a Date) as a bare FeatureSet file, fetched over HTTP from a GP server
    started here: the shape a real result has, without the GP result wrapper (which
    GDAL's ESRIJSON driver would not read)."""
    import requests

    from tests.gpserver import GPServer

    with GPServer(port=0) as server:
        response = requests.post(
            server.task_url("Bench/Big", "LargeOutput") + "/execute",
            # returnZ: servers (and tests/gpserver) drop z values unless asked
            data={"Feature_Count": str(count), "returnZ": "true", "f": "json"},
            timeout=300,
        )
        response.raise_for_status()
        document = response.json()
    value = document["results"][0]["value"]
    with path.open("w", encoding="utf-8") as out:
        json.dump(value, out, separators=(",", ":"))
    return path


if __name__ == "__main__" and sys.argv[1:2] == ["measure"]:
    sys.exit(_measure(sys.argv[2:]))


def child_load_rounds(module: str, rounds: int, cache_dir: str, url: str) -> tuple[dict, list]:
    """Run ``module``'s ``child`` (a fresh QGIS loading the provider from the cache)
    ``rounds`` times: the fastest round's figures and every round's milliseconds.
    Raises RuntimeError when a child fails."""
    best: dict | None = None
    times = []
    for _ in range(rounds):
        run = run_child(python_child(module, "child", cache_dir, url))
        if run.returncode:
            tail = run.stdout[-2000:]
            raise RuntimeError(f"{module} child failed (exit {run.returncode}): {tail}")
        result = json.loads(run.stdout.strip().splitlines()[-1])
        times.append(result["ms"])
        if best is None or result["ms"] < best["ms"]:
            best = result
    assert best is not None
    return best, times
