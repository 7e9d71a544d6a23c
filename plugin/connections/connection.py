"""GP server connections: where they come from and what each one holds.

A connection is a name, a URL (services directory, folder, GPServer or task) and how to
authenticate. Connections live in QGIS settings (the connection manager writes them) and,
for headless use (qgis_process, CI, scripts), in a YAML file named by the environment
variable ``ARCGIS_GP_CONNECTIONS``. Secrets never live here: only the id of a QGIS
authentication configuration (``authcfg``), whose secrets stay in the QGIS auth database.
"""

from __future__ import annotations

import os
import re
from dataclasses import asdict, dataclass, field, replace
from pathlib import Path
from typing import Any

import yaml
from qgis.core import QgsSettings

from ..qgis_log import log_warning

ENV_CONNECTIONS_FILE = "ARCGIS_GP_CONNECTIONS"
SETTINGS_GROUP = "arcgis_gp/connections"
DEFAULT_TIMEOUT_S = 60
#: ``Connection.source`` of connections saved in QGIS settings (the editable ones).
SETTINGS_ORIGIN = "QGIS settings"

_SLUG_INVALID = re.compile(r"[^a-z0-9]+")


def slug(text: str) -> str:
    """Lower case, every run of characters outside [a-z0-9] as one '_', trimmed.

    Algorithm ids are built from slugs and stored in models and scripts, so this must
    never change.
    """
    return _SLUG_INVALID.sub("_", text.lower()).strip("_")


class ConnectionConfigError(ValueError):
    """A connection definition that cannot be used (names the connection and the key)."""


@dataclass(frozen=True)
class Connection:
    """One GP server connection, as the user defined it."""

    name: str
    url: str
    authcfg: str = ""
    referer: str = ""
    timeout: float = DEFAULT_TIMEOUT_S
    #: Longest wait for an asynchronous job (0: no limit; None: the provider's setting).
    job_timeout: float | None = None
    allow_insecure_http: bool = False
    source: str = field(default="settings", compare=False)

    @property
    def slug(self) -> str:
        return slug(self.name)

    def to_yaml_dict(self) -> dict[str, Any]:
        """The connection in the ``ARCGIS_GP_CONNECTIONS`` schema (defaults left out)."""
        data = {k: v for k, v in asdict(self).items() if k != "source"}
        defaults = Connection(name="", url="")
        return {k: v for k, v in data.items() if k in ("name", "url") or v != getattr(defaults, k)}


def _connection_from_dict(data: Any, origin: str) -> Connection:
    if not isinstance(data, dict):
        raise ConnectionConfigError(f"{origin}: each connection must be a mapping, got {data!r}")
    name = str(data.get("name") or "").strip()
    url = str(data.get("url") or "").strip()
    if not name:
        raise ConnectionConfigError(f"{origin}: a connection has no 'name'")
    if not slug(name):
        raise ConnectionConfigError(f"{origin}: connection name {name!r} has no letter or digit")
    if not url:
        raise ConnectionConfigError(f"{origin}: connection {name!r} has no 'url'")
    if not re.match(r"^https?://", url, re.IGNORECASE):
        raise ConnectionConfigError(
            f"{origin}: connection {name!r}: url must start with http(s)://"
        )
    known = {"name", "url", "authcfg", "referer", "timeout", "job_timeout", "allow_insecure_http"}
    unknown = set(data) - known
    if unknown:
        raise ConnectionConfigError(
            f"{origin}: connection {name!r} has unknown keys {sorted(unknown)}"
        )
    try:
        timeout = float(data.get("timeout", DEFAULT_TIMEOUT_S))
        job_timeout = data.get("job_timeout")
        job_timeout = None if job_timeout in (None, "") else float(job_timeout)
    except (TypeError, ValueError) as exc:
        raise ConnectionConfigError(
            f"{origin}: connection {name!r}: timeout and job_timeout must be numbers"
        ) from exc
    return Connection(
        name=name,
        url=url,
        authcfg=str(data.get("authcfg") or ""),
        referer=str(data.get("referer") or ""),
        timeout=timeout,
        job_timeout=job_timeout,
        allow_insecure_http=bool(data.get("allow_insecure_http", False)),
        source=origin,
    )


def validate(connection: Connection, origin: str = "Connection") -> Connection:
    """The connection if every field is usable, else a ConnectionConfigError naming it."""
    data = {k: v for k, v in asdict(connection).items() if k != "source"}
    return replace(_connection_from_dict(data, origin), source=connection.source)


def parse_connections_yaml(text: str, origin: str = "YAML") -> list[Connection]:
    """Connections from a YAML document in the ``ARCGIS_GP_CONNECTIONS`` schema."""
    try:
        document = yaml.safe_load(text) or {}
    except yaml.YAMLError as exc:
        raise ConnectionConfigError(f"{origin}: not valid YAML: {exc}") from exc
    if not isinstance(document, dict) or not isinstance(document.get("connections", []), list):
        raise ConnectionConfigError(f"{origin}: expected a mapping with a 'connections' list")
    return [_connection_from_dict(item, origin) for item in document.get("connections") or []]


def connections_to_yaml(connections: list[Connection]) -> str:
    """The YAML document for export (no secrets: only authcfg ids)."""
    return yaml.safe_dump({"connections": [c.to_yaml_dict() for c in connections]}, sort_keys=False)


def connections_from_file(path: str | os.PathLike[str]) -> list[Connection]:
    """Read a connections YAML file; the error names the file."""
    file = Path(path)
    try:
        text = file.read_text(encoding="utf-8")
    except OSError as exc:
        raise ConnectionConfigError(
            f"{file}: cannot read connections file: {exc.strerror}"
        ) from exc
    return parse_connections_yaml(text, origin=str(file))


def connections_from_settings(settings: QgsSettings | None = None) -> list[Connection]:
    """Connections saved by the connection manager in QGIS settings."""
    settings = settings or QgsSettings()
    settings.beginGroup(SETTINGS_GROUP)
    try:
        result = []
        for key in settings.childGroups():
            data = {
                "name": settings.value(f"{key}/name", key),
                "url": settings.value(f"{key}/url", ""),
                "authcfg": settings.value(f"{key}/authcfg", ""),
                "referer": settings.value(f"{key}/referer", ""),
                "timeout": settings.value(f"{key}/timeout", DEFAULT_TIMEOUT_S),
                "job_timeout": settings.value(f"{key}/job_timeout", None),
                "allow_insecure_http": _as_bool(
                    settings.value(f"{key}/allow_insecure_http", False)
                ),
            }
            try:
                result.append(_connection_from_dict(data, SETTINGS_ORIGIN))
            except ConnectionConfigError as exc:
                log_warning(str(exc))
        return result
    finally:
        settings.endGroup()


def save_connection(connection: Connection, settings: QgsSettings | None = None) -> None:
    """Store (or replace) a connection in QGIS settings."""
    settings = settings or QgsSettings()
    key = f"{SETTINGS_GROUP}/{connection.slug}"
    settings.remove(key)
    for name, value in asdict(connection).items():
        if name != "source" and value is not None:
            settings.setValue(f"{key}/{name}", value)


def update_connection(
    old: Connection | None, new: Connection, settings: QgsSettings | None = None
) -> None:
    """Save ``new`` in place of ``old`` (a renamed connection leaves no entry behind)."""
    settings = settings or QgsSettings()
    if old is not None and old.slug != new.slug:
        remove_connection(old.name, settings)
    save_connection(new, settings)


def remove_connection(name: str, settings: QgsSettings | None = None) -> None:
    """Forget a connection saved in QGIS settings."""
    (settings or QgsSettings()).remove(f"{SETTINGS_GROUP}/{slug(name)}")


def load_connections() -> list[Connection]:
    """Every configured connection: QGIS settings, then the ``ARCGIS_GP_CONNECTIONS`` file.

    A file connection with the same name as a settings one wins (it is the explicit,
    headless configuration). A broken file is reported in the QGIS log, never fatal: the
    settings connections still load.
    """
    by_slug: dict[str, Connection] = {c.slug: c for c in connections_from_settings()}
    path = os.environ.get(ENV_CONNECTIONS_FILE, "").strip()
    if path:
        try:
            for connection in connections_from_file(path):
                by_slug[connection.slug] = connection
        except ConnectionConfigError as exc:
            log_warning(f"{ENV_CONNECTIONS_FILE}: {exc}")
    return list(by_slug.values())


def _as_bool(value: Any) -> bool:
    if isinstance(value, str):
        return value.strip().lower() in ("1", "true", "yes", "on")
    return bool(value)
