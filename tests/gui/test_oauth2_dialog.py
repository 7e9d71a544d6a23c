"""QGIS's OAuth2 configuration dialog, filled in for ArcGIS Online as the user guide says.

The screenshot (tests/output/oauth2/) is the one in docs/images/oauth2-arcgis-online.png;
the test checks that the values the guide gives land in the dialog's fields.
"""

from __future__ import annotations

import json

import pytest
from qgis.gui import QgsAuthConfigSelect
from qgis.PyQt.QtCore import QTimer
from qgis.PyQt.QtWidgets import (
    QApplication,
    QComboBox,
    QDialog,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QToolButton,
)

from tests.qgis_auth import store_auth_config

pytestmark = pytest.mark.gui

#: What docs/user-guide.md tells an ArcGIS Online user to enter.
ARCGIS_ONLINE = {
    "configType": 1,
    "grantFlow": 0,  # Authorization Code
    "name": "ArcGIS Online",
    "requestUrl": "https://www.arcgis.com/sharing/rest/oauth2/authorize",
    "tokenUrl": "https://www.arcgis.com/sharing/rest/oauth2/token",
    "refreshTokenUrl": "https://www.arcgis.com/sharing/rest/oauth2/token",
    "redirectUrl": "",
    "redirectPort": 7070,
    "clientId": "YOUR_CLIENT_ID",
    "clientSecret": "",
    "scope": "",
    "persistToken": True,  # the guide's advice: QGIS 3.22 loses an unpersisted token
    "accessMethod": 0,
    "requestTimeout": 30,
    "version": 1,
    "queryPairs": {},
}


def test_oauth2_dialog_for_arcgis_online(qgis_auth_manager, output_dir):
    authcfg = store_auth_config(
        qgis_auth_manager,
        "OAuth2",
        "ArcGIS Online",
        {"oauth2config": json.dumps(ARCGIS_ONLINE)},
    )
    seen: dict[str, object] = {}
    path = output_dir / "oauth2" / "oauth2-arcgis-online.png"
    path.parent.mkdir(parents=True, exist_ok=True)

    def look_and_close() -> None:
        """The edit dialog is modal (QGIS 3.22 has no QgsAuthConfigEdit in Python): look
        at it from the event loop it runs, then close it."""
        dialog = QApplication.activeModalWidget()
        if not isinstance(dialog, QDialog):
            QTimer.singleShot(100, look_and_close)
            return
        dialog.resize(760, 760)
        QApplication.processEvents()
        seen["texts"] = {e.text() for e in dialog.findChildren(QLineEdit)}
        seen["ports"] = {s.value() for s in dialog.findChildren(QSpinBox)}
        seen["flows"] = [c.currentText() for c in dialog.findChildren(QComboBox)]
        seen["saved"] = dialog.grab().save(str(path))
        dialog.reject()

    try:
        select = QgsAuthConfigSelect(None)
        select.setConfigId(authcfg)
        select.show()
        edit = next(
            b for b in select.findChildren((QToolButton, QPushButton)) if "Edit" in b.objectName()
        )
        QTimer.singleShot(100, look_and_close)
        edit.click()
        assert seen.get("saved"), seen
        assert ARCGIS_ONLINE["requestUrl"] in seen["texts"]
        assert ARCGIS_ONLINE["tokenUrl"] in seen["texts"]
        assert "YOUR_CLIENT_ID" in seen["texts"]
        assert 7070 in seen["ports"]
        assert any("Authorization Code" in f for f in seen["flows"]), seen["flows"]
        select.close()
    finally:
        qgis_auth_manager.removeAuthenticationConfig(authcfg)
