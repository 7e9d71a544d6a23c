"""The server outside pytest's fixture: the class with a custom YAML, and the CLI."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
import yaml

from tests.gpserver import GPServer
from tests.gpserver.registry import DEFAULT_SERVICES_YAML, RegistryError, load_registry

from .helpers import get, post

ROOT = Path(__file__).resolve().parents[3]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def test_context_manager_with_a_custom_services_yaml(tmp_path) -> None:
    data = yaml.safe_load(DEFAULT_SERVICES_YAML.read_text(encoding="utf-8"))
    data["services"] = [
        {
            "path": "Quirks/Empty",
            "executionType": "Synchronous",
            "maximumRecords": 10,
            "transferLimitMode": "empty",
            "tasks": ["LargeOutput"],
        }
    ]
    services = tmp_path / "services.yaml"
    services.write_text(yaml.safe_dump(data), encoding="utf-8")
    with GPServer(services_yaml=services, workdir=tmp_path / "work") as server:
        assert get(server.services_url)["folders"] == ["Quirks"]
        answer = post(f"{server.task_url('Quirks/Empty', 'LargeOutput')}/execute", Feature_Count=11)
        value = answer["results"][0]["value"]
        assert value["features"] == []  # as Esri documents for some servers
        assert value["exceededTransferLimit"] is True
        url = server.services_url
    with pytest.raises(requests.exceptions.ConnectionError):
        requests.get(url, timeout=2)
    assert (tmp_path / "work").is_dir()  # a given workdir is left in place


def test_only_loopback_addresses() -> None:
    with pytest.raises(ValueError, match="loopback"):
        GPServer(host="0.0.0.0")


def test_registry_rejects_inconsistent_yaml(tmp_path) -> None:
    data = yaml.safe_load(DEFAULT_SERVICES_YAML.read_text(encoding="utf-8"))
    data["services"].append({"path": "X", "tasks": ["NoSuchTask"]})
    broken = tmp_path / "broken.yaml"
    broken.write_text(yaml.safe_dump(data), encoding="utf-8")
    with pytest.raises(RegistryError, match="unknown task"):
        load_registry(broken)


def test_command_line(tmp_path) -> None:
    port = _free_port()
    process = subprocess.Popen(
        [sys.executable, "-m", "tests.gpserver", "--port", str(port), "--workdir", str(tmp_path)],
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        first_line = process.stdout.readline()
        assert f"http://127.0.0.1:{port}/arcgis/rest/services" in first_line
        deadline = time.monotonic() + 10
        while True:
            try:
                info = requests.get(f"http://127.0.0.1:{port}/arcgis/rest/info?f=json", timeout=2)
                break
            except requests.exceptions.ConnectionError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert info.json()["currentVersion"] == 11.1
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=10) == 0
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
