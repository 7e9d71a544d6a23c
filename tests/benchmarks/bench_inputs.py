"""Benchmark (target 4 of RESULTS.md): a 100,000-polygon layer into the request body.

Run: ``QT_QPA_PLATFORM=offscreen .venv/bin/python -m tests.benchmarks.bench_inputs``

The layer of bench_featureset (memory layer, 4 fields, half the polygons with a hole)
goes the way a feature input goes: ``write_feature_set`` into a temporary file, then
the form body (``FormBody``) is read in 8 KiB blocks, as http.client sends it. Two body
routes side by side:

* before (bodies read whole into memory): ``RawJson(path.read_bytes())`` (the whole body in memory)
  percent-encoded with ``urllib.parse.quote_from_bytes``;
* now: ``RawJsonFile(path)``, read from the file block by block, encoded with
  ``quote_block``.

Prints features per second for the encoding, for each body route and end to end, and
the Python peak memory (tracemalloc) of each body route against the body's size.
Target: >= 100,000 features/s end to end, the body never held twice in memory.
"""

from __future__ import annotations

import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from urllib.parse import quote_from_bytes

from tests.benchmarks.common import figure, qgis_app, rate

N = 100_000
HTTP_BLOCK = 8192


class _BeforeBody:
    """The body route before streamed values, kept here to measure against."""

    def __init__(self, raw: bytes) -> None:
        self.raw, self.pos = raw, 0

    def read(self, size: int) -> bytes:
        chunk = self.raw[self.pos : self.pos + max(size // 3, 1)]
        self.pos += len(chunk)
        return quote_from_bytes(chunk, safe="").encode("ascii")


def _drain(body) -> int:
    total = 0
    while piece := body.read(HTTP_BLOCK):
        total += len(piece)
    return total


def main() -> int:
    import tests.conftest  # noqa: F401  (exposes the plugin as arcgis_gp)

    app = qgis_app()  # noqa: F841
    from arcgis_gp.plugin.gptypes.featureset import write_feature_set
    from arcgis_gp.plugin.rest.encoding import FormBody, RawJsonFile
    from tests.benchmarks.bench_featureset import _layer

    layer = _layer(N)
    with tempfile.TemporaryDirectory(prefix="bench-inputs-") as tmp:
        path = Path(tmp) / "input.json"
        start = time.perf_counter()
        with path.open("wb") as out:
            write_feature_set(layer, out)
        encode = time.perf_counter() - start
        rate("write_feature_set -> file", N, encode)
        size = path.stat().st_size
        figure("FeatureSet file", f"{size / 1e6:.1f} MB")

        tracemalloc.start()
        start = time.perf_counter()
        before = _BeforeBody(path.read_bytes())
        sent_before = _drain(before)
        before_seconds = time.perf_counter() - start
        before_peak = tracemalloc.get_traced_memory()[1]
        del before
        tracemalloc.reset_peak()
        start = time.perf_counter()
        body = FormBody([("Input_Features", RawJsonFile(path)), ("f", "json")])
        sent_now = _drain(body)
        now_seconds = time.perf_counter() - start
        now_peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        if sent_now != len(body) or sent_now < sent_before:
            print(f"  ! body length {sent_now} != {len(body)}")
            return 1
        figure(
            "body before: read_bytes + quote_from_bytes",
            f"{before_seconds:6.2f} s, peak {before_peak / 1e6:6.1f} MB",
        )
        figure(
            "body now: RawJsonFile + quote_block",
            f"{now_seconds:6.2f} s, peak {now_peak / 1e6:6.1f} MB",
        )
        figure("body speed-up", f"{before_seconds / now_seconds:.1f}x")
        rate("end to end before (encode + body)", N, encode + before_seconds)
        rate("end to end now (encode + body), target 100,000/s", N, encode + now_seconds)
    return 0


if __name__ == "__main__":
    sys.exit(main())
