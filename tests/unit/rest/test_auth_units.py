"""Auth providers hide secrets and refuse to send a password over plain http."""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest import (
    GenerateTokenProvider,
    GPClient,
    HeaderAuth,
    InsecureTransportError,
    StaticToken,
    TokenProvider,
)


def test_reprs_hide_secrets():
    provider = GenerateTokenProvider("gpuser", "s3cret-pass")
    assert "s3cret-pass" not in repr(provider)
    assert "gpuser" in repr(provider)
    assert "tok123" not in repr(StaticToken("tok123"))
    assert "Bearer" not in repr(HeaderAuth({"X-Esri-Authorization": "Bearer abc"}))


def test_header_auth_strips_values_like_qgis_writes_them():
    auth = HeaderAuth({"X-Esri-Authorization": "Bearer abc "})
    assert auth.headers(None) == {"X-Esri-Authorization": "Bearer abc"}
    assert auth.token(None) is None
    assert not auth.renewable


def test_providers_satisfy_the_protocol():
    for provider in (GenerateTokenProvider("u", "p"), StaticToken("t"), HeaderAuth({})):
        assert isinstance(provider, TokenProvider)


def test_password_over_http_refused_before_anything_is_sent():
    # Port 9 (discard) on loopback: if the client tried to send anything it would
    # get a connection error, not InsecureTransportError.
    provider = GenerateTokenProvider(
        "gpuser", "gppass", token_url="http://127.0.0.1:9/arcgis/tokens/generateToken"
    )
    client = GPClient("http://127.0.0.1:9/arcgis/rest/services", token_provider=provider)
    with pytest.raises(InsecureTransportError) as caught:
        client.service_info("Secure/Protected/GPServer")
    assert "gppass" not in str(caught.value)
    assert "allow_insecure_http" in str(caught.value)
