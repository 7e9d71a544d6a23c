"""The fault matrix: every server fault, through processing.run, against tests/gpserver.

Each case switches faults on (``gpserver.set_fault``), runs a real algorithm and checks
that the run either recovers (a transient fault on a request that may be repeated) and
gives the right output, or fails with a message that names the cause -- never a hang,
never an output reported when the run did not complete, never a thread or an
``arcgis_gp_*`` temporary folder left behind (``leak_guard``). tests/RELIABILITY.md
lists the cases.
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import processing
import pytest
from qgis.core import QgsProcessingException, QgsVectorLayer

from arcgis_gp.plugin.connections.clients import client_for
from arcgis_gp.plugin.connections.connection import connections_from_file

from .conftest import JOB_TIMEOUT, REQUEST_TIMEOUT

pytestmark = pytest.mark.timeout(90)

STATUS = r"/GPServer/Buffer/jobs/[^/]+$"
RESULTS = r"/GPServer/Buffer/jobs/[^/]+/results/"
MAP_SERVICE = r"/MapServer/jobs/[^/]+$"
MAP_QUERY = r"/MapServer/jobs/[^/]+/\d+/query$"


@dataclass(frozen=True)
class Fault:
    kind: str
    path: str
    params: dict[str, Any] = field(default_factory=dict)


@dataclass(frozen=True)
class Case:
    """One row of the matrix: a run, the faults, and the error expected (None: success)."""

    run: str
    faults: tuple[Fault, ...]
    error: str | None = None
    #: Regex of the request path that must have been sent exactly ``sent`` times.
    counted: str | None = None
    sent: int | None = None
    #: Regex a warning in the feedback must match (a success that is not the whole story).
    warning: str | None = None


def _f(kind: str, path: str, **params: Any) -> Fault:
    return Fault(kind, path, params)


CASES: dict[str, Case] = {}
for status in (500, 502, 503):
    CASES |= {
        # Requests that may start work are never repeated: one attempt, a clear error.
        f"execute-http{status}": Case(
            "sync", (_f("http_error", r"/execute$", status=status),),
            rf"HTTP {status}.*execute", r"/execute$", 1,
        ),
        f"submitJob-http{status}": Case(
            "async", (_f("http_error", r"/submitJob$", status=status),),
            rf"HTTP {status}.*submitJob", r"/submitJob$", 1,
        ),
        # Reads are repeated: a short outage is absorbed ...
        f"status-http{status}-transient": Case(
            "async", (_f("http_error", STATUS, status=status, count=2),)
        ),
        f"results-http{status}-transient": Case(
            "async", (_f("http_error", RESULTS, status=status, count=2),)
        ),
        # ... a lasting one ends the run, after a bounded number of attempts.
        f"status-http{status}-lasting": Case(
            "async", (_f("http_error", STATUS, status=status),), rf"HTTP {status}"
        ),
        f"results-http{status}-lasting": Case(
            "async", (_f("http_error", RESULTS, status=status),), rf"HTTP {status}.*results",
            RESULTS, 4,
        ),
    }  # fmt: skip
CASES |= {
    "upload-http500": Case(
        "upload", (_f("http_error", r"/uploads/upload$", status=500),),
        r"HTTP 500.*uploads/upload", r"/uploads/upload$", 1,
    ),
    "download-http502-transient": Case(
        "download", (_f("http_error", r"/rest/directories/", status=502, count=1),)
    ),
    "download-http503-lasting": Case(
        "download", (_f("http_error", r"/rest/directories/", status=503),),
        r"HTTP 503.*directories",
    ),
    "map-service-http500-lasting": Case(
        "async_map", (_f("http_error", MAP_SERVICE, status=500),),
        warning=r"result map service could not be added.*HTTP 500",
    ),
    "map-paging-http500-lasting": Case(
        "transfer_limit_async", (_f("http_error", MAP_QUERY, status=500),), r"HTTP 500.*query",
    ),
    # Dropped connections.
    "execute-dropped": Case(
        "sync", (_f("drop_connection", r"/execute$"),), r"not repeated", r"/execute$", 1
    ),
    "execute-dropped-content-length": Case(
        "sync", (_f("drop_connection", r"/execute$", mode="content_length"),),
        r"dropped.*not repeated", r"/execute$", 1,
    ),
    "submitJob-dropped": Case(
        "async", (_f("drop_connection", r"/submitJob$"),), r"not repeated", r"/submitJob$", 1
    ),
    "status-dropped-transient": Case("async", (_f("drop_connection", STATUS, count=2),)),
    "results-dropped-transient": Case(
        "async", (_f("drop_connection", RESULTS, count=1, mode="content_length"),)
    ),
    "results-dropped-lasting": Case(
        "async", (_f("drop_connection", RESULTS, fraction=0.3),), r"connection|dropped", RESULTS, 4
    ),
    # Broken JSON and HTML pages with HTTP 200.
    "execute-truncated": Case(
        "sync", (_f("truncated_json", r"/execute$"),), r"invalid or truncated"
    ),
    "execute-malformed": Case(
        "sync", (_f("malformed_json", r"/execute$"),), r"invalid or truncated"
    ),
    "execute-html200": Case("sync", (_f("html_error", r"/execute$"),), r"HTML page"),
    "submitJob-html200": Case("async", (_f("html_error", r"/submitJob$"),), r"HTML page"),
    "status-truncated-transient": Case("async", (_f("truncated_json", STATUS, count=1),)),
    "status-html200-transient": Case("async", (_f("html_error", STATUS, count=1),)),
    "status-malformed-lasting": Case(
        "async", (_f("malformed_json", STATUS),), r"invalid or truncated"
    ),
    "results-truncated": Case("async", (_f("truncated_json", RESULTS),), r"invalid or truncated"),
    "results-malformed": Case("async", (_f("malformed_json", RESULTS),), r"invalid or truncated"),
    "results-html200": Case("async", (_f("html_error", RESULTS),), r"HTML page"),
    # Latency past the client's timeout.
    "execute-latency": Case(
        "sync", (_f("latency", r"/execute$", seconds=REQUEST_TIMEOUT + 3),),
        rf"Timed out.*no answer within {REQUEST_TIMEOUT}(\.0)? s",
    ),
    "status-latency-transient": Case(
        "async", (_f("latency", STATUS, seconds=REQUEST_TIMEOUT + 2, count=1),)
    ),
    "results-latency": Case(
        "async", (_f("latency", RESULTS, seconds=REQUEST_TIMEOUT + 3),),
        rf"Timed out.*no answer within {REQUEST_TIMEOUT}(\.0)? s",
    ),
    # Jobs that do not succeed.
    "job-never-ends": Case(
        "async", (_f("never_ending_job", r"/GPServer/Buffer$"),),
        rf"did not finish within {JOB_TIMEOUT} s.*asked to cancel",
    ),
    "job-failed": Case("failing", (), r"job failed.*Simulated failure"),
    "job-timed-out": Case("timeout", (), r"timed out on the server"),
    # Outputs cut at the transfer limit: the rest comes from the result map service, or a
    # warning says how many features came and why not all.
    "transfer-limit-sync": Case(
        "transfer_limit_sync", (), warning=r"only 1000 feature.*transfer limit"
    ),
    "transfer-limit-async": Case(
        "transfer_limit_async", (), warning=r"all 1500 feature.*page by page"
    ),
    "job-expired-before-results": Case(
        "async", (_f("expire_job", RESULTS),), r"no longer knows.*does not exist"
    ),
}  # fmt: skip


def _layer(path: Path) -> QgsVectorLayer:
    layer = QgsVectorLayer(str(path), "out", "ogr")
    assert layer.isValid(), path
    return layer


class Runs:
    """The algorithms the matrix runs, each with its inputs and its check of a success."""

    def __init__(self, tmp_path: Path, three_points: Any) -> None:
        self.tmp = tmp_path
        self.points = three_points
        self.output = tmp_path / "out" / "result.gpkg"
        self.output.parent.mkdir()

    def params(self, run: str) -> tuple[str, dict[str, Any]]:
        buffer = {
            "Input_Features": self.points,
            "Distance": 1,
            "Distance_units": "esriKilometers",
            "Output_Polygons": str(self.output),
        }
        if run == "sync":
            return "rel__analysis__buffer", buffer
        if run == "async":
            return "rel__analysisasync__buffer", {**buffer, "ADD_RESULT_MAP_LAYER": False}
        if run == "async_map":
            return "rel__analysisasync__buffer", {**buffer, "ADD_RESULT_MAP_LAYER": True}
        if run == "transfer_limit_sync":
            return "rel__analysis__largeoutput", {
                "Feature_Count": 1500,
                "Output_Features": str(self.output),
            }
        if run == "transfer_limit_async":
            return "rel__analysisasync__largeoutput", {
                "Feature_Count": 1500,
                "Output_Features": str(self.output),
                "ADD_RESULT_MAP_LAYER": False,
            }
        if run == "upload":
            document = self.tmp / "notes.csv"
            document.write_text("a,b\n1,2\n", encoding="utf-8")
            return "rel__analysisasync__alltypes", {
                "In_File": str(document),
                "In_String_echo": str(self.output.with_suffix(".txt")),
                "ADD_RESULT_MAP_LAYER": False,
            }
        if run == "download":
            self.output = self.output.with_suffix(".csv")
            return "rel__elevation_viewshed__report", {
                "Input_Features": self.points,
                "Report_Format": "CSV",
                "Output_Report": str(self.output),
                "ADD_RESULT_MAP_LAYER": False,
            }
        if run == "failing":
            return "rel__elevation_viewshed__failingtask", {"ADD_RESULT_MAP_LAYER": False}
        if run == "timeout":
            return "rel__elevation_viewshed__timeouttask", {"ADD_RESULT_MAP_LAYER": False}
        raise AssertionError(run)

    def check_success(self, run: str, result: dict[str, Any]) -> None:
        if run in ("sync", "async", "async_map"):
            assert Path(result["Output_Polygons"]) == self.output
            layer = _layer(self.output)
            assert sorted(f["name"] for f in layer.getFeatures()) == ["Bern", "Biel", "Thun"]
        elif run == "download":
            assert "Bern" in self.output.read_text(encoding="utf-8")
        elif run == "transfer_limit_sync":
            assert _layer(self.output).featureCount() == 1000  # maximumRecords
        elif run == "transfer_limit_async":
            layer = _layer(self.output)
            assert layer.featureCount() == 1500
            names = [f["NAME"] for f in layer.getFeatures()]
            assert sorted(names) == sorted(f"Feature {i}" for i in range(1, 1501))
        else:
            raise AssertionError(run)

    def nothing_written(self) -> bool:
        return not any(self.output.parent.iterdir())


def _start(gpserver, case: Case) -> list[Any]:
    return [gpserver.set_fault(f.kind, path=f.path, **f.params) for f in case.faults]


@pytest.mark.parametrize("case_id", list(CASES))
def test_fault(case_id, rel_provider, leak_guard, gpserver, feedback, tmp_path, three_points):
    case = CASES[case_id]
    runs = Runs(tmp_path, three_points)
    algorithm, params = runs.params(case.run)
    faults = _start(gpserver, case)
    if case.error is None:
        result = processing.run(f"arcgisgp:{algorithm}", params, feedback=feedback)
        runs.check_success(case.run, result)
        assert all(f.applied for f in faults), "a fault never applied: the case tests nothing"
        if case.warning is not None:
            assert any(_matches(case.warning, w) for w in feedback.warnings), feedback.warnings
    else:
        with pytest.raises(QgsProcessingException) as raised:
            processing.run(f"arcgisgp:{algorithm}", params, feedback=feedback)
        message = str(raised.value)
        assert _matches(case.error, message), message
        assert runs.nothing_written(), list(runs.output.parent.iterdir())
    if case.counted is not None:
        assert len(gpserver.requests_to(case.counted)) == case.sent


@pytest.mark.parametrize(
    ("run", "starts_work"), [("sync", r"/execute$"), ("async", r"/submitJob$")]
)
def test_server_down_at_the_start_then_back(
    run,
    starts_work,
    rel_provider,
    rel_connections,
    leak_guard,
    gpserver,
    feedback,
    tmp_path,
    three_points,
):
    """Connections refused (a server restarting) when the run starts, back 0.3 s later:
    the request that starts work is sent again, since the server cannot have seen it,
    and the run succeeds with one job made."""
    runs = Runs(tmp_path, three_points)
    algorithm, params = runs.params(run)
    for connection in connections_from_file(rel_connections):
        client_for(connection).transport.retry_backoff = 0.2  # pauses 0.2, 0.4, 0.8 s
    gpserver.stop()
    restart = threading.Timer(0.3, gpserver.start)
    restart.start()
    try:
        result = processing.run(f"arcgisgp:{algorithm}", params, feedback=feedback)
    finally:
        restart.join()
        gpserver.start()
    runs.check_success(run, result)
    assert len(gpserver.requests_to(starts_work)) == 1


def _matches(pattern: str, text: str) -> bool:
    return re.search(pattern, text, re.IGNORECASE | re.DOTALL) is not None
