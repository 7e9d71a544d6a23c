"""The ArcGIS REST geoprocessing protocol in plain Python (requests); imports no QGIS.

Start with :class:`GPClient` (one per server), :func:`wait_for_job` for
asynchronous jobs and :func:`crawl_catalog` to list every task. Errors are all
:class:`ArcGisError` subclasses. Their messages are English and stay so: this layer has
no Qt to translate with, and much of each message is the server's own words; the
plugin's translated texts wrap them where a user reads them.

Modules: ``urls`` (parse pasted URLs, resolve relative ones), ``model`` (typed
JSON views), ``encoding`` (GP values as form fields), ``auth`` (tokens and
headers), ``answers`` (response parsing, error recognition), ``sessions`` and
``tls`` (the pooled session), ``transport`` (the request loop: retries, token
renewal), ``downloads`` (streamed answers), ``client`` (the operations), ``waiting``
(job polling), ``catalog`` (crawling), ``portal`` (portals: search, helper services, a
portal's catalog), ``errors``.
"""

from __future__ import annotations

from .answers import parse_json_response
from .auth import (
    GenerateTokenProvider,
    HeaderAuth,
    HeaderProvider,
    NoAuth,
    StaticToken,
    TokenProvider,
)
from .catalog import crawl_catalog
from .client import GPClient
from .encoding import RawJson, encode_inputs, encode_value
from .errors import (
    ArcGisAuthError,
    ArcGisCapabilityError,
    ArcGisConnectFailedError,
    ArcGisConnectionError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisServerError,
    ArcGisTimeoutError,
    ArcGisTlsError,
    InsecureTransportError,
    InvalidUrlError,
    JobCancelledError,
    JobError,
    JobExpiredError,
    JobFailedError,
    JobTimedOutError,
    redact_url,
)
from .model import (
    Catalog,
    Direction,
    ExecuteResult,
    ExecutionType,
    GPMessage,
    GPParameter,
    GPResult,
    GPService,
    GPTask,
    JobInfo,
    JobProgress,
    JobStatus,
    MessageType,
    ParameterType,
    ServiceFailure,
)
from .portal import PortalClient, crawl_connection, crawl_portal, probe_kind
from .transport import Transport
from .urls import ServerUrl, parse_server_url, resolve_url
from .waiting import PollPolicy, wait_for_job

__all__ = [
    "ArcGisAuthError",
    "ArcGisCapabilityError",
    "ArcGisConnectFailedError",
    "ArcGisConnectionError",
    "ArcGisError",
    "ArcGisHttpError",
    "ArcGisInvalidResponseError",
    "ArcGisServerError",
    "ArcGisTimeoutError",
    "ArcGisTlsError",
    "Catalog",
    "Direction",
    "ExecuteResult",
    "ExecutionType",
    "GPClient",
    "GPMessage",
    "GPParameter",
    "GPResult",
    "GPService",
    "GPTask",
    "GenerateTokenProvider",
    "HeaderAuth",
    "HeaderProvider",
    "InsecureTransportError",
    "InvalidUrlError",
    "JobCancelledError",
    "JobError",
    "JobExpiredError",
    "JobFailedError",
    "JobInfo",
    "JobProgress",
    "JobStatus",
    "JobTimedOutError",
    "MessageType",
    "NoAuth",
    "ParameterType",
    "PollPolicy",
    "PortalClient",
    "RawJson",
    "ServerUrl",
    "ServiceFailure",
    "StaticToken",
    "TokenProvider",
    "Transport",
    "crawl_catalog",
    "crawl_connection",
    "crawl_portal",
    "encode_inputs",
    "encode_value",
    "parse_json_response",
    "parse_server_url",
    "probe_kind",
    "redact_url",
    "resolve_url",
    "wait_for_job",
]
