"""The provider's settings in Processing's options (*Settings > Options > Processing*).

Registered with ``ProcessingConfig`` when the provider loads and removed when it
unloads, as QGIS's own Python providers do. The values are read where they are used,
through :mod:`..settings`, which also knows the environment variables for headless
runs and which source wins.
"""

from __future__ import annotations

from processing.core.ProcessingConfig import ProcessingConfig, Setting

from ..i18n import translate
from ..settings import JOB_TIMEOUT, MAX_CONNECTIONS, MAX_POLL_INTERVAL, ProviderSetting


def _descriptions() -> dict[ProviderSetting, str]:
    """What the options dialog shows for each setting (translated when it is built)."""
    return {
        JOB_TIMEOUT: translate(
            "ProviderOptions", "Job timeout, seconds (0: none), unless a connection sets one"
        ),
        MAX_CONNECTIONS: translate("ProviderOptions", "Connections per server"),
        MAX_POLL_INTERVAL: translate("ProviderOptions", "Longest pause between job polls, seconds"),
    }


def add_settings(group: str) -> None:
    """Add the settings under the provider's name and read their saved values."""
    for setting, description in _descriptions().items():
        default = int(setting.default) if setting is MAX_CONNECTIONS else setting.default
        ProcessingConfig.addSetting(Setting(group, setting.name, description, default))
    ProcessingConfig.readSettings()


def remove_settings() -> None:
    for setting in _descriptions():
        if setting.name in ProcessingConfig.settings:
            ProcessingConfig.removeSetting(setting.name)
