"""Faults a test can switch on: slow, failing, broken and lying responses.

A fault matches requests by a regular expression searched in the URL path (``path``,
default: every request) and optionally the HTTP method; ``count`` limits it to the first
N matching requests. Kinds:

=====================  ==============================================================
``latency``            wait ``seconds`` before answering
``http_error``         answer HTTP ``status`` (500, 502, 503 ...) with an HTML body
``drop_connection``    send the headers and ``fraction`` of the body, then close the connection
                       (``mode="chunked"``: chunked body never terminated, the default;
                       ``mode="content_length"``: shorter than its Content-Length)
``malformed_json``     HTTP 200 with a body that is not JSON
``truncated_json``     HTTP 200 with the real JSON cut at ``fraction`` (complete HTTP body)
``html_error``         HTTP 200 with an HTML error page (a proxy or web adaptor page)
``json_body``          HTTP 200 with the JSON ``body`` given instead of the real answer (answers
                       in odd shapes: a bare error object, an execute answer without
                       ``results``, a submitJob answer without ``jobId``); ``process`` runs
                       the request first
``never_ending_job``   jobs submitted to matching tasks never finish (until cancelled)
``refuse``             ArcGIS Online refuses the request as it refuses a user without the
                       privilege (``reason=privileges``: 403, GWM_0003) or the credits
                       (``reason=credits``) a ready-to-use service needs (``errors.py``)
``token_lifetime``     tokens generated now expire after ``seconds`` whatever was asked
``expire_job``         the job named in the URL (``…/jobs/<id>…``) expires just before the
                       request is handled (a job gone before its results were fetched)
=====================  ==============================================================
"""

from __future__ import annotations

import re
import threading
from dataclasses import dataclass, field
from typing import Any

REQUEST_KINDS = (
    "http_error",
    "drop_connection",
    "malformed_json",
    "truncated_json",
    "html_error",
    "json_body",
    "refuse",
)
KINDS = ("latency", *REQUEST_KINDS, "never_ending_job", "token_lifetime", "expire_job")
_DEFAULTS: dict[str, dict[str, Any]] = {
    "latency": {"seconds": 1.0},
    "http_error": {"status": 500},
    "drop_connection": {"fraction": 0.5, "mode": "chunked"},
    "truncated_json": {"fraction": 0.5},
    "token_lifetime": {"seconds": 1.0},
    "json_body": {"body": {}},
    "refuse": {"reason": "privileges"},
}


@dataclass
class Fault:
    kind: str
    path: str | None = None
    method: str | None = None
    count: int | None = None
    params: dict[str, Any] = field(default_factory=dict)
    applied: int = 0

    def matches(self, path: str, method: str) -> bool:
        if self.count is not None and self.applied >= self.count:
            return False
        if self.method and self.method.upper() != method.upper():
            return False
        return self.path is None or re.search(self.path, path) is not None

    def to_json(self) -> dict[str, Any]:
        return {
            "kind": self.kind,
            "path": self.path,
            "method": self.method,
            "count": self.count,
            "applied": self.applied,
            **self.params,
        }


class FaultSet:
    """The active faults; thread-safe."""

    def __init__(self) -> None:
        self._faults: list[Fault] = []
        self._lock = threading.Lock()

    def add(
        self,
        kind: str,
        *,
        path: str | None = None,
        method: str | None = None,
        count: int | None = None,
        **params: Any,
    ) -> Fault:
        if kind not in KINDS:
            raise ValueError(f"unknown fault kind {kind!r}; known: {', '.join(KINDS)}")
        if path is not None:
            re.compile(path)
        fault = Fault(
            kind=kind,
            path=path,
            method=method,
            count=None if count is None else int(count),
            params={**_DEFAULTS.get(kind, {}), **params},
        )
        with self._lock:
            self._faults.append(fault)
        return fault

    def clear(self) -> None:
        with self._lock:
            self._faults.clear()

    def active(self) -> list[Fault]:
        with self._lock:
            return list(self._faults)

    def take(self, kinds: tuple[str, ...], path: str, method: str) -> list[Fault]:
        """Matching faults of these kinds, each counted as applied once."""
        with self._lock:
            matched = [f for f in self._faults if f.kind in kinds and f.matches(path, method)]
            for fault in matched:
                fault.applied += 1
        return matched
