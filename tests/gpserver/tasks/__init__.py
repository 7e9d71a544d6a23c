"""Task implementations, by the ``implementation`` name services.yaml gives them."""

from __future__ import annotations

from ..jobs import TaskFunction
from . import analysis, echo, elevation, printing

IMPLEMENTATIONS: dict[str, TaskFunction] = {
    "buffer": analysis.buffer,
    "summarize": analysis.summarize,
    "scalars": analysis.scalars,
    "large_output": analysis.large_output,
    "large_summary": analysis.large_summary,
    "hot_spots": analysis.hot_spots,
    "all_types": echo.all_types,
    "echo_inputs": echo.echo_inputs,
    "echo": echo.echo,
    "viewshed": elevation.viewshed,
    "elevation_raster": elevation.elevation_raster,
    "elevation_image_service": elevation.elevation_image_service,
    "parcels_by_zone": analysis.parcels_by_zone,
    "report": elevation.report,
    "slow_task": elevation.slow_task,
    "failing_task": elevation.failing_task,
    "timeout_task": elevation.timeout_task,
    "xml_report": printing.xml_report,
    "zip_export": printing.zip_export,
    "forgetful": printing.forgetful,
}
