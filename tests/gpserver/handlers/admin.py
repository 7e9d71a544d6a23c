"""``/admin/…``: the test controls over HTTP (faults, request log, settings, reset).

Not part of ArcGIS: never recorded in the request log and never subject to faults, so a
benchmark or a demo in another process can drive the server the way pytest does in-process.

=====================  =========  ==================================================
``/admin/faults``      GET        the active faults
``/admin/faults``      POST       add one fault (a JSON object) or ``{"faults": [...]}``
``/admin/faults``      DELETE     clear them (also ``POST /admin/faults/clear``)
``/admin/requests``    GET        the request log (``?path=<regex>`` filters)
``/admin/requests``    DELETE     clear it (also ``POST /admin/requests/clear``)
``/admin/config``      GET/POST   ``job_max_age``, ``job_queue_delay``, ``token_lifetime``,
                                 ``federated``, ``portal_token_path``,
                                 ``portal_hosted``, ``oauth_access_lifetime``,
                                 ``oauth_refresh_lifetime`` (seconds)
``/admin/jobs``        GET        the jobs the server holds
``/admin/reset``       POST       faults, log, settings back to the start; jobs cancelled
=====================  =========  ==================================================
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from werkzeug.wrappers import Request, Response

from ..state import ServerState


def _json(data: Any, status: int = 200) -> Response:
    return Response(json.dumps(data), status=status, mimetype="application/json")


def config_json(state: ServerState) -> dict[str, Any]:
    return {
        "job_max_age": state.jobs.max_age,
        "job_queue_delay": state.jobs.queue_delay,
        "token_lifetime": state.token_lifetime,
        "federated": state.federated,
        "portal_token_path": state.portal_token_path,
        "portal_hosted": state.portal_hosted,
        "oauth_access_lifetime": state.oauth.access_lifetime if state.oauth else None,
        "oauth_refresh_lifetime": state.oauth.refresh_lifetime if state.oauth else None,
    }


def apply_config(state: ServerState, values: dict[str, Any]) -> None:
    if "job_max_age" in values:
        state.jobs.max_age = float(values["job_max_age"])
    if "job_queue_delay" in values:
        state.jobs.queue_delay = float(values["job_queue_delay"])
    if "token_lifetime" in values:
        value = values["token_lifetime"]
        state.token_lifetime = None if value is None else float(value)
    if "federated" in values:
        state.federated = bool(values["federated"])
    if "portal_token_path" in values:
        state.portal_token_path = str(values["portal_token_path"])
    if "portal_hosted" in values:
        state.portal_hosted = bool(values["portal_hosted"])
        state.federated = state.federated or state.portal_hosted
    for key in ("oauth_access_lifetime", "oauth_refresh_lifetime"):
        if key in values and state.oauth is not None:
            value = values[key]
            setattr(state.oauth, key[6:], None if value is None else float(value))


def handle(state: ServerState, request: Request, reset: Callable[[], None]) -> Response:
    parts = [p for p in request.path.split("/") if p][1:]
    method = request.method
    try:
        body = json.loads(request.get_data(as_text=True) or "{}") if method == "POST" else {}
    except json.JSONDecodeError:
        return _json({"error": "body is not JSON"}, 400)
    try:
        if parts == ["faults"] and method == "GET":
            return _json({"faults": [f.to_json() for f in state.faults.active()]})
        if parts == ["faults"] and method == "POST":
            specs = body.get("faults", [body]) if isinstance(body, dict) else body
            for spec in specs:
                options = dict(spec)
                state.faults.add(options.pop("kind"), **options)
            return _json({"success": True, "faults": [f.to_json() for f in state.faults.active()]})
        if (parts == ["faults"] and method == "DELETE") or parts == ["faults", "clear"]:
            state.faults.clear()
            return _json({"success": True})
        if parts == ["requests"] and method == "GET":
            pattern = request.args.get("path")
            entries = [
                e.to_json()
                for e in state.log.entries()
                if not pattern or re.search(pattern, e.path)
            ]
            return _json({"requests": entries})
        if (parts == ["requests"] and method == "DELETE") or parts == ["requests", "clear"]:
            state.log.clear()
            return _json({"success": True})
        if parts == ["config"]:
            if method == "POST":
                apply_config(state, body)
            return _json(config_json(state))
        if parts == ["jobs"] and method == "GET":
            jobs = [
                {
                    "jobId": j.job_id,
                    "service": j.service.path,
                    "task": j.task.name,
                    "jobStatus": j.status,
                }
                for j in state.jobs.all_jobs()
            ]
            return _json({"jobs": jobs})
        if parts == ["reset"] and method == "POST":
            reset()
            return _json({"success": True})
    except (KeyError, TypeError, ValueError, re.error) as error:
        return _json({"error": str(error)}, 400)
    return _json({"error": f"no admin resource {method} {request.path}"}, 404)
