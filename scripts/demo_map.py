"""The map of `make demo`: layers, styles, an A4 print layout, and its PNG and PDF.

Kept apart from scripts/demo.py (which runs the tasks) so the cartography can be read on
its own. Everything here is plain PyQGIS: layer styles, a ``QgsPrintLayout`` with a
title, the date, a main map over a hillshade, a locator map over QGIS's offline world
map, a legend naming each output and the task that made it, a scale bar and a north
arrow. The project is saved with relative paths, so the folder can move.
"""

from __future__ import annotations

import datetime
import math
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from qgis.core import (
    Qgis,
    QgsApplication,
    QgsColorRampShader,
    QgsCoordinateReferenceSystem,
    QgsCoordinateTransform,
    QgsFillSymbol,
    QgsHillshadeRenderer,
    QgsLayoutExporter,
    QgsLayoutItemLabel,
    QgsLayoutItemLegend,
    QgsLayoutItemMap,
    QgsLayoutItemPicture,
    QgsLayoutItemScaleBar,
    QgsLayoutMeasurement,
    QgsLayoutPoint,
    QgsLayoutSize,
    QgsLegendStyle,
    QgsMapLayer,
    QgsMapLayerLegendUtils,
    QgsMapThemeCollection,
    QgsMarkerSymbol,
    QgsPalLayerSettings,
    QgsPointXY,
    QgsPrintLayout,
    QgsProject,
    QgsRasterLayer,
    QgsRasterShader,
    QgsRectangle,
    QgsReferencedRectangle,
    QgsSingleBandPseudoColorRenderer,
    QgsSingleSymbolRenderer,
    QgsTextBufferSettings,
    QgsTextFormat,
    QgsVectorLayer,
    QgsVectorLayerSimpleLabeling,
)
from qgis.PyQt.QtCore import QSize, Qt
from qgis.PyQt.QtGui import QColor, QFont, QImage, QPainter, QPixmap

CRS = "EPSG:2056"  # CH1903+ / LV95: the Swiss national grid, true to scale around Bern
LAYOUT_NAME = "Demo map"
PAGE = (297.0, 210.0)  # A4 landscape, mm
MAIN_MAP = (12.0, 27.0, 190.0, 172.0)  # x, y, width, height in mm
LOCATOR_MAP = (208.0, 27.0, 77.0, 58.0)
LEGEND_AT = (208.0, 94.0)
#: The locator's area (Bern, and LargeOutput's squares near 5 E, 45 N), as Processing
#: reads an extent; the world map is clipped to it.
LOCATOR_EXTENT_WGS84 = "3.6,9.4,43.9,47.9 [EPSG:4326]"
LOCATOR_FOCUS_WGS84 = (4.6, 44.7, 8.2, 47.35)
PNG_DPI = 150
PDF_DPI = 200
INK = QColor(40, 40, 40)
MUTED = QColor(95, 95, 95)
#: Legend text: output on the first line, the task that made it on the second.
WRAP = "~"


@dataclass(frozen=True)
class Frame:
    """The main map's extent in :data:`CRS`, fitted to its frame at a round scale."""

    xmin: float
    ymin: float
    xmax: float
    ymax: float
    scale: float

    def rectangle(self) -> QgsRectangle:
        return QgsRectangle(self.xmin, self.ymin, self.xmax, self.ymax)

    def as_processing_extent(self) -> str:
        """The extent as a Processing extent parameter value (the raster's Extent)."""
        return f"{self.xmin:.0f},{self.xmax:.0f},{self.ymin:.0f},{self.ymax:.0f} [{CRS}]"


@dataclass(frozen=True)
class LayerSpec:
    """A layer of the demo project: its name in the project, its legend label."""

    name: str
    output: str
    task: str

    @property
    def legend(self) -> str:
        return f"{self.output}{WRAP}{self.task}"


LAYERS = {
    "observers": LayerSpec("Observers", "Observers", "the tasks' input points"),
    "places": LayerSpec("Places", "Places", "for orientation"),
    "buffers": LayerSpec(
        "Buffers 1.5 km (Analysis/Buffer, synchronous)",
        "Buffers, 1.5 km",
        "Analysis/Buffer: synchronous (execute)",
    ),
    "viewsheds": LayerSpec(
        "Viewsheds 4 km (Elevation/Viewshed/Viewshed, asynchronous job)",
        "Viewsheds, 4 km radius",
        "Elevation/Viewshed/Viewshed: asynchronous job",
    ),
    "map_service": LayerSpec(
        "Viewshed job's result map service (valid only while the demo server runs)",
        "Viewsheds drawn by the server",
        "the job's result map service (live only while the demo runs)",
    ),
    "study_area": LayerSpec(
        "Study area 5 km, dissolved (AnalysisAsync/Buffer, background job)",
        "Study area: 5 km around the observers",
        "AnalysisAsync/Buffer: background job, fetched by id",
    ),
    "elevation": LayerSpec(
        "Elevation (Elevation/Viewshed/ElevationRaster, raster output)",
        "Elevation, hillshaded (synthetic, m)",
        "Elevation/Viewshed/ElevationRaster: raster output",
    ),
    "hillshade": LayerSpec("Hillshade of the elevation", "Hillshade", ""),
    "large_output": LayerSpec(
        "Large output, 1500 squares (AnalysisAsync/LargeOutput, paged)",
        "1,500 squares (locator map)",
        "AnalysisAsync/LargeOutput: past the limit, paged",
    ),
    "countries": LayerSpec(
        "Countries (Natural Earth)", "Countries", "Natural Earth, QGIS world_map.gpkg"
    ),
}


#: The main map's layers, top first; the locator's; the legend's entries, in order.
MAIN_LAYERS = (
    "observers",
    "places",
    "study_area",
    "viewsheds",
    "buffers",
    "map_service",
    "hillshade",
    "elevation",
)
LOCATOR_LAYERS = ("large_output", "countries")
LEGEND_LAYERS = (
    "observers",
    "buffers",
    "viewsheds",
    "map_service",
    "study_area",
    "elevation",
    "large_output",
    "countries",
)
VECTOR_LAYERS = ("observers", "places", "buffers", "viewsheds", "study_area", *LOCATOR_LAYERS)


def _enum(newer: str, older: str, member: str) -> Any:
    """An enum member where this QGIS has it: QGIS moves enums into ``Qgis`` over time
    (e.g. ``QgsUnitTypes.DistanceUnit`` into ``Qgis.DistanceUnit``, which also drops the
    prefix of the member's name) and QGIS 4 drops the old places."""
    import qgis.core

    for path in (newer, older):
        owner: Any = qgis.core
        for name in path.split("."):
            owner = getattr(owner, name, None)
        if owner is None:
            continue
        for name in (member, f"Distance{member}"):  # DistanceKilometers before 3.30
            if hasattr(owner, name):
                return getattr(owner, name)
    raise AttributeError(f"this QGIS has neither {newer}.{member} nor {older}.{member}")


def _crs() -> QgsCoordinateReferenceSystem:
    return QgsCoordinateReferenceSystem(CRS)


def _to_map(points: Sequence[tuple[float, float]]) -> list[QgsPointXY]:
    transform = QgsCoordinateTransform(
        QgsCoordinateReferenceSystem("EPSG:4326"), _crs(), QgsProject.instance()
    )
    return [transform.transform(QgsPointXY(x, y)) for x, y in points]


def _fit(
    rect: QgsRectangle, size_mm: tuple[float, float], step: float
) -> tuple[QgsRectangle, float]:
    """``rect`` grown to the frame's proportions at the next round scale (a multiple of step)."""
    width_m, height_m = size_mm[0] / 1000.0, size_mm[1] / 1000.0
    needed = max(rect.width() / width_m, rect.height() / height_m)
    scale = math.ceil(needed / step) * step
    centre = rect.center()
    half_w, half_h = width_m * scale / 2.0, height_m * scale / 2.0
    fitted = QgsRectangle(
        centre.x() - half_w, centre.y() - half_h, centre.x() + half_w, centre.y() + half_h
    )
    return fitted, scale


def main_map_extent(observers: Sequence[tuple[float, float]], radius_m: float) -> Frame:
    """The main map: every observer with its viewshed radius and a margin."""
    points = _to_map(observers)
    margin = radius_m * 1.1
    rect = QgsRectangle(
        min(p.x() for p in points) - margin,
        min(p.y() for p in points) - margin,
        max(p.x() for p in points) + margin,
        max(p.y() for p in points) + margin,
    )
    fitted, scale = _fit(rect, (MAIN_MAP[2], MAIN_MAP[3]), 5000.0)
    return Frame(fitted.xMinimum(), fitted.yMinimum(), fitted.xMaximum(), fitted.yMaximum(), scale)


# ----------------------------------------------------------------------------- styles


def _text_format(
    size: float, colour: QColor = INK, bold: bool = False, italic: bool = False
) -> QgsTextFormat:
    font = QFont("DejaVu Sans")
    font.setBold(bold)
    font.setItalic(italic)
    text = QgsTextFormat()
    text.setFont(font)
    text.setSize(size)
    text.setColor(colour)
    return text


def _halo(text: QgsTextFormat, size: float = 0.8) -> QgsTextFormat:
    buffer = QgsTextBufferSettings()
    buffer.setEnabled(True)
    buffer.setSize(size)
    buffer.setColor(QColor(255, 255, 255, 230))
    text.setBuffer(buffer)
    return text


def _label(layer: QgsVectorLayer, field: str, text: QgsTextFormat, around_point: bool) -> None:
    settings = QgsPalLayerSettings()
    settings.fieldName = field
    settings.setFormat(text)
    if around_point:
        settings.placement = _enum(
            "Qgis.LabelPlacement", "QgsPalLayerSettings.Placement", "AroundPoint"
        )
        settings.dist = 1.6
    layer.setLabeling(QgsVectorLayerSimpleLabeling(settings))
    layer.setLabelsEnabled(True)


def _fill(layer: QgsVectorLayer, **properties: str) -> None:
    layer.setRenderer(QgsSingleSymbolRenderer(QgsFillSymbol.createSimple(properties)))


def style_vectors(layers: dict[str, QgsVectorLayer]) -> None:
    """Outputs in distinct, legible styles over a hillshade."""
    marker = QgsMarkerSymbol.createSimple(
        {
            "name": "triangle",
            "color": "255,255,255",
            "outline_color": "20,20,20",
            "outline_width": "0.5",
            "size": "4",
        }
    )
    layers["observers"].setRenderer(QgsSingleSymbolRenderer(marker))
    _label(
        layers["observers"], "name", _halo(_text_format(10, INK, bold=True), 1.0), around_point=True
    )
    dot = QgsMarkerSymbol.createSimple(
        {"name": "square", "color": "40,40,40", "outline_style": "no", "size": "1.6"}
    )
    layers["places"].setRenderer(QgsSingleSymbolRenderer(dot))
    _label(
        layers["places"], "name", _halo(_text_format(9, INK, italic=True), 0.8), around_point=True
    )
    _fill(
        layers["buffers"],
        color="31,120,180,110",
        outline_color="31,90,160",
        outline_width="0.4",
    )
    _fill(
        layers["viewsheds"],
        color="0,0,0,0",
        outline_color="166,54,3",
        outline_width="0.45",
    )
    _fill(
        layers["study_area"],
        color="0,0,0,0",
        outline_color="106,61,154",
        outline_width="0.8",
        outline_style="dash",
    )
    _fill(layers["large_output"], color="215,25,28", outline_style="no")
    _fill(
        layers["countries"],
        color="241,238,229",
        outline_color="150,150,150",
        outline_width="0.25",
    )
    _label(
        layers["countries"],
        "NAME",
        _halo(_text_format(6.5, MUTED, italic=True), 0.6),
        around_point=False,
    )


def style_elevation(elevation: QgsRasterLayer, hillshade: QgsRasterLayer) -> None:
    """A hypsometric tint under a multiplied hillshade of the same raster."""
    stats = elevation.dataProvider().bandStatistics(1)
    low, high = stats.minimumValue, stats.maximumValue
    stops = (
        (0.0, "#5f8f4e"),
        (0.3, "#a7c47f"),
        (0.55, "#e6dba2"),
        (0.8, "#c9a26b"),
        (1.0, "#f2efe9"),
    )
    ramp = QgsColorRampShader(low, high)
    ramp.setColorRampItemList(
        [
            QgsColorRampShader.ColorRampItem(
                low + (high - low) * f, QColor(c), f"{low + (high - low) * f:.0f}"
            )
            for f, c in stops
        ]
    )
    legend = ramp.legendSettings()
    legend.setMinimumLabel(f"{low:.0f} m")
    legend.setMaximumLabel(f"{high:.0f} m")
    ramp.setLegendSettings(legend)
    shader = QgsRasterShader()
    shader.setRasterShaderFunction(ramp)
    elevation.setRenderer(QgsSingleBandPseudoColorRenderer(elevation.dataProvider(), 1, shader))
    elevation.setOpacity(0.85)
    for layer in (elevation, hillshade):
        _smooth(layer)
    shade = QgsHillshadeRenderer(hillshade.dataProvider(), 1, 315.0, 40.0)
    shade.setZFactor(2.0)
    shade.setMultiDirectional(True)
    hillshade.setRenderer(shade)
    hillshade.setBlendMode(QPainter.CompositionMode.CompositionMode_Multiply)
    hillshade.setOpacity(0.7)


def _smooth(layer: QgsRasterLayer) -> None:
    """Bilinear resampling by the provider, before rendering (the hillshade sees it)."""
    provider = layer.dataProvider()
    bilinear = _enum(
        "Qgis.RasterResamplingMethod", "QgsRasterDataProvider.ResamplingMethod", "Bilinear"
    )
    provider.setZoomedInResamplingMethod(bilinear)
    provider.setZoomedOutResamplingMethod(bilinear)
    stage = getattr(Qgis, "RasterResamplingStage", None)  # QGIS 3.22+
    if stage is not None:
        layer.setResamplingStage(stage.Provider)


# ----------------------------------------------------------------------------- layout


def _add_label(
    layout: QgsPrintLayout, text: str, rect: tuple[float, float, float, float], fmt: QgsTextFormat
) -> QgsLayoutItemLabel:
    label = QgsLayoutItemLabel(layout)
    label.setText(text)
    if hasattr(label, "setTextFormat"):  # QGIS 3.24+
        label.setTextFormat(fmt)
    else:
        font = fmt.font()
        font.setPointSizeF(fmt.size())
        label.setFont(font)
        label.setFontColor(fmt.color())
    label.setMargin(0)
    layout.addLayoutItem(label)
    label.attemptMove(QgsLayoutPoint(rect[0], rect[1]))
    label.attemptResize(QgsLayoutSize(rect[2], rect[3]))
    return label


def _theme(project: QgsProject, name: str, layers: list[QgsMapLayer]) -> str:
    """A map theme showing ``layers``: what a layout map follows.

    (A map with its own fixed layer set saves each layer's absolute path in the project;
    a theme names layers by id only, and the user finds it in QGIS's Map Themes.)
    """
    record = QgsMapThemeCollection.MapThemeRecord()
    record.setLayerRecords([QgsMapThemeCollection.MapThemeLayerRecord(layer) for layer in layers])
    project.mapThemeCollection().insert(name, record)
    return name


def _add_map(
    layout: QgsPrintLayout,
    rect: tuple[float, float, float, float],
    theme: str,
    extent: QgsRectangle,
) -> QgsLayoutItemMap:
    item = QgsLayoutItemMap(layout)
    item.setId(theme)
    item.setCrs(_crs())
    item.setFollowVisibilityPreset(True)
    item.setFollowVisibilityPresetName(theme)
    item.setFrameEnabled(True)
    item.setFrameStrokeWidth(QgsLayoutMeasurement(0.3))
    item.setBackgroundColor(QColor(255, 255, 255))
    layout.addLayoutItem(item)
    item.attemptMove(QgsLayoutPoint(rect[0], rect[1]))
    item.attemptResize(QgsLayoutSize(rect[2], rect[3]))
    item.setExtent(extent)
    return item


def _locator_extent() -> QgsRectangle:
    xmin, ymin, xmax, ymax = LOCATOR_FOCUS_WGS84
    corners = _to_map([(xmin, ymin), (xmin, ymax), (xmax, ymin), (xmax, ymax)])
    rect = QgsRectangle(
        min(p.x() for p in corners),
        min(p.y() for p in corners),
        max(p.x() for p in corners),
        max(p.y() for p in corners),
    )
    return _fit(rect, (LOCATOR_MAP[2], LOCATOR_MAP[3]), 100_000.0)[0]


def _north_arrow(layout: QgsPrintLayout, linked: QgsLayoutItemMap) -> QgsLayoutItemPicture | None:
    """QGIS's own north arrow SVG, rotated with the map; None if QGIS ships none."""
    for folder in QgsApplication.svgPaths():
        svg = Path(folder) / "arrows" / "NorthArrow_02.svg"
        if svg.exists():
            break
    else:
        return None
    arrow = QgsLayoutItemPicture(layout)
    arrow.setId("north arrow")
    arrow.setPicturePath(str(svg))
    arrow.setLinkedMap(linked)
    arrow.setNorthMode(
        _enum("Qgis.PictureNorthMode", "QgsLayoutItemPicture.NorthMode", "TrueNorth")
    )
    arrow.setSvgFillColor(INK)
    arrow.setSvgStrokeColor(INK)
    layout.addLayoutItem(arrow)
    x, y, width, _ = MAIN_MAP
    arrow.attemptMove(QgsLayoutPoint(x + width - 12.0, y + 3.0))
    arrow.attemptResize(QgsLayoutSize(8.0, 13.0))
    return arrow


def _scale_bar(layout: QgsPrintLayout, linked: QgsLayoutItemMap) -> QgsLayoutItemScaleBar:
    bar = QgsLayoutItemScaleBar(layout)
    bar.setId("scale bar")
    bar.setStyle("Single Box")
    bar.setLinkedMap(linked)
    bar.setUnits(_enum("Qgis.DistanceUnit", "QgsUnitTypes.DistanceUnit", "Kilometers"))
    bar.setUnitLabel("km")
    bar.setUnitsPerSegment(2.0)
    bar.setNumberOfSegments(3)
    bar.setNumberOfSegmentsLeft(0)
    bar.setHeight(2.0)
    bar.setTextFormat(_text_format(7.5))
    bar.setBackgroundEnabled(True)
    bar.setBackgroundColor(QColor(255, 255, 255, 210))
    bar.setBoxContentSpace(1.5)
    layout.addLayoutItem(bar)
    bar.update()
    x, y, width, height = MAIN_MAP
    size = bar.sizeWithUnits()
    bar.attemptMove(
        QgsLayoutPoint(x + width - size.width() - 3.0, y + height - size.height() - 3.0)
    )
    return bar


def _legend(
    layout: QgsPrintLayout, linked: QgsLayoutItemMap, layers: dict[str, QgsMapLayer]
) -> QgsLayoutItemLegend:
    """One entry per output: what it is, then the task and mode that made it."""
    legend = QgsLayoutItemLegend(layout)
    legend.setId("legend")
    legend.setTitle("Legend")
    legend.setLinkedMap(linked)
    legend.setAutoUpdateModel(False)
    legend.setWrapString(WRAP)
    root = legend.model().rootGroup()
    root.removeAllChildren()
    model = legend.model()
    for key in LEGEND_LAYERS:
        node = root.addLayer(layers[key])
        node.setUseLayerName(False)
        node.setName(LAYERS[key].legend)
        if isinstance(layers[key], QgsVectorLayer):  # one symbol: the label is the node's
            QgsMapLayerLegendUtils.setLegendNodeUserLabel(node, 0, LAYERS[key].legend)
        elif key == "elevation":  # the colour ramp, without the band's name
            QgsMapLayerLegendUtils.setLegendNodeOrder(node, [1])
        model.refreshLayerLegend(node)
    _await_server_legends(model)
    width, height = _server_legend_size(model, 3.8)
    legend.setWmsLegendWidth(width)
    legend.setWmsLegendHeight(height)
    legend.setSymbolWidth(6.0)
    legend.setSymbolHeight(3.6)
    part = _legend_part
    _legend_text(legend, part("Title"), _text_format(9.0, INK, bold=True))
    _legend_text(legend, part("Subgroup"), _text_format(6.8, INK))
    _legend_text(legend, part("SymbolLabel"), _text_format(6.8, INK))
    legend.rstyle(part("Subgroup")).setMargin(QgsLegendStyle.Side.Top, 1.2)
    legend.rstyle(part("Symbol")).setMargin(QgsLegendStyle.Side.Top, 2.0)
    legend.setBackgroundEnabled(False)
    layout.addLayoutItem(legend)
    legend.attemptMove(QgsLayoutPoint(*LEGEND_AT))
    legend.setResizeToContents(True)
    legend.adjustBoxSize()
    return legend


def _await_server_legends(model: Any, seconds: float = 5.0) -> None:
    """Let QGIS download a map service's legend (it does so in the background) before
    the layout is exported; without it, the legend keeps a blank space for it."""
    decoration = Qt.ItemDataRole.DecorationRole
    pending = [
        node
        for layer_node in model.rootGroup().findLayers()
        for node in model.layerLegendNodes(layer_node)
        if type(node).__name__ == "QgsWmsLegendNode"
    ]
    deadline = time.monotonic() + seconds
    while pending and time.monotonic() < deadline:
        pending = [node for node in pending if _blank(node.data(decoration))]
        QgsApplication.processEvents()
        time.sleep(0.02)
    if pending:
        print("demo: warning: the result map service's legend did not arrive in time")


def _server_legend_size(model: Any, height_mm: float) -> tuple[float, float]:
    """Width and height (mm) that show a map service's legend image undistorted."""
    for layer_node in model.rootGroup().findLayers():
        for node in model.layerLegendNodes(layer_node):
            image = node.data(Qt.ItemDataRole.DecorationRole)
            if type(node).__name__ == "QgsWmsLegendNode" and not _blank(image):
                return height_mm * image.width() / image.height(), height_mm
    return height_mm, height_mm


def _blank(image: Any) -> bool:
    """No legend image yet (QGIS gives a pixmap once the server's legend arrived)."""
    return not isinstance(image, (QImage, QPixmap)) or image.isNull() or image.width() < 4


def _legend_part(name: str) -> Any:
    return _enum("Qgis.LegendComponent", "QgsLegendStyle.Style", name)


def _legend_text(legend: QgsLayoutItemLegend, style: Any, fmt: QgsTextFormat) -> None:
    if hasattr(legend.rstyle(style), "setTextFormat"):  # QGIS 3.30+
        legend.rstyle(style).setTextFormat(fmt)
        return
    font = fmt.font()
    font.setPointSizeF(fmt.size())
    legend.setStyleFont(style, font)
    legend.setFontColor(fmt.color())


def _notes(layout: QgsPrintLayout, frame: Frame) -> None:
    """Sources and caveats, at the foot of the right-hand column."""
    text = (
        f"CH1903+ / LV95 (EPSG:2056), 1:{frame.scale:,.0f} on A4.\n"
        "Elevation: synthetic hills from the demo server's ElevationRaster\n"
        "task, not real terrain; the viewsheds are its stand-in shapes.\n"
        "Basemap: Natural Earth, from QGIS's offline world_map.gpkg.\n"
        "The result map service layer is drawn by the demo server and\n"
        "is valid only while that server runs (the same viewsheds are in\n"
        "demo.gpkg)."
    )
    height = 22.0
    _, y, _, map_height = MAIN_MAP
    _add_label(
        layout,
        text,
        (LOCATOR_MAP[0], y + map_height - height, LOCATOR_MAP[2], height),
        _text_format(6.2, MUTED),
    )


def build_layout(
    project: QgsProject, layers: dict[str, QgsMapLayer], frame: Frame
) -> QgsPrintLayout:
    layout = QgsPrintLayout(project)
    layout.initializeDefaults()
    layout.setName(LAYOUT_NAME)
    layout.pageCollection().page(0).setPageSize(QgsLayoutSize(*PAGE))
    today = datetime.date.today()
    _add_label(
        layout,
        "Three observers around Bern: what they see, and what surrounds them",
        (MAIN_MAP[0], 9.0, 273.0, 10.0),
        _text_format(16.5, INK, bold=True),
    )
    _add_label(
        layout,
        "Five tasks of an ArcGIS geoprocessing server, run from QGIS by the ArcGIS Geoprocessing "
        f"Services plugin against its bundled demo server  ·  {today.day} {today:%B %Y}",
        (MAIN_MAP[0], 19.5, 273.0, 6.0),
        _text_format(9.0, MUTED),
    )
    main_theme = _theme(project, "Main map", [layers[key] for key in MAIN_LAYERS])
    locator_theme = _theme(project, "Locator map", [layers[key] for key in LOCATOR_LAYERS])
    main = _add_map(layout, MAIN_MAP, main_theme, frame.rectangle())
    locator = _add_map(layout, LOCATOR_MAP, locator_theme, _locator_extent())
    locator.setBackgroundColor(QColor(198, 219, 239))  # the sea, where there is any
    overview = locator.overview()
    overview.setLinkedMap(main)
    overview.setFrameSymbol(
        QgsFillSymbol.createSimple(
            {"color": "0,0,0,0", "outline_color": "20,20,20", "outline_width": "0.6"}
        )
    )
    _add_label(
        layout,
        "Locator: the main map (black frame), and\nLargeOutput's 1,500 squares near Valence (red)",
        (LOCATOR_MAP[0], LOCATOR_MAP[1] + LOCATOR_MAP[3] + 1.2, LOCATOR_MAP[2], 6.0),
        _text_format(6.5, MUTED, italic=True),
    )
    if _north_arrow(layout, main) is None:
        print("demo: warning: QGIS ships no arrows/NorthArrow_02.svg; the map has no north arrow")
    _scale_bar(layout, main)
    _legend(layout, main, layers)
    _notes(layout, frame)
    project.layoutManager().addLayout(layout)
    return layout


def export(layout: QgsPrintLayout, png: Path, pdf: Path) -> None:
    """The page as a PNG and a PDF.

    The PNG is rendered to an image and saved by Qt: ``exportToImage`` would also try to
    georeference it in place through GDAL, whose PNG driver cannot ("ERROR 6").
    """
    exporter = QgsLayoutExporter(layout)
    image = exporter.renderPageToImage(0, QSize(), PNG_DPI)
    dots_per_metre = round(PNG_DPI / 0.0254)
    image.setDotsPerMeterX(dots_per_metre)
    image.setDotsPerMeterY(dots_per_metre)
    if image.isNull() or not image.save(str(png)):
        raise SystemExit(f"demo: cannot write {png}")
    document = QgsLayoutExporter.PdfExportSettings()
    document.dpi = PDF_DPI
    result = exporter.exportToPdf(str(pdf), document)
    if result != QgsLayoutExporter.ExportResult.Success:
        raise SystemExit(f"demo: cannot export {pdf}: {exporter.errorMessage()}")


def small_copy(png: Path, target: Path, width: int) -> None:
    """The README's picture: the map, ``width`` pixels wide."""
    image = QImage(str(png)).scaledToWidth(width, Qt.TransformationMode.SmoothTransformation)
    target.parent.mkdir(parents=True, exist_ok=True)
    if not image.save(str(target)):
        raise SystemExit(f"demo: cannot write {target}")


# ----------------------------------------------------------------------------- project


def _vector(gpkg: Path, table: str, key: str) -> QgsVectorLayer:
    layer = QgsVectorLayer(f"{gpkg}|layername={table}", LAYERS[key].name, "ogr")
    if not layer.isValid():
        raise SystemExit(f"demo: cannot open {table} in {gpkg}")
    return layer


def load_layers(gpkg: Path, raster: Path, map_service: QgsMapLayer) -> dict[str, QgsMapLayer]:
    layers: dict[str, QgsMapLayer] = {key: _vector(gpkg, key, key) for key in VECTOR_LAYERS}
    for key in ("elevation", "hillshade"):
        layer = QgsRasterLayer(str(raster), LAYERS[key].name, "gdal")
        if not layer.isValid():
            raise SystemExit(f"demo: cannot open the raster output {raster}")
        layers[key] = layer
    map_service.setName(LAYERS["map_service"].name)
    map_service.setAbstract(
        "The viewshed job's map, drawn live by the demo GP server (tests/gpserver) that "
        "`make demo` starts on a free port: valid only while that server runs. The same "
        "viewsheds are saved in demo.gpkg (table viewsheds)."
    )
    map_service.setOpacity(0.55)
    layers["map_service"] = map_service
    style_vectors(layers)  # type: ignore[arg-type]
    style_elevation(layers["elevation"], layers["hillshade"])  # type: ignore[arg-type]
    return layers


def build_and_render(
    *,
    output: Path,
    gpkg: Path,
    raster: Path,
    map_service: QgsMapLayer,
    frame: Frame,
    readme_image: Path | None,
    readme_width: int,
) -> list[Path]:
    """Project, layout, PNG, PDF (and the README's copy); the files written."""
    project = QgsProject.instance()
    project.clear()
    project.setFileName(str(output / "demo.qgz"))
    project.setFilePathStorage(Qgis.FilePathType.Relative)
    project.setTitle("make demo: ArcGIS Geoprocessing Services")
    project.setCrs(_crs())
    layers = load_layers(gpkg, raster, map_service)
    root = project.layerTreeRoot()
    for key in MAIN_LAYERS:  # top first, as the Layers panel lists them
        project.addMapLayer(layers[key], False)
        root.addLayer(layers[key])
    locator = root.addGroup("Locator map")
    for key in LOCATOR_LAYERS:
        project.addMapLayer(layers[key], False)
        locator.addLayer(layers[key])
    project.viewSettings().setDefaultViewExtent(QgsReferencedRectangle(frame.rectangle(), _crs()))
    layout = build_layout(project, layers, frame)
    png, pdf = output / "demo.png", output / "demo.pdf"
    export(layout, png, pdf)
    if not project.write():
        raise SystemExit(f"demo: cannot save {project.fileName()}: {project.error()}")
    written = [output / "demo.qgz", png, pdf]
    if readme_image is not None:
        small_copy(png, readme_image, readme_width)
    del layout, layers
    project.clear()
    return written
