"""The ArcGIS REST geoprocessing protocol in plain Python (requests); imports no QGIS."""
