"""``GPServer``: the test server as an object to start, stop, inspect and break.

The HTTP side (a threaded werkzeug server on 127.0.0.1) can stop and start again on the
same port while jobs, tokens and uploads live on, which is how a test simulates a server
that is down for a while.
"""

from __future__ import annotations

import logging
import re
import shutil
import tempfile
import threading
from pathlib import Path
from typing import Any

from werkzeug.serving import BaseWSGIServer, WSGIRequestHandler, make_server

from .app import GPServerApp
from .datasets import DATASETS
from .faults import Fault, FaultSet
from .handlers.admin import apply_config
from .jobs import JobManager
from .oauth import OAuthService
from .portal import Portal
from .registry import DEFAULT_SERVICES_YAML, load_registry
from .requestlog import RecordedRequest, RequestLog
from .state import ServerState
from .tasks import IMPLEMENTATIONS
from .tokens import TokenService
from .uploads import UploadStore

LOG = logging.getLogger(__name__)
DEFAULT_JOB_MAX_AGE = 600.0
#: Seconds a new job sits in esriJobSubmitted, then again in esriJobWaiting, as on a
#: real server, where a job always queues before it executes (clients must not assume
#: that the first status they see is esriJobExecuting).
DEFAULT_JOB_QUEUE_DELAY = 0.05


class _QuietHandler(WSGIRequestHandler):
    """No access log on stderr (tests would drown in it); errors go to ``logging``."""

    def log_request(self, *args: Any, **kwargs: Any) -> None:
        pass

    def log(self, type: str, message: str, *args: Any) -> None:
        LOG.debug("%s: %s", type, message % args if args else message)


class GPServer:
    """An ArcGIS-compatible GP server on 127.0.0.1.

    >>> with GPServer() as server:            # a free port
    ...     print(server.services_url)         # http://127.0.0.1:PORT/arcgis/rest/services
    """

    def __init__(
        self,
        host: str = "127.0.0.1",
        port: int = 0,
        services_yaml: str | Path | None = None,
        *,
        workdir: str | Path | None = None,
        job_max_age: float = DEFAULT_JOB_MAX_AGE,
        job_workers: int = 8,
    ) -> None:
        if host not in ("127.0.0.1", "localhost", "::1"):
            raise ValueError("the test GP server binds to the loopback interface only")
        self.host = host
        self.port = port
        self.services_yaml = Path(services_yaml or DEFAULT_SERVICES_YAML)
        self._own_workdir = workdir is None
        self.workdir = Path(workdir or tempfile.mkdtemp(prefix="gpserver-")).resolve()
        self.workdir.mkdir(parents=True, exist_ok=True)
        registry = load_registry(self.services_yaml)
        self._defaults = {
            "job_max_age": job_max_age,
            "job_queue_delay": DEFAULT_JOB_QUEUE_DELAY,
            "token_lifetime": None,
            "federated": False,
            "portal_token_path": "sharing/rest/generateToken",
            "portal_hosted": False,
            "oauth_access_lifetime": None,
            "oauth_refresh_lifetime": None,
        }
        self.state = ServerState(
            registry=registry,
            workdir=self.workdir,
            jobs=JobManager(
                self.workdir,
                IMPLEMENTATIONS,
                workers=job_workers,
                max_age=job_max_age,
                queue_delay=DEFAULT_JOB_QUEUE_DELAY,
            ),
            tokens=TokenService(registry.users),
            uploads=UploadStore(self.workdir / "uploads"),
            faults=FaultSet(),
            log=RequestLog(),
            datasets={name: build() for name, build in DATASETS.items()},
        )
        self.state.oauth = OAuthService(self.state.tokens, registry.users)
        self.app = GPServerApp(self.state, self.reset)
        self._server: BaseWSGIServer | None = None
        self._thread: threading.Thread | None = None

    # life cycle ----------------------------------------------------------------------
    def start(self) -> GPServer:
        """Listen (again) on the same port; a no-op when already running."""
        if self._server is not None:
            return self
        server = make_server(
            self.host, self.port, self.app, threaded=True, request_handler=_QuietHandler
        )
        server.daemon_threads = True
        self.port = server.server_port
        self._server = server
        self._thread = threading.Thread(
            target=server.serve_forever, name=f"gpserver-{self.port}", daemon=True
        )
        self._thread.start()
        return self

    def stop(self) -> None:
        """Stop listening (connections are refused); jobs and state survive."""
        if self._server is None:
            return
        self._server.shutdown()
        self._server.server_close()
        if self._thread is not None:
            self._thread.join(timeout=5)
        self._server = None
        self._thread = None

    def close(self) -> None:
        """Stop for good: cancel jobs, remove the working folder if it was ours."""
        self.stop()
        self.state.jobs.shutdown()
        self._release_gdal_objects()
        if self._own_workdir:
            shutil.rmtree(self.workdir, ignore_errors=True)

    @property
    def running(self) -> bool:
        return self._server is not None

    def __enter__(self) -> GPServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.close()

    # addresses -----------------------------------------------------------------------
    @property
    def root(self) -> str:
        return f"http://{self.host}:{self.port}"

    @property
    def context_url(self) -> str:
        return f"{self.root}/arcgis"

    @property
    def services_url(self) -> str:
        return f"{self.root}/arcgis/rest/services"

    @property
    def token_url(self) -> str:
        return f"{self.root}/arcgis/tokens/generateToken"

    def service_url(self, path: str, kind: str = "GPServer") -> str:
        """``service_url("Elevation/Viewshed")``: ``…/services/Elevation/Viewshed/GPServer``."""
        return f"{self.services_url}/{path.strip('/')}/{kind}"

    def task_url(self, path: str, task: str) -> str:
        """URL of a task (the name is not percent-encoded: requests does that)."""
        return f"{self.service_url(path)}/{task}"

    # inspection and control ----------------------------------------------------------
    @property
    def users(self) -> dict[str, str]:
        return dict(self.state.registry.users)

    @property
    def credentials(self) -> tuple[str, str]:
        """The first user of services.yaml: ``("gpuser", "gppass")``."""
        return next(iter(self.state.registry.users.items()))

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.state.log.entries()

    def requests_to(self, pattern: str) -> list[RecordedRequest]:
        """Recorded requests whose path matches a regular expression."""
        return [r for r in self.requests if re.search(pattern, r.path)]

    def clear_requests(self) -> None:
        self.state.log.clear()

    def set_fault(
        self,
        kind: str,
        *,
        path: str | None = None,
        method: str | None = None,
        count: int | None = None,
        **params: Any,
    ) -> Fault:
        """Switch a fault on (kinds and parameters: see ``faults.py`` and the README)."""
        return self.state.faults.add(kind, path=path, method=method, count=count, **params)

    def clear_faults(self) -> None:
        self.state.faults.clear()

    @property
    def job_max_age(self) -> float:
        return self.state.jobs.max_age

    @job_max_age.setter
    def job_max_age(self, seconds: float) -> None:
        self.state.jobs.max_age = float(seconds)

    @property
    def job_queue_delay(self) -> float:
        """Seconds a job spends in esriJobSubmitted, then again in esriJobWaiting."""
        return self.state.jobs.queue_delay

    @job_queue_delay.setter
    def job_queue_delay(self, seconds: float) -> None:
        self.state.jobs.queue_delay = float(seconds)

    @property
    def token_lifetime(self) -> float | None:
        return self.state.token_lifetime

    @token_lifetime.setter
    def token_lifetime(self, seconds: float | None) -> None:
        """Force the lifetime (seconds) of tokens generated from now on; None: as asked."""
        self.state.token_lifetime = seconds

    @property
    def federated(self) -> bool:
        return self.state.federated

    @federated.setter
    def federated(self, value: bool) -> None:
        """Federate with the portal at ``/portal`` (see tokens.py); reset() undoes it."""
        self.state.federated = bool(value)

    @property
    def portal_url(self) -> str:
        """``http://127.0.0.1:PORT/portal``, the federating portal (when ``federated``)."""
        return f"{self.root}/portal"

    @property
    def portal_token_path(self) -> str:
        return self.state.portal_token_path

    @portal_token_path.setter
    def portal_token_path(self, path: str) -> None:
        """Where rest/info says the portal's token service is (``sharing/generateToken``:
        the legacy URL some servers still report); the portal answers at both."""
        self.state.portal_token_path = path

    @property
    def portal_hosted(self) -> bool:
        return self.state.portal_hosted

    @portal_hosted.setter
    def portal_hosted(self, value: bool) -> None:
        """Hosted by the portal at ``/portal``, as ArcGIS Online's servers are: federated,
        and its services take portal tokens (OAuth ones too) without an exchange."""
        self.state.portal_hosted = bool(value)
        if value:
            self.state.federated = True

    @property
    def oauth(self) -> OAuthService:
        """The portal's OAuth 2.0 side: ``register()`` apps, set ``access_lifetime``."""
        assert self.state.oauth is not None
        return self.state.oauth

    @property
    def oauth_authorize_url(self) -> str:
        return f"{self.portal_url}/sharing/rest/oauth2/authorize"

    @property
    def oauth_token_url(self) -> str:
        return f"{self.portal_url}/sharing/rest/oauth2/token"

    def enable_portal(
        self, shared_tools: int = 0, shared_access: str = "public", multitenant: bool = False
    ) -> Portal:
        """Switch the portal at ``/portal`` on (portal.py), federated with this server;
        ``shared_tools`` adds that many GP service items (several search pages at 100+);
        ``multitenant``: as ArcGIS Online, with another organisation's public items.
        reset() switches it off."""
        self.disable_portal()
        self.state.portal = Portal(self.state.registry, shared_tools, shared_access, multitenant)
        self.state.federated = True
        return self.state.portal

    def disable_portal(self) -> None:
        """Switch the portal off and unpublish the services it added."""
        if self.state.portal is not None:
            self.state.portal.close()
            self.state.portal = None

    def job(self, job_id: str) -> Any:
        """A job by id, whatever its service (``None`` when unknown or expired)."""
        return next((j for j in self.state.jobs.all_jobs() if j.job_id == job_id), None)

    def _release_gdal_objects(self) -> None:
        """Drop jobs and cached map layers now: OGR objects that outlive QGIS's exitQgis()
        (which shuts GDAL's drivers down) corrupt the heap when they are freed."""
        self.state.jobs.forget_all()
        self.state.cache.clear()

    def reset(self) -> None:
        """Between tests: no faults, empty log, default settings, listening again, running
        jobs cancelled and all jobs forgotten. Tokens and uploads stay (they expire or are
        harmless), so session-scoped clients keep working."""
        self.clear_faults()
        self.state.jobs.cancel_all()
        self._release_gdal_objects()
        apply_config(self.state, self._defaults)
        self.disable_portal()
        self.clear_requests()
        self.start()
