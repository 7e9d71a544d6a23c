"""One request as the handlers see it, and the responses ArcGIS Server sends.

``f=json`` answers compact JSON as ``text/plain`` (what ArcGIS Server really sends: a
client must not insist on ``application/json``), ``f=pjson`` indented JSON, and anything
else (or no ``f``, as a browser asks) a small HTML page.
"""

from __future__ import annotations

import html
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from werkzeug.wrappers import Request, Response

from .bulk import no_gc
from .errors import RestError

if TYPE_CHECKING:
    from .state import ServerState

JSON_MIMETYPE = "text/plain"


class GPRequest(Request):
    """No form size limits: FeatureSets of 100+ MB are posted as form fields."""

    max_form_memory_size = None
    max_form_parts = 100_000


@dataclass
class Call:
    request: GPRequest
    params: dict[str, str]
    state: ServerState
    user: str | None = None

    @property
    def root(self) -> str:
        """``http://127.0.0.1:PORT`` as the client addressed us."""
        return self.request.host_url.rstrip("/")

    @property
    def context_url(self) -> str:
        """The server context, ``http://127.0.0.1:PORT/arcgis``."""
        return f"{self.root}/arcgis"

    @property
    def f(self) -> str:
        return (self.params.get("f") or "html").lower()

    def flag(self, name: str, default: bool = False) -> bool:
        value = self.params.get(name)
        if value is None or value == "":
            return default
        return value.strip().lower() in ("true", "1", "yes")

    @property
    def headers(self) -> dict[str, str]:
        return dict(self.request.headers.items())

    def respond(self, data: Any, title: str = "ArcGIS REST Services Directory") -> Response:
        return render(data, self.f, title)

    def error(self, error: RestError) -> Response:
        response = render(error.to_json(), self.f, "Error")
        response.status_code = error.http_status
        response.esri_error_code = error.code  # type: ignore[attr-defined]
        return response


def render(data: Any, f: str, title: str = "ArcGIS REST Services Directory") -> Response:
    if f == "pjson":
        return Response(json.dumps(data, indent=2), mimetype="application/json")
    if f == "json":
        with no_gc():
            text = json.dumps(data, separators=(",", ":"))
        return Response(text, mimetype=JSON_MIMETYPE)
    body = html.escape(json.dumps(data, indent=2))
    page = (
        f"<!DOCTYPE html><html><head><title>{html.escape(title)}</title></head><body>"
        f"<h2>{html.escape(title)}</h2><pre>{body}</pre></body></html>"
    )
    return Response(page, mimetype="text/html")
