"""``/arcgis/tokens/generateToken`` (POST only, as servers configured for security are)."""

from __future__ import annotations

from werkzeug.wrappers import Response

from ..call import Call, render
from ..errors import RestError


def generate_token(call: Call) -> Response:
    f = call.params.get("f") or "json"
    if call.request.method != "POST":
        raise RestError(400, "Unable to generate token.", ["Token requests must use HTTP POST."])
    forced = call.state.faults.take(("token_lifetime",), call.request.path, "POST")
    lifetime = float(forced[-1].params["seconds"]) if forced else call.state.token_lifetime
    answer = call.state.tokens.generate(call.params, call.request.remote_addr or "", lifetime)
    return render(answer, f if f != "html" else "json")
