"""Lets pytest-qgis start a QGIS 3.x built with Qt6 (the build ``make test-qt6`` makes).

pytest-qgis 5 takes every QGIS before 4.0 for a Qt5 one and configures QSettings with the
unscoped enum names (``QSettings.IniFormat``, ``QSettings.UserScope``), which PyQt6 does
not have. On PyQt6 this module gives QSettings those two names, as aliases of the scoped
members, before pytest-qgis starts QGIS; on PyQt5 (and QGIS 4, where pytest-qgis uses the
scoped names) it changes nothing. Loaded with ``-p tests.pytest_qgis_compat`` (pyproject
addopts), so it runs before pytest-qgis's start-up hook. The plugin itself never relies
on it: only this test harness does.
"""

from __future__ import annotations

from qgis.PyQt.QtCore import QSettings

for _name, _member in (
    ("IniFormat", QSettings.Format.IniFormat),
    ("UserScope", QSettings.Scope.UserScope),
):
    if not hasattr(QSettings, _name):
        setattr(QSettings, _name, _member)
