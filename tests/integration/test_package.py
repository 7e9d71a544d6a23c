"""`make package` builds a zip that installs into a fresh QGIS profile and loads there."""

from __future__ import annotations

import subprocess
import sys
import textwrap
import zipfile
from pathlib import Path

import pytest

from tests.conftest import ROOT
from tests.qgis_install import qgis_location

LOAD_IN_FRESH_QGIS = textwrap.dedent(
    """
    import sys
    from qgis.core import QgsApplication
    import qgis.utils

    profile, plugins = sys.argv[1], sys.argv[2]
    app = QgsApplication([], False, profile)
    app.initQgis()
    sys.path.append(QgsApplication.pkgDataPath() + "/python/plugins")
    from processing.core.Processing import Processing
    Processing.initialize()
    sys.path.insert(0, plugins)
    qgis.utils.plugin_paths = [plugins]
    qgis.utils.updateAvailablePlugins()
    assert "arcgis_gp" in qgis.utils.available_plugins, qgis.utils.available_plugins
    assert qgis.utils.loadPlugin("arcgis_gp"), "loadPlugin failed"
    assert qgis.utils.startProcessingPlugin("arcgis_gp"), "startProcessingPlugin failed"
    provider = QgsApplication.processingRegistry().providerById("arcgisgp")
    assert provider is not None, "provider arcgisgp not registered"
    assert qgis.utils.unloadPlugin("arcgis_gp"), "unloadPlugin failed"
    assert QgsApplication.processingRegistry().providerById("arcgisgp") is None
    version = qgis.utils.plugins_metadata_parser["arcgis_gp"]["general"]["version"]
    print("LOADED", provider.name(), version)
    """
)


@pytest.fixture(scope="module")
def plugin_zip() -> Path:
    result = subprocess.run(
        ["make", "-s", "package"], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return ROOT / result.stdout.strip().splitlines()[-1]


def test_zip_has_one_top_folder_and_only_runtime_files(plugin_zip: Path) -> None:
    names = zipfile.ZipFile(plugin_zip).namelist()
    assert {name.split("/")[0] for name in names} == {"arcgis_gp"}
    for required in ("metadata.txt", "__init__.py", "LICENSE", "plugin/plugin.py"):
        assert f"arcgis_gp/{required}" in names
    for name in names:
        for forbidden in ("/tests/", "__pycache__", "/.venv/", "/scripts/"):
            assert forbidden not in name
        assert not name.endswith(".pyc")


def test_zip_installs_into_a_fresh_profile_and_loads(plugin_zip: Path, tmp_path: Path) -> None:
    profile = tmp_path / "profile"
    plugins = profile / "python" / "plugins"
    plugins.mkdir(parents=True)
    zipfile.ZipFile(plugin_zip).extractall(plugins)
    script = tmp_path / "load.py"
    script.write_text(LOAD_IN_FRESH_QGIS, encoding="utf-8")
    result = subprocess.run(
        [sys.executable, str(script), str(profile), str(plugins)],
        capture_output=True,
        text=True,
        timeout=120,
        env={
            "QT_QPA_PLATFORM": "offscreen",
            "PATH": "/usr/bin:/bin",
            "HOME": str(tmp_path),
            **qgis_location(),
        },
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "LOADED ArcGIS Geoprocessing" in result.stdout


def _plugin_manager_accepts(qgis_version: str) -> bool:
    """What QGIS's plugin manager answers for metadata.txt on a QGIS of that version."""
    import configparser

    from qgis.core import QgsApplication

    sys.path.insert(0, str(Path(QgsApplication.pkgDataPath()) / "python"))
    try:
        from pyplugin_installer.version_compare import isCompatible
    finally:
        sys.path.pop(0)
    metadata = configparser.ConfigParser()
    metadata.read(ROOT / "metadata.txt", encoding="utf-8")
    general = metadata["general"]
    return isCompatible(
        qgis_version, general["qgisMinimumVersion"], general.get("qgisMaximumVersion", "")
    )


@pytest.mark.parametrize("version", ["3.22.0", "3.40.6", "3.44.16", "4.0.0", "4.2.1"])
def test_plugin_manager_offers_it_from_3_22_to_qgis_4(qgis_app, version: str) -> None:
    assert _plugin_manager_accepts(version)


@pytest.mark.parametrize("version", ["3.20.3", "5.0.0"])
def test_plugin_manager_refuses_versions_outside_the_range(qgis_app, version: str) -> None:
    assert not _plugin_manager_accepts(version)


def test_metadata_declares_qt6_support() -> None:
    import configparser

    metadata = configparser.ConfigParser()
    metadata.read(ROOT / "metadata.txt", encoding="utf-8")
    assert metadata["general"].getboolean("supportsQt6")
    assert "skeleton" not in metadata["general"]["changelog"].lower()
