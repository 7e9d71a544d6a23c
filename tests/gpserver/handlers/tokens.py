"""``/arcgis/tokens/generateToken`` (POST only, as servers configured for security are),
and the federating portal's ``/portal/sharing/rest/generateToken`` (also at the legacy
``/portal/sharing/generateToken``): a login, or the ``serverUrl`` + ``token`` exchange."""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..call import Call, render
from ..errors import RestError


def generate_token(call: Call) -> Response:
    f = call.params.get("f") or "json"
    if call.request.method != "POST":
        raise RestError(400, "Unable to generate token.", ["Token requests must use HTTP POST."])
    if call.state.federated:
        # Its users are the portal's now: the server's own store knows none of them.
        raise RestError(400, "Unable to generate token.", ["Invalid username or password."])
    answer = call.state.tokens.generate(
        call.params, call.request.remote_addr or "", _lifetime(call)
    )
    return render(answer, f if f != "html" else "json")


def _lifetime(call: Call) -> float | None:
    forced = call.state.faults.take(("token_lifetime",), call.request.path, "POST")
    return float(forced[-1].params["seconds"]) if forced else call.state.token_lifetime


def portal_generate_token(call: Call) -> Response:
    """The portal's token service: ``{token, expires, ssl}`` for a login, ``{token,
    expires}`` for a server token in exchange of a portal token (``serverUrl``)."""
    f = call.params.get("f") or "json"
    if call.request.method != "POST":
        raise RestError(400, "Unable to generate token.", ["Token requests must use HTTP POST."])
    tokens = call.state.tokens
    remote = call.request.remote_addr or ""
    if call.params.get("serverUrl"):
        answer = tokens.exchange(
            call.params,
            call.request.headers.get("Referer"),
            remote,
            call.context_url,
            _lifetime(call),
        )
    else:
        answer = tokens.generate(call.params, remote, _lifetime(call), kind="portal")
    return render(answer, f if f != "html" else "json")
