"""One error hierarchy for everything the ArcGIS REST layer can run into.

Callers (the provider, the jobs layer, PyQGIS users) catch :class:`ArcGisError`
and show ``str(error)``: every subclass renders a whole sentence that names the
server's own message, because that message is usually the only clue a user has
("ERROR 000735: Input Features: Value is required").

URLs kept on errors are passed through :func:`redact_url` first: an error may be
logged, shown in a dialog or pasted into a bug report, so it must never carry a
token or a password.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

#: Query parameters whose values are secrets (compared case-insensitively).
SECRET_PARAMETERS = frozenset(
    {
        "token",
        "password",
        "pwd",
        "passwd",
        "key",
        "apikey",
        "api_key",
        "access_token",
        "refresh_token",
        "client_secret",
        "code",
    }
)
_REDACTED = "***"


def redact_url(url: str | None) -> str | None:
    """Return ``url`` without user info and with secret query values masked."""
    if not url:
        return url
    try:
        parts = urlsplit(str(url))
    except ValueError:
        return "<unparsable URL>"
    netloc = parts.netloc
    if "@" in netloc:
        netloc = netloc.rsplit("@", 1)[1]
    query = parts.query
    if query:
        pairs = parse_qsl(query, keep_blank_values=True)
        if any(name.lower() in SECRET_PARAMETERS for name, _ in pairs):
            query = urlencode(
                [
                    (name, _REDACTED if name.lower() in SECRET_PARAMETERS else value)
                    for name, value in pairs
                ]
            )
    return urlunsplit((parts.scheme, netloc, parts.path, query, parts.fragment))


def scrub(text: str, secrets: Iterable[str | None]) -> str:
    """Replace every occurrence of a known secret in ``text`` (servers echo tokens)."""
    for secret in secrets:
        if secret and len(secret) >= 4:
            text = text.replace(secret, _REDACTED)
    return text


class ArcGisError(Exception):
    """Base of every error raised by the REST layer.

    ``code`` is the server's error code (or HTTP status) when there is one,
    ``message`` the server's message, ``details`` its list of detail strings,
    ``url`` the request URL with secrets removed.
    """

    #: Short lead-in used by ``__str__``; subclasses refine it.
    kind = "ArcGIS request failed"

    def __init__(
        self,
        message: str,
        *,
        code: int | None = None,
        details: Sequence[str] | None = None,
        url: str | None = None,
    ) -> None:
        self.message = str(message) if message is not None else ""
        self.code = code
        self.details = [str(detail) for detail in (details or []) if detail not in (None, "")]
        self.url = redact_url(url)
        super().__init__(self.message)

    def __str__(self) -> str:
        text = self.kind
        if self.code is not None:
            text += f" (code {self.code})"
        text += f": {self.message}" if self.message else "."
        extra = [detail for detail in self.details if detail != self.message]
        if extra:
            text = text.rstrip(".") + ". Details: " + "; ".join(extra)
        if self.url:
            text += f" [{self.url}]"
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        # Keyword-only arguments would otherwise be lost when errors cross
        # process or thread-pool boundaries that pickle them.
        return (_rebuild_error, (type(self), self.__dict__.copy()))


def _rebuild_error(cls: type[ArcGisError], state: dict[str, Any]) -> ArcGisError:
    error = cls.__new__(cls)
    Exception.__init__(error, state.get("message", ""))
    error.__dict__.update(state)
    return error


class InvalidUrlError(ArcGisError, ValueError):
    """A URL that cannot be read as an ArcGIS REST services URL."""

    kind = "Not an ArcGIS REST services URL"


class ArcGisServerError(ArcGisError):
    """The server answered with an ArcGIS JSON error object (often under HTTP 200)."""

    kind = "The ArcGIS server reported an error"


class ArcGisAuthError(ArcGisServerError):
    """Token required (499), invalid or expired (498), or login refused."""

    kind = "ArcGIS authentication failed"


class ArcGisRefusedError(ArcGisAuthError):
    """The signed-in user may not run this: a role without the privilege (403) or an
    organisation without the credits a ready-to-use service charges. Asking for a new
    token changes nothing: an administrator must grant the privilege or the credits."""

    kind = "ArcGIS refused the operation"


class ArcGisHttpError(ArcGisError):
    """An HTTP error status without a readable ArcGIS error body."""

    kind = "The server answered with an HTTP error"

    def __init__(self, message: str, *, status: int, **kwargs: Any) -> None:
        kwargs.setdefault("code", status)
        super().__init__(message, **kwargs)
        self.status = status


class ArcGisInvalidResponseError(ArcGisError):
    """Not the JSON we asked for: an HTML page, invalid or truncated JSON, wrong shape."""

    kind = "The server sent a response that is not valid ArcGIS JSON"


class ArcGisTimeoutError(ArcGisError):
    """A request, or a whole job wait, took longer than allowed."""

    kind = "Timed out"

    def __init__(self, message: str, *, job_id: str | None = None, **kwargs: Any) -> None:
        super().__init__(message, **kwargs)
        self.job_id = job_id


class ArcGisConnectionError(ArcGisError):
    """The server could not be reached or dropped the connection."""

    kind = "Could not talk to the ArcGIS server"
    #: True when no connection was made at all (refused, unresolved host, connect
    #: timeout): the request cannot have reached the server, so even a request that
    #: starts work (submitJob, execute) may be sent again.
    never_sent = False


class ArcGisConnectFailedError(ArcGisConnectionError):
    """No connection could be made: the request never left this machine."""

    never_sent = True


class ArcGisTlsError(ArcGisConnectionError):
    """The server's certificate (or ours) was refused: asking again cannot change that."""

    kind = "The secure connection to the ArcGIS server failed"


class ArcGisCapabilityError(ArcGisError):
    """The service lacks what the call needs (Uploads, a result map service ...)."""

    kind = "The service does not support this"


class InsecureTransportError(ArcGisError):
    """A password would travel over plain http; refused unless explicitly allowed."""

    kind = "Refused to send a password over an unencrypted connection"


class JobError(ArcGisError):
    """An asynchronous job ended without success; carries the job's messages."""

    kind = "The geoprocessing job did not succeed"

    def __init__(
        self,
        message: str,
        *,
        job_id: str | None = None,
        status: Any = None,
        messages: Sequence[Any] | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(message, **kwargs)
        self.job_id = job_id
        self.status = status
        #: The job's GP messages (``GPMessage`` objects) as last seen.
        self.messages = list(messages or [])

    def __str__(self) -> str:
        text = self.kind
        if self.job_id:
            text += f" (job {self.job_id})"
        text += f": {self.message}" if self.message else "."
        extra = [detail for detail in self.details if detail != self.message]
        if extra:
            text = text.rstrip(".") + ". Details: " + "; ".join(extra)
        if self.url:
            text += f" [{self.url}]"
        return text


class JobFailedError(JobError):
    """The job ended esriJobFailed."""

    kind = "The geoprocessing job failed"


class JobCancelledError(JobError):
    """The job was cancelled (by us or on the server)."""

    kind = "The geoprocessing job was cancelled"


class JobTimedOutError(JobError):
    """The server stopped the job because it ran past the service's time limit."""

    kind = "The geoprocessing job timed out on the server"


class JobExpiredError(JobError):
    """The server no longer knows the job (expired, deleted, or never existed)."""

    kind = "The server no longer knows this geoprocessing job"
