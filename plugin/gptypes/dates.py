"""The handler for GPDate: epoch milliseconds on the wire, ISO 8601 in outputs."""

from __future__ import annotations

from datetime import datetime, timezone
from typing import Any

from qgis.core import QgsProcessingParameterDateTime
from qgis.PyQt.QtCore import QDateTime, Qt

from ..i18n import translate
from ..rest.descriptions import GPParameter
from .base import EncodeContext, GPTypeHandler, bad_input, display_name
from .compat import DATETIME_DATETIME


def epoch_ms_to_iso(value: Any) -> str | None:
    """GPDate values are epoch milliseconds (UTC); outputs show them as ISO 8601."""
    if value is None or value == "":
        return None
    if isinstance(value, str):
        try:
            value = float(value)
        except ValueError:
            return value  # already a date string: some servers send text dates
    moment = datetime.fromtimestamp(float(value) / 1000.0, tz=timezone.utc)
    return moment.isoformat().replace("+00:00", "Z")


class DateType(GPTypeHandler):
    """GPDate: a date-time chooser; sent as epoch milliseconds, returned as ISO 8601."""

    qgis_input = "DateTime"

    def input_definition(self, param: GPParameter) -> Any:
        default = None
        if isinstance(param.default_value, (int, float)):
            default = QDateTime.fromMSecsSinceEpoch(int(param.default_value), Qt.TimeSpec.UTC)
        return QgsProcessingParameterDateTime(
            param.name, display_name(param), DATETIME_DATETIME, defaultValue=default
        )

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        moment = ctx.algorithm.parameterAsDateTime(ctx.parameters, param.name, ctx.context)
        if not moment.isValid():
            raise bad_input(
                param,
                translate("Scalars", "not a valid date and time: {value!r}").format(
                    value=ctx.parameters[param.name]
                ),
            )
        return moment.toMSecsSinceEpoch()

    def decode_value(self, value: Any) -> Any:
        return epoch_ms_to_iso(value)
