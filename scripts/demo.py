"""`make demo`: the plugin's main job, end to end, headless.

Starts the bundled GP server (tests/gpserver), loads the plugin the way qgis_process
does, runs a synchronous and an asynchronous task through Processing, writes the
outputs to a GeoPackage, adds the asynchronous job's result map service layer, saves a
QGIS project and renders it to a PNG. Everything lands in ``demo-output/``.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "demo-output"


def _start_qgis() -> object:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    from qgis.core import QgsApplication

    profile = Path(tempfile.mkdtemp(prefix="arcgis_gp_demo_profile_"))
    app = QgsApplication([], False, str(profile))
    app.initQgis()
    sys.path.append(QgsApplication.pkgDataPath() + "/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    return app


def _load_plugin() -> None:
    """Load arcgis_gp from this checkout exactly as QGIS loads an installed plugin."""
    import qgis.utils

    plugins = Path(tempfile.mkdtemp(prefix="arcgis_gp_demo_plugins_"))
    (plugins / "arcgis_gp").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(plugins))
    qgis.utils.plugin_paths = [str(plugins)]
    qgis.utils.updateAvailablePlugins()
    if not (qgis.utils.loadPlugin("arcgis_gp") and qgis.utils.startProcessingPlugin("arcgis_gp")):
        raise SystemExit("demo: the plugin did not load (see the messages above)")


def _observer_points() -> object:
    """Three observers around Bern, in WGS 84, as a memory layer."""
    from qgis.core import QgsFeature, QgsGeometry, QgsPointXY, QgsVectorLayer

    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=name:string(40)", "observers", "memory")
    features = []
    for name, x, y in (
        ("Gurten", 7.4386, 46.9197),
        ("Bantiger", 7.5283, 46.9780),
        ("Ulmizberg", 7.4060, 46.8930),
    ):
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    return layer


def _save_to_gpkg(layer: object, gpkg: Path, name: str) -> object:
    from qgis.core import QgsCoordinateTransformContext, QgsVectorFileWriter, QgsVectorLayer

    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = name
    options.actionOnExistingFile = (
        QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        if gpkg.exists()
        else QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteFile
    )
    error = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(gpkg), QgsCoordinateTransformContext(), options
    )
    if error[0] != QgsVectorFileWriter.WriterError.NoError:
        raise SystemExit(f"demo: cannot write {name} to {gpkg}: {error[1]}")
    saved = QgsVectorLayer(f"{gpkg}|layername={name}", name, "ogr")
    assert saved.isValid(), name
    return saved


def _render(project: object, png: Path) -> None:
    from qgis.core import QgsMapRendererParallelJob, QgsMapSettings, QgsRectangle
    from qgis.PyQt.QtCore import QSize
    from qgis.PyQt.QtGui import QColor

    layers = [node.layer() for node in project.layerTreeRoot().findLayers() if node.layer()]
    settings = QgsMapSettings()
    settings.setLayers(layers)
    settings.setDestinationCrs(project.crs())
    settings.setOutputSize(QSize(1200, 900))
    settings.setBackgroundColor(QColor("white"))
    extent = QgsRectangle()
    for layer in layers:
        if layer.name() != "result map service":
            from qgis.core import QgsCoordinateTransform

            transform = QgsCoordinateTransform(layer.crs(), project.crs(), project)
            extent.combineExtentWith(transform.transformBoundingBox(layer.extent()))
    extent.scale(1.15)
    settings.setExtent(extent)
    job = QgsMapRendererParallelJob(settings)
    job.start()
    job.waitForFinished()
    job.renderedImage().save(str(png))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="GP server port (0: a free one)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output folder")
    args = parser.parse_args(argv)
    output: Path = args.output.resolve()
    started = time.monotonic()
    output.mkdir(parents=True, exist_ok=True)
    for old in output.glob("demo*"):
        old.unlink()

    sys.path.insert(0, str(ROOT))
    from tests.gpserver import GPServer

    server = GPServer(host="127.0.0.1", port=args.port)
    server.start()
    print(f"demo: GP server at {server.services_url}")
    connections = output / "connections.yaml"
    connections.write_text(
        f"connections:\n  - name: demo\n    url: {server.services_url}\n", encoding="utf-8"
    )
    os.environ["ARCGIS_GP_CONNECTIONS"] = str(connections)
    try:
        app = _start_qgis()
        _load_plugin()
        code = _run_tasks(server, output, started)
        del app
        return code
    finally:
        server.stop()
        print("demo: GP server stopped")


def _run_tasks(server: object, output: Path, started: float) -> int:
    import processing
    from qgis.core import (
        QgsApplication,
        QgsCoordinateReferenceSystem,
        QgsProcessingFeedback,
        QgsProject,
        QgsVectorLayer,
    )

    provider = QgsApplication.processingRegistry().providerById("arcgisgp")
    algorithms = sorted(a.id() for a in provider.algorithms())
    print(f"demo: {len(algorithms)} GP tasks became algorithms, e.g. {algorithms[:3]}")
    gpkg = output / "demo.gpkg"
    observers = _save_to_gpkg(_observer_points(), gpkg, "observers")
    feedback = QgsProcessingFeedback()
    summary = []

    t0 = time.monotonic()
    buffer = processing.run(
        "arcgisgp:demo__analysis__buffer",
        {
            "Input_Features": observers,
            "Distance": 1.5,
            "Distance_units": "esriKilometers",
            "Output_Polygons": f"ogr:dbname='{gpkg}' table=\"buffers\" (geom)",
        },
        feedback=feedback,
    )
    buffers = QgsVectorLayer(f"{gpkg}|layername=buffers", "buffers (sync execute)", "ogr")
    summary.append(("Analysis/Buffer (sync)", buffers.featureCount(), time.monotonic() - t0))

    t0 = time.monotonic()
    viewshed = processing.run(
        "arcgisgp:demo__elevation_viewshed__viewshed",
        {
            "Input_Observer": observers,
            "Radius": 4,
            "Radius_units": "esriKilometers",
            "Output_Viewshed": f"ogr:dbname='{gpkg}' table=\"viewsheds\" (geom)",
        },
        feedback=feedback,
    )
    viewsheds = QgsVectorLayer(f"{gpkg}|layername=viewsheds", "viewsheds (async job)", "ogr")
    job_id = viewshed["JOB_ID"]
    summary.append(
        (
            f"Elevation/Viewshed (async, job {job_id})",
            viewsheds.featureCount(),
            time.monotonic() - t0,
        )
    )

    project = QgsProject.instance()
    project.setCrs(QgsCoordinateReferenceSystem("EPSG:3857"))
    result_layer = viewshed["RESULT_MAP_LAYER"]  # the plugin added it (arcgismapserver)
    result_layer.setName("result map service")
    for layer in (
        result_layer,
        viewsheds,
        buffers,
        QgsVectorLayer(f"{gpkg}|layername=observers", "observers", "ogr"),
    ):
        if layer.isValid():
            project.addMapLayer(layer)
        else:
            print(f"demo: warning: layer {layer.name()} is not valid ({layer.error().summary()})")
    project_path = output / "demo.qgz"
    project.write(str(project_path))
    png = output / "demo.png"
    _render(project, png)

    print("\ndemo summary")
    for task, features, seconds in summary:
        print(f"  {task:<60} {features:>6} features  {seconds:6.2f} s")
    print(f"  total {time.monotonic() - started:.1f} s")
    print(f"\ndemo outputs in {output}:")
    for path in (gpkg, project_path, png):
        print(f"  {path}")
    del buffer
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
