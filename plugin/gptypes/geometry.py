"""Esri JSON geometries <-> QgsGeometry: the entry points.

Type names in ``geometry_types``, decoding in ``geometry_decode``, encoding in
``geometry_encode``, curve densification in ``esri_curves``; this module only
gathers the public functions so callers have one stable import.
"""

from __future__ import annotations

from .geometry_decode import geometry_from_esri
from .geometry_encode import geometry_to_esri
from .geometry_types import esri_geometry_type, esri_geometry_type_of, wkb_type_from_esri

__all__ = [
    "esri_geometry_type",
    "esri_geometry_type_of",
    "geometry_from_esri",
    "geometry_to_esri",
    "wkb_type_from_esri",
]
