"""The QGIS plugin object: registers the Processing provider and, with a GUI, its actions."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsApplication

from .connections.clients import forget_clients
from .i18n import PluginTranslator
from .jobs.manager import JobManager
from .provider.job_inputs import forget_secrets
from .provider.provider import ArcGisGpProvider


class ArcGisGpPlugin:
    """Owns everything the plugin adds to QGIS, and takes all of it away in :meth:`unload`."""

    def __init__(self, iface: Any) -> None:
        self.iface = iface
        #: Installed first, so every text the plugin makes is in QGIS's language.
        self.translator = PluginTranslator()
        self.translator.install()
        self.provider: ArcGisGpProvider | None = None
        self.jobs: JobManager | None = None  # records every async job, also headless
        self.jobs_panel: Any = None  # gui.jobs_panel.JobsPanel, GUI only
        self.connections_ui: Any = None  # gui.connections_ui.ConnectionsUi, GUI only

    @property
    def headless(self) -> bool:
        """qgis_process and standalone scripts load plugins with no interface."""
        return self.iface is None

    def initProcessing(self) -> None:
        """Register the provider; called by QGIS (also by qgis_process) and by initGui.

        Headless, a connection with no cached catalog is fetched right away (there is no
        GUI to freeze and no event loop to wait on); with a GUI, algorithms come from the
        cache at once and a background refresh follows in :meth:`initGui`.
        """
        if self.provider is not None:
            return
        self.provider = ArcGisGpProvider(fetch_missing_blocking=self.headless)
        QgsApplication.processingRegistry().addProvider(self.provider)
        self.jobs = JobManager()
        self.jobs.start(resume=False, watch=False)  # watching needs the GUI: initGui

    def initGui(self) -> None:
        """Create the GUI parts; the provider first, so the toolbox has it."""
        self.initProcessing()
        if self.provider is not None:
            from .gui.connections_ui import ConnectionsUi

            self.connections_ui = ConnectionsUi(self.iface, self.provider)
            self.connections_ui.setup()
            self.provider.refresh_catalogs(blocking=False)
        if self.jobs is not None:
            self._add_jobs_panel(self.jobs)

    def _add_jobs_panel(self, jobs: JobManager) -> None:
        """The GP Jobs dock (View > Panels), and unfinished jobs of earlier sessions resumed."""
        from qgis.PyQt.QtCore import Qt

        from .gui.jobs_panel import JobsPanel

        self.jobs_panel = JobsPanel(jobs, self.iface, self.iface.mainWindow())
        self.iface.addDockWidget(Qt.DockWidgetArea.RightDockWidgetArea, self.jobs_panel)
        self.jobs_panel.setUserVisible(False)
        jobs.start_watching()

    def unload(self) -> None:
        """Remove the provider and every GUI part this plugin added, and empty the
        process-wide registries (shared clients, the job listener, secrets kept for
        scrubbing), so that a reload starts clean and nothing outlives the plugin."""
        if self.jobs_panel is not None:
            self.iface.removeDockWidget(self.jobs_panel)
            self.jobs_panel.setParent(None)
            self.jobs_panel.deleteLater()
            self.jobs_panel = None
        if self.jobs is not None:
            self.jobs.stop()  # stops watching; the jobs go on and resume at the next start
            self.jobs = None
        if self.connections_ui is not None:
            self.connections_ui.teardown()
            self.connections_ui = None
        if self.provider is not None:
            self.provider.cancel_refresh()
            QgsApplication.processingRegistry().removeProvider(self.provider)
            self.provider = None
        forget_clients()
        forget_secrets()
        self.translator.remove()
