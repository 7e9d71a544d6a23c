"""The WSGI application: records each request, applies faults, routes to a handler.

URLs are parsed by hand rather than with a router: service paths have a variable number
of folder segments, task names carry spaces, and ArcGIS matches names without regard to
case. The service type segment (``GPServer``, ``MapServer`` ...) splits a URL into the
service path before it and the resource path after it.
"""

from __future__ import annotations

import contextlib
import json
import re
import socket
import time
from collections.abc import Callable, Iterator
from typing import Any

from werkzeug.utils import redirect
from werkzeug.wrappers import Response

from . import oauth
from .bulk import parse_urlencoded
from .call import Call, GPRequest
from .errors import RestError, invalid_url, refusal
from .faults import REQUEST_KINDS, Fault
from .handlers import admin, catalog, directories, gp, imageserver, mapserver, tokens, uploads
from .portal import handle as portal_handle
from .state import ServerState

SERVICE_TYPES = {
    "gpserver": "GPServer",
    "mapserver": "MapServer",
    "featureserver": "FeatureServer",
    "imageserver": "ImageServer",
    "geometryserver": "GeometryServer",
    "geocodeserver": "GeocodeServer",
    "naserver": "NAServer",
    "vectortileserver": "VectorTileServer",
}


class _DroppedBody:
    """A response body that stops part-way and cuts the connection (a fault)."""

    def __init__(self, body: bytes, cut: int, sock: socket.socket | None) -> None:
        self.body, self.cut, self.sock = body, cut, sock

    def __iter__(self) -> Iterator[bytes]:
        yield self.body[: self.cut]
        if self.sock is not None:
            with contextlib.suppress(OSError):
                self.sock.shutdown(socket.SHUT_RDWR)
        raise ConnectionResetError("gpserver fault: connection dropped mid-body")


def _fault_response(fault: Fault, environ: dict[str, Any], response: Response | None) -> Response:
    kind = fault.kind
    if kind == "http_error":
        status = int(fault.params.get("status", 500))
        return Response(
            f"<html><head><title>{status} Error</title></head><body><h1>HTTP {status}</h1>"
            "<p>The server encountered an error (gpserver fault).</p></body></html>",
            status=status,
            mimetype="text/html",
        )
    if kind == "html_error":
        return Response(
            "<!DOCTYPE html><html><head><title>Error</title></head><body><h1>Error</h1>"
            "<p>The web adaptor could not reach the server (gpserver fault).</p></body></html>",
            status=200,
            mimetype="text/html",
        )
    if kind == "refuse":
        body = json.dumps(refusal(str(fault.params.get("reason", "privileges"))))
        return Response(body, status=200, mimetype="text/plain")
    if kind == "json_body":
        body = json.dumps(fault.params.get("body", {}), separators=(",", ":"))
        return Response(body, status=200, mimetype="text/plain")
    if kind == "malformed_json":
        return Response('{"results": [ {"paramName": oops', status=200, mimetype="text/plain")
    assert response is not None
    body = response.get_data()
    cut = int(len(body) * float(fault.params.get("fraction", 0.5)))
    if kind == "truncated_json":
        return Response(body[:cut], status=200, mimetype=response.mimetype)
    announced = fault.params.get("mode", "chunked") == "content_length"
    dropped = Response(
        _DroppedBody(body, cut, environ.get("werkzeug.socket") if announced else None),
        status=response.status_code,
        mimetype=response.mimetype,
        direct_passthrough=True,
    )
    if announced:  # a body shorter than its Content-Length (urllib3 1.x does not notice!)
        dropped.headers["Content-Length"] = str(len(body))
    # else chunked: the closing chunk never comes, clients raise
    return dropped


class GPServerApp:
    def __init__(self, state: ServerState, reset: Callable[[], None]) -> None:
        self.state = state
        self.reset = reset

    def __call__(self, environ: dict[str, Any], start_response: Any) -> Any:
        request = GPRequest(environ)
        if request.path.rstrip("/") == "/admin" or request.path.startswith("/admin/"):
            return admin.handle(self.state, request, self.reset)(environ, start_response)
        query = request.args.to_dict()
        files: dict[str, dict[str, Any]] = {}
        if request.mimetype == "application/x-www-form-urlencoded":
            # werkzeug's urllib-based parser needs ~30 s for a 100 MB FeatureSet
            form = parse_urlencoded(request.get_data())
        else:
            form = request.form.to_dict()
            files = {
                name: {"filename": f.filename, "content_type": f.content_type}
                for name, f in request.files.items()
            }
        params = {**query, **form}
        entry = self.state.log.record(
            request.method,
            request.path,
            query=query,
            form=form,
            headers=dict(request.headers.items()),
            files=files,
        )
        faults = self.state.faults.take(
            ("latency", "expire_job", *REQUEST_KINDS), request.path, request.method
        )
        for fault in faults:
            if fault.kind == "latency":
                time.sleep(float(fault.params.get("seconds", 1.0)))
            elif fault.kind == "expire_job":
                entry.fault = fault.kind
                self._expire_job_in(request.path)
        broken = next((f for f in faults if f.kind in REQUEST_KINDS), None)
        response: Response | None = None
        if (
            broken is None
            or broken.kind in ("truncated_json", "drop_connection")
            or (broken.params.get("process"))
        ):
            response = self.dispatch(Call(request, params, self.state))
            entry.error_code = getattr(response, "esri_error_code", None)
        if broken is not None:
            entry.fault = broken.kind
            response = _fault_response(broken, environ, response)
        assert response is not None
        entry.status = response.status_code
        return response(environ, start_response)

    def _expire_job_in(self, path: str) -> None:
        """Forget the job named in ``…/jobs/<id>…`` as its expiry would (fault expire_job)."""
        match = re.search(r"/jobs/([^/]+)", path)
        for job in self.state.jobs.all_jobs():
            if match and job.job_id == match.group(1):
                self.state.jobs.delete(job)

    def dispatch(self, call: Call) -> Response:
        segments = [s for s in call.request.path.split("/") if s]
        lowered = [s.lower() for s in segments]
        try:
            if lowered in ([], ["arcgis"], ["arcgis", "rest"]):
                return redirect("/arcgis/rest/services")
            if lowered[:4] == ["portal", "sharing", "rest", "oauth2"] and (
                self.state.federated or self.state.portal is not None
            ):
                return oauth.handle(call, "/".join(lowered[4:]))
            if lowered[0] == "portal" and self.state.portal is not None:
                return portal_handle(call, self.state.portal, segments[1:])
            if lowered[0] == "portal" and self.state.federated:
                if lowered[1:] in (
                    ["sharing", "rest", "generatetoken"],
                    ["sharing", "generatetoken"],
                ):
                    return tokens.portal_generate_token(call)
                raise RestError(400, "Invalid URL")
            if lowered[0] != "arcgis":
                return directories.not_found_page()
            if lowered[1:3] == ["rest", "info"] and len(lowered) == 3:
                return catalog.info(call)
            if lowered[1:3] == ["rest", "services"]:
                return self.services(call, segments[3:])
            if lowered[1:3] == ["rest", "directories"]:
                return directories.serve(call, segments[3:])
            if lowered[1:3] == ["tokens", "generatetoken"] and len(lowered) == 3:
                return tokens.generate_token(call)
            if lowered[1] == "rest":
                raise RestError(404, "Not Found")
            return directories.not_found_page()
        except RestError as error:
            return call.error(error)
        except Exception as error:  # a bug in a handler: a JSON error, as ArcGIS sends
            return call.error(RestError(500, "Error performing operation.", [str(error)[:300]]))

    def services(self, call: Call, segments: list[str]) -> Response:
        registry = self.state.registry
        position = next(
            (i for i, s in enumerate(segments) if s.lower() in SERVICE_TYPES and i > 0), None
        )
        if position is None:
            if len(segments) <= 1:
                return catalog.directory(call, segments[0] if segments else "")
            raise RestError(404, "Folder not found")
        path = "/".join(segments[:position])
        kind = SERVICE_TYPES[segments[position].lower()]
        rest = segments[position + 1 :]
        if kind == "MapServer":
            return mapserver.map_server(call, path, rest)
        if kind == "FeatureServer":
            return mapserver.feature_server(call, path, rest)
        if kind == "ImageServer":
            return imageserver.image_server(call, path, rest)
        service = registry.find(path, kind) if kind == "GPServer" else None
        if service is None:
            # ArcGIS Server 10.9+/11 (10.x and before answered code 500)
            raise RestError(404, f"Service {path}/{kind} not found ", [])
        catalog.authenticate(call, service)
        if not rest:
            return catalog.service_description(call, service)
        if rest[0].lower() == "uploads":
            return uploads.handle(call, service, rest[1:])
        task = service.task(rest[0])
        if task is None:
            raise RestError(404, "Task not found")
        if len(rest) == 1:
            return catalog.task_description(call, service, task)
        operation = rest[1].lower()
        if operation == "execute" and len(rest) == 2:
            return gp.execute(call, service, task)
        if operation == "submitjob" and len(rest) == 2:
            return gp.submit_job(call, service, task)
        if operation == "jobs":
            return gp.job_resource(call, service, task, rest[2:])
        raise invalid_url()
