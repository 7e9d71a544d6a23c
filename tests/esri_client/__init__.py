"""Checks of tests/gpserver with Esri's own Python client (``arcgis``)."""
