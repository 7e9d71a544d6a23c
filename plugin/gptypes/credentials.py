"""The handler for GPStringHidden: a password or key, kept in the QGIS auth database."""

from __future__ import annotations

from typing import Any

from qgis.core import QgsProcessingParameterAuthConfig

from ..connections.qgis_auth import secret_from_auth_config
from ..i18n import translate
from ..rest.descriptions import GPParameter
from .base import EncodeContext, GPTypeHandler, display_name


class HiddenStringType(GPTypeHandler):
    """GPStringHidden: a password or key, picked from the QGIS authentication database.

    Processing writes every input value to the dialog's log and to its history, so a
    secret typed into a text box would be kept in clear. The parameter is an auth
    configuration instead: only its id is logged, and the secret is read from the auth
    database when the request is built. Scripts may still pass the plain value.
    """

    qgis_input = "AuthConfig (the secret stays in the QGIS auth database); or the plain value"

    def input_definition(self, param: GPParameter) -> Any:
        definition = QgsProcessingParameterAuthConfig(param.name, display_name(param))
        definition.setMetadata({**definition.metadata(), "arcgis_gp_secret": True})
        return definition

    def input_parameters(self, param: GPParameter) -> list[Any]:
        [definition] = super().input_parameters(param)
        how = translate("Scalars", "Choose (or add) an authentication configuration holding "
            "the secret: its password (Basic) or token (EsriToken) is sent. Only the "
            "configuration id appears in the log and the history.")  # fmt: skip
        definition.setHelp((param.description + "\n\n" if param.description else "") + how)
        return [definition]

    def encode_value(self, param: GPParameter, ctx: EncodeContext) -> Any:
        value = ctx.algorithm.parameterAsString(ctx.parameters, param.name, ctx.context)
        secret = secret_from_auth_config(value)
        return value if secret is None else secret
