"""Handlers for GPRasterDataLayer / GPRasterData and GPDataFile: uploads in, downloads out.

A local input file goes through the service's ``uploads/upload`` endpoint and is sent as
``{"itemID"}``; a URL is sent as ``{"url"}``. Outputs arrive as ``{"url"}`` (possibly
relative to the server) and are streamed to the destination the user chose.
"""

from __future__ import annotations

from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import unquote, urlsplit

from qgis.core import (
    QgsProcessing,
    QgsProcessingException,
    QgsProcessingOutputLayerDefinition,
    QgsProcessingParameterFile,
    QgsProcessingParameterFileDestination,
    QgsProcessingParameterRasterDestination,
    QgsProcessingParameterRasterLayer,
    QgsProperty,
)

from ..i18n import translate
from ..rest.descriptions import GPParameter
from .base import (
    DecodeContext,
    EncodeContext,
    GPTypeHandler,
    ResultValue,
    bad_input,
    destination_parameter,
    display_name,
)
from .compat import FILE_FILE
from .service_layers import image_service_layer


def _is_url(text: str) -> bool:
    return text.lower().startswith(("http://", "https://"))


def encode_local_or_url(param: GPParameter, ctx: EncodeContext, location: str) -> dict[str, str]:
    """{"url"} for a URL, else upload the file and send {"itemID"}."""
    if _is_url(location):
        return {"url": location}
    path = Path(location)
    if not path.is_file():
        raise bad_input(
            param, translate("Files", "file not found: {location}").format(location=location)
        )
    if ctx.upload is None:
        problem = translate("Files", "this service does not accept uploads (it lacks the "
            "'Uploads' capability), so a local file cannot be sent; give a URL the server can "
            "reach instead")  # fmt: skip
        raise bad_input(param, problem)
    ctx.feedback.pushInfo(
        translate("Files", "{name}: uploading {file}").format(
            name=display_name(param), file=path.name
        )
    )
    return {"itemID": ctx.upload(path)}


def file_extensions(param: GPParameter) -> list[str]:
    """The extensions of a ``{"type": "file", "list": [...]}`` filter ("csv", ".tif")."""
    if not isinstance(param.filter, dict) or param.filter.get("type") != "file":
        return []
    items = param.filter.get("list") or []
    return [str(item).strip().lstrip(".").lower() for item in items if str(item).strip(" .")]


class _DownloadType(GPTypeHandler):
    """What GPRasterDataLayer and GPDataFile share: an output arrives as ``{"url"}`` and is
    streamed to the destination the user chose (an output the user skipped is not)."""

    def output_definitions(self, param: GPParameter) -> list[Any]:
        return [destination_parameter(self.destination_definition(param), param)]

    def destination_definition(self, param: GPParameter) -> Any:
        """The destination parameter the user chooses the local copy with."""
        raise NotImplementedError

    def decode(self, param: GPParameter, result: ResultValue, ctx: DecodeContext) -> dict[str, Any]:
        value = result.value(as_data=True)
        url = value.get("url") if isinstance(value, dict) else None
        if not url:
            ctx.feedback.pushWarning(self.nothing_returned(param))
            return {}
        return self.receive(param, value, url, ctx)

    def nothing_returned(self, param: GPParameter) -> str:
        """The warning for a result without a URL."""
        raise NotImplementedError

    def receive(
        self, param: GPParameter, value: dict[str, Any], url: str, ctx: DecodeContext
    ) -> dict[str, Any]:
        """The output for the result at ``url``: its download to the destination."""
        destination = self.destination(param, url, ctx)
        if not destination:
            return {}
        ctx.download(url, Path(destination))
        return {param.name: destination}

    def destination(self, param: GPParameter, url: str, ctx: DecodeContext) -> str:
        """The local path the result goes to ("" when the user skipped the output)."""
        raise NotImplementedError


class RasterType(_DownloadType):
    """GPRasterDataLayer / GPRasterData: a raster layer in, a downloaded raster out."""

    qgis_input = "RasterLayer (uploaded) or a URL"
    qgis_output = "RasterDestination (downloaded)"

    def input_definition(self, param: GPParameter) -> Any:
        return QgsProcessingParameterRasterLayer(param.name, display_name(param))

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        raw = ctx.parameters.get(param.name)
        if isinstance(raw, str) and _is_url(raw):
            return {"url": raw}
        layer = ctx.algorithm.parameterAsRasterLayer(ctx.parameters, param.name, ctx.context)
        if layer is None:
            raise bad_input(param, translate("Files", "cannot open raster {raw!r}").format(raw=raw))
        location = layer.source()
        if layer.providerType() != "gdal" or not Path(location).is_file():
            raise bad_input(
                param,
                translate("Files", "only local raster files can be sent, not {location!r}").format(
                    location=location
                ),
            )
        return encode_local_or_url(param, ctx, location)

    def destination_definition(self, param: GPParameter) -> Any:
        return QgsProcessingParameterRasterDestination(
            param.name, display_name(param), optional=True, createByDefault=True
        )

    def nothing_returned(self, param: GPParameter) -> str:
        return translate("Files", "{name}: the server returned no raster").format(
            name=display_name(param)
        )

    def receive(
        self, param: GPParameter, value: dict[str, Any], url: str, ctx: DecodeContext
    ) -> dict[str, Any]:
        if value.get("type") == "ImageService":
            return self._add_image_service(param, url, ctx)
        return super().receive(param, value, url, ctx)

    def destination(self, param: GPParameter, url: str, ctx: DecodeContext) -> str:
        return ctx.algorithm.parameterAsOutputLayer(ctx.parameters, param.name, ctx.context)

    @staticmethod
    def _add_image_service(param: GPParameter, url: str, ctx: DecodeContext) -> dict[str, Any]:
        """The server published the raster as an image service: draw it from there.

        Downloading would copy what the server keeps anyway (often far bigger than the
        user's view), so the service is added as a layer, as ArcGIS Pro does.
        """
        layer = image_service_layer(url, display_name(param), ctx.access)
        if not layer.isValid():
            raise QgsProcessingException(
                translate(
                    "Files", "{name}: the image service {url} could not be opened: {error}"
                ).format(
                    name=display_name(param),
                    url=url,
                    error=layer.error().summary() or translate("Files", "the layer is not valid"),
                )
            )
        ctx.feedback.pushInfo(
            translate("Files", "{name}: added the image service {url}").format(
                name=display_name(param), url=url
            )
        )
        return {param.name: ctx.load_on_completion(layer, param.name)}


class DataFileType(_DownloadType):
    """GPDataFile: a file (uploaded) or URL in, a downloaded file out."""

    qgis_input = "File (uploaded) or a URL"
    qgis_output = "FileDestination (downloaded)"

    def input_definition(self, param: GPParameter) -> Any:
        definition = QgsProcessingParameterFile(param.name, display_name(param), FILE_FILE)
        extensions = file_extensions(param)
        if extensions:
            # The file chooser offers the service's types first; URLs and other files
            # stay allowed (the server has the last word).
            patterns = " ".join(f"*.{extension}" for extension in extensions)
            definition.setFileFilter(f"Accepted files ({patterns});;All files (*.*)")
        return definition

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        location = ctx.algorithm.parameterAsFile(ctx.parameters, param.name, ctx.context)
        return encode_local_or_url(param, ctx, location)

    def destination_definition(self, param: GPParameter) -> Any:
        return QgsProcessingParameterFileDestination(
            param.name, display_name(param), "All files (*.*)", optional=True, createByDefault=True
        )

    def nothing_returned(self, param: GPParameter) -> str:
        return translate("Files", "{name}: the server returned no file").format(
            name=display_name(param)
        )

    def destination(self, param: GPParameter, url: str, ctx: DecodeContext) -> str:
        destination = ctx.algorithm.parameterAsFileOutput(ctx.parameters, param.name, ctx.context)
        if destination and is_temporary_output(ctx.parameters.get(param.name)):
            return with_server_extension(destination, url)
        return destination


def server_extension(url: str) -> str:
    """The last suffix of the file a URL names (``report.s.xml?x=1`` -> ``.xml``), or "".

    Only something that looks like an extension counts (letters and digits, short), so a
    name without one, or a path ending in a folder, leaves the temporary name alone.
    """
    name = unquote(urlsplit(url).path.rstrip("/").rsplit("/", 1)[-1])
    suffix = PurePosixPath(name).suffix
    if 1 < len(suffix) <= 12 and suffix[1:].isalnum():
        return suffix.lower()
    return ""


def with_server_extension(destination: str, url: str) -> str:
    """A temporary destination renamed to end as the server's file does.

    QGIS names a temporary file output ``<name>.file`` (the parameter accepts every
    type); the server's ``.xml`` or ``.zip`` tells the user, and any program that opens
    it, what the file is.
    """
    extension = server_extension(url)
    if not extension:
        return destination
    return str(Path(destination).with_suffix(extension))


def is_temporary_output(value: Any) -> bool:
    """True when the user left the output to a temporary file (unset or TEMPORARY_OUTPUT).

    A path the user chose is kept exactly as given.
    """
    if isinstance(value, QgsProcessingOutputLayerDefinition):
        value = value.sink.staticValue()
    if isinstance(value, QgsProperty):
        value = value.staticValue()
    return value is None or value in ("", QgsProcessing.TEMPORARY_OUTPUT)
