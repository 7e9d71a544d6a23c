"""Where the user asked each output of a job to go, kept with the job to fetch it later.

A background job's outputs are written when it ends, maybe in a later QGIS session, so
the destinations chosen in the dialog are recorded with the job (as plain JSON in the
jobs layer's store) and read back as :class:`Destination` objects wherever they are used.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from qgis.core import (
    QgsProcessingAlgorithm,
    QgsProcessingContext,
    QgsProcessingOutputLayerDefinition,
)

#: Processing's sink for "create a temporary layer".
TEMPORARY_OUTPUT = "TEMPORARY_OUTPUT"


@dataclass(frozen=True)
class Destination:
    """Where the user asked one output to go, and whether to load it into the project."""

    sink: str
    load: bool = True
    name: str = ""

    def to_dict(self) -> dict[str, Any]:
        return {"sink": self.sink, "load": self.load, "name": self.name}

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Destination:
        """Read back from a job record; a missing sink is ``""``, a missing ``load`` yes."""
        return cls(
            str(data.get("sink") or ""), bool(data.get("load", True)), data.get("name") or ""
        )

    def output_definition(self, project: Any) -> QgsProcessingOutputLayerDefinition:
        """The Processing value that writes here, loaded into ``project`` if asked."""
        output = QgsProcessingOutputLayerDefinition(
            self.sink or TEMPORARY_OUTPUT, project if self.load else None
        )
        output.destinationName = self.name
        return output


def destinations_of(
    algorithm: QgsProcessingAlgorithm, parameters: dict[str, Any], context: QgsProcessingContext
) -> dict[str, Destination]:
    """Where each output was asked to go; outputs the user skipped are left out.

    A plain value (a path, ``TEMPORARY_OUTPUT``) means "write there and load it"; an
    output definition says itself whether to load (the dialog's "Open output file").
    """
    destinations: dict[str, Destination] = {}
    for definition in algorithm.destinationParameterDefinitions():
        value = parameters.get(definition.name())
        if value is None or value == "":
            continue
        if isinstance(value, QgsProcessingOutputLayerDefinition):
            sink = value.sink.valueAsString(context.expressionContext(), "")[0]
            destinations[definition.name()] = Destination(
                sink, value.destinationProject is not None, value.destinationName
            )
        else:
            destinations[definition.name()] = Destination(str(value))
    return destinations
