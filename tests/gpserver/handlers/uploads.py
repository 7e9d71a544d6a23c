"""``…/GPServer/uploads/…``: upload a file, read an item's info, delete it."""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..call import Call
from ..errors import RestError, invalid_url
from ..registry import Service


def handle(call: Call, service: Service, rest: list[str]) -> Response:
    if not service.supports_uploads:
        raise RestError(
            400, "Unable to complete operation.", ["Uploads are not enabled on this service."]
        )
    store = call.state.uploads
    if not rest:
        return call.respond({"items": [i.to_json() for i in store.items(service.path)]})
    head = rest[0]
    if head.lower() == "upload" and len(rest) == 1:
        if call.request.method != "POST":
            raise RestError(400, "Unable to complete operation.", ["Uploads must be POSTed."])
        upload = call.request.files.get("file")
        if upload is None or not upload.filename:
            raise RestError(400, "Unable to complete operation.", ["'file' must be specified."])
        item = store.add(
            service.path, upload.filename, upload.stream, call.params.get("description", "")
        )
        return call.respond({"success": True, "item": item.to_json()})
    if head.lower() == "info" and len(rest) == 1:
        return call.respond({"maxUploadFileSize": 0, "allowedUploadFileTypes": ""})
    item = store.get(service.path, head)
    if item is None:
        raise RestError(400, "Unable to complete operation.", [f"Item '{head}' not found."])
    if len(rest) == 1:
        return call.respond({"item": item.to_json()})
    if len(rest) == 2 and rest[1].lower() == "delete":
        store.delete(item)
        return call.respond({"success": True})
    raise invalid_url()
