"""Result layers carry the job they came from, so a reopened project can fetch it again.

Every layer a job run loads (the outputs, the result map service) gets the job's id and
connection name as custom properties, however it is loaded: by Processing's dialog (a
post-processor), by a watcher (``plugin/jobs/loading.py``) or as the job's map.
"""

from __future__ import annotations

from qgis.core import (
    QgsMapLayer,
    QgsProcessingContext,
    QgsProcessingFeedback,
    QgsProcessingLayerPostProcessorInterface,
)

#: Layer custom properties that tie a result layer to its job (saved with the project).
JOB_ID_PROPERTY = "arcgis_gp/job_id"
CONNECTION_PROPERTY = "arcgis_gp/connection"


def tag_layer(layer: QgsMapLayer, job_id: str, connection_name: str) -> None:
    """Mark a result layer with its job, so a reopened project can fetch it again."""
    layer.setCustomProperty(JOB_ID_PROPERTY, job_id)
    layer.setCustomProperty(CONNECTION_PROPERTY, connection_name)


class _TagOnLoad(QgsProcessingLayerPostProcessorInterface):
    """Tags an output layer when Processing loads it into the project (main thread)."""

    #: Processing does not keep Python post-processors alive: these references do, until
    #: each has run (bounded, in case a run's layers are never loaded).
    alive: list[_TagOnLoad] = []

    def __init__(self, job_id: str, connection_name: str) -> None:
        super().__init__()
        self.job_id = job_id
        self.connection_name = connection_name

    def postProcessLayer(
        self, layer: QgsMapLayer, context: QgsProcessingContext, feedback: QgsProcessingFeedback
    ) -> None:
        tag_layer(layer, self.job_id, self.connection_name)

    @classmethod
    def keep(cls, processor: _TagOnLoad) -> _TagOnLoad:
        cls.alive.append(processor)
        del cls.alive[:-500]
        return processor


def tag_outputs_on_load(context: QgsProcessingContext, job_id: str, connection_name: str) -> None:
    """Every layer this run will load gets the job's id and connection as properties."""
    for layer_id in context.layersToLoadOnCompletion():
        details = context.layerToLoadOnCompletionDetails(layer_id)
        if details.postProcessor() is None:
            details.setPostProcessor(_TagOnLoad.keep(_TagOnLoad(job_id, connection_name)))
