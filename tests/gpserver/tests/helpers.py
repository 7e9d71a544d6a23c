"""Small HTTP helpers for the server's own tests (plain ``requests``, no plugin code)."""

from __future__ import annotations

import json
import time
from typing import Any

import requests

TIMEOUT = 60
TERMINAL = {"esriJobSucceeded", "esriJobFailed", "esriJobCancelled", "esriJobTimedOut"}


def _encode(values: dict[str, Any]) -> dict[str, Any]:
    return {k: json.dumps(v) if isinstance(v, (dict, list, bool)) else v for k, v in values.items()}


def get(url: str, **params: Any) -> Any:
    """GET with f=json; the decoded JSON answer."""
    response = requests.get(url, params={"f": "json", **_encode(params)}, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def post(url: str, **data: Any) -> Any:
    """POST a form with f=json (dicts and lists JSON-encoded); the decoded JSON answer."""
    response = requests.post(url, data={"f": "json", **_encode(data)}, timeout=TIMEOUT)
    response.raise_for_status()
    return response.json()


def submit(task_url: str, **inputs: Any) -> str:
    answer = post(f"{task_url}/submitJob", **inputs)
    assert answer["jobStatus"] == "esriJobSubmitted", answer
    return answer["jobId"]


def wait_for_job(task_url: str, job_id: str, timeout: float = 30.0) -> dict[str, Any]:
    """Poll until the job is terminal; the last status JSON."""
    deadline = time.monotonic() + timeout
    while True:
        status = get(f"{task_url}/jobs/{job_id}")
        if status.get("jobStatus") in TERMINAL:
            return status
        assert time.monotonic() < deadline, f"job {job_id} still {status.get('jobStatus')}"
        time.sleep(0.02)


def run_job(task_url: str, **inputs: Any) -> tuple[str, dict[str, Any]]:
    job_id = submit(task_url, **inputs)
    return job_id, wait_for_job(task_url, job_id)


def result(task_url: str, job_id: str, name: str, **params: Any) -> Any:
    return get(f"{task_url}/jobs/{job_id}/results/{name}", **params)


def points(coordinates: list[tuple[float, float]], wkid: int = 4326, **extra: Any) -> dict:
    """A point FeatureSet with OBJECTID and Name attributes."""
    return {
        "geometryType": "esriGeometryPoint",
        "spatialReference": {"wkid": wkid},
        "fields": [
            {"name": "OBJECTID", "type": "esriFieldTypeOID", "alias": "OBJECTID"},
            {"name": "Name", "type": "esriFieldTypeString", "alias": "Name", "length": 50},
        ],
        "features": [
            {"attributes": {"OBJECTID": i + 1, "Name": f"p{i + 1}"}, "geometry": {"x": x, "y": y}}
            for i, (x, y) in enumerate(coordinates)
        ],
        **extra,
    }


def results_by_name(answer: dict[str, Any]) -> dict[str, Any]:
    return {r["paramName"]: r for r in answer["results"]}
