"""Where the plugin's icons live, so every layer asks one place for them."""

from __future__ import annotations

from pathlib import Path

from qgis.PyQt.QtGui import QIcon

ICONS_DIR = Path(__file__).resolve().parent.parent / "icons"


PLUGIN_ICON = ICONS_DIR / "arcgis_gp.svg"
PROVIDER_ICON = ICONS_DIR / "provider.svg"


def plugin_icon() -> QIcon:
    """The plugin's icon: menus, the connection dialog, the Browser root."""
    return QIcon(str(PLUGIN_ICON))


def provider_icon() -> QIcon:
    """The provider's icon: the Processing toolbox, for the provider and every algorithm."""
    return QIcon(str(PROVIDER_ICON))


def provider_icon_path() -> str:
    """Path of the provider icon (QgsProcessingProvider.svgIconPath wants a path)."""
    return str(PROVIDER_ICON)
