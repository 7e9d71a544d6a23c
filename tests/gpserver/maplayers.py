"""Layers of a map or feature service: a job's geodataset outputs, or a static dataset.

A result map service (``…/MapServer/jobs/<jobId>``) shows one layer per feature or raster
output of the job, in the order of the task's outputs. The same :class:`MapLayer` backs
layer descriptions, queries and exported images, whatever service it belongs to.
"""

from __future__ import annotations

import datetime as dt
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osgeo import gdal, ogr

from . import geometry, spatialref
from .featureset import OID, FeatureSet, field_def
from .outputs import RASTER_TYPES, OutputFile

_OGR_TYPES = {
    "esriFieldTypeOID": ogr.OFTInteger64,
    "esriFieldTypeSmallInteger": ogr.OFTInteger,
    "esriFieldTypeInteger": ogr.OFTInteger64,
    "esriFieldTypeBigInteger": ogr.OFTInteger64,
    "esriFieldTypeSingle": ogr.OFTReal,
    "esriFieldTypeDouble": ogr.OFTReal,
    "esriFieldTypeDate": ogr.OFTDateTime,
}


@dataclass
class MapLayer:
    """One layer: features (always with an OID field) or a raster file."""

    id: int
    name: str
    features: FeatureSet | None = None
    raster: Path | None = None
    _cache: dict[Any, Any] = field(default_factory=dict, repr=False)
    _lock: threading.Lock = field(default_factory=threading.Lock, repr=False)

    @property
    def is_raster(self) -> bool:
        return self.raster is not None

    @property
    def oid_field(self) -> str:
        assert self.features is not None
        return self.features.oid_field or "OBJECTID"

    def spatial_reference(self) -> dict[str, Any]:
        if self.features is not None:
            return spatialref.normalise_sr(self.features.spatial_reference) or spatialref.WGS84
        dataset = gdal.Open(str(self.raster))
        srs = dataset.GetSpatialRef() if dataset is not None else None
        return spatialref.sr_to_json(srs) if srs is not None else spatialref.WGS84

    def extent(self) -> tuple[float, float, float, float] | None:
        if self.features is not None:
            return self.features.extent()
        dataset = gdal.Open(str(self.raster))
        if dataset is None:
            return None
        x0, dx, _, y0, _, dy = dataset.GetGeoTransform()
        x1, y1 = x0 + dx * dataset.RasterXSize, y0 + dy * dataset.RasterYSize
        return min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1)

    def cached(self, key: Any, build: Any) -> Any:
        """Build once per key (OGR attribute tables, reprojected copies ...)."""
        with self._lock:
            if key not in self._cache:
                self._cache[key] = build()
            return self._cache[key]

    def attribute_table(self) -> Any:
        """An OGR memory layer of the attributes (FID = feature index) for ``where``."""
        return self.cached("attributes", self._build_attribute_table)

    def _build_attribute_table(self) -> Any:
        assert self.features is not None
        source = ogr.GetDriverByName("Memory").CreateDataSource("")
        layer = source.CreateLayer("t", geom_type=ogr.wkbNone)
        names = []
        for spec in self.features.fields:
            layer.CreateField(
                ogr.FieldDefn(spec["name"], _OGR_TYPES.get(spec.get("type"), ogr.OFTString))
            )
            names.append((spec["name"], spec.get("type")))
        definition = layer.GetLayerDefn()
        for index, feature in enumerate(self.features.features):
            row = ogr.Feature(definition)
            row.SetFID(index)
            attributes = feature.get("attributes") or {}
            for name, kind in names:
                value = attributes.get(name)
                if value is None:
                    continue
                if kind == "esriFieldTypeDate":
                    moment = dt.datetime.fromtimestamp(value / 1000.0, dt.timezone.utc)
                    row.SetField(
                        name,
                        moment.year,
                        moment.month,
                        moment.day,
                        moment.hour,
                        moment.minute,
                        moment.second,
                        100,
                    )
                elif _OGR_TYPES.get(kind) is None:
                    row.SetField(name, str(value))
                else:
                    row.SetField(name, value)
            layer.CreateFeature(row)
        return source, layer

    def geometries_in(self, sr: dict[str, Any]) -> list[Any]:
        """OGR geometries of all features, reprojected to ``sr`` (cached per CRS)."""
        assert self.features is not None
        key = ("geometries", repr(sorted(sr.items())))

        def build() -> list[Any]:
            transform = spatialref.transformation(self.features.spatial_reference, sr)
            out = []
            for geom in self.features.ogr_geometries():
                if geom is not None and transform is not None:
                    geom.Transform(transform)
                out.append(geom)
            return out

        return self.cached(key, build)

    def bboxes(self) -> list[tuple[float, float, float, float] | None]:
        assert self.features is not None
        return self.cached(
            "bboxes", lambda: [geometry.extent_of([f]) for f in self.features.features]
        )


def with_object_ids(source: FeatureSet) -> FeatureSet:
    """The feature set itself when it has an OID field, else a copy that gets one."""
    if source.oid_field:
        return source
    features = [
        {**f, "attributes": {"OBJECTID": i + 1, **(f.get("attributes") or {})}}
        for i, f in enumerate(source.features)
    ]
    copy = source.copy_schema(features)
    copy.fields = [field_def("OBJECTID", OID), *copy.fields]
    return copy


def job_layers(job: Any) -> list[MapLayer]:
    """One layer per geodataset output of a succeeded job (cached on the job)."""
    existing = job.extras.get("map_layers")
    if existing is not None:
        return existing
    layers: list[MapLayer] = []
    for parameter in job.task.outputs:
        value = job.outputs.get(parameter.name)
        if isinstance(value, FeatureSet) and not value.is_table:
            layers.append(MapLayer(len(layers), parameter.name, features=with_object_ids(value)))
        elif isinstance(value, OutputFile) and parameter.data_type in RASTER_TYPES:
            layers.append(MapLayer(len(layers), parameter.name, raster=value.path))
    job.extras["map_layers"] = layers
    return layers


def dataset_layers(name: str, features: FeatureSet) -> list[MapLayer]:
    return [MapLayer(0, name, features=with_object_ids(features))]
