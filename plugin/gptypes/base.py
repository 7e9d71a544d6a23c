"""What every GP data type handler does, and what it is given to do it.

A handler turns one GP parameter of a task description into QGIS Processing parameter
definitions (inputs) or output definitions, encodes the user's input for the REST request,
and decodes the server's result value into Processing outputs. The table in ``table.py``
picks one handler per GP ``dataType``.
"""

from __future__ import annotations

import json
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
    QgsProcessingOutputString,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterEnum,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtCore import QVariant

from ..rest.descriptions import GPParameter
from . import filters
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
    #: The token the connection holds for a service layer URL, for the GP server to read
    #: that layer with (``serviceToken``); None when the connection does not log in to
    #: the layer's host (its credentials must not travel there) or has no token.
    service_token: Callable[[str], str | None] | None = None

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
    #: The run named a hosted layer for the service to create (``outputName``): feature
    #: outputs that come as a feature layer URL are loaded from it, not copied.
    hosted_output: bool = False

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
    """The default handler, GPString's: a text box (a combo box for a choice list or the
    codes of a codedValue filter) in, the result's text out.

    Every other handler derives from it and overrides only what differs, through hooks:

    - :meth:`input_definition`: the Processing parameter, before the help, optional flag
      and category every input gets (:func:`apply_common`); :meth:`help_notes`: what the
      help adds after the parameter's own description;
    - :meth:`is_given`: whether the run gave a value at all (else nothing is sent);
      :meth:`encode_value`: the given value as the REST API wants it;
    - :attr:`output_class`: the Processing output a result becomes;
      :meth:`decode_value`: the server's value as that output holds it.

    Types whose outputs are destinations (feature sinks, downloads) override
    :meth:`output_definitions` and :meth:`decode` themselves.
    """

    #: Short description for the README's type table and the algorithm help.
    qgis_input: str = "String; Enum (static strings) with a choice list or codedValue filter"
    qgis_output: str = "OutputString"
    #: What an output GP parameter becomes, unless :meth:`output_definitions` says more.
    output_class: type[QgsProcessingOutputDefinition] = QgsProcessingOutputString

    def input_parameters(self, param: GPParameter) -> list[QgsProcessingParameterDefinition]:
        """The Processing parameter(s) for an input GP parameter."""
        definition = apply_common(self.input_definition(param), param)
        for note in self.help_notes(param, definition):
            if note:
                definition.setHelp(f"{definition.help()}\n{note}".strip())
        return [definition]

    def input_definition(self, param: GPParameter) -> QgsProcessingParameterDefinition:
        """The bare Processing parameter: name, label, default and what it accepts."""
        default = string_default(param.default_value)
        options = filters.choices(param)
        if options:
            return choice_parameter(param, options, default)
        return QgsProcessingParameterString(param.name, display_name(param), defaultValue=default)

    def help_notes(self, param: GPParameter, definition: Any) -> list[str]:
        """Lines added to the help after the description: a combo box shows the codes it
        sends, so the names of a codedValue filter are told here."""
        if isinstance(definition, QgsProcessingParameterEnum):
            return [filters.coded_names_help(param.filter)]
        return []

    def encode(self, param: GPParameter, ctx: EncodeContext) -> Any:
        """The value to send for ``param``, JSON-ready, or :data:`OMIT` when none is given."""
        if not self.is_given(param, ctx):
            return OMIT
        return self.encode_value(param, ctx)

    def is_given(self, param: GPParameter, ctx: EncodeContext) -> bool:
        """Whether the run gave a value: an input left empty is not sent at all, so the
        server applies its own default."""
        return ctx.has_value(param.name)

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        """The given value as the REST API wants it (a combo box: the code picked)."""
        if filters.choices(param):
            return ctx.algorithm.parameterAsEnumString(ctx.parameters, param.name, ctx.context)
        return ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)

    def output_definitions(self, param: GPParameter) -> list[Definition]:
        """Destination parameters and/or outputs for an output GP parameter."""
        return [self.output_class(param.name, display_name(param))]

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        """Processing outputs (name -> value) for an output GP parameter."""
        return {param.name: self.decode_value(result.value())}

    def decode_value(self, value: Any) -> Any:
        """The server's value as the output holds it (:attr:`output_class`)."""
        return result_as_text(value)


def string_default(value: Any) -> Any:
    """A task default as a text box shows it: JSON for objects and arrays."""
    if value is None or value == "":
        return None
    return value if isinstance(value, str) else json.dumps(value)


def result_as_text(value: Any) -> str | None:
    """GPString results are sometimes objects or arrays on real servers: keep them as JSON."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)


def choice_parameter(param: GPParameter, options: list[str], default: Any) -> Any:
    """A combo box of static strings (what scripts and models store is the value itself)."""
    default = None if default is None else str(default)
    return QgsProcessingParameterEnum(
        param.name,
        display_name(param),
        options,
        allowMultiple=False,
        defaultValue=default if default in options else None,
        usesStaticStrings=True,
    )


#: Between a GP category and a parameter's name in its label ("Units > Distance", with
#: the single angle quotation mark the toolbox groups use too: "connection > service").
CATEGORY_SEPARATOR = " \u203a "


def apply_common(definition: QgsProcessingParameterDefinition, param: GPParameter) -> Any:
    """Help text, optional flag and GP category, the same for every input type (the one
    place an input is made optional: handlers do not pass ``optional=`` themselves).

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


def destination_parameter(definition: Any, param: GPParameter) -> Any:
    """An output's destination parameter (a sink, a file) with the GP parameter's
    description as its help, as every destination has it."""
    definition.setHelp(param.description or "")
    return definition
