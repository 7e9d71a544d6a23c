"""Clients pointed at the test GP server (fixture ``gpserver`` from tests/gpserver)."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from arcgis_gp.plugin.rest import GenerateTokenProvider, GPClient, PollPolicy

#: Poll fast: tests wait for real jobs, and speed comes from short pauses.
FAST = PollPolicy(first=0.05, factor=1.5, ceiling=0.25)


@pytest.fixture
def client(gpserver) -> Iterator[GPClient]:
    """An anonymous client with quick retries."""
    with GPClient(gpserver.services_url, timeout=15, retry_backoff=0.01) as gp:
        yield gp


@pytest.fixture
def secure_client(gpserver) -> Iterator[GPClient]:
    """A client that logs in as gpuser over plain http (allowed: loopback test server)."""
    user, password = gpserver.credentials
    with GPClient(
        gpserver.services_url,
        token_provider=GenerateTokenProvider(user, password),
        allow_insecure_http=True,
        timeout=15,
        retry_backoff=0.01,
    ) as gp:
        yield gp
