"""pytest fixtures of the test GP server (registered in tests/conftest.py).

``gpserver`` (function scope) is one session-wide :class:`GPServer` on a free port,
reset before and after each test: no faults, empty request log, default settings,
listening, no jobs left running.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from .server import GPServer


@pytest.fixture(scope="session")
def gpserver_session(tmp_path_factory: pytest.TempPathFactory) -> Iterator[GPServer]:
    """The server for the whole session (prefer ``gpserver``, which resets it)."""
    server = GPServer(workdir=tmp_path_factory.mktemp("gpserver"))
    server.start()
    yield server
    server.close()


@pytest.fixture
def gpserver(gpserver_session: GPServer) -> Iterator[GPServer]:
    """The running test GP server, freshly reset (see GPServer.reset)."""
    gpserver_session.reset()
    yield gpserver_session
    gpserver_session.reset()
