"""Reading ArcGIS answers: the JSON they hold, or the error they mean.

Servers say "no" in many ways: ``{"error": ...}`` under HTTP 200 or 500, a bare
``{"code", "message"}`` object, an HTML login or proxy page, an empty or cut body, or
an exception deep in requests/urllib3. Each becomes one :mod:`.errors` class here, so
that the request loop (:mod:`.transport`) and streamed downloads (:mod:`.downloads`)
recognise them the same way.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

import requests
from urllib3.exceptions import NewConnectionError

from .errors import (
    ArcGisAuthError,
    ArcGisConnectFailedError,
    ArcGisConnectionError,
    ArcGisError,
    ArcGisHttpError,
    ArcGisInvalidResponseError,
    ArcGisRefusedError,
    ArcGisServerError,
    ArcGisTimeoutError,
    ArcGisTlsError,
    scrub,
)

#: ArcGIS codes meaning "token invalid or expired" (498) and "token required" (499).
TOKEN_CODES = frozenset({498, 499})


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
        # OAuth-style ``{"error": "...", "error_description": "..."}`` (ArcGIS Online's
        # raster analysis refusing a run it cannot charge): the description says why.
        message = error
        description = data.get("error_description")
        if isinstance(description, str) and description.strip():
            message = f"{error.strip()}: {description.strip()}"
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
    cls = ArcGisAuthError if code in TOKEN_CODES or code == 401 else ArcGisServerError
    if code == 403 or _CREDITS.search(message):
        cls = ArcGisRefusedError
    return cls(message, code=code, details=details, url=url)


#: An error about the credits a run costs ("Failed to compute cost/credits for tool",
#: "not enough credits"): a refusal, like a missing privilege.
_CREDITS = re.compile(r"\bcredits?\b", re.IGNORECASE)


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


def _safe_json(body: bytes) -> Any:
    try:
        return json.loads(_decode(body))
    except ValueError:
        return None


def request_failure(error: requests.RequestException, url: str, timeout: Any) -> ArcGisError:
    """The :mod:`.errors` class a requests exception means: a refused certificate, a
    connection never made (the server cannot have seen the request), a timeout, or a
    connection lost on the way."""
    if isinstance(error, requests.exceptions.SSLError):
        return ArcGisTlsError(f"TLS/certificate check failed: {error}", url=url)
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return ArcGisConnectFailedError("timed out while connecting", url=url)
    if isinstance(error, requests.exceptions.Timeout):
        return ArcGisTimeoutError(f"no answer within {timeout} s", url=url)
    if isinstance(
        error,
        (
            requests.exceptions.ConnectionError,
            requests.exceptions.ChunkedEncodingError,
            requests.exceptions.ContentDecodingError,
        ),
    ) and _never_connected(error):
        return ArcGisConnectFailedError(_describe(error), url=url)
    return ArcGisConnectionError(_describe(error), url=url)


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
