"""The ArcGIS REST geoprocessing protocol in plain Python (requests); imports no QGIS.

Start with :class:`GPClient` (one per server), :func:`wait_for_job` for
asynchronous jobs and :func:`crawl_catalog` to list every task. Errors are all
:class:`ArcGisError` subclasses. Their messages are English and stay so: this layer has
no Qt to translate with, and much of each message is the server's own words; the
plugin's translated texts wrap them where a user reads them.

Modules: ``urls`` (parse pasted URLs, resolve relative ones); typed views of the
JSON: ``descriptions`` (services, tasks, parameters), ``job_info``, ``results``,
``enums``, ``data_types`` (type names), ``json_fields`` (tolerant readers);
``encoding`` (GP values as form fields), ``auth`` (the token provider protocol),
``logins`` (generateToken, application headers, portal token exchange), ``answers``
(response parsing, error recognition), ``sessions`` and ``tls`` (the pooled
session), ``transport`` (the request loop: retries, token renewal), ``downloads``
(streamed answers), ``client``, ``job_calls`` and ``run_options`` (the operations),
``waiting`` (job polling), ``catalog`` (the catalog and its crawl), ``portal``
(portals: search, helper services, a portal's catalog), ``errors``.
"""

from __future__ import annotations

from .answers import parse_json_response
from .auth import HeaderAuth, NoAuth, StaticToken, TokenProvider
from .catalog import Catalog, ServiceFailure, crawl_catalog
from .client import GPClient
from .descriptions import GPParameter, GPService, GPTask
from .encoding import RawJson, encode_inputs, encode_value
from .enums import Direction, ExecutionType, JobStatus, MessageType, ParameterType
from .errors import (
    ArcGisAuthError,
    ArcGisCapabilityError,
    ArcGisConnectFailedError,
    ArcGisConnectionError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisRefusedError,
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
from .job_info import GPMessage, JobInfo, JobProgress
from .logins import GenerateTokenProvider, HeaderProvider
from .portal import PortalClient, crawl_connection, crawl_portal, probe_kind
from .results import ExecuteResult, GPResult
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
    "ArcGisRefusedError",
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
