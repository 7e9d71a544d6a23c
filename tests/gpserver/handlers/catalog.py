"""``rest/info``, the services directory and its folders, GP service and task descriptions,
and the token check every service resource goes through."""

from __future__ import annotations

from typing import Any

from werkzeug.wrappers import Response

from ..call import Call
from ..errors import RestError, token_required
from ..registry import Service, Task
from ..tokens import token_from_request

CIM_VERSION = "3.1.0"


def authenticate(call: Call, service: Service | None) -> None:
    """Validate any token sent (498 even on public resources, as ArcGIS does); require
    one (499) for secured services."""
    value = token_from_request(call.params, call.headers)
    if value:
        token = call.state.tokens.check(
            value,
            call.request.headers.get("Referer"),
            call.request.remote_addr or "",
            federated=call.state.federated,
            portal_hosted=call.state.portal_hosted,
        )
        call.user = token.user
    elif service is not None and service.secured:
        raise token_required()


def info(call: Call) -> Response:
    """``rest/info``; a federated server names its portal (``owningSystemUrl``, with http
    as real servers often report it) and the portal's token service."""
    registry = call.state.registry
    data: dict[str, Any] = {
        "currentVersion": registry.current_version,
        "fullVersion": registry.full_version,
    }
    token_url = f"{call.context_url}/tokens/generateToken"
    if call.state.federated and not call.state.portal_hosted:
        # (a server the portal hosts stands for ArcGIS Online's, which clients know by
        # their arcgis.com host name; a loopback server names no portal instead)
        data["owningSystemUrl"] = f"{call.root}/portal"
        token_url = f"{call.root}/portal/{call.state.portal_token_path}"
    data["authInfo"] = {
        "isTokenBasedSecurity": True,
        "tokenServicesUrl": token_url,
        "shortLivedTokenValidity": 60,
    }
    return call.respond(data)


def directory(call: Call, folder: str) -> Response:
    """The services root (``folder == ""``) or a folder listing.

    Secured services are listed only to a request with a valid token, as on ArcGIS
    Server, where anonymous users do not see what they may not use; a folder that holds
    only secured services answers 499 (Token Required) to an anonymous listing.
    """
    registry = call.state.registry
    authenticate(call, None)
    if folder and not registry.has_folder(folder):
        raise RestError(404, "Folder not found")
    if folder and call.user is None and registry.folder_is_secured(folder):
        raise token_required()
    entries = registry.directory_entries(registry.folder_name(folder) if folder else "")
    if call.user is None:
        entries = [e for e in entries if not registry.entry_is_secured(e)]
    data: dict[str, Any] = {"currentVersion": registry.current_version}
    data["folders"] = [] if folder else registry.folders()
    data["services"] = entries
    return call.respond(data, f"Folder: {folder or '/'}")


def service_description(call: Call, service: Service) -> Response:
    registry = call.state.registry
    return call.respond(
        {
            "currentVersion": registry.version_of(service),
            "cimVersion": CIM_VERSION,
            "serviceDescription": service.description,
            "tasks": list(service.tasks),
            "executionType": service.execution_type,
            "resultMapServerName": service.result_map_server_name,
            "maximumRecords": service.maximum_records,
            "capabilities": service.capabilities,
        },
        f"{service.path} (GPServer)",
    )


def help_url(call: Call, service: Service, task: Task) -> str:
    return (
        f"{call.context_url}/rest/directories/arcgisoutput/{service.path}_GPServer/"
        f"{service.name}/{task.name}.htm"
    )


def task_description(call: Call, service: Service, task: Task) -> Response:
    return call.respond(
        {
            "name": task.name,
            "displayName": task.display_name,
            "description": task.description,
            "category": task.category,
            "helpUrl": help_url(call, service, task),
            "executionType": service.execution_type,
            "parameters": [p.description for p in task.parameters],
        },
        f"{task.name} (Task)",
    )
