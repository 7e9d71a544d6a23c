"""The connection pool size (and so the catalog crawl's concurrency): default, knob, bounds.

What the size does is checked by the crawl (tests/integration/rest/test_crawl_pool.py and
tests/integration/provider/test_options.py): one worker per pooled connection.
"""

from __future__ import annotations

import pytest

from arcgis_gp.plugin.rest.sessions import (
    DEFAULT_POOL_SIZE,
    MAX_POOL_SIZE,
    POOL_SIZE_VARIABLE,
    pool_size_setting,
)
from arcgis_gp.plugin.rest.transport import Transport
from arcgis_gp.plugin.rest.urls import parse_server_url

URL = "http://127.0.0.1:1/arcgis/rest/services"


def test_without_the_variable_the_default_applies(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(POOL_SIZE_VARIABLE, raising=False)
    assert Transport(parse_server_url(URL)).pool_size == DEFAULT_POOL_SIZE


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("24", 24),
        (" 8 ", 8),
        ("0", 1),
        ("-5", 1),
        ("100000", MAX_POOL_SIZE),
        ("many", DEFAULT_POOL_SIZE),
    ],
)
def test_environment_variable_sets_the_pool(
    monkeypatch: pytest.MonkeyPatch, text: str, expected: int
) -> None:
    monkeypatch.setenv(POOL_SIZE_VARIABLE, text)
    assert pool_size_setting() == expected
    transport = Transport(parse_server_url(URL))
    assert transport.pool_size == expected


def test_explicit_pool_size_wins(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(POOL_SIZE_VARIABLE, "48")
    assert Transport(parse_server_url(URL), pool_size=4).pool_size == 4
