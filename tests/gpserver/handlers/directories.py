"""``/arcgis/rest/directories/…``: result files of jobs, sync outputs and map images.

Files of a secured service need a token, like the service itself. The task help pages a
task description links to (``helpUrl``) are generated here too.
"""

from __future__ import annotations

import html
import mimetypes

from werkzeug.utils import send_file
from werkzeug.wrappers import Response

from ..call import Call
from ..registry import Service
from .catalog import authenticate


def _owner(call: Call, relative: str) -> Service | None:
    lowered = relative.lower()
    for service in call.state.registry.services:
        if service.type != "GPServer":
            continue
        if lowered.startswith(f"arcgisjobs/{service.jobs_dir_name}/") or lowered.startswith(
            f"arcgisoutput/{service.path.lower()}_gpserver/"
        ):
            return service
    return None


def not_found_page() -> Response:
    return Response(
        "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>",
        status=404,
        mimetype="text/html",
    )


def serve(call: Call, segments: list[str]) -> Response:
    relative = "/".join(segments)
    owner = _owner(call, relative)
    authenticate(call, owner)
    root = call.state.workdir.resolve()
    path = (root / relative).resolve()
    if root not in path.parents or not path.is_file():
        if owner is not None and relative.lower().endswith(".htm"):
            task = segments[-1][: -len(".htm")]
            return Response(
                f"<html><body><h1>{html.escape(task)}</h1><p>Help for the task "
                f"{html.escape(task)} of {html.escape(owner.path)}.</p></body></html>",
                mimetype="text/html",
            )
        return not_found_page()
    mimetype = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
    return send_file(path, call.request.environ, mimetype=mimetype, conditional=True)
