"""A record of every request, so tests can assert what a client really sent.

Form values are kept whole up to ``field_limit`` characters (a FeatureSet of a few
thousand features fits); beyond that they are cut and marked, so a benchmark that posts
100 MB does not keep it alive in the log.
"""

from __future__ import annotations

import threading
import time
from dataclasses import asdict, dataclass, field
from typing import Any

TRUNCATED_MARK = "...[truncated by gpserver request log]"


@dataclass
class RecordedRequest:
    method: str
    path: str
    query: dict[str, str]
    form: dict[str, str]
    headers: dict[str, str]
    time: float
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    status: int | None = None  # HTTP status sent back (None while in progress)
    error_code: int | None = None  # code of an ArcGIS error JSON sent back, if any
    fault: str | None = None  # the fault applied to this request, if any

    @property
    def params(self) -> dict[str, str]:
        """Query and form merged (form wins), as the server reads them."""
        return {**self.query, **self.form}

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def to_json(self) -> dict[str, Any]:
        return asdict(self)


class RequestLog:
    """Thread-safe, bounded list of :class:`RecordedRequest`."""

    def __init__(self, field_limit: int = 16_000_000, max_entries: int = 20_000) -> None:
        self.field_limit = field_limit
        self.max_entries = max_entries
        self._entries: list[RecordedRequest] = []
        self._lock = threading.Lock()

    def _cut(self, value: str) -> str:
        if len(value) <= self.field_limit:
            return value
        return value[: self.field_limit] + TRUNCATED_MARK

    def record(
        self,
        method: str,
        path: str,
        *,
        query: dict[str, str],
        form: dict[str, str],
        headers: dict[str, str],
        files: dict[str, dict[str, Any]] | None = None,
    ) -> RecordedRequest:
        entry = RecordedRequest(
            method=method,
            path=path,
            query={k: self._cut(v) for k, v in query.items()},
            form={k: self._cut(v) for k, v in form.items()},
            headers=dict(headers),
            time=time.time(),
            files=files or {},
        )
        with self._lock:
            self._entries.append(entry)
            if len(self._entries) > self.max_entries:
                del self._entries[: len(self._entries) - self.max_entries]
        return entry

    def entries(self) -> list[RecordedRequest]:
        with self._lock:
            return list(self._entries)

    def clear(self) -> None:
        with self._lock:
            self._entries.clear()
