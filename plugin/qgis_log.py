"""The plugin's tab in the QGIS message log (View > Panels > Log Messages)."""

from __future__ import annotations

from qgis.core import Qgis, QgsMessageLog

LOG_TAG = "ArcGIS GP"


def log_info(message: str) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Info)


def log_warning(message: str) -> None:
    QgsMessageLog.logMessage(message, LOG_TAG, Qgis.MessageLevel.Warning)
