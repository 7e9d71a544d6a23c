"""Tasks of the Analysis services: Buffer, Summarize, Scalars, LargeOutput, Hot Spots.

Each computes a real result (real buffers, real areas, real counts) so a client test can
check numbers, not only shapes.
"""

from __future__ import annotations

import math
from typing import Any

from osgeo import ogr

from .. import geometry
from ..bulk import no_gc
from ..errors import TaskFailedError
from ..featureset import OID, FeatureSet, field_def
from ..jobs import TaskContext
from ..outputs import ServiceLayerOutput
from .geo import metric_frame, to_metres

_QUAD_SEGMENTS = 8
Y2K_MS = 946_684_800_000  # 2000-01-01T00:00:00Z
DAY_MS = 86_400_000


def _copy_fields(source: FeatureSet, skip: set[str]) -> list[dict[str, Any]]:
    return [
        dict(f) for f in source.fields if f.get("type") != OID and f["name"].upper() not in skip
    ]


def buffer(ctx: TaskContext) -> dict[str, Any]:
    """Buffer in a metric CRS; polygons in the input CRS with input attributes + BUFF_DIST."""
    source: FeatureSet = ctx.inputs["Input_Features"]
    metres = to_metres(ctx.inputs["Distance"])
    dissolve = bool(ctx.inputs.get("Dissolve"))
    frame = metric_frame(source.spatial_reference, source.extent(), ctx.process_sr)
    distance = metres / frame.metres_per_unit
    kept = _copy_fields(source, {"BUFF_DIST", "ORIG_FID", "OBJECTID"})
    buffered: list[tuple[dict[str, Any], Any]] = []
    for index, (feature, geom) in enumerate(zip(source.features, source.ogr_geometries())):
        if index % 500 == 0:
            ctx.check_cancelled()
        if geom is None:
            continue
        result = frame.forward(geom).Buffer(distance, _QUAD_SEGMENTS)
        if result is not None and not result.IsEmpty():
            buffered.append((feature, result))
    ctx.message(f"Buffered {len(buffered)} of {len(source.features)} features by {metres:g} m.")
    if dissolve:
        union = ogr.Geometry(ogr.wkbMultiPolygon)
        for _, geom in buffered:
            for part in _polygons(geom):
                union.AddGeometry(part)
        merged = union.UnionCascaded() if buffered else None
        features = []
        if merged is not None and not merged.IsEmpty():
            esri = geometry.from_ogr(frame.back(merged), "esriGeometryPolygon")
            features.append({"attributes": {"OBJECTID": 1, "BUFF_DIST": metres}, "geometry": esri})
        fields = [field_def("OBJECTID", OID), field_def("BUFF_DIST", "esriFieldTypeDouble")]
    else:
        features = []
        for number, (feature, geom) in enumerate(buffered, start=1):
            attributes = {"OBJECTID": number}
            source_attributes = feature.get("attributes") or {}
            attributes.update({f["name"]: source_attributes.get(f["name"]) for f in kept})
            attributes["BUFF_DIST"] = metres
            attributes["ORIG_FID"] = number
            esri = geometry.from_ogr(frame.back(geom), "esriGeometryPolygon")
            features.append({"attributes": attributes, "geometry": esri})
        fields = [
            field_def("OBJECTID", OID),
            *kept,
            field_def("BUFF_DIST", "esriFieldTypeDouble"),
            field_def("ORIG_FID", "esriFieldTypeInteger"),
        ]
    output = FeatureSet(
        geometry_type="esriGeometryPolygon",
        spatial_reference=source.spatial_reference,
        fields=fields,
        features=features,
    )
    return {"Output_Polygons": output}


def _polygons(geom: Any) -> list[Any]:
    if ogr.GT_Flatten(geom.GetGeometryType()) == ogr.wkbPolygon:
        return [geom]
    return [geom.GetGeometryRef(i).Clone() for i in range(geom.GetGeometryCount())]


def summarize(ctx: TaskContext) -> dict[str, Any]:
    """One row per value of the group field: COUNT, SUM_AREA (m2), SUM_LENGTH (m)."""
    source: FeatureSet = ctx.inputs["Input_Features"]
    field_name = ctx.inputs["Group_Field"]["name"]
    group_field = next((f for f in source.fields if f["name"] == field_name), None)
    if group_field is None:
        raise TaskFailedError(f"ERROR 000728: Field {field_name} does not exist within table")
    frame = metric_frame(source.spatial_reference, source.extent(), ctx.process_sr)
    factor = frame.metres_per_unit
    groups: dict[Any, list[float]] = {}
    measurable = source.geometry_type in ("esriGeometryPolygon", "esriGeometryPolyline")
    geometries = source.ogr_geometries() if measurable else [None] * len(source.features)
    for feature, geom in zip(source.features, geometries):
        key = (feature.get("attributes") or {}).get(field_name)
        totals = groups.setdefault(key, [0, 0.0, 0.0])
        totals[0] += 1
        if geom is not None:
            frame.forward(geom)
            dimension = geom.GetDimension()
            if dimension == 2:
                totals[1] += geom.GetArea() * factor * factor
                totals[2] += geom.Boundary().Length() * factor
            elif dimension == 1:
                totals[2] += geom.Length() * factor
    out_field = {k: v for k, v in group_field.items() if k != "type"}
    out_field["type"] = (
        "esriFieldTypeInteger" if group_field.get("type") == OID else group_field.get("type")
    )
    rows = []
    ordered = sorted(groups.items(), key=lambda item: (item[0] is not None, str(item[0])))
    for number, (key, (count, area, length)) in enumerate(ordered, start=1):
        rows.append(
            {
                "attributes": {
                    "OBJECTID": number,
                    field_name: key,
                    "COUNT": count,
                    "SUM_AREA": area,
                    "SUM_LENGTH": length,
                }
            }
        )
    table = FeatureSet(
        geometry_type=None,
        spatial_reference=None,
        fields=[
            field_def("OBJECTID", OID),
            out_field,
            field_def("COUNT", "esriFieldTypeInteger"),
            field_def("SUM_AREA", "esriFieldTypeDouble"),
            field_def("SUM_LENGTH", "esriFieldTypeDouble"),
        ],
        features=rows,
    )
    return {"Output_Table": table}


def scalars(ctx: TaskContext) -> dict[str, Any]:
    """Values of every scalar type, computed from Count and Factor (see README)."""
    count = int(ctx.inputs["Count"])
    factor = float(ctx.inputs["Factor"])
    product = count * factor
    return {
        "Output_Long": count * 2,
        "Output_Double": product,
        "Output_Boolean": count % 2 == 0,
        "Output_String": f"{count} x {factor:g} = {product:g}",
        "Output_Date": Y2K_MS + count * DAY_MS,
    }


LARGE_FIELDS = [
    field_def("OBJECTID", OID),
    field_def("NAME", "esriFieldTypeString", length=32),
    field_def("CATEGORY", "esriFieldTypeSmallInteger"),
    field_def("VALUE", "esriFieldTypeDouble"),
    field_def("COUNT", "esriFieldTypeInteger"),
    field_def("CREATED", "esriFieldTypeDate"),
]


def _append_squares(features: list[dict[str, Any]], start: int, stop: int, columns: int) -> None:
    step, size, x_origin, y_origin = 0.01, 0.008, 5.0, 45.0
    for i in range(start, stop):
        row, column = divmod(i, columns)
        x0, y0 = x_origin + column * step, y_origin + row * step
        x1, y1, z = x0 + size, y0 + size, float(i % 100)
        features.append(
            {
                "attributes": {
                    "OBJECTID": i + 1,
                    "NAME": f"Feature {i + 1}",
                    "CATEGORY": i % 7,
                    "VALUE": i * 0.5 + (i % 13) * 0.25,
                    "COUNT": (i * 7) % 1000,
                    "CREATED": Y2K_MS + i * 3_600_000,
                },
                "geometry": {
                    "rings": [[[x0, y0, z], [x0, y1, z], [x1, y1, z], [x1, y0, z], [x0, y0, z]]]
                },
            }
        )


def large_output(ctx: TaskContext) -> dict[str, Any]:
    """``Feature_Count`` square polygons (with Z) on a grid; deterministic and fast."""
    total = int(ctx.inputs["Feature_Count"])
    columns = max(1, math.ceil(math.sqrt(total)))
    features: list[dict[str, Any]] = []
    for start in range(0, total, 10_000):
        ctx.check_cancelled()
        ctx.progress(100.0 * start / max(total, 1), f"{start} of {total} features")
        with no_gc():
            _append_squares(features, start, min(total, start + 10_000), columns)
    output = FeatureSet(
        geometry_type="esriGeometryPolygon",
        spatial_reference={"wkid": 4326, "latestWkid": 4326},
        fields=[dict(f) for f in LARGE_FIELDS],
        features=features,
        has_z=True,
    )
    return {"Output_Features": output}


def large_summary(ctx: TaskContext) -> dict[str, Any]:
    """LargeOutput's polygons with a text, a count and a total around them (or a failure)."""
    if ctx.inputs.get("Fail"):
        raise TaskFailedError("ERROR 999998: Fail was set, so the task failed as asked.")
    features = large_output(ctx)["Output_Features"]
    total = sum(f["attributes"]["VALUE"] for f in features.features)
    count = len(features.features)
    return {
        "Summary_Text": f"{count} polygons, VALUE total {total:g} (Zürich → 東京)",
        "Polygon_Count": count,
        "Output_Features": features,
        "Value_Total": total,
    }


def parcels_by_zone(ctx: TaskContext) -> dict[str, Any]:
    """Points at the hosted Parcels layer: the "written" output is that feature service."""
    ctx.message(f"Parcels of zone {ctx.inputs.get('Zone') or 1} written to Hosted/Parcels.")
    return {"Output_Parcels": ServiceLayerOutput("Hosted/Parcels/FeatureServer/0")}


def hot_spots(ctx: TaskContext) -> dict[str, Any]:
    """Counts points in square cells (metric); cells with count >= mean + 1 sd are HOT."""
    source: FeatureSet = ctx.inputs["Input_Points"]
    cell = to_metres(ctx.inputs["Cell_Size"], "Cell Size")
    if cell <= 0:
        raise TaskFailedError("ERROR 000854: Cell Size: The value must be greater than 0.")
    frame = metric_frame(source.spatial_reference, source.extent(), ctx.process_sr)
    size = cell / frame.metres_per_unit
    counts: dict[tuple[int, int], int] = {}
    for geom in source.ogr_geometries():
        if geom is None:
            continue
        centroid = frame.forward(geom).Centroid()
        key = (math.floor(centroid.GetX() / size), math.floor(centroid.GetY() / size))
        counts[key] = counts.get(key, 0) + 1
    values = list(counts.values())
    mean = sum(values) / len(values) if values else 0.0
    sd = math.sqrt(sum((v - mean) ** 2 for v in values) / len(values)) if values else 0.0
    features = []
    for number, ((i, j), count) in enumerate(sorted(counts.items()), start=1):
        ring = ogr.Geometry(ogr.wkbLinearRing)
        for x, y in ((i, j), (i, j + 1), (i + 1, j + 1), (i + 1, j), (i, j)):
            ring.AddPoint_2D(x * size, y * size)
        polygon = ogr.Geometry(ogr.wkbPolygon)
        polygon.AddGeometry(ring)
        features.append(
            {
                "attributes": {
                    "OBJECTID": number,
                    "COUNT": count,
                    "HOT": 1 if values and count >= mean + sd and sd > 0 else 0,
                },
                "geometry": geometry.from_ogr(frame.back(polygon), "esriGeometryPolygon"),
            }
        )
    output = FeatureSet(
        geometry_type="esriGeometryPolygon",
        spatial_reference=source.spatial_reference,
        fields=[
            field_def("OBJECTID", OID),
            field_def("COUNT", "esriFieldTypeInteger"),
            field_def("HOT", "esriFieldTypeSmallInteger"),
        ],
        features=features,
    )
    return {"Output_Hot_Spots": output}
