"""FeatureSets and RecordSets as the server holds them, and as it writes them.

A task gets its feature inputs as :class:`FeatureSet` and returns outputs the same way;
only when a client asks for a result are they written out, with that request's ``outSR``,
``returnZ``/``returnM`` and the service's ``maximumRecords``. Holding plain Esri JSON
dicts (not OGR objects) makes a 100,000-polygon output cheap to store and to dump.
"""

from __future__ import annotations

import copy
import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from . import geometry, spatialref

OID = "esriFieldTypeOID"


def field_def(name: str, field_type: str, alias: str | None = None, **extra: Any) -> dict:
    """A field in Esri JSON (``esriFieldTypeString`` gets a length)."""
    out = {"name": name, "type": field_type, "alias": alias or name}
    if field_type == "esriFieldTypeString":
        out["length"] = extra.pop("length", 255)
    out.update(extra)
    return out


def infer_field_type(values: list[Any]) -> str:
    """A field type for attribute values when a feature set has no ``fields`` array."""
    present = [v for v in values if v is not None]
    if not present:
        return "esriFieldTypeString"
    if all(isinstance(v, bool) for v in present):
        return "esriFieldTypeSmallInteger"
    if all(isinstance(v, int) and not isinstance(v, bool) for v in present):
        return "esriFieldTypeInteger"
    if all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in present):
        return "esriFieldTypeDouble"
    return "esriFieldTypeString"


def epoch_ms(value: dt.datetime) -> int:
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.timezone.utc)
    return int(value.timestamp() * 1000)


@dataclass
class FeatureSet:
    """Features with a schema; ``geometry_type`` is ``None`` for a record set (table)."""

    geometry_type: str | None
    spatial_reference: dict[str, Any] | None
    fields: list[dict[str, Any]]
    features: list[dict[str, Any]] = field(default_factory=list)
    has_z: bool = False
    has_m: bool = False
    display_field_name: str = ""

    @classmethod
    def from_json(
        cls,
        obj: dict[str, Any],
        *,
        default_sr: dict[str, Any] | None = None,
        default_geometry_type: str | None = None,
    ) -> FeatureSet:
        """Read a FeatureSet the way a tolerant server does.

        Missing ``fields`` are inferred from the attributes, a missing ``geometryType``
        from the first geometry, a missing ``spatialReference`` from the first geometry or
        else the parameter's default; a FeatureCollection wrapper is unwrapped.
        """
        if "featureSet" in obj and "features" not in obj:
            obj = obj["featureSet"]
        features = obj.get("features") or []
        if not isinstance(features, list):
            raise ValueError("'features' must be an array")
        first_geometry = next((f.get("geometry") for f in features if f.get("geometry")), None)
        geometry_type = obj.get("geometryType") or geometry.geometry_type_of(first_geometry)
        if geometry_type is None and first_geometry is None and not features:
            geometry_type = default_geometry_type
        if geometry_type is not None and geometry_type not in geometry.GEOMETRY_TYPES:
            raise ValueError(f"unknown geometryType {geometry_type!r}")
        sr = obj.get("spatialReference")
        if not sr and isinstance(first_geometry, dict):
            sr = first_geometry.get("spatialReference")
        if not sr and geometry_type:
            sr = default_sr or spatialref.WGS84
        if sr:
            spatialref.srs_from_json(sr)  # raises on an unknown wkid or broken wkt
        fields = obj.get("fields")
        if not fields:
            fields = cls._infer_fields(features)
        has_z = bool(obj.get("hasZ")) or bool(first_geometry and "z" in first_geometry)
        has_m = bool(obj.get("hasM")) or bool(first_geometry and "m" in first_geometry)
        return cls(
            geometry_type=geometry_type,
            spatial_reference=sr,
            fields=list(fields),
            features=[
                {"attributes": f.get("attributes") or {}, "geometry": f.get("geometry")}
                if f.get("geometry")
                else {"attributes": f.get("attributes") or {}}
                for f in features
            ],
            has_z=has_z,
            has_m=has_m,
            display_field_name=obj.get("displayFieldName", ""),
        )

    @staticmethod
    def _infer_fields(features: list[dict[str, Any]]) -> list[dict[str, Any]]:
        names: dict[str, list[Any]] = {}
        for feature in features[:1000]:
            for key, value in (feature.get("attributes") or {}).items():
                names.setdefault(key, []).append(value)
        return [field_def(name, infer_field_type(values)) for name, values in names.items()]

    @property
    def is_table(self) -> bool:
        return self.geometry_type is None

    @property
    def oid_field(self) -> str | None:
        return next((f["name"] for f in self.fields if f.get("type") == OID), None)

    def field_names(self) -> list[str]:
        return [f["name"] for f in self.fields]

    def copy_schema(self, features: list[dict[str, Any]] | None = None) -> FeatureSet:
        return FeatureSet(
            geometry_type=self.geometry_type,
            spatial_reference=copy.deepcopy(self.spatial_reference),
            fields=copy.deepcopy(self.fields),
            features=features if features is not None else [],
            has_z=self.has_z,
            has_m=self.has_m,
            display_field_name=self.display_field_name,
        )

    def output_sr(self, out_sr: dict[str, Any] | None) -> dict[str, Any] | None:
        if self.is_table:
            return None
        return spatialref.normalise_sr(out_sr or self.spatial_reference)

    def reshaped(
        self,
        features: list[dict[str, Any]],
        *,
        out_sr: dict[str, Any] | None,
        return_z: bool,
        return_m: bool,
    ) -> list[dict[str, Any]]:
        """``features`` (a subset of ours) in ``out_sr`` with Z/M kept only when asked."""
        transform = None
        if not self.is_table and out_sr:
            transform = spatialref.transformation(self.spatial_reference, out_sr)
        return geometry.reshape_features(
            features,
            has_z=self.has_z,
            has_m=self.has_m,
            keep_z=return_z,
            keep_m=return_m,
            transform=transform,
        )

    def to_json(
        self,
        *,
        out_sr: dict[str, Any] | None = None,
        return_z: bool = False,
        return_m: bool = False,
        max_records: int | None = None,
        limit_mode: str = "truncate",
    ) -> dict[str, Any]:
        """The FeatureSet JSON a GP result carries.

        Over ``max_records`` the set is cut there (``limit_mode="truncate"``) or emptied
        (``"empty"``, as Esri documents for some servers), with ``exceededTransferLimit``.
        """
        features = self.features
        exceeded = max_records is not None and len(features) > max_records
        if exceeded:
            features = features[:max_records] if limit_mode == "truncate" else []
        out: dict[str, Any] = {"displayFieldName": self.display_field_name}
        if not self.is_table:
            out["geometryType"] = self.geometry_type
            if self.has_z and return_z:
                out["hasZ"] = True
            if self.has_m and return_m:
                out["hasM"] = True
            out["spatialReference"] = self.output_sr(out_sr)
        out["fields"] = self.fields
        out["features"] = self.reshaped(
            features, out_sr=out_sr, return_z=return_z, return_m=return_m
        )
        out["exceededTransferLimit"] = exceeded
        return out

    def ogr_geometries(self) -> list[Any]:
        """OGR geometries, one per feature (``None`` where a feature has none)."""
        return [geometry.to_ogr(f.get("geometry"), self.has_z, self.has_m) for f in self.features]

    def extent(self) -> tuple[float, float, float, float] | None:
        return geometry.extent_of(self.features)
