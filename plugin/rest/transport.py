"""HTTP for the REST layer: one pooled session, auth, retries, and one response parser.

Rules this module enforces so callers cannot get them wrong:

- the token travels as a POST form field or an ``X-Esri-Authorization`` header,
  never in a query string, and only to the server's own origin;
- idempotent requests (reads, cancel, downloads) are retried with back-off on
  HTTP 500/502/503/504 and dropped connections; requests that may start work
  (``execute``, ``submitJob``, uploads) are never repeated blindly: only when no
  connection could be made at all (refused, unresolved, connect timeout), since then
  the server cannot have seen them;
- a 498/499/401 answer (HTTP status or JSON error under HTTP 200) makes a renewable
  token provider fetch a new token (or its application give fresh headers), and the
  request is sent once more; refused again, the error carries the provider's hint
  (which connection, and where to fix its login);
- every answer goes through :func:`.answers.parse_json_response`, which raises the
  right :mod:`.errors` class for JSON errors, HTTP errors, HTML pages and broken JSON.

The session is built by :mod:`.sessions`; streamed bodies are written by :mod:`.downloads`.
"""

from __future__ import annotations

import logging
import random
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests

from .answers import (
    TOKEN_CODES,
    _check_complete,
    parse_json_response,
    request_failure,
)
from .auth import NoAuth, TokenProvider, TokenSite, refused_hint
from .encoding import FormBody
from .errors import (
    ArcGisAuthError,
    ArcGisConnectionError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisTlsError,
    redact_url,
)
from .sessions import (
    NetworkOptions,
    build_session,
    pool_size_setting,
)
from .urls import ServerUrl

LOG = logging.getLogger(__name__)

USER_AGENT = "arcgis-gp-qgis/0.1 (+https://github.com/arcgis-gp-qgis/arcgis_gp)"
#: HTTP statuses after which an idempotent request is tried again.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
#: Codes after which a renewable provider is asked again and the request sent once more.
RENEW_CODES = TOKEN_CODES | {401}
#: Longest wait between two retries, whatever ``Retry-After`` says.
MAX_RETRY_DELAY = 10.0

T = TypeVar("T")


def _retry_after(response: requests.Response | None) -> float | None:
    if response is None:
        return None
    value = response.headers.get("Retry-After", "")
    try:
        return max(float(value), 0.0)
    except ValueError:
        return None


def _origin(url: str) -> tuple[str, str, int | None]:
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:
        port = None
    port = port or {"http": 80, "https": 443}.get(scheme)
    return scheme, (parts.hostname or "").lower(), port


class _RetryError(Exception):
    """Internal: the answer asks for another attempt (retryable status)."""

    def __init__(self, error: ArcGisError, delay: float | None) -> None:
        super().__init__(str(error))
        self.error = error
        self.delay = delay


# --------------------------------------------------------------------------- transport


class Transport:
    """Sends requests to one ArcGIS server (see the module docstring for the rules)."""

    def __init__(
        self,
        server: ServerUrl,
        *,
        session: requests.Session | None = None,
        auth: TokenProvider | None = None,
        timeout: float | tuple[float, float] | None = 30,
        verify: bool | str | None = True,
        referer: str | None = None,
        user_agent: str | None = None,
        allow_insecure_http: bool = False,
        max_retries: int = 3,
        retry_backoff: float = 0.5,
        pool_size: int | None = None,
        network: NetworkOptions | None = None,
    ) -> None:
        self.server = server
        self.auth: TokenProvider = auth or NoAuth()
        self.timeout = timeout
        self.verify = verify
        self.referer = referer
        self.user_agent = user_agent or USER_AGENT
        self.allow_insecure_http = allow_insecure_http
        self.max_retries = max(int(max_retries), 0)
        self.retry_backoff = max(float(retry_backoff), 0.0)
        self._own_session = session is None
        #: Connections pooled per host (``None``: ``$ARCGIS_GP_MAX_CONNECTIONS`` or 48).
        self.pool_size = pool_size_setting() if pool_size is None else max(int(pool_size), 1)
        self.session = session if session is not None else build_session(self.pool_size, network)
        self._server_origin = _origin(server.services_url)
        #: What a token provider may use of this server (it knows nothing of Transport).
        self.token_site = TokenSite(
            context_url=server.context_url,
            get_info=self._get_info,
            post_form=self._post_form,
            allow_insecure_http=allow_insecure_http,
            referer=referer,
        )

    def _get_info(self) -> Mapping[str, Any]:
        """``/rest/info``, anonymous: where a login goes."""
        return self.get_json(self.server.info_url, {"f": "json"}, authenticate=False)

    def _post_form(
        self, url: str, form: Mapping[str, str], secrets: Sequence[str | None]
    ) -> Mapping[str, Any]:
        """A login form, POSTed without credentials (it carries its own); retried, as
        a login starts no work."""
        return self.post_json(url, form, authenticate=False, idempotent=True, secrets=secrets)

    # -- public helpers ------------------------------------------------------------

    def close(self) -> None:
        """Release pooled connections (only of a session this object created)."""
        if self._own_session:
            self.session.close()

    def is_same_origin(self, url: str) -> bool:
        """Credentials only go to the server they belong to."""
        return _origin(url) == self._server_origin

    def get_json(
        self,
        url: str,
        params: Mapping[str, Any] | None = None,
        *,
        authenticate: bool = True,
        timeout: Any = None,
    ) -> dict[str, Any]:
        """GET a JSON resource (retried; the token goes in a header)."""
        return self.call(
            "GET", url, params=params, authenticate=authenticate, idempotent=True, timeout=timeout
        )

    def post_json(
        self,
        url: str,
        fields: Mapping[str, Any] | Iterable[tuple[str, Any]],
        *,
        files: Mapping[str, Any] | None = None,
        authenticate: bool = True,
        idempotent: bool = False,
        timeout: Any = None,
        secrets: Sequence[str | None] = (),
    ) -> dict[str, Any]:
        """POST a form (the token goes in the form); retried only if ``idempotent``."""
        return self.call(
            "POST",
            url,
            fields=fields,
            files=files,
            authenticate=authenticate,
            idempotent=idempotent,
            timeout=timeout,
            secrets=secrets,
        )

    # -- the one request loop -----------------------------------------------------

    def call(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None = None,
        fields: Mapping[str, Any] | Iterable[tuple[str, Any]] | None = None,
        files: Mapping[str, Any] | None = None,
        authenticate: bool = True,
        idempotent: bool = False,
        stream: bool = False,
        timeout: Any = None,
        secrets: Sequence[str | None] = (),
        handle: Callable[[requests.Response, Sequence[str | None]], T] | None = None,
    ) -> T:
        """Send, retry, renew the token, and hand the response to ``handle``.

        ``files`` values are callables returning a fresh file tuple per attempt,
        so a request repeated after a token renewal re-reads its file.
        """
        attempt = 0
        renewed = False
        while True:
            send_auth = authenticate and self.is_same_origin(url)
            token = self.auth.token(self.token_site) if send_auth else None
            all_secrets = (*secrets, token)
            try:
                response = self._send(
                    method,
                    url,
                    params=params,
                    fields=fields,
                    files=files,
                    token=token,
                    send_auth=send_auth,
                    stream=stream,
                    timeout=timeout,
                )
                try:
                    if (
                        idempotent
                        and response.status_code in RETRY_STATUSES
                        and attempt < self.max_retries
                    ):
                        raise _RetryError(
                            ArcGisHttpError(
                                f"HTTP {response.status_code}", status=response.status_code, url=url
                            ),
                            _retry_after(response),
                        )
                    if handle is not None:
                        return handle(response, all_secrets)
                    if not stream:
                        _check_complete(response)
                    return parse_json_response(response, all_secrets)  # type: ignore[return-value]
                finally:
                    response.close()
            except _RetryError as retry:
                attempt += 1
                self._pause(attempt, retry.delay, retry.error)
                continue
            except ArcGisConnectionError as error:
                retryable = not isinstance(error, ArcGisTlsError)
                if retryable and (idempotent or error.never_sent) and attempt < self.max_retries:
                    attempt += 1
                    self._pause(attempt, None, error)
                    continue
                if not idempotent and not error.never_sent:
                    error.message += (
                        "; the request was not repeated because it may already have"
                        " started work on the server"
                    )
                raise
            except ArcGisAuthError as error:
                if send_auth and error.code in RENEW_CODES and self.auth.renewable and not renewed:
                    LOG.info("token rejected (%s) by %s; renewing", error.code, redact_url(url))
                    self.auth.invalidate()
                    renewed = True
                    continue
                hint = refused_hint(self.auth) if send_auth else None
                if hint and error.code in RENEW_CODES and hint not in error.message:
                    error.message += f"; {hint}"
                raise

    def _pause(self, attempt: int, delay: float | None, error: ArcGisError) -> None:
        if delay is None:
            delay = self.retry_backoff * (2 ** (attempt - 1))
            delay *= 1 + random.random() * 0.25  # spread out retries of parallel crawls
        delay = min(delay, MAX_RETRY_DELAY)
        LOG.info("retry %d/%d in %.2fs after: %s", attempt, self.max_retries, delay, error)
        time.sleep(delay)

    def _send(
        self,
        method: str,
        url: str,
        *,
        params: Mapping[str, Any] | None,
        fields: Mapping[str, Any] | Iterable[tuple[str, Any]] | None,
        files: Mapping[str, Any] | None,
        token: str | None,
        send_auth: bool,
        stream: bool,
        timeout: Any,
    ) -> requests.Response:
        headers = {"User-Agent": self.user_agent, "Accept": "application/json, */*;q=0.5"}
        if self.referer:
            headers["Referer"] = self.referer
        if send_auth:
            headers.update(self.auth.headers(self.token_site))
        body: Any = None
        data: Any = None
        form = list(fields.items() if isinstance(fields, Mapping) else (fields or []))
        if method == "GET":
            if token:
                headers["X-Esri-Authorization"] = f"Bearer {token}"
        else:
            if token:
                form.append(("token", token))
            if files:
                data = [(k, v) for k, v in form if v is not None]
            else:
                body = FormBody([(k, v) for k, v in form if v is not None])
                headers["Content-Type"] = "application/x-www-form-urlencoded"
        request_files = {k: (v() if callable(v) else v) for k, v in (files or {}).items()}
        kwargs: dict[str, Any] = {}
        if self.verify is not None:
            kwargs["verify"] = self.verify
        LOG.debug("%s %s", method, redact_url(url))
        try:
            return self.session.request(
                method,
                url,
                params=dict(params) if params else None,
                data=body if body is not None else data,
                files=request_files or None,
                headers=headers,
                timeout=timeout if timeout is not None else self.timeout,
                stream=stream,
                **kwargs,
            )
        except requests.exceptions.RequestException as error:
            wait = timeout if timeout is not None else self.timeout
            raise request_failure(error, url, wait) from None
        finally:
            for handle in request_files.values():
                stream_obj = handle[1] if isinstance(handle, tuple) and len(handle) > 1 else None
                if hasattr(stream_obj, "close"):
                    stream_obj.close()
