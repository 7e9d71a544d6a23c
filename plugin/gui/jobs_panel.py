"""The "GP Jobs" dock: every recorded job, its live state, messages and actions.

The panel only shows and asks: the :class:`~..jobs.manager.JobManager` does the work in
tasks and tells the panel through signals, so nothing here waits on the network. The
store is read on the main thread (a local SQLite file: one row per change).
"""

from __future__ import annotations

import json
from typing import Any

from qgis.core import Qgis, QgsApplication
from qgis.gui import QgsDockWidget
from qgis.PyQt.QtCore import QAbstractTableModel, QDateTime, QModelIndex, Qt, QTimer
from qgis.PyQt.QtGui import QBrush, QColor
from qgis.PyQt.QtWidgets import (
    QAbstractItemView,
    QAction,
    QApplication,
    QHeaderView,
    QPlainTextEdit,
    QSplitter,
    QTableView,
    QToolBar,
    QVBoxLayout,
    QWidget,
)

from ..i18n import translate
from ..jobs.manager import JobManager
from ..jobs.model import JobRecord, JobState, format_elapsed

COLUMNS = ("Task", "State", "Elapsed", "Submitted", "Connection", "Job id")


def column_titles() -> tuple[str, ...]:
    """The table's headers, in the user's language (``COLUMNS`` in English)."""
    return (
        translate("JobsPanel", "Task"),
        translate("JobsPanel", "State"),
        translate("JobsPanel", "Elapsed"),
        translate("JobsPanel", "Submitted"),
        translate("JobsPanel", "Connection"),
        translate("JobsPanel", "Job id"),
    )


TASK, STATE, ELAPSED, SUBMITTED, CONNECTION, JOB_ID = range(len(COLUMNS))

#: State colours: the dot before the state's name.
STATE_COLORS = {
    JobState.RUNNING: "#1f77b4",
    JobState.ON_SERVER: "#17becf",
    JobState.DOWNLOADED: "#2ca02c",
    JobState.TRANSFER_LIMIT: "#ff7f0e",
    JobState.FAILED: "#d62728",
    JobState.CANCELLED: "#7f7f7f",
    JobState.TIMED_OUT: "#d62728",
    JobState.EXPIRED: "#8c564b",
}


class JobsModel(QAbstractTableModel):
    """The store's jobs as table rows, newest first; refreshed one job at a time."""

    def __init__(self, manager: JobManager, parent: Any = None) -> None:
        super().__init__(parent)
        self.manager = manager
        self.records: list[JobRecord] = manager.jobs()

    def rowCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.records)

    def columnCount(self, parent: QModelIndex = QModelIndex()) -> int:  # noqa: B008
        return len(COLUMNS)

    def headerData(self, section: int, orientation: Qt.Orientation, role: int = 0) -> Any:
        if orientation == Qt.Orientation.Horizontal and role == Qt.ItemDataRole.DisplayRole:
            return column_titles()[section]
        return None

    def state_text(self, record: JobRecord) -> str:
        if record.state is JobState.RUNNING:
            status = record.server_status.replace("esriJob", "") or "Submitted"
            if self.manager.is_watched(record.job_id):
                return translate("JobsPanel", "running ({status})").format(status=status)
            text = translate("JobsPanel", "running ({status}, not watched)")
            return text.format(status=status)
        return record.state.label

    def data(self, index: QModelIndex, role: int = Qt.ItemDataRole.DisplayRole) -> Any:
        if not index.isValid():
            return None
        record = self.records[index.row()]
        column = index.column()
        if role == Qt.ItemDataRole.DisplayRole:
            return self._text(record, column)
        if role == Qt.ItemDataRole.ForegroundRole and column == STATE:
            return QBrush(QColor(STATE_COLORS[record.state]))
        if role == Qt.ItemDataRole.ToolTipRole:
            return record.error or record.job_id
        if role == Qt.ItemDataRole.UserRole:
            return record.job_id
        return None

    def _text(self, record: JobRecord, column: int) -> str:
        if column == TASK:
            return f"{record.task_name}  ({record.service_path})"
        if column == STATE:
            return "● " + self.state_text(record)
        if column == ELAPSED:
            return format_elapsed(record.elapsed())
        if column == SUBMITTED:
            when = QDateTime.fromMSecsSinceEpoch(int(record.submitted * 1000))
            return when.toString("yyyy-MM-dd HH:mm:ss")
        if column == CONNECTION:
            return record.connection
        return record.job_id

    def row_of(self, job_id: str) -> int:
        return next((i for i, r in enumerate(self.records) if r.job_id == job_id), -1)

    def refresh_job(self, job_id: str) -> bool:
        """Read one job again; True when it is new to the table."""
        record = self.manager.job(job_id)
        row = self.row_of(job_id)
        if record is None:
            self.remove_job(job_id)
        elif row < 0:
            self.beginInsertRows(QModelIndex(), 0, 0)
            self.records.insert(0, record)
            self.endInsertRows()
            return True
        else:
            self.records[row] = record
            self.dataChanged.emit(self.index(row, 0), self.index(row, len(COLUMNS) - 1))
        return False

    def remove_job(self, job_id: str) -> None:
        row = self.row_of(job_id)
        if row >= 0:
            self.beginRemoveRows(QModelIndex(), row, row)
            del self.records[row]
            self.endRemoveRows()

    def tick(self) -> None:
        """Running jobs' elapsed time moves on (no store read, no network)."""
        for row, record in enumerate(self.records):
            if record.state is JobState.RUNNING:
                cell = self.index(row, ELAPSED)
                self.dataChanged.emit(cell, cell)


def describe(record: JobRecord) -> str:
    """The details pane: times, problem, outputs, inputs (as recorded), messages."""
    lines = [
        translate("JobsPanel", "Job {job_id} — {url}").format(
            job_id=record.job_id, url=record.task_url
        )
    ]
    state = translate("JobsPanel", "State: {state} ({status}); elapsed {elapsed}").format(
        state=record.state.label,
        status=record.server_status or translate("JobsPanel", "no status yet"),
        elapsed=format_elapsed(record.elapsed()),
    )
    lines.append(
        state + (translate("JobsPanel", "; run in background") if record.background else "")
    )
    if record.rerun_of:
        lines.append(
            translate("JobsPanel", "Re-run of job {job_id}").format(job_id=record.rerun_of)
        )
    if record.error:
        lines.append(translate("JobsPanel", "Problem: {error}").format(error=record.error))
    if record.cut_outputs:
        limit = translate("JobsPanel", "Exceeds the transfer limit: {outputs}")
        lines.append(limit.format(outputs=", ".join(record.cut_outputs)))
    if record.outputs:
        lines.append(translate("JobsPanel", "Outputs:"))
        lines += [f"  {name} = {value}" for name, value in record.outputs.items()]
    if record.destinations:
        lines.append(translate("JobsPanel", "Destinations:"))
        lines += [f"  {name} → {d.sink}" for name, d in record.output_destinations().items()]
    if record.inputs:
        lines.append(translate("JobsPanel", "Inputs:"))
        for name, value in record.inputs.items():
            if isinstance(value, dict) and "$rawjson" in value:
                text = translate("JobsPanel", "<{count} characters of JSON>").format(
                    count=len(value["$rawjson"])
                )
            elif isinstance(value, dict) and "$redacted" in value:
                text = translate("JobsPanel", "<secret, not kept>")
            else:
                text = json.dumps(value, ensure_ascii=False)[:200]
            lines.append(f"  {name} = {text}")
    if record.messages:
        lines.append(translate("JobsPanel", "Messages:"))
        for message in record.messages:
            kind = message.get("type", "").replace("esriJobMessageType", "")
            lines.append(f"  [{kind}] {message.get('description', '')}")
    return "\n".join(lines)


class JobsPanel(QgsDockWidget):
    """The GP Jobs dock widget."""

    def __init__(self, manager: JobManager, iface: Any = None, parent: Any = None) -> None:
        super().__init__(translate("JobsPanel", "GP Jobs"), parent)
        self.setObjectName("ArcGisGpJobsPanel")
        self.manager = manager
        self.iface = iface
        self.model = JobsModel(manager, self)

        self.table = QTableView()
        self.table.setModel(self.model)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.setWordWrap(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)
        self.table.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)

        self.details = QPlainTextEdit()
        self.details.setReadOnly(True)
        self.details.setPlaceholderText(translate("JobsPanel", "Select a job to see its messages."))

        self.toolbar = QToolBar()
        self.actions_by_name: dict[str, QAction] = {}
        for name, text, tip, icon, slot in (
            (
                "cancel",
                translate("JobsPanel", "Cancel"),
                translate("JobsPanel", "Cancel the job on the server"),
                "mTaskCancel",
                manager.cancel,
            ),
            (
                "get_data",
                translate("JobsPanel", "Get Data"),
                translate("JobsPanel", "Fetch the results again"),
                "mActionRefresh",
                manager.get_data,
            ),
            (
                "add_server_layer",
                translate("JobsPanel", "Add Server Layer"),
                translate("JobsPanel", "Add the job's result map service layer"),
                "mActionAddAmsLayer",
                manager.add_server_layer,
            ),
            (
                "rerun",
                translate("JobsPanel", "Re-run"),
                translate("JobsPanel", "Submit the same inputs again"),
                "mActionStart",
                manager.rerun,
            ),
            (
                "copy_id",
                translate("JobsPanel", "Copy Job ID"),
                translate("JobsPanel", "Copy the job id"),
                "mActionEditCopy",
                self.copy_job_id,
            ),
            (
                "remove",
                translate("JobsPanel", "Remove"),
                translate("JobsPanel", "Forget this job"),
                "mActionDeleteSelected",
                manager.remove,
            ),
        ):
            action = QAction(QgsApplication.getThemeIcon(f"/{icon}.svg"), text, self)
            action.setToolTip(tip)
            action.triggered.connect(lambda checked=False, slot=slot: self._on_selected(slot))
            self.toolbar.addAction(action)
            self.table.addAction(action)
            self.actions_by_name[name] = action
        self.toolbar.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)

        splitter = QSplitter(Qt.Orientation.Vertical)
        splitter.addWidget(self.table)
        splitter.addWidget(self.details)
        splitter.setStretchFactor(0, 3)
        splitter.setStretchFactor(1, 2)
        body = QWidget()
        layout = QVBoxLayout(body)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.toolbar)
        layout.addWidget(splitter)
        self.setWidget(body)

        self.table.selectionModel().selectionChanged.connect(self._selection_changed)
        manager.jobChanged.connect(self._job_changed)
        manager.jobRemoved.connect(self.model.remove_job)
        manager.notice.connect(self._notice)
        self._clock = QTimer(self)
        self._clock.setInterval(1000)
        self._clock.timeout.connect(self.model.tick)
        self._clock.start()
        self._update_actions()

    # -- selection -----------------------------------------------------------------------

    def selected_job(self) -> JobRecord | None:
        rows = self.table.selectionModel().selectedRows()
        return self.model.records[rows[0].row()] if rows else None

    def select_job(self, job_id: str) -> None:
        row = self.model.row_of(job_id)
        if row >= 0:
            self.table.selectRow(row)

    def _selection_changed(self, *args: Any) -> None:
        record = self.selected_job()
        self.details.setPlainText(describe(record) if record else "")
        self._update_actions()

    def _update_actions(self) -> None:
        record = self.selected_job()
        state = record.state if record else None
        running = state is JobState.RUNNING
        watched = bool(record) and self.manager.is_watched(record.job_id)
        on_server = state is not None and state.results_on_server
        enabled = {
            "cancel": running,
            "get_data": on_server or (running and not watched),
            "add_server_layer": on_server,
            "rerun": record is not None,
            "copy_id": record is not None,
            "remove": record is not None,
        }
        for name, action in self.actions_by_name.items():
            action.setEnabled(enabled[name])

    def _on_selected(self, slot: Any) -> None:
        record = self.selected_job()
        if record is not None:
            slot(record.job_id)

    # -- updates -------------------------------------------------------------------------

    def _job_changed(self, job_id: str) -> None:
        if self.model.refresh_job(job_id) and self.model.records[0].background:
            self.setUserVisible(True)  # a new background job: show where it is
        record = self.selected_job()
        if record is not None and record.job_id == job_id:
            scroll = self.details.verticalScrollBar().value()
            self.details.setPlainText(describe(record))
            self.details.verticalScrollBar().setValue(scroll)
        self._update_actions()

    def copy_job_id(self, job_id: str) -> None:
        QApplication.clipboard().setText(job_id)

    def _notice(self, text: str, level: int) -> None:
        if self.iface is not None:
            self.iface.messageBar().pushMessage(
                translate("JobsPanel", "ArcGIS GP"), text, Qgis.MessageLevel(level), 8
            )
