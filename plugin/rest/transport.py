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
- every answer goes through :func:`parse_json_response`, which raises the right
  :mod:`.errors` class for JSON errors, HTTP errors, HTML pages and broken JSON.
"""

from __future__ import annotations

import json
import logging
import os
import random
import re
import time
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar
from urllib.parse import urlsplit

import requests
from requests.adapters import HTTPAdapter
from urllib3.exceptions import NewConnectionError

from .auth import NoAuth, TokenProvider, refused_hint
from .encoding import FormBody
from .errors import (
    ArcGisAuthError,
    ArcGisConnectFailedError,
    ArcGisConnectionError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisServerError,
    ArcGisTimeoutError,
    ArcGisTlsError,
    redact_url,
    scrub,
)
from .tls import ClientCertificate, PinnedCertificate, TlsAdapter, client_certificate_context
from .urls import ServerUrl

LOG = logging.getLogger(__name__)

USER_AGENT = "arcgis-gp-qgis/0.1 (+https://github.com/arcgis-gp-qgis/arcgis_gp)"
#: HTTP statuses after which an idempotent request is tried again.
RETRY_STATUSES = frozenset({500, 502, 503, 504})
#: ArcGIS codes meaning "token invalid or expired" (498) and "token required" (499).
TOKEN_CODES = frozenset({498, 499})
#: Codes after which a renewable provider is asked again and the request sent once more.
RENEW_CODES = TOKEN_CODES | {401}
#: Longest wait between two retries, whatever ``Retry-After`` says.
MAX_RETRY_DELAY = 10.0
_SNIFF_BYTES = 65536
#: Connections kept per session, and so the catalog crawl's concurrency. 48 crawls 1,000
#: tasks at 50 ms per request in ~1.5 s (32: 2.0 s, at the latency floor; see
#: tests/benchmarks/RESULTS.md). A crawl is a short burst of small description GETs over
#: kept-alive connections, fewer streams than a browser opens to one host over HTTP/2; an
#: administrator who wants less sets ``$ARCGIS_GP_MAX_CONNECTIONS``.
DEFAULT_POOL_SIZE = 48
#: Environment variable that overrides it (1 to ``MAX_POOL_SIZE``).
POOL_SIZE_VARIABLE = "ARCGIS_GP_MAX_CONNECTIONS"
MAX_POOL_SIZE = 128
_MAX_ERROR_BODY = 1 << 20

T = TypeVar("T")


# --------------------------------------------------------------------------- parsing


def _decode(body: bytes) -> str:
    try:
        return body.decode("utf-8-sig")
    except UnicodeDecodeError:
        return body.decode("latin-1")


def _html_title(text: str) -> str:
    match = re.search(r"<title[^>]*>(.*?)</title>", text, re.IGNORECASE | re.DOTALL)
    if match:
        return " ".join(match.group(1).split())[:200]
    return ""


def _looks_like_html(text: str, content_type: str) -> bool:
    head = text.lstrip()[:100].lower()
    return "html" in content_type or head.startswith(("<!doctype", "<html", "<head", "<body", "<"))


def error_from_json(
    data: Any, url: str | None = None, secrets: Sequence[str | None] = ()
) -> ArcGisError | None:
    """The error an ArcGIS JSON answer carries, or ``None`` when it carries none.

    Handles ``{"error": {code, message, details}}`` (services), ``{"error": "text"}``,
    ``{"status": "error", "messages": [...]}`` (admin-style answers) and the bare error
    object ``{"code": 400, "message": ..., "details": [...]}`` that some servers and
    proxies send without the ``error`` wrapper.
    """
    if not isinstance(data, Mapping):
        return None
    error = data.get("error")
    if error is None and _is_bare_error(data):
        error = data
    code: int | None = None
    details: list[str] = []
    if isinstance(error, Mapping):
        raw_code = error.get("code")
        try:
            code = (
                int(raw_code) if raw_code is not None and not isinstance(raw_code, bool) else None
            )
        except (TypeError, ValueError):
            code = None
        message = error.get("message") or error.get("description") or ""
        raw_details = error.get("details")
        if isinstance(raw_details, str):
            details = [raw_details]
        elif isinstance(raw_details, (list, tuple)):
            details = [str(d) for d in raw_details if d not in (None, "")]
    elif isinstance(error, str) and error.strip():
        message = error
    elif str(data.get("status", "")).lower() == "error":
        messages = data.get("messages")
        texts = [str(m) for m in messages] if isinstance(messages, (list, tuple)) else []
        message = texts[0] if texts else "the server reported an error"
        details = texts[1:]
        raw_code = data.get("code")
        code = raw_code if isinstance(raw_code, int) and not isinstance(raw_code, bool) else None
    else:
        return None
    message = scrub(str(message), secrets) if message else "the server gave no message"
    details = [scrub(d, secrets) for d in details]
    cls = ArcGisAuthError if code in TOKEN_CODES or code in (401, 403) else ArcGisServerError
    return cls(message, code=code, details=details, url=url)


#: Keys a bare error object may carry besides ``code`` and ``message``; any other key
#: (``results``, ``jobId``, ``value`` ...) means the answer is data, not an error.
_BARE_ERROR_KEYS = frozenset(
    {"code", "message", "details", "description", "messageCode", "httpStatusCode", "success"}
)


def _is_bare_error(data: Mapping[str, Any]) -> bool:
    """``{"code": 400, "message": "...", "details": [...]}`` without the ``error`` wrapper.

    Only an error code (400 and up) with a message, and nothing a real answer holds,
    counts: a GP result or description never looks like that.
    """
    code, message = data.get("code"), data.get("message")
    if isinstance(code, bool) or not isinstance(message, str) or not message.strip():
        return False
    try:
        number = int(code)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return False
    return number >= 400 and set(data) <= _BARE_ERROR_KEYS


def parse_json_response(
    response: requests.Response, secrets: Sequence[str | None] = ()
) -> dict[str, Any]:
    """Turn an HTTP response into the JSON object it should hold, or raise.

    Order matters: an ArcGIS error object wins over the HTTP status (servers
    send both ``HTTP 500 + {"error":...}`` and ``HTTP 200 + {"error":...}``).
    """
    url = response.url
    status = response.status_code
    content_type = response.headers.get("Content-Type", "").lower()
    text = _decode(response.content or b"")
    try:
        data = json.loads(text) if text.strip() else None
        parsed = True
    except ValueError as error:
        data, parsed = None, False
        decode_error = str(error)
    error = error_from_json(data, url, secrets)
    if error is not None:
        raise error
    if status in TOKEN_CODES:
        raise ArcGisAuthError(
            "Invalid Token" if status == 498 else "Token Required", code=status, url=url
        )
    if status >= 400:
        reason = response.reason or "error"
        snippet = _html_title(text) if _looks_like_html(text, content_type) else text.strip()[:200]
        message = f"HTTP {status} {reason}"
        if snippet and snippet.lower().replace(str(status), "").strip() not in message.lower():
            message += f" ({scrub(snippet, secrets)})"
        if status in (401, 403):
            raise ArcGisAuthError(message, code=status, url=url)
        raise ArcGisHttpError(message, status=status, url=url)
    if not text.strip():
        raise ArcGisInvalidResponseError("the answer was empty", url=url)
    if not parsed:
        if _looks_like_html(text, content_type):
            title = _html_title(text)
            raise ArcGisInvalidResponseError(
                "got an HTML page instead of JSON"
                + (f" ('{title}')" if title else "")
                + "; check the URL, or whether a login page or proxy is in the way",
                url=url,
            )
        raise ArcGisInvalidResponseError(
            f"the JSON is invalid or truncated ({decode_error})", url=url
        )
    if not isinstance(data, dict):
        raise ArcGisInvalidResponseError(
            f"expected a JSON object, got {type(data).__name__}", url=url
        )
    return data


def _check_complete(response: requests.Response) -> None:
    """Raise when fewer bytes arrived than ``Content-Length`` announced.

    urllib3 1.x does not enforce the length; without this check a dropped
    connection would look like truncated JSON (not retried) or a short file.
    """
    expected = response.headers.get("Content-Length")
    raw = getattr(response, "raw", None)
    if not expected or raw is None or not hasattr(raw, "tell"):
        return
    try:
        announced, received = int(expected), int(raw.tell())
    except (TypeError, ValueError):
        return
    if received < announced:
        raise ArcGisConnectionError(
            f"the connection was dropped after {received} of {announced} bytes",
            url=response.url,
        )


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


# --------------------------------------------------------------------------- network


@dataclass(frozen=True)
class NetworkOptions:
    """How to reach the server, as the application around the REST layer decides.

    The plugin fills this from QGIS's network settings: its proxy, its trusted CA
    certificates (``verify`` of the client) and a PKI client certificate.
    """

    #: requests' proxies mapping (``{"http": url, "https": url}``); empty: no proxy.
    proxies: Mapping[str, str] = field(default_factory=dict)
    #: Also read ``http_proxy``/``https_proxy``/``no_proxy`` from the environment.
    trust_env: bool = True
    client_certificate: ClientCertificate | None = None
    #: The server certificate the user accepted for the server (see :mod:`.tls`).
    pinned_certificate: PinnedCertificate | None = None

    def __repr__(self) -> str:  # proxy URLs may carry a password
        return (
            f"NetworkOptions(proxies=<{len(self.proxies)}>, trust_env={self.trust_env}, "
            f"client_certificate={'yes' if self.client_certificate else 'no'}, "
            f"pinned_certificate={'yes' if self.pinned_certificate else 'no'})"
        )


def pool_size_setting() -> int:
    """``$ARCGIS_GP_MAX_CONNECTIONS`` bounded to 1..128, else :data:`DEFAULT_POOL_SIZE`."""
    text = os.environ.get(POOL_SIZE_VARIABLE, "").strip()
    try:
        value = int(text) if text else DEFAULT_POOL_SIZE
    except ValueError:
        LOG.warning("%s=%r is not a number; using %d", POOL_SIZE_VARIABLE, text, DEFAULT_POOL_SIZE)
        value = DEFAULT_POOL_SIZE
    return min(max(value, 1), MAX_POOL_SIZE)


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
        if session is None:
            session = requests.Session()
            adapter = HTTPAdapter(pool_connections=4, pool_maxsize=self.pool_size)
            session.mount("http://", adapter)
            certificate = network.client_certificate if network else None
            if certificate is not None:
                adapter = TlsAdapter(
                    client_certificate_context(certificate),
                    pool_connections=4,
                    pool_maxsize=self.pool_size,
                )
            session.mount("https://", adapter)
            pinned = network.pinned_certificate if network else None
            if pinned is not None:
                pinned_adapter = TlsAdapter(
                    # a context of its own: urllib3 sets its verify mode per connection
                    client_certificate_context(certificate, pinned=True) if certificate else None,
                    pinned_sha256=pinned.sha256,
                    pool_connections=4,
                    pool_maxsize=self.pool_size,
                )
                for prefix in pinned.prefixes():
                    session.mount(prefix, pinned_adapter)
            if network is not None:
                session.proxies.update(network.proxies)
                session.trust_env = network.trust_env
        self.session = session
        self._server_origin = _origin(server.services_url)

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

    def download(
        self,
        url: str,
        path: str | os.PathLike[str],
        params: Mapping[str, Any] | None = None,
        *,
        chunk_size: int = 1 << 20,
        expect_json: bool = False,
        authenticate: bool = True,
        timeout: Any = None,
    ) -> Path:
        """Stream a GET response to ``path`` (never the whole body in memory).

        The body lands in ``<path>.part`` first and is renamed when complete, so a
        failed or retried download never leaves a half file under the real name.
        An ArcGIS JSON error in place of the file is raised as such; with
        ``expect_json`` an HTML page is refused too.
        """
        target = Path(path)

        def handle(response: requests.Response, secrets: Sequence[str | None]) -> Path:
            return self._stream_to(response, target, chunk_size, expect_json, secrets)

        return self.call(
            "GET",
            url,
            params=params,
            authenticate=authenticate,
            idempotent=True,
            stream=True,
            timeout=timeout,
            handle=handle,
        )

    def post_to_file(
        self,
        url: str,
        path: str | os.PathLike[str],
        fields: Mapping[str, Any] | Iterable[tuple[str, Any]],
        *,
        chunk_size: int = 1 << 20,
        authenticate: bool = True,
        timeout: Any = None,
        secrets: Sequence[str | None] = (),
    ) -> Path:
        """POST a form and stream the JSON answer to ``path``, as :meth:`download` does
        (an ``execute`` answer may carry features too big for memory). Never repeated
        blindly, as :meth:`post_json`; a JSON error or an HTML page is raised as such."""
        target = Path(path)

        def handle(response: requests.Response, all_secrets: Sequence[str | None]) -> Path:
            return self._stream_to(response, target, chunk_size, True, all_secrets)

        return self.call(
            "POST",
            url,
            fields=fields,
            authenticate=authenticate,
            idempotent=False,
            stream=True,
            timeout=timeout,
            secrets=secrets,
            handle=handle,
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
            token = self.auth.token(self) if send_auth else None
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
            headers.update(self.auth.headers(self))
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
        except requests.exceptions.SSLError as error:
            raise ArcGisTlsError(f"TLS/certificate check failed: {error}", url=url) from None
        except requests.exceptions.ConnectTimeout:
            raise ArcGisConnectFailedError("timed out while connecting", url=url) from None
        except requests.exceptions.Timeout:
            raise ArcGisTimeoutError(
                f"no answer within {timeout if timeout is not None else self.timeout} s",
                url=url,
            ) from None
        except (
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ) as error:
            if _never_connected(error):
                raise ArcGisConnectFailedError(_describe(error), url=url) from None
            raise ArcGisConnectionError(_describe(error), url=url) from None
        except requests.exceptions.RequestException as error:
            raise ArcGisConnectionError(_describe(error), url=url) from None
        finally:
            for handle in request_files.values():
                stream_obj = handle[1] if isinstance(handle, tuple) and len(handle) > 1 else None
                if hasattr(stream_obj, "close"):
                    stream_obj.close()

    def _stream_to(
        self,
        response: requests.Response,
        target: Path,
        chunk_size: int,
        expect_json: bool,
        secrets: Sequence[str | None],
    ) -> Path:
        if response.status_code >= 400 or response.status_code in TOKEN_CODES:
            parse_json_response(response, secrets)  # raises
        partial = target.with_name(target.name + ".part")
        target.parent.mkdir(parents=True, exist_ok=True)
        try:
            chunks = response.iter_content(chunk_size=max(int(chunk_size), 1024))
            first = b""
            # Gather enough of the start to tell a JSON error or HTML page from data.
            for chunk in chunks:
                first += chunk
                if len(first) >= _SNIFF_BYTES:
                    break
            first = self._refuse_error_body(response, first, chunks, expect_json, secrets)
            with open(partial, "wb") as out:
                out.write(first)
                for chunk in chunks:
                    out.write(chunk)
            _check_complete(response)
            os.replace(partial, target)
        except requests.exceptions.Timeout:
            raise ArcGisTimeoutError("the download stalled", url=response.url) from None
        except (requests.exceptions.RequestException, ConnectionError) as error:
            raise ArcGisConnectionError(_describe(error), url=response.url) from None
        finally:
            if partial.exists():
                partial.unlink()
        return target

    def _refuse_error_body(
        self,
        response: requests.Response,
        first: bytes,
        chunks: Iterable[bytes],
        expect_json: bool,
        secrets: Sequence[str | None],
    ) -> bytes:
        """Raise if the body is an ArcGIS error (or HTML where JSON is expected).

        Returns the bytes read so far, which the caller must write first.
        """
        head = first.lstrip()[:200]
        is_error = bool(re.match(rb'^\{\s*"(error|status|code|message)"\s*:', head))
        is_html = expect_json and head[:1] == b"<"
        if not (is_error or is_html):
            return first
        body = first
        for chunk in chunks:
            body += chunk
            if len(body) > _MAX_ERROR_BODY:
                return body  # too big to be an error message: it is data after all
        error = error_from_json(_safe_json(body), response.url, secrets)
        if error is not None:
            raise error
        if is_html:
            title = _html_title(_decode(body))
            raise ArcGisInvalidResponseError(
                "got an HTML page instead of JSON" + (f" ('{title}')" if title else ""),
                url=response.url,
            )
        return body


def _safe_json(body: bytes) -> Any:
    try:
        return json.loads(_decode(body))
    except ValueError:
        return None


def _never_connected(error: BaseException) -> bool:
    """True when urllib3 could not open the connection (refused, unresolved host):
    nothing of the request was sent. A proxy that refuses the tunnel counts too; a
    connection dropped after it was made (reset, closed, cut answer) does not."""
    reason = getattr(error.args[0], "reason", None) if error.args else None
    return isinstance(reason, NewConnectionError) or isinstance(
        error, requests.exceptions.ProxyError
    )


def _describe(error: BaseException) -> str:
    """A short reason from a requests/urllib3 exception chain (no URL: added separately)."""
    text = str(error)
    cut = "the connection was dropped before the answer was complete"
    for marker in ("Connection refused", "RemoteDisconnected", "Connection reset",
                   "IncompleteRead", "Response ended prematurely",  # urllib3 1.26 / 2
                   "Name or service not known", "timed out",
                   "Connection aborted", "BrokenPipe"):  # fmt: skip
        if marker.lower() in text.lower():
            return {
                "RemoteDisconnected": "the server closed the connection without answering",
                "IncompleteRead": cut,
                "Response ended prematurely": cut,
                "Name or service not known": "the host name could not be resolved",
            }.get(marker, marker.lower())
    return re.sub(r"\s+", " ", text)[:300] or type(error).__name__
