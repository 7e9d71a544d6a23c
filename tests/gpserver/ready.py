"""A ready-to-use Spatial Analysis service, reached through the portal's ``analysis`` helper.

What Esri's analysis services (ArcGIS Online's ``…/services/tasks/GPServer``, ArcGIS
Enterprise's ``System/SpatialAnalysisTools/GPServer``) ask of a client, after their REST
reference ("Feature input", "Create Buffers", "Context"):

- feature inputs come as a layer URL with an optional ``filter`` and, for a secured layer,
  a ``serviceToken`` the service reads the layer with (``{"url", "filter",
  "serviceToken"}``), or as features; a secured layer without a valid token cannot be read
  and the job fails;
- ``outputName`` (JSON ``{"serviceProperties": {"name": …}}``) creates a hosted feature
  layer in the signed-in user's content (a private item, a secured service); the result
  is then ``{"url": <layer URL>, "itemId": …}`` instead of features; a name in use fails;
- ``context`` is a string parameter of the task: ``extent`` (with its own
  ``spatialReference``) limits the input features to those that intersect it, ``outSR``
  the spatial reference of the output (the server's ``run_options`` already reads it).

``enable(gpserver)`` publishes the service and a secured hosted layer
(``Hosted/SecureParcels``) while the portal is on; switching the portal off removes them.
"""

from __future__ import annotations

import json
import uuid
from typing import Any

from . import geometry, spatialref
from .errors import TaskFailedError
from .featureset import FeatureSet
from .jobs import TaskContext
from .outputs import ServiceLayerOutput
from .portal import Portal, PortalItem
from .registry import ASYNC, Service, _load_task
from .tasks import IMPLEMENTATIONS, analysis

#: Where ArcGIS Enterprise publishes its Spatial Analysis service.
ANALYSIS_PATH = "System/SpatialAnalysisTools"
#: A hosted feature layer that needs a token (a private item of the user's content).
SECURE_LAYER_PATH = "Hosted/SecureParcels"
IMPLEMENTATION = "sa_create_buffers"

#: Esri's analysis units and the GPLinearUnit units the buffer of analysis.py reads.
_UNITS = {
    "Meters": "esriMeters",
    "Kilometers": "esriKilometers",
    "Feet": "esriFeet",
    "Miles": "esriMiles",
}

_CREATE_BUFFERS = {
    "implementation": IMPLEMENTATION,
    "displayName": "Create Buffers",
    "description": "Creates polygons that cover a given distance from point, line or area "
    "features (a ready-to-use Spatial Analysis task).",
    "category": "Use Proximity",
    "parameters": [
        {
            "name": "inputLayer",
            "dataType": "GPFeatureRecordSetLayer",
            "displayName": "Input Layer",
            "description": "The features to buffer: a feature layer URL or features.",
        },
        {
            "name": "distances",
            "dataType": "GPDouble",
            "displayName": "Distance",
            "defaultValue": 100,
            "parameterType": "Optional",
        },
        {
            "name": "units",
            "dataType": "GPString",
            "displayName": "Distance Units",
            "defaultValue": "Meters",
            "parameterType": "Optional",
        },
        {
            "name": "outputName",
            "dataType": "GPString",
            "displayName": "Output Name",
            "description": "The name of the hosted feature layer to create.",
            "parameterType": "Optional",
        },
        {
            "name": "context",
            "dataType": "GPString",
            "displayName": "Context",
            "description": "Extent, output and processing spatial references.",
            "parameterType": "Optional",
        },
        {
            "name": "bufferLayer",
            "dataType": "GPFeatureRecordSetLayer",
            "displayName": "Buffer Layer",
            "direction": "Output",
        },
    ],
}

#: The portals whose services are published, by the id of their analysis service.
_PUBLISHERS: dict[int, ReadyServices] = {}


class ReadyServices:
    """The analysis service and hosted layers of one portal of one test server."""

    def __init__(self, state: Any, portal: Portal) -> None:
        self.state = state
        self.portal = portal
        self.analysis = Service(
            path=ANALYSIS_PATH,
            type="GPServer",
            description="Spatial Analysis (ready-to-use, through the portal's helper)",
            execution_type=ASYNC,
            tasks={"CreateBuffers": _load_task("CreateBuffers", _CREATE_BUFFERS)},
        )
        self._publish(self.analysis)
        secure = Service(
            path=SECURE_LAYER_PATH,
            type="FeatureServer",
            description="A secured hosted feature layer (a private item)",
            secured=True,
            dataset="parcels",
        )
        self._publish(secure)
        portal.extra_helpers["analysis"] = f"{ANALYSIS_PATH}/GPServer"
        _PUBLISHERS[id(self.analysis)] = self
        #: Hosted layers created by runs: name -> item id.
        self.created: dict[str, str] = {}

    def _publish(self, service: Service) -> None:
        self.state.registry.services.append(service)
        self.portal._added.append(service)  # removed with the portal's other services

    def create_hosted_layer(self, name: str, owner: str | None, features: FeatureSet) -> str:
        """Publish ``features`` as ``Hosted/<name>/FeatureServer`` (secured, as a private
        item of ``owner``); the new item's id."""
        path = f"Hosted/{name}"
        if self.state.registry.find(path, "FeatureServer") is not None:
            raise TaskFailedError(
                f"ERROR 000012: Service name '{name}' already exists in your organization."
            )
        key = f"hosted:{name}"
        self.state.datasets[key] = features
        self._publish(
            Service(
                path=path,
                type="FeatureServer",
                description=f"Created by Create Buffers ({name})",
                secured=True,
                dataset=key,
            )
        )
        item_id = uuid.uuid4().hex
        self.portal.items.append(
            PortalItem(
                item_id,
                name,
                "Feature Service",
                f"{path}/FeatureServer",
                access="private",
                owner=owner or "",
                type_keywords=["ArcGIS Server", "Data", "Feature Service", "Service"],
            )
        )
        self.created[name] = item_id
        return item_id


def enable(gpserver: Any) -> ReadyServices:
    """Publish the ready-to-use analysis service on the test server's portal (switched on
    first if it is off)."""
    portal = gpserver.state.portal or gpserver.enable_portal()
    return ReadyServices(gpserver.state, portal)


# --------------------------------------------------------------------------- the task


def _context(ctx: TaskContext) -> dict[str, Any]:
    raw = ctx.inputs.get("context") or ""
    if not raw:
        return {}
    try:
        value = json.loads(raw)
    except json.JSONDecodeError:
        raise TaskFailedError("ERROR: 'context' is not valid JSON.") from None
    if not isinstance(value, dict):
        raise TaskFailedError("ERROR: 'context' must be a JSON object.")
    return value


def _output_name(raw: str) -> str | None:
    """The service name of ``{"serviceProperties": {"name": …}}`` (the documented syntax:
    a bare name is refused, as the service cannot tell it from broken JSON)."""
    if not raw:
        return None
    try:
        value = json.loads(raw)
        name = value["serviceProperties"]["name"]
    except (json.JSONDecodeError, KeyError, TypeError):
        raise TaskFailedError(
            'ERROR: outputName must be {"serviceProperties": {"name": "<service name>"}}.'
        ) from None
    if not isinstance(name, str) or not name.strip():
        raise TaskFailedError("ERROR: outputName has no service name.")
    return name.strip()


def _within_extent(source: FeatureSet, extent: dict[str, Any]) -> FeatureSet:
    """The features that intersect ``extent`` (moved into the data's spatial reference)."""
    try:
        box = geometry.to_ogr({"rings": [geometry.envelope_ring(extent)]})
        transform = spatialref.transformation(
            extent.get("spatialReference"), source.spatial_reference
        )
    except (KeyError, TypeError, ValueError, RuntimeError):
        raise TaskFailedError("ERROR: the context's extent is not a valid envelope.") from None
    if transform is not None:
        box.Transform(transform)
    kept = [
        feature
        for feature, geom in zip(source.features, source.ogr_geometries())
        if geom is not None and geom.Intersects(box)
    ]
    return FeatureSet(
        source.geometry_type,
        source.spatial_reference,
        source.fields,
        kept,
        source.has_z,
        source.has_m,
        source.display_field_name,
    )


class _BufferInputs:
    """What analysis.buffer reads of its context, for this task's parameters."""

    def __init__(self, ctx: TaskContext, features: FeatureSet) -> None:
        self._ctx = ctx
        units = _UNITS.get(str(ctx.inputs.get("units") or "Meters"))
        if units is None:
            raise TaskFailedError(f"ERROR: unsupported units {ctx.inputs.get('units')!r}.")
        distance = ctx.inputs.get("distances")
        self.inputs = {
            "Input_Features": features,
            "Distance": {"distance": 100 if distance is None else distance, "units": units},
            "Dissolve": False,
        }
        self.process_sr = ctx.process_sr

    def check_cancelled(self) -> None:
        self._ctx.check_cancelled()

    def message(self, text: str) -> None:
        self._ctx.message(text)


def create_buffers(ctx: TaskContext) -> dict[str, Any]:
    """Buffer the input (within the context's extent); into a hosted layer if named."""
    publisher = _PUBLISHERS.get(id(ctx.service))
    name = _output_name(str(ctx.inputs.get("outputName") or ""))
    if name is not None and (publisher is None or not ctx.job.user):
        raise TaskFailedError("ERROR: creating a hosted layer needs a signed-in user.")
    source: FeatureSet = ctx.inputs["inputLayer"]
    extent = _context(ctx).get("extent")
    if extent:
        source = _within_extent(source, extent)
        ctx.message(f"{len(source.features)} feature(s) within the analysis extent.")
    buffers = analysis.buffer(_BufferInputs(ctx, source))["Output_Polygons"]  # type: ignore[arg-type]
    if name is None:
        return {"bufferLayer": buffers}
    stored = FeatureSet.from_json(buffers.to_json(out_sr=ctx.out_sr))
    item_id = publisher.create_hosted_layer(name, ctx.job.user, stored)  # type: ignore[union-attr]
    ctx.message(f"Created the hosted feature layer {name} ({item_id}).")
    return {"bufferLayer": ServiceLayerOutput(f"Hosted/{name}/FeatureServer/0", item_id)}


IMPLEMENTATIONS.setdefault(IMPLEMENTATION, create_buffers)
