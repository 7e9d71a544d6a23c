"""Esri JSON FeatureSets <-> QGIS features: the entry points.

Decoding lives in ``featureset_reader`` (streaming, any response shape), encoding
in ``featureset_writer`` (streaming, fast path); this module only gathers them so
callers have one stable import.
"""

from __future__ import annotations

from .errors import EsriJsonError
from .featureset_reader import FeatureSetReader, write_features_to_sink
from .featureset_writer import FeatureSetInfo, write_feature_set

__all__ = [
    "EsriJsonError",
    "FeatureSetInfo",
    "FeatureSetReader",
    "write_feature_set",
    "write_features_to_sink",
]
