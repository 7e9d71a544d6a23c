"""Translations: ``translate`` for user-visible text, and the plugin's QTranslator.

Every text a user reads (dialogs, menus, the jobs panel, Processing's parameter
descriptions, feedback and errors) is written as ``translate("Context", "text")``
with literal arguments on one line, so that ``make translations`` (Qt's ``lupdate``)
finds it and files it under its context: the class or module it belongs to.
``tests/unit/test_i18n.py`` checks that every such call is in the translation source.

Not translated: task and parameter names and descriptions from the server (the
server's own words), log-only debug text, and the ``rest`` layer, which is plain
Python without Qt and reports in English.

Compiled translations (``i18n/arcgis_gp_<locale>.qm``) are loaded for QGIS's locale
when the plugin starts and removed when it unloads.
"""

from __future__ import annotations

from pathlib import Path

from qgis.core import QgsApplication
from qgis.PyQt.QtCore import QCoreApplication, QTranslator

#: The plugin's translations: ``arcgis_gp_<locale>.ts`` sources, ``.qm`` compiled.
I18N_DIR = Path(__file__).resolve().parent.parent / "i18n"
TRANSLATION_PREFIX = "arcgis_gp_"


def translate(context: str, text: str) -> str:
    """``text`` in the user's language when a translation is loaded, else as given."""
    return QCoreApplication.translate(context, text)


def translation_file(locale: str, folder: Path) -> Path | None:
    """The compiled translation for ``locale`` (``de_CH``, then ``de``), if there is one."""
    for name in dict.fromkeys((locale, locale.split("_", maxsplit=1)[0])):
        path = folder / f"{TRANSLATION_PREFIX}{name}.qm"
        if name and path.is_file():
            return path
    return None


class PluginTranslator:
    """Installs the translation for QGIS's locale, and removes it again on unload."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or I18N_DIR
        self.translator: QTranslator | None = None

    def install(self, locale: str | None = None) -> bool:
        """Load and install the translation for ``locale`` (default: QGIS's); False
        when there is none (the texts stay in English)."""
        path = translation_file(locale or QgsApplication.locale(), self.folder)
        if path is None:
            return False
        translator = QTranslator()
        if not translator.load(str(path)):
            return False
        QCoreApplication.installTranslator(translator)
        self.translator = translator
        return True

    def remove(self) -> None:
        if self.translator is not None:
            QCoreApplication.removeTranslator(self.translator)
            self.translator = None
