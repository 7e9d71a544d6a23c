"""Task descriptions kept on disk per connection, so QGIS starts with every algorithm.

The provider builds its algorithms from here without touching the network; a refresh
(in the background with a GUI, or blocking in headless tools with no cache yet) fetches
the catalog and writes it back. Writes are atomic: a crash never leaves half a file.
"""

from __future__ import annotations

import json
import os
import tempfile
from pathlib import Path

from qgis.core import QgsApplication

from ..qgis_log import log_warning
from ..rest.model import Catalog
from .connection import Connection

FORMAT_VERSION = 1


def default_cache_dir() -> Path:
    """``<QGIS profile>/arcgis_gp/catalogs``."""
    return Path(QgsApplication.qgisSettingsDirPath()) / "arcgis_gp" / "catalogs"


class CatalogCache:
    """One JSON file per connection, keyed by the connection's slug and checked by URL."""

    def __init__(self, folder: Path | None = None) -> None:
        self.folder = folder or default_cache_dir()

    def path_for(self, connection: Connection) -> Path:
        return self.folder / f"{connection.slug}.json"

    def load(self, connection: Connection) -> Catalog | None:
        """The cached catalog, or None when there is none for this connection's URL."""
        path = self.path_for(connection)
        try:
            document = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return None
        except (OSError, ValueError) as exc:
            log_warning(f"{connection.name}: ignoring unreadable catalog cache {path}: {exc}")
            return None
        if document.get("version") != FORMAT_VERSION or document.get("url") != connection.url:
            return None
        try:
            return Catalog.from_dict(document["catalog"])
        except Exception as exc:  # a cache from an older parser must never stop start-up
            log_warning(f"{connection.name}: ignoring catalog cache {path}: {exc}")
            return None

    def save(self, connection: Connection, catalog: Catalog) -> None:
        """Write atomically: a temporary file in the same folder, then rename over."""
        self.folder.mkdir(parents=True, exist_ok=True)
        document = {"version": FORMAT_VERSION, "url": connection.url, "catalog": catalog.to_dict()}
        handle, temp_name = tempfile.mkstemp(dir=self.folder, prefix=".catalog-", suffix=".tmp")
        try:
            with os.fdopen(handle, "w", encoding="utf-8") as out:
                json.dump(document, out)
            os.replace(temp_name, self.path_for(connection))
        except BaseException:
            Path(temp_name).unlink(missing_ok=True)
            raise

    def remove(self, connection: Connection) -> None:
        self.path_for(connection).unlink(missing_ok=True)
