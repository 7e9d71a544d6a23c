"""Every task of tests/gpserver opened in the real Processing algorithm dialog.

The dialog is QGIS's own (``processing.gui.AlgorithmDialog``), built from the algorithm's
parameter definitions by QGIS's widget wrappers, exactly as the toolbox opens it. Each
test saves a screenshot to ``tests/output/dialogs/<algorithm name>.png`` for a person to
look at, and asserts on the real widgets: that each GP type got the widget it should.

Run under ``xvfb-run -a`` with the QGIS GUI enabled (``make test`` does): real X11 windows,
so popups, icons and fonts are those a user sees.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import processing
import pytest
from qgis.core import (
    QgsApplication,
    QgsFeature,
    QgsGeometry,
    QgsPointXY,
    QgsProject,
    QgsVectorLayer,
)
from qgis.gui import (
    QgsAbstractProcessingParameterWidgetWrapper,
    QgsBrowserGuiModel,
    QgsCollapsibleGroupBoxBasic,
    QgsDateTimeEdit,
    QgsDoubleSpinBox,
    QgsExtentWidget,
    QgsFieldComboBox,
    QgsFileWidget,
    QgsProcessingMapLayerComboBox,
    QgsProjectionSelectionWidget,
    QgsSpinBox,
)
from qgis.PyQt import sip
from qgis.PyQt.QtCore import QDateTime, QEventLoop, Qt, QTimer
from qgis.PyQt.QtWidgets import (
    QAction,
    QApplication,
    QCheckBox,
    QComboBox,
    QDialog,
    QGroupBox,
    QLabel,
    QLineEdit,
    QScrollArea,
    QTextEdit,
    QWidget,
)

from arcgis_gp.plugin.connections.connection import Connection
from arcgis_gp.plugin.gptypes.base import CATEGORY_SEPARATOR as SEP
from arcgis_gp.plugin.gptypes.compat import FLAG_HIDDEN
from tests.integration.auth.conftest import make_provider  # noqa: F401 (a fixture)

pytestmark = pytest.mark.gui

#: Every task of tests/gpserver/services.yaml, as algorithm names of the connection "demo".
EXPECTED_ALGORITHMS = {
    f"demo__{service}__{task}"
    for service, tasks in {
        "analysis": ("buffer", "summarize", "scalars", "alltypes", "largeoutput"),
        "analysisasync": ("buffer", "summarize", "scalars", "alltypes", "largeoutput"),
        "elevation_viewshed": (
            "viewshed",
            "elevationraster",
            "elevationimageservice",
            "report",
            "slowtask",
            "failingtask",
            "timeouttask",
        ),
        "secure_protected": ("echo",),
        "secure_protectedasync": ("echo",),
        "bench_big": ("largeoutput", "largesummary"),
        "bench_bigasync": ("largeoutput", "largesummary"),
        "units_filters": ("unitdefaults", "unitchoices", "codedvalues", "oddfilters"),
        "tools_reportserver": ("xmlreport", "forgetful"),  # services named "...Server"
        "printserver": ("zipexport", "forgetful"),
    }.items()
    for task in tasks
} | {
    f"demo__{service}__{task}"
    for service in ("analysis", "analysisasync")
    for task in ("parcelsbyzone", "hot_spots")
}


@pytest.fixture(scope="module")
def dialogs_dir(output_dir: Path) -> Path:
    folder = output_dir / "dialogs"
    folder.mkdir(parents=True, exist_ok=True)
    return folder


@pytest.fixture
def provider(make_provider, gpserver, basic_authcfg) -> Any:  # noqa: F811
    """The provider over tests/gpserver, logged in, so the secured services are listed too."""
    return make_provider(
        Connection("demo", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True)
    )


@pytest.fixture
def gui_iface(qgis_iface):
    """pytest-qgis's iface, with the one piece Processing's dialog needs that it stubs out."""
    model = QgsBrowserGuiModel()
    qgis_iface.browserModel = lambda: model  # a MagicMock otherwise, which Qt refuses
    return qgis_iface


def _line_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer(
        "LineString?crs=EPSG:3857&field=Label:string(80)&field=Lanes:integer"
        "&field=Speed:double&field=Opened:date",
        "roads",
        "memory",
    )
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["A1", 2, 80.0, None])
    feature.setGeometry(QgsGeometry.fromPolylineXY([QgsPointXY(0, 0), QgsPointXY(1000, 500)]))
    assert layer.dataProvider().addFeatures([feature])
    return layer


def _point_layer() -> QgsVectorLayer:
    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=Name:string(50)", "towns", "memory")
    feature = QgsFeature(layer.fields())
    feature.setAttributes(["Bern"])
    feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(7.44, 46.95)))
    assert layer.dataProvider().addFeatures([feature])
    return layer


@pytest.fixture
def project_layers(gui_iface) -> Iterator[dict[str, QgsVectorLayer]]:
    """A line and a point layer in the project, for the layer and field widgets to offer."""
    layers = {"roads": _line_layer(), "towns": _point_layer()}
    QgsProject.instance().addMapLayers(list(layers.values()))
    yield layers
    QgsProject.instance().removeMapLayers([layer.id() for layer in layers.values()])


def open_dialog(algorithm_id: str, iface: Any) -> QDialog:
    """QGIS's algorithm dialog for the algorithm, as the toolbox opens it."""
    from processing.gui.AlgorithmDialog import AlgorithmDialog  # after iface is patched

    algorithm = QgsApplication.processingRegistry().createAlgorithmById(algorithm_id)
    assert algorithm is not None, algorithm_id
    dialog = AlgorithmDialog(algorithm, parent=iface.mainWindow())
    dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose, True)
    return dialog


def screenshot(dialog: QDialog, path: Path, expand_advanced: bool = False, height: int = 0) -> None:
    """Show the dialog tall enough for its parameters (up to a screen's height) and save it."""
    if expand_advanced:
        for box in advanced_boxes(dialog):
            box.setCollapsed(False)
    dialog.show()
    QApplication.processEvents()
    scroll = dialog.mainWidget().findChild(QScrollArea)
    content = scroll.widget().sizeHint().height() if scroll and scroll.widget() else 500
    dialog.resize(900, height or max(420, min(content + 190, 1400)))
    QApplication.processEvents()
    assert dialog.grab().save(str(path)), path
    assert path.stat().st_size > 10_000  # a real rendering, not an empty image


def wrapper(dialog: QDialog, name: str) -> Any:
    wrappers = dialog.mainWidget().wrappers
    assert name in wrappers, f"no widget for parameter {name}; have {sorted(wrappers)}"
    return wrappers[name]


def widget(dialog: QDialog, name: str) -> QWidget:
    """The input widget QGIS made for a parameter."""
    found = wrapper(dialog, name)
    if isinstance(found, QgsAbstractProcessingParameterWidgetWrapper):
        return found.wrappedWidget()
    return found.widget  # the older Python wrappers


def typed(found: QWidget, cls: type) -> Any:
    """The widget as the QGIS class it really is (PyQt may only know a Qt base class)."""
    assert found is not None
    assert found.inherits(cls.__name__), f"{found.metaObject().className()} is no {cls.__name__}"
    return sip.cast(found, cls)


def label_text(dialog: QDialog, name: str) -> str:
    found = wrapper(dialog, name)
    label = found.wrappedLabel() if hasattr(found, "wrappedLabel") else found.label
    if label is None:  # a check box is its own label
        return typed(widget(dialog, name), QCheckBox).text()
    assert isinstance(label, QLabel), name
    return label.text()


def combo_items(combo: QComboBox) -> list[str]:
    return [combo.itemText(i) for i in range(combo.count())]


def advanced_boxes(dialog: QDialog) -> list[Any]:
    """The dialog's collapsible "Advanced parameters" box(es)."""
    return [
        sip.cast(box, QgsCollapsibleGroupBoxBasic)
        for box in dialog.findChildren(QGroupBox)
        if box.inherits("QgsCollapsibleGroupBoxBasic")
    ]


def advanced_names(dialog: QDialog) -> set[str]:
    """Parameters whose widgets sit in the collapsed "Advanced parameters" box."""
    boxes = advanced_boxes(dialog)
    assert boxes, "no Advanced parameters box"
    names = set()
    for name in dialog.mainWidget().wrappers:
        found = widget(dialog, name)
        if found is not None and any(box.isAncestorOf(found) for box in boxes):
            names.add(name)
    return names


# -- every dialog --------------------------------------------------------------------------


def test_every_task_opens_in_the_algorithm_dialog(provider, gui_iface, project_layers, dialogs_dir):
    names = {algorithm.name() for algorithm in provider.algorithms()}
    assert names == EXPECTED_ALGORITHMS
    for algorithm in sorted(provider.algorithms(), key=lambda a: a.name()):
        dialog = open_dialog(algorithm.id(), gui_iface)
        try:
            path = dialogs_dir / f"{algorithm.name()}.png"
            screenshot(dialog, path)
            panel = dialog.mainWidget()
            for definition in algorithm.parameterDefinitions():
                hidden = bool(definition.flags() & FLAG_HIDDEN)
                assert (definition.name() in panel.wrappers) != hidden, definition.name()
            # 3.22: "<name>"; 3.40: "<group> > <name>"
            assert dialog.windowTitle().endswith(algorithm.displayName())
        finally:
            dialog.close()


# -- one widget per GP type (AllTypes has an input of each) -----------------------------------


ALL_TYPES = "arcgisgp:demo__analysis__alltypes"


@pytest.fixture
def all_types(provider, gui_iface, project_layers, dialogs_dir) -> Iterator[QDialog]:
    dialog = open_dialog(ALL_TYPES, gui_iface)
    dialog.setParameters({"In_Features": project_layers["roads"]})
    dialog.show()
    QApplication.processEvents()
    yield dialog
    dialog.close()


def test_choice_lists_are_combo_boxes_of_the_choices(all_types):
    combo = widget(all_types, "In_String")
    assert isinstance(combo, QComboBox)
    assert combo_items(combo) == ["alpha", "beta", "gamma delta"]
    assert combo.currentText() == "alpha"
    colours = widget(all_types, "In_Multi_String")  # several choices: QGIS's multi-select panel
    assert not isinstance(colours, QComboBox)
    assert wrapper(all_types, "In_Multi_String").parameterValue() == ["red"]


def test_units_have_a_unit_chooser_next_to_the_number(all_types):
    distance = typed(widget(all_types, "In_Linear_Unit"), QgsDoubleSpinBox)
    assert distance.value() == 5
    units = widget(all_types, "In_Linear_Unit_units")
    assert isinstance(units, QComboBox)
    assert units.currentText() == "esriKilometers"
    assert {"esriMeters", "esriMiles", "esriNauticalMiles"} <= set(combo_items(units))
    areal = widget(all_types, "In_Areal_Unit_units")
    assert areal.currentText() == "esriSquareKilometers"
    assert "esriHectares" in combo_items(areal)
    # The chooser is labelled as belonging to its number, and is not a separate "optional".
    assert "Linear unit" in label_text(all_types, "In_Linear_Unit_units")
    assert "[optional]" not in label_text(all_types, "In_Linear_Unit_units")


def test_field_follows_its_layer(all_types, project_layers):
    fields = typed(widget(all_types, "In_Field"), QgsFieldComboBox)
    assert fields.layer() is not None
    assert fields.layer().id() == project_layers["roads"].id()
    assert {"Label", "Lanes", "Speed", "Opened"} <= set(combo_items(fields))
    legacy = typed(widget(all_types, "In_Field_Legacy"), QgsFieldComboBox)  # type "Field"
    assert legacy.layer().id() == project_layers["roads"].id()
    # Another layer for the parent: the field list follows.
    tables = QgsVectorLayer("LineString?crs=EPSG:4326&field=Other:string", "other", "memory")
    QgsProject.instance().addMapLayer(tables)
    try:
        all_types.setParameters({"In_Features": tables})
        QApplication.processEvents()
        assert "Other" in combo_items(fields)
        assert "Label" not in combo_items(fields)
    finally:
        QgsProject.instance().removeMapLayer(tables.id())


def test_feature_inputs_offer_layers_of_their_geometry_type(all_types, project_layers):
    features = typed(widget(all_types, "In_Features"), QgsProcessingMapLayerComboBox)
    assert features.currentLayer().id() == project_layers["roads"].id()
    all_types.setParameters({"In_Features": project_layers["towns"]})  # points: not accepted
    QApplication.processEvents()
    current = features.currentLayer()
    assert current is None or current.id() != project_layers["towns"].id()


def test_extent_can_be_drawn_on_the_canvas(all_types, gui_iface):
    extent = typed(widget(all_types, "In_Extent"), QgsExtentWidget)
    assert extent.isValid()
    rect = extent.outputExtent()
    assert (rect.xMinimum(), rect.yMinimum(), rect.xMaximum(), rect.yMaximum()) == (5, 45, 6, 46)
    assert extent.outputCrs().authid() == "EPSG:4326"
    actions = {action.text().replace("&", "") for action in extent.findChildren(QAction)}
    # 3.22: "Draw on Canvas"; 3.40: "Draw on Map Canvas"
    assert any(text.startswith("Draw on") and "Canvas" in text for text in actions), actions


def test_dates_have_a_calendar(all_types):
    date = typed(widget(all_types, "In_Date"), QgsDateTimeEdit)
    assert date.calendarPopup()
    assert date.dateTime().toUTC() == QDateTime.fromMSecsSinceEpoch(1199145600000, Qt.TimeSpec.UTC)


def test_scalar_widgets_keep_defaults_and_ranges(all_types):
    long = typed(widget(all_types, "In_Long"), QgsSpinBox)
    assert (long.minimum(), long.maximum(), long.value()) == (-100, 100, 7)
    double = typed(widget(all_types, "In_Double"), QgsDoubleSpinBox)
    assert (double.minimum(), double.maximum(), double.value()) == (-1000.5, 1000.5, 2.5)
    boolean = widget(all_types, "In_Boolean")
    assert isinstance(boolean, QCheckBox)
    assert boolean.isChecked()
    crs = typed(widget(all_types, "In_Spatial_Reference"), QgsProjectionSelectionWidget)
    assert crs.crs().authid() == "EPSG:4326"
    typed(widget(all_types, "In_File"), QgsFileWidget)
    typed(widget(all_types, "In_Raster"), QgsProcessingMapLayerComboBox)
    assert isinstance(widget(all_types, "In_SQL"), QLineEdit)


def test_data_file_offers_the_services_file_types(all_types):
    files = typed(widget(all_types, "In_File"), QgsFileWidget)
    assert "*.csv" in files.filter()
    assert "*.tif" in files.filter()


# -- parameters grouped by GP category ------------------------------------------------------


def test_parameters_are_grouped_by_category(all_types, dialogs_dir):
    screenshot(all_types, dialogs_dir / "demo__analysis__alltypes-advanced.png", True)
    order = [d.name() for d in all_types.algorithm().parameterDefinitions()]
    inputs = [name for name in order if not name.endswith("_echo")]
    # Uncategorised first, in task order; then each category in order of first appearance.
    assert inputs.index("In_Boolean") < inputs.index("In_String")
    assert inputs.index("Free Text.Note") < inputs.index("In_String")
    categories = ["In_String", "In_Long", "In_Linear_Unit", "In_Features"]
    assert [inputs.index(name) for name in categories] == sorted(
        inputs.index(name) for name in categories
    )
    assert inputs.index("In_Linear_Unit_units") == inputs.index("In_Linear_Unit") + 1
    # The category shows in the label; names stay the GP names.
    assert label_text(all_types, "In_String").startswith(f"Text{SEP}String with choices")
    assert label_text(all_types, "In_Long").startswith(f"Numbers{SEP}Long in range")
    assert label_text(all_types, "In_Boolean").startswith("Boolean")
    # Optional parameters of a category are advanced (ArcGIS shows categories collapsed).
    advanced = advanced_names(all_types)
    assert {"In_Hidden", "In_Features", "In_Table", "In_Raster", "In_File"} <= advanced
    assert not {"In_String", "In_Long", "In_Linear_Unit", "In_Boolean", "In_Date"} & advanced


# -- the dialog's values run --------------------------------------------------------------------


def test_dialog_defaults_run_the_task(all_types, project_layers):
    parameters = all_types.createProcessingParameters()
    assert parameters["In_Linear_Unit_units"] == "esriKilometers"
    assert parameters["In_String"] == "alpha"
    parameters = {k: v for k, v in parameters.items() if not k.endswith("_echo")}
    parameters["In_Field"] = "Lanes"
    result = processing.run(ALL_TYPES, parameters)
    assert result["In_String_echo"] == "alpha"
    assert result["In_Long_echo"] == 7
    assert '"esriKilometers"' in result["In_Linear_Unit_echo"]
    assert result["In_Field_echo"] == "Lanes"
    assert result["In_Date_echo"] == "2008-01-01T00:00:00Z"


# -- running from the dialog ------------------------------------------------------------------


@pytest.fixture
def keep_dialog_open() -> Iterator[None]:
    """Processing closes the dialog after a successful run unless told to keep it open."""
    from processing.core.ProcessingConfig import ProcessingConfig

    before = ProcessingConfig.getSetting(ProcessingConfig.KEEP_DIALOG_OPEN)
    ProcessingConfig.setSettingValue(ProcessingConfig.KEEP_DIALOG_OPEN, True)
    yield
    ProcessingConfig.setSettingValue(ProcessingConfig.KEEP_DIALOG_OPEN, before)


def log_text(dialog: QDialog) -> str:
    """What the dialog's Log tab shows."""
    return "\n".join(
        f"[{edit.objectName()}] {edit.toPlainText()}" for edit in dialog.findChildren(QTextEdit)
    )


def run_in_dialog(dialog: QDialog, limit_ms: int = 120000) -> tuple[bool, dict[str, Any]]:
    """Press Run (the task runs in QGIS's task manager) and wait for the dialog's result.

    The limit only keeps a broken run from hanging the suite; nothing is timed.
    """
    loop = QEventLoop()
    finished: list[Any] = []

    def on_finished(successful: bool, result: dict[str, Any]) -> None:
        finished.extend([successful, result])
        loop.quit()

    dialog.algorithmFinished.connect(on_finished)
    QTimer.singleShot(0, dialog.runAlgorithm)
    QTimer.singleShot(limit_ms, loop.quit)
    loop.exec()
    assert finished, "the run never finished: " + log_text(dialog)
    return finished[0], finished[1]


def test_async_task_runs_from_the_dialog_with_the_jobs_messages(
    provider, gui_iface, project_layers, dialogs_dir, keep_dialog_open
):
    dialog = open_dialog("arcgisgp:demo__analysisasync__buffer", gui_iface)
    try:
        dialog.setParameters(
            {
                "Input_Features": project_layers["towns"],
                "Distance": 2,
                "Distance_units": "esriKilometers",
            }
        )
        dialog.show()
        successful, result = run_in_dialog(dialog)
        log = log_text(dialog)
        assert successful, log
        # The job's own messages, streamed into the Log tab, and the outputs loaded.
        assert f"Job {result['JOB_ID']} submitted to AnalysisAsync/Buffer." in log
        assert "Buffered 1 of 1 features by 2000 m." in log
        assert "not correctly generated" not in log
        loaded = [
            layer
            for layer in QgsProject.instance().mapLayers().values()
            if layer.name() == "Output Polygons"
        ]
        assert len(loaded) == 1
        assert loaded[0].featureCount() == 1
        dialog.showLog()
        screenshot(dialog, dialogs_dir / "run-log-demo__analysisasync__buffer.png", height=860)
    finally:
        dialog.close()
        ours = {layer.id() for layer in project_layers.values()}
        for layer_id in list(QgsProject.instance().mapLayers()):
            if layer_id not in ours:
                QgsProject.instance().removeMapLayer(layer_id)
