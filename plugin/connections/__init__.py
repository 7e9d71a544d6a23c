"""Connections to ArcGIS servers, and everything that turns one into a working client.

- :mod:`.connection`: the :class:`~.connection.Connection` model, its YAML file and QGIS settings;
- :mod:`.qgis_import`: import of QGIS's own ArcGIS REST connections;
- :mod:`.qgis_auth`: a QGIS auth config -> what ``rest`` sends (token provider, headers,
  client certificate);
- :mod:`.qgis_network`: QGIS's proxy, trusted CAs and SSL server exceptions;
- :mod:`.clients`: one shared REST client per connection;
- :mod:`.catalog_cache`: the catalogs read from each server, cached on disk.

Only this package reads QGIS's auth and network settings for the ``rest`` layer, which
knows no QGIS.
"""
