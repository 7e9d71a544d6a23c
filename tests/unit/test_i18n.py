"""Translations: every translatable text is in the translation source, and the plugin
installs the translation for QGIS's locale and removes it when it unloads."""

from __future__ import annotations

import ast
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

import arcgis_gp
from arcgis_gp.plugin.i18n import I18N_DIR, PluginTranslator, translate, translation_file

ROOT = Path(__file__).resolve().parents[2]
TEST_TRANSLATIONS = ROOT / "tests" / "data" / "i18n"  # the made-up locale "xx"
SOURCE = "Connections per server"


def _translate_calls() -> list[tuple[Path, ast.Call]]:
    calls = []
    for path in sorted((ROOT / "plugin").rglob("*.py")):
        if path.name == "i18n.py":  # the wrapper itself
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            func = getattr(node, "func", None)
            plain = isinstance(func, ast.Name) and func.id == "translate"
            qt = isinstance(func, ast.Attribute) and func.attr == "translate"
            qt = qt and getattr(func.value, "id", "") == "QCoreApplication"
            if isinstance(node, ast.Call) and (plain or qt):
                calls.append((path.relative_to(ROOT), node))
    return calls


def _ts_messages(path: Path) -> set[tuple[str, str]]:
    root = ET.parse(path).getroot()
    return {
        (context.findtext("name"), message.findtext("source"))
        for context in root.iter("context")
        for message in context.iter("message")
    }


def test_every_translatable_text_is_in_the_translation_source() -> None:
    """``make translations`` (pylupdate5) finds a call only with a literal context and
    text that start on one line; a text missing here was added without running it."""
    messages = _ts_messages(I18N_DIR / "arcgis_gp_en.ts")
    missing = []
    for path, call in _translate_calls():
        context, text = call.args[:2]
        assert isinstance(context, ast.Constant), f"{path}:{call.lineno}: a literal context"
        assert isinstance(text, ast.Constant), f"{path}:{call.lineno}: a literal text"
        assert context.lineno == text.lineno, (
            f"{path}:{call.lineno}: context and text must start on one line for pylupdate5"
        )
        if (context.value, text.value) not in messages:
            missing.append(f"{path}:{call.lineno}: {text.value!r}")
    assert not missing, "run `make translations`:\n" + "\n".join(missing)
    assert len(messages) > 100  # the GUI, Processing's descriptions, feedback and errors


def test_translation_file_for_a_locale_and_its_language(tmp_path: Path) -> None:
    (tmp_path / "arcgis_gp_de.qm").write_bytes(b"")
    assert translation_file("de_CH", tmp_path) == tmp_path / "arcgis_gp_de.qm"
    assert translation_file("de", tmp_path) == tmp_path / "arcgis_gp_de.qm"
    assert translation_file("fr_FR", tmp_path) is None


def test_the_plugin_translates_while_loaded(qgis_iface, monkeypatch: pytest.MonkeyPatch) -> None:
    """A translation for the locale is installed when the plugin is created and removed
    when it unloads."""
    monkeypatch.setattr("arcgis_gp.plugin.i18n.I18N_DIR", TEST_TRANSLATIONS)
    monkeypatch.setattr(
        "arcgis_gp.plugin.i18n.QgsApplication.locale", staticmethod(lambda: "xx_YY")
    )
    assert translate("ProviderOptions", SOURCE) == SOURCE
    plugin = arcgis_gp.classFactory(qgis_iface)
    try:
        assert translate("ProviderOptions", SOURCE) == "XX connections per server"
        assert translate("ProviderOptions", "Not translated") == "Not translated"
    finally:
        plugin.unload()
    assert translate("ProviderOptions", SOURCE) == SOURCE


def test_without_a_translation_texts_stay_in_english(tmp_path: Path) -> None:
    translator = PluginTranslator(tmp_path)
    assert not translator.install("xx")
    translator.remove()
    assert translate("ProviderOptions", SOURCE) == SOURCE
