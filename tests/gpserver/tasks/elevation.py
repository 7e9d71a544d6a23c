"""Tasks of Elevation/Viewshed: Viewshed, ElevationRaster (a real GeoTIFF), Report (a real
file), and the job-life-cycle tasks SlowTask, FailingTask and TimeoutTask."""

from __future__ import annotations

import csv
import html
import math
import random
import zlib
from typing import Any

import numpy as np
from osgeo import gdal, ogr, osr

from .. import geometry, spatialref
from ..errors import TaskFailedError, TaskTimedOutError
from ..featureset import OID, FeatureSet, field_def
from ..inputs import InputFile
from ..jobs import TaskContext
from ..outputs import OutputFile
from .geo import to_metres

_RAYS = 72
_MAX_CELLS = 25_000_000
DEFAULT_EXTENT = {
    "xmin": 10.0,
    "ymin": 45.0,
    "xmax": 10.5,
    "ymax": 45.5,
    "spatialReference": {"wkid": 4326},
}


def _star(lon: float, lat: float, radius: float, seed: int) -> tuple[Any, float]:
    """A deterministic, irregular 'visible area' around a point: rays of varying reach."""
    local = spatialref.local_metric(lon, lat)
    rng = random.Random(seed)
    ring = ogr.Geometry(ogr.wkbLinearRing)
    for k in range(_RAYS):
        angle = -2.0 * math.pi * k / _RAYS  # clockwise, as Esri rings go
        reach = radius * (0.35 + 0.65 * rng.random())
        ring.AddPoint_2D(reach * math.cos(angle), reach * math.sin(angle))
    ring.CloseRings()
    polygon = ogr.Geometry(ogr.wkbPolygon)
    polygon.AddGeometry(ring)
    area = polygon.GetArea()
    polygon.AssignSpatialReference(local)
    return polygon, area


def viewshed(ctx: TaskContext) -> dict[str, Any]:
    observers: FeatureSet = ctx.inputs["Input_Observer"]
    radius = to_metres(ctx.inputs["Radius"], "Radius")
    if radius <= 0:
        raise TaskFailedError("ERROR 000854: Radius: The value must be greater than 0.")
    to_wgs84 = spatialref.transformation(observers.spatial_reference, spatialref.WGS84)
    target = spatialref.srs_from_json(observers.spatial_reference)
    features = []
    for index, geom in enumerate(observers.ogr_geometries()):
        ctx.check_cancelled()
        if geom is None:
            continue
        point = geom.Centroid()
        if to_wgs84 is not None:
            point.Transform(to_wgs84)
        lon, lat = point.GetX(), point.GetY()
        seed = zlib.crc32(f"{lon:.6f},{lat:.6f}".encode())
        polygon, area = _star(lon, lat, radius, seed)
        polygon.Transform(osr.CoordinateTransformation(polygon.GetSpatialReference(), target))
        features.append(
            {
                "attributes": {
                    "OBJECTID": len(features) + 1,
                    "OBSERVER": index + 1,
                    "RADIUS": radius,
                    "AREA": area,
                },
                "geometry": geometry.from_ogr(polygon, "esriGeometryPolygon"),
            }
        )
        ctx.progress(100.0 * (index + 1) / max(1, len(observers.features)), "Viewshed")
    output = FeatureSet(
        geometry_type="esriGeometryPolygon",
        spatial_reference=observers.spatial_reference,
        fields=[
            field_def("OBJECTID", OID),
            field_def("OBSERVER", "esriFieldTypeInteger"),
            field_def("RADIUS", "esriFieldTypeDouble"),
            field_def("AREA", "esriFieldTypeDouble"),
        ],
        features=features,
    )
    return {"Output_Viewshed": output}


def _raster_frame(ctx: TaskContext) -> tuple[tuple[float, float, float, float], Any]:
    extent = ctx.inputs.get("Extent")
    raster: InputFile | None = ctx.inputs.get("Input_Raster")
    if isinstance(extent, dict):
        sr = spatialref.srs_from_json(extent.get("spatialReference") or spatialref.WGS84)
        return (extent["xmin"], extent["ymin"], extent["xmax"], extent["ymax"]), sr
    if raster is not None:
        dataset = gdal.Open(str(raster.path))
        if dataset is None:
            raise TaskFailedError(
                f"ERROR 000732: Input Raster: Dataset {raster.name} is not a raster"
            )
        x0, dx, _, y0, _, dy = dataset.GetGeoTransform()
        x1, y1 = x0 + dx * dataset.RasterXSize, y0 + dy * dataset.RasterYSize
        srs = dataset.GetSpatialRef() or spatialref.srs_from_code(4326)
        return (min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)), srs
    default = DEFAULT_EXTENT
    return (
        (default["xmin"], default["ymin"], default["xmax"], default["ymax"]),
        spatialref.srs_from_code(4326),
    )


def elevation_raster(ctx: TaskContext) -> dict[str, Any]:
    """A Float32 GeoTIFF of synthetic hills over the extent (or the input raster's)."""
    (xmin, ymin, xmax, ymax), srs = _raster_frame(ctx)
    cell = ctx.inputs.get("Cell_Size") or (xmax - xmin) / 100.0
    if cell <= 0 or xmax <= xmin or ymax <= ymin:
        raise TaskFailedError("ERROR 000859: Cell Size and Extent must be positive.")
    columns, rows = math.ceil((xmax - xmin) / cell), math.ceil((ymax - ymin) / cell)
    if columns * rows > _MAX_CELLS:
        raise TaskFailedError(f"ERROR 010240: {columns} x {rows} cells is too large an output.")
    ctx.progress(10, "Computing elevation")
    u = (np.arange(columns) + 0.5) / columns
    v = (np.arange(rows) + 0.5) / rows
    uu, vv = np.meshgrid(u, v)
    hills = (
        800 * np.exp(-((uu - 0.3) ** 2 + (vv - 0.4) ** 2) / 0.02)
        + 500 * np.exp(-((uu - 0.7) ** 2 + (vv - 0.7) ** 2) / 0.01)
        + 200 * uu
        + 100
    )
    ctx.check_cancelled()
    path = ctx.scratch_path("elevation.tif")
    dataset = gdal.GetDriverByName("GTiff").Create(
        str(path), columns, rows, 1, gdal.GDT_Float32, ["COMPRESS=DEFLATE"]
    )
    dataset.SetGeoTransform((xmin, cell, 0.0, ymax, 0.0, -cell))
    dataset.SetSpatialRef(srs)
    band = dataset.GetRasterBand(1)
    band.SetNoDataValue(-9999.0)
    band.WriteArray(hills.astype(np.float32))
    band.FlushCache()
    dataset = None
    ctx.message(f"Elevation raster of {columns} x {rows} cells written.")
    return {"Output_Raster": OutputFile(path, "tif")}


def elevation_image_service(ctx: TaskContext) -> dict[str, Any]:
    """The elevation raster, published as an image service rather than as a file."""
    raster = elevation_raster(ctx)["Output_Raster"]
    return {"Output_Image": OutputFile(raster.path, raster.format, image_service=True)}


def report(ctx: TaskContext) -> dict[str, Any]:
    """An HTML or CSV report about the input features (a real file to download)."""
    source: FeatureSet = ctx.inputs["Input_Features"]
    kind = (ctx.inputs.get("Report_Format") or "HTML").upper()
    names = source.field_names()
    rows = [[(f.get("attributes") or {}).get(n) for n in names] for f in source.features]
    if kind == "CSV":
        path = ctx.scratch_path("report.csv")
        with open(path, "w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(names)
            writer.writerows(rows)
    else:
        path = ctx.scratch_path("report.html")
        head = "".join(f"<th>{html.escape(n)}</th>" for n in names)
        body = "".join(
            "<tr>" + "".join(f"<td>{html.escape(str(v))}</td>" for v in row) + "</tr>"
            for row in rows
        )
        path.write_text(
            "<!DOCTYPE html><html><head><meta charset='utf-8'><title>Report</title></head>"
            f"<body><h1>Feature report</h1><p>{len(rows)} features, geometry "
            f"{html.escape(str(source.geometry_type))}</p>"
            f"<table><tr>{head}</tr>{body}</table></body></html>",
            encoding="utf-8",
        )
    ctx.message(f"Report of {len(rows)} features written.")
    return {"Output_Report": OutputFile(path)}


def slow_task(ctx: TaskContext) -> dict[str, Any]:
    """One step per second with progress and a message; stops at once on cancel."""
    seconds = int(ctx.inputs["Seconds"])
    for step in range(seconds):
        ctx.progress(100.0 * step / seconds, f"Step {step + 1} of {seconds}")
        ctx.message(f"Step {step + 1} of {seconds}")
        ctx.sleep(1.0)
    ctx.progress(100.0, "Done")
    return {"Steps_Done": seconds}


def failing_task(ctx: TaskContext) -> dict[str, Any]:
    ctx.message("Checking inputs...")
    ctx.warning("WARNING 000117: Warning empty output generated.")
    raise TaskFailedError(
        "ERROR 000210: Cannot create output Output.",
        f"ERROR 999999: {ctx.inputs.get('Message') or 'Simulated failure.'}",
    )


def timeout_task(ctx: TaskContext) -> dict[str, Any]:
    ctx.sleep(float(ctx.inputs.get("Seconds") or 0.0))
    raise TaskTimedOutError(
        "ERROR 001400: The job exceeded the maximum time a client can use a service (maxUsageTime)."
    )
