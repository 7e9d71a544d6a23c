"""Secrets: no token or password anywhere a user, a log or a file could show it.

One test session logs in through a Basic configuration of the (temporary) QGIS auth
database, runs secured tasks (synchronous, asynchronous with tokens that expire during the
job, in the background through the job store), has runs fail (token service down, wrong
password), saves a project with the outputs, and then looks for every secret -- the
password, every token the server issued, a GPStringHidden value -- in:

Python logging (all levels), QgsMessageLog, feedback (every level and the text log),
exceptions (message and traceback), the job store (SQLite file and its WAL), the saved
project, QGIS settings, and every request URL in the server's request log.
"""

from __future__ import annotations

import logging
import traceback
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import processing
import pytest
from qgis.core import (
    QgsApplication,
    QgsProcessingException,
    QgsProject,
    QgsSettings,
    QgsVectorLayer,
)

from arcgis_gp.plugin.connections.clients import forget_clients
from arcgis_gp.plugin.connections.connection import Connection, connections_to_yaml
from arcgis_gp.plugin.jobs import api as jobs_api
from arcgis_gp.plugin.jobs.model import JobState
from arcgis_gp.plugin.jobs.store import JobStore

from .conftest import RecordingFeedback, fast_retries, make_provider

pytestmark = pytest.mark.timeout(120)

HIDDEN_VALUE = "hidden-value-3f9a7c"  # a GPStringHidden input: secret by declaration
WRONG_PASSWORD = "not-the-password-81d2"


class Sightings:
    """Every text the run produced where a secret must not appear."""

    def __init__(self) -> None:
        self.texts: dict[str, list[str]] = {}

    def add(self, where: str, *texts: Any) -> None:
        self.texts.setdefault(where, []).extend(str(t) for t in texts if t is not None)

    def add_error(self, error: BaseException) -> None:
        self.add("exceptions", str(error), repr(error))
        self.add("exceptions", "".join(traceback.format_exception(error)))

    def add_feedback(self, feedback: RecordingFeedback) -> None:
        self.add("feedback", *feedback.infos, *feedback.warnings, *feedback.errors)
        self.add("feedback", feedback.textLog(), feedback.htmlLog())

    def leaks(self, secrets: set[str]) -> list[str]:
        found = []
        for where, texts in self.texts.items():
            for text in texts:
                # The AllTypes task returns the hidden input as the plain GPString output
                # In_Hidden_echo: that output is the server's choice, and Processing prints
                # every output ("Results: {...}"). Only that one place is let through.
                seen = text.replace(f"'In_Hidden_echo': '{HIDDEN_VALUE}'", "")
                found += [
                    f"{where}: ...{seen[max(0, seen.find(s) - 60) : seen.find(s)]}<secret>"
                    for s in secrets
                    if s in seen
                ]
        return found


@pytest.fixture
def qgis_log() -> Iterator[list[str]]:
    messages: list[str] = []

    def record(message: str, tag: str, level: Any) -> None:
        messages.append(f"{tag}: {message}")

    log = QgsApplication.messageLog()
    log.messageReceived.connect(record)
    yield messages
    log.messageReceived.disconnect(record)


@pytest.fixture
def secure_provider(qgis_processing, basic_authcfg, gpserver, tmp_path: Path):
    """Connection ``vault``: Basic login (gpuser) over the loopback's plain http (allowed)."""
    path = tmp_path / "connections.yaml"
    connection = Connection(
        "vault", gpserver.services_url, authcfg=basic_authcfg, allow_insecure_http=True, timeout=10
    )
    path.write_text(connections_to_yaml([connection]), encoding="utf-8")
    provider = make_provider(qgis_processing, path, tmp_path / "catalogs")
    fast_retries([connection])
    yield provider
    QgsApplication.processingRegistry().removeProvider(provider)
    forget_clients()


def _expect_failure(sightings: Sightings, algorithm: str, params: dict[str, Any]) -> str:
    feedback = RecordingFeedback()
    with pytest.raises(QgsProcessingException) as raised:
        processing.run(algorithm, params, feedback=feedback)
    sightings.add_error(raised.value)
    sightings.add_feedback(feedback)
    return str(raised.value)


def test_no_secret_reaches_logs_feedback_errors_store_project_or_urls(
    secure_provider, gpserver, qgis_auth_manager, qgis_log, caplog, tmp_path
):
    caplog.set_level(logging.DEBUG)
    sightings = Sightings()
    _, password = gpserver.credentials

    # A synchronous secured task, and a GPStringHidden value.
    feedback = RecordingFeedback()
    result = processing.run(
        "arcgisgp:vault__secure_protected__echo", {"Text": "sync"}, feedback=feedback
    )
    assert result["Output_Text"] == "sync"
    sightings.add_feedback(feedback)
    feedback = RecordingFeedback()
    processing.run(
        "arcgisgp:vault__analysisasync__alltypes",
        {"In_Hidden": HIDDEN_VALUE, "ADD_RESULT_MAP_LAYER": False},
        feedback=feedback,
    )
    sightings.add_feedback(feedback)
    assert HIDDEN_VALUE in gpserver.requests_to(r"/AllTypes/submitJob$")[-1].form["In_Hidden"]

    # Tokens that expire during a job are renewed; the result map layer goes to a project.
    gpserver.token_lifetime = 1.0
    forget_clients()  # log in anew: this token, and each renewal, lives one second
    feedback = RecordingFeedback()
    result = processing.run(
        "arcgisgp:vault__secure_protectedasync__echo",
        {"Text": "renewed", "Delay": 2.5},
        feedback=feedback,
    )
    assert result["Output_Text"] == "renewed"
    sightings.add_feedback(feedback)
    gpserver.token_lifetime = None
    buffer_out = tmp_path / "buffer.gpkg"
    result = processing.run(
        "arcgisgp:vault__analysisasync__buffer",
        {
            "Input_Features": _points(),
            "Distance": 1,
            "Output_Polygons": str(buffer_out),
            "ADD_RESULT_MAP_LAYER": True,
        },
        feedback=feedback,
    )
    project_file = _save_project(result, buffer_out, tmp_path / "project.qgs")

    # In the background, recorded in a job store.
    store = JobStore(tmp_path / "jobs.sqlite")
    feedback = RecordingFeedback()
    job_id = jobs_api.submit(
        "arcgisgp:vault__secure_protectedasync__echo",
        {"Text": "background"},
        feedback=feedback,
        store=store,
    )
    assert jobs_api.wait(job_id, timeout=60, store=store).state is JobState.ON_SERVER
    fetched = jobs_api.fetch_results(job_id, feedback=feedback, store=store)
    assert fetched["Output_Text"] == "background"
    hidden_job = jobs_api.submit(
        "arcgisgp:vault__analysisasync__alltypes",
        {"In_Hidden": HIDDEN_VALUE, "ADD_RESULT_MAP_LAYER": False},
        feedback=feedback,
        store=store,
    )
    assert jobs_api.wait(hidden_job, timeout=60, store=store).state is JobState.ON_SERVER
    sightings.add_feedback(feedback)

    # Failures: the token service down, then a wrong password.
    forget_clients()
    gpserver.set_fault("http_error", path=r"/generateToken$", status=503)
    message = _expect_failure(sightings, "arcgisgp:vault__secure_protected__echo", {"Text": "down"})
    assert "503" in message
    gpserver.clear_faults()
    _use_password(qgis_auth_manager, secure_provider, WRONG_PASSWORD)
    message = _expect_failure(
        sightings, "arcgisgp:vault__secure_protected__echo", {"Text": "wrong"}
    )
    assert "could not log in" in message or "Invalid username or password" in message

    # Now look everywhere.
    secrets = {password, WRONG_PASSWORD, HIDDEN_VALUE, *gpserver.state.tokens.issued()}
    assert len(gpserver.state.tokens.issued()) >= 3  # logins, renewals: the check has teeth
    sightings.add("python logging", *(r.getMessage() for r in caplog.records))
    sightings.add("python logging", caplog.text)
    sightings.add("QgsMessageLog", *qgis_log)
    sightings.add("job store", *_files_text(tmp_path, "jobs.sqlite*"))
    sightings.add("saved project", project_file.read_text(encoding="utf-8"))
    sightings.add("QGIS settings", *_settings_text())
    leaks = sightings.leaks(secrets)
    assert not leaks, leaks
    # The checks looked at real content.
    assert "generateToken" in caplog.text  # requests are logged (URLs redacted)
    assert qgis_log
    assert any(job_id in text for text in sightings.texts["job store"])
    assert secure_provider_authcfg(secure_provider) in project_file.read_text(encoding="utf-8")

    # URLs: no secret in any path or query the server saw; the password went only to
    # generateToken, in a POST body.
    for request in gpserver.requests:
        url = request.path + "?" + "&".join(f"{k}={v}" for k, v in request.query.items())
        assert not [s for s in secrets if s in url], url
        assert "token" not in {k.lower() for k in request.query}
        if password in request.form.values() or WRONG_PASSWORD in request.form.values():
            assert request.method == "POST"
            assert request.path.endswith("/generateToken")


def secure_provider_authcfg(provider: Any) -> str:
    return next(c.authcfg for c in provider.connections() if c.name == "vault")


def _points() -> QgsVectorLayer:
    from tests.integration.provider.conftest import point_layer

    return point_layer([("Bern", 7.44, 46.95)])


def _save_project(result: dict[str, Any], gpkg: Path, path: Path) -> Path:
    project = QgsProject()
    layers = [QgsVectorLayer(str(gpkg), "buffer", "ogr")]
    map_layer = result.get("RESULT_MAP_LAYER")
    assert map_layer is not None, result  # the job's map service layer, with the authcfg
    layers.append(map_layer if not isinstance(map_layer, str) else None)
    for layer in layers:
        if layer is not None:
            assert layer.isValid()
            project.addMapLayer(layer)
    assert project.write(str(path))
    return path


def _use_password(manager: Any, provider: Any, password: str) -> None:
    """The user changes the password of the connection's configuration in QGIS."""
    from qgis.core import QgsAuthMethodConfig

    authcfg = secure_provider_authcfg(provider)
    config = QgsAuthMethodConfig()
    manager.loadAuthenticationConfig(authcfg, config, True)
    config.setConfig("password", password)
    assert manager.updateAuthenticationConfig(config)
    forget_clients()


def _files_text(folder: Path, pattern: str) -> list[str]:
    files = sorted(folder.glob(pattern))
    assert files, pattern
    return [f.read_bytes().decode("latin-1") for f in files]


def _settings_text() -> list[str]:
    settings = QgsSettings()
    path = Path(settings.fileName())
    texts = [path.read_text(encoding="utf-8", errors="replace")] if path.is_file() else []
    return texts + [f"{k}={settings.value(k)}" for k in settings.allKeys()]


def test_no_password_over_plain_http_unless_the_connection_allows_it(
    qgis_processing, basic_authcfg, gpserver, tmp_path, qgis_log
):
    """The same Basic login over http: refused before any password leaves the machine."""
    path = tmp_path / "connections.yaml"
    cache = tmp_path / "catalogs"
    allowed = Connection("plain", gpserver.services_url, authcfg=basic_authcfg,
                         allow_insecure_http=True)  # fmt: skip
    path.write_text(connections_to_yaml([allowed]), encoding="utf-8")
    provider = make_provider(qgis_processing, path, cache)  # fills the catalog cache
    QgsApplication.processingRegistry().removeProvider(provider)
    forget_clients()
    refused = Connection("plain", gpserver.services_url, authcfg=basic_authcfg)
    path.write_text(connections_to_yaml([refused]), encoding="utf-8")
    gpserver.clear_requests()
    provider = make_provider(qgis_processing, path, cache)  # cached algorithms stay usable
    try:
        with pytest.raises(QgsProcessingException, match=r"unencrypted|not on https") as raised:
            processing.run("arcgisgp:plain__secure_protected__echo", {"Text": "x"})
        assert "allow_insecure_http" in str(raised.value)
        assert not gpserver.requests_to(r"/generateToken$")  # no password was sent
        assert not [r for r in gpserver.requests if "gppass" in str(r.form)]
    finally:
        QgsApplication.processingRegistry().removeProvider(provider)
        forget_clients()
