"""The one error type the Esri JSON <-> QGIS conversion raises.

Callers (the GP type table, the provider) catch a single class and turn it into a
Processing error with the message as is, so every message must be readable by a
user without a traceback.
"""

from __future__ import annotations


class EsriJsonError(ValueError):
    """Esri JSON that cannot be read or QGIS data that cannot be written as Esri JSON."""
