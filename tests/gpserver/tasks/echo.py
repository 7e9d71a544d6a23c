"""Echo tasks: AllTypes (one output per input, every GP type) and the secured Echo.

AllTypes lets a client check its encoding end to end: what it sent comes back in the
matching output type, plus two GPString outputs with the composite values (one holding
JSON text, one holding an object, a quirk of real servers).
"""

from __future__ import annotations

import json
import shutil
from typing import Any

from ..featureset import FeatureSet
from ..inputs import InputFile, echo_value
from ..jobs import TaskContext
from ..outputs import OutputFile

RASTER_TYPES = {"GPRasterDataLayer", "GPRasterData"}
COMPOSITE_TYPES = (
    "GPLinearUnit",
    "GPArealUnit",
    "GPValueTable",
    "GPField",
    "Field",
    "GPSpatialReference",
    "GPExtent",
    "GPMultiValue:GPString",
    "GPMultiValue:GPLong",
)


def _echo(ctx: TaskContext, data_type: str, value: Any) -> Any:
    if isinstance(value, InputFile):
        target = ctx.scratch_path(value.name)
        shutil.copyfile(value.path, target)
        raster = data_type in RASTER_TYPES
        return OutputFile(target, target.suffix.lstrip(".").lower() if raster else None)
    return value


def _full_field(ctx: TaskContext, dependency: str | None, value: dict[str, Any]) -> dict[str, Any]:
    """A field echoed the way ArcGIS returns one: the full definition from the layer."""
    source = ctx.inputs.get(dependency or "")
    known = {}
    if isinstance(source, FeatureSet):
        known = next((f for f in source.fields if f["name"] == value["name"]), {})
    field = {"name": value["name"], "type": "esriFieldTypeString", "alias": value["name"]}
    field.update(known)
    field.update(value)
    field.setdefault("editable", True)
    field.setdefault("nullable", True)
    field.setdefault("length", 0)
    return field


def all_types(ctx: TaskContext) -> dict[str, Any]:
    outputs: dict[str, Any] = {}
    composites: dict[str, Any] = {}
    for parameter in ctx.job.task.inputs:
        value = ctx.inputs.get(parameter.name)
        if parameter.data_type in ("GPField", "Field") and isinstance(value, dict):
            value = _full_field(ctx, parameter.description.get("dependency"), value)
        outputs[f"{parameter.name}_echo"] = _echo(ctx, parameter.data_type, value)
        if parameter.data_type in COMPOSITE_TYPES:
            composites[parameter.name] = echo_value(value)
    outputs["Composites_Json"] = json.dumps(composites, sort_keys=True)
    outputs["Composites_Object"] = composites
    ctx.message(f"Echoed {len(ctx.job.task.inputs)} inputs.")
    return outputs


def echo(ctx: TaskContext) -> dict[str, Any]:
    """Text back after an optional delay (long enough to outlive a short token)."""
    delay = float(ctx.inputs.get("Delay") or 0.0)
    if delay > 0:
        ctx.progress(0, f"Waiting {delay:g} s")
        ctx.sleep(delay)
    return {"Output_Text": ctx.inputs.get("Text") or ""}


def echo_inputs(ctx: TaskContext) -> dict[str, Any]:
    """Every input back as it was read, in the output ``<input>_echo`` the task declares
    (for tasks that check what a client sent: units, coded values, filtered tables)."""
    declared = {p.name for p in ctx.job.task.outputs}
    outputs = {
        f"{p.name}_echo": _echo(ctx, p.data_type, ctx.inputs.get(p.name))
        for p in ctx.job.task.inputs
        if f"{p.name}_echo" in declared
    }
    ctx.message(f"Echoed {len(outputs)} inputs.")
    return outputs
