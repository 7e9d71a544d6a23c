"""What every GP data type handler does, and what it is given to do it.

A handler turns one GP parameter of a task description into QGIS Processing parameter
definitions (inputs) or output definitions, encodes the user's input for the REST request,
and decodes the server's result value into Processing outputs. The table in ``table.py``
picks one handler per GP ``dataType``.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

from qgis.core import (
    QgsMapLayer,
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingException,
    QgsProcessingFeedback,
    QgsProcessingOutputDefinition,
    QgsProcessingParameterDefinition,
)
from qgis.PyQt.QtCore import QVariant

from ..rest.descriptions import GPParameter
from .compat import FLAG_ADVANCED, FLAG_OPTIONAL
from .featureset_reader import FeatureSetReader
from .service_layers import LayerPages, ServiceAccess

#: Returned by :meth:`GPTypeHandler.encode` when nothing is to be sent for a parameter.
OMIT = object()

Definition = Any  # QgsProcessingParameterDefinition | QgsProcessingOutputDefinition


@dataclass
class EncodeContext:
    """What a handler needs to read one input from the algorithm's parameters."""

    algorithm: QgsProcessingAlgorithm
    parameters: dict[str, Any]
    context: QgsProcessingContext
    feedback: QgsProcessingFeedback
    #: Uploads a local file to the service; returns the item id. None: no Uploads capability.
    upload: Callable[[Path], str] | None = None
    #: Folder for temporary request files (removed after the run).
    temp_dir: Path = field(default_factory=Path)

    def has_value(self, name: str) -> bool:
        """False for a missing, None, empty or NULL value: the algorithm dialog, batch
        mode and models all give NULL (a null QVariant) for an optional input left empty."""
        value = self.parameters.get(name)
        if isinstance(value, QVariant):
            return not value.isNull()
        return value is not None and value != ""


class ResultValue:
    """One output's value from the server, fetched only when and how a handler needs it.

    Synchronous tasks return every value in the execute response; asynchronous ones are
    fetched per parameter, and big feature sets are streamed to a file instead of parsed.
    """

    def __init__(
        self,
        value: Callable[[bool], Any],
        to_file: Callable[[Path], Path],
        reader: Callable[[], FeatureSetReader] | None = None,
    ) -> None:
        self._value = value
        self._to_file = to_file
        self._reader = reader

    def value(self, as_data: bool = False) -> Any:
        """The result's ``value`` member, parsed.

        ``as_data`` asks for the data itself (``returnType=data``): a service with a
        result map service otherwise answers raster outputs with a drawn ``mapImage``.
        """
        return self._value(as_data)

    def to_file(self, path: Path) -> Path:
        """Write the whole result JSON (``{paramName, dataType, value}``) to ``path``."""
        return self._to_file(path)

    def reader(self, path: Path) -> FeatureSetReader:
        """The result's feature set, streamed, never parsed whole: read in place from
        the execute answer already on disk, else from the result streamed to ``path``."""
        if self._reader is not None:
            return self._reader()
        return FeatureSetReader(self._to_file(path))


@dataclass
class DecodeContext:
    """What a handler needs to turn one result into Processing outputs."""

    algorithm: QgsProcessingAlgorithm
    parameters: dict[str, Any]
    context: QgsProcessingContext
    feedback: QgsProcessingFeedback
    #: Streams a (possibly server-relative) URL to a local path, with the connection's auth.
    download: Callable[[str, Path], Path]
    temp_dir: Path = field(default_factory=Path)
    #: Every feature of an output, page by page, from the job's result map service, in the
    #: spatial reference given (the first answer's, so every page matches the sink); None
    #: when the job has none (synchronous tasks, services without one) or no such layer.
    all_pages: Callable[[str, dict[str, Any]], Iterator[Any] | None] | None = None
    #: Every feature of any map/feature service layer URL, page by page (results that are
    #: hosted feature layers rather than data).
    layer_pages: LayerPages | None = None
    #: The connection's host, auth configuration and referer, for service layers.
    access: ServiceAccess = field(default_factory=ServiceAccess)

    def load_on_completion(self, layer: QgsMapLayer, output_name: str) -> str:
        """Hand a layer built here to Processing, which adds it to the project at the end.

        Like a destination layer, it is loaded only when the algorithm succeeds.
        """
        self.context.temporaryLayerStore().addMapLayer(layer)
        self.context.addLayerToLoadOnCompletion(
            layer.id(),
            QgsProcessingContext.LayerDetails(layer.name(), self.context.project(), output_name),
        )
        return layer.id()


class GPTypeHandler:
    """Base handler: a plain string in, the raw value out. Subclasses override what differs."""

    #: Short description for the README's type table and the algorithm help.
    qgis_input: str = "String"
    qgis_output: str = "OutputString"

    def input_parameters(self, param: GPParameter) -> list[QgsProcessingParameterDefinition]:
        """The Processing parameter(s) for an input GP parameter."""
        raise NotImplementedError

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        """The value to send for ``param``, JSON-ready, or :data:`OMIT`."""
        raise NotImplementedError

    def output_definitions(self, param: GPParameter) -> list[Definition]:
        """Destination parameters and/or outputs for an output GP parameter."""
        raise NotImplementedError

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        """Processing outputs (name -> value) for an output GP parameter."""
        raise NotImplementedError


#: Between a GP category and a parameter's name in its label ("Units > Distance", with
#: the single angle quotation mark the toolbox groups use too: "connection > service").
CATEGORY_SEPARATOR = " \u203a "


def apply_common(definition: QgsProcessingParameterDefinition, param: GPParameter) -> Any:
    """Help text, optional flag and GP category, the same for every input type.

    QGIS's dialog has no parameter groups, so a GP category shows where it can survive
    every way of running (dialog, batch, modeler, ``qgis_process``): in the label
    (:func:`dialog_label`), in the parameter order (:mod:`.categories`), and as the
    "Advanced parameters" box for a category's optional parameters, which ArcGIS shows
    collapsed. A required parameter stays in view whatever its category.
    """
    if not param.is_required:  # a required parameter's flags stay as they are
        flags = definition.flags() | FLAG_OPTIONAL
        if param.category:
            flags |= FLAG_ADVANCED
        definition.setFlags(flags)
    definition.setDescription(dialog_label(param))
    help_text = param.description or ""
    definition.setHelp(help_text)
    metadata = definition.metadata()  # already a new dict (a copy of the QVariantMap)
    metadata["arcgis_gp"] = {"dataType": param.data_type, "category": param.category or ""}
    definition.setMetadata(metadata)
    return definition


def display_name(param: GPParameter) -> str:
    """What the dialog shows for a parameter: its displayName, else its name."""
    return param.display_name or param.name


def dialog_label(param: GPParameter) -> str:
    """An input's label: its display name after its GP category, if it has one."""
    name = display_name(param)
    return f"{param.category}{CATEGORY_SEPARATOR}{name}" if param.category else name


def bad_input(param: GPParameter, problem: str) -> QgsProcessingException:
    """A clear error that names the parameter, for Processing to show."""
    return QgsProcessingException(f"{display_name(param)} ({param.name}): {problem}")


def unique_path(folder: Path, prefix: str, suffix: str) -> Path:
    """A new file name in ``folder`` (one run may send or receive several feature sets)."""
    return folder / f"{prefix}-{uuid.uuid4().hex[:12]}{suffix}"


def make_output(cls: type[QgsProcessingOutputDefinition], param: GPParameter) -> Any:
    return cls(param.name, display_name(param))
