"""Everything the request handlers share: catalog, jobs, tokens, uploads, faults, log."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .faults import FaultSet
from .featureset import FeatureSet
from .jobs import JobManager
from .oauth import OAuthService
from .registry import Registry
from .requestlog import RequestLog
from .tokens import TokenService
from .uploads import UploadStore


@dataclass
class ServerState:
    registry: Registry
    workdir: Path
    jobs: JobManager
    tokens: TokenService
    uploads: UploadStore
    faults: FaultSet
    log: RequestLog
    datasets: dict[str, FeatureSet]
    token_lifetime: float | None = None  # seconds; forces the lifetime of new tokens
    #: Federated with the portal at ``/portal``: rest/info names it, logins go there, and
    #: services accept server tokens the portal exchanged (and referer-bound portal tokens).
    federated: bool = False
    #: Where rest/info says the portal's token service is (``sharing/generateToken``: legacy).
    portal_token_path: str = "sharing/rest/generateToken"
    #: The portal at ``/portal`` with its content and helpers (portal.py), when switched on.
    portal: Any = None
    cache: dict[Any, Any] = field(default_factory=dict)  # map-service layers per job output
    #: The portal's OAuth 2.0 apps, codes and refresh tokens (``oauth.py``).
    oauth: OAuthService | None = None
    #: A server the portal hosts, as ArcGIS Online's are: its services take portal tokens
    #: (OAuth access tokens included) as they are, without the serverUrl exchange.
    portal_hosted: bool = False
