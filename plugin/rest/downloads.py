"""Streamed answers: a file (or a big JSON answer) written to disk, never held whole.

The body lands in ``<path>.part`` and is renamed when complete, so a failed or
retried download never leaves a half file under the real name. The first bytes are
read before anything is written: an ArcGIS JSON error (or, where JSON is expected, an
HTML page) in place of the file is raised as such, not saved as data.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any, Protocol

import requests

from .answers import (
    TOKEN_CODES,
    _check_complete,
    _decode,
    _describe,
    _html_title,
    _safe_json,
    error_from_json,
    parse_json_response,
)
from .errors import ArcGisConnectionError, ArcGisInvalidResponseError, ArcGisTimeoutError

_SNIFF_BYTES = 65536
_MAX_ERROR_BODY = 1 << 20


class Caller(Protocol):
    """The request loop a download runs in (:meth:`.transport.Transport.call`)."""

    def call(
        self,
        method: str,
        url: str,
        *,
        handle: Callable[[requests.Response, Sequence[str | None]], Path],
        **options: Any,
    ) -> Path:
        """Send ``method url`` (retried, with credentials) and return ``handle``'s result."""


def stream_to(
    response: requests.Response,
    target: Path,
    chunk_size: int,
    expect_json: bool,
    secrets: Sequence[str | None],
) -> Path:
    """Write ``response``'s body to ``target`` (through ``<target>.part``), or raise
    the error it carries; a request loop's ``handle`` for a streamed request."""
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
        first = _refuse_error_body(response, first, chunks, expect_json, secrets)
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


def download(
    transport: Caller,
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
        return stream_to(response, target, chunk_size, expect_json, secrets)

    return transport.call(
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
    transport: Caller,
    url: str,
    path: str | os.PathLike[str],
    fields: Mapping[str, Any] | Iterable[tuple[str, Any]],
    *,
    chunk_size: int = 1 << 20,
    authenticate: bool = True,
    timeout: Any = None,
    secrets: Sequence[str | None] = (),
) -> Path:
    """POST a form and stream the JSON answer to ``path``, as :func:`download` does
    (an ``execute`` answer may carry features too big for memory). Never repeated
    blindly, as ``Transport.post_json``; a JSON error or an HTML page is raised as such."""
    target = Path(path)

    def handle(response: requests.Response, all_secrets: Sequence[str | None]) -> Path:
        return stream_to(response, target, chunk_size, True, all_secrets)

    return transport.call(
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
