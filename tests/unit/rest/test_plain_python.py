"""The REST layer is plain Python: importing it loads neither QGIS nor Qt."""

from __future__ import annotations

import subprocess
import sys

from tests.conftest import ROOT

PROBE = """
import sys
sys.path.insert(0, {pkg!r})
import arcgis_gp.plugin.rest as rest
loaded = sorted(m for m in sys.modules if m.split('.')[0] in ('qgis', 'PyQt5', 'PyQt6', 'sip'))
print(repr(loaded))
print(len(rest.__all__))
"""


def test_rest_imports_no_qgis():
    out = subprocess.run(
        [sys.executable, "-c", PROBE.format(pkg=str(ROOT / ".pytest_pkg"))],
        capture_output=True,
        text=True,
        check=True,
        timeout=60,
    ).stdout.split("\n")
    assert out[0] == "[]"
    assert int(out[1]) > 40


def test_every_module_uses_postponed_annotations():
    for path in (ROOT / "plugin" / "rest").glob("*.py"):
        assert "from __future__ import annotations" in path.read_text(encoding="utf-8"), path
