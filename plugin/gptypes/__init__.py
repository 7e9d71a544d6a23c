"""GP data types <-> QGIS: the type table, and Esri JSON <-> QGIS features."""
