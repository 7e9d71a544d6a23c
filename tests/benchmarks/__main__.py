"""`make bench`: run every benchmark module (``bench_*.py``) here, each in its own process.

A benchmark starts its own QgsApplication and prints its figures (ratios measured side
by side in the same run where a target is relative). The figures and the command are
recorded in tests/benchmarks/RESULTS.md. Not run by `make test`.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent


def main() -> int:
    env = {**os.environ, "QT_QPA_PLATFORM": os.environ.get("QT_QPA_PLATFORM", "offscreen")}
    failed = []
    for module_path in sorted(HERE.glob("bench_*.py")):
        name = f"tests.benchmarks.{module_path.stem}"
        print(f"\n=== {name}", flush=True)
        if subprocess.run([sys.executable, "-m", name], cwd=ROOT, env=env, check=False).returncode:
            failed.append(name)
    if failed:
        print(f"\nfailed: {', '.join(failed)}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
