"""A Processing algorithm built from one GP task description.

The class only describes the task to Processing (ids, names, help, parameters from the
GP type table); running it is :mod:`.runner`'s job.
"""

from __future__ import annotations

import functools
import html
from typing import Any

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingDestinationParameter,
    QgsProcessingFeedback,
    QgsProcessingOutputRasterLayer,
    QgsProcessingOutputString,
    QgsProcessingParameterBoolean,
    QgsProcessingParameterDefinition,
    QgsProcessingParameterString,
)
from qgis.PyQt.QtGui import QIcon

from ..connections.clients import client_for
from ..connections.connection import Connection, slug
from ..gptypes import filters
from ..gptypes.categories import in_category_order
from ..gptypes.compat import FLAG_HIDDEN
from ..gptypes.features import service_layer_url_inputs
from ..gptypes.table import GP_TYPES, handler_for, is_known
from ..i18n import translate
from ..icons import provider_icon
from ..rest.credits import consumes_credits
from ..rest.descriptions import GPParameter, GPService, GPTask
from .environment import is_spatial, run_parameters
from .hosted import is_output_name, offer_hosted_output
from .result_map_service import ADD_RESULT_MAP_LAYER, RESULT_MAP_LAYER_OUTPUT
from .runner import FETCH_JOB_ID, JOB_ID_OUTPUT, RUN_IN_BACKGROUND, TaskRun


def algorithm_name(connection: Connection, service_path: str, task_name: str) -> str:
    """The stable algorithm name: ``slug(connection)__slug(service path)__slug(task)``."""
    return f"{connection.slug}__{slug(service_path)}__{slug(task_name)}"


@functools.cache
def _job_parameters() -> tuple[QgsProcessingParameterDefinition, ...]:
    """The parameters every asynchronous task has, built once and cloned per algorithm.

    Cloning (a C++ copy) costs a fraction of building and configuring them in Python,
    and QGIS builds every algorithm at start-up, where time is short. In order: add the result
    map layer (services with one), run in background, and the hidden "fetch job" id.
    """
    add_layer = QgsProcessingParameterBoolean(
        ADD_RESULT_MAP_LAYER, translate("Algorithm", "Add the result map service layer"), True
    )
    add_layer.setHelp(translate("Algorithm", "Adds the job's result map service "
        "(…/MapServer/jobs/<jobId>) to the project."))  # fmt: skip
    background = QgsProcessingParameterBoolean(
        RUN_IN_BACKGROUND,
        translate("Algorithm", "Run in background (results load when the job ends)"),
        False,
    )
    background.setHelp(translate("Algorithm", "Submits the job and returns its id at once, "
        "leaving QGIS free. The job is listed in the GP Jobs panel, watched even after QGIS "
        "restarts, and its outputs are fetched and loaded when it succeeds."))  # fmt: skip
    fetch = QgsProcessingParameterString(
        FETCH_JOB_ID, translate("Algorithm", "Fetch the results of job"), optional=True
    )
    fetch.setHelp(translate("Algorithm", "Instead of submitting, wait for this existing job "
        "and fetch its outputs."))  # fmt: skip
    fetch.setFlags(fetch.flags() | FLAG_HIDDEN)
    return add_layer, background, fetch


def _help_sections(task: GPTask) -> list[tuple[str, list[GPParameter]]]:
    """The parameters as the dialog shows them: inputs in category order, each category
    under its name, then the outputs."""
    sections: list[tuple[str, list[GPParameter]]] = []
    for param in [*in_category_order(task.inputs), *task.outputs]:
        heading = translate("Algorithm", "Outputs") if param.is_output else param.category or ""
        if not sections or sections[-1][0] != heading:
            sections.append((heading, []))
        sections[-1][1].append(param)
    return sections


def _help_row(param: GPParameter) -> str:
    label = html.escape(param.display_name or param.name)
    if param.is_output:
        kind = translate("Algorithm", "output")
    elif param.is_required:
        kind = translate("Algorithm", "required")
    else:
        kind = translate("Algorithm", "optional")
    text = html.escape(param.description or "")
    return (
        f"<li><b>{label}</b> <code>{html.escape(param.name)}</code> "
        f"({html.escape(param.data_type)}, {kind}){': ' + text if text else ''}</li>"
    )


class GPTaskAlgorithm(QgsProcessingAlgorithm):
    """One remote GP task as a native QGIS algorithm."""

    def __init__(
        self,
        connection: Connection,
        service: GPService,
        task: GPTask,
        status_note: str = "",
    ) -> None:
        super().__init__()
        self.connection = connection
        self.service = service
        self.task = task
        #: Why the description may be stale (e.g. the server was unreachable at refresh).
        self.status_note = status_note
        #: QGIS asks for the name several times per algorithm while registering it.
        self._name = ""

    # -- identity ----------------------------------------------------------------------

    def name(self) -> str:
        if not self._name:
            self._name = algorithm_name(self.connection, self.service.path, self.task.name)
        return self._name

    def displayName(self) -> str:
        return self.task.display_name or self.task.name

    def group(self) -> str:
        return f"{self.connection.name} › {self.service.label or self.service.path}"  # noqa: RUF001 (a stable name: models list algorithms by group)

    def groupId(self) -> str:
        return f"{self.connection.slug}__{slug(self.service.path)}"

    def icon(self) -> QIcon:
        return provider_icon()

    def tags(self) -> list[str]:
        return ["arcgis", "geoprocessing", "gp", self.service.path, self.task.name]

    def helpUrl(self) -> str:
        return self.task.help_url or self.task.url

    def shortDescription(self) -> str:
        return (self.task.description or "").split("\n", 1)[0][:200]

    def shortHelpString(self) -> str:
        parts = []
        if self.status_note:
            parts.append(f"<p><b>{html.escape(self.status_note)}</b></p>")
        if self.task.description:
            parts.append(f"<p>{html.escape(self.task.description)}</p>")
        if self.task.is_async:
            runs = translate("Algorithm", "Runs on <i>{url}</i> as an asynchronous job.")
        else:
            runs = translate("Algorithm", "Runs on <i>{url}</i> as a synchronous request.")
        parts.append(f"<p>{runs.format(url=html.escape(self.service.url))}</p>")
        if consumes_credits(self.service.url, self.service.description, self.task.description):
            billed = translate("Algorithm", "Each run consumes ArcGIS Online credits of "
                               "the signed-in user's organisation.")  # fmt: skip
            parts.append(f"<p><b>{billed}</b></p>")
        for heading, params in _help_sections(self.task):
            if heading:
                parts.append(f"<p><b>{html.escape(heading)}</b></p>")
            parts.append("<ul>" + "".join(map(_help_row, params)) + "</ul>")
        return "".join(parts)

    def createInstance(self) -> GPTaskAlgorithm:
        return GPTaskAlgorithm(self.connection, self.service, self.task, self.status_note)

    # -- parameters --------------------------------------------------------------------

    def unknown_types(self) -> list[str]:
        """GP types of this task that fell back to raw JSON (for the provider's warning)."""
        types = {p.data_type for p in self.task.parameters if p.data_type not in GP_TYPES}
        return sorted(t for t in types if not is_known(t))  # "GPMultiValue:X" is known

    def filter_notes(self) -> list[str]:
        """Filters of this task's inputs that QGIS cannot hold (for the provider's log).

        The parameters still work: the server checks what QGIS could not.
        """
        return [note for param in self.task.inputs for note in filters.notes(param)]

    def initAlgorithm(self, configuration: dict[str, Any] | None = None) -> None:
        for param in in_category_order(self.task.inputs):  # GP categories kept together
            for definition in handler_for(param.data_type).input_parameters(param):
                if is_output_name(param):
                    offer_hosted_output(definition)
                self.addParameter(definition)
        for param in self.task.outputs:
            for definition in handler_for(param.data_type).output_definitions(param):
                if isinstance(definition, QgsProcessingDestinationParameter):
                    self.addParameter(definition)
                else:
                    self.addOutput(definition)
        if self.task.is_async and self.outputDefinition(JOB_ID_OUTPUT) is None:
            self.addOutput(
                QgsProcessingOutputString(
                    JOB_ID_OUTPUT, translate("Algorithm", "Job id on the server")
                )
            )
        if self.task.is_async and self.service.result_map_server_name:
            self.addParameter(_job_parameters()[0].clone())
            self.addOutput(
                QgsProcessingOutputRasterLayer(
                    RESULT_MAP_LAYER_OUTPUT, translate("Algorithm", "Result map service layer")
                )
            )
        if self.task.is_async:
            for prototype in _job_parameters()[1:]:
                self.addParameter(prototype.clone())
        if is_spatial(self.task):
            taken = {p.name for p in self.task.parameters}
            for prototype in run_parameters():
                if prototype.name() not in taken:  # a GP parameter's name always wins
                    self.addParameter(prototype.clone())

    def checkParameterValues(
        self, parameters: dict[str, Any], context: QgsProcessingContext
    ) -> tuple[bool, str]:
        """A "fetch job" run needs no inputs: the job already has them on the server."""
        if self.task.is_async and str(parameters.get(FETCH_JOB_ID) or "").strip():
            return True, ""
        by_reference = service_layer_url_inputs(self.task, parameters)
        if by_reference:
            # QGIS would try to open a service layer URL as a file; the server reads it.
            for definition in self.parameterDefinitions():
                name = definition.name()
                if name in by_reference:
                    continue
                if not definition.checkValueIsAcceptable(parameters.get(name), context):
                    problem = translate("Algorithm", "Incorrect parameter value for {name}")
                    return False, problem.format(name=definition.description())
            return True, ""
        return super().checkParameterValues(parameters, context)

    # -- running -----------------------------------------------------------------------

    def processAlgorithm(
        self,
        parameters: dict[str, Any],
        context: QgsProcessingContext,
        feedback: QgsProcessingFeedback,
    ) -> dict[str, Any]:
        run = TaskRun(
            self,
            client_for(self.connection, self.task.url),
            self.connection,
            self.service,
            self.task,
        )
        return run.run(parameters, context, feedback)
