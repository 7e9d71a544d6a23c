"""Drawing layers into a real PNG for the ``export`` operation, with GDAL only.

Polygons are filled and outlined, lines drawn, points drawn as small discs (buffered in
pixel units), rasters warped into the view and shown as a grey ramp. No Qt: the server
also runs from a plain shell.
"""

from __future__ import annotations

import uuid
from typing import Any

import numpy as np
from osgeo import gdal, ogr

from . import spatialref
from .maplayers import MapLayer

PALETTE = [
    (230, 85, 13),
    (49, 130, 189),
    (49, 163, 84),
    (117, 107, 177),
    (222, 45, 38),
    (99, 99, 99),
]
POINT_RADIUS_PX = 3.0


def _memory_layer(geometries: list[Any], srs: Any) -> tuple[Any, Any]:
    source = ogr.GetDriverByName("Memory").CreateDataSource("")
    layer = source.CreateLayer("l", srs=srs, geom_type=ogr.wkbUnknown)
    definition = layer.GetLayerDefn()
    for geom in geometries:
        feature = ogr.Feature(definition)
        feature.SetGeometry(geom)
        layer.CreateFeature(feature)
    return source, layer


def _burn(dataset: Any, geometries: list[Any], colour: tuple[int, int, int, int], touched: bool):
    if not geometries:
        return
    source, layer = _memory_layer(geometries, dataset.GetSpatialRef())
    options = ["ALL_TOUCHED=TRUE"] if touched else []
    gdal.RasterizeLayer(dataset, [1, 2, 3, 4], layer, burn_values=list(colour), options=options)
    del source  # keeps the memory data source alive until the layer is drawn


def _draw_features(dataset: Any, layer: MapLayer, sr: dict, index: int, pixel: float) -> None:
    red, green, blue = PALETTE[index % len(PALETTE)]
    fills, outlines, lines = [], [], []
    for geom in layer.geometries_in(sr):
        if geom is None:
            continue
        dimension = geom.GetDimension()
        if dimension == 2:
            fills.append(geom)
            outlines.append(geom.Boundary())
        elif dimension == 1:
            lines.append(geom)
        else:
            fills.append(geom.Buffer(pixel * POINT_RADIUS_PX, 4))
    _burn(dataset, fills, (red, green, blue, 160), touched=False)
    _burn(dataset, outlines, (red // 2, green // 2, blue // 2, 255), touched=True)
    _burn(dataset, lines, (red, green, blue, 255), touched=True)


def _draw_raster(dataset: Any, layer: MapLayer, sr: dict, bounds: tuple, size: tuple) -> None:
    srs = spatialref.srs_from_json(sr)
    warped = gdal.Warp(
        "",
        str(layer.raster),
        format="MEM",
        outputBounds=bounds,
        width=size[0],
        height=size[1],
        dstSRS=srs.ExportToWkt(),
        dstNodata=-9999.0,
        outputType=gdal.GDT_Float32,
    )
    if warped is None:
        return
    values = warped.GetRasterBand(1).ReadAsArray()
    valid = values != -9999.0
    if not valid.any():
        return
    low, high = float(values[valid].min()), float(values[valid].max())
    grey = np.zeros(values.shape, dtype=np.uint8)
    grey[valid] = (40 + 215 * (values[valid] - low) / ((high - low) or 1.0)).astype(np.uint8)
    for band_number in (1, 2, 3):
        band = dataset.GetRasterBand(band_number).ReadAsArray()
        band[valid] = grey[valid]
        dataset.GetRasterBand(band_number).WriteArray(band)
    alpha = dataset.GetRasterBand(4).ReadAsArray()
    alpha[valid] = 255
    dataset.GetRasterBand(4).WriteArray(alpha)


def png_bytes(dataset: Any) -> bytes:
    """Encode a GDAL dataset as PNG in memory (a unique /vsimem name: thread-safe)."""
    name = f"/vsimem/gpserver_{uuid.uuid4().hex}.png"
    gdal.GetDriverByName("PNG").CreateCopy(name, dataset)
    handle = gdal.VSIFOpenL(name, "rb")
    gdal.VSIFSeekL(handle, 0, 2)
    length = gdal.VSIFTellL(handle)
    gdal.VSIFSeekL(handle, 0, 0)
    data = gdal.VSIFReadL(1, length, handle)
    gdal.VSIFCloseL(handle)
    gdal.Unlink(name)
    return bytes(data)


def render_png(
    layers: list[MapLayer],
    sr: dict[str, Any],
    bounds: tuple[float, float, float, float],
    size: tuple[int, int],
    transparent: bool,
) -> bytes:
    """A PNG of ``layers`` over ``bounds`` (in ``sr``) at ``size`` pixels."""
    width, height = size
    xmin, ymin, xmax, ymax = bounds
    dataset = gdal.GetDriverByName("MEM").Create("", width, height, 4, gdal.GDT_Byte)
    dataset.SetGeoTransform((xmin, (xmax - xmin) / width, 0, ymax, 0, -(ymax - ymin) / height))
    dataset.SetSpatialRef(spatialref.srs_from_json(sr))
    for band_number, value in zip((1, 2, 3, 4), (255, 255, 255, 0 if transparent else 255)):
        dataset.GetRasterBand(band_number).Fill(value)
    pixel = max((xmax - xmin) / width, (ymax - ymin) / height)
    for index, layer in enumerate(layers):
        if layer.is_raster:
            _draw_raster(dataset, layer, sr, bounds, size)
        else:
            _draw_features(dataset, layer, sr, index, pixel)
    return png_bytes(dataset)


def swatch_png(index: int, raster: bool = False) -> bytes:
    """A 20 x 20 legend swatch in the layer's colour."""
    dataset = gdal.GetDriverByName("MEM").Create("", 20, 20, 4, gdal.GDT_Byte)
    colour = (128, 128, 128) if raster else PALETTE[index % len(PALETTE)]
    for band_number, value in zip((1, 2, 3, 4), (*colour, 255)):
        dataset.GetRasterBand(band_number).Fill(value)
    return png_bytes(dataset)
