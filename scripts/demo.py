"""`make demo`: the plugin's whole job, end to end, headless, in a map worth showing.

Starts the bundled GP server (tests/gpserver), loads the plugin the way qgis_process
does, and runs five GP tasks through Processing and the jobs API: a synchronous task, an
asynchronous one with its result map service, a raster output, an output past the
server's transfer limit (fetched whole by paging) and a job submitted in the background
and fetched by its id. The outputs go to a GeoPackage and a GeoTIFF; a print layout
(scripts/demo_map.py) renders them over an offline basemap to a PNG and a PDF, and the
project is saved with relative paths. Everything lands in ``demo-output/``, and a small
copy of the picture in ``docs/images/demo.png`` for the README.
"""

from __future__ import annotations

import argparse
import gc
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_OUTPUT = ROOT / "demo-output"
README_IMAGE = ROOT / "docs" / "images" / "demo.png"
README_IMAGE_WIDTH = 900

GPKG_NAME = "demo.gpkg"
RASTER_NAME = "elevation.tif"
#: Every file the demo writes in its folder: a re-run removes these, and nothing else.
PRODUCTS = (
    GPKG_NAME,
    f"{GPKG_NAME}-wal",
    f"{GPKG_NAME}-shm",
    f"{GPKG_NAME}-journal",
    RASTER_NAME,
    f"{RASTER_NAME}.aux.xml",
    "demo.qgz",
    "demo.png",
    "demo.pdf",
    "connections.yaml",
)

#: Observers around Bern (WGS 84): three hills with a view over the city.
OBSERVERS = (
    ("Gurten", 7.4386, 46.9197),
    ("Bantiger", 7.5283, 46.9780),
    ("Ulmizberg", 7.4060, 46.8930),
)
#: For orientation on the map only: sent to no task.
PLACES = (("Bern", 7.4474, 46.9481),)
BUFFER_KM = 1.5
VIEWSHED_KM = 4.0
STUDY_AREA_KM = 5.0
#: More than the AnalysisAsync service answers at once (its maxRecordCount is 1000).
LARGE_OUTPUT_FEATURES = 1500
ELEVATION_CELL_M = 25.0


@dataclass
class Step:
    """One line of the summary: which task, how it ran, what it gave, how long it took."""

    task: str
    mode: str
    result: str = ""
    seconds: float = 0.0


@dataclass
class Run:
    """What a run leaves: the summary lines, the files, the time of each phase."""

    steps: list[Step] = field(default_factory=list)
    files: list[Path] = field(default_factory=list)
    phases: dict[str, float] = field(default_factory=dict)


@contextmanager
def _phase(run: Run, name: str) -> Iterator[None]:
    started = time.monotonic()
    yield
    run.phases[name] = time.monotonic() - started


@contextmanager
def _step(run: Run, task: str, mode: str) -> Iterator[Step]:
    """Time one task; the block fills in the step's result (and may refine its mode)."""
    step = Step(task, mode)
    started = time.monotonic()
    yield step
    step.seconds += time.monotonic() - started
    run.steps.append(step)


def _feedback() -> Any:
    """A Processing feedback that keeps the runs' warnings (e.g. "fetched page by page")."""
    from qgis.core import QgsProcessingFeedback

    class DemoFeedback(QgsProcessingFeedback):
        def __init__(self) -> None:
            super().__init__()
            self.warnings: list[str] = []

        def pushWarning(self, text: str) -> None:
            self.warnings.append(text)
            super().pushWarning(text)

        def reportError(self, text: str, fatal: bool = False) -> None:
            print(f"demo: error: {text}", file=sys.stderr)
            super().reportError(text, fatal)

    return DemoFeedback()


# ----------------------------------------------------------------------------- QGIS


def _start_qgis(profile: Path) -> Any:
    os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
    # No elevation.tif.aux.xml: the statistics QGIS computes for the colour ramp stay in
    # memory rather than in a side file of GDAL's.
    os.environ.setdefault("GDAL_PAM_ENABLED", "NO")
    from qgis.core import QgsApplication, QgsSettings

    app = QgsApplication([], False, str(profile))
    app.initQgis()
    # QGIS's network cache sizes its whole folder on the first request: a private one
    # keeps the demo from walking (and filling) the user's cache.
    QgsSettings().setValue("cache/directory", str(profile / "network-cache"))
    sys.path.append(QgsApplication.pkgDataPath() + "/python/plugins")
    from processing.core.Processing import Processing

    Processing.initialize()
    return app


def _load_plugin(plugins: Path) -> None:
    """Load arcgis_gp from this checkout exactly as QGIS loads an installed plugin."""
    import qgis.utils

    (plugins / "arcgis_gp").symlink_to(ROOT, target_is_directory=True)
    sys.path.insert(0, str(plugins))
    qgis.utils.plugin_paths = [str(plugins)]
    qgis.utils.updateAvailablePlugins()
    if not (qgis.utils.loadPlugin("arcgis_gp") and qgis.utils.startProcessingPlugin("arcgis_gp")):
        raise SystemExit("demo: the plugin did not load (see the messages above)")


def _stop_qgis(app: Any) -> None:
    """Release every layer, then QGIS itself, so each GeoPackage is closed cleanly.

    An OGR layer still open when the process ends leaves ``-wal``/``-shm`` files beside
    its GeoPackage; QGIS closes the files of removed layers and, at exit, its pooled
    connections.
    """
    import qgis.utils
    from qgis.core import QgsProject

    if "arcgis_gp" in qgis.utils.plugins:
        qgis.utils.unloadPlugin("arcgis_gp")
    QgsProject.instance().clear()
    gc.collect()
    app.exitQgis()


# ----------------------------------------------------------------------------- inputs


def _gpkg_table(gpkg: Path, table: str) -> str:
    """A Processing destination: one table of a (possibly existing) GeoPackage."""
    return f"ogr:dbname='{gpkg}' table=\"{table}\" (geom)"


def _count(gpkg: Path, table: str) -> int:
    from qgis.core import QgsVectorLayer

    layer = QgsVectorLayer(f"{gpkg}|layername={table}", table, "ogr")
    if not layer.isValid():
        raise SystemExit(f"demo: the output {table} is missing from {gpkg}")
    count = layer.featureCount()
    del layer
    return count


def _points_table(gpkg: Path, table: str, rows: tuple[tuple[str, float, float], ...]) -> None:
    """Named points (WGS 84) as a GeoPackage table: the observers, the tasks' input."""
    from qgis.core import (
        QgsCoordinateTransformContext,
        QgsFeature,
        QgsGeometry,
        QgsPointXY,
        QgsVectorFileWriter,
        QgsVectorLayer,
    )

    layer = QgsVectorLayer("Point?crs=EPSG:4326&field=name:string(40)", table, "memory")
    features = []
    for name, x, y in rows:
        feature = QgsFeature(layer.fields())
        feature.setAttributes([name])
        feature.setGeometry(QgsGeometry.fromPointXY(QgsPointXY(x, y)))
        features.append(feature)
    layer.dataProvider().addFeatures(features)
    options = QgsVectorFileWriter.SaveVectorOptions()
    options.driverName = "GPKG"
    options.layerName = table
    if gpkg.exists():
        options.actionOnExistingFile = (
            QgsVectorFileWriter.ActionOnExistingFile.CreateOrOverwriteLayer
        )
    error = QgsVectorFileWriter.writeAsVectorFormatV3(
        layer, str(gpkg), QgsCoordinateTransformContext(), options
    )
    if error[0] != QgsVectorFileWriter.WriterError.NoError:
        raise SystemExit(f"demo: cannot write {table} to {gpkg}: {error[1]}")


def _basemap(gpkg: Path) -> None:
    """Countries of QGIS's own offline world map, clipped to the locator map's area.

    Copied into the demo's GeoPackage so the project refers to no file outside its folder.
    """
    import processing
    from qgis.core import QgsApplication

    from scripts import demo_map

    world = Path(QgsApplication.pkgDataPath()) / "resources" / "data" / "world_map.gpkg"
    if not world.exists():
        raise SystemExit(f"demo: QGIS's offline world map is missing: {world}")
    processing.run(
        "native:extractbyextent",
        {
            "INPUT": f"{world}|layername=countries",
            "EXTENT": demo_map.LOCATOR_EXTENT_WGS84,
            "CLIP": True,
            "OUTPUT": _gpkg_table(gpkg, "countries"),
        },
    )


# ----------------------------------------------------------------------------- tasks


def _short(job_id: str) -> str:
    return f"{job_id[:8]}…"


def _max_record_count(server: Any, service: str, job_id: str) -> int | None:
    """The result map service's transfer limit, as the server states it."""
    import requests

    url = f"{server.services_url}/{service}/MapServer/jobs/{job_id}"
    value = requests.get(url, params={"f": "json"}, timeout=30).json().get("maxRecordCount")
    return int(value) if value else None


def _run_tasks(server: Any, output: Path, extent: str, run: Run) -> Any:
    """The five runs, each a line of the summary; the viewshed job's map service layer."""
    import processing

    from arcgis_gp.plugin.jobs import api

    gpkg = output / GPKG_NAME
    observers = f"{gpkg}|layername=observers"
    feedback = _feedback()

    # Submitted first and left running: the server works on it while the others run.
    started = time.monotonic()
    background_job = api.submit(
        "arcgisgp:demo__analysisasync__buffer",
        {
            "Input_Features": observers,
            "Distance": STUDY_AREA_KM,
            "Distance_units": "esriKilometers",
            "Dissolve": True,
            "Output_Polygons": "TEMPORARY_OUTPUT",
            "ADD_RESULT_MAP_LAYER": False,
        },
        feedback=feedback,
    )
    submit_seconds = time.monotonic() - started

    with _step(run, "Analysis/Buffer", "synchronous (execute)") as step:
        processing.run(
            "arcgisgp:demo__analysis__buffer",
            {
                "Input_Features": observers,
                "Distance": BUFFER_KM,
                "Distance_units": "esriKilometers",
                "Output_Polygons": _gpkg_table(gpkg, "buffers"),
            },
            feedback=feedback,
        )
        step.result = f"{_count(gpkg, 'buffers')} features"

    with _step(run, "Elevation/Viewshed/Viewshed", "asynchronous job") as step:
        result = processing.run(
            "arcgisgp:demo__elevation_viewshed__viewshed",
            {
                "Input_Observer": observers,
                "Radius": VIEWSHED_KM,
                "Radius_units": "esriKilometers",
                "Output_Viewshed": _gpkg_table(gpkg, "viewsheds"),
                "ADD_RESULT_MAP_LAYER": True,
            },
            feedback=feedback,
        )
        map_service = result.get("RESULT_MAP_LAYER")
        if map_service is None:
            raise SystemExit("demo: the viewshed job's result map service layer was not added")
        step.mode = f"asynchronous job {_short(result['JOB_ID'])}"
        step.result = f"{_count(gpkg, 'viewsheds')} features + result map service layer"

    raster = output / RASTER_NAME
    with _step(run, "Elevation/Viewshed/ElevationRaster", "asynchronous job") as step:
        result = processing.run(
            "arcgisgp:demo__elevation_viewshed__elevationraster",
            {
                "Extent": extent,
                "Cell_Size": ELEVATION_CELL_M,
                "Output_Raster": str(raster),
                "ADD_RESULT_MAP_LAYER": False,
            },
            feedback=feedback,
        )
        step.mode = f"asynchronous job {_short(result['JOB_ID'])}"
        step.result = f"raster {raster.name}, {raster.stat().st_size // 1024} KiB"

    with _step(run, "AnalysisAsync/LargeOutput", "asynchronous job") as step:
        warnings_before = len(feedback.warnings)
        result = processing.run(
            "arcgisgp:demo__analysisasync__largeoutput",
            {
                "Feature_Count": LARGE_OUTPUT_FEATURES,
                "Output_Features": _gpkg_table(gpkg, "large_output"),
                "ADD_RESULT_MAP_LAYER": False,
            },
            feedback=feedback,
        )
        count = _count(gpkg, "large_output")
        paged = any("page" in text for text in feedback.warnings[warnings_before:])
        if count != LARGE_OUTPUT_FEATURES or not paged:
            raise SystemExit(
                f"demo: LargeOutput gave {count} of {LARGE_OUTPUT_FEATURES} features "
                f"({'paged' if paged else 'not paged'})"
            )
        limit = _max_record_count(server, "AnalysisAsync", result["JOB_ID"])
        step.mode = f"asynchronous job {_short(result['JOB_ID'])}"
        step.result = f"{count} features, past the {limit}-record limit: paged"

    with _step(run, "AnalysisAsync/Buffer", f"background job {_short(background_job)}") as step:
        record = api.wait(background_job, timeout=60)
        if record.error or not record.state.is_final:
            raise SystemExit(f"demo: the background job ended {record.state.label}")
        api.fetch_results(
            background_job, {"Output_Polygons": _gpkg_table(gpkg, "study_area")}, feedback=feedback
        )
        step.seconds = submit_seconds
        step.result = f"{_count(gpkg, 'study_area')} feature, fetched by its job id"
    return map_service


# ----------------------------------------------------------------------------- main


def _demo(server: Any, output: Path, readme_image: Path | None, run: Run) -> None:
    from qgis.core import QgsApplication

    from scripts import demo_map

    provider = QgsApplication.processingRegistry().providerById("arcgisgp")
    print(f"demo: {len(provider.algorithms())} GP tasks became Processing algorithms")
    gpkg = output / GPKG_NAME
    with _phase(run, "inputs and basemap"):
        _points_table(gpkg, "observers", OBSERVERS)
        _points_table(gpkg, "places", PLACES)
        _basemap(gpkg)
    frame = demo_map.main_map_extent([(x, y) for _, x, y in OBSERVERS], STUDY_AREA_KM * 1000)
    with _phase(run, "GP tasks"):
        map_service = _run_tasks(server, output, frame.as_processing_extent(), run)
    with _phase(run, "project, layout, PNG and PDF"):
        files = demo_map.build_and_render(
            output=output,
            gpkg=gpkg,
            raster=output / RASTER_NAME,
            map_service=map_service,
            frame=frame,
            readme_image=readme_image,
            readme_width=README_IMAGE_WIDTH,
        )
    del map_service
    run.files = [gpkg, output / RASTER_NAME, *files]


def _print_summary(run: Run, total: float) -> None:
    print("\ndemo summary: task, mode, result, seconds")
    for step in run.steps:
        print(f"  {step.task:<35} {step.mode:<27} {step.result:<49} {step.seconds:5.2f} s")
    phases = ", ".join(f"{name} {seconds:.1f} s" for name, seconds in run.phases.items())
    print(f"  {phases}; whole demo {total:.1f} s")
    print(f"\ndemo outputs in {run.files[0].parent}:")
    for path in run.files:
        print(f"  {path.name:<12} {path.stat().st_size // 1024:>6} KiB")


def _clear_previous(output: Path) -> None:
    """Remove the files a previous run wrote (only those), so a re-run replaces them."""
    output.mkdir(parents=True, exist_ok=True)
    for name in PRODUCTS:
        (output / name).unlink(missing_ok=True)


def _left_open(output: Path) -> list[str]:
    """SQLite side files: a GeoPackage some layer did not close."""
    return sorted(p.name for p in output.iterdir() if p.name.endswith(("-wal", "-shm")))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0, help="GP server port (0: a free one)")
    parser.add_argument("--output", type=Path, default=DEFAULT_OUTPUT, help="output folder")
    parser.add_argument(
        "--readme-image",
        type=Path,
        default=README_IMAGE,
        help=f"the map, {README_IMAGE_WIDTH} px wide, for the README ('' for none)",
    )
    args = parser.parse_args(argv)
    output: Path = args.output.resolve()
    readme_image = args.readme_image if str(args.readme_image) not in ("", ".") else None
    started = time.monotonic()
    run = Run()
    _clear_previous(output)

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
    scratch = Path(tempfile.mkdtemp(prefix="arcgis_gp_demo_"))
    (scratch / "profile").mkdir()
    (scratch / "plugins").mkdir()
    try:
        with _phase(run, "start-up"):
            app = _start_qgis(scratch / "profile")
            _load_plugin(scratch / "plugins")
        try:
            _demo(server, output, readme_image, run)
        finally:
            _stop_qgis(app)
    finally:
        server.stop()
        shutil.rmtree(scratch, ignore_errors=True)
        print("demo: GP server stopped")
    _print_summary(run, time.monotonic() - started)
    left_open = _left_open(output)
    if left_open:
        print(f"demo: error: files left open: {', '.join(left_open)}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
