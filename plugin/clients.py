"""One REST client per connection: the bridge from QGIS settings to the plain `rest` layer.

A client carries the connection's authentication (:mod:`.auth`) and QGIS's proxy and
trusted CAs (:mod:`.qgis_network`), so every request honours QGIS's settings.

Clients are shared (one pooled ``requests`` session per connection) and thread-safe for
the calls the provider makes from Processing's worker threads.
"""

from __future__ import annotations

import threading

from .auth import auth_for
from .connections import Connection
from .qgis_network import network_options
from .rest.client import GPClient
from .settings import pool_size

_clients: dict[Connection, GPClient] = {}
_lock = threading.Lock()


def new_client(connection: Connection) -> GPClient:
    """A client of its own (the caller closes it), e.g. to test a connection being edited."""
    auth = auth_for(connection)
    network, verify = network_options(connection.url, auth.client_certificate)
    return GPClient(
        connection.url,
        token_provider=auth.token_provider,
        timeout=connection.timeout,
        verify=verify,
        referer=connection.referer or None,
        allow_insecure_http=connection.allow_insecure_http,
        network=network,
        pool_size=pool_size(),
    )


def client_for(connection: Connection) -> GPClient:
    """The shared client of a connection (made on first use)."""
    with _lock:
        client = _clients.get(connection)
        if client is None:
            client = new_client(connection)
            _clients[connection] = client
        return client


def forget_clients() -> None:
    """Close every session (plugin unload, or connections changed)."""
    with _lock:
        for client in _clients.values():
            client.close()
        _clients.clear()
