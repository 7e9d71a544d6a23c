"""The provider's settings: Processing's options, environment variables, defaults.

The settings show in *Settings > Options > Processing > Providers > ArcGIS
Geoprocessing* (the provider registers them with ``ProcessingConfig`` when it loads,
as QGIS's own providers do). Headless runs (qgis_process, scripts, CI) set them with
environment variables instead. Which one counts, for each setting:

1. the value in Processing's options, when it differs from the setting's default (the
   user changed it; Processing saves every option when its dialog is closed with OK,
   so "saved" alone does not say the user chose it);
2. else the environment variable, when it holds a usable number;
3. else the default.

Values are read from QGIS settings, where Processing stores them, so this module
needs neither the ``processing`` package nor a loaded provider, and ``rest`` gets plain
numbers from the callers here (it knows no QGIS).
"""

from __future__ import annotations

import os
from dataclasses import dataclass

from qgis.core import QgsSettings

from .qgis_log import log_warning
from .rest.sessions import DEFAULT_POOL_SIZE, MAX_POOL_SIZE, POOL_SIZE_VARIABLE
from .rest.waiting import PollPolicy

#: Where Processing keeps its options (``Setting.qname``).
PROCESSING_SETTINGS_PREFIX = "Processing/Configuration/"


@dataclass(frozen=True)
class ProviderSetting:
    """One number the user may set in Processing's options or in the environment."""

    name: str  # ProcessingConfig's name (unique among all providers)
    variable: str  # environment variable for headless use
    default: float
    minimum: float
    maximum: float | None = None

    def bounded(self, value: float) -> float:
        value = max(value, self.minimum)
        return value if self.maximum is None else min(value, self.maximum)

    def stored(self) -> float | None:
        """The value in Processing's options, if one is stored and is a number."""
        value = QgsSettings().value(PROCESSING_SETTINGS_PREFIX + self.name, None)
        try:
            return None if value in (None, "") else float(value)
        except (TypeError, ValueError):
            log_warning(f"Processing option {self.name}={value!r} is not a number; ignored")
            return None

    def from_environment(self) -> float | None:
        text = os.environ.get(self.variable, "").strip()
        if not text:
            return None
        try:
            return float(text)
        except ValueError:
            log_warning(f"{self.variable}={text!r} is not a number; ignored")
            return None

    def value(self) -> float:
        """The value in force (see the module docstring for the order)."""
        stored = self.stored()
        if stored is not None and stored != self.default:
            return self.bounded(stored)
        from_environment = self.from_environment()
        if from_environment is not None:
            return self.bounded(from_environment)
        return self.default


#: Longest wait for an asynchronous job before it is cancelled (0: no limit), for
#: connections that set no ``job_timeout`` of their own: a job that never ends must not
#: keep processing.run or qgis_process waiting forever.
JOB_TIMEOUT = ProviderSetting("ARCGISGP_JOB_TIMEOUT", "ARCGIS_GP_JOB_TIMEOUT", 24 * 3600.0, 0.0)
#: Connections kept per server, and so the catalog crawl's concurrency.
MAX_CONNECTIONS = ProviderSetting(
    "ARCGISGP_MAX_CONNECTIONS", POOL_SIZE_VARIABLE, DEFAULT_POOL_SIZE, 1, MAX_POOL_SIZE
)
#: The longest pause between two polls of a running job.
MAX_POLL_INTERVAL = ProviderSetting(
    "ARCGISGP_MAX_POLL_INTERVAL", "ARCGIS_GP_MAX_POLL_INTERVAL", PollPolicy.ceiling, 0.1, 600.0
)
SETTINGS = (JOB_TIMEOUT, MAX_CONNECTIONS, MAX_POLL_INTERVAL)


def default_job_timeout() -> float | None:
    """Seconds a job may run for a connection without its own limit (None: no limit)."""
    value = JOB_TIMEOUT.value()
    return value if value > 0 else None


def pool_size() -> int:
    """Connections per server for a new client."""
    return int(MAX_CONNECTIONS.value())


def poll_policy() -> PollPolicy:
    """How often a running job is polled, up to the cap in force."""
    ceiling = MAX_POLL_INTERVAL.value()
    return PollPolicy(first=min(PollPolicy.first, ceiling), ceiling=ceiling)
