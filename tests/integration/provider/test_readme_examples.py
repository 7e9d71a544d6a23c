"""The README's Python examples run as written, against the bundled server.

Each ```python block of README.md runs in a folder holding the files the examples name
(``points.gpkg``, the example model), with the connection ``demo`` the README uses.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path

import pytest
from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter

from tests.conftest import ROOT

README = ROOT / "README.md"
MODEL = Path("tests/data/models/gp_buffer_dissolve_summary.model3")


def _python_blocks() -> list[str]:
    return re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL)


def test_the_readme_has_python_examples() -> None:
    assert len(_python_blocks()) >= 2


@pytest.fixture
def example_folder(tmp_path: Path, three_points, monkeypatch) -> Path:
    """points.gpkg (with a ``rank`` field) and the example model, where the README says."""
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    error = QgsVectorFileWriter.writeAsVectorFormatV3(
        three_points, str(tmp_path / "points.gpkg"), QgsCoordinateTransformContext(), options
    )
    assert error[0] == QgsVectorFileWriter.WriterError.NoError, error
    (tmp_path / MODEL).parent.mkdir(parents=True)
    shutil.copy(ROOT / MODEL, tmp_path / MODEL)
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize("index", range(len(_python_blocks())))
def test_readme_example_runs_as_written(provider, example_folder, index, capsys) -> None:
    code = _python_blocks()[index]
    exec(compile(code, f"README.md python block {index + 1}", "exec"), {"__name__": "__readme__"})
    printed = capsys.readouterr().out
    assert printed.strip(), "every example prints what it did"
    assert "0 buffers" not in printed
