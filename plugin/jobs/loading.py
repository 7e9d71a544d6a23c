"""Put a fetched job's output layers into the project (main thread).

Processing's dialog does this for runs it starts; a watcher's fetch runs without a
dialog, so the same step is done here from the context's "layers to load on
completion": each layer is taken out of the context's temporary store (or loaded from
its file), named, tagged with its job and added to the project it was meant for.
"""

from __future__ import annotations

from qgis.core import QgsProcessingContext, QgsProcessingUtils, QgsProject

from ..provider.layer_tags import tag_layer
from .model import JobRecord


def load_outputs(context: QgsProcessingContext, record: JobRecord) -> list[str]:
    """Add the context's finished output layers to their project; their names."""
    names: list[str] = []
    for reference, details in context.layersToLoadOnCompletion().items():
        layer = QgsProcessingUtils.mapLayerFromString(
            reference, context, True, details.layerTypeHint
        )
        if layer is None or not layer.isValid():
            continue
        store = context.temporaryLayerStore()
        if store.mapLayer(layer.id()) is not None:
            store.takeMapLayer(layer)
        if details.name:
            layer.setName(details.name)
        tag_layer(layer, record.job_id, record.connection)
        project = details.project or context.project() or QgsProject.instance()
        project.addMapLayer(layer)
        names.append(layer.name())
    context.setLayersToLoadOnCompletion({})
    return names
