"""Tasks of the services whose names end in "Server" (``Tools/ReportServer``,
``PrintServer``): file outputs with real-world names, and a task that forgets its output.
"""

from __future__ import annotations

import zipfile
from typing import Any
from xml.sax.saxutils import escape

from ..jobs import TaskContext
from ..outputs import OutputFile


def xml_report(ctx: TaskContext) -> dict[str, Any]:
    """``report.s.xml`` (two suffixes, as report engines name them), given as two outputs.

    Both outputs name the same scratch file, as a model that passes one file on as a
    second derived output does.
    """
    title = str(ctx.inputs.get("Title") or "Report")
    path = ctx.scratch_path("report.s.xml")
    header = '<?xml version="1.0" encoding="utf-8"?>\n'
    path.write_text(f"{header}<report><title>{escape(title)}</title></report>\n", encoding="utf-8")
    ctx.message("Report written.")
    report = OutputFile(path)
    return {"Output_Report": report, "Report_Copy": report}


def zip_export(ctx: TaskContext) -> dict[str, Any]:
    """``clip.zip``: a zipped export, as Extract Data and Export Web Map tasks send."""
    title = str(ctx.inputs.get("Title") or "Export")
    path = ctx.scratch_path("clip.zip")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("readme.txt", f"{title}\n")
    ctx.message("Export written.")
    return {"Output_File": OutputFile(path)}


def forgetful(ctx: TaskContext) -> dict[str, Any]:
    """Succeeds without a value for its required output, with the warning ArcGIS gives
    a tool that wrote nothing; a client must not report that as a complete result."""
    ctx.warning("WARNING 000117: Warning empty output generated.")
    return {}
