"""The environment of a run: output and processing spatial references, z and m.

ArcGIS lets every ``execute`` and ``submitJob`` say in which spatial reference the
outputs come (``outSR``) and the geometry work happens (``processSR``), and drops the
z and m of feature outputs unless the request asks for them (``returnZ``/``returnM``,
both false by default, on ``execute``, ``submitJob`` and each job result). Every
algorithm of a task with spatial parameters therefore carries four advanced parameters
whose names no GP parameter takes (the ``arcgis_gp_`` prefix): ask for z and m (on by
default, so nothing is lost), the output spatial reference, the processing spatial
reference and the processing extent (``context.extent``, with its own CRS) (unset: the
server's own, and nothing is sent). A task of text and numbers only sends none of it.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from typing import Any

from qgis.core import (
    QgsCoordinateReferenceSystem,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterCrs,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterExtent,
)

from ..gptypes.compat import FLAG_ADVANCED
from ..gptypes.spatial_reference import spatial_reference_from_crs
from ..i18n import translate
from ..rest.data_types import value_data_type
from ..rest.descriptions import GPTask
from ..rest.run_options import CONTEXT_VERSION, run_environment

#: Ask the server for the z and m values of feature outputs (default: yes).
RETURN_Z_M = "arcgis_gp_return_z_m"
#: The spatial reference of the outputs (unset: the server's own).
OUTPUT_SR = "arcgis_gp_output_sr"
#: The spatial reference the server works in (unset: the server's own).
PROCESSING_SR = "arcgis_gp_processing_sr"
#: The extent the server limits its work to (``context.extent``; unset: the inputs').
EXTENT = "arcgis_gp_extent"

RUN_PARAMETER_NAMES = (RETURN_Z_M, OUTPUT_SR, PROCESSING_SR, EXTENT)

#: GP types that never hold geometry or spatial data. A task made only of these (and
#: ``GPMultiValue`` of them) has no spatial environment: its algorithm gets no run
#: parameters, which keeps the dialogs of text and number services plain and start-up
#: cheap. Files, rasters, value tables and unknown types may hold spatial data.
NON_SPATIAL_TYPES = frozenset(
    {
        "GPString",
        "GPStringHidden",
        "GPLong",
        "GPDouble",
        "GPBoolean",
        "GPDate",
        "GPLinearUnit",
        "GPArealUnit",
        "GPTimeUnit",
        "GPSQLExpression",
        "GPField",  # and "Field", which split_data_type reads as GPField
        "GPRecordSet",
    }
)


def is_spatial(task: GPTask) -> bool:
    """Whether any parameter of ``task`` may hold geometry or spatial data."""
    for param in task.parameters:
        if value_data_type(param.data_type) not in NON_SPATIAL_TYPES:
            return True
    return False


def _advanced(definition: QgsProcessingParameterDefinition) -> QgsProcessingParameterDefinition:
    definition.setFlags(definition.flags() | FLAG_ADVANCED)
    return definition


@functools.cache
def run_parameters() -> tuple[QgsProcessingParameterDefinition, ...]:
    """The advanced parameters every algorithm has, built once and cloned per algorithm
    (a C++ copy costs a fraction of building them in Python, and start-up time is short)."""
    # Optional, so models saved before it existed stay valid (unset means yes).
    return_z_m = QgsProcessingParameterBoolean(
        RETURN_Z_M,
        translate("RunParameters", "Return Z and M values of feature outputs"),
        defaultValue=True,
        optional=True,
    )
    return_z_m.setHelp(translate("RunParameters", "Asks the server for the z and m values of "
        "feature outputs (returnZ/returnM). ArcGIS leaves them out unless asked; turn this "
        "off for 2D outputs."))  # fmt: skip
    output_sr = QgsProcessingParameterCrs(
        OUTPUT_SR, translate("RunParameters", "Output spatial reference"), None, optional=True
    )
    output_sr.setHelp(translate("RunParameters", "The CRS the server writes feature outputs "
        "in (outSR). Unset: the server's own choice, usually the CRS of the inputs or of the "
        "processing spatial reference."))  # fmt: skip
    processing_sr = QgsProcessingParameterCrs(
        PROCESSING_SR, translate("RunParameters", "Processing spatial reference"), None, True
    )
    processing_sr.setHelp(translate("RunParameters", "The CRS the server performs geometry "
        "operations in (processSR). Unset: the server's own; outputs come in it when no "
        "output spatial reference is set."))  # fmt: skip
    extent = QgsProcessingParameterExtent(
        EXTENT, translate("RunParameters", "Processing extent"), None, optional=True
    )
    extent.setHelp(translate("RunParameters", "Limits the work to this extent (the "
        "context's extent): the server analyses only the input features within it. It "
        "goes with its own CRS, never reprojected here. Unset: the inputs' extent."))  # fmt: skip
    return tuple(_advanced(d) for d in (return_z_m, output_sr, processing_sr, extent))


@dataclass
class RunEnvironment:
    """What one run asks of the server beyond its GP inputs."""

    return_z_m: bool = True
    #: Keyword arguments of ``execute``/``submit_job`` (``context`` or ``env:`` form).
    spatial_references: dict[str, Any] = field(default_factory=dict)
    #: The output spatial reference asked for (Esri JSON), ``None`` for the server's own.
    output_sr: dict[str, Any] | None = None

    def layer_query(self, out_sr: dict[str, Any] | None = None) -> dict[str, Any]:
        """What a layer query of this run's outputs adds: z and m as asked, and ``outSR``
        (``out_sr``, else the output spatial reference of the run, else the layer's own)."""
        query: dict[str, Any] = {"returnZ": self.return_z_m, "returnM": self.return_z_m}
        if out_sr or self.output_sr:
            query["outSR"] = out_sr or self.output_sr
        return query

    @property
    def run_kwargs(self) -> dict[str, Any]:
        """Everything ``execute``/``submit_job`` take for this environment."""
        flags = {"return_z": self.return_z_m, "return_m": self.return_z_m}
        return {**self.spatial_references, **flags}


def _crs_of(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict[str, Any],
    name: str,
    context: QgsProcessingContext,
) -> QgsCoordinateReferenceSystem | None:
    """The CRS set for ``name``; ``None`` when unset; an error naming it when invalid."""
    value = parameters.get(name)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    crs = algorithm.parameterAsCrs(parameters, name, context)
    if not crs.isValid():
        definition = algorithm.parameterDefinition(name)
        label = definition.description() if definition is not None else name
        problem = translate("RunParameters", "{name}: not a valid CRS: {value}")
        raise QgsProcessingException(problem.format(name=label, value=repr(value)))
    return crs


def _unusable(
    algorithm: QgsProcessingAlgorithm, name: str, crs: QgsCoordinateReferenceSystem
) -> dict[str, Any]:
    definition = algorithm.parameterDefinition(name)
    label = definition.description() if definition is not None else name
    problem = translate("RunParameters", "{name}: {crs} has neither an EPSG/ESRI code nor "
        "a WKT that ArcGIS can read")  # fmt: skip
    raise QgsProcessingException(problem.format(name=label, crs=crs.userFriendlyIdentifier()))


def _extent_of(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict[str, Any],
    context: QgsProcessingContext,
    server_version: float | None,
) -> dict[str, Any] | None:
    """The processing extent as an Esri envelope in its own CRS; ``None`` when unset."""
    value = parameters.get(EXTENT)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    definition = algorithm.parameterDefinition(EXTENT)
    label = definition.description() if definition is not None else EXTENT
    rectangle = algorithm.parameterAsExtent(parameters, EXTENT, context)
    crs = algorithm.parameterAsExtentCrs(parameters, EXTENT, context)
    if rectangle.isNull() or rectangle.isEmpty():
        problem = translate("RunParameters", "{name}: not a valid extent: {value}")
        raise QgsProcessingException(problem.format(name=label, value=repr(value)))
    if not crs.isValid():
        problem = translate("RunParameters", "{name}: the extent has no CRS; give one "
            "(e.g. \"xmin,xmax,ymin,ymax [EPSG:4326]\")")  # fmt: skip
        raise QgsProcessingException(problem.format(name=label))
    if server_version is not None and server_version < CONTEXT_VERSION:
        problem = translate("RunParameters", "{name}: this service (ArcGIS Server "
            "{version}) does not read a processing extent; it came with 10.6.1")  # fmt: skip
        raise QgsProcessingException(problem.format(name=label, version=server_version))
    sr = spatial_reference_from_crs(crs) or _unusable(algorithm, EXTENT, crs)
    return {
        "xmin": rectangle.xMinimum(),
        "ymin": rectangle.yMinimum(),
        "xmax": rectangle.xMaximum(),
        "ymax": rectangle.yMaximum(),
        "spatialReference": sr,
    }


def read_environment(
    algorithm: QgsProcessingAlgorithm,
    parameters: dict[str, Any],
    context: QgsProcessingContext,
    server_version: float | None,
    taken: frozenset[str] = frozenset(),
) -> RunEnvironment:
    """The run's environment from the algorithm's parameters, in the form the server
    of ``server_version`` reads (see :func:`~..rest.run_options.run_environment`).

    ``taken`` names GP parameters of the task: a name there is the task's, not ours.
    """
    return_z_m = True
    if RETURN_Z_M not in taken and parameters.get(RETURN_Z_M) is not None:
        return_z_m = algorithm.parameterAsBoolean(parameters, RETURN_Z_M, context)
    references: dict[str, dict[str, Any] | None] = {OUTPUT_SR: None, PROCESSING_SR: None}
    for name in references:
        crs = None if name in taken else _crs_of(algorithm, parameters, name, context)
        if crs is not None:
            references[name] = spatial_reference_from_crs(crs) or _unusable(algorithm, name, crs)
    extent = None
    if EXTENT not in taken:
        extent = _extent_of(algorithm, parameters, context, server_version)
    return RunEnvironment(
        return_z_m,
        run_environment(server_version, references[OUTPUT_SR], references[PROCESSING_SR], extent),
        references[OUTPUT_SR],
    )
